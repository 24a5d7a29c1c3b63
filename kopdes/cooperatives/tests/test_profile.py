"""The cooperative profile: who may see and change it, NPWP and KBLI checks, audit, the case page link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.audit.stale import READ_TOKEN_FIELD, read_token
from kopdes.cooperatives import services
from kopdes.formation.models import Cooperative

pytestmark = pytest.mark.django_db

VALID = {
    "address": "Jl. Poros Janju",
    "nomor_induk_koperasi": "6401040020001",
    "npwp": "01.234.567.8-912.000",
    "kbli_codes": "47111, 64141",
    "bank_name": "Bank Kaltimtara",
    "bank_account_number": "0011 2233 44",
    "bank_account_holder": "KDMP Janju",
    "simkopdes_status": "active",
}


def post_profile(client, cooperative, **changes):
    cooperative.refresh_from_db()
    data = {**VALID, READ_TOKEN_FIELD: read_token(cooperative, services.PROFILE_FIELDS), **changes}
    return client.post(reverse("cooperatives:edit_profile", args=[cooperative.pk]), data)


def test_office_saves_the_profile_normalised_and_audited(client, admin_dinas, janju):
    client.force_login(admin_dinas)

    response = post_profile(client, janju)

    assert response.status_code == 302
    janju.refresh_from_db()
    assert janju.npwp == "012345678912000"
    assert janju.npwp_display == "01.234.567.8-912.000"
    assert janju.kbli_codes == ["47111", "64141"]
    assert janju.bank_account_number == "0011223344"
    entry = AuditEntry.objects.get(action="cooperative.profile_update")
    assert entry.before["npwp"] == "" and entry.after["npwp"] == "012345678912000"
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "01.234.567.8-912.000" in page and "47111, 64141" in page and "Nomor Induk Koperasi" in page


def test_a_16_digit_npwp_is_accepted(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    assert post_profile(client, janju, npwp="0123 4567 8912 3000").status_code == 302
    janju.refresh_from_db()
    assert janju.npwp == "0123456789123000"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("npwp", "12.345", "NPWP terdiri atas 15 digit"),
        ("npwp", "01.234.567.8-912.00A", "NPWP terdiri atas 15 digit"),
        ("kbli_codes", "47111, 4711", "bukan kode KBLI"),
        ("bank_account_number", "12-AB", "hanya berisi angka"),
    ],
)
def test_a_rejected_profile_keeps_the_input_and_says_why_in_indonesian(
    client, admin_dinas, janju, field, value, message
):
    client.force_login(admin_dinas)

    response = post_profile(client, janju, **{field: value})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Jl. Poros Janju" in page  # what was typed is kept
    janju.refresh_from_db()
    assert janju.address == ""


def test_a_stale_form_is_refused(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    janju.refresh_from_db()
    stale = read_token(janju, services.PROFILE_FIELDS)
    services.update_profile(actor=admin_dinas, cooperative=janju, version=janju.version, address="Lama")

    response = client.post(reverse("cooperatives:edit_profile", args=[janju.pk]), {**VALID, READ_TOKEN_FIELD: stale})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Orang lain menyimpan data ini" in page and "“Lama”" in page and "Jl. Poros Janju" in page
    janju.refresh_from_db()
    assert janju.address == "Lama"


def test_a_stage_move_meanwhile_does_not_refuse_the_profile(client, admin_dinas, janju):
    """Only the profile's own fields count: a formation write (version bump) in between is no conflict."""
    client.force_login(admin_dinas)
    janju.refresh_from_db()
    token = read_token(janju, services.PROFILE_FIELDS)
    Cooperative.objects.filter(pk=janju.pk).update(version=janju.version + 1)

    response = client.post(reverse("cooperatives:edit_profile", args=[janju.pk]), {**VALID, READ_TOKEN_FIELD: token})

    assert response.status_code == 302


def test_pengurus_edits_its_own_cooperative_but_not_another(client, pengurus_janju, janju, sungai_terik):
    client.force_login(pengurus_janju)

    assert post_profile(client, janju).status_code == 302
    assert client.get(reverse("cooperatives:edit_profile", args=[sungai_terik.pk])).status_code == 404
    assert client.get(reverse("cooperatives:detail", args=[sungai_terik.pk])).status_code == 404
    # the registry rule gives no formation rights
    assert client.get(reverse("formation:submit_stage", args=[janju.pk])).status_code == 404


def test_pendamping_and_pimpinan_read_but_do_not_edit(client, pendamping, pimpinan, janju):
    for user in (pendamping, pimpinan):
        client.force_login(user)
        page = client.get(reverse("cooperatives:detail", args=[janju.pk]))
        assert page.status_code == 200
        assert reverse("cooperatives:edit_profile", args=[janju.pk]) not in page.content.decode()
        assert client.get(reverse("cooperatives:edit_profile", args=[janju.pk])).status_code == 404


def test_camat_of_another_kecamatan_gets_404(client, camat_batu_sopang, janju):
    client.force_login(camat_batu_sopang)
    assert client.get(reverse("cooperatives:detail", args=[janju.pk])).status_code == 404
    assert client.get(reverse("cooperatives:members", args=[janju.pk])).status_code == 404


def test_a_merged_record_is_read_only(client, admin_dinas, janju):
    Cooperative.objects.filter(pk=janju.pk).update(is_active=False)
    client.force_login(admin_dinas)
    assert client.get(reverse("cooperatives:edit_profile", args=[janju.pk])).status_code == 404


def test_case_page_shows_the_profile_and_links_to_it(client, admin_dinas, janju):
    services.update_profile(actor=admin_dinas, cooperative=janju, version=janju.version, npwp="012345678912000")
    client.force_login(admin_dinas)

    page = client.get(reverse("formation:case_detail", args=[janju.pk])).content.decode()

    assert reverse("cooperatives:detail", args=[janju.pk]) in page
    assert "01.234.567.8-912.000" in page
    assert (
        reverse("formation:case_detail", args=[janju.pk])
        in client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    )


def test_nav_lists_the_cooperatives(client, operator_janju, programme):
    client.force_login(operator_janju)
    page = client.get(reverse("cooperatives:list")).content.decode()
    assert f'href="{reverse("cooperatives:list")}" aria-current="page">Koperasi<' in page


def test_pengurus_sees_full_niks_of_its_own_members_and_adds_one(client, pengurus_janju, janju):
    client.force_login(pengurus_janju)
    member_nik = "6401045203850001"

    response = client.post(
        reverse("cooperatives:add_member", args=[janju.pk]),
        {"nik": member_nik, "name": "Siti Rahman", "simpanan_pokok": "0", "simpanan_wajib": "0"},
    )

    assert response.status_code == 302
    assert member_nik in client.get(reverse("cooperatives:members", args=[janju.pk])).content.decode()


def test_a_verified_simkopdes_stage_without_a_status_reads_as_registered(client, admin_dinas, janju):
    Cooperative.objects.filter(pk=janju.pk).update(simkopdes_account="KDMP-6401040002")
    client.force_login(admin_dinas)
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "Terdaftar (tahap 10 terverifikasi)" in page and "KDMP-6401040002" in page
