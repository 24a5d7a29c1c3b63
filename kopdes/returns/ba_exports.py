"""The PMO's recap of the BA reports for the provincial office: an .xlsx and a PDF under the regency office's
letterhead, signed by its Kepala Dinas (the PMO recaps the BA reports and reports monthly to the regency and
provincial offices: the BA and PMO duties published for 2026)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kopdes.clock import local_date
from kopdes.documents.models import SignerRole
from kopdes.documents.render import logo_data_uri, render_pdf
from kopdes.documents.selectors import letterhead_for, signature, signer_for
from kopdes.documents.xlsx import xlsx_response
from kopdes.periods.models import Timeliness
from kopdes.regions.models import Region
from kopdes.regions.timezones import zone_for_code
from kopdes.returns.ba_report import MISSING, RecapRow, recap
from kopdes.returns.models import ReturnPeriod
from kopdes.returns.models_ba import BAReportStatus


def headers() -> list[str]:
    return [
        _("Business Assistant"),
        _("Cooperatives assigned"),
        _("Report"),
        _("Building ready"),
        _("Outlet ready"),
        _("Business plan written"),
        _("SIMKOPDES updated"),
        _("Visits"),
        _("Problems"),
    ]


def state_label(row: RecapRow) -> str:
    if row.state == MISSING:
        return str(_("Missing (not accepted)"))
    return str(BAReportStatus.ACCEPTED.label) + " — " + str(dict(Timeliness.choices).get(row.state, row.state))


def table(code: str, period: ReturnPeriod) -> list[list]:
    return [
        [
            str(r.assistant),
            r.assigned,
            state_label(r),
            r.building_ready,
            r.outlet_ready,
            r.business_plan,
            r.simkopdes_updated,
            r.visits,
            "; ".join(f"{name}: {text}" for name, text in r.problems),
        ]
        for r in recap(code, period)
    ]


def recap_xlsx(region: Region, period: ReturnPeriod):
    return xlsx_response(
        f"rekap-ba-{region.code}-{period.start:%Y-%m}.xlsx",
        sheet=_("BA recap"),
        title=_("Recap of the Business Assistants' reports, %(region)s, %(month)s")
        % {"region": region.display_name, "month": f"{period.start:%m/%Y}"},
        headers=headers(),
        rows=table(region.code, period),
        zone=zone_for_code(region.code),
    )


def recap_pdf(region: Region, period: ReturnPeriod) -> HttpResponse:
    with translation.override("id"):
        letterhead = letterhead_for(region.code)
        today = local_date(region.code, timezone.now())
        context = {
            "letterhead": letterhead,
            "logo": logo_data_uri(letterhead),
            "signatures": [signature(signer_for(letterhead, SignerRole.KEPALA_DINAS), title="Kepala Dinas")],
            "sign_place": letterhead.city,
            "sign_date": formats.date_format(today, "j F Y"),
            "region": region,
            "month": formats.date_format(period.start, "F Y"),
            "headers": headers(),
            "rows": table(region.code, period),
        }
    content = render_pdf("returns/ba/recap_pdf.html", context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rekap-ba-{region.code}-{period.start:%Y-%m}.pdf"'
    return response
