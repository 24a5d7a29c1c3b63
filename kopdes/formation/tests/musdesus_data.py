"""Valid Musdesus data for the tests: NIKs registered in Janju's kecamatan (Tanah Grogot, 64.01.04) and a board that
passes every rule, so a test changes one thing and watches one rule fire."""

from __future__ import annotations

from datetime import date, time

from kopdes.formation.models import BoardPosition, BusinessUnit, Element, VillageOffice
from kopdes.formation.musdesus import services
from kopdes.formation.workflow import Pathway

NAMES = [
    "Siti Nur'aini",
    "Muhammad Rizky",
    "Ni Luh Putu Ayu Déwi",
    "La Ode Ma'ruf",
    "Andi Tenri Ajeng",
    "Yohanes Ndruru",
    "Hj. Fatimah Az-Zahra",
    "I Gede Ngurah",
    "Dayang Kumala",
    "Petrus Béni",
    "Rahmawati",
    "Abdul Ghoffar",
]


def nik(serial: int, *, woman: bool = False, region: str = "640104", day: int = 12) -> str:
    return f"{region}{day + (40 if woman else 0):02d}0385{serial:04d}"


def person(i: int) -> dict:
    return {"name": f"{NAMES[i % len(NAMES)]} {i}", "nik": nik(i + 1)}


def founders(n: int = 21, start: int = 0) -> list[dict]:
    return [person(start + i) for i in range(n)]


def board(start: int = 100) -> tuple[list[dict], list[dict]]:
    positions = [
        BoardPosition.KETUA,
        BoardPosition.WAKIL_USAHA,
        BoardPosition.WAKIL_KEANGGOTAAN,
        BoardPosition.SEKRETARIS,
        BoardPosition.BENDAHARA,
    ]
    pengurus = [{**person(start + i), "position": p, "village_office": ""} for i, p in enumerate(positions)]
    pengawas = [
        {**person(start + 10), "position": BoardPosition.KETUA, "village_office": VillageOffice.HEAD},
        {**person(start + 11), "position": BoardPosition.ANGGOTA, "village_office": ""},
        {**person(start + 12), "position": BoardPosition.ANGGOTA, "village_office": ""},
    ]
    return pengurus, pengawas


def attendees(n: int = 30, start: int = 0) -> list[dict]:
    return [{**person(start + i), "sex": "L", "element": Element.TOKOH_MASYARAKAT} for i in range(n)]


def decisions(**overrides) -> dict:
    return {
        "pathway": Pathway.PENDIRIAN_BARU,
        "cooperative_name": "Koperasi Desa Merah Putih Janju",
        "simpanan_pokok": 100000,
        "simpanan_wajib": 10000,
        "no_family_ties_declared": True,
        "notes": "Disepakati secara mufakat.",
        **overrides,
    }


def record_valid(actor, cooperative, *, attendance: int = 30, start: int = 0, **overrides):
    """Schedule, attendance and decisions that pass every rule; returns (musdesus, findings)."""
    ensure_standard_units()
    services.schedule_musdesus(
        actor=actor,
        cooperative=cooperative,
        date=date(2025, 5, 14),
        time=time(9, 0),
        place="Balai Desa Janju",
        convener="Ketua BPD Janju",
        invitees=[{"name": "Camat Tanah Grogot", "note": "Kecamatan"}],
    )
    services.record_attendance(actor=actor, cooperative=cooperative, attendees=attendees(attendance, start))
    pengurus, pengawas = board(start + 100)
    kwargs = {
        "founders": founders(21, start),
        "pengurus": pengurus,
        "pengawas": pengawas,
        "business_units": list(BusinessUnit.objects.filter(is_standard=True)[:3]),
    }
    people = {k: overrides.pop(k) for k in list(overrides) if k in kwargs}
    kwargs.update(people)
    return services.record_decisions(actor=actor, cooperative=cooperative, decisions=decisions(**overrides), **kwargs)


STANDARD_UNITS = [  # as seeded by migration 0006 (a live-server test's flush empties the table)
    "Kantor koperasi",
    "Kios sembako",
    "Unit simpan pinjam",
    "Klinik desa/kelurahan",
    "Apotek desa/kelurahan",
    "Pergudangan/cold storage",
    "Logistik",
]


def ensure_standard_units() -> None:
    for order, name in enumerate(STANDARD_UNITS, start=1):
        BusinessUnit.objects.get_or_create(name=name, defaults={"is_standard": True, "order": order})
