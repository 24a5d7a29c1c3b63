"""The registry through the JSON API: the same scope as the pages, names only for who may see people, NIKs never."""

from __future__ import annotations

import json
from datetime import date

from kopdes.api.services import create_api_token
from kopdes.cooperatives import services
from kopdes.cooperatives.tests.conftest import TANAH_GROGOT_NIK, nik

CHAIR_NIK = nik(TANAH_GROGOT_NIK, date(1980, 3, 4), female=True, serial=7)


def get(client, user, pk: int):
    _token, raw = create_api_token(actor=None, user=user, name="test")
    return client.get(f"/api/v1/koperasi/{pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")


def seat_a_chair_and_a_member(actor, cooperative):
    services.add_seat(
        actor=actor,
        cooperative=cooperative,
        organ="pengurus",
        position="ketua",
        name="Siti Aminah",
        nik=CHAIR_NIK,
        term_start=date(2025, 5, 20),
        term_end=date(2099, 5, 19),
    )
    services.add_member(actor=actor, cooperative=cooperative, nik=CHAIR_NIK, name="Siti Aminah")


def test_the_office_reads_the_registry_with_names_and_no_nik(client, admin_dinas, janju):
    seat_a_chair_and_a_member(admin_dinas, janju)

    response = get(client, admin_dinas, janju.pk)

    assert response.status_code == 200
    data = response.json()
    assert data["region_code"] == "64.01.04.2002" and data["members_active"] == 1 and data["members_women"] == 1
    assert data["board"] == [
        {
            "organ": "pengurus",
            "position": "ketua",
            "name": "Siti Aminah",
            "term_start": "2025-05-20",
            "term_end": "2099-05-19",
            "term_valid": True,
        }
    ]
    assert {c["key"] for c in data["health"]} == {"legal", "board", "members", "outlet", "rat", "fresh"}
    assert data["health_score"] == sum(c["passed"] for c in data["health"])
    assert CHAIR_NIK not in json.dumps(data)


def test_the_partner_gets_no_names_and_another_kecamatan_gets_404(client, admin_dinas, mitra, camat_batu_sopang, janju):
    seat_a_chair_and_a_member(admin_dinas, janju)

    partner = get(client, mitra, janju.pk).json()

    assert partner["board"][0]["name"] is None and "Siti" not in json.dumps(partner)
    assert get(client, camat_batu_sopang, janju.pk).status_code == 404
    assert get(client, admin_dinas, 999_999).status_code == 404
