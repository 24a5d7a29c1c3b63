"""How sheets are read: workbooks inspected before parsing, merged cells filled down,
rows that never vanish, columns mapped by the admin and remembered per layout, the valid rows imported by choice with
the rest downloadable, and imported moves dated by the sheet."""

from __future__ import annotations

import io
import tracemalloc
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kopdes.audit.models import AuditEntry
from kopdes.conftest import CASES, JANJU, PASER, SUNGAI_TERIK
from kopdes.cooperatives.models import Member
from kopdes.dashboards.selectors import overview
from kopdes.dashboards.tests.helpers import age_everything
from kopdes.formation.models import Cooperative, StageMove
from kopdes.formation.tests.helpers import case_for
from kopdes.formation.workflow import MoveKind
from kopdes.imports import services
from kopdes.imports.models import BatchStatus, ColumnLayout, ImportBatch
from kopdes.imports.reader import FileProblem
from kopdes.imports.tests.sheets import expanding_xlsx, upload, xlsx
from kopdes.regions.models import Region

SITI = "6401044112950003"
BUDI = "6401040305880001"
SRI = "6401040101800005"
KEPALA_TELAKE = "64.01.08.2012"  # a village of Long Kali whose name begins with a word of signature blocks
HEADERS = ["No", "NIK", "Nama Anggota", "Dusun", "RT", "Tgl Masuk", "Simpanan Pokok"]


@pytest.fixture
def janju(programme):
    return case_for(JANJU)


def send_members(client, cooperative, data: bytes, name: str = "anggota.xlsx"):
    response = client.post(reverse("imports:members", args=[cooperative.pk]), {"file": upload(data, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def send_status(client, data: bytes, name: str = "status.xlsx"):
    response = client.post(reverse("imports:village_status"), {"file": upload(data, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def errors_of(batch) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for message in batch.summary["messages"]:
        if message["level"] == "error":
            found.setdefault(message["row"], []).append(message["text"])
    return found


# ----------------------------------------------------------------------------------- workbooks inspected first


def test_a_1_mb_workbook_expanding_to_1_gib_is_refused_before_it_is_read(client, admin_dinas, janju):
    bomb = expanding_xlsx([["NIK", "Nama"], [SITI, "Siti"]], expanded=1 << 30)
    assert len(bomb) < 1_200_000
    client.force_login(admin_dinas)
    tracemalloc.start()
    response = client.post(reverse("imports:members", args=[janju.pk]), {"file": upload(bomb, "anggota.xlsx")})
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200 and not ImportBatch.objects.exists()
    assert "ditolak: lembar-lembarnya mengembang melebihi 200,0\xa0MB (sudah 1,0\xa0GB" in response.content.decode()
    assert peak < 40 * 1024 * 1024  # the upload itself and the page; the sheet was never expanded in memory


def test_a_part_expanding_a_thousandfold_is_refused_even_below_the_size_limit(admin_dinas, janju):
    bomb = expanding_xlsx([["NIK", "Nama"], [SITI, "Siti"]], expanded=120 << 20)
    with pytest.raises(FileProblem, match="mengembang 10[0-9][0-9] kali"):
        services.run_import(actor=admin_dinas, kind="members", data=bomb, name="a.xlsx", cooperative=janju)


def test_a_zip_directory_that_lies_about_the_size_is_refused_as_damaged(admin_dinas, janju):
    bomb = expanding_xlsx([["NIK", "Nama"], [SITI, "Siti"]], expanded=64 << 20, declared=4000)
    with pytest.raises(FileProblem, match="rusak"):
        services.run_import(actor=admin_dinas, kind="members", data=bomb, name="a.xlsx", cooperative=janju)


@pytest.mark.parametrize(("cell", "reached"), [("A900000", "baris 900.000"), ("ZZ100000", "kolom 702")])
def test_a_small_file_whose_sheet_reaches_far_is_refused(admin_dinas, janju, cell, reached):
    book = Workbook()
    book.active.append(["NIK", "Nama"])
    book.active[cell] = "x"
    target = io.BytesIO()
    book.save(target)
    with pytest.raises(FileProblem, match=reached):
        services.run_import(actor=admin_dinas, kind="members", data=target.getvalue(), name="a.xlsx", cooperative=janju)


def test_the_limits_are_settings(settings, admin_dinas, janju):
    data = xlsx([HEADERS, *([i, SITI, "Siti", "", "", "", ""] for i in range(60))])
    settings.IMPORT_MAX_ROWS = 50
    with pytest.raises(FileProblem, match="baris 61"):
        services.run_import(actor=admin_dinas, kind="members", data=data, name="a.xlsx", cooperative=janju)
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_CELLS = 1000, 26 * 60
    with pytest.raises(FileProblem, match="1.560 sel"):
        services.run_import(actor=admin_dinas, kind="members", data=data, name="a.xlsx", cooperative=janju)


# ------------------------------------------------------------------------------------------------ merged cells


def test_a_dusun_merged_over_three_members_applies_to_all_three_and_the_preview_says_so(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    batch = send_members(client, janju, (CASES / "imports" / "merged-dusun-cell.xlsx").read_bytes())
    notes = [m["text"] for m in batch.summary["messages"] if m["level"] == "info"]
    assert any("D2:D4 (Dusun)" in text and "diisi ke bawah" in text for text in notes), notes
    assert batch.summary["filled"] == ["D2:D4 (Dusun)"]
    assert "D2:D4 (Dusun)" in client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    client.post(reverse("imports:confirm", args=[batch.pk]))
    dusun = dict(Member.objects.values_list("name", "dusun"))
    assert dusun == {
        "Budi Santoso": "Dusun Sukamaju",
        "Siti Aminah": "Dusun Sukamaju",
        "Rahmat Hidayat": "Dusun Sukamaju",
        "Dewi Lestari": "Dusun Harapan",
    }


def test_a_merged_title_over_the_header_is_not_filled_into_the_data(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = xlsx([["DAFTAR ANGGOTA"], HEADERS, [1, SITI, "Siti", "Dusun I", "1", "11/05/2025", 100000]], merge_title=7)
    batch = send_members(client, janju, data)
    assert batch.summary["filled"] == [] and batch.summary["new"] == 1


# -------------------------------------------------------------------------------------------- rows never vanish


def test_a_village_named_kepala_is_a_data_row_and_the_rows_after_it_still_count(client, programme, admin_dinas):
    assert Region.objects.get(code=KEPALA_TELAKE).name == "Kepala Telake"
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["Kode Desa", "Nama Desa", "Kecamatan", "Status Tahapan"],
            ["", "Kepala Telake", "Long Kali", "Sosialisasi"],
            ["", "Janju", "Tanah Grogot", ""],
            ["", "Sungai Terik", "Batu Sopang", "Sosialisasi"],
            ["", "", "", ""],
            ["", "Mengetahui,", "", ""],
            ["", "Kepala Dinas", "", ""],
            ["", "H. ABDUL RASYID", "", ""],
        ]
    )
    batch = send_status(client, data)
    assert errors_of(batch) == {3: ["Tahapan kosong."]}  # Janju has no stage: an error, never dropped
    assert batch.summary["changed"] == 2
    assert [r["row"] for r in batch.summary["skipped_rows"]] == [6, 7, 8]
    assert {r["reason"] for r in batch.summary["skipped_rows"]} == {"bagian blok tanda tangan"}


def test_a_row_gets_every_reason_it_is_refused_not_only_the_first(client, programme, admin_dinas, janju):
    client.force_login(admin_dinas)
    status = send_status(
        client, xlsx([["Kode Desa", "Nama Desa", "Status Tahapan"], ["", "Kasungay", "Proses tak jelas"]])
    )
    texts = errors_of(status)[2]
    assert len(texts) == 2 and any("Tahapan" in t for t in texts) and any("Kasungay" in t for t in texts), texts
    members = send_members(
        client, janju, xlsx([HEADERS, [1, "12345", "Siti", "Dusun I", "1", "kemarin", "seratus ribu"]])
    )
    texts = errors_of(members)[2]
    assert len(texts) == 3, texts  # the NIK, the date and the amount


def test_a_formula_without_a_value_in_the_village_cell_gets_its_own_message(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["Kode Desa", "Nama Desa", "Status Tahapan", "Catatan"],
            ["", "=D3", "Sosialisasi", "Janju"],
            ["", "", "", "=1+1"],
            ["", "JUMLAH", "=COUNTA(C2:C3)", ""],  # a subtotal's formula: the row is skipped, no error
        ]
    )
    batch = send_status(client, data)
    assert batch.summary["skipped_rows"] == [{"row": 4, "reason": "baris subtotal"}]
    members = send_members(
        client,
        case_for(JANJU),
        xlsx([HEADERS, [1, SITI, "=B9", "", "", "", ""], ["", "", "JUMLAH", "", "", "", "=SUM(G2:G2)"]]),
    )
    assert list(errors_of(members)) == [2] and "Sel C2 (Nama Anggota)" in errors_of(members)[2][0]
    assert members.summary["skipped_rows"] == [{"row": 3, "reason": "baris subtotal"}]
    assert errors_of(batch) == {
        2: [
            "Sel B2 (Nama Desa) berisi rumus tanpa nilai terhitung: terbaca kosong. Buka berkasnya di Excel lalu "
            "simpan ulang, atau tempel nilainya saja."
        ],
        3: [
            "Sel D3 (Catatan) berisi rumus tanpa nilai terhitung: terbaca kosong. Buka berkasnya di Excel lalu "
            "simpan ulang, atau tempel nilainya saja."
        ],
    }


# -------------------------------------------------------------------------------------- columns mapped by hand


def test_a_hand_made_layout_is_read_by_name_and_its_unknown_column_mapped_once(client, admin_dinas, janju):
    """Another column order, extra columns, one the synonyms do not know: the admin maps it once; the next file of
    the same layout is read the same way without asking."""
    client.force_login(admin_dinas)
    headers = ["Alamat Dusun", "Nama Lengkap", "Hobi", "NIK KTP", "Setoran Awal", "Tgl Daftar"]
    first = [headers, ["Dusun I", "Siti Aminah", "voli", SITI, "Rp 100.000", "11/05/2025"]]
    batch = send_members(client, janju, xlsx(first))
    summary = batch.summary
    assert summary["errors"] == 0 and summary["new"] == 1
    assert summary["unknown_columns"] == [[2, "Hobi"], [4, "Setoran Awal"]]
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'name="column-4"' in page and "Simpanan Pokok" in page

    response = client.post(reverse("imports:map_columns", args=[batch.pk]), {"column-4": "nik"})
    assert response.status_code == 302 and ColumnLayout.objects.count() == 0  # NIK is read already: refused
    client.post(reverse("imports:map_columns", args=[batch.pk]), {"column-4": "simpanan_pokok", "column-2": ""})
    batch.refresh_from_db()
    assert batch.summary["unknown_columns"] == [[2, "Hobi"]]
    assert batch.summary["new_rows"][0]["name"] == "Siti Aminah"
    assert AuditEntry.objects.filter(action="imports.map_columns").count() == 1
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Member.objects.get(nik=SITI).simpanan_pokok == 100000

    second = send_members(client, janju, xlsx([headers, ["Dusun II", "Budi", "catur", BUDI, 50000, "12/05/2025"]]))
    assert second.summary["read_columns"]["simpanan_pokok"] == "Setoran Awal"
    client.post(reverse("imports:confirm", args=[second.pk]))
    assert Member.objects.get(nik=BUDI).simpanan_pokok == 50000


# ------------------------------------------------------------------------------------------- import by choice


def test_the_valid_rows_are_imported_by_choice_and_the_rest_downloads_to_fix(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            HEADERS + ["Catatan"],
            [1, SITI, "Siti Aminah", "Dusun I", "1", "11/05/2025", 100000, ""],
            [2, "6401 04", "@SUM(1)", "Dusun I", "1", "11/05/2025", "banyak", "-1"],
            [3, SRI, "Sri Wahyuni", "Dusun II", "2", "11/05/2025", 100000, ""],
        ]
    )
    batch = send_members(client, janju, data)
    assert batch.status == BatchStatus.INVALID and (batch.summary["new"], batch.summary["error_rows"]) == (2, 1)
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="valid-only-form"' in page and 'data-testid="confirm-form"' not in page

    response = client.post(reverse("imports:confirm", args=[batch.pk]))  # all or nothing stays the default
    assert response.status_code == 302 and not Member.objects.exists()
    client.post(reverse("imports:confirm", args=[batch.pk]), {"mode": "valid"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED and batch.summary["left_out"] == 1
    assert set(Member.objects.values_list("nik", flat=True)) == {SITI, SRI}
    assert AuditEntry.objects.get(action="imports.members").after["left_out_rows"] == [3]

    download = client.get(reverse("imports:left_out", args=[batch.pk]))
    assert download.status_code == 200 and "baris-ditolak" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [*HEADERS, "Catatan", "Baris asal", "Kesalahan"]
    assert rows[1][:7] == [2, "6401 04", "@SUM(1)", "Dusun I", "1", "11/05/2025", "banyak"]
    assert sheet["C2"].data_type == "s"  # user text stays text, never a formula
    assert rows[1][8] == 3 and "NIK" in rows[1][9] and "banyak" in rows[1][9]

    written = (Member.objects.count(), AuditEntry.objects.count())
    again = send_members(client, janju, data)
    assert again.status == BatchStatus.INVALID and (again.summary["new"], again.summary["changed"]) == (0, 0)
    assert 'data-testid="valid-only-form"' not in client.get(reverse("imports:batch", args=[again.pk])).content.decode()
    client.post(reverse("imports:confirm", args=[again.pk]), {"mode": "valid"})
    assert (Member.objects.count(), AuditEntry.objects.count()) == written

    fixed = [rows[0][:8], [2, BUDI, "Budi", "Dusun I", "1", "11/05/2025", 100000, ""]]
    third = send_members(client, janju, xlsx(fixed))
    assert third.status == BatchStatus.PREVIEWED and third.summary["new"] == 1


def test_a_status_sheet_imports_its_valid_villages_and_leaves_the_unknown_one_out(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    headers = ["No", "Kode Desa", "Nama Desa", "Kecamatan", "Status Tahapan", "Tanggal Musdesus"]
    data = xlsx(
        [
            headers,
            [1, JANJU, "Janju", "Tanah Grogot", "Sudah Musdes", "16/05/2025"],
            [2, "", "Kasungay", "Batu Sopang", "Sosialisasi", ""],
            [3, SUNGAI_TERIK, "Sungai Terik", "Batu Sopang", "Sosialisasi", ""],
        ]
    )
    batch = send_status(client, data)
    assert batch.status == BatchStatus.INVALID and (batch.summary["changed"], batch.summary["error_rows"]) == (2, 1)
    client.post(reverse("imports:confirm", args=[batch.pk]), {"mode": "valid"})
    assert (case_for(JANJU).stage, case_for(SUNGAI_TERIK).stage) == (4, 1)
    download = client.get(reverse("imports:left_out", args=[batch.pk]))
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows()
    ]
    assert rows[0] == [*headers, "Baris asal", "Kesalahan"] and len(rows) == 2
    assert rows[1][:6] == [2, None, "Kasungay", "Batu Sopang", "Sosialisasi", None] and rows[1][6] == 3
    assert "Kasungai (Kec. Batu Sopang, 64.01.01.2014)" in rows[1][7]
    moves = StageMove.objects.count()
    again = send_status(client, data)
    assert (again.summary["changed"], again.summary["error_rows"]) == (0, 1)
    assert StageMove.objects.count() == moves


def test_the_command_imports_the_valid_rows_only_when_asked(admin_dinas, janju, tmp_path, capsys):
    path = tmp_path / "anggota.xlsx"
    path.write_bytes(xlsx([HEADERS, [1, SITI, "Siti", "", "", "", ""], [2, "12", "Budi", "", "", "", ""]]))
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--cooperative", JANJU, "--user", "admin.dinas")
    assert not Member.objects.exists()
    call_command("import_members", str(path), "--cooperative", JANJU, "--user", "admin.dinas", "--valid-only")
    assert "Baris 3: Kesalahan" in capsys.readouterr().out
    assert list(Member.objects.values_list("nik", flat=True)) == [SITI]
    assert AuditEntry.objects.get(action="imports.members").after["left_out_rows"] == [3]


def test_a_file_error_leaves_nothing_to_import_by_choice(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    batch = send_members(client, janju, xlsx([HEADERS, [1, "123", "Siti", "", "", "", ""]]))
    assert batch.status == BatchStatus.INVALID and batch.summary["new"] == 0
    client.post(reverse("imports:confirm", args=[batch.pk]), {"mode": "valid"})
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.INVALID and not Member.objects.exists()


# --------------------------------------------------------------------------------- moves dated by the sheet


def test_imported_moves_carry_the_sheets_dates_into_the_trend_and_stalled(client, programme, admin_dinas):
    age_everything(400)  # the programme started long ago
    musdesus = timezone.localdate() - timedelta(days=60)
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["Kode Desa", "Nama Desa", "Status Tahapan", "Tanggal Musdesus", "Tanggal SK AHU", "Nomor SK AHU"],
            [JANJU, "Janju", "SK AHU", "16/05/2025", "13/06/2025", "AHU-0001.AH.01.29"],
            [SUNGAI_TERIK, "Sungai Terik", "Musdesus", musdesus.strftime("%d/%m/%Y"), "", ""],
        ]
    )
    before = timezone.now()
    batch = send_status(client, data)
    client.post(reverse("imports:confirm", args=[batch.pk]))
    move = StageMove.objects.get(cooperative=case_for(JANJU), kind=MoveKind.VERIFIED)
    assert move.at >= before  # recorded at the import
    assert move.happened_at == datetime(2025, 6, 13, 4, 0, tzinfo=UTC)  # 13 June 2025 12:00 WITA
    page = client.get(reverse("formation:case_detail", args=[case_for(JANJU).pk])).content.decode()
    assert "terjadi 13 Juni 2025 · dicatat" in page  # the case's history shows both dates
    board = overview(Region.objects.get(code=PASER))
    weeks = {w.start: w.formed for w in board.weeks}
    assert weeks[date(2025, 6, 9)] == 1  # the week of the SK, not the week of the import
    assert sum(weeks.values()) == 1
    terik = StageMove.objects.get(cooperative=case_for(SUNGAI_TERIK), kind=MoveKind.VERIFIED)
    assert terik.happened_at.date() == musdesus
    # Sungai Terik's Musdesus was two months ago and nothing happened since: stalled like every village but Janju
    # (formed), though imported just now
    below = Cooperative.objects.filter(region_code__startswith="64.01.", stage__lt=8).count()
    assert case_for(JANJU).stage == 8 and board.stalled_count == below


def test_a_sheet_whose_nik_column_has_an_unknown_header_is_mapped_instead_of_refused(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    headers = ["No. Identitas", "Nama", "Dusun"]
    batch = send_members(client, janju, xlsx([["REKAP ANGGOTA"], headers, [SITI, "Siti Aminah", "Dusun I"]]))
    assert batch.status == BatchStatus.INVALID and "NIK" in errors_of(batch)[None][0]
    assert batch.summary["unknown_columns"] == [[0, "No. Identitas"]]
    assert batch.summary["read_columns"] == {"name": "Nama", "dusun": "Dusun"}
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="map-columns"' in page and 'data-testid="valid-only-form"' not in page

    client.post(reverse("imports:map_columns", args=[batch.pk]), {"column-0": "nik"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED and batch.summary["new"] == 1
    assert batch.summary["read_columns"]["nik"] == "No. Identitas"
    next_month = send_members(client, janju, xlsx([headers, [BUDI, "Budi", "Dusun II"]]))
    assert next_month.status == BatchStatus.PREVIEWED and next_month.summary["new"] == 1
