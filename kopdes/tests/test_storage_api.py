"""Uploaded files go through Django's storage API only, so app nodes can share a volume or an S3-compatible bucket
(django-storages; docs/deployment.md). Every upload path, the downloads and the backup/restore round trip run here
with `InMemoryStorage`: it has no `path()` and no folder, so any code that reached for the disk would fail."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from kopdes.assistance.models import Attachment, TrainingMaterial, VisitPhoto
from kopdes.cooperatives.models import AnnualMeeting
from kopdes.core.backup import stored_names
from kopdes.documents.models import Issuer
from kopdes.files.uploads import private_file_response
from kopdes.formation.models import EvidenceFile
from kopdes.formation.tests.conftest import janju_scheduled, programme  # noqa: F401 (fixtures, reused)
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES
from kopdes.tests.test_upload_paths import PATHS, evidence

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MODELS = {
    "evidence": (EvidenceFile, "file"),
    "question": (Attachment, "file"),
    "material": (TrainingMaterial, "file"),
    "visit_photo": (VisitPhoto, "file"),
    "rat_minutes": (AnnualMeeting, "minutes"),
    "letterhead_logo": (Issuer, "logo"),
}


@pytest.fixture(autouse=True)
def in_memory_storage():
    with override_settings(STORAGES=IN_MEMORY):
        assert isinstance(default_storage, InMemoryStorage)
        yield


def nothing_on_disk() -> bool:
    root = Path(settings.MEDIA_ROOT)
    return not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def downloaded(field_file) -> bytes:
    response = private_file_response(field_file, content_type="application/octet-stream", filename="x")
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("store", PATHS, ids=lambda f: f.__name__)
def test_every_upload_path_stores_and_serves_through_the_storage_api(request, paser, store):
    store(request, SimpleUploadedFile("foto.jpg", JPEG_BYTES))

    model, field = MODELS[store.__name__]
    field_file = getattr(model.objects.get(), field)
    kept = downloaded(field_file)
    assert kept.startswith(b"\xff\xd8\xff")  # the re-encoded image, read back through the storage
    assert stored_names(default_storage) == [field_file.name]
    assert nothing_on_disk()


def test_evidence_uploaded_downloads_over_http_from_the_in_memory_storage(request, client, paser, operator_janju):
    evidence(request, SimpleUploadedFile("akta.pdf", PDF_BYTES))
    item = EvidenceFile.objects.get()

    client.force_login(operator_janju)
    response = client.get(reverse("formation:evidence_file", args=[item.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert nothing_on_disk()


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_read_and_write_the_files_through_the_storage(request, tmp_path, monkeypatch, paser):
    monkeypatch.setenv("KOPDES_BACKUP_PASSPHRASE", "kunci cadangan dinas paser")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    evidence(request, SimpleUploadedFile("akta.pdf", PDF_BYTES))
    name = EvidenceFile.objects.get().file.name
    backup = tmp_path / "cadangan.kopdes-backup"

    call_command("backup", output=backup, stdout=io.StringIO())
    default_storage.delete(name)
    call_command("restore", backup, force=True, stdout=io.StringIO())

    assert stored_names(default_storage) == [name]
    with default_storage.open(name, "rb") as stream:
        assert stream.read() == PDF_BYTES
    assert nothing_on_disk()
