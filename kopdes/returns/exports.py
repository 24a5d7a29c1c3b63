"""The .xlsx export of a region's returns for a month, for keying into SIMKOPDES.

No published national monthly business form was found (no Permenkop or circular fixes a KDKMP report template). The
columns follow what SIMKOPDES stores per cooperative and month, in its order: `cooperative_business_transactions`
(month_period, cooperative_type_id — the business unit type —, business_volume_revenue, total_assets,
profit_and_loss; public schema dump of the kop-go-id organisation, Oct 2025, unofficial), one row per business unit
as SIMKOPDES keeps one row per unit type; then the indicators the ministry's national-readiness API publishes
(members, simpanan pokok and wajib), then this return's own fields.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kopdes.documents.xlsx import xlsx_response
from kopdes.regions.models import Region
from kopdes.regions.timezones import zone_for_code
from kopdes.returns.models import ReturnLine, ReturnPeriod
from kopdes.returns.selectors import export_returns


def headers() -> list[str]:
    return [
        _("Month (month_period)"),
        _("Village code"),
        _("Cooperative"),
        _("Nomor Induk Koperasi"),
        _("Business unit (cooperative_type)"),
        _("Business volume / revenue (Rp)"),
        _("Total assets (Rp)"),
        _("Profit or loss (Rp)"),
        _("Members joined"),
        _("Members left"),
        _("Simpanan pokok collected (Rp)"),
        _("Simpanan wajib collected (Rp)"),
        _("Simpanan sukarela collected (Rp)"),
        _("Cost of goods sold (Rp)"),
        _("LPG 3 kg sold (tubes)"),
        _("SPHP rice sold (kg)"),
        _("Fertiliser sold (kg)"),
        _("Cash balance (Rp)"),
        _("Bank balance (Rp)"),
        _("Problems met"),
        _("Version"),
        _("Timeliness"),
    ]


def rows(code: str, period: ReturnPeriod):
    month = f"{period.start:%Y-%m}"
    for item in export_returns(code, period).iterator(chunk_size=500):
        cooperative = item.cooperative
        lines: list[ReturnLine | None] = list(item.lines.all()) or [None]
        for line in lines:
            yield [
                month,
                item.region_code,
                cooperative.name,
                cooperative.nomor_induk_koperasi,
                line.outlet.type_label if line else "",
                line.revenue if line else 0,
                item.total_assets,
                item.profit_loss,
                item.members_joined,
                item.members_left,
                item.simpanan_pokok,
                item.simpanan_wajib,
                item.simpanan_sukarela,
                line.cost_of_goods if line else 0,
                item.lpg_tubes,
                item.rice_kg,
                item.fertiliser_kg,
                item.cash_balance,
                item.bank_balance,
                item.problems,
                item.version,
                item.get_timeliness_display(),
            ]


def returns_xlsx(region: Region, period: ReturnPeriod):
    return xlsx_response(
        f"laporan-usaha-{region.code}-{period.start:%Y-%m}.xlsx",
        sheet=_("Monthly returns"),
        title=_("Monthly business returns, %(region)s, %(month)s")
        % {"region": region.display_name, "month": f"{period.start:%m/%Y}"},
        headers=headers(),
        rows=rows(region.code, period),
        zone=zone_for_code(region.code),
    )
