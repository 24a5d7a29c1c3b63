"""The monthly returns' URLs in the permission matrix (collected by kopdes/core/tests/test_permission_matrix.py).

Janju's cooperative runs a unit and has a submitted return; the matrix's BA is assigned to it (a BA's scope is its
assigned cooperatives), the PMO reads Paser's. Entering is for the board and the BA only; returning for the office and
the BA; reopening and assigning for the office. The BA's monthly report: the BA's own, read by the office and the PMO of
its regency, decided by the office. Out of scope: the neighbouring regency's cooperative, 404 for all."""

from datetime import date

from django.utils import timezone

from kopdes.accounts.models import User
from kopdes.clock import midday_local
from kopdes.conftest import JANJU
from kopdes.cooperatives.models import Outlet, OutletStatus
from kopdes.formation.models import Cooperative
from kopdes.returns import services
from kopdes.returns.models import AssistantAssignment, MonthlyReturn, ReturnPeriod
from kopdes.returns.models_ba import BAReport
from kopdes.tests.matrix import Entry, answers, formation_cases

# the matrix's roles whose scope holds Janju's cooperative (the camat of Batu Sopang and Sungai Terik's operator do
# not; the pendamping of Tanah Grogot does)
READERS = answers(200, camat=404, business_assistant=200, pmo=200)
REGENCY_PAGES = answers(200, camat=404, operator_desa=404, pendamping=404, pmo=200)


def _coop(where):
    return lambda ctx: {"pk": ctx["returns"][f"{where}_cooperative"]}


def _month(where):
    return lambda ctx: {"pk": ctx["returns"][f"{where}_cooperative"], "period_pk": ctx["returns"]["period"]}


def _return(where):
    return lambda ctx: {"pk": ctx["returns"][f"{where}_return"]}


def _region(where):
    return lambda ctx: {"code": ctx["returns"][f"{where}_region"]}


def _assignment(where):
    return lambda ctx: {"pk": ctx["returns"][f"{where}_assignment"]}


def _report(where):
    return lambda ctx: {"pk": ctx["returns"][f"{where}_ba_report"]}


def _period(ctx):
    return {"period_pk": ctx["returns"]["period"]}


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
    "returns:index": Entry("GET", inside=answers(200, business_assistant=200, pmo=200)),
    "returns:cooperative": _on(_coop, READERS),
    # the form: the BA assigned (the board is not in the matrix); others who read get 404
    "returns:enter": _on(_month, answers(404, business_assistant=200)),
    "returns:detail": _on(_return, READERS),
    # without a reason: refused with a message, back to the return
    "returns:send_back": _on(_return, answers(404, admin_dinas=302, business_assistant=302), "returns:detail", "POST"),
    # without a date and reason: refused with a message, back to the cooperative
    "returns:reopen": _on(_month, answers(404, admin_dinas=302), "returns:cooperative", "POST"),
    "returns:completeness": _on(_region, REGENCY_PAGES),
    "returns:export_xlsx": _on(_region, REGENCY_PAGES),
    "returns:dashboard": _on(_region, REGENCY_PAGES),
    # the nation's dashboard: national accounts only (none in the matrix)
    "returns:dashboard_nation": Entry("GET", inside=answers(404)),
    "returns:assignments": _on(_region, answers(404, admin_dinas=200)),
    # ends the assignment today, back to the regency's list
    "returns:unassign": _on(_assignment, answers(404, admin_dinas=302), "returns:assignments", "POST"),
    # the BA's monthly report: its months and its form are the BA's own (no other role has them)
    "returns:ba_index": Entry("GET", inside=answers(404, business_assistant=200)),
    # a month is no one's object: the form lists the BA's own assigned cooperatives
    "returns:ba_enter": Entry("GET", inside=answers(404, business_assistant=200), inside_kwargs=_period),
    # a report: its BA, the office of its regency and its PMO; another regency's BA report answers 404
    "returns:ba_detail": _on(_report, answers(404, admin_dinas=200, business_assistant=200, pmo=200)),
    # neither accepted nor a reason: refused with a message, back to the report
    "returns:ba_decide": _on(_report, answers(404, admin_dinas=302), "returns:ba_detail", "POST"),
    "returns:ba_region": _on(_region, answers(404, admin_dinas=200, pmo=200)),
    "returns:ba_recap_xlsx": _on(_region, answers(404, admin_dinas=200, pmo=200)),
    "returns:ba_recap_pdf": _on(_region, answers(404, admin_dinas=200, pmo=200)),
}


def context(role: str) -> dict:
    """Janju's cooperative and the neighbouring regency's, each running a unit with a submitted return for a month
    that has ended, and a BA assigned to each (the matrix's own BA on Janju)."""
    formation_cases(role)
    office = User.objects.get(username="matrix.office")
    today = timezone.localdate()
    services.ensure_periods(until=today)
    period = ReturnPeriod.objects.filter(end__lt=today).order_by("-start").first()
    found = {"period": period.pk, "inside_region": "64.01", "outside_region": "64.02"}
    for where, code in (("inside", JANJU), ("outside", "64.02.01.2001")):
        cooperative = Cooperative.objects.get(region_code=code)
        outlet = Outlet.objects.create(cooperative=cooperative, status=OutletStatus.OPEN, updated_at=timezone.now())
        if where == "inside":
            assistant = User.objects.filter(username="ba.paser").first() or User.objects.create(username="ba.paser")
        else:
            assistant = User.objects.create(username="ba.luar")
        row = AssistantAssignment.objects.create(
            assistant=assistant,
            cooperative=cooperative,
            region_code=code,
            started_on=date(2026, 1, 1),
            assigned_by=office,
        )
        created = MonthlyReturn.objects.create(
            period=ReturnPeriod.objects.get(pk=period.pk),
            cooperative=cooperative,
            region_code=code,
            revenue_total=1,
            submitted_by=office,
            submitted_at=midday_local(code, period.due),
            submitted_on=period.due,
            timeliness="on_time",
        )
        outlet.save()
        report = BAReport.objects.create(
            period_id=period.pk,
            assistant=assistant,
            region_code=code[:5],
            submitted_at=midday_local(code, period.due),
            submitted_on=period.due,
            timeliness="on_time",
        )
        found.update(
            {
                f"{where}_cooperative": cooperative.pk,
                f"{where}_return": created.pk,
                f"{where}_assignment": row.pk,
                f"{where}_ba_report": report.pk,
            }
        )
    return found
