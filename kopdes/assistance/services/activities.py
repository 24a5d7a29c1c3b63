"""Writes of training and assistance visits: create a training, record attendance, upload materials, record a visit
with its follow-ups and photos, mark a follow-up done. Each in one transaction with its audit entry.

Who may do what (the views answer 404 where these refuse):
- the office (Cap.VERIFY, admin dinas) creates trainings for villages of its region and records their attendance;
- a pendamping records attendance for invited villages it is assigned to, and visits to those villages;
- whoever edits a village (Cap.EDIT: the office, camat, operator desa, pendamping) marks its follow-ups done.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.assistance.models import (
    FollowUp,
    Training,
    TrainingAttendee,
    TrainingMaterial,
    TrainingVillage,
    Visit,
    VisitPhoto,
)
from kopdes.assistance.policy import (
    ba_villages,
    may_edit_visit,
    may_manage_training,
    may_mark_done,
    may_record_attendance,
    may_record_visit,
)
from kopdes.assistance.selectors.activities import TRAINING_FIELDS, invited_villages
from kopdes.audit.services import record_audit, snapshot
from kopdes.audit.stale import check_fresh, read_token
from kopdes.cleaners.nik import parse_nik
from kopdes.cleaners.text import name_key
from kopdes.clock import local_today
from kopdes.files.uploads import CheckedUpload, atomic_with_files, check_upload, clean_name, sniff
from kopdes.regions.models import Level, Region, is_within

if TYPE_CHECKING:
    from kopdes.accounts.models import User

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PHOTO_TYPES = {"image/jpeg", "image/png"}
VISIT_FIELDS = ["village_code", "visit_date", "purpose", "findings"]
VISIT_EDIT_FIELDS = ["visit_date", "purpose", "findings"]  # what the edit form shows (audit.stale)


# --- who may -------------------------------------------------------------------------------------------------------


# --- training ------------------------------------------------------------------------------------------------------


def _villages(codes) -> list[Region]:
    return list(Region.objects.filter(code__in=set(codes), level=Level.DESA, is_active=True).order_by("code"))


def _checked_invitation(actor: User, region_code: str, village_codes, start_date: date, end_date: date | None):
    """The invited villages (at least one, all in the training's region and the office's scope) and the end date (the
    start date when none is given, never before it), for creating and for changing a training."""
    villages = _villages(village_codes)
    if not villages:
        raise ValidationError({"villages": [_("Invite at least one village.")]})
    outside = [
        v
        for v in villages
        if not (is_within(v.code, region_code, include_self=False) and may_manage_training(actor, v.code))
    ]
    if outside or len(villages) != len(set(village_codes)):
        raise PermissionDenied
    end_date = end_date or start_date
    if end_date < start_date:
        raise ValidationError({"end_date": [_("The end date cannot be before the start date.")]})
    return villages, end_date


def create_training(
    *,
    actor: User,
    region: Region,
    topic: str,
    start_date: date,
    end_date: date | None,
    place: str,
    trainer: str,
    organiser: str,
    village_codes,
    description: str = "",
) -> Training:
    """The office (or a pendamping of its kecamatan) creates a training of its region for the invited villages (all
    inside its region and scope); out of scope: PermissionDenied."""
    if not may_manage_training(actor, region.code):
        raise PermissionDenied
    villages, end_date = _checked_invitation(actor, region.code, village_codes, start_date, end_date)
    with transaction.atomic():
        training = Training.objects.create(
            region=region,
            region_code=region.code,
            topic=topic.strip(),
            start_date=start_date,
            end_date=end_date,
            place=place.strip(),
            trainer=trainer.strip(),
            organiser=organiser.strip(),
            description=(description or "").strip(),
            created_by=actor,
            created_at=timezone.now(),
        )
        TrainingVillage.objects.bulk_create(
            TrainingVillage(training=training, village=v, village_code=v.code) for v in villages
        )
        record_audit(
            actor=actor,
            action="assistance.create_training",
            obj=training,
            region_code=region.code,
            after={**snapshot(training, TRAINING_FIELDS), "villages": [v.code for v in villages]},
        )
    return training


def _refuse_if_cancelled(training: Training) -> None:
    if training.cancelled_at is not None:
        raise ValidationError(_("This training was cancelled: it can no longer be changed."))


def update_training(
    *,
    actor: User,
    training: Training,
    topic: str,
    start_date: date,
    end_date: date | None,
    place: str,
    trainer: str,
    organiser: str,
    village_codes,
    description: str = "",
    read: str | None = None,
) -> Training:
    """The office changes a training's details and invitations. A taken-back invitation is marked removed (the row
    stays); one whose village already has attendees on the list cannot be taken back. `read`: the edit form's token
    (`audit.stale`); a change of the details by someone else after it was read raises `StaleEdit`."""
    if not may_manage_training(actor, training.region_code):
        raise PermissionDenied
    _refuse_if_cancelled(training)
    villages, end_date = _checked_invitation(actor, training.region_code, village_codes, start_date, end_date)
    wanted = {v.code: v for v in villages}
    with transaction.atomic():
        training = Training.objects.select_for_update().get(pk=training.pk)
        _refuse_if_cancelled(training)
        if read is not None:
            submitted = {
                "topic": topic,
                "start_date": start_date,
                "end_date": end_date,
                "place": place,
                "trainer": trainer,
                "organiser": organiser,
                "description": description,
                "villages": sorted(wanted),
            }
            check_fresh(
                training,
                TRAINING_FIELDS,
                read,
                submitted=submitted,
                extra=invited_villages(training),
                labels={"villages": _("Invited villages")},
            )
        rows = {row.village_code: row for row in training.invited.select_related("village")}
        active = sorted(code for code, row in rows.items() if row.removed_at is None)
        dropped = [code for code in active if code not in wanted]
        attended = set(
            training.attendees.filter(withdrawn_at__isnull=True, village_code__in=dropped).values_list(
                "village_code", flat=True
            )
        )
        if attended:
            names = ", ".join(rows[code].village.display_name for code in sorted(attended))
            raise ValidationError(
                {
                    "villages": [
                        _(
                            "The invitation of %(villages)s cannot be taken back: people of that village are on the "
                            "attendance list. Take them off the list first."
                        )
                        % {"villages": names}
                    ]
                }
            )
        before = {**snapshot(training, TRAINING_FIELDS), "villages": active}
        training.topic = topic.strip()
        training.start_date, training.end_date = start_date, end_date
        training.place, training.trainer = place.strip(), trainer.strip()
        training.organiser, training.description = organiser.strip(), (description or "").strip()
        training.save(update_fields=TRAINING_FIELDS)
        now = timezone.now()
        TrainingVillage.objects.filter(training=training, village_code__in=dropped).update(removed_at=now)
        back = [code for code in wanted if code in rows and rows[code].removed_at is not None]
        TrainingVillage.objects.filter(training=training, village_code__in=back).update(removed_at=None)
        TrainingVillage.objects.bulk_create(
            TrainingVillage(training=training, village=v, village_code=v.code) for v in villages if v.code not in rows
        )
        record_audit(
            actor=actor,
            action="assistance.update_training",
            obj=training,
            region_code=training.region_code,
            before=before,
            after={**snapshot(training, TRAINING_FIELDS), "villages": sorted(wanted)},
        )
    return training


def _cancel(*, actor: User, obj, reason: str, already: str, action: str, region_code: str):
    """Mark a training or a visit cancelled (with the reason, audited); the row stays, readable."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for cancelling.")]})
    with transaction.atomic():
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        if obj.cancelled_at is not None:
            raise ValidationError(already)
        obj.cancelled_at, obj.cancelled_by, obj.cancel_reason = timezone.now(), actor, reason
        obj.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        record_audit(
            actor=actor,
            action=action,
            obj=obj,
            region_code=region_code,
            before={"cancelled_at": None, "cancel_reason": ""},
            after={"cancelled_at": str(obj.cancelled_at), "cancel_reason": reason},
        )
    return obj


def cancel_training(*, actor: User, training: Training, reason: str) -> Training:
    """The office cancels a training (with the reason): it stays readable, takes no attendance, counts nowhere."""
    if not may_manage_training(actor, training.region_code):
        raise PermissionDenied
    return _cancel(
        actor=actor,
        obj=training,
        reason=reason,
        already=_("This training was already cancelled."),
        action="assistance.cancel_training",
        region_code=training.region_code,
    )


@dataclass(frozen=True)
class AttendeeRow:
    name: str
    role: str
    village_code: str
    nik: str = ""


def _certificate_number(training: Training, serial: int) -> str:
    return f"{serial:03d}/SERT-PLT/{training.pk}/{training.start_date.year}"


def record_attendance(*, actor: User, training: Training, rows: list[AttendeeRow]) -> list[TrainingAttendee]:
    """Add attendees (several rows at once). Each must come from an invited village the actor may record for; a NIK,
    when given, must be well formed and not yet on this training's list. All rows or none are saved."""
    if training.cancelled_at is not None:
        raise ValidationError(_("This training was cancelled: it takes no attendance."))
    invited = dict(training.invited.filter(removed_at__isnull=True).values_list("village_code", "village_id"))
    errors: list[str] = []
    seen_niks = set(training.attendees.filter(withdrawn_at__isnull=True).exclude(nik="").values_list("nik", flat=True))
    prepared = []
    for index, row in enumerate(rows, start=1):
        if row.village_code not in invited:
            raise PermissionDenied  # a village not invited: a forged form
        if not may_record_attendance(actor, row.village_code):
            raise PermissionDenied
        name = " ".join((row.name or "").split())
        if not name:
            errors.append(_("Row %(row)s: the name is empty.") % {"row": index})
            continue
        nik = ""
        if (row.nik or "").strip():
            try:
                nik = parse_nik(row.nik).value
            except ValidationError as wrong:
                errors.append(_("Row %(row)s: %(error)s") % {"row": index, "error": " ".join(wrong.messages)})
                continue
            if nik in seen_niks:
                errors.append(_("Row %(row)s: this NIK is already on the attendance list.") % {"row": index})
                continue
            seen_niks.add(nik)
        prepared.append((name, nik, row))
    if errors:
        raise ValidationError(errors)
    if not prepared:
        raise ValidationError(_("Enter at least one person."))
    now = timezone.now()
    with transaction.atomic():
        # lock the training so two phones adding rows at once get distinct serials
        Training.objects.select_for_update().get(pk=training.pk)
        serial = training.attendees.aggregate(m=Max("serial"))["m"] or 0
        created = []
        for name, nik, row in prepared:
            serial += 1
            created.append(
                TrainingAttendee(
                    training=training,
                    name=name,
                    name_key=name_key(name),
                    role=row.role,
                    village_id=invited[row.village_code],
                    village_code=row.village_code,
                    nik=nik,
                    serial=serial,
                    certificate_number=_certificate_number(training, serial),
                    created_by=actor,
                    created_at=now,
                )
            )
        TrainingAttendee.objects.bulk_create(created)
        record_audit(
            actor=actor,
            action="assistance.record_attendance",
            obj=training,
            region_code=training.region_code,
            after={"attendees": [{"name": a.name, "village": a.village_code, "nik": a.nik} for a in created]},
        )
    return created


def withdraw_attendee(*, actor: User, attendee: TrainingAttendee) -> TrainingAttendee:
    """Take a person off the list (entered by mistake); the row and its certificate number stay as history."""
    if not may_record_attendance(actor, attendee.village_code):
        raise PermissionDenied
    with transaction.atomic():
        attendee.withdrawn_at = timezone.now()
        attendee.save(update_fields=["withdrawn_at"])
        record_audit(
            actor=actor,
            action="assistance.withdraw_attendee",
            obj=attendee,
            region_code=attendee.village_code,
            before={"withdrawn_at": None},
            after={"withdrawn_at": str(attendee.withdrawn_at)},
        )
    return attendee


def _is_pptx(uploaded) -> bool:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        uploaded.seek(0)
    # a macro-enabled presentation (.pptm) renamed to .pptx carries its macros in vbaProject.bin: refused
    macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    return "[Content_Types].xml" in names and "ppt/presentation.xml" in names and not macros


def _check_material(uploaded) -> CheckedUpload:
    """A PDF, JPEG or PNG (the upload checks: images re-encoded, PDFs parsed) or a PowerPoint without macros (.pptx,
    a zip with a presentation inside, stored as uploaded)."""
    try:
        return check_upload(uploaded)
    except ValidationError:
        if uploaded.size <= _max_bytes() and _is_pptx(uploaded):
            uploaded.seek(0)
            content = uploaded.read()
            uploaded.seek(0)
            return CheckedUpload(name=clean_name(uploaded.name), content_type=PPTX, extension=".pptx", content=content)
        if uploaded.size > _max_bytes():
            raise
        raise ValidationError(
            _("The file %(name)s is not a PDF, PowerPoint (.pptx), JPEG or PNG (checked by its content, not its name).")
            % {"name": clean_name(uploaded.name)}
        ) from None


def _max_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def upload_material(*, actor: User, training: Training, title: str, uploaded) -> TrainingMaterial:
    if not may_manage_training(actor, training.region_code):
        raise PermissionDenied
    if training.cancelled_at is not None:
        raise ValidationError(_("This training was cancelled: no material can be added."))
    upload = _check_material(uploaded)
    with atomic_with_files() as store:
        material = TrainingMaterial(
            training=training,
            title=(title or "").strip() or upload.name,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        store.save(material.file, upload)
        material.save()
        record_audit(
            actor=actor,
            action="assistance.upload_material",
            obj=material,
            region_code=training.region_code,
            after={"training": training.pk, "name": material.original_name, "sha256": material.sha256},
        )
    return material


# --- visits --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRow:
    text: str
    owner_name: str
    due_date: date
    owner_role: str = ""


def record_visit(
    *,
    actor: User,
    village: Region,
    visit_date: date,
    purpose: str,
    findings: str,
    follow_ups: Sequence[FollowUpRow] = (),
    photos=(),
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Visit:
    """A pendamping records a visit to a village it is assigned to, or a Business Assistant to a village of a
    cooperative assigned to it (the visit then names that cooperative), with the follow-ups agreed, photos and the
    position where it was recorded (WGS 84 degrees, both or neither; Indonesia lies within 6° N–11° S, 95°–141° E)."""
    if village.level != Level.DESA or not may_record_visit(actor, village.code):
        raise PermissionDenied
    if (latitude is None) != (longitude is None) or (
        latitude is not None and longitude is not None and not (-12 <= latitude <= 7 and 94 <= longitude <= 142)
    ):
        raise ValidationError({"latitude": [_("The position must lie in Indonesia (latitude and longitude).")]})
    if visit_date > local_today(village.code) + timedelta(days=1):
        raise ValidationError({"visit_date": [_("The visit date cannot be in the future.")]})
    checked = []
    for photo in photos:
        not_a_photo = _("The file %(name)s is not a photo (JPEG or PNG).") % {"name": clean_name(photo.name)}
        try:
            upload = check_upload(photo)  # the size limit, the type by content, the image re-encoded
        except ValidationError as refused:
            kind = sniff(photo)
            image_refused = photo.size > _max_bytes() or (kind is not None and kind[0] in PHOTO_TYPES)
            message = refused.messages[0] if image_refused else not_a_photo
            raise ValidationError({"photos": [message]}) from refused
        if upload.content_type not in PHOTO_TYPES:
            raise ValidationError({"photos": [not_a_photo]})
        checked.append(upload)
    now = timezone.now()
    with atomic_with_files() as store:
        visit = Visit.objects.create(
            pendamping=actor,
            village=village,
            village_code=village.code,
            visit_date=visit_date,
            purpose=purpose.strip(),
            findings=findings.strip(),
            created_at=now,
            latitude=latitude,
            longitude=longitude,
            cooperative_id=ba_villages(actor).get(village.code),
        )
        FollowUp.objects.bulk_create(
            FollowUp(
                visit=visit,
                village_code=village.code,
                text=row.text.strip(),
                owner_name=row.owner_name.strip(),
                owner_role=(row.owner_role or "").strip(),
                due_date=row.due_date,
            )
            for row in follow_ups
        )
        for upload in checked:
            stored = VisitPhoto(
                visit=visit,
                original_name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                uploaded_by=actor,
                uploaded_at=now,
            )
            store.save(stored.file, upload)
            stored.save()
        record_audit(
            actor=actor,
            action="assistance.record_visit",
            obj=visit,
            region_code=village.code,
            after={
                **snapshot(visit, VISIT_FIELDS),
                "follow_ups": [{"text": r.text, "owner": r.owner_name, "due": str(r.due_date)} for r in follow_ups],
                "photos": len(checked),
                "position": f"{latitude},{longitude}" if latitude is not None else "",
            },
        )
    return visit


@dataclass(frozen=True)
class FollowUpChange:
    """New text, owner and due date of an existing follow-up (by its id), while it is not done."""

    pk: int
    text: str
    owner_name: str
    due_date: date
    owner_role: str = ""


FOLLOW_UP_FIELDS = ["text", "owner_name", "owner_role", "due_date"]


def _follow_up_state(follow_up: FollowUp) -> dict:
    return {"id": follow_up.pk, **{k: str(v) for k, v in snapshot(follow_up, FOLLOW_UP_FIELDS).items()}}


def _follow_ups(visit: Visit) -> dict:
    """What the edit form shows of the follow-ups, for its read token: every row, open or done."""
    rows = visit.follow_ups.order_by("id")
    return {"follow_ups": [{**_follow_up_state(f), "done": str(f.done_date or "")} for f in rows]}


def visit_token(visit: Visit) -> str:
    """The read token (`audit.stale`) of a visit's date, purpose, findings and follow-ups, for its edit form."""
    return read_token(visit, VISIT_EDIT_FIELDS, extra=_follow_ups(visit))


def update_visit(
    *,
    actor: User,
    visit: Visit,
    visit_date: date,
    purpose: str,
    findings: str,
    changes: Sequence[FollowUpChange] = (),
    follow_ups: Sequence[FollowUpRow] = (),
    read: str | None = None,
) -> Visit:
    """The pendamping who recorded the visit, or the office, corrects its date, purpose and findings, changes the open
    follow-ups and adds new ones. A follow-up already done is not changed. `read`: the edit form's token
    (`audit.stale`); a change of date, purpose or findings by someone else after it was read raises `StaleEdit`."""
    if not may_edit_visit(actor, visit):
        raise PermissionDenied
    if visit_date > local_today(visit.village_code) + timedelta(days=1):
        raise ValidationError({"visit_date": [_("The visit date cannot be in the future.")]})
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.cancelled_at is not None:
            raise ValidationError(_("This visit was cancelled: it can no longer be changed."))
        if read is not None:
            submitted = {"visit_date": visit_date, "purpose": purpose, "findings": findings}
            labels = {"follow_ups": _("Follow-ups")}
            check_fresh(visit, VISIT_EDIT_FIELDS, read, submitted=submitted, extra=_follow_ups(visit), labels=labels)
        existing = {f.pk: f for f in visit.follow_ups.all()}
        if any(change.pk not in existing for change in changes):
            raise PermissionDenied  # a follow-up of another visit: a forged form
        if any(existing[change.pk].done_date is not None for change in changes):
            raise ValidationError(_("A follow-up already marked done cannot be changed."))
        before = {
            **snapshot(visit, VISIT_FIELDS),
            "follow_ups": [_follow_up_state(existing[c.pk]) for c in changes],
        }
        visit.visit_date, visit.purpose, visit.findings = visit_date, purpose.strip(), findings.strip()
        visit.save(update_fields=["visit_date", "purpose", "findings"])
        changed = []
        for change in changes:
            follow_up = existing[change.pk]
            follow_up.text, follow_up.owner_name = change.text.strip(), change.owner_name.strip()
            follow_up.owner_role, follow_up.due_date = (change.owner_role or "").strip(), change.due_date
            follow_up.save(update_fields=FOLLOW_UP_FIELDS)
            changed.append(_follow_up_state(follow_up))
        added = FollowUp.objects.bulk_create(
            FollowUp(
                visit=visit,
                village_code=visit.village_code,
                text=row.text.strip(),
                owner_name=row.owner_name.strip(),
                owner_role=(row.owner_role or "").strip(),
                due_date=row.due_date,
            )
            for row in follow_ups
        )
        record_audit(
            actor=actor,
            action="assistance.update_visit",
            obj=visit,
            region_code=visit.village_code,
            before=before,
            after={
                **snapshot(visit, VISIT_FIELDS),
                "follow_ups": changed,
                "added_follow_ups": [{"text": f.text, "owner": f.owner_name, "due": str(f.due_date)} for f in added],
            },
        )
    return visit


def cancel_visit(*, actor: User, visit: Visit, reason: str) -> Visit:
    """A visit recorded by mistake is cancelled with the reason: it stays readable, leaves the counts, and its open
    follow-ups leave the case page and the reminders."""
    if not may_edit_visit(actor, visit):
        raise PermissionDenied
    return _cancel(
        actor=actor,
        obj=visit,
        reason=reason,
        already=_("This visit was already cancelled."),
        action="assistance.cancel_visit",
        region_code=visit.village_code,
    )


def mark_follow_up_done(*, actor: User, follow_up: FollowUp, done_date: date | None = None) -> FollowUp:
    """Close a follow-up; it leaves the village's case page. Closing it twice keeps the first date."""
    if not may_mark_done(actor, follow_up):
        raise PermissionDenied
    if Visit.objects.filter(pk=follow_up.visit_id, cancelled_at__isnull=False).exists():
        raise ValidationError(_("This visit was cancelled: its follow-ups are closed."))
    if follow_up.done_date is not None:
        raise ValidationError(_("This follow-up was already marked done."))
    done_date = done_date or local_today(follow_up.village_code)
    with transaction.atomic():
        updated = FollowUp.objects.filter(pk=follow_up.pk, done_date__isnull=True).update(
            done_date=done_date, done_by=actor
        )
        if not updated:
            raise ValidationError(_("This follow-up was already marked done."))
        follow_up.done_date, follow_up.done_by = done_date, actor
        record_audit(
            actor=actor,
            action="assistance.mark_follow_up_done",
            obj=follow_up,
            region_code=follow_up.village_code,
            before={"done_date": None},
            after={"done_date": str(done_date)},
        )
    return follow_up
