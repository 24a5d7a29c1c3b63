"""The audit log as people read it: sentences in Indonesian, readable values, NIKs masked, filters by user, region,
kind of change and date, a constant number of queries per page, and the .xlsx export of the filtered rows."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kopdes.accounts import services as accounts
from kopdes.accounts.models import User
from kopdes.accounts.roles import Role
from kopdes.audit.models import AuditEntry
from kopdes.audit.services import record_audit
from kopdes.conftest import BATU_SOPANG, JANJU, TANAH_GROGOT
from kopdes.cooperatives import services as registry
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the fixture, reused)
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.regions.models import Region
from kopdes.tests.factories import UserFactory

AUDIT = reverse("web:audit_log")
EXPORT = reverse("web:audit_log_xlsx")
NIK = "6401045203850001"  # Janju's kecamatan, born 12 March 1985, female
MASKED = "640104********01"
UTC = ZoneInfo("UTC")


@pytest.fixture
def janju(programme):  # noqa: F811
    return case_for(JANJU)


@pytest.fixture
def member(admin_dinas, janju):
    return registry.add_member(
        actor=admin_dinas, cooperative=janju, nik=NIK, name="A. Saputra", dusun="Dusun Satu", simpanan_pokok=100000
    )


def sentences(client, **params) -> list[str]:
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    return [row.sentence for row in response.context["rows"]]


# --- sentences -------------------------------------------------------------------------------------------------------


def test_one_changed_field_reads_as_one_sentence(client, admin_dinas, member):
    admin_dinas.full_name = "Siti Aminah"
    admin_dinas.save()
    registry.update_member(
        actor=admin_dinas, member=member, nik=NIK, name="A. Saputra", dusun="Dusun Dua", simpanan_pokok=100000
    )
    client.force_login(admin_dinas)

    page = client.get(AUDIT).content.decode()

    assert "Admin dinas (Siti Aminah) mengubah dusun anggota A. Saputra dari Dusun Satu menjadi Dusun Dua." in page
    assert "member.update" not in page


def test_a_new_member_lists_its_values_readable_with_the_nik_masked(client, admin_dinas, member):
    client.force_login(admin_dinas)

    page = client.get(AUDIT).content.decode()

    assert "menambahkan anggota A. Saputra." in page
    assert "Simpanan pokok" in page or "simpanan pokok" in page  # the field's verbose name, translated
    assert MASKED in page
    assert NIK not in page
    assert "'nik'" not in page and "{" not in page.split('data-testid="audit-entries"')[1].split("</ol>")[0]


def test_account_sentences_and_booleans(client, admin_dinas, paser):
    client.force_login(admin_dinas)
    user = accounts.create_user(
        actor=admin_dinas,
        username="op.janju",
        full_name="Budi Santoso",
        role=Role.OPERATOR_DESA,
        region=Region.objects.get(code=JANJU),
    )[0]
    accounts.set_user_active(actor=admin_dinas, user=User.objects.get(pk=user.pk), active=False)

    read = sentences(client)
    page = client.get(AUDIT).content.decode()

    assert any(s.endswith("membuat akun Budi Santoso.") for s in read)
    assert any("menonaktifkan akun Budi Santoso" in s for s in read), read
    assert "dari ya menjadi tidak" in page  # is_active, readable
    assert "accounts.create_user" not in page and "True" not in page
    assert "Desa Janju" in page  # the role's region by its name, not its code


def test_a_verified_stage_reads_with_its_number_and_the_cooperative(client, admin_dinas, operator_janju, janju):
    advance(janju, 2, submitter=operator_janju, verifier=admin_dinas)
    client.force_login(admin_dinas)

    read = sentences(client, kind="formation")

    assert any(f"memverifikasi tahap 2 (Tim fasilitator dibentuk) {janju}." in s for s in read), read
    assert any(s.startswith("Operator desa (") and "mengajukan bukti tahapan" in s for s in read), read


def test_dates_read_in_indonesian(client, admin_dinas, member):
    registry.mark_member_left(actor=admin_dinas, member=member, left_date=date(2025, 5, 11))
    client.force_login(admin_dinas)

    page = client.get(AUDIT).content.decode()

    assert "11 Mei 2025" in page
    assert "2025-05-11" not in page


# --- filters ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def spread(admin_dinas, camat_batu_sopang, camat_tanah_grogot):
    """Entries by different users, in two kecamatan, of two kinds, on three days."""
    made = [
        (camat_batu_sopang, "member.add", BATU_SOPANG + ".2013", datetime(2025, 1, 10, 3, tzinfo=UTC), "Ani"),
        (camat_tanah_grogot, "outlet.add", JANJU, datetime(2025, 3, 10, 3, tzinfo=UTC), "Gerai Sembako"),
        (admin_dinas, "accounts.create_user", TANAH_GROGOT, datetime(2025, 5, 10, 3, tzinfo=UTC), "Budi"),
    ]
    for actor, action, code, at, name in made:
        entry = record_audit(actor=actor, action=action, region_code=code, object_repr=name, after={"name": name})
        AuditEntry.objects.filter(pk=entry.pk).update(at=at)


def names(client, **params) -> set[str]:
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    return {row.entry.object_repr for row in response.context["rows"] if row.entry.action != "regions.import"}


def test_filters_by_user_region_kind_and_dates(client, admin_dinas, camat_tanah_grogot, spread):
    client.force_login(admin_dinas)

    assert names(client, actor=camat_tanah_grogot.pk) == {"Gerai Sembako"}
    assert names(client, region=TANAH_GROGOT) == {"Gerai Sembako", "Budi"}  # the kecamatan and its villages
    assert names(client, region=JANJU) == {"Gerai Sembako"}
    assert names(client, kind="registry") == {"Ani", "Gerai Sembako"}
    assert names(client, kind="accounts") == {"Budi"}
    assert names(client, date_from="2025-03-01", date_to="2025-03-31") == {"Gerai Sembako"}
    assert names(client, region=TANAH_GROGOT, kind="registry", date_from="2025-02-01") == {"Gerai Sembako"}


def test_the_filters_offer_kinds_in_indonesian_and_regions_of_the_scope(client, admin_dinas, spread):
    client.force_login(admin_dinas)

    page = client.get(AUDIT).content.decode()

    assert "Akun dan akses" in page and "Tahapan pembentukan" in page
    assert "Kecamatan Tanah Grogot (semua desa)" in page and "Desa Janju" in page
    assert "Kalimantan Selatan" not in page


def test_a_bad_date_is_a_message_not_a_crash(client, admin_dinas, spread):
    client.force_login(admin_dinas)

    response = client.get(AUDIT, {"date_from": "31-31-2025"})

    assert response.status_code == 200
    assert "date_from" in response.context["form"].errors
    assert response.context["rows"] == []
    assert "Masukkan tanggal yang valid" in response.content.decode() or "tanggal" in str(
        response.context["form"].errors["date_from"]
    )


def test_a_region_outside_the_scope_selects_nothing(client, admin_dinas, spread):
    record_audit(actor=None, action="member.add", region_code="63.01.01.2001", object_repr="Luar")
    client.force_login(admin_dinas)

    response = client.get(AUDIT, {"region": "63.01"})

    assert "region" in response.context["form"].errors
    assert response.context["rows"] == []
    assert client.get(EXPORT, {"region": "63.01"}).status_code == 200
    assert "Luar" not in xlsx_text(client.get(EXPORT))


def test_the_pager_keeps_the_filters(client, admin_dinas):
    for number in range(55):
        record_audit(actor=admin_dinas, action="member.add", region_code=JANJU, object_repr=f"Orang {number:02d}")
    client.force_login(admin_dinas)

    first = client.get(AUDIT, {"kind": "registry"})
    second = client.get(AUDIT, {"kind": "registry", "halaman": 2})

    assert 'href="?kind=registry&amp;halaman=2"' in first.content.decode()
    assert len(first.context["rows"]) == 50
    assert {row.entry.object_repr for row in second.context["rows"]} >= {"Orang 00", "Orang 04"}


def test_queries_per_page_do_not_grow_with_the_entries(client, admin_dinas, camat_batu_sopang, member):
    client.force_login(admin_dinas)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(AUDIT).status_code == 200
        return len(queries)

    def write(n: int) -> None:
        for number in range(n):
            actor = admin_dinas if number % 2 else camat_batu_sopang
            registry.update_member(
                actor=admin_dinas, member=member, nik=NIK, name="A. Saputra", dusun=f"Dusun {number}", simpanan_pokok=1
            )
            record_audit(actor=actor, action="accounts.assign_role", region_code=JANJU, after={"region": JANJU})

    write(2)
    client.get(AUDIT)  # the session's first save is not the page's
    few = count()
    write(20)

    assert count() == few


# --- export ----------------------------------------------------------------------------------------------------------


def xlsx_text(response) -> str:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return "\n".join(str(cell) for row in book.active.iter_rows(values_only=True) for cell in row if cell is not None)


def test_the_export_holds_the_filtered_rows_as_sentences_with_niks_masked(client, admin_dinas, member, spread):
    record_audit(actor=admin_dinas, action="member.add", region_code=JANJU, object_repr="=HYPERLINK(1)")
    client.force_login(admin_dinas)

    everything = xlsx_text(client.get(EXPORT))
    registry_only = xlsx_text(client.get(EXPORT, {"kind": "accounts"}))

    assert "menambahkan anggota A. Saputra." in everything
    assert MASKED in everything and NIK not in everything
    assert "Desa Janju" in everything  # the region column, by name
    assert "Peristiwa" in everything  # the headers in Indonesian
    assert "'Admin dinas" not in everything
    assert "menambahkan anggota =HYPERLINK(1)" in everything  # inside a sentence: text, not a formula
    assert "Budi" in registry_only and "A. Saputra" not in registry_only


def test_a_cell_starting_with_a_formula_character_is_prefixed(client, admin_dinas, paser):
    schemer = UserFactory(username="penyusup", full_name="=HYPERLINK(1)")  # no role: the actor cell is its name
    record_audit(actor=schemer, action="member.add", region_code=JANJU, object_repr="x")
    client.force_login(admin_dinas)

    text = xlsx_text(client.get(EXPORT))

    assert "\n'=HYPERLINK(1)\n" in text


# --- scope -----------------------------------------------------------------------------------------------------------


def test_each_reader_sees_and_exports_only_its_scope(client, admin_dinas, camat_batu_sopang, spread):
    record_audit(actor=None, action="member.add", region_code="63.01.01.2001", object_repr="Kalsel")
    client.force_login(admin_dinas)

    page = client.get(AUDIT).content.decode()
    exported = xlsx_text(client.get(EXPORT))

    assert "Kalsel" not in page and "Kalsel" not in exported
    assert "Gerai Sembako" in exported
    client.force_login(camat_batu_sopang)
    assert client.get(AUDIT).status_code == 404
    assert client.get(EXPORT).status_code == 404
