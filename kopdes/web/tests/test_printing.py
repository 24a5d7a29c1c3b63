"""Printing over HTTP: every page loads the print stylesheet and carries the letterhead of the viewer's office (one
query at most, only when the page prints it); the dashboard's printout leaves out its secondary parts; the long
tables get sort and search where the whole list is on the page, and say "this page" where it is not."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kopdes.conftest import JANJU, PASER, SUNGAI_TERIK, TANAH_GROGOT
from kopdes.dashboards.tests.helpers import form
from kopdes.documents.models import Issuer, IssuerKind
from kopdes.documents.selectors import letterhead_for, print_letterhead
from kopdes.formation.tests.helpers import case_for, submit
from kopdes.regions.models import Region

pytestmark = pytest.mark.usefixtures("programme")
KASUNGAI = "64.01.01.2014"

PRINTED_PAGES = [
    ("web:home", []),
    ("cooperatives:list", []),
    ("reports:recap", [PASER]),
    ("web:audit_log", []),
    ("formation:queue", []),
    ("accounts:user_list", []),
]


@pytest.mark.parametrize(("name", "args"), PRINTED_PAGES)
def test_every_page_prints_with_the_viewers_letterhead(client, admin_dinas, name, args):
    client.force_login(admin_dinas)

    html = client.get(reverse(name, args=args)).content.decode()

    assert 'href="/static/css/print.css" media="print"' in html
    assert html.count('data-testid="letterhead"') == 1
    assert "PEMERINTAH KABUPATEN PASER" in html and "DINAS KOPERASI DAN USAHA MIKRO" in html


def test_a_village_operator_prints_its_regencys_office(client, operator_janju):
    Issuer.objects.create(
        kind=IssuerKind.OFFICE,
        region=Region.objects.get(code=PASER),
        government="PEMERINTAH KABUPATEN PASER",
        office="DINAS KOPERASI, UKM DAN PERDAGANGAN",
        address="Jl. Jenderal Sudirman No. 1, Tana Paser",
        city="Tana Paser",
    )
    client.force_login(operator_janju)

    html = client.get(reverse("web:home")).content.decode()

    assert "DINAS KOPERASI, UKM DAN PERDAGANGAN" in html and "Jl. Jenderal Sudirman No. 1" in html


def test_the_login_page_has_no_letterhead(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'data-testid="letterhead"' not in html


@pytest.mark.parametrize("code", ["", PASER, TANAH_GROGOT, JANJU])
@pytest.mark.parametrize("saved", [False, True])
def test_the_printed_letterhead_is_letterhead_for_in_one_query(paser, code, saved, django_assert_max_num_queries):
    if saved:
        Issuer.objects.create(
            kind=IssuerKind.OFFICE, region=paser, government="PEMERINTAH KABUPATEN PASER", office="DISKOP", city="X"
        )
    expected = letterhead_for(code)

    with django_assert_max_num_queries(1):
        printed = print_letterhead(code)

    assert (printed.government, printed.office, printed.address) == (
        expected.government,
        expected.office,
        expected.address,
    )


def test_the_letterhead_costs_one_query_per_page(client, admin_dinas):
    client.force_login(admin_dinas)
    url = reverse("cooperatives:list")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    letterhead = [q for q in captured.captured_queries if "documents_issuer" in q["sql"]]
    assert len(letterhead) == 1


def test_the_regency_dashboard_prints_its_summary(client, admin_dinas):
    form(JANJU, admin_dinas)
    client.force_login(admin_dinas)

    html = client.get(reverse("dashboards:region", args=[PASER])).content.decode()

    # the village list is left to the .xlsx in print (one note says so), its last-update column never prints
    assert 'data-testid="villages-not-printed"' in html and "Daftar 144 desa/kelurahan tidak dicetak" in html
    assert 'class="kd-card kd-no-print"' in html
    kecamatan = client.get(reverse("dashboards:region", args=[TANAH_GROGOT])).content.decode()
    assert 'data-testid="villages-not-printed"' not in kecamatan  # a kecamatan prints its villages
    assert 'class="kd-no-print">Pembaruan terakhir' in kecamatan.replace("\n", "").replace("  ", "")


def test_long_tables_get_sort_and_search_where_the_list_is_whole(client, admin_dinas):
    form(JANJU, admin_dinas)
    submit(admin_dinas, case_for(SUNGAI_TERIK), 1)
    submit(admin_dinas, case_for(KASUNGAI), 1)
    client.force_login(admin_dinas)

    registry = client.get(reverse("cooperatives:list")).content.decode()
    users = client.get(reverse("accounts:user_list")).content.decode()
    queue = client.get(reverse("formation:queue")).content.decode()
    members = client.get(reverse("cooperatives:members", args=[case_for(SUNGAI_TERIK).pk])).content.decode()

    for html in (registry, users, queue, members):
        assert "/static/js/tables.js" in html
    assert "data-sortable" in registry and "data-filter" in registry  # 144 cooperatives: one page
    assert "data-sortable" in users and "data-filter" not in users.split('data-testid="users"')[1][:200]
    assert "akun" in users  # the count says what it counts
    assert "data-sortable" in queue and 'class="kd-print-form"' in queue
    assert "2 pengajuan menunggu verifikasi" in queue
    # the members' search is the server's (it finds NIKs on every page): no second box that searches one page
    member_table = members.split('data-testid="member-table"')[1][:200]
    assert "data-sortable" in member_table and "data-filter" not in member_table


def test_an_empty_queue_has_no_table_tools(client, admin_dinas):
    client.force_login(admin_dinas)
    queue = client.get(reverse("formation:queue")).content.decode()
    assert "data-sortable" not in queue and "0 pengajuan menunggu verifikasi" in queue


def test_a_paginated_list_says_its_search_covers_this_page(client, admin_dinas, monkeypatch):
    monkeypatch.setattr("kopdes.cooperatives.views.REGISTRY_PAGE_SIZE", 20)
    client.force_login(admin_dinas)

    html = client.get(reverse("cooperatives:list")).content.decode()

    table = html.split('data-testid="registry"')[1][:200]
    assert 'data-filter-label="Cari di halaman ini"' in table and "data-sortable" not in table
