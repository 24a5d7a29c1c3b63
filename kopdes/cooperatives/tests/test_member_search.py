"""A member search by NIK is posted and answered at an address with an opaque, short-lived token: the
NIK never reaches the address bar, the history, a Referer or the web server's access log."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from kopdes.accounts.search_tokens import TOKEN_PARAM
from kopdes.cooperatives import services
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik

SITI = nik(TANAH_GROGOT_NIK, date(1985, 3, 12), female=True, serial=1)
BUDI = nik(TANAH_GROGOT_NIK, date(1970, 1, 1), serial=5)


@pytest.fixture
def members_url(admin_dinas, janju):
    services.add_member(actor=admin_dinas, cooperative=janju, nik=SITI, name="Siti Rahman")
    services.add_member(actor=admin_dinas, cooperative=janju, nik=BUDI, name="Budi Hidayat")
    return reverse("cooperatives:members", args=[janju.pk])


def addresses_of(response) -> list[str]:
    """Every address the browser asked for or is offered as a link on the final page."""
    asked = [url for url, _status in response.redirect_chain]
    linked = re.findall(r'(?:href|action)="([^"]*)"', response.content.decode())
    return asked + linked


def test_a_nik_search_never_puts_the_nik_in_an_address(client, admin_dinas, members_url):
    """Once broken: a member search by NIK put the full NIK into the GET query, so into the access log."""
    client.force_login(admin_dinas)

    response = client.post(members_url, {"q": SITI, "status": "active"}, follow=True)

    assert response.status_code == 200
    assert "Siti Rahman" in response.content.decode() and "Budi Hidayat" not in response.content.decode()
    final = response.redirect_chain[-1][0]
    assert re.fullmatch(rf"{members_url}\?status=active&{TOKEN_PARAM}=[A-Za-z0-9_-]{{16}}", final)
    assert not any(SITI in address or SITI[:6] in address for address in addresses_of(response))


def test_a_partial_nik_still_finds_the_member(client, admin_dinas, members_url):
    client.force_login(admin_dinas)

    page = client.post(members_url, {"q": SITI[:10]}, follow=True).content.decode()

    assert "Siti Rahman" in page and "Budi Hidayat" not in page


def test_the_nik_in_the_query_string_is_not_read_any_more(client, admin_dinas, members_url):
    client.force_login(admin_dinas)

    page = client.get(members_url, {"q": SITI}).content.decode()

    assert "Siti Rahman" in page and "Budi Hidayat" in page  # no filter: the old address shows the whole list


def test_the_token_works_only_for_its_user_and_only_for_a_while(client, admin_dinas, camat_tanah_grogot, members_url):
    client.force_login(admin_dinas)
    result = client.post(members_url, {"q": SITI}).url

    client.force_login(camat_tanah_grogot)
    other = client.get(result)
    assert other.status_code == 200
    assert other.context["search_expired"] is True and other.context["query"] == ""
    assert "Budi Hidayat" in other.content.decode()  # the camat sees the list, not the office's search

    client.force_login(admin_dinas)
    assert client.get(result).context["query"] == SITI
    cache.clear()
    expired = client.get(result)
    assert expired.context["query"] == "" and "kedaluwarsa" in expired.content.decode()


def test_paging_keeps_the_search_through_the_token(client, admin_dinas, janju, members_url):
    for serial in range(6, 60):  # more than one page of 50
        services.add_member(
            actor=admin_dinas,
            cooperative=janju,
            nik=nik(TANAH_GROGOT_NIK, date(1980, 1, 1), serial=serial),
            name=f"A{serial}",
        )
    client.force_login(admin_dinas)

    page = client.post(members_url, {"q": "64"}, follow=True)

    links = [a for a in addresses_of(page) if "page=2" in a]
    assert links and all(f"{TOKEN_PARAM}=" in a and "q=" not in a for a in links)


def test_a_user_search_is_posted_too(client, admin_dinas, operator_janju):
    client.force_login(admin_dinas)

    response = client.post(reverse("accounts:user_list"), {"q": "janju"}, follow=True)

    assert [u.username for u in response.context["users"]] == [operator_janju.username]
    assert "janju" not in response.redirect_chain[-1][0]


def test_the_documented_gunicorn_access_log_format_drops_query_strings(settings):
    """docs/deployment.md's gunicorn format, rendered by gunicorn's own logger for a request whose address (from an
    old bookmark, say) still holds a NIK: the log line has the path, never the query."""
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    docs = (settings.BASE_DIR / "docs" / "deployment.md").read_text()
    log_format = re.search(r"--access-logformat '([^']+)'", docs).group(1)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/koperasi/1/anggota/?q={SITI}",
        "PATH_INFO": "/koperasi/1/anggota/",
        "QUERY_STRING": f"q={SITI}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_REFERER": f"https://kopdes.example.go.id/koperasi/1/anggota/?q={SITI}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    atoms = Logger(Config()).atoms(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=42))

    line = log_format % atoms

    assert "/koperasi/1/anggota/" in line
    assert SITI not in line and "q=" not in line
    assert atoms["r"].count(SITI) == 1  # gunicorn's default request atom would have logged it
