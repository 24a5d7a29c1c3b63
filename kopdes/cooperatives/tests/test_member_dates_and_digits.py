"""The member form and services follow the same rules as the members import (kopdes.cleaners): a NIK written in
another digit script is the same person, and leaving before joining, or joining or leaving in the village's future,
is refused — the form keeps what was typed, nothing is written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.clock import local_today
from kopdes.conftest import JANJU
from kopdes.cooperatives import services
from kopdes.cooperatives.models import Member, MemberStatus
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik

pytestmark = pytest.mark.django_db
BUDI = nik(TANAH_GROGOT_NIK, date(1990, 5, 15), serial=13)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EXTENDED_ARABIC_INDIC = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def form(nik_, name="Budi Santoso", **extra):
    return {"nik": nik_, "name": name, "simpanan_pokok": "100000", "simpanan_wajib": "0", **extra}


def add(actor, cooperative, **extra):
    return services.add_member(actor=actor, cooperative=cooperative, nik=BUDI, name="Budi Santoso", **extra)


@pytest.mark.parametrize("script", [ARABIC_INDIC, EXTENDED_ARABIC_INDIC])
def test_a_nik_in_arabic_indic_digits_is_stored_in_ascii_and_the_ascii_one_is_the_same_member(
    client, admin_dinas, janju, script
):
    client.force_login(admin_dinas)
    response = client.post(reverse("cooperatives:add_member", args=[janju.pk]), form(BUDI.translate(script)))
    assert response.status_code == 302
    assert list(Member.objects.values_list("nik", flat=True)) == [BUDI]

    again = client.post(reverse("cooperatives:add_member", args=[janju.pk]), form(BUDI))
    assert again.status_code == 400 and "NIK ini sudah terdaftar sebagai anggota koperasi ini" in again.content.decode()
    other = client.post(reverse("cooperatives:add_member", args=[janju.pk]), form(BUDI, name="Budi Lain"))
    assert other.status_code == 400 and "Budi Santoso" in other.content.decode()  # the roster's name for that NIK
    with pytest.raises(ValidationError):
        services.add_member(actor=admin_dinas, cooperative=janju, nik=BUDI.translate(script), name="Budi Lagi")
    assert Member.objects.count() == 1


def test_joining_in_the_villages_future_is_refused_on_the_form_with_the_input_kept(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    tomorrow = local_today(JANJU) + timedelta(days=1)
    response = client.post(
        reverse("cooperatives:add_member", args=[janju.pk]),
        form(BUDI, dusun="Dusun Sukamaju", join_date=tomorrow.isoformat()),
    )
    page = response.content.decode()
    assert response.status_code == 400 and "masa depan" in page
    assert "Dusun Sukamaju" in page and tomorrow.isoformat() in page
    assert not Member.objects.exists() and not AuditEntry.objects.filter(action="member.add").exists()


def test_a_join_date_after_the_member_left_is_refused_on_the_edit_form(client, admin_dinas, janju):
    saved = add(admin_dinas, janju, join_date=date(2025, 6, 10))
    services.mark_member_left(actor=admin_dinas, member=saved, left_date=date(2025, 7, 1))
    client.force_login(admin_dinas)

    url = reverse("cooperatives:edit_member", args=[janju.pk, saved.pk])
    token = client.get(url).context["form"].initial["dibaca"]  # the edit form's read token (kopdes.audit.stale)
    response = client.post(url, {**form(BUDI, name="Budi Santosa", join_date="2025-08-01"), "dibaca": token})
    page = response.content.decode()
    assert response.status_code == 400 and "sebelum bergabung" in page
    assert "Budi Santosa" in page and "2025-08-01" in page
    saved.refresh_from_db()
    assert (saved.name, saved.join_date) == ("Budi Santoso", date(2025, 6, 10))


def test_the_left_service_refuses_leaving_before_joining_or_in_the_future(admin_dinas, janju):
    saved = add(admin_dinas, janju, join_date=date(2025, 6, 10))

    with pytest.raises(ValidationError) as before_joining:
        services.mark_member_left(actor=admin_dinas, member=saved, left_date=date(2025, 1, 1))
    with pytest.raises(ValidationError) as in_future:
        services.mark_member_left(actor=admin_dinas, member=saved, left_date=local_today(JANJU) + timedelta(days=1))

    assert (
        "keluar (1 Januari 2025) sebelum bergabung (10 Juni 2025)" in before_joining.value.message_dict["left_date"][0]
    )
    assert "masa depan" in in_future.value.message_dict["left_date"][0]
    saved.refresh_from_db()
    assert (saved.status, saved.left_date) == (MemberStatus.ACTIVE, None)
    assert not AuditEntry.objects.filter(action="member.left").exists()

    services.mark_member_left(actor=admin_dinas, member=saved, left_date=date(2025, 6, 10))  # the same day is fine
    saved.refresh_from_db()
    assert (saved.status, saved.left_date) == (MemberStatus.LEFT, date(2025, 6, 10))


def test_leaving_before_joining_through_the_page_says_why_and_changes_nothing(client, admin_dinas, janju):
    saved = add(admin_dinas, janju, join_date=date(2025, 6, 10))
    client.force_login(admin_dinas)

    response = client.post(
        reverse("cooperatives:member_left", args=[janju.pk, saved.pk]), {"left_date": "2025-01-01"}, follow=True
    )

    assert "sebelum bergabung" in response.content.decode()
    saved.refresh_from_db()
    assert (saved.status, saved.left_date) == (MemberStatus.ACTIVE, None)
