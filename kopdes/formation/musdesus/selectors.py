"""Reads of the facilitator team and the Musdesus: what each of their forms shows, and its read token."""

from __future__ import annotations

from typing import Any

from kopdes.audit.stale import read_token
from kopdes.formation.models import Cooperative, FacilitatorTeam, Musdesus, ParticipantKind

# What each form of the team and the Musdesus shows, for its read token (`audit.stale`): the record's fields and
# the lists of people it replaces (one value per list: its rows, as the stale message shows them). DECISION_FIELDS
# is also all that `record_decisions` writes of the decisions, and the decisions form's fields.
TEAM_FIELDS = ["village_head_name", "decree_number", "decree_date", "formed_date"]


DECISION_FIELDS = [
    "pathway",
    "revitalisation_method",
    "existing_cooperative",
    "cooperative_name",
    "simpanan_pokok",
    "simpanan_wajib",
    "other_units",
    "no_family_ties_declared",
    "community_representative",
    "berita_acara_number",
    "notes",
]


MUSDESUS_PARTS = {
    "schedule": (["date", "time", "place", "convener", "invitation_number"], [ParticipantKind.INVITEE]),
    "attendance": ([], [ParticipantKind.ATTENDEE]),
    "decisions": (DECISION_FIELDS, [ParticipantKind.FOUNDER, ParticipantKind.PENGURUS, ParticipantKind.PENGAWAS]),
}


PEOPLE_NAMES = {
    ParticipantKind.INVITEE: "invitees",
    ParticipantKind.ATTENDEE: "attendees",
    ParticipantKind.FOUNDER: "founders",
    ParticipantKind.PENGURUS: "pengurus",
    ParticipantKind.PENGAWAS: "pengawas",
}


ROW_KEYS = ("position", "name", "sex", "element", "nik", "village_office", "phone", "note")


def rows_text(rows) -> str:
    """People rows (dicts or objects) as one line each: their filled values in a fixed order."""

    def value(row, key):
        return row.get(key) if isinstance(row, dict) else getattr(row, key, "")

    return " | ".join(" · ".join(str(value(row, k)) for k in ROW_KEYS if value(row, k)) for row in rows)


def team_lists(team: FacilitatorTeam) -> dict:
    return {"members": rows_text(team.members.order_by("order")) if team.pk else ""}


def team_key(cooperative: Cooperative) -> str:
    return f"formation.facilitatorteam:cooperative={cooperative.pk}"  # the same before and after the first save


def team_token(cooperative: Cooperative) -> str:
    """The read token of the village's facilitator team (none yet: an empty team), for the team form."""
    team = FacilitatorTeam.objects.filter(cooperative=cooperative).first() or FacilitatorTeam(cooperative=cooperative)
    return read_token(team, TEAM_FIELDS, extra=team_lists(team), key=team_key(cooperative))


def musdesus_lists(musdesus: Musdesus, part: str) -> dict:
    lists: dict[str, Any] = {
        PEOPLE_NAMES[kind]: rows_text(musdesus.people.filter(kind=kind).order_by("order")) if musdesus.pk else ""
        for kind in MUSDESUS_PARTS[part][1]
    }
    if part == "decisions":
        units = musdesus.business_units.order_by("pk").values_list("pk", flat=True) if musdesus.pk else []
        lists["business_units"] = list(units)
    return lists


def musdesus_key(cooperative: Cooperative, part: str) -> str:
    return f"formation.musdesus:cooperative={cooperative.pk}:{part}"


def musdesus_token(cooperative: Cooperative, part: str) -> str:
    """The read token of what the Musdesus form `part` ("schedule", "attendance", "decisions") shows."""
    musdesus = Musdesus.objects.filter(cooperative=cooperative).first() or Musdesus(cooperative=cooperative)
    fields = MUSDESUS_PARTS[part][0]
    return read_token(musdesus, fields, extra=musdesus_lists(musdesus, part), key=musdesus_key(cooperative, part))
