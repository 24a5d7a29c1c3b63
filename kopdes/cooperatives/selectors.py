"""Registry reads: plain data for the pages, a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import Q

from kopdes.cleaners.nik import FEMALE, MALE, normalise
from kopdes.cooperatives.health import RULES, Health, board_problems, health_for, term_valid
from kopdes.cooperatives.member_checks import age_on, member_warnings
from kopdes.cooperatives.models import (
    AnnualMeeting,
    BoardMember,
    HealthSnapshot,
    Member,
    MemberStatus,
    Organ,
    Outlet,
)
from kopdes.core.nik import display_nik
from kopdes.formation.models import BoardPosition, Cooperative, CooperativeVillage
from kopdes.regions.models import Region, RegionBoundary

if TYPE_CHECKING:
    from kopdes.accounts.models import User

# Age bands for the member counts, by age on today's date: (label, lowest age, highest age or None).
AGE_BANDS = [
    ("< 17", 0, 16),
    ("17–25", 17, 25),
    ("26–35", 26, 35),
    ("36–45", 36, 45),
    ("46–55", 46, 55),
    ("56+", 56, None),
]
POSITION_ORDER = {value: i for i, value in enumerate(BoardPosition.values)}
KECAMATAN_CODE_LENGTH = len("64.01.01")
SORTS = {"score", "-score", "name", "-name", "kecamatan", "-kecamatan"}


@dataclass
class SeatRow:
    seat: BoardMember
    position_label: str
    nik: str
    valid: bool


def _seat_rows(seats, *, may_see_nik: bool, today: date) -> list[SeatRow]:
    rows = [
        SeatRow(
            seat,
            str(BoardPosition(seat.position).label) if seat.position in BoardPosition.values else seat.position,
            display_nik(seat.nik, may_see=may_see_nik),
            term_valid(seat, today),
        )
        for seat in seats
    ]
    rows.sort(key=lambda r: (r.seat.organ, POSITION_ORDER.get(r.seat.position, 99), r.seat.id))
    return rows


def member_counts(cooperative: Cooperative, *, today: date) -> dict:
    """Active members by sex and by age band (one query)."""
    rows = Member.objects.filter(cooperative=cooperative, status=MemberStatus.ACTIVE).values_list("sex", "birth_date")
    by_sex: Counter = Counter()
    by_band: Counter = Counter()
    for sex, born in rows:
        by_sex[sex] += 1
        age = age_on(born, today)
        for label, low, high in AGE_BANDS:
            if age >= low and (high is None or age <= high):
                by_band[label] += 1
                break
    return {
        "total": sum(by_sex.values()),
        "men": by_sex[MALE],
        "women": by_sex[FEMALE],
        "bands": [(label, by_band[label]) for label, _low, _high in AGE_BANDS],
    }


def cooperative_page(cooperative: Cooperative, *, may_see_nik: bool, today: date) -> dict:
    """Everything the cooperative's page shows (about ten queries, none in the template)."""
    memberships = list(
        CooperativeVillage.objects.filter(cooperative=cooperative, left_at__isnull=True)
        .select_related("village")
        .order_by("village_code")
    )
    seats = list(BoardMember.objects.filter(cooperative=cooperative))
    sitting = [s for s in seats if s.ended_at is None]
    outlets = list(Outlet.objects.filter(cooperative=cooperative).select_related("unit"))
    health: Health = health_for([cooperative], today=today)[cooperative.pk]
    return {
        "memberships": memberships,
        "pengurus": _seat_rows([s for s in sitting if s.organ == Organ.PENGURUS], may_see_nik=may_see_nik, today=today),
        "pengawas": _seat_rows([s for s in sitting if s.organ == Organ.PENGAWAS], may_see_nik=may_see_nik, today=today),
        "board_history": sorted(
            [s for s in seats if s.ended_at is not None], key=lambda s: (s.ended_at, s.id), reverse=True
        ),
        "board_problems": board_problems(sitting, today),
        "outlets": outlets,
        "outlet_points": [
            {"lat": float(o.latitude), "lon": float(o.longitude), "label": str(o), "status": o.get_status_display()}
            for o in outlets
            if o.latitude is not None and o.longitude is not None
        ],
        # the villages' outlines (when loaded for the map) give the points a place without a tile server
        "village_outlines": [
            json.loads(shape)
            for shape in RegionBoundary.objects.filter(region__in=[m.village_id for m in memberships]).values_list(
                "simplified", flat=True
            )
        ],
        "rats": list(AnnualMeeting.objects.filter(cooperative=cooperative).order_by("-book_year")),
        "last_book_year": today.year - 1,
        "health": health,
        "rules": RULES,
        "trend": list(HealthSnapshot.objects.filter(cooperative=cooperative).order_by("-day")[:12])[::-1],
        "member_counts": member_counts(cooperative, today=today),
        "recent_members": [
            (m.name, display_nik(m.nik, may_see=may_see_nik))
            for m in Member.objects.filter(cooperative=cooperative, status=MemberStatus.ACTIVE).order_by(
                "-created_at", "-id"
            )[:5]
        ],
    }


@dataclass
class MemberRow:
    member: Member
    nik: str
    age: int
    warnings: list


def member_list(cooperative: Cooperative, *, page: str | int, query: str, status: str, may_see_nik: bool, today):
    """One page (50) of members with their NIK shown as the user may see it and the warnings of that page's NIKs."""
    members = Member.objects.filter(cooperative=cooperative).order_by("name", "id")
    if status in MemberStatus.values:
        members = members.filter(status=status)
    digits = normalise(query)
    if query and digits.isdigit() and may_see_nik:  # a NIK (or its start) only for those who see NIKs in full
        members = members.filter(nik__startswith=digits)
    elif query:
        members = members.filter(Q(name__icontains=query) | Q(dusun__icontains=query))
    paginated = Paginator(members, 50).get_page(page)
    items = list(paginated.object_list)
    warnings = member_warnings(
        cooperative=cooperative, niks=[m.nik for m in items if m.status == MemberStatus.ACTIVE], today=today
    )
    rows = [
        MemberRow(
            m,
            display_nik(m.nik, may_see=may_see_nik),
            age_on(m.birth_date, today),
            warnings.get(m.nik, []) if m.status == MemberStatus.ACTIVE else [],
        )
        for m in items
    ]
    return paginated, rows


@dataclass
class RegistryRow:
    cooperative: Cooperative
    kecamatan: str
    health: Health


def registry_list(user: User, *, sort: str, today: date, within: str = "") -> list[RegistryRow]:
    """Active cooperatives in the user's scope (narrowed to the region `within`, already checked to be in scope) with
    their health, sorted (five queries whatever their number)."""
    cooperatives = Cooperative.objects.visible_to(user).active().order_by("region_code")
    if within:
        cooperatives = cooperatives.in_region(within)
    rows_cooperatives = list(cooperatives)
    health = health_for(rows_cooperatives, today=today, ids=cooperatives.values("pk"))
    kecamatans = dict(
        Region.objects.filter(code__in={c.region_code[:KECAMATAN_CODE_LENGTH] for c in rows_cooperatives}).values_list(
            "code", "name"
        )
    )
    rows = [
        RegistryRow(c, kecamatans.get(c.region_code[:KECAMATAN_CODE_LENGTH], ""), health[c.pk])
        for c in rows_cooperatives
    ]
    sort = sort if sort in SORTS else "-score"
    key = sort.lstrip("-")
    keys = {
        "score": lambda r: (r.health.score, r.cooperative.name),
        "name": lambda r: r.cooperative.name.lower(),
        "kecamatan": lambda r: (r.kecamatan, r.cooperative.name.lower()),
    }
    rows.sort(key=keys[key], reverse=sort.startswith("-"))
    return rows


def people_of_cooperatives(cooperative_ids: list[int]) -> list[str]:
    """Names of the members (who left too) and board seats (ended too) of the cooperatives `cooperative_ids`: the
    registry's part of `formation.known_people` (two queries)."""
    members = Member.objects.filter(cooperative__in=cooperative_ids).values_list("name", flat=True)
    seats = BoardMember.objects.filter(cooperative__in=cooperative_ids).values_list("name", flat=True)
    return [*members, *seats]


def member_export_rows(cooperative: Cooperative, *, status: str, may_see_nik: bool):
    """Every member of `cooperative` (optionally of one `status`) as export rows (views.MEMBER_EXPORT_HEADERS):
    NIK (masked unless `may_see_nik`, as on the page), name, sex (L/P), dusun, RT, joined on, simpanan pokok and wajib
    (Rp, numbers), status label, left on. Streams from the database (no list of every member in memory)."""
    members = Member.objects.filter(cooperative=cooperative).order_by("name", "id")
    if status in MemberStatus.values:
        members = members.filter(status=status)
    for m in members.iterator(chunk_size=2000):
        yield [
            display_nik(m.nik, may_see=may_see_nik),
            m.name,
            m.sex,
            m.dusun,
            m.rt,
            m.join_date,
            float(m.simpanan_pokok),
            float(m.simpanan_wajib),
            str(MemberStatus(m.status).label),
            m.left_date,
        ]
