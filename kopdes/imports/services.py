"""Import writes: upload (validate, keep the batch and its preview), confirm (validate again, apply in one transaction,
audit), and the one-step run of the management commands. Nothing is half-written: any error, nothing changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kopdes.accounts.scope import primary_region
from kopdes.audit.services import record_audit
from kopdes.buildings.services import import_progress
from kopdes.cleaners.text import norm
from kopdes.cooperatives.models import BoardMember, Organ
from kopdes.cooperatives.services import add_seat, note_registry_change, replace_seat
from kopdes.files.uploads import CheckedUpload, atomic_with_files
from kopdes.formation import services as formation
from kopdes.formation import workflow
from kopdes.formation.models import BoardPosition, Cooperative
from kopdes.imports import bulk
from kopdes.imports.models import BatchStatus, ColumnLayout, ImportBatch, ImportKind, StageLabelDecision
from kopdes.imports.plans import ERROR, Plan, make_plan
from kopdes.imports.policy import may_import_valid_rows, require_importer
from kopdes.imports.reader import FileProblem, HeaderNotFound, check_size, read_upload

if TYPE_CHECKING:
    from kopdes.accounts.models import User

# New rows listed by name in the audit entry of a batch: all of them are in the batch's file, which is kept. Changed
# rows are all listed with their before and after values: that is what an audit must not lose.
AUDIT_NEW_ROWS = 50


class StalePreview(ValidationError):
    """The data changed between the preview and the confirmation: the new preview is stored, nothing applied."""


def _status(plan: Plan) -> str:
    if plan.error_count:
        return BatchStatus.INVALID
    return BatchStatus.PREVIEWED if plan.has_changes else BatchStatus.NO_CHANGES


def upload_batch(*, actor: User, kind: str, uploaded, cooperative: Cooperative | None = None) -> ImportBatch:
    """Keep the upload and validate every row: the batch holds the errors and warnings, or the preview. Raises
    FileProblem (nothing kept) for a file that cannot be read at all, and for a storage error (a full disk, a
    read-only media folder): then no batch is created and no file is left (`files.uploads.atomic_with_files`)."""
    require_importer(actor, cooperative)
    data, name = read_upload(uploaded)
    try:
        plan = make_plan(kind=kind, data=data, name=name, actor=actor, cooperative=cooperative)
    except HeaderNotFound as missing:
        plan = _unmapped(kind, missing)
    if cooperative:
        region = cooperative.region_code
    else:
        home = primary_region(actor)
        region = home.code if home else ""
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
    is_csv = name.lower().endswith(".csv")
    stored = CheckedUpload(
        name=name,
        content_type="text/csv" if is_csv else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extension=".csv" if is_csv else ".xlsx",
        content=data,
    )
    try:
        with atomic_with_files() as store:
            store.save(batch.file, stored)
            batch.save()
    except ValidationError as error:
        if error.code not in ("storage", "storage_full"):
            raise
        raise FileProblem(
            _(
                "The file %(name)s could not be stored: the server's storage is full or cannot be written. Nothing "
                "was imported; upload the file again later, or tell the office's administrator."
            )
            % {"name": name}
        ) from error
    return batch


def _unmapped(kind: str, missing: HeaderNotFound) -> Plan:
    """The preview of a file whose header lacks a column the import needs: the error, and the likeliest header's
    columns for the admin to map (map_columns reads the file again)."""
    plan = Plan(kind=kind)
    plan.add(None, ERROR, missing.message)
    plan.reading = {
        "layout": missing.layout,
        "header_row": missing.row,
        "unknown_columns": [
            [position, text] for position, text in sorted(missing.headers.items()) if text not in missing.read.values()
        ],
        "read_columns": missing.read,
        "filled": [],
    }
    return plan


def _apply(
    *,
    actor: User,
    plan: Plan,
    kind: str,
    name: str,
    cooperative: Cooperative | None,
    batch: ImportBatch | None,
    left_out: list[int] | None = None,
):
    """Write the plan in the caller's transaction, with one audit entry for the batch (and the numbers of the rows
    left out by an import of the valid rows)."""
    at = timezone.now()
    source = f"impor:{name}"[:200]
    if kind == ImportKind.MEMBERS:
        assert cooperative is not None  # members are imported into one cooperative
        bulk.upsert_members(cooperative_id=cooperative.pk, rows=plan.writes, source=source, at=at)
        if plan.writes:  # the registry's "updated" date and today's health score follow the members
            note_registry_change(cooperative=cooperative, at=at)
    elif kind == ImportKind.BUILDINGS:
        buildings = Cooperative.objects.in_bulk([write[0] for write in plan.writes])
        for case_id, steps in plan.writes:
            import_progress(actor=actor, cooperative=buildings[case_id], steps=steps, source=source, at=at)
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
            **({"left_out_rows": left_out} if left_out else {}),
        },
        source=source,
    )
    return at


def _write_chair(*, actor: User, cooperative: Cooperative, chair: dict, seats: dict, name: str, source: str) -> None:
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


def confirm_batch(*, actor: User, batch: ImportBatch, valid_only: bool = False) -> ImportBatch:
    """Apply exactly what the preview showed: the stored file is validated again; if the result differs (someone
    changed the data meanwhile) the new preview is stored and nothing is applied. All or nothing by default; with
    `valid_only` the rows without errors are written and the rows with errors left out (listed in the audit entry,
    downloadable with `left_out_workbook`)."""
    require_importer(actor, batch.cooperative)
    allowed = (BatchStatus.PREVIEWED, BatchStatus.INVALID) if valid_only else (BatchStatus.PREVIEWED,)
    if batch.status not in allowed or (valid_only and not may_import_valid_rows(batch.summary)):
        raise ValidationError(_("This file cannot be imported (already imported, or it has errors)."))
    with batch.file.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status not in allowed:
            raise ValidationError(_("This file cannot be imported (already imported, or it has errors)."))
        plan = make_plan(
            kind=batch.kind, data=data, name=batch.original_name, actor=actor, cooperative=batch.cooperative
        )
        refused = plan.file_errors if valid_only else plan.error_count
        if plan.fingerprint != batch.fingerprint or refused or not plan.has_changes:
            stale = True
        else:
            stale = False
            left_out = sorted(plan.error_rows)
            batch.applied_at = _apply(
                actor=actor,
                plan=plan,
                kind=batch.kind,
                name=batch.original_name,
                cooperative=batch.cooperative,
                batch=batch,
                left_out=left_out,
            )
            batch.status = BatchStatus.APPLIED
            batch.summary = {**plan.summary(), "left_out": len(left_out)}
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
    *,
    actor: User,
    kind: str,
    data: bytes,
    name: str,
    cooperative: Cooperative | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
) -> RunResult:
    """Validate and, unless `dry_run` or on any error, apply in one transaction (the management commands and the
    benchmark; no preview step in between, so one validation). With `valid_only`, rows with errors are left out
    and the others applied (never when an error concerns the whole file)."""
    require_importer(actor, cooperative)
    check_size(len(data), name)
    with transaction.atomic():
        plan = make_plan(kind=kind, data=data, name=name, actor=actor, cooperative=cooperative)
        refused = plan.file_errors if valid_only else plan.error_count
        if dry_run or refused or not plan.has_changes:
            return RunResult(plan, applied=False)
        left_out = sorted(plan.error_rows)
        _apply(actor=actor, plan=plan, kind=kind, name=name, cooperative=cooperative, batch=None, left_out=left_out)
    return RunResult(plan, applied=True)


def _replan(*, actor: User, batch: ImportBatch) -> Plan:
    """Validate the batch's stored file again and keep the new preview (after a column mapping, or a decision on
    stage labels)."""
    with batch.file.open("rb") as handle:
        data = handle.read()
    try:
        plan = make_plan(
            kind=batch.kind, data=data, name=batch.original_name, actor=actor, cooperative=batch.cooperative
        )
    except HeaderNotFound as missing:
        plan = _unmapped(batch.kind, missing)
    batch.status, batch.summary, batch.fingerprint = _status(plan), plan.summary(), plan.fingerprint
    batch.save(update_fields=["status", "summary", "fingerprint"])
    return plan


def map_columns(*, actor: User, batch: ImportBatch, mapping: dict[int, str], fields: dict[str, str]) -> ImportBatch:
    """Remember which field each unknown column of the batch's sheet layout holds (`mapping`: column position ->
    field; "" leaves a column unread), for this batch and every later file of the same layout, then validate the
    batch again. `fields`: the import kind's fields (field -> label) a column may be mapped to. Raises
    ValidationError for a batch already imported, a column that is not one of the sheet's unknown columns, a field
    of another kind, or one field chosen for two columns."""
    require_importer(actor, batch.cooperative)
    if batch.status == BatchStatus.APPLIED:
        raise ValidationError(_("This file is already imported: upload it again to read it another way."))
    summary = batch.summary
    unknown = {int(position): text for position, text in summary.get("unknown_columns", [])}
    read = set(summary.get("read_columns", {}))
    chosen = {position: key for position, key in mapping.items() if key}
    if set(mapping) - set(unknown):
        raise ValidationError(_("Only the columns the import does not read yet can be mapped."))
    if set(chosen.values()) - set(fields):
        raise ValidationError(_("Choose a field of this import for each column."))
    taken = [key for key in chosen.values() if key in read]
    if taken or len(set(chosen.values())) != len(chosen):
        raise ValidationError(_("Each field can be read from one column only."))
    if not chosen:
        return batch
    with transaction.atomic():
        layout, created = ColumnLayout.objects.select_for_update().get_or_create(
            kind=batch.kind,
            fingerprint=summary["layout"],
            defaults={"updated_by": actor, "updated_at": timezone.now(), "headers": [], "mapping": {}},
        )
        before = dict(layout.mapping)
        layout.mapping = {**layout.mapping, **{norm(unknown[p]): key for p, key in chosen.items()}}
        layout.headers = sorted(set(layout.headers) | {unknown[p] for p in chosen})
        layout.updated_by, layout.updated_at = actor, timezone.now()
        layout.save()
        record_audit(
            actor=actor,
            action="imports.map_columns",
            obj=layout,
            object_repr=batch.original_name,
            region_code=batch.region_code,
            before=None if created else {"mapping": before},
            after={"mapping": layout.mapping, "columns": {unknown[p]: fields[k] for p, k in chosen.items()}},
        )
        _replan(actor=actor, batch=batch)
    return batch


def decide_labels(*, actor: User, batch: ImportBatch, decisions: dict[str, int | None]) -> ImportBatch:
    """The office's decision on stage labels the cleaner did not read exactly (label key -> stage, or None to leave
    the label's rows out), kept per regency for its next imports (`StageLabelDecision`), audited; the batch's preview
    is made again with them. Only labels the batch's preview asked about are taken."""
    require_importer(actor, batch.cooperative)
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
        _replan(actor=actor, batch=batch)
    return batch
