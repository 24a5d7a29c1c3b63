"""Formation writes: start a programme, submit a stage, verify or return it, step back, merge. Each in one
transaction, guarded against concurrent changes, recorded as history (StageMove) and in the audit log. Every write
that changes a case's stage, villages or waiting submission keeps the dashboards' stage counts in the same
transaction (`counts.kept` around it, `counts.refresh` for new records; see formation/counts.py): a new writer of
StageMove must do the same (the consistency test, formation/tests/test_counts.py, would show it)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kopdes.accounts.roles import Cap
from kopdes.audit.services import record_audit
from kopdes.clock import local_today, midday_local
from kopdes.files.uploads import CheckedUpload, atomic_with_files, check_upload
from kopdes.formation import counts, workflow
from kopdes.formation.models import (
    Cooperative,
    CooperativeVillage,
    EvidenceFile,
    Programme,
    StageMove,
    StageSubmission,
)
from kopdes.formation.policy import can_act
from kopdes.formation.workflow import MoveKind, Pathway, Sensitivity, SubmissionStatus
from kopdes.notifications.models import NotificationKind
from kopdes.notifications.services import notify
from kopdes.regions.models import Kind, Region

if TYPE_CHECKING:
    from kopdes.accounts.models import User


class ConcurrentChange(ValidationError):
    """Someone else changed the case between reading and writing; the caller keeps the user's input."""


def _provisional_name(village: Region) -> str:
    word = "Kelurahan" if village.kind == Kind.KELURAHAN else "Desa"
    return f"Koperasi {word} Merah Putih {village.name}"


def _require(user, cooperative: Cooperative, capability: str) -> None:
    if not can_act(user, cooperative, capability):
        raise PermissionDenied


def _concurrent_change() -> ConcurrentChange:
    return ConcurrentChange(
        _("This village's data was changed by someone else a moment ago. Check the page again, then resend.")
    )


def _bump(cooperative: Cooperative, *, version: int, actor: User, at: datetime, **fields) -> None:
    """Write `fields` only if nobody changed the case since `version` was read (the loser gets ConcurrentChange)."""
    changed = Cooperative.objects.filter(pk=cooperative.pk, version=version).update(
        version=F("version") + 1, updated_at=at, updated_by=actor, **fields
    )
    if not changed:
        raise _concurrent_change()
    for name, value in fields.items():
        setattr(cooperative, name, value)
    cooperative.version = version + 1
    cooperative.updated_at, cooperative.updated_by = at, actor


def _move(
    cooperative,
    *,
    kind,
    actor: User,
    at,
    from_stage=None,
    to_stage=None,
    reason="",
    source="form",
    submission=None,
    happened_at=None,
):
    return StageMove.objects.create(
        cooperative=cooperative,
        kind=kind,
        actor=actor,
        at=at,
        happened_at=happened_at,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
        source=source,
        submission=submission,
    )


def _record_move(cooperative, *, kind, action, actor: User, at, before=None, after=None, **move) -> StageMove:
    """A move of the case: its history row and its audit entry, always together, in the caller's transaction."""
    stage_move = _move(cooperative, kind=kind, actor=actor, at=at, **move)
    record_audit(
        actor=actor,
        action=action,
        obj=cooperative,
        region_code=cooperative.region_code,
        before=before,
        after=after,
        source=move.get("source", "form"),
    )
    return stage_move


def start_programme(*, actor: User, programme: Programme, at: datetime | None = None, source: str = "form") -> int:
    """Create the cooperative record (stage 0, provisional name) of every active village of the programme's region
    that has none yet. Rerunnable; returns how many were created."""
    at = at or timezone.now()
    villages = list(
        Region.objects.subtree(programme.region.code)
        .villages()
        .active()
        .exclude(id__in=CooperativeVillage.objects.filter(left_at__isnull=True).values("village_id"))
        .select_related("parent")
    )
    names = [_provisional_name(v) for v in villages]
    how_many = Counter(names)  # not names.count() per village: quadratic over a national programme's 83,000 villages
    taken = set(Cooperative.objects.filter(programme=programme).values_list("name", flat=True))
    with transaction.atomic():
        cooperatives = []
        for village, name in zip(villages, names, strict=True):
            if how_many[name] > 1 or name in taken:  # a clash: append the kecamatan (Juklak Menkop 1/2025)
                name = f"{name} Kecamatan {village.parent.name}"
            cooperatives.append(Cooperative(programme=programme, name=name, region_code=village.code, updated_at=at))
        Cooperative.objects.bulk_create(cooperatives, batch_size=1000)
        # The records just made are the programme's only ones without a village yet; a list of their codes would
        # exceed the bind-parameter limits of SQLite (32,766) and PostgreSQL (65,535) for a national programme.
        created = {c.region_code: c for c in Cooperative.objects.filter(programme=programme, memberships__isnull=True)}
        CooperativeVillage.objects.bulk_create(
            [CooperativeVillage(cooperative=created[v.code], village=v, village_code=v.code) for v in villages],
            batch_size=1000,
        )
        StageMove.objects.bulk_create(
            [
                StageMove(cooperative=c, kind=MoveKind.CREATED, to_stage=0, actor=actor, at=at, source=source)
                for c in created.values()
            ],
            batch_size=1000,
        )
        counts.refresh(c.pk for c in created.values())
        record_audit(
            actor=actor,
            action="formation.start_programme",
            obj=programme,
            region_code=programme.region.code,
            after={"cooperatives_created": len(villages)},
            source=source,
        )
    return len(villages)


def _check_evidence(
    cooperative: Cooperative, target: workflow.Stage, *, evidence_date, evidence_number, files, skip_reason, pathway
) -> list[CheckedUpload]:
    """The files as they will be stored, or a ValidationError with every refusal by field."""
    checked: list[CheckedUpload] = []
    errors: dict[str, list[str]] = {}
    today = local_today(cooperative.region_code)
    if evidence_date is None:
        errors.setdefault("evidence_date", []).append(_("Fill in the date."))
    elif evidence_date > today and not target.date_may_be_future:
        errors.setdefault("evidence_date", []).append(
            _("%(what)s cannot be in the future (today in the village is %(today)s).")
            % {"what": target.date_label, "today": formats.date_format(today, "j F Y")}
        )
    else:
        for earlier in workflow.dated_stages_before(target.number):
            assert earlier.date_field  # the dated stages only
            known = getattr(cooperative, earlier.date_field)
            if (
                known
                and evidence_date < known
                and workflow.must_follow(target, earlier, pathway or cooperative.pathway)
            ):
                errors.setdefault("evidence_date", []).append(
                    _("%(what)s cannot be before the date of the stage “%(stage)s” (%(date)s).")
                    % {"what": target.date_label, "stage": earlier.label, "date": formats.date_format(known, "j F Y")}
                )
    if target.requires_number and not evidence_number.strip():
        errors.setdefault("evidence_number", []).append(_("%(what)s is required.") % {"what": target.number_label})
    if target.requires_file and not files:
        errors.setdefault("files", []).append(_("Attach the document for this stage (PDF, JPEG or PNG)."))
    for uploaded in files:
        try:
            checked.append(check_upload(uploaded))
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    skipped = workflow.skipped_between(cooperative.stage, target.number)
    if skipped and not skip_reason.strip():
        errors.setdefault("skip_reason", []).append(
            _("Stages are skipped: give the reason they do not apply (tidak berlaku), or submit them first.")
        )
    pathway = pathway or cooperative.pathway
    for stage in skipped:
        if not workflow.may_skip(stage, pathway):
            errors.setdefault("stage", []).append(
                _("The stage “%(stage)s” is required for the pathway %(pathway)s: submit its evidence first.")
                % {"stage": stage.label, "pathway": Pathway(pathway or Pathway.PENDIRIAN_BARU).label}
            )
    if errors:
        raise ValidationError(errors)
    return checked


NIB_STAGE = 9  # the stage whose submission may carry the KBLI codes of the NIB


def submit_stage(
    *,
    actor: User,
    cooperative: Cooperative,
    version: int,
    stage: int,
    evidence_date: date | None,
    evidence_number: str = "",
    note: str = "",
    files=(),
    sensitivity: str = Sensitivity.INTERNAL,
    skip_reason: str = "",
    pathway: str = "",
    decided_name: str = "",
    kbli_codes=(),
    source: str = "form",
    at: datetime | None = None,
) -> StageSubmission:
    """Submit evidence that the case reached `stage`; it waits for the office ("menunggu verifikasi").
    `pathway` and `decided_name`, when given, are the pathway and the cooperative's name the village decided (written
    into the cooperative on verification)."""
    _require(actor, cooperative, Cap.EDIT)
    # A form read before someone else's change is judged stale first: the checks below would otherwise answer
    # about a state the user never saw (e.g. "already waiting" for the other user's submission).
    if not Cooperative.objects.filter(pk=cooperative.pk, version=version).exists():
        raise _concurrent_change()
    if stage not in workflow.BY_NUMBER or stage <= cooperative.stage:
        raise ValidationError(
            {"stage": [_("Choose a stage after the current one. To go back, the office steps the case back.")]}
        )
    if cooperative.submissions.filter(status=SubmissionStatus.PENDING).exists():
        raise ValidationError(_("A stage of this village is already waiting for verification."))
    target = workflow.stage(stage)
    if kbli_codes and stage < NIB_STAGE:
        raise ValidationError({"kbli_codes": [_("KBLI codes go with the NIB (stage 9).")]})
    files = list(files)
    checked = _check_evidence(
        cooperative,
        target,
        evidence_date=evidence_date,
        evidence_number=evidence_number or "",
        files=files,
        skip_reason=skip_reason or "",
        pathway=pathway or "",
    )
    at = at or timezone.now()
    try:
        with atomic_with_files() as store, counts.kept([cooperative]):
            _bump(cooperative, version=version, actor=actor, at=at)
            submission = StageSubmission.objects.create(
                cooperative=cooperative,
                from_stage=cooperative.stage,
                stage=stage,
                evidence_date=evidence_date,
                evidence_number=(evidence_number or "").strip(),
                note=(note or "").strip(),
                skip_reason=(skip_reason or "").strip(),
                pathway=pathway or "",
                decided_name=(decided_name or "").strip(),
                kbli_codes=list(kbli_codes or []),
                source=source,
                submitted_by=actor,
                submitted_at=at,
            )
            stored = []
            for upload in checked:
                evidence = EvidenceFile(
                    submission=submission,
                    cooperative=cooperative,
                    original_name=upload.name,
                    content_type=upload.content_type,
                    size=upload.size,
                    sha256=upload.sha256,
                    sensitivity=sensitivity,
                    uploaded_by=actor,
                )
                store.save(evidence.file, upload)
                stored.append(evidence)
            EvidenceFile.objects.bulk_create(stored)
            _record_move(
                cooperative,
                kind=MoveKind.SUBMITTED,
                action="formation.submit_stage",
                actor=actor,
                at=at,
                from_stage=cooperative.stage,
                to_stage=stage,
                reason=submission.skip_reason,
                source=source,
                submission=submission,
                after={
                    "stage": stage,
                    "evidence_date": str(evidence_date),
                    "evidence_number": submission.evidence_number,
                    "files": [f.original_name for f in stored],
                    "skip_reason": submission.skip_reason,
                },
            )
    except IntegrityError as clash:  # the pending-submission constraint: another submission won the race
        raise ConcurrentChange(_("A stage of this village is already waiting for verification.")) from clash
    return submission


def _lock_pending(submission: StageSubmission) -> StageSubmission:
    fresh = StageSubmission.objects.select_for_update().select_related("cooperative").get(pk=submission.pk)
    if fresh.status != SubmissionStatus.PENDING:
        raise ConcurrentChange(_("This submission has already been decided."))
    return fresh


def verify_submission(
    *, actor: User, submission: StageSubmission, at: datetime | None = None, source: str = "form"
) -> Cooperative:
    """The office accepts the evidence: the stage counts from now, its values are written into the cooperative."""
    _require(actor, submission.cooperative, Cap.VERIFY)
    at = at or timezone.now()
    with transaction.atomic():
        submission = _lock_pending(submission)
        cooperative = submission.cooperative
        tally = counts.contributions([cooperative.pk])
        target = workflow.stage(submission.stage)
        fields: dict = {"stage": target.number}
        if target.date_field:
            fields[target.date_field] = submission.evidence_date
        if target.number_field:
            fields[target.number_field] = submission.evidence_number
        if submission.pathway:
            fields["pathway"] = submission.pathway
        if submission.decided_name:
            fields["name"] = submission.decided_name
        if submission.kbli_codes:
            fields["kbli_codes"] = submission.kbli_codes
        before = {"stage": cooperative.stage, **{k: _plain(getattr(cooperative, k)) for k in fields if k != "stage"}}
        _bump(cooperative, version=cooperative.version, actor=actor, at=at, **fields)
        StageSubmission.objects.filter(pk=submission.pk).update(
            status=SubmissionStatus.VERIFIED, decided_by=actor, decided_at=at
        )
        for skipped in workflow.skipped_between(submission.from_stage, target.number):
            _move(
                cooperative,
                kind=MoveKind.NOT_APPLICABLE,
                actor=actor,
                at=at,
                to_stage=skipped.number,
                reason=submission.skip_reason,
                source=source,
                submission=submission,
            )
        _record_move(
            cooperative,
            kind=MoveKind.VERIFIED,
            action="formation.verify_stage",
            actor=actor,
            at=at,
            from_stage=before["stage"],
            to_stage=target.number,
            source=source,
            submission=submission,
            before=before,
            after={k: _plain(v) for k, v in fields.items()},
        )
        counts.refresh([cooperative.pk], tally)
    return cooperative


def return_submission(*, actor: User, submission: StageSubmission, reason: str, at: datetime | None = None) -> None:
    """The office sends the evidence back with a reason; the stage does not change."""
    _require(actor, submission.cooperative, Cap.VERIFY)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for returning the evidence.")]})
    at = at or timezone.now()
    with transaction.atomic():
        submission = _lock_pending(submission)
        cooperative = submission.cooperative
        tally = counts.contributions([cooperative.pk])
        _bump(cooperative, version=cooperative.version, actor=actor, at=at)
        StageSubmission.objects.filter(pk=submission.pk).update(
            status=SubmissionStatus.RETURNED, decided_by=actor, decided_at=at, decision_reason=reason.strip()
        )
        _record_move(
            cooperative,
            kind=MoveKind.RETURNED,
            action="formation.return_stage",
            actor=actor,
            at=at,
            from_stage=cooperative.stage,
            to_stage=submission.stage,
            reason=reason.strip(),
            submission=submission,
            after={"stage": submission.stage, "reason": reason.strip()},
        )
        counts.refresh([cooperative.pk], tally)
        if submission.submitted_by_id and submission.submitted_by_id != getattr(actor, "pk", None):
            _notify_returned(submission, cooperative, reason.strip())


def _notify_returned(submission: StageSubmission, cooperative: Cooperative, reason: str) -> None:
    """Tell the submitter that the office returned the evidence, in-app and by email."""
    with translation.override("id"):
        text = _("The office returned the evidence of stage %(stage)s for %(name)s: %(reason)s") % {
            "stage": submission.stage,
            "name": cooperative.name or cooperative.region_code,
            "reason": reason,
        }
    notify(
        user=submission.submitted_by,
        kind=NotificationKind.EVIDENCE_RETURNED,
        key=f"evidence_returned:{submission.pk}",
        text=text,
        url=reverse("formation:case_detail", kwargs={"pk": cooperative.pk}),
    )


def step_back(
    *, actor: User, cooperative: Cooperative, version: int, stage: int, reason: str, at: datetime | None = None
) -> Cooperative:
    """The office moves a case back to an earlier stage (a correction), with a reason. Values of the stages above are
    cleared on the record; they stay readable in the submissions and the audit log."""
    _require(actor, cooperative, Cap.VERIFY)
    errors = {}
    if stage not in workflow.BY_NUMBER or stage >= cooperative.stage:
        errors["stage"] = [_("Choose a stage before the current one.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for stepping back.")]
    if errors:
        raise ValidationError(errors)
    if cooperative.submissions.filter(status=SubmissionStatus.PENDING).exists():
        raise ValidationError(_("Decide the submission waiting for verification first."))
    at = at or timezone.now()
    cleared: dict = {"stage": stage}
    for above in workflow.STAGES[stage + 1 :]:
        if above.date_field:
            cleared[above.date_field] = None
        if above.number_field:
            cleared[above.number_field] = ""
    before = {k: _plain(getattr(cooperative, k)) for k in cleared}
    with transaction.atomic(), counts.kept([cooperative]):
        _bump(cooperative, version=version, actor=actor, at=at, **cleared)
        _record_move(
            cooperative,
            kind=MoveKind.STEP_BACK,
            action="formation.step_back",
            actor=actor,
            at=at,
            from_stage=before["stage"],
            to_stage=stage,
            reason=reason.strip(),
            before=before,
            after={**{k: _plain(v) for k, v in cleared.items()}, "reason": reason.strip()},
        )
    return cooperative


def merge_cooperatives(
    *, actor: User, target: Cooperative, others: list[Cooperative], reason: str, at: datetime | None = None
) -> Cooperative:
    """Villages forming one cooperative jointly: the others' villages join `target`; the others become inactive
    (kept, pointing to `target`)."""
    _require(actor, target, Cap.VERIFY)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the merge.")]})
    others = [o for o in others if o.pk != target.pk]
    if not others:
        raise ValidationError({"others": [_("Choose at least one other cooperative.")]})
    for other in others:
        _require(actor, other, Cap.VERIFY)
        if not other.is_active or other.programme_id != target.programme_id:
            raise ValidationError({"others": [_("%(name)s cannot be merged.") % {"name": other.name}]})
        if other.submissions.filter(status=SubmissionStatus.PENDING).exists():
            raise ValidationError(
                {"others": [_("%(name)s has a stage waiting for verification.") % {"name": other.name}]}
            )
    at = at or timezone.now()
    with transaction.atomic(), counts.kept([target, *others]):
        _bump(target, version=target.version, actor=actor, at=at)
        for other in others:
            moving = list(other.memberships.filter(left_at__isnull=True))
            CooperativeVillage.objects.filter(pk__in=[m.pk for m in moving]).update(left_at=at)
            CooperativeVillage.objects.bulk_create(
                [
                    CooperativeVillage(cooperative=target, village_id=m.village_id, village_code=m.village_code)
                    for m in moving
                ]
            )
            _bump(other, version=other.version, actor=actor, at=at, is_active=False, merged_into=target)
            for case in (target, other):
                _move(case, kind=MoveKind.MERGED, actor=actor, at=at, reason=reason.strip())
            record_audit(
                actor=actor,
                action="formation.merge",
                obj=target,
                region_code=target.region_code,
                before={"merged": other.name, "villages": [m.village_code for m in moving]},
                after={"into": target.name, "reason": reason.strip()},
            )
    return target


def import_stage(
    *,
    actor: User,
    cooperative: Cooperative,
    stage: int,
    fields: dict,
    source: str,
    at: datetime | None = None,
    reason: str = "",
) -> bool:
    """A stage and its evidence values taken from the office's own sheet: the move counts as verified
    by the importing admin and records the file as its source. Forward only, never past a submission waiting for
    verification. `fields` are evidence fields of stages up to `stage` (workflow.py); only differing values are
    written; `reason` goes into the move's history (the sheet's label the stage was read from). The move is dated
    by the stage's evidence date (noon of that day in the village's zone, never after `at`), `at` kept
    as the time it was recorded; a stage without a date, or none known, is dated `at`. Returns whether anything
    changed."""
    _require(actor, cooperative, Cap.VERIFY)
    if stage not in workflow.BY_NUMBER or stage < cooperative.stage:
        raise ValidationError(_("An import does not move a case back. Step back on the village's page."))
    allowed = {f for s in workflow.STAGES[: stage + 1] for f in (s.date_field, s.number_field) if f}
    if set(fields) - allowed:
        raise ValidationError(_("Evidence of a later stage cannot be imported."))
    changes = {k: v for k, v in fields.items() if getattr(cooperative, k) != v}
    if stage != cooperative.stage:
        changes["stage"] = stage
    if not changes:
        return False
    if cooperative.submissions.filter(status=SubmissionStatus.PENDING).exists():
        raise ValidationError(_("Decide the submission waiting for verification first."))
    at = at or timezone.now()
    before = {k: _plain(getattr(cooperative, k)) for k in changes}
    with transaction.atomic(), counts.kept([cooperative]):
        _bump(cooperative, version=cooperative.version, actor=actor, at=at, **changes)
        after = {k: _plain(v) for k, v in changes.items()}
        if "stage" in changes:  # a stage move: its history row (the dashboards' data version) and its audit entry
            date_field = workflow.stage(stage).date_field
            evidence = getattr(cooperative, date_field) if date_field else None
            happened = min(midday_local(cooperative.region_code, evidence), at) if evidence else None
            _record_move(
                cooperative,
                kind=MoveKind.VERIFIED,
                action="formation.import_stage",
                actor=actor,
                at=at,
                happened_at=happened if happened != at else None,
                from_stage=before["stage"],
                to_stage=stage,
                reason=reason,
                source=source,
                before=before,
                after=after,
            )
        else:
            record_audit(
                actor=actor,
                action="formation.import_stage",
                obj=cooperative,
                region_code=cooperative.region_code,
                before=before,
                after=after,
                source=source,
            )
    return True


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
