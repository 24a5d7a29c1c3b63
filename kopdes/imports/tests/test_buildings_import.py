"""The office's building progress sheet: hand-written sheets with the SIMKOPDES asset headers in another order, extra
columns, a totals row, duplicates and bad rows; the preview, the confirm, the left-out rows and a rerun."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kopdes.audit.models import AuditEntry
from kopdes.buildings.models import Building, Move, Submission
from kopdes.buildings.workflow import Band, LandOwner
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.formation.workflow import SubmissionStatus
from kopdes.imports.building_plans import read_band
from kopdes.imports.models import BatchStatus, ImportBatch
from kopdes.imports.tests.sheets import upload, xlsx
from kopdes.regions.models import Region

TANJUNG_ARU = "64.01.02.2006"
KASUNGAI = "64.01.01.2014"
# The SIMKOPDES asset fields, not in their schema's order, and the sheet's own columns between them.
HEADERS = [
    "No",
    "Kecamatan",
    "Nama Desa",
    "Progres Pembangunan",
    "Tanggal Progres",
    "Jenis Aset",
    "Kepemilikan",
    "Status Aset",
    "Luas Lahan (m2)",
    "Panjang Lahan (m)",
    "Lebar Lahan (m)",
    "Akses Jalan",
    "Latitude",
    "Longitude",
    "Status Verifikasi",
    "Tanggal Usulan Lahan",
    "Tanggal Survei",
    "Nomor Sertifikat",
    "Keterangan Babinsa",  # an extra column nobody declared
    "Tanggal Serah Terima",
]


def row(no, kecamatan, village, band, band_on, *, owner="Desa", area=600, length=20, width=30, **extra) -> list:
    values = {
        "type": "Gerai KDKMP",
        "status": "Hibah",
        "road": "Jalan poros desa, aspal",
        "lat": -1.9123,
        "lon": 116.1901,
        "verified": "Terverifikasi",
        "proposed": date(2025, 10, 20),
        "surveyed": "5 November 2025",
        "certificate": f"SHP-{no:03d}/2025",
        "note": "",
        "handover": None,
        **extra,
    }
    return [no, kecamatan, village, band, band_on, values["type"], owner, values["status"], area, length, width,
            values["road"], values["lat"], values["lon"], values["verified"], values["proposed"], values["surveyed"],
            values["certificate"], values["note"], values["handover"]]  # fmt: skip


def sheet(*rows) -> bytes:
    return xlsx(
        [
            ["REKAP PROGRES PEMBANGUNAN GERAI KDKMP KABUPATEN PASER"],
            ["Keadaan 15 Januari 2026"],
            HEADERS,
            *rows,
            ["", "", "JUMLAH", "", "", "", "", "", "=SUM(I4:I6)"],
            [],
            ["", "", "", "", "Mengetahui,"],
            ["", "", "", "", "Kepala Dinas Koperasi dan UKM"],
        ],
        merge_title=len(HEADERS),
    )


def good_sheet() -> bytes:
    return sheet(
        row(1, "Tanah Grogot", "JANJU", "45%", "10/01/2026", note="Koramil hadir"),
        row(2, "Batu Sopang", "Sungai Terik", 0.8, date(2026, 1, 12), owner="Pemda", area=None),
        row(3, "", "Tanjung Aru", "Rangka atap", "", type="Truk"),  # a vehicle row of the asset sheet: left out
    )


def send(client, data: bytes, name: str = "progres-gerai.xlsx") -> ImportBatch:
    response = client.post(reverse("imports:buildings"), {"file": upload(data, name)})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.latest("id")


@pytest.fixture
def office(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    return client


def test_the_sheet_is_previewed_then_writes_the_steps_and_a_rerun_changes_nothing(office):
    batch = send(office, good_sheet())
    assert batch.status == BatchStatus.PREVIEWED, batch.summary["messages"]
    summary = batch.summary
    assert summary["changed"] == 2 and summary["errors"] == 0
    skipped = {r["row"]: r["reason"] for r in summary["skipped_rows"]}
    assert "Truk" in skipped[6] and 7 in skipped  # the vehicle row, the totals row
    assert "Keterangan Babinsa" in str(summary["unknown_columns"])
    assert not Building.objects.exists()  # a preview writes nothing
    page = office.get(reverse("imports:batch", args=[batch.pk]))
    assert page.status_code == 200 and "Janju" in page.content.decode()

    response = office.post(reverse("imports:confirm", args=[batch.pk]))
    assert response.status_code == 302
    janju = Building.objects.get(region_code=JANJU)
    assert janju.band == Band.UP_TO_50 and janju.band_on == date(2026, 1, 10)
    assert janju.land_owner == LandOwner.VILLAGE and janju.land_area_m2 == Decimal("600.00")
    assert janju.land_proposed_on == date(2025, 10, 20) and janju.surveyed_on == date(2025, 11, 5)
    assert janju.latitude == Decimal("-1.912300") and janju.step == 3
    terik = Building.objects.get(region_code=SUNGAI_TERIK)
    assert terik.band == Band.UP_TO_99 and terik.land_owner == LandOwner.REGENCY
    assert terik.land_area_m2 == Decimal("600.00")  # no area in the sheet: length × width
    imported = Submission.objects.filter(building=janju)
    assert imported.count() == 3 and {s.status for s in imported} == {SubmissionStatus.VERIFIED}
    assert imported.get(step=1).data["land_length"] == "20.00"  # the asset fields the building has no column for
    assert set(Move.objects.filter(building=janju).values_list("source", flat=True)) == {"impor:progres-gerai.xlsx"}
    assert AuditEntry.objects.filter(action="buildings.import_progress").count() == 6
    assert AuditEntry.objects.filter(action="imports.buildings").count() == 1

    again = send(office, good_sheet(), "progres-gerai-lagi.xlsx")
    assert again.status == BatchStatus.NO_CHANGES and again.summary["unchanged"] == 2
    assert Submission.objects.count() == 6 and Move.objects.count() == 6


def test_bad_rows_are_reported_by_their_row_numbers_and_left_out_as_xlsx(office):
    data = sheet(
        row(1, "Tanah Grogot", "Janju", "45%", "10/01/2026"),
        row(2, "Batu Sopang", "Sungai Terik", "130%", "12/01/2026"),  # row 5: not a progress
        row(3, "", "Tanjung Aru", "60%", "01/01/2099"),  # row 6: in the future
        row(4, "Batu Sopang", "Kasungai", "30%", "12/01/2026", owner="Sewa warga"),  # row 7: not village land
        row(5, "Tanah Grogot", "JANJU", "45%", "10/01/2026"),  # row 8: the same village again
        row(6, "Batu Sopang", "Sungai Terik", "50%", "12/01/2026", lat=116.19, lon=-1.91),  # 9: swapped, and twice
        row(7, "", "Desa Entah", "50%", "12/01/2026"),  # row 10: no such village
    )
    batch = send(office, data)
    assert batch.status == BatchStatus.INVALID
    rows = {m["row"] for m in batch.summary["messages"] if m["level"] == "error"}
    assert rows == {5, 6, 7, 8, 9, 10}
    texts = " ".join(m["text"] for m in batch.summary["messages"])
    assert "Janju" in texts and "baris 4" in texts  # the duplicate names the first row
    assert not Building.objects.exists()

    response = office.get(reverse("imports:left_out", args=[batch.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    left = [r for r in book.active.iter_rows(values_only=True)]
    assert [r[-2] for r in left[1:]] == [5, 6, 7, 8, 9, 10]

    office.post(reverse("imports:confirm", args=[batch.pk]), {"mode": "valid"})
    assert list(Building.objects.values_list("region_code", flat=True)) == [JANJU]


def test_a_band_backwards_and_a_handover_before_100_are_refused_or_kept_out(office):
    send(office, sheet(row(1, "Tanah Grogot", "Janju", "80%", "10/01/2026")))
    office.post(reverse("imports:confirm", args=[ImportBatch.objects.latest("id").pk]))
    assert Building.objects.get(region_code=JANJU).band == Band.UP_TO_99
    back = send(office, sheet(row(1, "Tanah Grogot", "Janju", "40%", "20/01/2026")))
    assert back.status == BatchStatus.NO_CHANGES and back.summary["not_applied"] == 1
    early = send(office, sheet(row(1, "Tanah Grogot", "Janju", "90%", "20/01/2026", handover="25/01/2026")))
    assert early.status == BatchStatus.INVALID
    assert early.summary["errors"] == 1 and "100%" in early.summary["messages"][-1]["text"]
    done = send(office, sheet(row(1, "Tanah Grogot", "Janju", "100%", "20/02/2026", handover="02/03/2026")))
    office.post(reverse("imports:confirm", args=[done.pk]))
    building = Building.objects.get(region_code=JANJU)
    assert building.band == Band.DONE and building.handover_on == date(2026, 3, 2) and building.step == 4


def test_a_row_not_verified_in_the_sheet_and_a_used_certificate(office):
    send(office, sheet(row(1, "Tanah Grogot", "Janju", "45%", "10/01/2026", certificate="SHP 12/2025")))
    office.post(reverse("imports:confirm", args=[ImportBatch.objects.latest("id").pk]))
    batch = send(
        office,
        sheet(
            row(1, "Batu Sopang", "Sungai Terik", "45%", "10/01/2026", certificate="shp12/2025"),
            row(2, "Batu Sopang", "Kasungai", "20%", "10/01/2026", verified="Belum diverifikasi"),
        ),
    )
    errors = [m for m in batch.summary["messages"] if m["level"] == "error"]
    assert [m["row"] for m in errors] == [4] and batch.summary["not_applied"] == 1


@pytest.mark.parametrize(
    ("raw", "band"),
    [(0, 20), ("15%", 20), (0.45, 50), ("21-50%", 50), ("51–75 %", 75), (76, 99), (1.0, 100), ("Selesai", 100)],
)
def test_bands_are_read_from_percentages_fractions_and_labels(raw, band):
    assert read_band(raw) == band


def test_others_get_404_and_a_region_outside_scope_is_not_found(client, programme, operator_janju):
    client.force_login(operator_janju)
    assert client.get(reverse("imports:buildings")).status_code == 404
    assert Region.objects.filter(code=TANJUNG_ARU).exists()
