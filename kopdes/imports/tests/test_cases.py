"""The field cases (kopdes/tests/fixtures/cases/imports/, copied from the project's case list, names and NIKs made
up), each through the import screens with its right answer, and other inputs of the same kinds: NIKs in number
cells or other digit scripts, leaving before joining, rupiah as people write it, stage labels as clerks write them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.clock import local_today
from kopdes.conftest import CASES as FIELD_CASES
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.cooperatives.models import Member, MemberStatus
from kopdes.formation.models import StageMove
from kopdes.formation.tests.helpers import case_for
from kopdes.imports.models import BatchStatus, ImportBatch, StageLabelDecision
from kopdes.imports.tests.sheets import upload, xlsx
from kopdes.imports.tests.test_members_import import arabic_indic

CASES = FIELD_CASES / "imports"
KELADEN, TANJUNG_ARU, KASUNGAI = "64.01.02.2004", "64.01.02.2006", "64.01.01.2014"
BUDI = "6401041505900013"  # the real NIKs of the number-cell case end in 13 and 27
SITI = "6401045505900027"


@pytest.fixture
def janju(programme):
    return case_for(JANJU)


def send_members(client, cooperative, data: bytes, name: str) -> ImportBatch:
    response = client.post(reverse("imports:members", args=[cooperative.pk]), {"file": upload(data, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def send_status(client, data: bytes, name: str = "status-desa.xlsx") -> ImportBatch:
    response = client.post(reverse("imports:village_status"), {"file": upload(data, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


def errors_by_row(batch: ImportBatch) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for message in batch.summary["messages"]:
        if message["level"] == "error":
            found.setdefault(message["row"], []).append(message["text"])
    return found


def confirm(client, batch: ImportBatch) -> str:
    return client.post(reverse("imports:confirm", args=[batch.pk]), follow=True).content.decode()


# ---------------------------------------------------------------------------------------------------------- NIK


def test_niks_in_number_cells_are_refused_on_each_row_with_the_way_to_fix_them(client, admin_dinas, janju):
    """Excel kept 15 digits: the NIKs ending in 13 and 27 were stored as …10 and …20. Neither is imported."""
    client.force_login(admin_dinas)
    batch = send_members(client, janju, (CASES / "nik-in-number-cell.xlsx").read_bytes(), "nik-in-number-cell.xlsx")

    errors = errors_by_row(batch)
    assert batch.status == BatchStatus.INVALID and set(errors) == {2, 3}, errors
    for row in (2, 3):
        assert any("sel angka" in text and "Format kolom NIK sebagai teks" in text for text in errors[row]), errors
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Baris 2" in page and "Baris 3" in page and "Format kolom NIK sebagai teks" in page
    assert "tidak dapat diimpor" in confirm(client, batch)
    assert not Member.objects.exists()


def test_a_nik_below_two_to_the_53_in_a_number_cell_is_refused_too(client, admin_dinas, janju):
    """The limit is Excel's 15 digits, not a float's 2^53: a 16-digit NIK in any number cell has lost its last digit."""
    client.force_login(admin_dinas)
    batch = send_members(client, janju, xlsx([["NIK", "Nama"], [int(SITI), "Siti"]]), "angka.xlsx")
    assert int(SITI) < 2**53
    assert any("sel angka" in text for text in errors_by_row(batch)[2])
    assert not Member.objects.exists()


def test_the_same_nik_in_arabic_indic_and_ascii_digits_is_one_member(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    both = xlsx([["NIK", "Nama"], [BUDI, "Budi Santoso"], [arabic_indic(BUDI), "Budi Santoso"]])
    batch = send_members(client, janju, both, "dua-kali.xlsx")
    assert any("baris 2" in text for text in errors_by_row(batch)[3]), batch.summary["messages"]

    first = send_members(client, janju, xlsx([["NIK", "Nama"], [arabic_indic(BUDI), "Budi Santoso"]]), "a.xlsx")
    confirm(client, first)
    assert list(Member.objects.values_list("nik", flat=True)) == [BUDI]  # stored in ASCII digits

    again = send_members(client, janju, xlsx([["NIK", "Nama"], [BUDI, "Budi Santoso"]]), "b.xlsx")
    assert again.status == BatchStatus.NO_CHANGES and again.summary["unchanged"] == 1
    spaced = send_members(
        client, janju, xlsx([["NIK", "Nama"], [arabic_indic("6401 0415 0590 0013"), "Budi Santoso"]]), "c.xlsx"
    )
    assert spaced.status == BatchStatus.NO_CHANGES
    assert Member.objects.count() == 1


def test_a_nik_in_a_script_that_is_not_digits_is_refused_by_name(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    batch = send_members(client, janju, xlsx([["NIK", "Nama"], ["6401O41505900013", "Budi"]]), "huruf.xlsx")
    assert any("“O”" in text and "bukan angka" in text for text in errors_by_row(batch)[2])


# -------------------------------------------------------------------------------------------------------- dates


def test_leaving_before_joining_is_an_error_on_its_row(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    batch = send_members(client, janju, (CASES / "left-before-join.csv").read_bytes(), "left-before-join.csv")

    errors = errors_by_row(batch)
    assert batch.status == BatchStatus.INVALID and set(errors) == {2}, batch.summary["messages"]
    assert any("keluar (1 Januari 2025) sebelum bergabung (10 Juni 2025)" in text for text in errors[2]), errors
    assert not Member.objects.exists()


def test_leaving_or_joining_in_the_villages_future_is_an_error(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    tomorrow = local_today(JANJU).toordinal() + 1
    later = date.fromordinal(tomorrow).strftime("%d/%m/%Y")
    sheet = f"NIK,Nama,Tanggal Masuk,Tanggal Keluar\n{BUDI},Budi,10/06/2025,{later}\n{SITI},Siti,{later},\n"
    batch = send_members(client, janju, sheet.encode(), "masa-depan.csv")

    errors = errors_by_row(batch)
    assert set(errors) == {2, 3}, batch.summary["messages"]
    assert any("Tanggal keluar" in t and "masa depan" in t for t in errors[2]), errors
    assert any("Tanggal masuk" in t and "masa depan" in t for t in errors[3]), errors
    assert not Member.objects.exists()


def test_a_member_who_died_is_imported_as_left_without_a_date(client, admin_dinas, janju):
    """The second row of the case file: "Meninggal" and no date of leaving is a member who left."""
    client.force_login(admin_dinas)
    sheet = (CASES / "left-before-join.csv").read_text().splitlines()
    batch = send_members(client, janju, "\n".join([sheet[0], sheet[2]]).encode(), "meninggal.csv")
    confirm(client, batch)
    siti = Member.objects.get(nik=SITI)
    assert (siti.status, siti.left_date, siti.join_date) == (MemberStatus.LEFT, None, date(2025, 6, 10))


# -------------------------------------------------------------------------------------------------------- money


def test_rupiah_written_the_indonesian_way_is_imported(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    batch = send_members(client, janju, (CASES / "rupiah-forms.csv").read_bytes(), "rupiah-forms.csv")
    assert batch.status == BatchStatus.PREVIEWED, batch.summary["messages"]
    confirm(client, batch)
    budi = Member.objects.get(nik=BUDI)
    assert (budi.simpanan_pokok, budi.simpanan_wajib) == (Decimal("100000"), Decimal("10000"))


@pytest.mark.parametrize(
    "pokok, wajib",
    [
        ("Rp. 1.000.000,00", "100 rb"),
        ("1.000.000", "Rp100.000"),
        ("1 jt", "100.000,00"),
        ("Rp 1.000.000", "IDR 100.000,-"),
    ],
)
def test_other_rupiah_forms_in_a_sheet_give_the_same_amounts(client, admin_dinas, janju, pokok, wajib):
    client.force_login(admin_dinas)
    batch = send_members(
        client, janju, f"NIK;Nama;Simpanan Pokok;Simpanan Wajib\n{BUDI};Budi;{pokok};{wajib}\n".encode(), "r.csv"
    )
    confirm(client, batch)
    budi = Member.objects.get(nik=BUDI)
    assert (budi.simpanan_pokok, budi.simpanan_wajib) == (Decimal("1000000"), Decimal("100000"))


def test_a_refused_amount_shows_the_accepted_forms_and_an_ambiguous_one_both_readings(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    sheet = f"NIK;Nama;Simpanan Pokok;Simpanan Wajib\n{BUDI};Budi;lima ribu;1,500\n"
    batch = send_members(client, janju, sheet.encode(), "salah.csv")
    [pokok, wajib] = errors_by_row(batch)[2]
    assert pokok.startswith("Simpanan pokok") and "Rp 100.000,-" in pokok and "1,5 jt" in pokok
    assert wajib.startswith("Simpanan wajib") and "1,50" in wajib and "1.500" in wajib
    assert not Member.objects.exists()


# -------------------------------------------------------------------------------------------------- stage labels


def _labels_page(client, batch) -> str:
    return client.get(reverse("imports:batch", args=[batch.pk])).content.decode()


def test_a_step_under_way_is_never_counted_as_done_and_is_put_to_the_office(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    data = (CASES / "stage-in-progress-labels.xlsx").read_bytes()
    batch = send_status(client, data, "stage-in-progress-labels.xlsx")

    labels = {group["written"]: group for group in batch.summary["labels"]}
    assert set(labels) == {"Proses Akta Notaris", "Proses SK AHU"}, batch.summary
    akta, sk = labels["Proses Akta Notaris"], labels["Proses SK AHU"]
    assert (akta["rows"], akta["suggested"], sk["rows"], sk["suggested"]) == ([2], 6, [3], 7)
    assert (
        akta["meaning"] == "“Akta notaris” sedang berjalan, belum selesai: tahap sebelumnya, 6 · Nama dipesan (SABH)."
    )
    assert (batch.summary["changed"], batch.summary["errors"], batch.summary["not_applied"]) == (0, 0, 2)
    page = _labels_page(client, batch)
    assert 'data-testid="labels-form"' in page and "Proses Akta Notaris" in page and "Proses SK AHU" in page

    assert batch.status == BatchStatus.NO_CHANGES and 'data-testid="confirm-form"' not in page
    assert "Menunggu keputusan Anda" in page and "Tidak ada perubahan" not in page  # not "already in the system"
    confirm(client, batch)
    assert case_for(KELADEN).stage == 0 and case_for(TANJUNG_ARU).stage == 0  # never moved before a decision
    assert not StageMove.objects.filter(source__startswith="impor").exists()


def test_the_office_decides_a_label_once_and_the_decision_holds_for_the_regency(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send_status(client, (CASES / "stage-in-progress-labels.xlsx").read_bytes(), "proses.xlsx")
    order = [group["written"] for group in batch.summary["labels"]]
    choice = {"Proses Akta Notaris": "6", "Proses SK AHU": "-"}  # the stage before the deed; leave the SK rows out
    response = client.post(
        reverse("imports:decide_labels", args=[batch.pk]),
        {f"label-{i}": choice[written] for i, written in enumerate(order)},
    )
    assert response.status_code == 302

    batch.refresh_from_db()
    assert batch.status == BatchStatus.PREVIEWED and batch.summary["labels"] == []
    assert batch.summary["changed"] == 1 and batch.summary["changed_rows"][0]["row"] == 2
    infos = [m["text"] for m in batch.summary["messages"] if m["row"] == 3]
    assert any("Proses SK AHU" in text and "tidak diimpor" in text for text in infos), batch.summary["messages"]
    decisions = dict(StageLabelDecision.objects.filter(regency_code="64.01").values_list("label", "stage"))
    assert decisions == {"proses akta notaris": 6, "proses sk ahu": None}
    entry = AuditEntry.objects.get(action="imports.stage_labels")
    assert entry.actor == admin_dinas and entry.after["labels"] == {"proses akta notaris": 6, "proses sk ahu": None}

    confirm(client, batch)
    assert case_for(KELADEN).stage == 6 and case_for(TANJUNG_ARU).stage == 0
    move = StageMove.objects.get(cooperative=case_for(KELADEN), to_stage=6)
    assert move.reason == "dari label “Proses Akta Notaris”" and move.source == "impor:proses.xlsx"

    # The regency's next sheet, the label written in other capitals and punctuation: no question, the decision holds.
    later = xlsx([["Kode Desa", "Status Tahapan"], [JANJU, "PROSES AKTA NOTARIS."], [SUNGAI_TERIK, "proses sk-ahu"]])
    second = send_status(client, later, "minggu-depan.xlsx")
    assert second.summary["labels"] == [] and second.summary["changed"] == 1, second.summary
    confirm(client, second)
    assert case_for(JANJU).stage == 6 and case_for(SUNGAI_TERIK).stage == 0
    move = StageMove.objects.get(cooperative=case_for(JANJU), to_stage=6)
    assert move.reason == "dari label “PROSES AKTA NOTARIS.”"


def test_a_decision_outside_the_stage_list_is_refused_and_nothing_is_kept(client, programme, admin_dinas):
    client.force_login(admin_dinas)
    batch = send_status(client, (CASES / "stage-in-progress-labels.xlsx").read_bytes(), "proses.xlsx")
    response = client.post(reverse("imports:decide_labels", args=[batch.pk]), {"label-0": "42"}, follow=True)
    assert "Pilih tahap dari daftar." in response.content.decode()
    assert not StageLabelDecision.objects.exists()
    assert not AuditEntry.objects.filter(action="imports.stage_labels").exists()


@pytest.mark.parametrize("label", ["MUSDESUS SELESAI", "Musdesus sdh dilaksanakan", "musdesus (sudah)", "Musdes ✓"])
def test_a_clerks_way_of_writing_musdesus_held_is_understood(client, programme, admin_dinas, label):
    client.force_login(admin_dinas)
    batch = send_status(
        client, xlsx([["Kode Desa", "Status Tahapan", "Tanggal Musdesus"], [JANJU, label, "16/05/2025"]])
    )
    assert batch.status == BatchStatus.PREVIEWED and batch.summary["labels"] == [], batch.summary
    confirm(client, batch)
    janju = case_for(JANJU)
    assert (janju.stage, janju.musdesus_date) == (4, date(2025, 5, 16))
    assert StageMove.objects.get(cooperative=janju, to_stage=4).reason == f"dari label “{label}”"


def test_a_hand_made_layout_with_other_columns_capitals_and_punctuation(client, programme, admin_dinas):
    """Columns in another order with extra ones, a header in capitals, labels in capitals with punctuation."""
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["KETERANGAN", "TAHAPAN", "NAMA DESA", "KECAMATAN", "PETUGAS", "KODE DESA", "TGL MUSDESUS"],
            ["", "MUSDESUS SELESAI.", "Janju", "Tanah Grogot", "Ani", "6401042002", "16-05-2025"],
            ["catatan", "Sosialisasi!!", "Sungai Terik", "Batu Sopang", "Ani", "", ""],
            ["", "Tim  Fasilitator ✓", "", "", "Ani", "64.01.01.2014", ""],
        ]
    )
    batch = send_status(client, data, "buatan-tangan.xlsx")
    assert batch.status == BatchStatus.PREVIEWED, batch.summary["messages"]
    assert batch.summary["labels"] == [] and batch.summary["changed"] == 3
    confirm(client, batch)
    assert (case_for(JANJU).stage, case_for(SUNGAI_TERIK).stage, case_for(KASUNGAI).stage) == (4, 1, 2)
    assert case_for(JANJU).musdesus_date == date(2025, 5, 16)
    again = send_status(client, data, "buatan-tangan.xlsx")
    assert again.status == BatchStatus.NO_CHANGES


def test_a_nik_of_a_region_code_given_up_is_an_old_code_warning_not_outside_the_kecamatan(client, admin_dinas, janju):
    """Paser's kecamatan are 64.01.01–64.01.10: 64.01.15 is no code in force (a NIK older than a pemekaran)."""
    client.force_login(admin_dinas)
    old, elsewhere = "6401151505900013", "6401011505900014"  # an old code; Batu Sopang, in force
    batch = send_members(client, janju, xlsx([["NIK", "Nama"], [old, "Budi"], [elsewhere, "Rahmat"]]), "kode.xlsx")
    warned = {m["row"]: m["text"] for m in batch.summary["messages"] if m["level"] == "warning"}
    assert "kode wilayah tidak ada dalam daftar terbaru — mungkin kode lama sebelum pemekaran" in warned[2]
    assert "di luar kecamatan" not in warned[2]
    assert "di luar kecamatan" in warned[3]
    confirm(client, batch)
    assert Member.objects.count() == 2  # warnings never block
