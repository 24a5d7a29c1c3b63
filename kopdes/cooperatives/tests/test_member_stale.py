"""Two people editing the same member: the later save from a stale read is refused, keeps its input and
says what changed meanwhile, who and when — never a silent overwrite."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kopdes.cooperatives import services
from kopdes.cooperatives.models import Member
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik

pytestmark = pytest.mark.django_db
ADULT = nik(TANAH_GROGOT_NIK, date(1985, 3, 12), female=True, serial=1)
READ_TOKEN_FIELD = "dibaca"  # the page's hidden field (kopdes.audit.stale); a literal, so this file runs on any code


def _form(page, **changes) -> dict:
    """The edit form as the browser would send it after the page was read: its token and the values shown."""
    token = page.context["form"].initial.get(READ_TOKEN_FIELD, "")
    data = {"nik": ADULT, "name": "Siti Rahman", "dusun": "Dusun Satu", "simpanan_pokok": "100000"}
    return {**data, "simpanan_wajib": "0", READ_TOKEN_FIELD: token, **changes}


@pytest.fixture
def member(admin_dinas, janju):
    return services.add_member(
        actor=admin_dinas, cooperative=janju, nik=ADULT, name="Siti Rahman", dusun="Dusun Satu", simpanan_pokok=100000
    )


def test_two_users_edit_the_same_member_from_the_same_read(client, admin_dinas, operator_janju, janju, member):
    url = reverse("cooperatives:edit_member", args=[janju.pk, member.pk])
    client.force_login(admin_dinas)
    read_by_office = client.get(url)
    client.force_login(operator_janju)
    read_by_village = client.get(url)

    first = client.post(url, _form(read_by_village, name="Siti Rahmawati"))
    client.force_login(admin_dinas)
    second = client.post(url, _form(read_by_office, dusun="Dusun Dua"))

    assert first.status_code == 302
    assert second.status_code == 409
    page = second.content.decode()
    assert "Orang lain menyimpan data ini" in page
    assert "Nama: isian Anda “Siti Rahman”, kini “Siti Rahmawati”." in page  # field, theirs, the other's value
    assert operator_janju.username in page or operator_janju.get_full_name() in page  # who
    assert 'value="Dusun Dua"' in page  # the office's input is kept
    member.refresh_from_db()
    assert (member.name, member.dusun) == ("Siti Rahmawati", "Dusun Satu")  # nothing of the refused save


def test_a_form_opened_before_the_others_save_is_refused_then_saved_deliberately(client, admin_dinas, janju, member):
    url = reverse("cooperatives:edit_member", args=[janju.pk, member.pk])
    client.force_login(admin_dinas)
    opened = client.get(url)
    services.update_member(actor=admin_dinas, member=member, nik=ADULT, name="Siti", simpanan_pokok=250000)

    refused = client.post(url, _form(opened, rt="003"))
    again = client.post(url, {**_form(refused), "rt": "003"})  # sent again from the refused page, after checking

    assert refused.status_code == 409
    assert "Simpanan pokok dibayar: isian Anda “100000”, kini “250000.00”." in refused.content.decode()
    assert again.status_code == 302
    saved = Member.objects.get(pk=member.pk)
    assert (saved.rt, saved.name) == ("003", "Siti Rahman")


def test_a_form_without_its_token_saves_nothing(client, admin_dinas, janju, member):
    client.force_login(admin_dinas)
    url = reverse("cooperatives:edit_member", args=[janju.pk, member.pk])

    response = client.post(url, {"nik": ADULT, "name": "Tanpa Token", "simpanan_pokok": "0", "simpanan_wajib": "0"})
    forged = client.post(
        url, {"nik": ADULT, "name": "Palsu", "simpanan_pokok": "0", "simpanan_wajib": "0", READ_TOKEN_FIELD: "x"}
    )

    assert response.status_code == 400 and forged.status_code == 400
    assert "Formulir ini sudah usang atau tidak lengkap" in forged.content.decode()
    member.refresh_from_db()
    assert member.name == "Siti Rahman"
