"""Building writes: submit a step's evidence, verify or return it, enter the instalment plan.

Each in one transaction on the locked building row, stale forms refused (`kopdes.audit.stale`), recorded as history
(`Move`) and in the audit log. The rules of the track: `workflow` and the checks below (Inpres 17/2025; the SIMKOPDES
construction bands)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kopdes.audit.services import record_audit
from kopdes.audit.stale import check_fresh
from kopdes.buildings import workflow
from kopdes.buildings.models import Building, Channel, ChannelKind, EvidenceFile, InstalmentPlan, Move, Submission
from kopdes.buildings.policy import can_submit, can_verify
from kopdes.buildings.selectors import plan_key, plan_state, step_state, token_key
from kopdes.buildings.workflow import CHANNEL_ORDER, Band, ChannelState, ExifSource, FundingSource
from kopdes.clock import local_today
from kopdes.files.exif import read_photo_facts
from kopdes.files.uploads import CheckedUpload, atomic_with_files, check_upload
from kopdes.formation.models import Cooperative
from kopdes.formation.services import submit_stage
from kopdes.formation.workflow import MoveKind, SubmissionStatus

if TYPE_CHECKING:
    from kopdes.accounts.models import User

# the dates each step's facts may carry besides its evidence date (all checked against the village's today)
DATE_FACTS = ("clear_on", "portal_on", "asset_on")
STATE_DATE = {
    ChannelState.REGISTERED: "registered_on",
    ChannelState.VERIFIED: "verified_on",
    ChannelState.ACTIVE: "active_on",
}


def _day(value: date) -> str:
    return formats.date_format(value, "j F Y")


def _lock_building(cooperative: Cooperative, *, actor: User, at: datetime) -> Building:
    """The cooperative's building, made on its first submission, locked for this transaction."""
    Building.objects.get_or_create(
        cooperative=cooperative,
        defaults={"region_code": cooperative.region_code, "updated_at": at, "updated_by": actor},
    )
    return Building.objects.select_for_update().select_related("cooperative").get(cooperative=cooperative)


def _touch(building: Building, *, actor: User, at: datetime, **fields) -> None:
    Building.objects.filter(pk=building.pk).update(version=F("version") + 1, updated_at=at, updated_by=actor, **fields)
    for name, value in fields.items():
        setattr(building, name, value)


def _done(building: Building, number: int) -> bool:
    """Whether step `number` is verified or accepted as not applicable."""
    return (
        number in building.not_applicable
        or building.submissions.filter(step=number, status=SubmissionStatus.VERIFIED).exists()
    )


def _check(
    building: Building,
    step: workflow.Step,
    *,
    evidence_date: date | None,
    data: dict[str, Any],
    band: int | None,
    channel: ChannelKind | None,
    reason: str,
    not_applicable: bool,
    files: list,
    photos_dated: date | None,
) -> list[CheckedUpload]:
    """The files as they will be stored, or a ValidationError naming every refusal by field (nothing is saved)."""
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not_applicable:
        if not step.may_not_apply:
            refuse("not_applicable", _("This step cannot be marked not applicable."))
        if not reason.strip():
            refuse("reason", _("Give the reason the step does not apply (tidak berlaku)."))
    elif evidence_date is None:
        refuse("evidence_date", _("Fill in the date."))
    _check_dates(building, evidence_date, data, photos_dated, refuse)
    _check_facts(
        building,
        step,
        data=data,
        band=band,
        channel=channel,
        reason=reason,
        not_applicable=not_applicable,
        refuse=refuse,
    )
    _check_order(building, step, evidence_date, refuse)
    checked = _check_files(step, files, not_applicable, refuse)
    if errors:
        raise ValidationError(errors)
    return checked


def _check_facts(
    building: Building, step: workflow.Step, *, data, band, channel, reason, not_applicable, refuse
) -> None:
    """Nothing already waiting for the step; the certificate, the band and the channel's state."""
    pending = building.submissions.filter(step=step.number, status=SubmissionStatus.PENDING)
    if step.number == workflow.CHANNELS:
        pending = pending.filter(channel=channel)
    if pending.exists():
        refuse("__all__", _("This step is already waiting for verification by the office."))
    if step.number == workflow.LAND_PROPOSED and data.get("land_certificate"):
        _check_certificate(building, data["land_certificate"], refuse)
    if step.number == workflow.CHANNELS:
        if channel is None:
            refuse("channel", _("Choose the channel."))
        elif not not_applicable:
            _check_channel(building, channel, data.get("state", ""), reason, refuse)
    if step.number == workflow.CONSTRUCTION and not not_applicable:
        _check_band(building, band, reason, refuse)


def _check_dates(building: Building, evidence_date, data, photos_dated, refuse) -> None:
    """No date of the step may lie after today in the village's own calendar."""
    today = local_today(building.region_code)
    dated = [("evidence_date", evidence_date), ("taken_on", photos_dated), *[(n, data.get(n)) for n in DATE_FACTS]]
    for name, value in dated:
        if isinstance(value, date) and value > today:
            refuse(
                name,
                _("The date cannot be in the future (today in the village is %(today)s).") % {"today": _day(today)},
            )


def _check_order(building: Building, step: workflow.Step, evidence_date, refuse) -> None:
    """The track's order: survey after the proposal, handover at 100% and not before its photos, first sale after
    the verified handover."""
    if step.number == workflow.LAND_SURVEYED and not _done(building, workflow.LAND_PROPOSED):
        refuse("__all__", _("The land must be proposed (and verified) before it is surveyed."))
    if step.number == workflow.HANDOVER:
        if building.band != Band.DONE:
            refuse(
                "__all__",
                _("The building can be handed over only after construction reaches 100%% (verified now: %(band)s).")
                % {"band": Band(building.band).label if building.band else _("none")},
            )
        elif building.band_on and evidence_date and evidence_date < building.band_on:
            refuse(
                "evidence_date",
                _("The handover cannot be before the 100%% photos (%(date)s).") % {"date": _day(building.band_on)},
            )
    if step.number == workflow.FIRST_SALE:
        if building.handover_on is None:
            refuse("__all__", _("A first sale is recorded after the handover of the building is verified."))
        elif evidence_date and evidence_date < building.handover_on:
            refuse(
                "evidence_date",
                _("The first sale cannot be before the handover (%(date)s).") % {"date": _day(building.handover_on)},
            )


def _check_files(step: workflow.Step, files: list, not_applicable: bool, refuse) -> list[CheckedUpload]:
    """Each file checked by content; construction needs photos, the handover its document."""
    checked = []
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded))
        except ValidationError as error:
            for message in error.messages:
                refuse("files", message)
    if not_applicable:
        return checked
    if step.requires_photo:
        if not files:
            refuse("files", _("Attach at least one dated photo of the building at this band."))
        elif any(not c.content_type.startswith("image/") for c in checked):
            refuse("files", _("Construction evidence is photos (JPEG or PNG)."))
    if step.requires_file and not files:
        refuse("files", _("Attach the document for this step (PDF, JPEG or PNG)."))
    return checked


def _normal_certificate(number: str) -> str:
    return "".join(number.split()).casefold()


def _check_certificate(building: Building, number: str, refuse) -> None:
    """A certificate or letter number names one plot: refused when another village's building (verified, or waiting
    for verification) already uses it."""
    wanted = _normal_certificate(number)
    others = Building.objects.exclude(pk=building.pk).exclude(land_certificate="")
    for other in others.only("land_certificate", "region_code"):
        if _normal_certificate(other.land_certificate) == wanted:
            refuse("land_certificate", _("This certificate or letter number is already used by another village."))
            return
    waiting = Submission.objects.filter(step=workflow.LAND_PROPOSED, status=SubmissionStatus.PENDING).exclude(
        building=building
    )
    for data in waiting.values_list("data", flat=True):
        if _normal_certificate(str(data.get("land_certificate", ""))) == wanted:
            refuse("land_certificate", _("This certificate or letter number is already used by another village."))
            return


def _check_band(building: Building, band: int | None, reason: str, refuse) -> None:
    if band not in Band.values:
        refuse("band", _("Choose the construction band."))
    elif building.band and band < building.band and not reason.strip():
        refuse(
            "reason",
            _("The band goes back from %(was)s to %(now)s: give the reason.")
            % {"was": Band(building.band).label, "now": Band(band).label},
        )


def _check_channel(building: Building, kind: ChannelKind, state: str, reason: str, refuse) -> None:
    if state not in ChannelState.values:
        refuse("state", _("Choose the channel's state."))
        return
    current = building.channels.filter(kind=kind).values_list("state", flat=True).first() if building.pk else None
    if (
        current
        and CHANNEL_ORDER.index(ChannelState(state)) < CHANNEL_ORDER.index(ChannelState(current))
        and not reason.strip()
    ):
        refuse(
            "reason",
            _("The channel goes back from %(was)s to %(now)s: give the reason.")
            % {"was": ChannelState(current).label, "now": ChannelState(state).label},
        )


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """The step's facts as JSON: dates as ISO strings, decimals as strings."""
    return {
        k: (v.isoformat() if isinstance(v, date) else str(v) if isinstance(v, Decimal) else v) for k, v in data.items()
    }


def submit_step(
    *,
    actor: User,
    cooperative: Cooperative,
    step: int,
    token: str,
    evidence_date: date | None = None,
    data: dict[str, Any] | None = None,
    band: int | None = None,
    channel: ChannelKind | None = None,
    note: str = "",
    reason: str = "",
    not_applicable: bool = False,
    files=(),
    taken_on: date | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    phone_exif: list[dict] | tuple = (),
    device: dict | None = None,
    source: str = "form",
    at: datetime | None = None,
) -> Submission:
    """Submit evidence for `step` (a band for construction, a channel's state for channels; `data`: the step's facts
        by field). It waits for the office. A photo's `taken_on` defaults to the evidence date; without `latitude` and
        `longitude` it is kept and flagged. Each photo's EXIF position and time are read here from the bytes as uploaded
    (the stored image is re-encoded without metadata), else taken from `phone_exif` (per file, in order: what the phone
    read before sending, {"latitude", "longitude", "taken_at"}); `device` is the phone's own location
    ({"latitude", "longitude", "accuracy_m"}) when the user allowed it. Positions are evidence shown to the office
    (`selectors.photo_notes`), never a reason to refuse. Raises PermissionDenied for a user who may not submit this
        step, ValidationError (by field) for bad input, StaleEdit when the step changed after the form was read."""
    target = workflow.step(step)
    if not can_submit(actor, cooperative, target.submitters):
        raise PermissionDenied
    data = dict(data or {})
    files = list(files)
    at = at or timezone.now()
    with atomic_with_files() as store:
        building = _lock_building(cooperative, actor=actor, at=at)
        channel_id = channel.pk if channel else None
        check_fresh(
            building,
            [],
            token,
            submitted={"note": note},
            extra=step_state(building, step, channel_id),
            key=token_key(cooperative.pk, step, channel_id),
            labels={"note": _("Note"), "status": _("Status")},
        )
        checked = _check(
            building,
            target,
            evidence_date=evidence_date,
            data=data,
            band=band,
            channel=channel,
            reason=reason or "",
            not_applicable=not_applicable,
            files=files,
            photos_dated=taken_on,
        )
        submission = Submission.objects.create(
            building=building,
            step=step,
            band=band if step == workflow.CONSTRUCTION else None,
            channel=channel if step == workflow.CHANNELS else None,
            data=_plain(data),
            evidence_date=evidence_date,
            note=(note or "").strip(),
            reason=(reason or "").strip(),
            not_applicable=not_applicable,
            submitted_by=actor,
            submitted_at=at,
        )
        stored = []
        for index, upload in enumerate(checked):
            photo = upload.content_type.startswith("image/")
            exif = _photo_exif(files[index], phone_exif, index) if photo else {}
            place = device if photo and device else {}
            evidence = EvidenceFile(
                **exif,
                device_latitude=place.get("latitude"),
                device_longitude=place.get("longitude"),
                device_accuracy_m=place.get("accuracy_m"),
                submission=submission,
                building=building,
                original_name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                taken_on=(taken_on or evidence_date) if photo else None,
                latitude=latitude if photo else None,
                longitude=longitude if photo else None,
                uploaded_by=actor,
            )
            store.save(evidence.file, upload)
            stored.append(evidence)
        EvidenceFile.objects.bulk_create(stored)
        _touch(building, actor=actor, at=at)
        _record(
            building,
            kind=MoveKind.SUBMITTED,
            action="buildings.submit_step",
            actor=actor,
            at=at,
            submission=submission,
            source=source,
            after={
                "step": step,
                "band": submission.band,
                "channel": str(channel or ""),
                "evidence_date": str(evidence_date or ""),
                "not_applicable": not_applicable,
                **submission.data,
                "files": [f.original_name for f in stored],
                "unpositioned_photos": sum(1 for f in stored if f.is_photo and not f.has_position),
                "exif_positions": sum(1 for f in stored if f.exif_latitude is not None),
            },
        )
    return submission


def _photo_exif(uploaded, phone_exif, index: int) -> dict[str, Any]:
    """The EXIF fields of one stored photo: read by the server from the original bytes when they carry a position or
    a time, else as the phone read them (a browser may strip or resize the photo on the way)."""
    uploaded.seek(0)
    facts = read_photo_facts(uploaded.read())
    uploaded.seek(0)
    if facts.has_position or facts.taken_at:
        return {
            "exif_latitude": facts.latitude,
            "exif_longitude": facts.longitude,
            "exif_taken_at": facts.taken_at,
            "exif_read_by": ExifSource.SERVER,
        }
    phone = phone_exif[index] if index < len(phone_exif) else {}
    if phone.get("latitude") is None and not phone.get("taken_at"):
        return {}
    return {
        "exif_latitude": phone.get("latitude"),
        "exif_longitude": phone.get("longitude"),
        "exif_taken_at": phone.get("taken_at") or "",
        "exif_read_by": ExifSource.PHONE,
    }


def set_photo_public(
    *, actor: User, evidence: EvidenceFile, public: bool, token: str, at: datetime | None = None
) -> EvidenceFile:
    """The office shows a photo on the public pages (re-encoded without metadata when served) or takes it off.
    Only photos; the office of the building's cooperative only. Raises PermissionDenied, ValidationError for a file
    that is no photo, StaleEdit when the photo's choice changed after the page was read."""
    if not can_verify(actor, evidence.building.cooperative):
        raise PermissionDenied
    if not evidence.is_photo:
        raise ValidationError(_("Only photos can be shown on the public pages."))
    at = at or timezone.now()
    with transaction.atomic():
        building = Building.objects.select_for_update().get(pk=evidence.building_id)
        current = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
        check_fresh(current, ["is_public"], token, submitted={"is_public": public})
        if current.is_public == public:
            return current
        EvidenceFile.objects.filter(pk=current.pk).update(is_public=public)
        _touch(building, actor=actor, at=at)
        record_audit(
            actor=actor,
            action="buildings.photo_public",
            obj=building,
            region_code=building.region_code,
            before={"file": current.original_name, "is_public": current.is_public},
            after={"file": current.original_name, "is_public": public},
        )
        current.is_public = public
    return current


def _detail(submission: Submission) -> str:
    if submission.band:
        return str(Band(submission.band).label)
    if submission.channel_id:
        state = submission.data.get("state", "")
        return f"{submission.channel}: {ChannelState(state).label}" if state else str(submission.channel)
    return ""


def _record(
    building: Building, *, kind, action, actor, at, submission, source="form", reason="", before=None, after=None
):
    """A move of the track: its history row and its audit entry, always together, in the caller's transaction."""
    Move.objects.create(
        building=building,
        kind=kind,
        step=submission.step,
        detail=_detail(submission),
        reason=reason or submission.reason,
        source=source,
        actor=actor,
        at=at,
        submission=submission,
    )
    record_audit(
        actor=actor,
        action=action,
        obj=building,
        region_code=building.region_code,
        before=before,
        after=after,
        source=source,
    )


def _lock_pending(submission: Submission) -> Submission:
    fresh = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("building__cooperative", "channel")
        .get(pk=submission.pk)
    )
    if fresh.status != SubmissionStatus.PENDING:
        raise ValidationError(_("This submission has already been decided."))
    return fresh


def _facts(submission: Submission) -> dict[str, Any]:
    """The building's fields a verified submission writes."""
    d, on = submission.data, submission.evidence_date
    if submission.step == workflow.LAND_PROPOSED:
        keys = ("land_owner", "land_certificate", "land_area_m2", "road_access", "latitude", "longitude")
        return {
            "land_proposed_on": on,
            **{k: d.get(k) or None if k in ("land_area_m2", "latitude", "longitude") else d.get(k, "") for k in keys},
        }
    if submission.step == workflow.LAND_SURVEYED:
        return {
            "surveyed_by": d.get("surveyed_by", ""),
            "surveyed_on": on,
            "clear_on": d.get("clear_on") or None,
            "portal_on": d.get("portal_on") or None,
        }
    if submission.step == workflow.CONSTRUCTION:
        return {"band": submission.band, "band_on": on}
    if submission.step == workflow.HANDOVER:
        return {
            "handover_on": on,
            "handover_number": d.get("handover_number", ""),
            "asset_register": d.get("asset_register", ""),
            "asset_number": d.get("asset_number", ""),
            "asset_on": d.get("asset_on") or None,
        }
    if submission.step == workflow.FIRST_SALE:
        return {"first_sale_on": on, "first_sale_what": d.get("first_sale_what", "")}
    return {}


def verify(*, actor: User, submission: Submission, at: datetime | None = None, source: str = "form") -> Building:
    """The office accepts the evidence: its facts are written into the building (vehicles, the channel's state)."""
    if not can_verify(actor, submission.building.cooperative):
        raise PermissionDenied
    at = at or timezone.now()
    with transaction.atomic():
        submission = _lock_pending(submission)
        building = Building.objects.select_for_update().get(pk=submission.building_id)
        fields: dict[str, Any] = {}
        if submission.not_applicable:
            if submission.channel_id:
                Channel.objects.update_or_create(
                    building=building, kind=submission.channel, defaults={"not_applicable_reason": submission.reason}
                )
            else:
                fields["not_applicable"] = sorted({*building.not_applicable, submission.step})
        else:
            fields.update(_facts(submission))
            if submission.step == workflow.EQUIPMENT:
                assert submission.evidence_date is not None  # a step that applies has its date (checked on submit)
                for vehicle in submission.data.get("vehicles", []):
                    building.vehicles.create(
                        kind=vehicle["kind"], registration=vehicle["registration"], received_on=submission.evidence_date
                    )
            if submission.step == workflow.CHANNELS:
                state = submission.data["state"]
                Channel.objects.update_or_create(
                    building=building,
                    kind=submission.channel,
                    defaults={"state": state, STATE_DATE[ChannelState(state)]: submission.evidence_date},
                )
        fields["step"] = max(building.step or 0, submission.step)
        before = {k: _json(getattr(building, k)) for k in fields}
        _touch(building, actor=actor, at=at, **fields)
        Submission.objects.filter(pk=submission.pk).update(
            status=SubmissionStatus.VERIFIED, decided_by=actor, decided_at=at
        )
        if submission.step == workflow.FIRST_SALE and not submission.not_applicable:
            _offer_operating_stage(actor, building, submission, at)
        _record(
            building,
            kind=MoveKind.NOT_APPLICABLE if submission.not_applicable else MoveKind.VERIFIED,
            action="buildings.verify_step",
            actor=actor,
            at=at,
            submission=submission,
            source=source,
            before=before,
            after={"step": submission.step, **{k: _json(v) for k, v in fields.items()}, "detail": _detail(submission)},
        )
    return building


OPERATING_STAGE = 11  # formation's "Operating" (kopdes/formation/workflow.py)


def _offer_operating_stage(actor: User, building: Building, submission: Submission, at: datetime) -> None:
    """A trading building is evidence that the cooperative operates
    (docs/decisions/0009-stage-11-by-outlet-or-building.md). File formation's stage 11 for the office's queue when
    the record stands at stage 10 with nothing waiting."""
    cooperative = Cooperative.objects.get(pk=building.cooperative_id)
    if (
        cooperative.stage != OPERATING_STAGE - 1
        or cooperative.submissions.filter(status=SubmissionStatus.PENDING).exists()
    ):
        return
    submit_stage(
        actor=actor,
        cooperative=cooperative,
        version=cooperative.version,
        stage=OPERATING_STAGE,
        evidence_date=submission.evidence_date,
        note=_("First sale of the building: %(what)s") % {"what": submission.data.get("first_sale_what", "")},
        source="buildings",
        at=at,
    )


def _json(value):
    return value if value is None or isinstance(value, (str, int, bool, list)) else str(value)


def return_submission(*, actor: User, submission: Submission, reason: str, at: datetime | None = None) -> None:
    """The office sends the evidence back with a reason; the building does not change."""
    if not can_verify(actor, submission.building.cooperative):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for returning the evidence.")]})
    at = at or timezone.now()
    with transaction.atomic():
        submission = _lock_pending(submission)
        building = Building.objects.select_for_update().get(pk=submission.building_id)
        Submission.objects.filter(pk=submission.pk).update(
            status=SubmissionStatus.RETURNED, decided_by=actor, decided_at=at, decision_reason=reason.strip()
        )
        _touch(building, actor=actor, at=at)
        _record(
            building,
            kind=MoveKind.RETURNED,
            action="buildings.return_step",
            actor=actor,
            at=at,
            submission=submission,
            reason=reason.strip(),
            after={"step": submission.step, "detail": _detail(submission), "reason": reason.strip()},
        )


PLAN_LABELS = {
    "regulation": _lazy("regulation cited"),
    "letter_number": _lazy("allocation letter number"),
    "schedule": _lazy("schedule"),
}


def save_instalments(
    *,
    actor: User,
    cooperative: Cooperative,
    token: str,
    funding_source: str,
    regulation: str,
    letter_number: str,
    letter_date: date,
    schedule: list[tuple[date, Decimal]],
    at: datetime | None = None,
) -> InstalmentPlan:
    """Enter or change the village's instalment plan from its allocation letter: the schedule's amounts add up to the
    total; the letter date is not in the future. The office only."""
    if not can_verify(actor, cooperative):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    today = local_today(cooperative.region_code)
    if letter_date > today:
        errors["letter_date"] = [
            _("The date cannot be in the future (today in the village is %(today)s).") % {"today": _day(today)}
        ]
    if funding_source not in FundingSource.values:
        errors["funding_source"] = [_("Choose the funding source.")]
    if not schedule:
        errors["schedule"] = [_("Enter at least one instalment: its due date and amount.")]
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    rows = sorted(schedule)
    plain = [{"due_on": d.isoformat(), "amount": str(a)} for d, a in rows]
    with transaction.atomic():
        building = _lock_building(cooperative, actor=actor, at=at)
        current = InstalmentPlan.objects.select_for_update().filter(building=building).first()
        values = {
            "funding_source": funding_source,
            "regulation": regulation.strip(),
            "letter_number": letter_number.strip(),
            "letter_date": letter_date,
            "total_amount": sum((a for _d, a in rows), Decimal(0)),
            "schedule": plain,
        }
        reference = current or InstalmentPlan(building=building)
        check_fresh(
            reference,
            [],
            token,
            submitted=_plain(values),
            extra=plan_state(current),
            key=plan_key(cooperative.pk),
            labels={k: str(v) for k, v in PLAN_LABELS.items()},
        )
        before = plan_state(current)
        plan, _created = InstalmentPlan.objects.update_or_create(
            building=building, defaults={**values, "updated_at": at, "updated_by": actor}
        )
        _touch(building, actor=actor, at=at)
        record_audit(
            actor=actor,
            action="buildings.save_instalments",
            obj=building,
            region_code=building.region_code,
            before=before,
            after=plan_state(plan),
        )
    return plan


# ---- the office's progress sheet --------------------------------------------------------------------------------

IMPORTED_STEPS = (workflow.LAND_PROPOSED, workflow.LAND_SURVEYED, workflow.CONSTRUCTION, workflow.HANDOVER)


def import_progress(
    *, actor: User, cooperative: Cooperative, steps: list[dict[str, Any]], source: str, at: datetime | None = None
) -> int:
    """Steps 1–4 taken from the office's own progress sheet (the importer, `kopdes.imports.building_plans`): each
    counts as verified by the importing admin, like formation's `import_stage`, and names the file as its source.

    `steps`: in track order, each {"step": 1–4, "date": date, "band": band or None (step 3), "data": the step's
    facts by field, as `submit_step` takes them}. A step whose facts equal the building's is passed over (a rerun
    changes nothing). Returns the steps written. Raises PermissionDenied for anyone but the office; ValidationError
    for a step the sheet cannot set, a step waiting for verification, a band going back, a handover before 100%, or
    a date in the future (the importer reports these by row first: this is the last guard)."""
    if not can_verify(actor, cooperative):
        raise PermissionDenied
    at = at or timezone.now()
    today = local_today(cooperative.region_code)
    written = 0
    with transaction.atomic():
        building = _lock_building(cooperative, actor=actor, at=at)
        for item in steps:
            number, day, band = item["step"], item["date"], item.get("band")
            data = _plain(dict(item.get("data") or {}))
            if number not in IMPORTED_STEPS:
                raise ValidationError(_("A progress sheet sets the land, the construction and the handover only."))
            if day is None or day > today:
                raise ValidationError(_("The date cannot be in the future (today in the village is %(today)s).")
                                      % {"today": _day(today)})  # fmt: skip
            if building.submissions.filter(step=number, status=SubmissionStatus.PENDING).exists():
                raise ValidationError(_("This step is already waiting for verification by the office."))
            if number == workflow.CONSTRUCTION and building.band and band is not None and band < building.band:
                raise ValidationError(_("An import does not move a building's band back."))
            if number == workflow.HANDOVER and building.band != Band.DONE:
                raise ValidationError(
                    _("The building can be handed over only after construction reaches 100%% (verified now: %(band)s).")
                    % {"band": Band(building.band).label if building.band else _("none")}
                )
            submission = Submission(
                building=building,
                step=number,
                band=band if number == workflow.CONSTRUCTION else None,
                data=data,
                evidence_date=day,
                note=_("From the progress sheet"),
            )
            # a cell the sheet leaves empty keeps what the building holds
            facts = {k: v if v not in (None, "") else getattr(building, k) for k, v in _facts(submission).items()}
            if _same_facts(building, facts):
                continue
            submission.status, submission.submitted_by, submission.submitted_at = SubmissionStatus.VERIFIED, actor, at
            submission.decided_by, submission.decided_at = actor, at
            submission.save()
            fields = {**facts, "step": max(building.step or 0, number)}
            before = {k: _json(getattr(building, k)) for k in fields}
            _touch(building, actor=actor, at=at, **fields)
            building.refresh_from_db(fields=list(fields))
            _record(
                building,
                kind=MoveKind.VERIFIED,
                action="buildings.import_progress",
                actor=actor,
                at=at,
                submission=submission,
                source=source,
                before=before,
                after={"step": number, **{k: _json(v) for k, v in fields.items()}, "detail": _detail(submission)},
            )
            written += 1
    return written


def _same_facts(building: Building, facts: dict[str, Any]) -> bool:
    """Whether the building already holds `facts` (values compared as the model's fields read them: "300" and
    Decimal("300.00") are the same area, "2026-01-06" and date(2026, 1, 6) the same day)."""
    for name, value in facts.items():
        field = Building._meta.get_field(name)
        wanted = field.to_python(value) if value not in (None, "") else value  # type: ignore[union-attr]
        held = getattr(building, name)
        if (wanted in (None, "")) != (held in (None, "")) or (wanted not in (None, "") and wanted != held):
            return False
    return True
