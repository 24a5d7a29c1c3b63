"""Registry demo data: three Paser cooperatives with a profile, board, members, outlets and a RAT, written
through the registry services, each fact only where the cooperative's stage has produced it (web/demo_story.py:
Sungai Terik operating, Janju with its NIB, Kasungai just a legal entity). Made-up people and numbers; the people are
the village's demo list (formation/demo_people.py), the board the one its Musdesus elected."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kopdes.clock import local_today
from kopdes.cooperatives import services
from kopdes.cooperatives.models import LandStatus, Member, Organ, OutletStatus
from kopdes.formation.demo_people import nik_for, village_people
from kopdes.formation.models import BusinessUnit, Cooperative

FOUNDERS = 20  # the first 20 of the village's list founded the cooperative at its Musdesus (web/demo_story.py)

JANJU, SUNGAI_TERIK, KASUNGAI = "64.01.04.2002", "64.01.01.2013", "64.01.01.2014"
# board seats: (place in the village's list, organ, position), as the Musdesus elected them (web/demo_story.py)
SEATS = [
    (1, Organ.PENGURUS, "ketua"),
    (2, Organ.PENGURUS, "wakil_usaha"),
    (3, Organ.PENGURUS, "wakil_keanggotaan"),
    (4, Organ.PENGURUS, "sekretaris"),
    (5, Organ.PENGURUS, "bendahara"),
    (0, Organ.PENGAWAS, "ketua"),
    (6, Organ.PENGAWAS, "anggota"),
    (7, Organ.PENGAWAS, "anggota"),
]


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
        "members": 20,  # the founders
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
        "members": 26,  # the founders and six who joined
        "outlets": [
            ("Kantor koperasi", OutletStatus.OPEN, None, date(2025, 9, 15), "-1.820600", "115.964400", LandStatus.OWN)
        ],
        "rat": None,
    },
    KASUNGAI: {
        "profile": {"address": "Desa Kasungai, Kecamatan Batu Sopang"},
        "members": 20,
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
    for code, plan in PLANS.items():
        case = cases[code]
        case.refresh_from_db()
        services.update_profile(actor=admin, cooperative=case, version=case.version, **plan["profile"])
        # one list of people per village (formation/demo_people.py): the board elected at the Musdesus sits among
        # the founders, who are the first members; each person with one NIK everywhere
        everyone = village_people(code)
        elected = case.musdesus_date or date(2025, 5, 20)  # held: the registry's cases are legal entities
        term: dict[str, Any] = {"term_start": elected, "term_end": elected.replace(year=2030) - timedelta(days=1)}
        for place, organ, position in SEATS:
            person = everyone[place]
            services.add_seat(
                actor=admin, cooperative=case, organ=organ, position=position, name=person.name, nik=person.nik, **term
            )
        people = [(p.name, p.nik) for p in everyone[: plan["members"]]]
        if code == JANJU:  # two members whose NIK gives a warning: under 17, registered in another kecamatan
            people += [
                ("Putri Anggraini", nik_for(code, "P", date(today.year - 15, 4, 2), 9901)),
                ("Rudi Hartono", nik_for("64.01.01", "L", date(1988, 8, 8), 9902)),
            ]
        for i, (name, nik) in enumerate(people):
            services.add_member(
                actor=admin,
                cooperative=case,
                nik=nik,
                name=name,
                dusun=f"Dusun {1 + i % 3}",
                rt=f"{1 + i % 5:02d}",
                join_date=elected if i < FOUNDERS else date(2025, 6, 1),
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
