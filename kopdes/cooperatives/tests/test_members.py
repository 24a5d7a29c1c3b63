"""Members: NIK checked and read (sex, birth date), warnings shown but never blocking, leaving and rejoining,
counts by sex and age band, NIK masked by role, no names for mitra, constant queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.audit.stale import READ_TOKEN_FIELD, read_token
from kopdes.cooperatives import services
from kopdes.cooperatives.member_checks import UNDER_AGE, member_warnings
from kopdes.cooperatives.models import Member, MemberStatus
from kopdes.cooperatives.selectors import member_counts
from kopdes.cooperatives.tests.conftest import BATU_SOPANG_NIK, TANAH_GROGOT_NIK, nik
from kopdes.core.nik import mask_nik

pytestmark = pytest.mark.django_db
ADULT = nik(TANAH_GROGOT_NIK, date(1985, 3, 12), female=True, serial=1)


def member(actor, cooperative, nik_, name="Siti Rahman", **extra):
    return services.add_member(actor=actor, cooperative=cooperative, nik=nik_, name=name, **extra)


def form(nik_, name="Siti Rahman", **extra):
    return {"nik": nik_, "name": name, "simpanan_pokok": "100000", "simpanan_wajib": "20000", **extra}


def warnings_on_list(client, cooperative) -> str:
    page = client.get(reverse("cooperatives:members", args=[cooperative.pk])).content.decode()
    return page


def test_adding_a_member_reads_sex_and_birth_date_from_the_nik_and_audits_masked(client, operator_janju, janju):
    client.force_login(operator_janju)

    response = client.post(reverse("cooperatives:add_member", args=[janju.pk]), form("6401 0452 0385 0001"))

    assert response.status_code == 302
    saved = Member.objects.get()
    assert (saved.nik, saved.sex, saved.birth_date) == (ADULT, "P", date(1985, 3, 12))
    entry = AuditEntry.objects.get(action="member.add")
    assert entry.after["nik"] == mask_nik(ADULT)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("640104520385000", "NIK harus terdiri atas tepat 16 digit"),
        ("64010452038500AB", "NIK memuat “A”, yang bukan angka"),
        ("6401043202850001", "bukan tanggal lahir"),
    ],
)
def test_a_bad_nik_is_refused_with_the_input_kept(client, admin_dinas, janju, raw, message):
    client.force_login(admin_dinas)
    response = client.post(reverse("cooperatives:add_member", args=[janju.pk]), form(raw, dusun="Dusun Dua"))
    page = response.content.decode()
    assert response.status_code == 400 and message in page and "Dusun Dua" in page
    assert not Member.objects.exists()


def test_the_same_nik_twice_in_one_cooperative_is_refused(client, admin_dinas, janju):
    member(admin_dinas, janju, ADULT)
    client.force_login(admin_dinas)
    response = client.post(reverse("cooperatives:add_member", args=[janju.pk]), form(ADULT, name="Orang Lain"))
    assert response.status_code == 400 and "sudah terdaftar sebagai anggota koperasi ini" in response.content.decode()


def test_an_adult_from_the_kecamatan_gets_no_warning(client, admin_dinas, janju):
    member(admin_dinas, janju, ADULT)
    client.force_login(admin_dinas)
    assert 'data-testid="warning"' not in warnings_on_list(client, janju)


def test_a_member_under_17_is_saved_with_a_warning(client, admin_dinas, janju):
    today = date.today()
    child = nik(TANAH_GROGOT_NIK, date(today.year - 15, 1, 1), serial=2)
    client.force_login(admin_dinas)

    response = client.post(reverse("cooperatives:add_member", args=[janju.pk]), form(child), follow=True)

    assert Member.objects.filter(nik=child).exists()
    assert "di bawah 17 tahun" in response.content.decode()
    assert "di bawah 17 tahun" in warnings_on_list(client, janju)


def test_a_member_registered_in_another_kecamatan_gets_a_warning(client, admin_dinas, janju):
    member(admin_dinas, janju, nik(BATU_SOPANG_NIK, date(1980, 1, 1), serial=3))
    client.force_login(admin_dinas)
    assert "di luar kecamatan" in warnings_on_list(client, janju)


def test_an_active_member_of_another_cooperative_gets_a_warning_until_leaving_it(
    client, admin_dinas, janju, sungai_terik
):
    member(admin_dinas, janju, ADULT)
    other = member(admin_dinas, sungai_terik, ADULT)
    client.force_login(admin_dinas)
    assert sungai_terik.name in warnings_on_list(client, janju)

    services.mark_member_left(actor=admin_dinas, member=other, left_date=date(2026, 1, 1))

    assert sungai_terik.name not in warnings_on_list(client, janju)


def test_marking_left_and_rejoining_keeps_the_row(client, admin_dinas, janju):
    saved = member(admin_dinas, janju, ADULT)
    client.force_login(admin_dinas)

    client.post(reverse("cooperatives:member_left", args=[janju.pk, saved.pk]), {"left_date": "2026-02-01"})
    saved.refresh_from_db()
    assert (saved.status, saved.left_date) == (MemberStatus.LEFT, date(2026, 2, 1))

    client.post(reverse("cooperatives:member_rejoin", args=[janju.pk, saved.pk]))
    saved.refresh_from_db()
    assert (saved.status, saved.left_date) == (MemberStatus.ACTIVE, None)
    assert Member.objects.count() == 1
    assert list(
        AuditEntry.objects.filter(action__startswith="member.").values_list("action", flat=True).order_by("id")
    ) == [
        "member.add",
        "member.left",
        "member.rejoin",
    ]


def test_leaving_without_a_date_is_refused(client, admin_dinas, janju):
    saved = member(admin_dinas, janju, ADULT)
    client.force_login(admin_dinas)
    response = client.post(reverse("cooperatives:member_left", args=[janju.pk, saved.pk]), {}, follow=True)
    assert "Isi tanggal anggota keluar" in response.content.decode()
    saved.refresh_from_db()
    assert saved.status == MemberStatus.ACTIVE


def test_editing_a_member_follows_a_corrected_nik(client, admin_dinas, janju):
    saved = member(admin_dinas, janju, ADULT)
    corrected = nik(TANAH_GROGOT_NIK, date(1979, 7, 4), serial=1)
    client.force_login(admin_dinas)
    token = read_token(saved, services.MEMBER_EDIT_FIELDS)
    response = client.post(
        reverse("cooperatives:edit_member", args=[janju.pk, saved.pk]), form(corrected, **{READ_TOKEN_FIELD: token})
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.nik, saved.sex, saved.birth_date) == (corrected, "L", date(1979, 7, 4))


def test_member_counts_by_sex_and_age_band(admin_dinas, janju):
    today = date(2026, 6, 1)
    for serial, (born, female) in enumerate(
        [(date(2010, 1, 1), False), (date(2000, 1, 1), True), (date(1995, 1, 1), False), (date(1960, 1, 1), True)], 1
    ):
        member(admin_dinas, janju, nik(TANAH_GROGOT_NIK, born, female=female, serial=serial), name=f"A{serial}")
    left = member(admin_dinas, janju, nik(TANAH_GROGOT_NIK, date(1990, 1, 1), serial=9), name="Keluar")
    services.mark_member_left(actor=admin_dinas, member=left, left_date=date(2026, 1, 1))

    counts = member_counts(janju, today=today)

    assert (counts["total"], counts["men"], counts["women"]) == (4, 2, 2)
    assert dict(counts["bands"]) == {"< 17": 1, "17–25": 0, "26–35": 2, "36–45": 0, "46–55": 0, "56+": 1}


def test_pimpinan_sees_masked_niks_and_mitra_sees_counts_without_names(client, admin_dinas, pimpinan, mitra, janju):
    member(admin_dinas, janju, ADULT)

    client.force_login(pimpinan)
    page = client.get(reverse("cooperatives:members", args=[janju.pk])).content.decode()
    assert "Siti Rahman" in page and mask_nik(ADULT) in page and ADULT not in page

    client.force_login(mitra)
    page = client.get(reverse("cooperatives:members", args=[janju.pk])).content.decode()
    assert "Siti Rahman" not in page and mask_nik(ADULT) not in page
    assert "anggota aktif" in page


def test_the_editor_sees_full_niks(client, operator_janju, admin_dinas, janju):
    member(admin_dinas, janju, ADULT)
    client.force_login(operator_janju)
    assert ADULT in client.get(reverse("cooperatives:members", args=[janju.pk])).content.decode()


def test_member_list_queries_do_not_grow_with_members(client, admin_dinas, janju, django_assert_max_num_queries):
    client.force_login(admin_dinas)
    member(admin_dinas, janju, ADULT)
    url = reverse("cooperatives:members", args=[janju.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for serial in range(2, 40):
        member(admin_dinas, janju, nik(TANAH_GROGOT_NIK, date(1980, 1, 1), serial=serial), name=f"Anggota {serial}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('data-testid="member-nik"') == 39


def test_editors_find_a_member_by_nik_and_readers_cannot_probe_niks(client, admin_dinas, pimpinan, janju):
    member(admin_dinas, janju, ADULT)
    member(admin_dinas, janju, nik(TANAH_GROGOT_NIK, date(1970, 1, 1), serial=5), name="Budi Hidayat")
    url = reverse("cooperatives:members", args=[janju.pk])

    client.force_login(admin_dinas)
    page = client.post(url, {"q": ADULT}, follow=True).content.decode()
    assert "Siti Rahman" in page and "Budi Hidayat" not in page

    client.force_login(pimpinan)
    page = client.post(url, {"q": ADULT}, follow=True).content.decode()
    assert "Siti Rahman" not in page and "Budi Hidayat" not in page
    assert "Budi Hidayat" in client.post(url, {"q": "budi"}, follow=True).content.decode()


def test_only_the_office_is_offered_the_spreadsheet_import(client, admin_dinas, operator_janju, janju):
    url = reverse("cooperatives:members", args=[janju.pk])
    client.force_login(admin_dinas)
    assert reverse("imports:members", args=[janju.pk]) in client.get(url).content.decode()
    client.force_login(operator_janju)
    assert 'data-testid="import-members"' not in client.get(url).content.decode()


def test_the_age_warning_counts_the_villages_date_not_the_servers(admin_dinas, janju, monkeypatch):
    # 23:30 UTC on 14 March is 07:30 WITA on 15 March: a member born on 15 March 2009 is 17 in Paser that morning.
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 3, 14, 23, 30, tzinfo=UTC))
    seventeen_today = nik(TANAH_GROGOT_NIK, date(2009, 3, 15), serial=4)
    sixteen = nik(TANAH_GROGOT_NIK, date(2009, 3, 16), serial=5)

    warnings = member_warnings(cooperative=janju, niks=[seventeen_today, sixteen])

    assert seventeen_today not in warnings
    assert [w.code for w in warnings[sixteen]] == [UNDER_AGE]
