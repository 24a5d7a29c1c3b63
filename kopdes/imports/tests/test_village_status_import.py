"""The office's village status sheet: many cases moved at once, through the same flow and the formation services."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU, OFFICE_SAMPLE, PASER, SUNGAI_TERIK
from kopdes.formation.models import Cooperative, StageMove
from kopdes.formation.tests.helpers import advance, case_for, submit
from kopdes.formation.workflow import MoveKind, Pathway
from kopdes.imports.models import BatchStatus, ImportBatch
from kopdes.imports.tests.sheets import upload, xlsx

TANJUNG_ARU = "64.01.02.2006"
KASUNGAI = "64.01.01.2014"
SAMPLE = OFFICE_SAMPLE
HEADERS = ["No", "Kode Desa", "Nama Desa", "Kecamatan", "Status Tahapan", "Tanggal Musdesus", "Nomor Akta", "Ket."]


def status_sheet(kasungai: str = "Kasungay", janju_stage: str = "Sudah Musdes") -> bytes:
    """Merged title, header on row 4, a code without dots, names in capitals with trailing spaces, villages by name
    and kecamatan, dates as text, cell and words, a total row and signatures."""
    return xlsx(
        [
            ["DATA STATUS PEMBENTUKAN KOPERASI DESA/KELURAHAN MERAH PUTIH"],
            ["Kabupaten Paser, keadaan 31 Mei 2025"],
            [],
            HEADERS,
            [1, "6401042002", "JANJU ", "TANAH GROGOT", janju_stage, "16/05/2025", "", ""],
            [2, "", "Sungai Terik ", "Batu Sopang", "Akta Notaris", date(2025, 5, 13), "12", ""],
            [3, "", "tanjung aru", "Kec. Tanjung Harapan", "SK Kemenkum", "13 Mei 2025", "", "sudah SK"],
            [4, "", kasungai, "Batu Sopang", "Belum", "", "", ""],
            ["", "", "JUMLAH", "", "", "", "", ""],
            [],
            ["", "", "", "", "Mengetahui,"],
            ["", "", "", "", "Kepala Dinas Koperasi dan UKM"],
            ["", "", "", "", "H. ABDUL RASYID"],
        ],
        merge_title=8,
    )


def send(client, data: bytes, name: str = "status-desa.xlsx") -> ImportBatch:
    response = client.post(reverse("imports:village_status"), {"file": upload(data, name)})
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.latest("id")


def dashboard(client):
    return client.get(reverse("dashboards:region", args=[PASER])).context["d"]


def test_unknown_village_names_get_their_closest_matches_and_nothing_is_written(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, status_sheet())
    page = client.get(reverse("imports:batch", args=[batch.pk]))
    errors = page.context["errors"]
    assert batch.status == BatchStatus.INVALID and [m["row"] for m in errors] == [8]
    assert "Kasungay" in errors[0]["text"] and "Kasungai (Kec. Batu Sopang, 64.01.01.2014)" in errors[0]["text"]
    assert "Yang paling mirip" in errors[0]["text"]
    assert case_for(JANJU).stage == 0 and not StageMove.objects.filter(source__startswith="impor").exists()


def test_the_fixed_sheet_moves_the_cases_and_the_dashboard(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    before = dashboard(client)
    batch = send(client, status_sheet(kasungai="Kasungai"))
    summary = batch.summary
    assert batch.status == BatchStatus.PREVIEWED
    assert (summary["changed"], summary["unchanged"], summary["errors"], summary["skipped"]) == (3, 1, 0, 4)
    assert [r["row"] for r in summary["skipped_rows"]] == [9, 11, 12, 13]  # the total and the signature block
    rows = {r["row"]: r for r in summary["changed_rows"]}
    assert rows[5]["changes"][0] == ["Tahap", "0 · Belum mulai", "4 · Musdesus terlaksana"]
    assert ["Tanggal pelaksanaan Musdesus", "—", "16/05/2025"] in rows[5]["changes"]
    assert any("Ket." in m["text"] for m in summary["messages"])  # the columns not read are named
    assert case_for(JANJU).stage == 0

    client.post(reverse("imports:confirm", args=[batch.pk]))
    janju, terik, aru = case_for(JANJU), case_for(SUNGAI_TERIK), case_for(TANJUNG_ARU)
    assert (janju.stage, janju.musdesus_date) == (4, date(2025, 5, 16))
    assert (terik.stage, terik.deed_number, terik.musdesus_date) == (7, "12", date(2025, 5, 13))
    assert (aru.stage, aru.musdesus_date) == (8, date(2025, 5, 13))
    move = StageMove.objects.get(cooperative=janju, kind=MoveKind.VERIFIED)
    assert (move.actor, move.source, move.from_stage, move.to_stage) == (admin_dinas, "impor:status-desa.xlsx", 0, 4)
    assert AuditEntry.objects.filter(action="formation.import_stage").count() == 3
    assert AuditEntry.objects.get(action="imports.village_status").after["changed"] == 3
    after = dashboard(client)
    assert (before.funnel[4]["reached"], after.funnel[4]["reached"]) == (0, 3)
    assert after.funnel[8]["reached"] == 1

    again = send(client, status_sheet(kasungai="Kasungai"))
    assert again.status == BatchStatus.NO_CHANGES and again.summary["unchanged"] == 4
    assert "Tidak ada perubahan" in client.get(reverse("imports:batch", args=[again.pk])).content.decode()
    assert StageMove.objects.filter(source__startswith="impor").count() == 3


def test_an_import_never_moves_a_case_back_and_warns_on_the_row(client, programme, admin_dinas):
    advance(case_for(JANJU), 6, submitter=admin_dinas)
    client.force_login(admin_dinas)
    batch = send(client, status_sheet(kasungai="Kasungai"))
    warnings = [m for m in batch.summary["messages"] if m["level"] == "warning"]
    assert any(m["row"] == 5 and "Tidak dimundurkan" in m["text"] for m in warnings), warnings
    assert batch.summary["not_applied"] == 1
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert case_for(JANJU).stage == 6 and case_for(SUNGAI_TERIK).stage == 7


def test_a_case_with_a_pending_submission_is_warned_and_left(client, programme, admin_dinas, operator_janju):
    submit(operator_janju, case_for(JANJU), 1)
    client.force_login(admin_dinas)
    batch = send(client, status_sheet(kasungai="Kasungai"))
    assert any(m["row"] == 5 and "menunggu verifikasi" in m["text"] for m in batch.summary["messages"])
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert case_for(JANJU).stage == 0 and case_for(TANJUNG_ARU).stage == 8


def test_bad_rows_are_errors_with_their_row_numbers(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["Kode Desa", "Nama Desa", "Status", "Tanggal Musdesus"],
            ["64.01.04.20", "", "Sudah Musdes", ""],
            ["6402012001", "", "Sudah Musdes", ""],
            [JANJU, "", "hampir jadi", ""],
            [SUNGAI_TERIK, "", "Musdesus", "01/01/2099"],
            [KASUNGAI, "", "", ""],
            [TANJUNG_ARU, "", "Sosialisasi", ""],
            ["64.01.02.2006", "", "Sosialisasi", ""],
        ]
    )
    batch = send(client, data)
    errors = {m["row"]: m["text"] for m in batch.summary["messages"] if m["level"] == "error"}
    assert set(errors) == {2, 3, 5, 6, 8}, errors
    assert "bukan kode desa" in errors[2] and "bukan desa di wilayah Anda" in errors[3]
    assert "masa depan" in errors[5] and "Tahapan kosong" in errors[6] and "baris 7" in errors[8]
    # A label not understood is no error of the row: it waits for the office's decision, and the row is not moved.
    [label] = batch.summary["labels"]
    assert (label["written"], label["rows"], label["suggested"]) == ("hampir jadi", [4], None)


def test_a_csv_sheet_with_tabs(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    data = "Kode Desa\tTahapan\tTanggal SK AHU\tNomor SK AHU\n6401042002\tSK AHU\t2025-06-02\tAHU-0001.AH.01.29\n"
    batch = send(client, data.encode(), name="status.csv")
    assert batch.status == BatchStatus.PREVIEWED, batch.summary["messages"]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    janju = case_for(JANJU)
    assert (janju.stage, janju.sk_ahu_number, janju.sk_ahu_date) == (8, "AHU-0001.AH.01.29", date(2025, 6, 2))


def test_the_offices_sample_sheet_imports_cleanly_and_a_rerun_writes_nothing(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    summary = batch.summary
    assert summary["sheet"] == "Status Desa" and summary["errors"] == 0, summary["messages"]
    assert batch.status == BatchStatus.PREVIEWED and summary["changed"] == 11
    assert summary["skipped_rows"] == [{"row": 21, "reason": "baris subtotal"}]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.APPLIED
    lori = case_for("64.01.02.2012")  # a row without its village code, found by name and kecamatan
    assert lori.stage == 8 and lori.musdesus_date == date(2025, 5, 25)
    written = (StageMove.objects.count(), AuditEntry.objects.count())

    again = send(client, SAMPLE.read_bytes(), name=SAMPLE.name)
    assert again.status == BatchStatus.NO_CHANGES and again.summary["errors"] == 0
    assert (again.summary["changed"], again.summary["new"]) == (0, 0)
    assert (StageMove.objects.count(), AuditEntry.objects.count()) == written


def test_the_command_imports_the_sheet(programme, admin_dinas, tmp_path, capsys):
    path = tmp_path / "status.xlsx"
    path.write_bytes(status_sheet())
    with pytest.raises(CommandError):
        call_command("import_village_status", str(path), "--user", "admin.dinas")
    assert "Baris 8: Kesalahan: Desa “Kasungay” tidak dikenal" in capsys.readouterr().out
    path.write_bytes(status_sheet(kasungai="Kasungai"))
    call_command("import_village_status", str(path), "--user", "admin.dinas", "--dry-run")
    assert case_for(JANJU).stage == 0
    call_command("import_village_status", str(path), "--user", "admin.dinas")
    assert case_for(JANJU).stage == 4 and "Diimpor" in capsys.readouterr().out
    move = StageMove.objects.get(cooperative=case_for(JANJU), kind=MoveKind.VERIFIED)
    assert move.source == "impor:status.xlsx"


def test_the_nav_shows_import_to_the_office_only(client, programme, admin_dinas, camat_batu_sopang):
    client.force_login(admin_dinas)
    assert "Impor data" in client.get(reverse("web:home")).content.decode()
    client.force_login(camat_batu_sopang)
    assert "Impor data" not in client.get(reverse("web:home")).content.decode()
    assert client.get(reverse("imports:village_status")).status_code == 404


def test_missing_numbers_are_warned_and_a_new_cooperatives_deed_before_its_musdesus_is_an_error(
    client, programme, admin_dinas
):
    client.force_login(admin_dinas)
    rows = [
        ["Kode Desa", "Tahapan", "Tanggal Musdesus", "Tanggal Akta"],
        [JANJU, "SK AHU", "20/05/2025", "10/05/2025"],
    ]
    batch = send(client, xlsx(rows))
    errors = [m for m in batch.summary["messages"] if m["level"] == "error"]
    assert [m["row"] for m in errors] == [2], errors
    text = errors[0]["text"]
    assert "Akta" in text and "(10/05/2025) lebih awal daripada" in text and "(20/05/2025)" in text
    assert batch.status == BatchStatus.INVALID
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 302
    assert case_for(JANJU).stage == 0 and not StageMove.objects.filter(source__startswith="impor").exists()

    # An existing cooperative (pengembangan) brings its older deed: imported, with the missing numbers warned.
    Cooperative.objects.filter(pk=case_for(JANJU).pk).update(pathway=Pathway.PENGEMBANGAN)
    batch = send(client, xlsx(rows))
    assert batch.summary["errors"] == 0, batch.summary["messages"]
    warnings = [m["text"] for m in batch.summary["messages"] if m["level"] == "warning"]
    assert any("nomor SK AHU" in w and "Nomor akta" in w for w in warnings), warnings
    client.post(reverse("imports:confirm", args=[batch.pk]))
    janju = case_for(JANJU)
    assert (janju.stage, janju.deed_date, janju.musdesus_date) == (8, date(2025, 5, 10), date(2025, 5, 20))


def test_a_two_level_header_with_merged_group_titles(client, programme, admin_dinas):
    from io import BytesIO

    from openpyxl import Workbook

    client.force_login(admin_dinas)
    book = Workbook()
    ws = book.active
    for row in (
        ["No", "Desa", "Kecamatan", "Musdesus", None, "Akta Notaris", None, "Tahapan"],
        [None, None, None, "Tanggal", "Nomor BA", "Nomor", "Tanggal", None],
        [1, "Janju", "Tanah Grogot", "16/05/2025", "BA-1", "17", "20/05/2025", "Akta Notaris"],
    ):
        ws.append(row)
    ws.merge_cells("D1:E1")
    ws.merge_cells("F1:G1")
    target = BytesIO()
    book.save(target)
    batch = send(client, target.getvalue())
    assert batch.status == BatchStatus.PREVIEWED, batch.summary["messages"]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    janju = case_for(JANJU)
    assert (janju.stage, janju.musdesus_date, janju.deed_number, janju.deed_date) == (
        7,
        date(2025, 5, 16),
        "17",
        date(2025, 5, 20),
    )


def test_group_titles_totals_and_signatures_anywhere_are_skipped(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["Kode Desa", "Nama Desa", "Tahapan", "Keterangan"],
            ["", "KECAMATAN TANAH GROGOT", "", ""],
            [JANJU, "Janju", "Sosialisasi", "Jumlah peserta 40 orang"],
            ["JUMLAH", "", 12, ""],
            ["", "Mengetahui,", "", ""],
            ["", "Kepala Dinas", "", ""],
            ["", "H. ABDUL RASYID", "", ""],
            ["", "NIP. 19700101 199903 1 001", "", ""],
        ]
    )
    batch = send(client, data)
    assert (batch.status, batch.summary["changed"], batch.summary["skipped"]) == (BatchStatus.PREVIEWED, 1, 6)


def test_a_known_village_without_a_stage_is_an_error(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send(client, xlsx([["Nama Desa", "Kecamatan", "Tahapan"], ["Janju", "Tanah Grogot", ""]]))
    assert [m["row"] for m in batch.summary["messages"] if m["level"] == "error"] == [2]
