"""The people the system knows in a village, for the anonymisation of public texts (the public FAQ), without formation
importing the domain apps above it.

Formation adds what it holds itself — the Musdesus papers (invitees, attendees, founding members, board candidates),
the facilitator team and the village head who formed it — and the accounts scoped to the village or its kecamatan
(operator, pengurus, camat, pendamping), and the village's roster (people, below formation: read directly, retired
people included). An app above that holds more names of the village (cooperatives: members and
board seats) registers a function in `people_sources` from its `AppConfig.ready()`.
"""

from __future__ import annotations

from kopdes.accounts.models import RoleAssignment
from kopdes.formation.models import CooperativeVillage, FacilitatorMember, FacilitatorTeam, Participant
from kopdes.formation.people_sources import people_sources
from kopdes.people import selectors as roster


def _cooperatives_of(village_code: str) -> list[int]:
    # every cooperative that ever served the village (a merged one's people stay known)
    return list(
        CooperativeVillage.objects.filter(village_code=village_code).values_list("cooperative_id", flat=True).distinct()
    )


def _accounts_of(village_code: str) -> list[str]:
    """Full names of the accounts with an active role on the village or on its kecamatan."""
    codes = [village_code, village_code.rsplit(".", 1)[0]]
    return list(
        RoleAssignment.objects.filter(region__code__in=codes, ended_at__isnull=True)
        .exclude(user__full_name="")
        .values_list("user__full_name", flat=True)
    )


def known_people(village_code: str) -> list[str]:
    """Names (as typed, deduplicated by case and spacing) of every person the system knows in the village
    `village_code` ("64.01.04.2002"): a fixed number of queries, one more per registered source."""
    cooperatives = _cooperatives_of(village_code)
    names: list[str] = _accounts_of(village_code) + roster.names(village_code)
    if cooperatives:
        names += Participant.objects.filter(musdesus__cooperative__in=cooperatives).values_list("name", flat=True)
        names += FacilitatorMember.objects.filter(team__cooperative__in=cooperatives).values_list("name", flat=True)
        names += (
            FacilitatorTeam.objects.filter(cooperative__in=cooperatives)
            .exclude(village_head_name="")
            .values_list("village_head_name", flat=True)
        )
        for source in people_sources():
            names += source(cooperatives)
    unique: dict[str, str] = {}
    for name in names:
        spaced = " ".join((name or "").split())
        if spaced:
            unique.setdefault(spaced.casefold(), spaced)
    return list(unique.values())
