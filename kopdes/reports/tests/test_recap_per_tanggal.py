"""The recap per kecamatan "per tanggal" over HTTP: the stages as of a past date from the stage history (a back-dated
move counts from its day on), the article's day one click away, bad dates said plainly, the same .xlsx and PDF date,
and a fixed number of queries whatever the number of villages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK
from kopdes.dashboards.tests.helpers import form
from kopdes.dashboards.tests.test_per_tanggal import backdate, created_at_the_start
from kopdes.dashboards.tests.test_selectors import wita
from kopdes.dashboards.tests.test_views import add_villages_with_history, queries_of
from kopdes.reports.selectors import RECAP_COLUMNS
from kopdes.reports.tests.test_exports import sheet

pytestmark = pytest.mark.usefixtures("programme")


def recap_as_of(client, per: str | None = None):
    response = client.get(reverse("reports:recap", args=[PASER]), {"per": per} if per else {})
    assert response.status_code == 200
    return response


def row_of(response, kecamatan: str) -> dict:
    """The recap's row of `kecamatan` ("Total": the total row) by the keys of RECAP_COLUMNS."""
    keys = [key for key, _label, _stage in RECAP_COLUMNS]
    row = next(r for r in response.context["rows"] if r[1] == kecamatan)
    return dict(zip(keys, row, strict=True))


def test_a_back_dated_move_counts_from_its_day_on(client, admin_dinas):
    form(JANJU, admin_dinas)  # reaches the goal stage (SK AHU)
    backdate(JANJU, date(2025, 5, 20))
    created_at_the_start()
    client.force_login(admin_dinas)

    today = recap_as_of(client)
    before = recap_as_of(client, "2025-05-19")
    on_the_day = recap_as_of(client, "20/05/2025")  # as people write dates

    assert row_of(today, "Tanah Grogot")["sk_ahu_total"] == 1
    assert row_of(before, "Tanah Grogot")["sk_ahu_total"] == 0
    assert row_of(before, "Tanah Grogot")["musdesus"] == 0
    assert row_of(on_the_day, "Tanah Grogot")["sk_ahu_total"] == 1
    assert row_of(on_the_day, "Total")["sk_ahu_total"] == 1
    assert before.context["on"] == date(2025, 5, 19)
    html = before.content.decode()
    assert "per 19 Mei 2025" in html and 'data-testid="today-note"' in html
    assert "xlsx/?per=2025-05-19" in html and "pdf/?per=2025-05-19" in html  # the downloads are of the same date
    # the spreadsheet of that date says so and equals the screen
    rows = sheet(client.get(reverse("reports:recap_xlsx", args=[PASER]), {"per": "2025-05-19"}))
    assert rows[0][0].endswith("per 19 Mei 2025")
    assert [list(r) for r in rows[3:]] == before.context["rows"]


def test_the_heading_says_per_today_and_offers_the_article_day(client, admin_dinas):
    client.force_login(admin_dinas)

    html = recap_as_of(client).content.decode()

    assert 'data-testid="as-of"' in html and "per " in html
    assert 'data-testid="article-day"' in html and "?per=2025-05-11" in html and "Per 11 Mei 2025" in html
    assert 'data-testid="today-note"' not in html and 'data-testid="per-error"' not in html


@pytest.mark.parametrize(
    "per, message",
    [
        ("kemarin", "bukan tanggal"),
        ("2025-02-30", "bukan tanggal"),
        ("2999-01-01", "belum tiba"),
        ("1900-01-01", "mendahului seluruh catatan"),
    ],
)
def test_a_bad_date_says_so_and_shows_today(client, admin_dinas, per, message):
    form(JANJU, admin_dinas)
    client.force_login(admin_dinas)

    response = recap_as_of(client, per)

    html = response.content.decode()
    assert response.context["on"] is None
    assert 'data-testid="per-error"' in html and message in html
    assert row_of(response, "Tanah Grogot")["sk_ahu_total"] == 1  # today's figures


def test_the_pdf_of_a_past_date_is_dated(client, admin_dinas):
    client.force_login(admin_dinas)

    response = client.get(reverse("reports:recap_pdf", args=[PASER]), {"per": "2025-05-11"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "2025-05-11" in response["Content-Disposition"]


def test_the_dated_recap_runs_as_many_queries_whatever_the_villages(client, admin_dinas):
    form(JANJU, admin_dinas, wita(date(2025, 5, 20)))
    form(SUNGAI_TERIK, admin_dinas, stage=3)
    created_at_the_start()
    client.force_login(admin_dinas)
    urls = [
        reverse("reports:recap", args=[PASER]) + "?per=2025-06-01",
        reverse("reports:recap", args=[BATU_SOPANG]) + "?per=2025-06-01",
    ]
    before = [queries_of(client, url) for url in urls]

    add_villages_with_history(admin_dinas, 12)
    created_at_the_start()

    assert [queries_of(client, url) for url in urls] == before
