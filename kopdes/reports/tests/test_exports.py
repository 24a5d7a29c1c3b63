"""Every list's .xlsx equals its screen: the recap cell for cell, the completeness grid, the village list of the
formation dashboard and the verification queue. Plus the recap's counts and the WhatsApp summary."""

from __future__ import annotations

import io
import zoneinfo
from datetime import date, datetime
from urllib.parse import unquote

import openpyxl
from django.urls import reverse

from kopdes.conftest import BATU_SOPANG, JANJU, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.cooperatives.services import update_profile
from kopdes.dashboards import exports as dashboard_selectors
from kopdes.dashboards.selectors import dashboard, village_list
from kopdes.formation.tests.helpers import advance, case_for, submit
from kopdes.regions.models import Kind, Region
from kopdes.reports import selectors, services
from kopdes.reports.models import ReportPeriod


def sheet(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_recap_xlsx_equals_the_screen_cell_for_cell(client, admin_dinas, programme):
    advance(case_for(JANJU), 9, submitter=admin_dinas)
    advance(case_for(SUNGAI_TERIK), 4, submitter=admin_dinas)
    client.force_login(admin_dinas)

    screen = client.get(reverse("reports:recap", kwargs={"code": PASER})).context
    rows = sheet(client.get(reverse("reports:recap_xlsx", kwargs={"code": PASER})))

    assert rows[0][0] == selectors.recap_title(Region.objects.get(code=PASER))
    assert list(rows[2]) == screen["headers"]
    assert [list(r) for r in rows[3:]] == screen["rows"]
    assert len(screen["rows"]) == 11  # ten kecamatan and the total


def test_recap_counts_villages_by_the_stage_their_cooperative_reached(admin_dinas, programme, paser):
    advance(case_for(JANJU), 9, submitter=admin_dinas)
    advance(case_for(SUNGAI_TERIK), 4, submitter=admin_dinas)

    rows = {row["kecamatan"]: row for row in selectors.recap(paser)}

    tanah_grogot, batu_sopang, total = rows["Tanah Grogot"], rows["Batu Sopang"], rows["Total"]
    assert (batu_sopang["desa"], batu_sopang["kelurahan"]) == (9, 0)
    assert total["desa"] + total["kelurahan"] == 144
    assert (batu_sopang["musdesus"], batu_sopang["name_booked"], batu_sopang["sk_ahu_total"]) == (1, 0, 0)
    expected = {
        "musdesus": 1,
        "name_booked": 1,
        "deed": 1,
        "sk_ahu_desa": 1,
        "sk_ahu_kelurahan": 0,
        "sk_ahu_total": 1,
        "nib": 1,
        "simkopdes": 0,
        "outlet": 0,
        "npwp": 0,
    }
    assert {key: tanah_grogot[key] for key in expected} == expected
    assert tanah_grogot["sk_ahu_percent"] == round(100 / (tanah_grogot["desa"] + tanah_grogot["kelurahan"]), 1)
    assert total["musdesus"] == 2 and total["sk_ahu_total"] == 1


def test_recap_counts_villages_whose_cooperative_has_an_npwp(admin_dinas, programme, paser):
    janju = case_for(JANJU)
    update_profile(actor=admin_dinas, cooperative=janju, version=janju.version, npwp="01.234.567.8-912.000")

    rows = {row["kecamatan"]: row for row in selectors.recap(paser)}

    assert (rows["Tanah Grogot"]["npwp"], rows["Batu Sopang"]["npwp"], rows["Total"]["npwp"]) == (1, 0, 1)


def test_recap_splits_sk_ahu_between_desa_and_kelurahan(admin_dinas, programme, paser):
    kelurahan = Region.objects.filter(code__startswith=TANAH_GROGOT + ".", kind=Kind.KELURAHAN).first()
    advance(case_for(kelurahan.code), 8, submitter=admin_dinas)

    row = next(r for r in selectors.recap(paser) if r["kecamatan"] == "Tanah Grogot")

    assert (row["sk_ahu_desa"], row["sk_ahu_kelurahan"], row["sk_ahu_total"]) == (0, 1, 1)


def test_completeness_xlsx_equals_the_screen(client, admin_dinas, camat_batu_sopang, programme):
    services.open_report_periods()
    period = selectors.current_period(programme, PASER)
    services.submit_report(actor=camat_batu_sopang, kecamatan=Region.objects.get(code=BATU_SOPANG), period=period)
    client.force_login(admin_dinas)

    grid = client.get(reverse("reports:completeness", kwargs={"code": PASER})).context["grid"]
    rows = sheet(client.get(reverse("reports:completeness_xlsx", kwargs={"code": PASER})))

    headers, expected = selectors.completeness_table(grid)
    assert list(rows[2]) == headers
    assert [list(r) for r in rows[3:]] == expected
    batu_sopang = next(r for r in rows[3:] if r[0] == "Batu Sopang")
    assert batu_sopang[-5:-2] == (6, 1, 1)  # expected, submitted, on time over the last six periods


def test_villages_xlsx_equals_the_dashboard_list(client, admin_dinas, programme):
    advance(case_for(JANJU), 2, submitter=admin_dinas)
    submit(admin_dinas, case_for(SUNGAI_TERIK), 1)
    client.force_login(admin_dinas)

    screen = client.get(reverse("dashboards:region", kwargs={"code": PASER})).context["d"].village_rows
    rows = sheet(client.get(reverse("dashboards:villages_xlsx", kwargs={"code": PASER})))[3:]
    zone = zoneinfo.ZoneInfo(Region.objects.get(code=PASER).time_zone)  # shown in the region's zone (WITA)

    assert len(rows) == len(screen) == 144
    for row, shown in zip(rows, screen, strict=True):
        assert row[0] == shown["village"].code
        assert row[1] == shown["village"].display_name
        assert row[2] == shown["kecamatan"].name
        assert row[3] == shown["cooperative"].name
        assert (row[4], row[5]) == (shown["stage"].number, str(shown["stage"].label))
        assert row[6] == shown["pending"]
        local = shown["updated_at"].astimezone(zone)
        assert isinstance(row[7], datetime) and abs(row[7] - local.replace(tzinfo=None)).total_seconds() < 1


def test_village_export_rows_match_village_list_for_a_kecamatan(programme):
    exported = [row[0] for row in dashboard_selectors.village_export_rows(BATU_SOPANG)]

    assert exported == [row["village"].code for row in village_list(BATU_SOPANG)]


def test_queue_xlsx_equals_the_queue(client, admin_dinas, programme):
    submit(admin_dinas, case_for(JANJU), 1)
    submit(admin_dinas, case_for(SUNGAI_TERIK), 1)
    client.force_login(admin_dinas)

    shown = client.get(reverse("formation:queue")).context["submissions"]
    rows = sheet(client.get(reverse("reports:queue_xlsx")))[3:]

    assert [r[1] for r in rows] == [s.cooperative.name for s in shown]
    assert [r[5] for r in rows] == [s.n_files for s in shown]


def test_download_links_are_on_the_lists(client, admin_dinas, programme):
    client.force_login(admin_dinas)

    dashboard_page = client.get(reverse("dashboards:region", kwargs={"code": PASER})).content.decode()
    queue_page = client.get(reverse("formation:queue")).content.decode()

    assert reverse("dashboards:villages_xlsx", kwargs={"code": PASER}) in dashboard_page
    assert reverse("reports:queue_xlsx") in queue_page


def test_whatsapp_link_summarises_target_realisation_and_who_is_behind(admin_dinas, programme, paser):
    for code in (JANJU, SUNGAI_TERIK):
        advance(case_for(code), 8, submitter=admin_dinas)

    link = dashboard_selectors.whatsapp_link(paser)

    assert link.startswith("https://wa.me/?text=")
    text = unquote(link.removeprefix("https://wa.me/?text="))
    d = dashboard(paser, with_villages=False)
    assert "Target: 60 koperasi" in text
    assert "Terealisasi: 2 koperasi" in text
    assert "Capaian: 3,3%" in text
    assert ("Lewat tenggat" if d.days_to_deadline < 0 else "Sisa waktu") in text
    assert "Perlu perhatian:" in text and "Batu Sopang" not in text.split("Perlu perhatian:")[1]


def test_recap_and_report_pdfs_render(client, admin_dinas, camat_batu_sopang, programme):
    services.open_report_periods()
    period = selectors.current_period(programme, PASER)
    report = services.submit_report(
        actor=camat_batu_sopang, kecamatan=Region.objects.get(code=BATU_SOPANG), period=period, obstacles="Banjir"
    )
    client.force_login(admin_dinas)

    for url in (reverse("reports:recap_pdf", kwargs={"code": PASER}), reverse("reports:report_pdf", args=[report.pk])):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_completeness_for_a_chosen_range_of_periods(client, admin_dinas, camat_batu_sopang, programme):
    services.ensure_periods(programme=programme, until=date(2025, 5, 31))
    first = ReportPeriod.objects.filter(programme=programme).order_by("start").first()
    services.submit_report(actor=camat_batu_sopang, kecamatan=Region.objects.get(code=BATU_SOPANG), period=first)
    client.force_login(admin_dinas)

    response = client.get(
        reverse("reports:completeness", kwargs={"code": PASER}), {"start": "2025-03-31", "end": "2025-04-20"}
    )

    grid = response.context["grid"]
    assert [p.start for p in grid.periods] == [date(2025, 3, 31), date(2025, 4, 7), date(2025, 4, 14)]
    assert (grid.expected, grid.submitted, grid.on_time) == (30, 1, 0)  # submitted long after the expiry
    row = next(r for r in grid.rows if r.kecamatan.code == BATU_SOPANG)
    assert row.cells[0].timeliness == "after_expiry" and row.cells[1].overdue
    xlsx = sheet(
        client.get(
            reverse("reports:completeness_xlsx", kwargs={"code": PASER}), {"start": "2025-03-31", "end": "2025-04-20"}
        )
    )
    assert len(xlsx[2]) == 1 + 3 + 5


def test_recap_page_has_the_whatsapp_button(client, admin_dinas, programme):
    client.force_login(admin_dinas)

    page = client.get(reverse("reports:recap", kwargs={"code": PASER})).content.decode()
    share = reverse("dashboards:whatsapp", kwargs={"code": PASER})
    response = client.get(share)

    assert f'href="{share}"' in page
    assert response.status_code == 302 and response.url.startswith("https://wa.me/?text=")
    assert "Terealisasi" in unquote(response.url)
