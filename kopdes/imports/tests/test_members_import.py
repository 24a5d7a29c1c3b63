"""Members import through the screens: a messy sheet, its preview, confirm, rerun, errors, stale previews, scope."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.conftest import JANJU
from kopdes.cooperatives.models import HealthSnapshot, Member, MemberStatus
from kopdes.formation.tests.helpers import case_for
from kopdes.imports.models import BatchStatus, ImportBatch
from kopdes.imports.tests.sheets import upload, xlsx
from kopdes.regions.models import Kind, Level, Region
from kopdes.tests.factories import make_user

SITI = "6401044112950003"  # woman, born 1 December 1995, registered in Tanah Grogot
BUDI = "6401040305880001"
ANDI = "6401041506150002"  # born 2015: under 17
RAHMAT = "6401010101900004"  # registered in Batu Sopang, not in Janju's kecamatan
HEADERS = ["No", "NIK", "Nama Anggota", "Dusun", "RT", "Tgl Masuk", "Simpanan Pokok", "Simpanan Wajib", "Keterangan"]


def messy_members(*, wajib_siti=10000) -> bytes:
    """A sheet as a village office makes it: merged title, header on row 4, NIKs as text with an apostrophe, in
    Arabic-Indic digits with hyphens and with spaces (a NIK in a number cell is refused: test_cases.py), names in
    capitals with trailing spaces, every date form, a total and signatures."""
    budi = arabic_indic("6401-0403-0588-0001")
    return xlsx(
        [
            ["DAFTAR ANGGOTA KOPERASI DESA MERAH PUTIH JANJU"],
            ["Kecamatan Tanah Grogot"],
            [],
            HEADERS,
            [1, "'" + SITI, "SITI AMINAH  ", "Dusun I", "003", "11/05/2025", 100000, wajib_siti, ""],
            [2, budi, "Budi Santoso ", " Dusun  II", 4, date(2025, 5, 11), "100.000", "Rp 20.000", ""],
            [3, "6401 0415 0615 0002", "Andi", "Dusun I", "1", "11 Mei 2025", 100000, 0, "anak"],
            [4, RAHMAT, "RAHMAT", "Dusun II", "2", 45788, 100000, 0, ""],
            [5, "6401040101800005", "Sri Wahyuni", "", "", "11-05-2025", 100000, 0, ""],
            [],
            ["", "", "JUMLAH", "", "", "", 500000, 30000, ""],
            [],
            ["", "", "", "", "", "Mengetahui,"],
            ["", "", "", "", "", "Kepala Desa Janju"],
            ["", "", "H. ABDUL RASYID", "", "", ""],
        ],
        merge_title=9,
    )


def arabic_indic(text: str) -> str:
    """The text with its ASCII digits written in Arabic-Indic digits (٠١٢…), as a phone keyboard may type them."""
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def members_url(cooperative) -> str:
    return reverse("imports:members", args=[cooperative.pk])


def send(client, cooperative, data: bytes, name: str = "anggota-janju.xlsx"):
    response = client.post(members_url(cooperative), {"file": upload(data, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.latest("id")


@pytest.fixture
def janju(programme):
    return case_for(JANJU)


def test_a_messy_sheet_is_previewed_then_imported_then_a_rerun_changes_nothing(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    batch = send(client, janju, messy_members())

    page = client.get(reverse("imports:batch", args=[batch.pk]))
    summary = page.context["summary"]
    assert batch.status == BatchStatus.PREVIEWED and Member.objects.count() == 0
    assert (summary["new"], summary["changed"], summary["errors"], summary["skipped"]) == (5, 0, 0, 4)
    # every row with something in it is listed with why it was skipped (blank rows are not rows with content)
    assert [(r["row"], r["reason"]) for r in summary["skipped_rows"]] == [
        (11, "baris subtotal"),
        (13, "bagian blok tanda tangan"),
        (14, "bagian blok tanda tangan"),
        (15, "bagian blok tanda tangan"),
    ]
    assert "Pratinjau" in page.content.decode()
    warned = {(m["row"], m["text"]) for m in summary["messages"] if m["level"] == "warning"}
    assert any(row == 7 and "di bawah 17" in text for row, text in warned), warned
    assert any(row == 8 and "kecamatan" in text for row, text in warned), warned
    assert SITI not in page.content.decode()  # masked in the preview

    response = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert "Diimpor" in response.content.decode()
    siti = Member.objects.get(nik=SITI)
    assert (siti.name, siti.sex, siti.birth_date, siti.rt, siti.join_date) == (
        "Siti Aminah",
        "P",
        date(1995, 12, 1),
        "003",
        date(2025, 5, 11),
    )
    budi = Member.objects.get(nik=BUDI)
    assert (budi.dusun, budi.simpanan_pokok, budi.simpanan_wajib, budi.rt) == ("Dusun II", 100000, 20000, "4")
    assert Member.objects.get(nik=RAHMAT).name == "Rahmat"
    assert set(Member.objects.values_list("join_date", flat=True)) == {date(2025, 5, 11)}
    assert Member.objects.filter(cooperative=janju).count() == 5
    entry = AuditEntry.objects.get(action="imports.members")
    assert entry.actor == admin_dinas and entry.after["new"] == 5
    assert SITI not in str(entry.after) and "640104" in str(entry.after)
    stamps = list(Member.objects.order_by("nik").values_list("updated_at", flat=True))

    again = send(client, janju, messy_members())
    page = client.get(reverse("imports:batch", args=[again.pk]))
    assert again.status == BatchStatus.NO_CHANGES and page.context["summary"]["unchanged"] == 5
    assert "Tidak ada perubahan" in page.content.decode()
    assert 'data-testid="confirm-form"' not in page.content.decode()
    assert list(Member.objects.order_by("nik").values_list("updated_at", flat=True)) == stamps
    assert AuditEntry.objects.filter(action="imports.members").count() == 1


def test_a_changed_row_is_shown_with_before_and_after_and_only_it_is_written(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    client.post(reverse("imports:confirm", args=[send(client, janju, messy_members()).pk]))
    budi_before = Member.objects.get(nik=BUDI).updated_at

    batch = send(client, janju, messy_members(wajib_siti=25000))
    summary = batch.summary
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 1, 4)
    assert summary["changed_rows"][0]["row"] == 5
    assert summary["changed_rows"][0]["changes"] == [["Simpanan wajib", "10.000", "25.000"]]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Member.objects.get(nik=SITI).simpanan_wajib == 25000
    assert Member.objects.get(nik=BUDI).updated_at == budi_before


def test_row_errors_are_numbered_in_indonesian_and_nothing_is_written(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            HEADERS,
            [1, "64010441129X0003", "Siti", "", "", "", 0, 0],
            [2, BUDI, "Budi", "", "", "", 0, 0],
            [3, BUDI, "Budi lagi", "", "", "", 0, 0],
            [4, SITI, "", "", "", "", 0, 0],
            [5, "6401040305880009", "Besok", "", "", "01/01/2099", 0, 0],
            [6, "6401040305880008", "Uang", "", "", "", "lima ribu", 0],
            [7, "6401040305880000", "Nol", "", "", "", 0, 0],
        ]
    )
    batch = send(client, janju, data)
    page = client.get(reverse("imports:batch", args=[batch.pk]))
    errors = {(m["row"], m["text"]) for m in page.context["errors"]}
    assert batch.status == BatchStatus.INVALID
    assert (2, "NIK 64010441129X…: NIK harus tepat 16 angka.") in errors or any(r == 2 for r, _t in errors), errors
    assert any(r == 4 and "baris 3" in t for r, t in errors), errors
    assert any(r == 5 and "Nama kosong" in t for r, t in errors), errors
    assert any(r == 6 and "masa depan" in t for r, t in errors), errors
    assert any(r == 7 and "Simpanan pokok" in t for r, t in errors), errors
    assert any(r == 8 and "0000" in t for r, t in errors), errors
    html = page.content.decode()
    assert "Baris 2" in html and "Tidak ada yang diimpor" in html
    assert 'data-testid="upload-form"' in html  # the fixed file goes up from the same page
    response = client.post(reverse("imports:confirm", args=[batch.pk]), follow=True)
    assert Member.objects.count() == 0 and "tidak dapat diimpor" in response.content.decode()


def test_confirm_applies_only_what_was_previewed(client, admin_dinas, janju):
    """Someone imports another file between this file's preview and its confirmation: the confirmation reports it
    and applies nothing; the fresh preview is stored."""
    client.force_login(admin_dinas)
    first = send(client, janju, messy_members())
    second = send(client, janju, messy_members(wajib_siti=99000), name="lain.xlsx")
    client.post(reverse("imports:confirm", args=[second.pk]))

    response = client.post(reverse("imports:confirm", args=[first.pk]), follow=True)
    first.refresh_from_db()
    assert "berubah setelah pratinjau" in response.content.decode()
    assert Member.objects.get(nik=SITI).simpanan_wajib == 99000
    assert first.status == BatchStatus.PREVIEWED and first.summary["changed"] == 1
    client.post(reverse("imports:confirm", args=[first.pk]))
    assert Member.objects.get(nik=SITI).simpanan_wajib == 10000


def test_a_member_who_left_is_marked_left(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["NIK", "Nama", "Status", "Tanggal Keluar"],
            [SITI, "Siti", "Keluar", "1 Juni 2025"],
            [BUDI, "Budi", "Aktif", ""],
        ]
    )
    client.post(reverse("imports:confirm", args=[send(client, janju, data).pk]))
    siti = Member.objects.get(nik=SITI)
    assert (siti.status, siti.left_date) == (MemberStatus.LEFT, date(2025, 6, 1))
    assert Member.objects.get(nik=BUDI).status == MemberStatus.ACTIVE


def test_csv_with_semicolons_and_windows_encoding(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = f"NIK;Nama;Dusun\r\n'{SITI};Siti Aminah;Lédo\r\n{BUDI};Budi;\r\n".encode("cp1252")
    batch = send(client, janju, data, name="anggota.csv")
    assert batch.summary["new"] == 2 and batch.status == BatchStatus.PREVIEWED
    client.post(reverse("imports:confirm", args=[batch.pk]))
    assert Member.objects.get(nik=SITI).dusun == "Lédo"


def test_the_template_downloads_with_a_text_nik_column(client, admin_dinas):
    import io

    from python_calamine import CalamineWorkbook

    client.force_login(admin_dinas)
    response = client.get(reverse("imports:members_template"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert book.get_sheet_by_name("Anggota").to_python()[0][:2] == ["NIK", "Nama"]
    assert "Petunjuk" in book.sheet_names


@pytest.mark.parametrize("fixture", ["camat_tanah_grogot", "operator_janju", "pimpinan", "pendamping"])
def test_only_the_office_imports(client, janju, admin_dinas, request, fixture):
    client.force_login(admin_dinas)
    batch = send(client, janju, messy_members())
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(members_url(janju)).status_code == 404
    assert client.post(members_url(janju), {"file": upload(messy_members())}).status_code == 404
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert Member.objects.count() == 0


def test_an_office_of_another_regency_gets_404(client, janju, admin_dinas):
    province = Region.objects.get(code="64")
    Region.objects.create(code="64.02", name="Luar", level=Level.KABUPATEN, kind=Kind.KABUPATEN, parent=province)
    other = make_user("admin.luar", Role.ADMIN_DINAS, "64.02")
    client.force_login(admin_dinas)
    batch = send(client, janju, messy_members())
    client.force_login(other)
    assert client.get(members_url(janju)).status_code == 404
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:confirm", args=[batch.pk])).status_code == 404
    assert client.get(reverse("imports:village_status")).status_code == 200  # its own import page
    assert Member.objects.count() == 0


def test_the_command_prints_the_same_messages_and_dry_run_writes_nothing(admin_dinas, janju, tmp_path, capsys):
    path = tmp_path / "anggota.xlsx"
    path.write_bytes(messy_members())
    call_command("import_members", str(path), "--cooperative", JANJU, "--user", "admin.dinas", "--dry-run")
    out = capsys.readouterr().out
    assert "Baris 7: Peringatan" in out and "5 baru" in out and Member.objects.count() == 0

    call_command("import_members", str(path), "--cooperative", str(janju.pk), "--user", "admin.dinas")
    assert Member.objects.filter(cooperative=janju).count() == 5 and "Diimpor" in capsys.readouterr().out
    call_command("import_members", str(path), "--cooperative", JANJU, "--user", "admin.dinas")
    assert "Tidak ada perubahan" in capsys.readouterr().out

    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(xlsx([["NIK", "Nama"], ["12345", "Siapa"]]))
    with pytest.raises(CommandError, match="Tidak ada yang diimpor"):
        call_command("import_members", str(bad), "--cooperative", JANJU, "--user", "admin.dinas")
    assert "Baris 2: Kesalahan" in capsys.readouterr().out


def test_the_command_refuses_a_user_who_does_not_import(janju, camat_tanah_grogot, tmp_path):
    path = tmp_path / "anggota.xlsx"
    path.write_bytes(messy_members())
    with pytest.raises(CommandError):
        call_command("import_members", str(path), "--cooperative", JANJU, "--user", camat_tanah_grogot.username)
    assert Member.objects.count() == 0


def test_a_member_of_another_cooperative_of_the_regency_is_warned(client, admin_dinas, janju):
    from kopdes.conftest import SUNGAI_TERIK

    client.force_login(admin_dinas)
    terik = case_for(SUNGAI_TERIK)
    client.post(reverse("imports:confirm", args=[send(client, terik, xlsx([["NIK", "Nama"], [SITI, "Siti"]])).pk]))
    batch = send(client, janju, xlsx([["NIK", "Nama"], [SITI, "Siti"], [BUDI, "Budi"]]))
    warnings = [m for m in batch.summary["messages"] if m["level"] == "warning"]
    assert [m["row"] for m in warnings] == [2] and terik.name in warnings[0]["text"]
    assert batch.status == BatchStatus.PREVIEWED  # a warning does not block


def test_the_preview_page_makes_a_fixed_number_of_queries(client, admin_dinas, janju, django_assert_max_num_queries):
    rows = [["NIK", "Nama"]] + [[f"64010403058{i:05d}", f"Anggota {i}"] for i in range(1, 301)]
    client.force_login(admin_dinas)
    batch = send(client, janju, xlsx(rows))
    assert batch.summary["new"] == 300 and len(batch.summary["new_rows"]) == 200
    with django_assert_max_num_queries(8):
        page = client.get(reverse("imports:batch", args=[batch.pk]))
    assert "Hanya baris-baris pertama yang ditampilkan" in page.content.decode()


@pytest.mark.parametrize("wanted", ["6401042002", JANJU, "janju", "Desa Janju"])
def test_the_office_finds_a_cooperative_to_import_members_into(client, admin_dinas, janju, wanted):
    client.force_login(admin_dinas)
    response = client.get(reverse("imports:village_status"), {"desa": wanted})
    assert response.status_code == 302 and response["Location"] == members_url(janju)


def test_a_village_outside_the_region_is_not_found(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    response = client.get(reverse("imports:village_status"), {"desa": "Desa Entah"})
    assert response.status_code == 200 and "Tidak ditemukan koperasi" in response.content.decode()


def test_simpanan_as_a_group_title_over_pokok_and_wajib(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["DAFTAR ANGGOTA"],
            ["No", "NIK", "Nama", "Simpanan", None],
            [None, None, None, "Pokok", "Wajib"],
            [1, SITI, "Siti", 100000, 15000],
        ]
    )
    batch = send(client, janju, data)
    assert batch.status == BatchStatus.PREVIEWED, batch.summary["messages"]
    client.post(reverse("imports:confirm", args=[batch.pk]))
    siti = Member.objects.get(nik=SITI)
    assert (siti.simpanan_pokok, siti.simpanan_wajib) == (100000, 15000)


def test_a_total_or_signature_in_the_nik_column_is_skipped(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = xlsx(
        [
            ["NIK", "Nama", "Simpanan Pokok"],
            [SITI, "Siti", 100000],
            ["JUMLAH", "", 100000],
            ["Mengetahui,", "", ""],
            ["", "H. ABDUL RASYID", ""],
            ["NIP. 19700101 199903 1 001", "", ""],
        ]
    )
    batch = send(client, janju, data)
    assert (batch.status, batch.summary["new"], batch.summary["skipped"]) == (BatchStatus.PREVIEWED, 1, 4)


def test_the_audit_entry_keeps_every_changed_row_and_the_registry_moves(client, admin_dinas, janju):
    def sheet(wajib: int) -> bytes:
        rows = [
            [i + 1, f"640104010180{i + 1:04d}", f"Anggota {i + 1}", "", "", "11/05/2025", 100000, wajib]
            for i in range(60)
        ]
        return xlsx([HEADERS[:8], *rows])

    client.force_login(admin_dinas)
    client.post(reverse("imports:confirm", args=[send(client, janju, sheet(0)).pk]))
    client.post(reverse("imports:confirm", args=[send(client, janju, sheet(5000)).pk]))

    entry = AuditEntry.objects.filter(action="imports.members").latest("id")
    assert entry.after["changed"] == 60 and len(entry.after["changed_rows"]) == 60
    assert entry.after["changed_rows"][-1]["changes"] == [["Simpanan wajib", "0", "5.000"]]
    assert "6401040101800060" not in str(entry.after)  # NIKs masked
    janju.refresh_from_db()
    assert janju.registry_updated_at is not None
    assert HealthSnapshot.objects.filter(cooperative=janju).exists()
