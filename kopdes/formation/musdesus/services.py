"""Writes of the facilitator team and the Musdesus. Each in one transaction with an audit entry (NIKs masked there).

Recording the team or the schedule may also submit it as the stage's evidence (stages 2 and 3) through the one
`formation.services.submit_stage`; the signed Berita Acara scan is the evidence of stage 4. Saving what the meeting
decided is never blocked by the rule checks; only submitting stage 4 is, while a rule of severity "error" fires.
"""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.roles import Cap
from kopdes.audit.services import record_audit
from kopdes.audit.stale import check_fresh
from kopdes.clock import local_today
from kopdes.formation import services as formation
from kopdes.formation.models import (
    Cooperative,
    FacilitatorMember,
    FacilitatorTeam,
    Musdesus,
    Participant,
    ParticipantKind,
    StageSubmission,
)
from kopdes.formation.musdesus import documents, rules
from kopdes.formation.musdesus.selectors import (
    DECISION_FIELDS,
    MUSDESUS_PARTS,
    PEOPLE_NAMES,
    TEAM_FIELDS,
    musdesus_key,
    musdesus_lists,
    rows_text,
    team_key,
    team_lists,
)
from kopdes.formation.policy import can_act
from kopdes.formation.workflow import MUSDESUS_HELD, Sensitivity

if TYPE_CHECKING:
    from kopdes.accounts.models import User

TEAM_STAGE, SCHEDULED_STAGE = 2, 3


def _people_labels() -> dict:
    return {
        "members": _("Members"),
        "invitees": _("Invitees"),
        "attendees": _("Attendees"),
        "founders": _("Founding members"),
        "pengurus": _("Pengurus candidates"),
        "pengawas": _("Pengawas candidates"),
        "business_units": _("Business units"),
    }


def _check_musdesus(cooperative, musdesus: Musdesus, part: str, read: str | None, submitted: dict) -> None:
    if read is None:
        return
    check_fresh(
        musdesus,
        MUSDESUS_PARTS[part][0],
        read,
        submitted={k: rows_text(v) if k in PEOPLE_NAMES.values() else v for k, v in submitted.items()},
        extra=musdesus_lists(musdesus, part),
        key=musdesus_key(cooperative, part),
        labels=_people_labels(),
        audited=cooperative,
    )


def _require_edit(actor: User, cooperative: Cooperative) -> None:
    if not cooperative.is_active or not can_act(actor, cooperative, Cap.EDIT):
        raise PermissionDenied


def save_team(
    *,
    actor: User,
    cooperative: Cooperative,
    members: list[dict],
    village_head_name: str = "",
    decree_date: date | None = None,
    formed_date: date | None = None,
    read: str | None = None,
) -> FacilitatorTeam:
    """Record (or replace) the village's facilitator team and its members. `read`: the form's token (`team_token`);
    a team saved by someone else after it was read raises `StaleEdit`."""
    _require_edit(actor, cooperative)
    if not members:
        raise ValidationError({"members": [_("Enter at least one member.")]})
    if decree_date and decree_date > local_today(cooperative.region_code):
        raise ValidationError({"decree_date": [_("The decree date cannot be in the future.")]})
    at = timezone.now()
    with transaction.atomic():
        team, _created = FacilitatorTeam.objects.select_for_update().get_or_create(cooperative=cooperative)
        if read is not None:
            submitted = {
                "village_head_name": village_head_name,
                "decree_date": decree_date,
                "formed_date": formed_date,
                "members": rows_text(members),
            }
            check_fresh(
                team,
                TEAM_FIELDS,
                read,
                submitted=submitted,
                extra=team_lists(team),
                key=team_key(cooperative),
                labels=_people_labels(),
                audited=cooperative,
            )
        before = {"members": team.members.count()}
        team.village_head_name = village_head_name.strip()
        team.decree_date = decree_date
        team.formed_date = formed_date
        team.updated_at, team.updated_by = at, actor
        team.save()
        team.members.all().delete()  # the list is replaced as typed; the audit entry keeps the old count
        FacilitatorMember.objects.bulk_create(
            [
                FacilitatorMember(
                    team=team,
                    order=i,
                    name=m["name"],
                    position=m.get("position", ""),
                    element=m["element"],
                    phone=m.get("phone", ""),
                    person=m.get("person"),
                )
                for i, m in enumerate(members)
            ]
        )
        record_audit(
            actor=actor,
            action="formation.save_team",
            obj=cooperative,
            region_code=cooperative.region_code,
            before=before,
            after={"members": [m["name"] for m in members]},
        )
    return team


def _musdesus_for_update(cooperative: Cooperative) -> Musdesus:
    musdesus, _created = Musdesus.objects.select_for_update().get_or_create(cooperative=cooperative)
    return musdesus


def _replace_people(musdesus: Musdesus, kind: str, rows: list[dict]) -> None:
    musdesus.people.filter(kind=kind).delete()
    fields = {f.name for f in Participant._meta.fields}
    Participant.objects.bulk_create(
        [
            Participant(musdesus=musdesus, kind=kind, order=i, **{k: v for k, v in row.items() if k in fields})
            for i, row in enumerate(rows)
        ]
    )


def schedule_musdesus(
    *,
    actor: User,
    cooperative: Cooperative,
    date: date,
    time: time,
    place: str,
    convener: str,
    invitees: list[dict],
    read: str | None = None,
) -> Musdesus:
    """Record the schedule and the invitees of the Musdesus. `read`: the form's token (`musdesus_token(…,
    "schedule")`); a schedule saved by someone else after it was read raises `StaleEdit`."""
    _require_edit(actor, cooperative)
    with transaction.atomic():
        musdesus = _musdesus_for_update(cooperative)
        submitted = {"date": date, "time": time, "place": place, "convener": convener, "invitees": invitees}
        _check_musdesus(cooperative, musdesus, "schedule", read, submitted)
        before = {"date": str(musdesus.date or ""), "place": musdesus.place}
        musdesus.date, musdesus.time = date, time
        musdesus.place, musdesus.convener = place.strip(), convener.strip()
        musdesus.updated_at, musdesus.updated_by = timezone.now(), actor
        musdesus.save()
        _replace_people(musdesus, ParticipantKind.INVITEE, invitees)
        record_audit(
            actor=actor,
            action="formation.schedule_musdesus",
            obj=cooperative,
            region_code=cooperative.region_code,
            before=before,
            after={"date": str(date), "time": str(time), "place": musdesus.place, "invitees": len(invitees)},
        )
    return musdesus


def _refresh_findings(musdesus: Musdesus) -> list[rules.Finding]:
    findings = rules.check(musdesus)
    musdesus.findings = [f.as_json() for f in findings]
    Musdesus.objects.filter(pk=musdesus.pk).update(findings=musdesus.findings)
    return findings


def record_attendance(
    *, actor: User, cooperative: Cooperative, attendees: list[dict], read: str | None = None
) -> Musdesus:
    """Record who attended (name, sex, element, NIK optional). `read`: the form's token (`musdesus_token(…,
    "attendance")`); a list saved by someone else after it was read raises `StaleEdit`."""
    _require_edit(actor, cooperative)
    if not attendees:
        raise ValidationError({"attendees": [_("The attendance list is empty: enter at least one person.")]})
    with transaction.atomic():
        musdesus = _musdesus_for_update(cooperative)
        _check_musdesus(cooperative, musdesus, "attendance", read, {"attendees": attendees})
        before = {"attendees": musdesus.people.filter(kind=ParticipantKind.ATTENDEE).count()}
        _replace_people(musdesus, ParticipantKind.ATTENDEE, attendees)
        Musdesus.objects.filter(pk=musdesus.pk).update(updated_at=timezone.now(), updated_by=actor)
        findings = _refresh_findings(musdesus)
        record_audit(
            actor=actor,
            action="formation.record_attendance",
            obj=cooperative,
            region_code=cooperative.region_code,
            before=before,
            after={
                "attendees": [f"{a['name']} {a.get('nik', '')}".strip() for a in attendees],
                "findings": [f.rule for f in findings],
            },
        )
    return musdesus


def record_decisions(
    *,
    actor: User,
    cooperative: Cooperative,
    decisions: dict,
    business_units=(),
    founders: list[dict],
    pengurus: list[dict],
    pengawas: list[dict],
    read: str | None = None,
) -> tuple[Musdesus, list[rules.Finding]]:
    """Save what the meeting decided, as decided; returns the rule findings (recorded on the Musdesus and in the
    audit). `read`: the form's token (`musdesus_token(…, "decisions")`); decisions saved by someone else after it
    was read raise `StaleEdit`."""
    _require_edit(actor, cooperative)
    with transaction.atomic():
        musdesus = _musdesus_for_update(cooperative)
        units = sorted(getattr(unit, "pk", unit) for unit in business_units)
        submitted = {**decisions, "founders": founders, "pengurus": pengurus, "pengawas": pengawas}
        _check_musdesus(cooperative, musdesus, "decisions", read, {**submitted, "business_units": units})
        for key, value in decisions.items():
            if key in DECISION_FIELDS:
                setattr(musdesus, key, value.strip() if isinstance(value, str) else value)
        if musdesus.pathway != "revitalisasi":
            musdesus.revitalisation_method = ""
        musdesus.cooperative_name = " ".join(musdesus.cooperative_name.split())
        musdesus.decisions_recorded_at = musdesus.updated_at = timezone.now()
        musdesus.updated_by = actor
        musdesus.save()
        musdesus.business_units.set(business_units)
        _replace_people(musdesus, ParticipantKind.FOUNDER, founders)
        _replace_people(musdesus, ParticipantKind.PENGURUS, pengurus)
        _replace_people(musdesus, ParticipantKind.PENGAWAS, pengawas)
        findings = _refresh_findings(musdesus)
        record_audit(
            actor=actor,
            action="formation.record_decisions",
            obj=cooperative,
            region_code=cooperative.region_code,
            after={
                "pathway": musdesus.pathway,
                "cooperative_name": musdesus.cooperative_name,
                "founders": len(founders),
                "pengurus": [f"{p['position']}: {p['name']} {p.get('nik', '')}".strip() for p in pengurus],
                "pengawas": [f"{p['position']}: {p['name']} {p.get('nik', '')}".strip() for p in pengawas],
                "findings": [{"rule": f.rule, "severity": f.severity} for f in findings],
            },
        )
    return musdesus, findings


def submit_team(*, actor: User, cooperative: Cooperative) -> StageSubmission:
    """Submit the recorded team as the evidence of stage 2 (decree date, else the date formed; the decree's number
    from the desa's register when issued, else the number typed before numbers came from the register)."""
    team = FacilitatorTeam.objects.filter(cooperative=cooperative).first()
    if team is None or not team.members.exists():
        raise ValidationError(_("Record the facilitator team first."))
    return formation.submit_stage(
        actor=actor,
        cooperative=cooperative,
        version=cooperative.version,
        stage=TEAM_STAGE,
        evidence_date=team.decree_date or team.formed_date,
        evidence_number=documents.issued_number(cooperative, "sk-tim") or team.decree_number,
        note=_("Facilitator team of %(count)s members recorded in Kopdes.") % {"count": team.members.count()},
    )


def submit_schedule(*, actor: User, cooperative: Cooperative) -> StageSubmission:
    """Submit the recorded schedule as the evidence of stage 3."""
    musdesus = Musdesus.objects.filter(cooperative=cooperative).first()
    if musdesus is None or not musdesus.date:
        raise ValidationError(_("Schedule the Musdesus first."))
    return formation.submit_stage(
        actor=actor,
        cooperative=cooperative,
        version=cooperative.version,
        stage=SCHEDULED_STAGE,
        evidence_date=musdesus.date,
        evidence_number=documents.issued_number(cooperative, "undangan") or musdesus.invitation_number,
        note=f"{musdesus.place} · {musdesus.time:%H:%M} · {musdesus.convener}" if musdesus.time else musdesus.place,
    )


def submit_berita_acara(*, actor: User, cooperative: Cooperative, version: int, scan) -> StageSubmission:
    """Submit the signed Berita Acara scan as the evidence of stage 4. Refused while the decisions are not recorded,
    the attendance is empty, or a rule of severity "error" fires."""
    _require_edit(actor, cooperative)
    musdesus = Musdesus.objects.filter(cooperative=cooperative).first()
    errors: list[str] = []
    if musdesus is None or not musdesus.date:
        errors.append(_("Schedule the Musdesus first."))
    elif musdesus.decisions_recorded_at is None:
        errors.append(_("Record the decisions of the Musdesus first."))
    if musdesus is not None and not musdesus.people.filter(kind=ParticipantKind.ATTENDEE).exists():
        errors.append(_("Record the attendance first: the attendance list is empty."))
    if musdesus is not None and musdesus.decisions_recorded_at:
        blocking = [f for f in rules.check(musdesus) if f.is_error]
        errors.extend(_("Error: %(message)s") % {"message": f.message} for f in blocking)
    if errors:
        raise ValidationError(errors)
    assert musdesus is not None  # else "Schedule the Musdesus first" was raised
    return formation.submit_stage(
        actor=actor,
        cooperative=cooperative,
        version=version,
        stage=MUSDESUS_HELD,
        evidence_date=musdesus.date,
        evidence_number=documents.issued_number(cooperative, "berita-acara") or musdesus.berita_acara_number,
        files=[scan],
        sensitivity=Sensitivity.SENSITIVE,  # names, NIKs and signatures of the attendees
        pathway=musdesus.pathway,
        decided_name=musdesus.cooperative_name,
        note=_("Signed Berita Acara of the Musdesus; decisions recorded in Kopdes."),
    )
