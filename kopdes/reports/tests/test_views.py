"""The report pages through HTTP: the issue's "done when" scenario, the unhappy paths and the query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kopdes.clock import local_date
from kopdes.conftest import BATU_SOPANG, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.formation import services as formation_services
from kopdes.formation.models import Programme
from kopdes.formation.tests.test_query_counts import add_villages, queries_of, warm
from kopdes.periods.models import Timeliness
from kopdes.regions.models import Region
from kopdes.reports import services
from kopdes.reports.models import CamatReport, ReportPeriod, ReportStatus


def period_url(period, code=BATU_SOPANG):
    return reverse("reports:period_report", kwargs={"code": code, "period_pk": period.pk})


def read(client, period) -> str:
    """The form's read token (audit.stale), as a browser would have it from the page."""
    return client.get(period_url(period)).context["form"]["dibaca"].value()


def test_done_when_camat_reports_office_returns_camat_resubmits(client, camat_batu_sopang, admin_dinas, programme):
    # The scheduled job has opened this week's period; the camat of Batu Sopang opens the report, already filled
    # from live data.
    services.open_report_periods()
    client.force_login(camat_batu_sopang)
    response = client.get(reverse("reports:current", kwargs={"code": BATU_SOPANG}), follow=True)
    assert response.status_code == 200
    period = response.context["period"]
    assert period.start <= local_date(PASER) <= period.end
    page = response.content.decode()
    assert "Sungai Terik" in page and len(response.context["rows"]) == 9

    # ... adds obstacles and submits.
    response = client.post(
        period_url(period),
        {
            "dibaca": read(client, period),
            "obstacles": "Notaris belum tersedia di kecamatan",
            "follow_up": "Koordinasi dengan dinas",
            f"village_{SUNGAI_TERIK}": "Musdesus ditunda karena banjir",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    report = CamatReport.objects.get()
    assert (report.version, report.status, report.timeliness) == (1, ReportStatus.SUBMITTED, Timeliness.ON_TIME)
    assert report.village_obstacles == {SUNGAI_TERIK: "Musdesus ditunda karena banjir"}

    # ... and prints the PDF.
    response = client.get(reverse("reports:report_pdf", kwargs={"pk": report.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

    # The office sees Batu Sopang on time and the other nine kecamatan missing.
    client.force_login(admin_dinas)
    response = client.get(reverse("reports:completeness", kwargs={"code": PASER}))
    states = dict(
        re.findall(
            r'data-kecamatan="([\d.]+)"\s+data-state="(\w+)">(?:(?!data-kecamatan).)*</td>\s*<td class="text-end">',
            response.content.decode(),
            re.S,
        )
    )
    assert states[BATU_SOPANG] == "on_time"
    assert sorted(code for code, state in states.items() if state == "missing") == sorted(
        r.code for r in Region.objects.filter(parent__code=PASER).exclude(code=BATU_SOPANG)
    )
    totals = response.context["totals"][-1]
    assert (totals["submitted"], totals["on_time"], len(totals["missing"])) == (1, 1, 9)

    # ... and returns the report with a comment.
    response = client.post(
        reverse("reports:decide", kwargs={"pk": report.pk}),
        {"decision": "return", "comment": "Lengkapi rencana tindak lanjut per desa"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    # The camat sees the comment, starts version 2 and resubmits.
    client.force_login(camat_batu_sopang)
    page = client.get(period_url(period)).content.decode()
    assert "Lengkapi rencana tindak lanjut per desa" in page
    response = client.post(reverse("reports:new_version", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    page = client.get(period_url(period)).content.decode()
    assert "Lengkapi rencana tindak lanjut per desa" in page  # still visible while writing version 2
    response = client.post(
        period_url(period),
        {
            "dibaca": read(client, period),
            "obstacles": "Notaris belum tersedia",
            "follow_up": "Jadwal notaris keliling 5 Desember",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    versions = list(CamatReport.objects.order_by("version"))
    assert [(v.version, v.status) for v in versions] == [(1, ReportStatus.RETURNED), (2, ReportStatus.SUBMITTED)]
    # the earlier version stays readable
    assert client.get(reverse("reports:report_detail", kwargs={"pk": versions[0].pk})).status_code == 200


def test_a_period_of_no_programme_of_the_kecamatan_is_404(client, camat_batu_sopang, programme, paser):
    other = Programme.objects.create(region=paser.parent, name="Provinsi", start_date=programme.start_date)
    services.ensure_periods(programme=other, until=programme.start_date)
    foreign = ReportPeriod.objects.get(programme=other)
    client.force_login(camat_batu_sopang)

    assert client.get(period_url(foreign)).status_code == 404
    assert client.post(period_url(foreign), {"action": "submit"}).status_code == 404
    assert (
        client.get(reverse("reports:period_report", kwargs={"code": BATU_SOPANG, "period_pk": 999999})).status_code
        == 404
    )
    assert not CamatReport.objects.exists()


def test_submitting_for_another_kecamatan_is_404(client, camat_batu_sopang, period):
    client.force_login(camat_batu_sopang)

    response = client.post(period_url(period, TANAH_GROGOT), {"action": "submit"})

    assert response.status_code == 404
    assert not CamatReport.objects.exists()


def test_readers_who_may_not_write_get_404_on_post(client, pimpinan, pendamping, period):
    for user, code in ((pimpinan, BATU_SOPANG), (pendamping, TANAH_GROGOT)):
        client.force_login(user)
        assert client.get(period_url(period, code)).status_code == 200
        assert client.post(period_url(period, code), {"action": "submit"}).status_code == 404
    assert not CamatReport.objects.exists()


def test_editing_a_submitted_report_is_refused_with_a_message(client, camat_batu_sopang, batu_sopang, period):
    services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period, obstacles="x")
    client.force_login(camat_batu_sopang)

    response = client.post(
        period_url(period), {"obstacles": "changed", "action": "save", "dibaca": read(client, period)}
    )

    assert response.status_code == 400
    assert "tidak dapat diubah lagi" in response.content.decode()  # "can no longer be changed"
    assert response.context["editable"] is False
    assert CamatReport.objects.get().obstacles == "x"


def test_a_returned_report_keeps_the_comment_visible(client, camat_batu_sopang, admin_dinas, batu_sopang, period):
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)
    services.return_report(actor=admin_dinas, report=report, comment="Kurang data Desa Sungai Terik")
    client.force_login(camat_batu_sopang)

    for url in (period_url(period), reverse("reports:report_detail", kwargs={"pk": report.pk})):
        assert "Kurang data Desa Sungai Terik" in client.get(url).content.decode()


def test_decision_without_comment_is_refused_with_a_message(
    client, camat_batu_sopang, admin_dinas, batu_sopang, period
):
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)
    client.force_login(admin_dinas)

    response = client.post(reverse("reports:decide", kwargs={"pk": report.pk}), {"decision": "return"}, follow=True)

    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_save_draft_through_the_form(client, camat_batu_sopang, period):
    client.force_login(camat_batu_sopang)

    response = client.post(period_url(period), {"obstacles": "draf", "action": "save", "dibaca": read(client, period)})

    assert response.status_code == 302
    assert CamatReport.objects.get().status == ReportStatus.DRAFT
    assert 'value="save"' in client.get(period_url(period)).content.decode()


@pytest.mark.parametrize("name", ["period_report", "completeness", "recap"])
def test_report_pages_run_the_same_queries_whatever_the_number_of_villages(
    client, admin_dinas, camat_batu_sopang, batu_sopang, programme, period, name
):
    services.submit_report(actor=camat_batu_sopang, kecamatan=batu_sopang, period=period)
    client.force_login(admin_dinas)
    url = period_url(period) if name == "period_report" else reverse(f"reports:{name}", kwargs={"code": PASER})
    warm(client, url)
    before = len(queries_of(client, url))

    add_villages(batu_sopang, 12)
    formation_services.start_programme(actor=admin_dinas, programme=programme)

    assert len(queries_of(client, url)) == before


def test_reports_page_offers_the_camat_its_kecamatan_and_the_office_its_grids(client, camat_batu_sopang, admin_dinas):
    client.force_login(camat_batu_sopang)
    page = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:current", kwargs={"code": BATU_SOPANG}) in page
    assert reverse("reports:index") in page  # in the menu

    client.force_login(admin_dinas)
    page = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:completeness", kwargs={"code": PASER}) in page
    assert reverse("reports:recap", kwargs={"code": PASER}) in page


def test_reminders_appear_on_the_reports_page(client, camat_batu_sopang, period):
    from kopdes.reports.reminders import send_report_reminders

    send_report_reminders(today=period.due)
    client.force_login(camat_batu_sopang)

    assert period_url(period) in client.get(reverse("reports:index")).content.decode()


def xlsx_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        b"".join(response.streaming_content)  # the rows are read while the file is written, before streaming
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["reports:recap_xlsx", "reports:completeness_xlsx", "dashboards:villages_xlsx"])
def test_exports_run_the_same_queries_whatever_the_number_of_villages(
    client, admin_dinas, batu_sopang, programme, name
):
    client.force_login(admin_dinas)
    url = reverse(name, kwargs={"code": PASER})
    xlsx_queries(client, url)
    before = xlsx_queries(client, url)

    add_villages(batu_sopang, 12)
    formation_services.start_programme(actor=admin_dinas, programme=programme)

    assert xlsx_queries(client, url) == before
