"""A stage imported through the village-status sheet with a date before the case was even recorded (the office enters
last year's SK AHU today): the dashboards as of today and "per tanggal" both show it from the sheet's date on, the
kept counts (formation.counts) agree with the history path (the filtered dashboard reads the history), and the
creation of the record today does not undo the imported stage."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from kopdes.conftest import JANJU, PASER, TANAH_GROGOT
from kopdes.formation import counts
from kopdes.formation.tests.helpers import case_for
from kopdes.imports.models import ImportBatch
from kopdes.imports.tests.sheets import upload, xlsx


def dashboard(client, code: str, **params):
    response = client.get(reverse("dashboards:region", args=[code]), params)
    assert response.status_code == 200
    return response.context


def test_a_back_dated_import_shows_in_todays_and_the_dated_dashboards(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    sheet = xlsx(
        [
            ["Kode Desa", "Nama Desa", "Status Tahapan", "Tanggal Musdesus", "Tanggal SK AHU", "Nomor SK AHU"],
            [JANJU, "Janju", "SK AHU", "16/05/2025", "13/06/2025", "AHU-0001.AH.01.29"],
        ]
    )
    response = client.post(reverse("imports:village_status"), {"file": upload(sheet, "status.xlsx")})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("imports:confirm", args=[ImportBatch.objects.latest("id").pk]))
    assert case_for(JANJU).stage == 8  # recorded today, formed on 13 June 2025 by the sheet

    today = dashboard(client, PASER)
    day_before = dashboard(client, PASER, per="2025-06-12")
    on_the_day = dashboard(client, PASER, per="2025-06-13")

    assert today["d"].formed == 1 and today["d"].cooperatives == 144
    assert today["o"].weeks[-1].cumulative == 1  # the creation today does not undo the imported stage
    assert {w.start: w.formed for w in today["o"].weeks}[date(2025, 6, 9)] == 1  # the week of the SK
    assert day_before["d"].formed == 0 and on_the_day["d"].formed == 1
    assert on_the_day["d"].cooperatives == 1  # the other records did not exist yet; Janju did, by its sheet
    assert on_the_day["o"].weeks[-1].cumulative == 1 and day_before["o"].weeks[-1].cumulative == 0
    children = {row.region.code: row for row in on_the_day["d"].children}
    assert children[TANAH_GROGOT].formed == 1 and sum(row.formed for row in children.values()) == 1
    # the same figures from the history path (a filter reads the memberships and moves, not the kept counts)
    for per, formed in (("2025-06-12", 0), ("2025-06-13", 1), ("", 1)):
        filtered = dashboard(client, PASER, per=per, jenis="desa") if per else dashboard(client, PASER, jenis="desa")
        assert filtered["d"].formed == formed, per
    kecamatan = dashboard(client, TANAH_GROGOT, per="2025-06-13")
    rows = {row["village"].code: row for row in kecamatan["d"].village_rows}
    assert rows[JANJU]["stage"].number == 8
    assert dashboard(client, TANAH_GROGOT)["d"].formed == 1
    assert counts.stored() == counts.recount()
