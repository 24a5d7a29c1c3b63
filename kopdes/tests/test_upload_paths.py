"""Every upload path goes through the same checks: a PDF carrying JavaScript is refused and leaves
no file; a JPEG with HTML appended is stored re-encoded, without it. One row per service that stores uploads."""

from __future__ import annotations

import errno
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.assistance.models import Attachment, TrainingMaterial, VisitPhoto
from kopdes.assistance.services import activities, consultations
from kopdes.assistance.tests.activities_helpers import make_training, make_visit
from kopdes.conftest import JANJU, PASER
from kopdes.cooperatives.models import AnnualMeeting
from kopdes.cooperatives.services import record_rat
from kopdes.documents.models import Issuer
from kopdes.documents.services import update_letterhead
from kopdes.formation.models import EvidenceFile, StageSubmission
from kopdes.formation.tests.conftest import janju_scheduled, programme  # noqa: F401 (fixtures, reused)
from kopdes.formation.tests.helpers import case_for, submit
from kopdes.regions.models import Region
from kopdes.tests.samples import JPEG_BYTES, pdf_bytes

HTML = b"<html><script>alert(document.cookie)</script></html>"


def evidence(request, uploaded):
    submit(request.getfixturevalue("operator_janju"), request.getfixturevalue("janju_scheduled"), 4, files=[uploaded])


def question(request, uploaded):
    consultations.ask_question(
        actor=request.getfixturevalue("operator_janju"),
        village=Region.objects.get(code=JANJU),
        category="legal",
        subject="Akta",
        text="Mohon diperiksa.",
        files=[uploaded],
    )


def material(request, uploaded):
    office = request.getfixturevalue("admin_dinas")
    activities.upload_material(actor=office, training=make_training(office), title="Modul", uploaded=uploaded)


def visit_photo(request, uploaded):
    make_visit(request.getfixturevalue("pendamping"), photos=[uploaded])


def rat_minutes(request, uploaded):
    request.getfixturevalue("programme")
    record_rat(
        actor=request.getfixturevalue("admin_dinas"),
        cooperative=case_for(JANJU),
        book_year=2025,
        held=True,
        held_on=date(2025, 3, 1),
        minutes=uploaded,
    )


def letterhead_logo(request, uploaded):
    update_letterhead(
        actor=request.getfixturevalue("admin_dinas"), region=Region.objects.get(code=PASER), logo=uploaded
    )


PATHS = [evidence, question, material, visit_photo, rat_minutes, letterhead_logo]
IMAGES_ONLY = {visit_photo, letterhead_logo}


def stored() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("store", PATHS, ids=lambda f: f.__name__)
def test_a_pdf_with_javascript_is_refused_on_every_path_and_leaves_no_file(request, paser, store):
    hostile = SimpleUploadedFile("dokumen.pdf", pdf_bytes(javascript="app.launchURL('http://x.invalid')"))

    with pytest.raises(ValidationError):
        store(request, hostile)

    assert stored() == []


@pytest.mark.parametrize("store", PATHS, ids=lambda f: f.__name__)
def test_a_jpeg_with_html_appended_is_stored_re_encoded_on_every_path(request, paser, store):
    store(request, SimpleUploadedFile("foto.jpg", JPEG_BYTES + HTML))

    files = stored()
    assert len(files) == 1
    kept = files[0].read_bytes()
    assert kept.startswith(b"\xff\xd8\xff") and b"<html" not in kept and b"script" not in kept


@pytest.mark.parametrize("store", PATHS, ids=lambda f: f.__name__)
def test_a_full_disk_on_every_path_stores_no_row_and_leaves_no_file(request, paser, store, monkeypatch):
    def full_disk(self, name, content):  # part of the file is written, then the disk is full
        Path(self.path(name)).parent.mkdir(parents=True, exist_ok=True)
        Path(self.path(name)).write_bytes(content.read()[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    with pytest.raises(ValidationError) as refused:
        store(request, SimpleUploadedFile("foto.jpg", JPEG_BYTES))

    assert refused.value.code == "storage_full"
    assert stored() == []
    assert not StageSubmission.objects.filter(stage=4).exists()  # the evidence path's submission rolled back
    for model in (EvidenceFile, Attachment, TrainingMaterial, VisitPhoto, AnnualMeeting, Issuer):
        assert not model.objects.exists(), model
