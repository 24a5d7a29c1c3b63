"""Helpers for the training and visit tests: a training, a visit, uploads with real magic bytes."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.assistance.models import Training, Visit
from kopdes.assistance.services import activities as services
from kopdes.conftest import JANJU, SUNGAI_TERIK
from kopdes.regions.models import Region
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES  # noqa: F401 (the tests import them from here)

VALID_NIK = "6401040101850003"
OTHER_NIK = "6401011207880001"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_training(office, *, villages=(JANJU, SUNGAI_TERIK), topic="Tata kelola koperasi", start=date(2025, 5, 6)):
    return services.create_training(
        actor=office,
        region=Region.objects.get(code="64.01"),
        topic=topic,
        start_date=start,
        end_date=None,
        place="Aula Kantor Bupati",
        trainer="Tim Dinas Provinsi",
        organiser="Dinas Koperasi Paser",
        village_codes=list(villages),
    )


def attend(actor, training: Training, *people):
    """people: (name, village code[, nik[, role]])"""
    rows = [
        services.AttendeeRow(
            name=p[0], village_code=p[1], nik=p[2] if len(p) > 2 else "", role=p[3] if len(p) > 3 else "pengurus"
        )
        for p in people
    ]
    return services.record_attendance(actor=actor, training=training, rows=rows)


def make_visit(pendamping, code: str = JANJU, *, due=date(2025, 5, 12), follow_ups: int = 1, photos=()) -> Visit:
    return services.record_visit(
        actor=pendamping,
        village=Region.objects.get(code=code),
        visit_date=date(2025, 5, 8),
        purpose="Persiapan Musdesus",
        findings="Daftar hadir belum lengkap",
        follow_ups=[
            services.FollowUpRow(text=f"Tindak lanjut {n}", owner_name="Sekretaris desa", due_date=due)
            for n in range(1, follow_ups + 1)
        ],
        photos=list(photos),
    )
