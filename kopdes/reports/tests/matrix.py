"""The reports URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py).

A kecamatan's report names people: the camat, its pendamping, the office and leadership read it; the read-only
partner (mitra) and the village operators do not. Only the camat and the office write it; only the office decides."""

from datetime import date

from kopdes.accounts.models import User
from kopdes.conftest import BATU_SOPANG, JANJU, TANAH_GROGOT
from kopdes.formation.models import Programme
from kopdes.regions.models import Region
from kopdes.reports import services
from kopdes.reports.models import ReportPeriod
from kopdes.tests.matrix import ANONYMOUS, Entry, answers, everyone, formation_cases

OTHER_REGENCY, OTHER_KECAMATAN = "64.02", "64.02.01"
# (kecamatan inside the role's scope, kecamatan outside it) for the report pages
KECAMATAN = {
    "admin_dinas": (TANAH_GROGOT, OTHER_KECAMATAN),
    "pimpinan": (TANAH_GROGOT, OTHER_KECAMATAN),
    "mitra": (TANAH_GROGOT, OTHER_KECAMATAN),
    "camat": (BATU_SOPANG, TANAH_GROGOT),
    "operator_desa": (TANAH_GROGOT, BATU_SOPANG),
    "pendamping": (TANAH_GROGOT, BATU_SOPANG),
    "business_assistant": (TANAH_GROGOT, OTHER_KECAMATAN),
    "pmo": (TANAH_GROGOT, OTHER_KECAMATAN),
    ANONYMOUS: (TANAH_GROGOT, OTHER_KECAMATAN),
}
# (region inside, region outside) for the grids and the downloads
REGION = {
    "admin_dinas": ("64.01", OTHER_REGENCY),
    "pimpinan": ("64.01", OTHER_REGENCY),
    "mitra": ("64.01", OTHER_REGENCY),
    "camat": (BATU_SOPANG, TANAH_GROGOT),
    "operator_desa": (JANJU, BATU_SOPANG),
    "pendamping": (TANAH_GROGOT, BATU_SOPANG),
    "business_assistant": ("64.01", OTHER_REGENCY),
    "pmo": ("64.01", OTHER_REGENCY),
    ANONYMOUS: ("64.01", OTHER_REGENCY),
}


def _kecamatan(where):
    return lambda ctx: {"code": ctx["reports"][f"{where}_kecamatan"]}


def _period(where):
    return lambda ctx: {"code": ctx["reports"][f"{where}_kecamatan"], "period_pk": ctx["reports"][f"{where}_period"]}


def _report(where):
    return lambda ctx: {"pk": ctx["reports"][f"{where}_report"]}


def _region(where):
    return lambda ctx: {"code": ctx["reports"][f"{where}_region"]}


READERS = answers(200, mitra=404, operator_desa=404)  # who reads a kecamatan's report
GRIDS = answers(200, operator_desa=404)  # a village operator's scope holds no kecamatan


def _on(kwargs, inside, redirects_to=None, method="GET"):
    return Entry(
        method,
        inside=inside,
        outside=answers(404),
        inside_kwargs=kwargs("inside"),
        outside_kwargs=kwargs("outside"),
        redirects_to=redirects_to,
    )


ENTRIES: dict[str, Entry] = {
    "reports:index": Entry("GET", inside=everyone(200)),  # an empty list for a role without a region scope
    "reports:current": _on(
        _kecamatan,
        answers(302, mitra=404, operator_desa=404),
        redirects_to="reports:period_report",
    ),
    "reports:period_report": _on(_period, READERS),
    "reports:report_detail": _on(_report, READERS),
    "reports:report_pdf": _on(_report, READERS),
    # a new version of a submitted report: the camat and the office; readers who may not write get 404
    "reports:new_version": _on(_report, answers(404, admin_dinas=302, camat=302), "reports:period_report", "POST"),
    # without a decision the office's POST is refused with a message and sent back to the report
    "reports:decide": _on(_report, answers(404, admin_dinas=302), "reports:report_detail", "POST"),
    "reports:completeness": _on(_region, GRIDS),
    "reports:completeness_xlsx": _on(_region, GRIDS),
    "reports:recap": _on(_region, GRIDS),
    "reports:recap_xlsx": _on(_region, GRIDS),
    "reports:recap_pdf": _on(_region, GRIDS),
    "reports:queue_xlsx": Entry("GET", inside=answers(404, admin_dinas=200)),
}


def context(role: str) -> dict:
    """Paser and a neighbouring regency with their programmes (formation_cases), the current period of each, and a
    submitted report of the role's inside and outside kecamatan."""
    formation_cases(role)
    office = User.objects.get(username="matrix.office")
    found = {}
    for where, code in zip(("inside", "outside"), KECAMATAN[role], strict=True):
        kecamatan = Region.objects.get(code=code)
        programme = Programme.objects.get(region__code=code[:5])
        services.ensure_periods(programme=programme, until=date(2025, 5, 1))
        services.open_report_periods()  # the scheduled job has run: today's period is open (reports:current)
        period = ReportPeriod.objects.filter(programme=programme).order_by("start").first()
        report = services.submit_report(actor=office, kecamatan=kecamatan, period=period, obstacles="uji")
        found.update({f"{where}_kecamatan": code, f"{where}_period": period.pk, f"{where}_report": report.pk})
    found.update({"inside_region": REGION[role][0], "outside_region": REGION[role][1]})
    return found
