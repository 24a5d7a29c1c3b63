"""Dashboards "per tanggal" over HTTP: the figures as of a past date from the stage history, the deadline tile once
the target is met, stalled villages below the goal only, a closed programme, bad dates, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.dashboards.tests.helpers import age_everything, form
from kopdes.dashboards.tests.test_selectors import wita
from kopdes.dashboards.tests.test_views import add_villages_with_history, queries_of
from kopdes.formation import counts
from kopdes.formation.models import ProgrammeTarget, StageMove
from kopdes.formation.workflow import MoveKind

pytestmark = pytest.mark.usefixtures("programme")
KASUNGAI = "64.01.01.2014"


def created_at_the_start() -> None:
    """Every case's record dated at the programme's start (1 April 2025), as the office's history has it."""
    StageMove.objects.filter(kind=MoveKind.CREATED).update(at=wita(date(2025, 4, 1)))
    counts.rebuild()  # history written behind the services' back


def backdate(code: str, day: date) -> None:
    """The village's stage moves happened on `day` (an import's evidence date), recorded now."""
    StageMove.objects.filter(cooperative__memberships__village_code=code).exclude(kind=MoveKind.CREATED).update(
        happened_at=wita(day)
    )
    counts.rebuild()


def dashboard_as_of(client, code: str, per: str | None = None):
    response = client.get(reverse("dashboards:region", args=[code]), {"per": per} if per else {})
    assert response.status_code == 200
    return response


def test_a_back_dated_move_shows_from_its_day_on_and_not_before(client, admin_dinas):
    form(JANJU, admin_dinas)
    backdate(JANJU, date(2025, 5, 20))
    created_at_the_start()
    client.force_login(admin_dinas)

    today = dashboard_as_of(client, PASER)  # served first: the dated pages must not come from its cache
    before = dashboard_as_of(client, PASER, "2025-05-19")
    on_the_day = dashboard_as_of(client, PASER, "2025-05-20")

    assert today.context["d"].formed == 1 and today.context["d"].on is None
    assert before.context["d"].formed == 0 and before.context["d"].on == date(2025, 5, 19)
    assert on_the_day.context["d"].formed == 1
    assert before.context["d"].cooperatives == on_the_day.context["d"].cooperatives == 144
    assert before.context["o"].weeks[-1].cumulative == 0 and on_the_day.context["o"].weeks[-1].cumulative == 1
    children = {row.region.code: row for row in on_the_day.context["d"].children}
    assert children[TANAH_GROGOT].formed == 1 and children[BATU_SOPANG].formed == 0
    assert {row.region.code: row for row in before.context["d"].children}[TANAH_GROGOT].formed == 0
    html = before.content.decode()
    assert "per 19 Mei 2025" in html and 'data-testid="today-note"' in html
    assert "per hari ini" in html  # the villages' number keeps no history
    assert "tren.csv?per=2025-05-19" in html  # the downloads are of the same date
    # the kecamatan's village list shows Janju's stage of that day
    rows = {r["village"].code: r for r in dashboard_as_of(client, TANAH_GROGOT, "2025-05-19").context["d"].village_rows}
    assert rows[JANJU]["stage"].number == 0
    rows = {r["village"].code: r for r in dashboard_as_of(client, TANAH_GROGOT, "2025-05-20").context["d"].village_rows}
    assert rows[JANJU]["stage"].number == 8
    # the CSV of the trend follows the date too
    csv_before = client.get(reverse("dashboards:csv", args=[PASER, "tren"]), {"per": "2025-05-19"}).content.decode()
    assert csv_before.strip().splitlines()[-1].split(",")[2] == "0"


def test_the_heading_says_per_today_without_a_date(client, admin_dinas):
    client.force_login(admin_dinas)
    html = dashboard_as_of(client, PASER).content.decode()
    assert 'data-testid="as-of"' in html and "per " in html
    assert 'data-testid="article-day"' in html and "?per=2025-05-11" in html
    assert 'data-testid="today-note"' not in html


def test_once_the_target_is_met_the_deadline_tile_says_when(client, admin_dinas, programme):
    ProgrammeTarget.objects.create(
        programme=programme, count=2, deadline=date(2025, 6, 30), effective_from=date(2025, 4, 2)
    )
    form(JANJU, admin_dinas)
    backdate(JANJU, date(2025, 5, 20))
    form(SUNGAI_TERIK, admin_dinas)
    backdate(SUNGAI_TERIK, date(2025, 6, 5))
    created_at_the_start()
    client.force_login(admin_dinas)

    now = dashboard_as_of(client, PASER)
    earlier = dashboard_as_of(client, PASER, "2025-05-25")

    assert now.context["d"].met_on == date(2025, 6, 5)
    html = now.content.decode()
    assert "Target tercapai pada 5 Juni 2025" in html and "sebelum tenggat" in html
    assert "hari lewat tenggat" not in html
    assert earlier.context["d"].met_on is None and earlier.context["d"].days_to_deadline == 36
    assert "36" in earlier.content.decode() and "hari lagi" in earlier.content.decode()
    whatsapp = client.get(reverse("dashboards:whatsapp", args=[PASER]))
    assert "Target%20tercapai%20pada%2005/06/2025" in whatsapp["Location"]


def test_stalled_counts_only_villages_below_the_goal(client, admin_dinas):
    form(JANJU, admin_dinas)
    backdate(JANJU, date(2025, 5, 20))
    form(SUNGAI_TERIK, admin_dinas, stage=5)
    backdate(SUNGAI_TERIK, date(2025, 5, 20))
    created_at_the_start()
    age_everything(400)
    created_at_the_start()
    client.force_login(admin_dinas)

    for per in (None, "2025-08-01"):
        o = dashboard_as_of(client, TANAH_GROGOT, per).context["o"]
        assert JANJU not in {row["village"].code for row in o.stalled}, per  # at the goal: never stalled
        assert o.stalled_count == o.d.cooperatives - 1
        o = dashboard_as_of(client, BATU_SOPANG, per).context["o"]
        assert SUNGAI_TERIK in {row["village"].code for row in o.stalled}  # stage 5, below the goal
        assert o.stalled_count == o.d.cooperatives
    # before Janju reached the goal it was stalled like the others
    o = dashboard_as_of(client, TANAH_GROGOT, "2025-05-19").context["o"]
    assert o.stalled_count == o.d.cooperatives and JANJU in {row["village"].code for row in o.stalled}


@pytest.mark.parametrize(
    "per, message",
    [
        ("kemarin", "bukan tanggal"),
        ("2025-02-30", "bukan tanggal"),
        ("2999-01-01", "belum tiba"),
        ("1900-01-01", "mendahului seluruh catatan"),
    ],
)
def test_a_bad_date_says_so_in_indonesian_and_shows_today(client, admin_dinas, per, message):
    client.force_login(admin_dinas)

    response = dashboard_as_of(client, PASER, per)

    html = response.content.decode()
    assert response.context["d"].on is None
    assert 'data-testid="per-error"' in html and message in html and "per hari ini" in html


def test_a_closed_programme_shows_its_final_result(client, admin_dinas, programme):
    form(JANJU, admin_dinas)
    programme.is_active = False
    programme.save()
    client.force_login(admin_dinas)

    response = dashboard_as_of(client, PASER)

    d = response.context["d"]
    assert d.closed and d.formed == 1 and d.target.count == 60
    html = response.content.decode()
    assert 'data-testid="closed"' in html and "tidak tercapai" in html and "hari lewat tenggat" not in html


def test_the_dated_dashboard_runs_as_many_queries_whatever_the_villages(client, admin_dinas):
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))
    form(SUNGAI_TERIK, admin_dinas, stage=3)
    created_at_the_start()
    client.force_login(admin_dinas)
    urls = [
        reverse("dashboards:region", args=[PASER]) + "?per=2025-06-01",
        reverse("dashboards:region", args=[BATU_SOPANG]) + "?per=2025-06-01",
    ]
    before = [queries_of(client, url) for url in urls]

    add_villages_with_history(admin_dinas, 12)
    created_at_the_start()

    assert [queries_of(client, url) for url in urls] == before
