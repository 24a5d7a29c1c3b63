"""Warnings about members, shared by the member form and the spreadsheet import.

Warnings never block saving: a member may be under 17 by a wrong NIK, or have moved from another kecamatan. They are
shown so that the office can look. Checked for many NIKs at once with a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from kopdes.cleaners.nik import old_region_warning, parse_nik, region_digits_of, unknown_region
from kopdes.clock import local_today
from kopdes.cooperatives.models import Member, MemberStatus
from kopdes.formation.models import Cooperative, CooperativeVillage
from kopdes.regions.selectors import region_codes_in_force

MINIMUM_AGE = 17  # the age for a KTP (UU 24/2013 on Adminduk): younger members are warned about
UNDER_AGE, OTHER_KECAMATAN, OTHER_COOPERATIVE = "under_age", "other_kecamatan", "other_cooperative"
OLD_REGION_CODE = "old_region_code"
_IN_LIMIT = 900  # below SQLite's and PostgreSQL's parameter limits with room to spare


@dataclass(frozen=True)
class MemberWarning:
    code: str
    message: str


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _regency(code: str) -> str:
    return ".".join(code.split(".")[:2])


def _members_elsewhere(cooperative: Cooperative, niks: list[str]) -> dict[str, str]:
    """NIK -> name of another active cooperative of the same regency where it is an active member."""
    regency = _regency(cooperative.region_code)
    others = Cooperative.objects.active().in_region(regency).exclude(pk=cooperative.pk)
    found: dict[str, str] = {}
    base = Member.objects.filter(status=MemberStatus.ACTIVE, cooperative__in=others)
    if len(niks) > 20 * _IN_LIMIT:  # a whole file: reading the regency's members once is cheaper than many INs
        wanted = set(niks)
        for nik, name in base.values_list("nik", "cooperative__name").iterator(chunk_size=5000):
            if nik in wanted:
                found.setdefault(nik, name)
        return found
    for start in range(0, len(niks), _IN_LIMIT):
        chunk = niks[start : start + _IN_LIMIT]
        for nik, name in base.filter(nik__in=chunk).values_list("nik", "cooperative__name"):
            found.setdefault(nik, name)
    return found


def member_warnings(
    *,
    cooperative: Cooperative,
    niks: Iterable[str],
    today: date | None = None,
    birth_dates: Mapping[str, date] | None = None,
) -> dict[str, list[MemberWarning]]:
    """Warnings per NIK (valid 16-digit NIKs only; validation is the caller's job). NIKs without warnings are absent.
    `birth_dates` (NIK -> birth date) spares parsing again what the caller has parsed already (an import)."""
    today = today or local_today(cooperative.region_code)
    niks = list(dict.fromkeys(niks))
    villages = list(
        CooperativeVillage.objects.filter(cooperative=cooperative, left_at__isnull=True).values_list(
            "village_code", flat=True
        )
    ) or [cooperative.region_code]
    own_regions = {region_digits_of(code) for code in villages}
    in_force = region_codes_in_force()
    result: dict[str, list[MemberWarning]] = {}
    for nik in niks:
        found = []
        born = (
            birth_dates[nik]
            if birth_dates is not None and nik in birth_dates
            else parse_nik(nik, today=today).birth_date
        )
        age = age_on(born, today)
        if age < MINIMUM_AGE:
            found.append(
                MemberWarning(
                    UNDER_AGE,
                    _("Under %(age)s by the NIK's birth date (age %(years)s).") % {"age": MINIMUM_AGE, "years": age},
                )
            )
        if unknown_region(nik, in_force):  # never "outside the kecamatan": the code may predate a pemekaran
            found.append(MemberWarning(OLD_REGION_CODE, old_region_warning()))
        elif nik[:6] not in own_regions:
            found.append(
                MemberWarning(OTHER_KECAMATAN, _("The NIK was registered outside the kecamatan of the village."))
            )
        if found:
            result[nik] = found
    for nik, name in _members_elsewhere(cooperative, niks).items():
        result.setdefault(nik, []).append(
            MemberWarning(OTHER_COOPERATIVE, _("Also an active member of %(cooperative)s.") % {"cooperative": name})
        )
    return result
