"""Accounts from a spreadsheet over HTTP: the preview reports every bad row by number and creates nothing; the
confirmation creates every account through create_user (audited) and shows each one-time password once; a tampered or
stale preview creates nothing. And the account list as .xlsx, in the manager's scope, formula-looking text kept text."""

from __future__ import annotations

import io

import openpyxl
import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.conftest import BATU_SOPANG, JANJU, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.tests.factories import make_user

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:accounts_upload")
CONFIRM = reverse("imports:accounts_confirm")
HEADERS = ["Nama Lengkap", "Email", "Peran", "Kode Wilayah"]


def sheet(rows, headers=HEADERS) -> SimpleUploadedFile:
    target = io.BytesIO()
    book = xlsxwriter.Workbook(target, {"in_memory": True})
    ws = book.add_worksheet("Akun")
    ws.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            ws.write_string(number, column, value)
    book.close()
    return SimpleUploadedFile("akun.xlsx", target.getvalue())


GOOD = [
    ["Siti Rahmawati", "siti.rahmawati@contoh.id", "operator desa", JANJU],
    ["Budi Santoso", "budi@contoh.id", "Camat", TANAH_GROGOT],
    ["Rina Wati", "rina@contoh.id", "pengurus", "Desa Janju"],
]


def test_a_clean_sheet_is_previewed_then_created_with_one_time_passwords(client, admin_dinas):
    client.force_login(admin_dinas)

    preview = client.post(UPLOAD, {"file": sheet(GOOD)})

    assert preview.status_code == 200
    assert "3 akun akan dibuat" in preview.content.decode()
    assert not User.objects.filter(email="budi@contoh.id").exists()  # nothing before the confirmation

    created = client.post(CONFIRM, {"rows": preview.context["payload"]})

    assert created.status_code == 200
    pairs = created.context["created"]
    assert {u.username for u, _p in pairs} == {"siti.rahmawati", "budi", "rina"}
    for user, password in pairs:
        assert user.check_password(password) and user.must_change_password
        assert password in created.content.decode()
    budi = User.objects.get(username="budi")
    assert [(a.role, a.region.code) for a in budi.assignments.all()] == [(Role.CAMAT, TANAH_GROGOT)]
    assert User.objects.get(username="rina").assignments.get().region.code == JANJU
    assert AuditEntry.objects.filter(action="accounts.create_user", actor=admin_dinas).count() == 3


def test_every_bad_row_is_reported_by_number_and_nothing_is_created(client, admin_dinas):
    make_user("lama", Role.OPERATOR_DESA, SUNGAI_TERIK, email="lama@contoh.id")
    client.force_login(admin_dinas)
    rows = [
        ["Siti Rahmawati", "siti@contoh.id", "operator desa", JANJU],  # row 2: fine
        ["Ahmad", "ahmad@contoh.id", "kepala suku", JANJU],  # row 3: unknown role
        ["Dewi", "dewi@contoh.id", "operator desa", "65.01.01.2001"],  # row 4: outside the scope
        ["Siti Kedua", "SITI@contoh.id", "pengurus", JANJU],  # row 5: same email as row 2
        ["Joko", "joko-at-contoh.id", "pengurus", JANJU],  # row 6: not an email
        ["Lama", "lama@contoh.id", "pengurus", JANJU],  # row 7: an account has it
        ["Tono", "tono@contoh.id", "operator desa", TANAH_GROGOT],  # row 8: a kecamatan for a village role
    ]

    response = client.post(UPLOAD, {"file": sheet(rows)})

    assert response.status_code == 400
    errors = dict(response.context["plan"].errors)
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert "kepala suku" in errors[3]
    assert "65.01.01.2001" in errors[4] and "tidak berada di wilayah yang Anda kelola" in errors[4]
    assert "baris 2" in errors[5]
    assert "bukan alamat email" in errors[6]
    assert "sudah ada" in errors[7]
    page = response.content.decode()
    assert "Tidak ada akun yang dibuat" in page and "Baris 3:" in page
    assert 'name="rows"' not in page  # no confirmation offered
    assert not User.objects.filter(email__in=["siti@contoh.id", "tono@contoh.id"]).exists()


def test_a_camat_may_only_create_village_operators_in_its_kecamatan(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)
    rows = [
        ["Operator Sungai Terik", "op@contoh.id", "operator desa", SUNGAI_TERIK],
        ["Operator Janju", "op2@contoh.id", "operator desa", JANJU],
        ["Admin", "adm@contoh.id", "admin dinas", BATU_SOPANG],
    ]

    response = client.post(UPLOAD, {"file": sheet(rows)})

    errors = dict(response.context["plan"].errors)
    assert set(errors) == {3, 4}
    assert not User.objects.filter(email="op@contoh.id").exists()


def test_an_altered_preview_creates_nothing(client, admin_dinas):
    client.force_login(admin_dinas)
    payload = client.post(UPLOAD, {"file": sheet(GOOD)}).context["payload"]

    response = client.post(CONFIRM, {"rows": payload[:-3] + "abc"})

    assert response.status_code == 400
    assert "kedaluwarsa atau diubah" in response.content.decode()
    assert not User.objects.filter(email__in=[r[1] for r in GOOD]).exists()


def test_an_email_taken_between_preview_and_confirmation_creates_nothing(client, admin_dinas):
    client.force_login(admin_dinas)
    payload = client.post(UPLOAD, {"file": sheet(GOOD)}).context["payload"]
    make_user("budi.lain", Role.PENGURUS, JANJU, email="budi@contoh.id")

    response = client.post(CONFIRM, {"rows": payload})

    assert response.status_code == 400
    assert 3 in dict(response.context["plan"].errors)
    assert not User.objects.filter(email="siti.rahmawati@contoh.id").exists()


def test_a_sheet_without_the_needed_columns_or_not_a_workbook_is_refused(client, admin_dinas):
    client.force_login(admin_dinas)

    no_role = client.post(UPLOAD, {"file": sheet([["Siti", "s@contoh.id"]], headers=["Nama Lengkap", "Email"])})
    not_xlsx = client.post(UPLOAD, {"file": SimpleUploadedFile("akun.xlsx", b"%PDF-1.4 nothing")})

    assert no_role.status_code == 400 and "Peran" in no_role.content.decode()
    assert not_xlsx.status_code == 400


def test_readers_and_village_operators_get_404(client, pimpinan, operator_janju):
    for user in (pimpinan, operator_janju):
        client.force_login(user)
        assert client.get(UPLOAD).status_code == 404
        assert client.get(reverse("imports:accounts_template")).status_code == 404
        assert client.get(reverse("imports:users_xlsx")).status_code == 404


def test_the_template_is_a_sheet_the_import_reads(client, admin_dinas):
    client.force_login(admin_dinas)

    template = client.get(reverse("imports:accounts_template"))

    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book["Akun"][1]][:4] == HEADERS
    preview = client.post(UPLOAD, {"file": SimpleUploadedFile("templat-akun.xlsx", template.content)})
    assert preview.status_code == 200 and len(preview.context["plan"].rows) == 1


def test_the_account_list_downloads_in_scope_with_formulas_as_text(client, camat_batu_sopang, operator_janju):
    make_user("op.terik", Role.OPERATOR_DESA, SUNGAI_TERIK, full_name='=HYPERLINK("http://x","klik")')
    client.force_login(camat_batu_sopang)

    response = client.get(reverse("imports:users_xlsx"))

    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = book.active
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True) if any(r)]
    assert [r[1] for r in rows] == ["op.terik"]  # operator.janju lies outside Batu Sopang
    assert rows[0][3] == "Operator desa" and rows[0][5] == SUNGAI_TERIK and rows[0][6] == "ya"
    assert ws["A4"].data_type == "s" and ws["A4"].value.startswith("=")
