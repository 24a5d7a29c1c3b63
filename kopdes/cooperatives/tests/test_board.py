"""The board: seats with terms, ending and replacing keeps history, taking over the Musdesus' choice, NIK shown by
role, names hidden from mitra, the completeness rule."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.cooperatives import services
from kopdes.cooperatives.models import BoardMember
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik
from kopdes.core.nik import mask_nik
from kopdes.formation.models import Musdesus, Participant, ParticipantKind

pytestmark = pytest.mark.django_db
KETUA_NIK = nik(TANAH_GROGOT_NIK, date(1980, 3, 12), serial=7)
TERM = {"term_start": date(2025, 6, 1), "term_end": date(2030, 5, 31)}


def seat(actor, cooperative, organ="pengurus", position="ketua", name="Ahmad Saputra", nik_="", **extra):
    return services.add_seat(
        actor=actor, cooperative=cooperative, organ=organ, position=position, name=name, nik=nik_, **{**TERM, **extra}
    )


def full_board(actor, cooperative):
    for position in ("ketua", "sekretaris", "bendahara"):
        seat(actor, cooperative, position=position, name=f"Pengurus {position}")
    seat(actor, cooperative, organ="pengawas", position="ketua", name="Pengawas Satu")


def test_adding_a_seat_through_the_form_shows_it_with_the_full_nik_to_the_editor(client, operator_janju, janju):
    client.force_login(operator_janju)

    response = client.post(
        reverse("cooperatives:add_seat", args=[janju.pk]),
        {
            "organ": "pengurus",
            "position": "ketua",
            "name": "Ahmad Saputra",
            "nik": KETUA_NIK,
            "term_start": "2025-06-01",
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "Ahmad Saputra" in page and KETUA_NIK in page
    assert AuditEntry.objects.filter(action="board.seat_add").count() == 1


def test_pimpinan_sees_the_nik_masked_and_mitra_sees_no_names(client, pimpinan, mitra, admin_dinas, janju):
    seat(admin_dinas, janju, nik_=KETUA_NIK)

    client.force_login(pimpinan)
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "Ahmad Saputra" in page and mask_nik(KETUA_NIK) in page and KETUA_NIK not in page

    client.force_login(mitra)
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "Ahmad Saputra" not in page and mask_nik(KETUA_NIK) not in page
    assert "Ketua" in page  # the seat itself is visible


def test_a_seat_with_a_bad_nik_or_a_term_ending_before_it_starts_is_refused(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    data = {"organ": "pengurus", "position": "ketua", "name": "Ahmad Saputra", "nik": "12345"}

    response = client.post(reverse("cooperatives:add_seat", args=[janju.pk]), data)
    assert response.status_code == 400 and "NIK harus terdiri atas tepat 16 digit" in response.content.decode()
    assert "Ahmad Saputra" in response.content.decode()

    data.update(nik="", term_start="2025-06-01", term_end="2025-01-01")
    response = client.post(reverse("cooperatives:add_seat", args=[janju.pk]), data)
    assert response.status_code == 400 and "tidak dapat berakhir sebelum dimulai" in response.content.decode()
    assert not BoardMember.objects.exists()


def test_ending_a_seat_keeps_it_as_history(client, admin_dinas, janju):
    ketua = seat(admin_dinas, janju)
    client.force_login(admin_dinas)

    response = client.post(
        reverse("cooperatives:end_seat", args=[janju.pk, ketua.pk]),
        {"ended_at": "2026-01-10", "reason": "Mengundurkan diri"},
    )

    assert response.status_code == 302
    ketua.refresh_from_db()
    assert ketua.ended_at == date(2026, 1, 10) and ketua.end_reason == "Mengundurkan diri"
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "Pengurus/pengawas terdahulu" in page and "Mengundurkan diri" in page


def test_ending_a_seat_needs_a_reason(client, admin_dinas, janju):
    ketua = seat(admin_dinas, janju)
    client.force_login(admin_dinas)
    response = client.post(reverse("cooperatives:end_seat", args=[janju.pk, ketua.pk]), {"ended_at": "2026-01-10"})
    assert response.status_code == 400
    ketua.refresh_from_db()
    assert ketua.ended_at is None


def test_replacing_a_seat_ends_it_and_seats_the_successor_in_the_same_position(client, admin_dinas, janju):
    ketua = seat(admin_dinas, janju)
    client.force_login(admin_dinas)

    client.post(
        reverse("cooperatives:end_seat", args=[janju.pk, ketua.pk]),
        {"ended_at": "2026-01-10", "reason": "Pindah domisili", "successor_name": "Siti Rahman"},
    )

    successor = BoardMember.objects.get(ended_at__isnull=True)
    assert (successor.name, successor.organ, successor.position) == ("Siti Rahman", "pengurus", "ketua")
    assert successor.term_start == date(2026, 1, 10) and successor.term_end == TERM["term_end"]
    assert BoardMember.objects.count() == 2


def test_taking_over_the_board_from_the_musdesus_copies_the_elected_candidates(client, admin_dinas, janju):
    musdesus = Musdesus.objects.create(cooperative=janju)
    Participant.objects.create(
        musdesus=musdesus, kind=ParticipantKind.PENGURUS, name="Calon Ketua", position="ketua", nik=KETUA_NIK
    )
    Participant.objects.create(
        musdesus=musdesus, kind=ParticipantKind.PENGAWAS, name="Calon Pengawas", position="ketua"
    )
    Participant.objects.create(musdesus=musdesus, kind=ParticipantKind.ATTENDEE, name="Peserta Biasa")
    client.force_login(admin_dinas)

    url = reverse("cooperatives:board_from_musdesus", args=[janju.pk])
    client.post(url, {"term_start": "2025-06-01", "term_end": "2030-05-31"})

    seats = {s.name: s for s in BoardMember.objects.all()}
    assert set(seats) == {"Calon Ketua", "Calon Pengawas"}
    assert seats["Calon Ketua"].nik == KETUA_NIK and seats["Calon Pengawas"].organ == "pengawas"
    assert seats["Calon Ketua"].term_start == date(2025, 6, 1)

    # a second time: the board is no longer empty, nothing is copied
    response = client.post(url, {}, follow=True)
    assert "Sudah ada pengurus atau pengawas yang menjabat" in response.content.decode()
    assert BoardMember.objects.count() == 2


def test_taking_over_without_musdesus_candidates_says_so(client, admin_dinas, janju):
    client.force_login(admin_dinas)
    response = client.post(reverse("cooperatives:board_from_musdesus", args=[janju.pk]), {}, follow=True)
    assert "tidak mencatat calon pengurus atau pengawas" in response.content.decode()


def test_the_page_states_what_keeps_the_board_incomplete(client, admin_dinas, janju):
    seat(admin_dinas, janju)  # only a ketua
    client.force_login(admin_dinas)
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert "tidak ada Sekretaris yang menjabat" in page and "tidak ada pengawas yang menjabat" in page

    full_board(admin_dinas, janju)
    page = client.get(reverse("cooperatives:detail", args=[janju.pk])).content.decode()
    assert 'data-testid="board-problems"' not in page
