"""The board never trained: sitting pengurus and pengawas with no training attendance, matched by NIK when both sides
have one, else by normalised name and the cooperative's village."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kopdes.assistance.services import activities as services
from kopdes.assistance.tests.activities_helpers import attend, make_training
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.cooperatives.models import BoardMember
from kopdes.dashboards.board import untrained_board
from kopdes.formation.tests.conftest import programme  # noqa: F401  (every village has its cooperative)
from kopdes.formation.tests.helpers import case_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("programme")]

N1, N2, N3, N4 = "6401040101850003", "6401041502900002", "6401042003920004", "6401045506950001"


def seat(code, name, *, organ="pengurus", nik="", ended=None):
    return BoardMember.objects.create(
        cooperative=case_for(code), organ=organ, position="anggota", name=name, nik=nik, ended_at=ended
    )


@pytest.fixture
def board(admin_dinas):
    """Sitting and former board members of Janju's and Sungai Terik's cooperatives, and one training's attendance."""
    members = {
        "nik_match": seat(JANJU, "Ahmad Rifai", nik=N1),
        "name_match": seat(JANJU, "Siti Rahmah"),
        "nik_differs": seat(JANJU, "Budi Santoso", organ="pengawas", nik=N2),
        "attendee_without_nik": seat(JANJU, "Hj. Nurhayati", nik=N4),
        "other_village": seat(JANJU, "Joko"),
        "withdrawn": seat(JANJU, "Rudi Hartono"),
        "ended": seat(JANJU, "Lama Sekali", ended=date(2025, 5, 1)),
        "sungai_terik": seat(SUNGAI_TERIK, "Dewi Lestari", organ="pengawas"),
    }
    training = make_training(admin_dinas)
    attend(
        admin_dinas,
        training,
        ("Ahmad R.", JANJU, N1),  # another spelling, the same NIK
        ("  siti   RAHMAH. ", JANJU),  # the same name once normalised
        ("Budi Santoso", JANJU, N3),  # the same name, another NIK: another person
        ("HJ NURHAYATI", JANJU),  # no NIK on the attendee: the name and village decide
        ("Joko", SUNGAI_TERIK),  # the same name in another village
    )
    (withdrawn,) = attend(admin_dinas, training, ("Rudi Hartono", JANJU))
    services.withdraw_attendee(actor=admin_dinas, attendee=withdrawn)
    return members


def listed(user) -> dict[str, list[str]]:
    return {g.cooperative: [m["name"] for m in g.members] for g in untrained_board(user)}


def test_the_office_sees_exactly_the_untrained_sitting_members(admin_dinas, board):
    assert listed(admin_dinas) == {
        case_for(JANJU).name: ["Budi Santoso", "Joko", "Rudi Hartono"],
        case_for(SUNGAI_TERIK).name: ["Dewi Lestari"],
    }


def test_a_pendamping_sees_only_the_cooperatives_of_its_villages(pendamping, board):
    assert list(listed(pendamping)) == [case_for(JANJU).name]


def test_the_board_page_lists_them_by_cooperative(client, camat_batu_sopang, board):
    client.force_login(camat_batu_sopang)

    response = client.get(reverse("dashboards:untrained_board"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Dewi Lestari" in content and "Budi Santoso" not in content
    assert "1 pengurus/pengawas belum pernah dilatih" in content


def test_a_member_trained_after_the_list_leaves_it(admin_dinas, board):
    attend(admin_dinas, make_training(admin_dinas, topic="Lanjutan"), ("Dewi Lestari", SUNGAI_TERIK))

    assert case_for(SUNGAI_TERIK).name not in listed(admin_dinas)


def test_the_board_page_is_not_for_the_read_only_partner(client, mitra, board):
    client.force_login(mitra)

    assert client.get(reverse("dashboards:untrained_board")).status_code == 404


def test_the_board_page_queries_do_not_grow_with_members(client, admin_dinas, board, django_assert_max_num_queries):
    client.force_login(admin_dinas)
    url = reverse("dashboards:untrained_board")
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for n in range(10):
        seat("64.01.04.2003", f"Anggota {n}")
        seat("64.01.01.2014", f"Pengawas {n}", organ="pengawas")

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["total"] == 24


def test_attending_a_training_later_cancelled_does_not_count_as_trained(admin_dinas):
    seat(JANJU, "Rahmat Hidayat")
    training = make_training(admin_dinas, villages=[JANJU])
    attend(admin_dinas, training, ("Rahmat Hidayat", JANJU))
    trained = [m["name"] for g in untrained_board(admin_dinas) for m in g.members]

    services.cancel_training(actor=admin_dinas, training=training, reason="Dibatalkan karena banjir")

    untrained = [m["name"] for g in untrained_board(admin_dinas) for m in g.members]
    assert "Rahmat Hidayat" not in trained and "Rahmat Hidayat" in untrained
