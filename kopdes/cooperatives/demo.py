"""Registry demo data: three Paser cooperatives with a profile, board, members, outlets and a RAT, written
through the registry services, each fact only where the cooperative's stage has produced it (web/demo_story.py:
Sungai Terik operating, Janju with its NIB, Kasungai just a legal entity). Made-up people and numbers (the NIKs
are well-formed but invented)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kopdes.clock import local_today
from kopdes.cooperatives import services
from kopdes.cooperatives.models import LandStatus, Member, Organ, OutletStatus
from kopdes.formation.models import BusinessUnit, Cooperative

JANJU, SUNGAI_TERIK, KASUNGAI = "64.01.04.2002", "64.01.01.2013", "64.01.01.2014"
FIRST_NAMES = [
    ("Ahmad", "L"), ("Siti", "P"), ("Budi", "L"), ("Nurhayati", "P"), ("Rahmat", "L"), ("Dewi", "P"),
    ("Syamsul", "L"), ("Rina", "P"), ("Hendra", "L"), ("Wati", "P"), ("Yusuf", "L"), ("Fitri", "P"),
    ("Arif", "L"), ("Sri", "P"), ("Bambang", "L"), ("Lestari", "P"), ("Joko", "L"), ("Ani", "P"),
    ("Samsudin", "L"), ("Maryam", "P"), ("Irwan", "L"), ("Halimah", "P"),
]  # fmt: skip
LAST_NAMES = ["Saputra", "Hidayat", "Rahman", "Kurniawan", "Wahyuni", "Pratama", "Susanti", "Gunawan"]


def demo_nik(code: str, index: int, sex: str, born: date) -> str:
    region = "".join(code.split(".")[:3])
    day = born.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{index + 1:04d}"


def _people(code: str, count: int, offset: int = 0):
    for i in range(count):
        first, sex = FIRST_NAMES[(i + offset) % len(FIRST_NAMES)]
        born = date(1960 + (i * 7 + offset) % 45, 1 + (i * 5) % 12, 1 + (i * 3) % 28)
        yield f"{first} {LAST_NAMES[(i + offset) % len(LAST_NAMES)]}", demo_nik(code, i + offset, sex, born)


PLANS: dict[str, dict[str, Any]] = {
    JANJU: {
        "profile": {
            "address": "Jl. Poros Janju RT 03, Desa Janju, Kecamatan Tanah Grogot",
            "nomor_induk_koperasi": "6401040020001",
            "npwp": "012345678912000",
            "kbli_codes": ["47111", "64141"],
            "bank_name": "Bank Kaltimtara",
            "bank_account_number": "0011223344",
            "bank_account_holder": "Koperasi Desa Merah Putih Janju",
            "simkopdes_status": "requested",  # SIMKOPDES asked for; stage 10 not reached
        },
        "members": 20,
        # coordinates inside the village's outline in the shared Paser boundaries (data/wilayah/paser)
        "outlets": [
            ("Kios sembako", OutletStatus.CONSTRUCTION, 80, None, "-1.832600", "116.166000", LandStatus.VILLAGE),
            ("Unit simpan pinjam", OutletStatus.CONSTRUCTION, 60, None, "-1.834000", "116.169000", LandStatus.LOANED),
            ("Klinik desa/kelurahan", OutletStatus.PLANNED, None, None, None, None, ""),
        ],
        "rat": True,
    },
    SUNGAI_TERIK: {
        "profile": {"address": "Desa Sungai Terik, Kecamatan Batu Sopang", "simkopdes_status": "requested"},
        "members": 12,
        "outlets": [
            ("Kantor koperasi", OutletStatus.OPEN, None, date(2025, 9, 15), "-1.820600", "115.964400", LandStatus.OWN)
        ],
        "rat": None,
    },
    KASUNGAI: {
        "profile": {"address": "Desa Kasungai, Kecamatan Batu Sopang"},
        "members": 6,
        "outlets": [],
        "rat": None,
    },
}


def load(*, admin) -> bool:
    """Fill the registry of three demo cooperatives. Returns False when already done (rerunnable)."""
    cases = {c.region_code: c for c in Cooperative.objects.filter(region_code__in=PLANS, is_active=True)}
    if len(cases) < len(PLANS) or Member.objects.filter(cooperative__in=cases.values()).exists():
        return False
    units = {u.name: u for u in BusinessUnit.objects.all()}
    today = local_today(JANJU)
    for number, (code, plan) in enumerate(PLANS.items()):
        case = cases[code]
        case.refresh_from_db()
        services.update_profile(actor=admin, cooperative=case, version=case.version, **plan["profile"])
        # one list of people per village: the board sits among the members, each person with one NIK everywhere
        everyone = list(_people(code, max(plan["members"], 5), offset=3 + 2 * number))
        board = everyone[:5]
        term: dict[str, Any] = {"term_start": date(2025, 5, 20), "term_end": date(2030, 5, 19)}
        for (name, nik), (organ, position) in zip(
            board,
            [
                (Organ.PENGURUS, "ketua"),
                (Organ.PENGURUS, "sekretaris"),
                (Organ.PENGURUS, "bendahara"),
                (Organ.PENGAWAS, "ketua"),
                (Organ.PENGAWAS, "anggota"),
            ][: 5 if code != KASUNGAI else 2],
            strict=False,
        ):
            services.add_seat(actor=admin, cooperative=case, organ=organ, position=position, name=name, nik=nik, **term)
        people = everyone[: plan["members"]]
        if code == JANJU:  # two members whose NIK gives a warning: under 17, registered in another kecamatan
            people += [
                ("Putri Anggraini", demo_nik(code, 40, "P", date(today.year - 15, 4, 2))),
                ("Rudi Hartono", demo_nik("64.01.01", 41, "L", date(1988, 8, 8))),
            ]
        for i, (name, nik) in enumerate(people):
            services.add_member(
                actor=admin,
                cooperative=case,
                nik=nik,
                name=name,
                dusun=f"Dusun {1 + i % 3}",
                rt=f"{1 + i % 5:02d}",
                join_date=date(2025, 6, 1),
                simpanan_pokok=Decimal(100000),
                simpanan_wajib=Decimal(10000 * (1 + i % 6)),
                source="demo",
            )
        for unit, status, progress, opened, lat, lon, land in plan["outlets"]:
            services.save_outlet(
                actor=admin,
                cooperative=case,
                unit=units.get(unit),
                other_type="" if unit in units else unit,
                name="",
                status=status,
                progress_percent=progress,
                opened_on=opened,
                latitude=Decimal(lat) if lat else None,
                longitude=Decimal(lon) if lon else None,
                land_status=land,
                land_note="",
            )
        if plan["rat"]:
            services.record_rat(
                actor=admin,
                cooperative=case,
                book_year=today.year - 1,
                held=True,
                held_on=min(today, date(today.year, 3, 14)),
            )
    return True
