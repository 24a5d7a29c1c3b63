"""The board never trained: the registry's sitting board (cooperatives) against the trainings attended (assistance)
— a page of two domain apps, so it lives here on top."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from kopdes.assistance.models import TrainingAttendee
from kopdes.cleaners.text import name_key
from kopdes.cooperatives.models import BoardMember
from kopdes.formation.models import (
    BoardPosition,
    Cooperative,
    CooperativeVillage,
)
from kopdes.regions.models import Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User


@dataclass
class UntrainedGroup:
    cooperative_id: int
    cooperative: str
    villages: str
    members: list[dict] = field(default_factory=list)


def untrained_board(user: User) -> list[UntrainedGroup]:
    """Sitting pengurus and pengawas of the cooperatives in scope who attended no training: matched by NIK when both
    the board member and the attendee have one, else by normalised name and the cooperative's village."""
    cooperatives = Cooperative.objects.visible_to(user).filter(is_active=True)
    members = list(
        BoardMember.objects.filter(ended_at__isnull=True, cooperative__in=cooperatives)
        .select_related("cooperative")
        .order_by("cooperative__region_code", "organ", "id")
    )
    if not members:
        return []
    memberships = CooperativeVillage.objects.filter(
        left_at__isnull=True, cooperative_id__in={m.cooperative_id for m in members}
    ).select_related("village")
    villages_of: dict[int, list[Region]] = defaultdict(list)
    for membership in memberships:
        villages_of[membership.cooperative_id].append(membership.village)
    niks = {m.nik for m in members if m.nik}
    codes = {v.code for vs in villages_of.values() for v in vs}
    attended = TrainingAttendee.objects.filter(withdrawn_at__isnull=True, training__cancelled_at__isnull=True).filter(
        Q(nik__in=niks) | Q(village_code__in=codes)
    )
    trained_niks, trained_names = set(), set()
    for nik, key, code in attended.values_list("nik", "name_key", "village_code"):
        if nik:
            trained_niks.add(nik)
        trained_names.add((key, code, bool(nik)))
    groups: dict[int, UntrainedGroup] = {}
    for member in members:
        codes_of = [v.code for v in villages_of[member.cooperative_id]]
        key = name_key(member.name)
        if member.nik:
            # a NIK on both sides decides; a nameless match counts only against attendees without a NIK
            trained = member.nik in trained_niks or any((key, c, False) in trained_names for c in codes_of)
        else:
            trained = any((key, c, has) in trained_names for c in codes_of for has in (True, False))
        if trained:
            continue
        group = groups.get(member.cooperative_id)
        if group is None:
            group = groups[member.cooperative_id] = UntrainedGroup(
                cooperative_id=member.cooperative_id,
                cooperative=member.cooperative.name,
                villages=", ".join(v.display_name for v in villages_of[member.cooperative_id]),
            )
        group.members.append(
            {
                "pk": member.pk,
                "name": member.name,
                "organ": member.get_organ_display(),
                "position": dict(BoardPosition.choices).get(member.position, member.position),
            }
        )
    return list(groups.values())
