"""The public transparency page: open without login, aggregated only — no person, no NIK, no phone number — cached
under a key every stage transition changes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kopdes.accounts.models import User
from kopdes.conftest import JANJU, PASER, SUNGAI_TERIK
from kopdes.dashboards.tests.helpers import form
from kopdes.formation.models import Cooperative
from kopdes.formation.tests.helpers import case_for, submit

pytestmark = pytest.mark.usefixtures("programme")

NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE_LIKE = re.compile(r"(?:\+62|\b0)8\d[\d\s-]{6,12}\d")


def test_anonymous_visitors_see_progress_per_kecamatan_and_village(client, admin_dinas):
    form(JANJU, admin_dinas)

    response = client.get(reverse("dashboards:public", args=[PASER]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="public-children"' in html and 'data-testid="public-villages"' in html
    assert "Kecamatan Batu Sopang" in html and "Desa Janju" in html
    assert 'data-testid="faq-link"' in html
    assert response.context["formed"] == 1
    assert client.get(reverse("dashboards:public_index")).status_code == 200
    assert PASER in client.get(reverse("dashboards:public_index")).content.decode()


def test_the_public_page_holds_no_personal_data(client, admin_dinas, operator_janju):
    # personal data in every place it could leak from: user names, a NIK and a phone number in notes and numbers
    admin_dinas.full_name = "Siti Rahmawati Binti Ahmad"
    admin_dinas.save()
    operator_janju.full_name = "Bambang Sugiarto"
    operator_janju.save()
    form(SUNGAI_TERIK, admin_dinas)
    submit(operator_janju, case_for(JANJU), 1, note="Kades: 6401041203870001, HP 0812-5555-1234")
    Cooperative.objects.filter(memberships__village_code=JANJU).update(name="Koperasi milik Bambang Sugiarto")

    html = client.get(reverse("dashboards:public", args=[PASER])).content.decode()
    data = client.get(reverse("dashboards:public_map_data", args=[PASER])).content.decode()

    for text in (html, data):
        assert not NIK_LIKE.search(text)
        assert not PHONE_LIKE.search(text)
        for user in User.objects.all():
            assert user.username not in text
            if user.full_name:
                assert user.full_name not in text
        assert "Bambang" not in text and "Siti" not in text
        assert "/koperasi/" not in text  # no link into the (login-only) case pages


def test_the_cache_follows_every_stage_transition(client, admin_dinas, django_assert_max_num_queries):
    url = reverse("dashboards:public", args=[PASER])
    assert client.get(url).context["formed"] == 0
    with django_assert_max_num_queries(4):  # cached: the version lookup and the cache read, no dashboard query
        client.get(url)

    form(JANJU, admin_dinas)

    assert client.get(url).context["formed"] == 1


def test_regions_without_a_programme_are_not_public(client):
    assert client.get(reverse("dashboards:public", args=["64"])).status_code == 404
    assert client.get(reverse("dashboards:public", args=[JANJU])).status_code == 404
    assert client.get(reverse("dashboards:public", args=["99"])).status_code == 404


def test_every_page_links_the_public_page_in_its_footer(client, admin_dinas):
    client.force_login(admin_dinas)
    page = client.get(reverse("web:home")).content.decode()
    footer = page[page.index("<footer") :]
    assert reverse("dashboards:public_index") in footer
    client.logout()
    login = client.get(reverse("accounts:login")).content.decode()
    assert reverse("dashboards:public_index") in login[login.index("<footer") :]


def test_the_public_page_shows_the_returns_figures_without_names(client, admin_dinas):
    from datetime import date

    from kopdes.returns import services as returns_services
    from kopdes.returns import sums
    from kopdes.returns.models import ReturnPeriod

    returns_services.ensure_periods(until=date(2026, 3, 31))
    march = ReturnPeriod.objects.get(start=date(2026, 3, 1))
    # the kept sums as one submitted return in Janju writes them (kopdes/returns/sums.py)
    sums.write({(code, march.pk): [1, 1, 1, 2, 7_350_000, 4, 1, 0, 150_000, 0] for code in ("", "64", PASER)})
    html = client.get(reverse("dashboards:public", args=[PASER])).content.decode()
    assert 'data-testid="public-returns"' in html
    assert "7.350.000" in html or "7,350,000" in html
    assert "Koperasi Desa Merah Putih" not in html.split('data-testid="public-returns"')[1].split("</table>")[0]
