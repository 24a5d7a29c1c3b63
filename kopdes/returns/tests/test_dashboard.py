"""The returns dashboard: the kept sums follow every submission, correction and return sent back (equal to a recount),
the page shows the region's months, its children and the silent cooperatives, and its number of queries does not grow
with the number of villages."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kopdes.conftest import PASER
from kopdes.formation.models import Cooperative
from kopdes.returns import services, sums
from kopdes.returns.models import AssistantAssignment, ReturnPeriod, ReturnSum
from kopdes.returns.tests.conftest import open_units
from kopdes.returns.tests.test_returns import submit, values

FEB, MARCH = date(2026, 2, 1), date(2026, 3, 1)


def _month(start):
    return ReturnPeriod.objects.get(start=start)


def _lines(cooperative, *pairs):
    return {unit.pk: pair for unit, pair in zip(cooperative.units, pairs, strict=True)}


def _sum(code, start) -> ReturnSum:
    return ReturnSum.objects.get(region_code=code, period=_month(start))


def test_sums_follow_submissions_corrections_and_returns(ba_on_janju, janju, admin_dinas):
    first = submit(
        ba_on_janju, janju, _month(MARCH), on=date(2026, 4, 5), lines=_lines(janju, (1_000_000, 600_000), (0, 0))
    )
    assert sums.stored() == sums.recount()
    for code in ("", "64", PASER, "64.01.04", janju.region_code):
        row = _sum(code, MARCH)
        assert (row.submitted, row.on_time, row.revenue, row.units_trading) == (1, 1, 1_000_000, 1)
    submit(
        ba_on_janju,
        janju,
        _month(MARCH),
        on=date(2026, 4, 15),
        lines=_lines(janju, (2_000_000, 600_000), (500_000, 0)),
        vals=values(simpanan_wajib=100_000),
    )
    row = _sum(PASER, MARCH)
    assert (row.submitted, row.on_time, row.revenue, row.units_trading, row.simpanan_wajib) == (
        1,
        0,
        2_500_000,
        2,
        100_000,
    )
    assert sums.stored() == sums.recount()
    current = janju.monthly_returns.exclude(status="superseded").get(period=_month(MARCH))
    services.send_back(actor=admin_dinas, monthly_return=current, reason="Pendapatan tidak cocok.")
    row = _sum(PASER, MARCH)
    assert (row.submitted, row.revenue) == (0, 0)
    assert sums.stored() == sums.recount()
    assert first.pk  # the first version stays


def test_rebuild_equals_what_was_kept(ba_on_janju, janju):
    submit(ba_on_janju, janju, _month(FEB), on=date(2026, 3, 5))
    submit(ba_on_janju, janju, _month(MARCH), on=date(2026, 4, 5))
    kept = sums.stored()
    sums.rebuild()
    assert sums.stored() == kept


def test_the_dashboard_page(client, ba_on_janju, janju, sungai_terik, admin_dinas):
    submit(ba_on_janju, janju, _month(MARCH), on=date(2026, 4, 5), lines=_lines(janju, (1_250_000, 600_000), (0, 0)))
    client.force_login(admin_dinas)
    page = client.get(reverse("returns:dashboard", args=[PASER]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="months"' in text and "data-sortable" in text and "data-filter" in text
    assert "1.250.000" in text or "1,250,000" in text
    assert sungai_terik.name in text  # no return for the last two months
    assert client.get(reverse("returns:dashboard", args=["64.02"])).status_code == 404  # another regency
    assert client.get(reverse("returns:dashboard_nation")).status_code == 404  # not a national account


def test_queries_do_not_grow_with_the_villages(client, ba_on_janju, janju, admin_dinas):
    submit(ba_on_janju, janju, _month(MARCH), on=date(2026, 4, 5))
    client.force_login(admin_dinas)
    url = reverse("returns:dashboard", args=[PASER])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    others = Cooperative.objects.filter(region_code__startswith=PASER + ".").exclude(pk=janju.pk).order_by("pk")[:6]
    assert len(others) == 6
    for other in others:
        other.units = open_units(other, "Gerai sembako")
        AssistantAssignment.objects.create(
            assistant=ba_on_janju,
            cooperative=other,
            region_code=other.region_code,
            started_on=date(2026, 1, 5),
            assigned_by=admin_dinas,
        )
        ba_on_janju.__dict__.pop("_ba_cooperatives", None)
        submit(ba_on_janju, other, _month(MARCH), on=date(2026, 4, 5))
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
    assert values()  # the shared helper stays importable
