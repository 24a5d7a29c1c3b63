"""Input that cannot hurt and a database outage a user survives.

Run on PostgreSQL too (DATABASE_URL=postgres://…): NUL in a search failed there with HTTP 500."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from kopdes.audit.stale import READ_TOKEN_FIELD, read_token
from kopdes.conftest import JANJU
from kopdes.cooperatives import services
from kopdes.cooperatives.models import Member
from kopdes.core.text import csv_safe, csv_safe_row
from kopdes.formation.tests.conftest import programme  # noqa: F401  (the started programme, reused)
from kopdes.formation.tests.helpers import case_for
from kopdes.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("programme")]

REFUSED = "Hapus karakter kontrol atau penanda arah tersembunyi"
NIK = "6401045203850001"


def member_form(**changes):
    data = {"nik": NIK, "name": "Siti Rahman", "dusun": "Dusun Satu", "simpanan_pokok": "0", "simpanan_wajib": "0"}
    return data | changes


# --- query parameters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["%00", "Budi%00", "%E2%80%AEabc", "%C2%85x", "%1B%5B31m"])
def test_control_characters_in_a_search_are_dropped_not_an_error(client, admin_dinas, query):
    janju = case_for(JANJU)
    client.force_login(admin_dinas)

    users = client.get(f"{reverse('accounts:user_list')}?q={query}")
    members = client.get(f"{reverse('cooperatives:members', args=[janju.pk])}?q={query}&status={query}")
    posted = client.post(reverse("cooperatives:members", args=[janju.pk]), {"q": "\x00Siti\u202e"}, follow=True)

    assert users.status_code == 200
    assert members.status_code == 200
    assert posted.status_code == 200


# --- names and identifiers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, value, shown",
    [
        ("name", "Budi\u202eSU", "U+202E"),  # a right-to-left override: "Budi" then "US" shown reversed
        ("name", "Siti\x00", "U+0000"),
        ("name", "Siti\tRahman", "U+0009"),  # a single-line name: no TAB either
        ("name", "Si\x85ti", "U+0085"),  # C1 (next line; at an end Django strips it as white space)
        ("name", "\u2066Siti\u2069", "U+2066, U+2069"),  # isolates
        ("dusun", "Dusun\u200f", "U+200F"),
        ("rt", "0\x1b3", "U+001B"),
    ],
)
def test_control_characters_in_names_are_refused_with_the_input_kept(client, admin_dinas, field, value, shown):
    janju = case_for(JANJU)
    client.force_login(admin_dinas)

    response = client.post(reverse("cooperatives:add_member", args=[janju.pk]), member_form(**{field: value}))

    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSED in page and shown in page
    assert 'value="6401045203850001"' in page  # the rest of the input stays
    assert not Member.objects.exists()


def test_multi_line_fields_keep_tab_and_line_breaks_but_refuse_other_controls(client, admin_dinas):
    janju = case_for(JANJU)
    client.force_login(admin_dinas)
    url = reverse("cooperatives:edit_profile", args=[janju.pk])
    pasted = "Jl. Poros\tNo. 4\r\nRT 02\nDesa Janju"

    def post(address):
        janju.refresh_from_db()
        return client.post(url, {"address": address, READ_TOKEN_FIELD: read_token(janju, services.PROFILE_FIELDS)})

    refused = post("Jl. Poros\x0bNo. 4")  # vertical tab
    saved = post(pasted)

    assert refused.status_code == 400 and REFUSED in refused.content.decode()
    assert saved.status_code == 302
    janju.refresh_from_db()
    assert janju.address == pasted


def test_a_very_long_name_is_refused_not_cut(client, admin_dinas):
    janju = case_for(JANJU)
    client.force_login(admin_dinas)

    response = client.post(reverse("cooperatives:add_member", args=[janju.pk]), member_form(name="A" * 100_000))

    assert response.status_code == 400
    assert "paling banyak 150 karakter" in response.content.decode()
    assert not Member.objects.exists()


# --- exports -----------------------------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed_numbers_stay():
    row = ['=HYPERLINK("http://x")', "+62 812", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "Biasa", 12, -3, 4.5, "-3.5", ""]

    assert csv_safe_row(row) == [
        '\'=HYPERLINK("http://x")',
        "'+62 812",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        "Biasa",
        12,
        -3,
        4.5,
        "-3.5",
        "",
    ]
    assert csv_safe(None) is None


def test_the_dashboard_csv_writes_region_names_as_text(client, admin_dinas):
    Region.objects.filter(code="64.01.04").update(name='=HYPERLINK("http://jahat.example","klik")')
    client.force_login(admin_dinas)

    response = client.get(reverse("dashboards:csv", args=["64.01", "wilayah"]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://jahat.example","klik")' in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert any(cell.isdigit() for cell in cells)  # counts stay numbers


def test_the_village_xlsx_keeps_user_text_as_text(client, admin_dinas):
    Region.objects.filter(code=JANJU).update(name="=1+1")
    client.force_login(admin_dinas)

    response = client.get(reverse("dashboards:villages_xlsx", args=["64.01"]))

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and "=1+1" in cell.value]
    assert cells and all(cell.data_type == "s" for cell in cells)


# --- a database outage -------------------------------------------------------------------------------------------


def _database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.parametrize("path", ["/", "/koperasi/", "/pengguna/", "/masuk/"])
def test_a_database_outage_answers_the_maintenance_page(admin_dinas, path):
    client = Client(raise_request_exception=False)
    client.force_login(admin_dinas)

    with connection.execute_wrapper(_database_down):  # every query fails, as with the server down
        response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"]
    page = response.content.decode()
    assert "sedang dalam pemeliharaan" in page.lower() and 'lang="id"' in page


def test_another_server_error_still_answers_500(admin_dinas):
    client = Client(raise_request_exception=False)
    client.force_login(admin_dinas)

    def broken(execute, sql, params, many, context):
        raise ZeroDivisionError

    with connection.execute_wrapper(broken):
        response = client.get("/koperasi/")

    assert response.status_code == 500 and "Terjadi kesalahan pada server" in response.content.decode()
