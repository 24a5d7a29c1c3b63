"""Helpers for the formation tests: uploads with real magic bytes, and moving a case through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopdes.audit.models import AuditEntry
from kopdes.formation import services, workflow
from kopdes.formation.models import Cooperative, EvidenceFile, StageMove, StageSubmission
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES, PNG_BYTES  # noqa: F401 (the tests import them from here)

EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64

# A plausible, strictly increasing evidence date per stage, all long past.
FIRST_DAY = date(2025, 4, 1)


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "berita-acara.pdf", size: int | None = None) -> SimpleUploadedFile:
    content = (
        PDF_BYTES if size is None else PDF_BYTES + b"\n" * (size - len(PDF_BYTES))
    )  # padding after %%EOF is allowed
    return upload(name, content)


def day_of(stage: int) -> date:
    return FIRST_DAY + timedelta(days=5 * stage)


def evidence_for(stage: int) -> dict:
    """Evidence that satisfies the workflow table for `stage` (date, the number and file when required)."""
    target = workflow.stage(stage)
    return {
        "evidence_date": day_of(stage),
        "evidence_number": f"{target.key.upper()}/{stage:02d}/2025" if target.requires_number else "",
        "files": [pdf(f"{target.key}.pdf")] if target.requires_file else [],
    }


def case_for(code: str) -> Cooperative:
    """The active cooperative serving the village `code`, read fresh from the database."""
    return Cooperative.objects.get(is_active=True, memberships__village_code=code, memberships__left_at__isnull=True)


def submit(actor, cooperative: Cooperative, stage: int, **overrides) -> StageSubmission:
    """Submit `stage` with valid evidence (overridable) against the cooperative's current version."""
    cooperative.refresh_from_db()
    kwargs = {**evidence_for(stage), **overrides}
    return services.submit_stage(
        actor=actor, cooperative=cooperative, version=cooperative.version, stage=stage, **kwargs
    )


def advance(cooperative: Cooperative, stage: int, *, submitter, verifier=None) -> Cooperative:
    """Submit and verify every stage up to `stage` in turn, as a village and the office would."""
    cooperative.refresh_from_db()
    for number in range(cooperative.stage + 1, stage + 1):
        submission = submit(submitter, cooperative, number)
        services.verify_submission(actor=verifier or submitter, submission=submission)
    cooperative.refresh_from_db()
    return cooperative


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def saved_state(cooperative: Cooperative) -> dict:
    """Everything a write could leave behind, to show that a refused write left nothing."""
    fresh = Cooperative.objects.get(pk=cooperative.pk)
    return {
        "submissions": StageSubmission.objects.count(),
        "files": EvidenceFile.objects.count(),
        "moves": StageMove.objects.count(),
        "audit": AuditEntry.objects.count(),
        "on_disk": stored_files(),
        "version": fresh.version,
        "stage": fresh.stage,
    }


def case_url(cooperative: Cooperative) -> str:
    return reverse("formation:case_detail", args=[cooperative.pk])


def submit_url(cooperative: Cooperative) -> str:
    return reverse("formation:submit_stage", args=[cooperative.pk])
