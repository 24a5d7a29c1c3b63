"""Dashboard reads: trend per week, projection, stalled villages, filters, the nation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK
from kopdes.dashboards.selectors import Filters, Week, overview, projection
from kopdes.dashboards.tests.helpers import age_everything, form
from kopdes.formation import services
from kopdes.formation.models import Cooperative
from kopdes.formation.workflow import Pathway
from kopdes.regions.models import Kind, Region

WITA = ZoneInfo("Asia/Makassar")
KASUNGAI = "64.01.01.2014"


def wita(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), WITA)


def test_trend_counts_formations_per_week_and_cumulative(programme, admin_dinas):
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))  # Tuesday of the week from 19 May
    form(SUNGAI_TERIK, admin_dinas, wita(date(2025, 5, 25)))  # Sunday: same week
    form(KASUNGAI, admin_dinas, wita(date(2025, 6, 2)))  # Monday of the next week
    form("64.01.02.2004", admin_dinas, stage=7)  # below the formed stage: not counted

    o = overview(Region.objects.get(code=PASER))

    weeks = {w.start: (w.formed, w.cumulative) for w in o.weeks}
    assert o.weeks[0].start == date(2025, 3, 31)  # the Monday of the programme's start week
    assert weeks[date(2025, 5, 12)] == (0, 0)
    assert weeks[date(2025, 5, 19)] == (2, 2)
    assert weeks[date(2025, 5, 26)] == (0, 2)
    assert weeks[date(2025, 6, 2)] == (1, 3)
    assert o.weeks[-1].cumulative == o.d.formed == 3
    # consecutive weeks, no gaps
    assert all(b.start - a.start == timedelta(days=7) for a, b in zip(o.weeks, o.weeks[1:], strict=False))
    assert o.chart_data["target"] == 60 and o.chart_data["threshold"] == 48


def test_trend_of_a_kecamatan_counts_only_its_villages(programme, admin_dinas):
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))
    form(SUNGAI_TERIK, admin_dinas, wita(date(2025, 5, 20)))

    o = overview(Region.objects.get(code=BATU_SOPANG))

    assert sum(w.formed for w in o.weeks) == 1


def test_trend_is_the_number_formed_at_each_weeks_end_after_step_backs_and_merges(programme, admin_dinas):
    """The trend is read from the kept daily counts (docs/decisions/0008-dashboards-read-kept-counts.md):
    `cumulative` is
    the cooperatives at or past the formed stage at the week's end and `formed` its net change, so a step back below
    the formed stage or a merge that ends a formed cooperative takes one off in its own week (no longer a count of
    formation moves that only grows)."""
    janju = form(JANJU, admin_dinas, wita(date(2025, 5, 20)))
    terik = form(SUNGAI_TERIK, admin_dinas, wita(date(2025, 5, 21)))
    kasungai = form(KASUNGAI, admin_dinas, wita(date(2025, 5, 22)))
    janju.refresh_from_db()
    services.step_back(
        actor=admin_dinas,
        cooperative=janju,
        version=janju.version,
        stage=5,
        reason="koreksi",
        at=wita(date(2025, 6, 3)),
    )
    terik.refresh_from_db()
    services.merge_cooperatives(
        actor=admin_dinas, target=terik, others=[kasungai], reason="gabung", at=wita(date(2025, 6, 11))
    )

    o = overview(Region.objects.get(code=PASER))

    weeks = {w.start: (w.formed, w.cumulative) for w in o.weeks}
    assert weeks[date(2025, 5, 19)] == (3, 3)
    assert weeks[date(2025, 6, 2)] == (-1, 2)  # Janju stepped back to stage 5
    assert weeks[date(2025, 6, 9)] == (-1, 1)  # Kasungai merged into Sungai Terik: one formed cooperative left
    assert o.weeks[-1].cumulative == o.d.formed == 1
    dated = overview(Region.objects.get(code=PASER), Filters(on=date(2025, 6, 5)))
    assert dated.weeks[-1].cumulative == dated.d.formed == 2


def target(count: int, deadline: date) -> SimpleNamespace:
    return SimpleNamespace(count=count, deadline=deadline)


def weeks_of(*formed: int, first: date = date(2025, 5, 5)) -> list[Week]:
    total, out = 0, []
    for n, count in enumerate(formed):
        total += count
        out.append(Week(first + timedelta(days=7 * n), count, total))
    return out


def test_projection_at_the_pace_of_the_last_four_weeks():
    weeks = weeks_of(0, 0, 4, 4, 4, 4)  # 16 formed, 4 a week lately; this week is the last one
    today = weeks[-1].start

    p = projection(weeks, 16, target(60, date(2025, 12, 31)), today)

    assert p.pace_per_week == 4
    assert p.projected_on == today + timedelta(days=7 * 11)  # 44 to go at 4 a week
    assert p.before_deadline is True
    late = projection(weeks, 16, target(60, date(2025, 6, 30)), today)
    assert late.before_deadline is False


def test_projection_when_reached_and_when_stopped():
    weeks = weeks_of(10, 30, 30)
    reached = projection(weeks, 70, target(60, date(2025, 6, 30)), weeks[-1].start)
    assert reached.reached_on == weeks[2].start and reached.before_deadline is True

    stopped = projection(weeks_of(5, 0, 0, 0, 0), 5, target(60, date(2025, 6, 30)), date(2025, 6, 2))
    assert stopped.pace_per_week == 0 and stopped.projected_on is None and stopped.before_deadline is False
    assert projection(weeks, 70, None, weeks[-1].start) is None


def test_stalled_villages_have_no_verified_progress_in_n_days(programme, admin_dinas, settings):
    settings.KOPDES_STALLED_DAYS = 14
    paser = Region.objects.get(code=PASER)
    assert overview(paser).stalled_count == 0  # the programme just started: nobody is stalled yet

    age_everything(30)
    form(JANJU, admin_dinas, stage=3)  # progress today
    form(SUNGAI_TERIK, admin_dinas, wita(date(2025, 5, 20)))  # formed long ago: done, not stalled

    o = overview(paser)

    assert o.stalled_count == 142
    assert len(o.stalled) == 50
    codes = {row["village"].code for row in o.stalled}
    assert JANJU not in codes and SUNGAI_TERIK not in codes
    assert all(row["days"] >= 29 for row in o.stalled)
    settings.KOPDES_STALLED_DAYS = 60
    assert overview(paser).stalled_count == 0


def test_filter_by_kind_of_village(programme):
    paser = Region.objects.get(code=PASER)

    kelurahan = overview(paser, Filters(kind=Kind.KELURAHAN))
    desa = overview(paser, Filters(kind=Kind.DESA))

    assert (kelurahan.d.villages, kelurahan.d.cooperatives) == (5, 5)
    assert (desa.d.villages, desa.d.cooperatives) == (139, 139)
    assert {row["village"].kind for row in kelurahan.d.village_rows} == {Kind.KELURAHAN}
    assert kelurahan.d.target is None  # the target is for all villages: not compared with a part of them
    assert sum(c.villages for c in kelurahan.d.children) == 5


def test_filter_by_pathway_counts_undecided_as_pendirian_baru(programme, admin_dinas):
    Cooperative.objects.filter(memberships__village_code=JANJU).update(pathway=Pathway.REVITALISASI)
    paser = Region.objects.get(code=PASER)

    assert overview(paser, Filters(pathway=Pathway.REVITALISASI)).d.cooperatives == 1
    assert overview(paser, Filters(pathway=Pathway.PENDIRIAN_BARU)).d.cooperatives == 143
    assert overview(paser, Filters(pathway=Pathway.PENGEMBANGAN)).d.cooperatives == 0


def test_filters_from_the_query_string_ignore_unknown_values():
    assert Filters.from_query({"jalur": "revitalisasi", "jenis": "kelurahan"}) == Filters("revitalisasi", "kelurahan")
    assert Filters.from_query({"jalur": "x", "jenis": "provinsi"}) == Filters()
    assert Filters("revitalisasi", "desa").query() == "jalur=revitalisasi&jenis=desa"


@pytest.mark.usefixtures("programme")
def test_the_national_dashboard_has_the_provinces_as_children(admin_dinas):
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))

    o = overview(None)

    assert o.d.region is None and o.d.villages == 144 and o.d.formed == 1
    assert [c.region.code for c in o.d.children] == ["64"]
    assert o.d.children[0].formed == 1
    assert o.d.village_rows is None
    assert o.projection is None  # no national target
