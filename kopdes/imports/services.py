"""Import writes: upload (validate, keep the batch and its preview), confirm (validate again, apply in one transaction,
audit), and the one-step run of the management commands. Nothing is half-written: any error, nothing changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.roles import Cap
from kopdes.accounts.scope import has_capability, primary_region
from kopdes.audit.services import record_audit
from kopdes.cooperatives.models import BoardMember, Organ
from kopdes.cooperatives.services import add_seat, note_registry_change, replace_seat
from kopdes.files.uploads import clean_name
from kopdes.formation import services as formation
from kopdes.formation import workflow
from kopdes.formation.models import BoardPosition, Cooperative
from kopdes.imports import bulk
from kopdes.imports.models import BatchStatus, ImportBatch, ImportKind, StageLabelDecision
from kopdes.imports.plans import Plan, plan_members, plan_village_status
from kopdes.imports.reader import FileProblem

# New rows listed by name in the audit entry of a batch: all of them are in the batch's file, which is kept. Changed
# rows are all listed with their before and after values: that is what an audit must not lose.
AUDIT_NEW_ROWS = 50


class StalePreview(ValidationError):
    """The data changed between the preview and the confirmation: the new preview is stored, nothing applied."""


def may_import(user) -> bool:
    """The office's administrators (the only role that verifies) import."""
    return has_capability(user, Cap.VERIFY)


def check_size(size: int, name: str) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise FileProblem(
            _("The file %(name)s is %(size)s; the largest allowed is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
        )


def read_upload(uploaded) -> tuple[bytes, str]:
    """The bytes and clean name of an uploaded file; the size is checked before anything is read."""
    name = clean_name(uploaded.name)
    check_size(uploaded.size, name)
    uploaded.seek(0)
    return uploaded.read(), name


def make_plan(*, kind: str, data: bytes, name: str, actor, cooperative: Cooperative | None = None) -> Plan:
    if kind == ImportKind.MEMBERS:
        return plan_members(data=data, name=name, cooperative=cooperative)
    return plan_village_status(data=data, name=name, actor=actor)


def _require(actor, cooperative: Cooperative | None) -> None:
    if not may_import(actor):
        raise PermissionDenied
    if cooperative is not None and not formation.can_act(actor, cooperative, Cap.VERIFY):
        raise PermissionDenied


def _status(plan: Plan) -> str:
    if plan.error_count:
        return BatchStatus.INVALID
    return BatchStatus.PREVIEWED if plan.has_changes else BatchStatus.NO_CHANGES


def upload_batch(*, actor, kind: str, uploaded, cooperative: Cooperative | None = None) -> ImportBatch:
    """Keep the upload and validate every row: the batch holds the errors and warnings, or the preview. Raises
    FileProblem (nothing kept) for a file that cannot be read at all."""
    _require(actor, cooperative)
    data, name = read_upload(uploaded)
    plan = make_plan(kind=kind, data=data, name=name, actor=actor, cooperative=cooperative)
    region = cooperative.region_code if cooperative else (primary_region(actor).code if primary_region(actor) else "")
    batch = ImportBatch(
        kind=kind,
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        cooperative=cooperative,
        region_code=region,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        status=_status(plan),
        summary=plan.summary(),
        fingerprint=plan.fingerprint,
    )
    batch.file.save(f"{batch.sha256[:16]}.{'csv' if name.lower().endswith('.csv') else 'xlsx'}", ContentFile(data))
    batch.save()
    return batch


def _apply(*, actor, plan: Plan, kind: str, name: str, cooperative: Cooperative | None, batch: ImportBatch | None):
    """Write the plan in the caller's transaction, with one audit entry for the batch."""
    at = timezone.now()
    source = f"impor:{name}"[:200]
    if kind == ImportKind.MEMBERS:
        bulk.upsert_members(cooperative_id=cooperative.pk, rows=plan.writes, source=source, at=at)
        if plan.writes:  # the registry's "updated" date and today's health score follow the members
            note_registry_change(cooperative=cooperative, at=at)
    else:
        cases = Cooperative.objects.select_for_update().in_bulk([write[0] for write in plan.writes])
        seats = BoardMember.objects.select_for_update().in_bulk([w[3]["seat"] for w in plan.writes if w[3]])
        for case_id, stage, fields, chair, note in plan.writes:
            formation.import_stage(
                actor=actor, cooperative=cases[case_id], stage=stage, fields=fields, source=source, at=at, reason=note
            )
            if chair:
                cooperative = cases[case_id]
                _write_chair(actor=actor, cooperative=cooperative, chair=chair, seats=seats, name=name, source=source)
    summary = plan.summary()
    record_audit(
        actor=actor,
        action=f"imports.{kind}",
        obj=batch if batch is not None else cooperative,
        object_type="" if batch is not None or cooperative is not None else "imports.importbatch",
        object_repr=name,
        region_code=(cooperative.region_code if cooperative else (batch.region_code if batch else "")),
        after={
            "file": name,
            **{key: summary[key] for key in ("new", "changed", "unchanged", "not_applied", "warnings")},
            "batch": batch.pk if batch is not None else None,
            "new_rows": plan.new[:AUDIT_NEW_ROWS],
            "changed_rows": plan.changed,
            "board_changes": plan.board,
        },
        source=source,
    )
    return at


def _write_chair(*, actor, cooperative: Cooperative, chair: dict, seats: dict, name: str, source: str) -> None:
    """Seat the sheet's ketua pengurus through the registry services (their audit entries, the registry's "updated"
    date and health score), in the import's transaction."""
    person = {"name": chair["name"], "nik": chair["nik"], "term_start": chair["term_start"]}
    if chair["action"] == "add":
        add_seat(
            actor=actor,
            cooperative=cooperative,
            organ=Organ.PENGURUS,
            position=BoardPosition.KETUA,
            source=source,
            **person,
        )
        return
    seat = seats[chair["seat"]]
    seat.cooperative = cooperative
    replace_seat(
        actor=actor,
        seat=seat,
        ended_at=chair["ended_at"],
        reason=_("replaced through the import of %(file)s") % {"file": name},
        successor={**person, "term_end": chair["term_end"]},
        source=source,
    )


def confirm_batch(*, actor, batch: ImportBatch) -> ImportBatch:
    """Apply exactly what the preview showed: the stored file is validated again; if the result differs (someone
    changed the data meanwhile) the new preview is stored and nothing is applied."""
    _require(actor, batch.cooperative)
    if batch.status != BatchStatus.PREVIEWED:
        raise ValidationError(_("This file cannot be imported (already imported, or it has errors)."))
    with batch.file.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.PREVIEWED:
            raise ValidationError(_("This file cannot be imported (already imported, or it has errors)."))
        plan = make_plan(
            kind=batch.kind, data=data, name=batch.original_name, actor=actor, cooperative=batch.cooperative
        )
        if plan.fingerprint != batch.fingerprint or plan.error_count:
            stale = True
        else:
            stale = False
            batch.applied_at = _apply(
                actor=actor,
                plan=plan,
                kind=batch.kind,
                name=batch.original_name,
                cooperative=batch.cooperative,
                batch=batch,
            )
            batch.status = BatchStatus.APPLIED
            batch.summary = plan.summary()
            batch.save(update_fields=["status", "summary", "applied_at"])
    if stale:
        batch.status, batch.summary, batch.fingerprint = _status(plan), plan.summary(), plan.fingerprint
        batch.save(update_fields=["status", "summary", "fingerprint"])
        raise StalePreview(
            _("The data changed after the preview was made. Check the new preview below, then confirm again.")
        )
    return batch


@dataclass
class RunResult:
    plan: Plan
    applied: bool


def run_import(
    *, actor, kind: str, data: bytes, name: str, cooperative: Cooperative | None = None, dry_run: bool = False
) -> RunResult:
    """Validate and, unless `dry_run` or on any error, apply in one transaction (the management commands and the
    benchmark; no preview step in between, so one validation)."""
    _require(actor, cooperative)
    check_size(len(data), name)
    with transaction.atomic():
        plan = make_plan(kind=kind, data=data, name=name, actor=actor, cooperative=cooperative)
        if dry_run or plan.error_count or not plan.has_changes:
            return RunResult(plan, applied=False)
        _apply(actor=actor, plan=plan, kind=kind, name=name, cooperative=cooperative, batch=None)
    return RunResult(plan, applied=True)


def decide_labels(*, actor, batch: ImportBatch, decisions: dict[str, int | None]) -> ImportBatch:
    """The office's decision on stage labels the cleaner did not read exactly (label key -> stage, or None to leave
    the label's rows out), kept per regency for its next imports (`StageLabelDecision`), audited; the batch's preview
    is made again with them. Only labels the batch's preview asked about are taken."""
    _require(actor, batch.cooperative)
    if batch.status == BatchStatus.APPLIED:
        raise ValidationError(_("This file cannot be imported (already imported, or it has errors)."))
    asked = {group["key"]: group["regencies"] for group in batch.summary.get("labels", [])}
    wanted = {key: stage for key, stage in decisions.items() if key in asked}
    for stage in wanted.values():
        if stage is not None and stage not in workflow.BY_NUMBER:
            raise ValidationError(_("Choose a stage of the list."))
    if not wanted:
        return batch
    now = timezone.now()
    with transaction.atomic():
        for key, stage in wanted.items():
            for regency in asked[key]:
                StageLabelDecision.objects.update_or_create(
                    regency_code=regency,
                    label=key,
                    defaults={"stage": stage, "decided_by": actor, "decided_at": now},
                )
        record_audit(
            actor=actor,
            action="imports.stage_labels",
            obj=batch,
            region_code=batch.region_code,
            after={"labels": {key: stage for key, stage in wanted.items()}, "file": batch.original_name},
        )
        with batch.file.open("rb") as handle:
            data = handle.read()
        plan = make_plan(
            kind=batch.kind, data=data, name=batch.original_name, actor=actor, cooperative=batch.cooperative
        )
        batch.status, batch.summary, batch.fingerprint = _status(plan), plan.summary(), plan.fingerprint
        batch.save(update_fields=["status", "summary", "fingerprint"])
    return batch
