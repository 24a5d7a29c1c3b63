"""The member list as .xlsx: NIKs as on the page (in full only for those who edit the registry), names withheld from
the partner office, text that looks like a formula kept as text, the status filter, an audit entry per download."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.cooperatives import services
from kopdes.cooperatives.models import MemberStatus
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik
from kopdes.core.nik import mask_nik

pytestmark = pytest.mark.django_db

FIRST = nik(TANAH_GROGOT_NIK, date(1985, 3, 12), female=True)
SECOND = nik(TANAH_GROGOT_NIK, date(1979, 7, 1), serial=2)


@pytest.fixture
def listed(janju, operator_janju):
    services.add_member(actor=operator_janju, cooperative=janju, nik=FIRST, name="Siti Rahman", dusun="Dusun I")
    services.add_member(actor=operator_janju, cooperative=janju, nik=SECOND, name='=HYPERLINK("http://x","klik")')
    return janju


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book.active


def data_rows(sheet) -> list[list]:
    rows = [list(r) for r in sheet.iter_rows(min_row=4, values_only=True)]  # title, blank, header
    return [r for r in rows if any(v is not None for v in r)]


def test_the_village_operator_downloads_full_niks_and_the_download_is_audited(client, operator_janju, listed):
    client.force_login(operator_janju)

    sheet = sheet_of(client.get(reverse("cooperatives:members_xlsx", args=[listed.pk])))

    rows = data_rows(sheet)
    assert sheet["A3"].value == "NIK" and sheet["B3"].value == "Nama"
    assert {r[0] for r in rows} == {FIRST, SECOND}
    assert ["Siti Rahman", "P", "Dusun I"] in [r[1:4] for r in rows]
    entry = AuditEntry.objects.get(action="cooperative.export_members")
    assert entry.actor == operator_janju and entry.after == {"status": "all", "full_niks": True}


def test_a_reader_gets_masked_niks(client, pendamping, listed):
    client.force_login(pendamping)

    rows = data_rows(sheet_of(client.get(reverse("cooperatives:members_xlsx", args=[listed.pk]))))

    assert {r[0] for r in rows} == {mask_nik(FIRST), mask_nik(SECOND)}
    assert AuditEntry.objects.get(action="cooperative.export_members").after["full_niks"] is False


def test_a_name_that_looks_like_a_formula_stays_text(client, operator_janju, listed):
    client.force_login(operator_janju)

    sheet = sheet_of(client.get(reverse("cooperatives:members_xlsx", args=[listed.pk])))

    cells = [row[1] for row in sheet.iter_rows(min_row=4) if row[1].value and str(row[1].value).startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_status_filter_is_kept_and_a_bad_one_means_all(client, operator_janju, listed):
    member = listed.members.get(nik=SECOND)
    member.status, member.left_date = MemberStatus.LEFT, date(2026, 1, 5)
    member.save()
    client.force_login(operator_janju)
    address = reverse("cooperatives:members_xlsx", args=[listed.pk])

    active = data_rows(sheet_of(client.get(address, {"status": "active"})))
    everyone = data_rows(sheet_of(client.get(address, {"status": "'; DROP"})))

    assert [r[0] for r in active] == [FIRST]
    assert len(everyone) == 2


def test_the_partner_office_and_other_villages_get_404(client, mitra, operator_sungai_terik, listed):
    address = reverse("cooperatives:members_xlsx", args=[listed.pk])
    client.force_login(mitra)
    assert client.get(address).status_code == 404
    client.force_login(operator_sungai_terik)
    assert client.get(address).status_code == 404
    assert not AuditEntry.objects.filter(action="cooperative.export_members").exists()


def test_the_members_page_links_the_download(client, operator_janju, listed):
    client.force_login(operator_janju)

    page = client.get(reverse("cooperatives:members", args=[listed.pk]), {"status": "active"}).content.decode()

    assert reverse("cooperatives:members_xlsx", args=[listed.pk]) + "?status=active" in page
