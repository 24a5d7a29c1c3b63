"""Evidence files: stored under MEDIA_ROOT with a random name and a sanitised display name, served only through the
access-checked view (never to other regions, never to read-only partners)."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from kopdes.formation.models import EvidenceFile
from kopdes.formation.tests.helpers import JPEG_BYTES, PDF_BYTES, pdf, submit, upload
from kopdes.formation.workflow import Sensitivity


@pytest.fixture
def evidence(janju_scheduled, operator_janju) -> EvidenceFile:
    submission = submit(operator_janju, janju_scheduled, 4, files=[pdf("Berita Acara.pdf")])
    return submission.files.get()


def download(client, user, evidence):
    client.force_login(user)
    return client.get(reverse("formation:evidence_file", args=[evidence.pk]))


@pytest.mark.parametrize("role", ["admin_dinas", "operator_janju", "camat_tanah_grogot", "pimpinan"])
def test_evidence_is_served_to_those_who_see_the_village(client, evidence, request, role):
    response = download(client, request.getfixturevalue(role), evidence)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "Berita_Acara.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    response.close()


@pytest.mark.parametrize("role", ["camat_batu_sopang", "operator_sungai_terik", "mitra"])
def test_evidence_is_hidden_from_other_regions_and_from_partners(client, evidence, request, role):
    assert download(client, request.getfixturevalue(role), evidence).status_code == 404


def test_a_missing_evidence_file_answers_404(client, programme, admin_dinas):
    client.force_login(admin_dinas)

    assert client.get(reverse("formation:evidence_file", args=[999999])).status_code == 404


def test_sensitive_evidence_is_served_only_to_those_who_edit_the_case(
    client, janju_scheduled, operator_janju, pimpinan
):
    submission = submit(operator_janju, janju_scheduled, 4, sensitivity=Sensitivity.SENSITIVE)
    sensitive = submission.files.get()

    assert download(client, pimpinan, sensitive).status_code == 404
    response = download(client, operator_janju, sensitive)
    assert response.status_code == 200
    response.close()


def test_an_image_is_served_re_encoded_as_a_download_with_its_own_type(client, janju_scheduled, operator_janju):
    submission = submit(operator_janju, janju_scheduled, 4, files=[upload("foto.jpg", JPEG_BYTES, "image/jpeg")])
    evidence = submission.files.get()

    response = download(client, operator_janju, evidence)
    served = b"".join(response.streaming_content)
    response.close()

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(served).hexdigest() == evidence.sha256 and len(served) == evidence.size
    assert Image.open(io.BytesIO(served)).size == Image.open(io.BytesIO(JPEG_BYTES)).size


def test_evidence_is_stored_under_media_root_with_a_random_name(evidence):
    path = Path(evidence.file.path).resolve()

    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert re.fullmatch(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", evidence.file.name)
    assert "Berita" not in evidence.file.name
    assert path.read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("a<b>.pdf", "ab.pdf"),
        ('ba "final"; rm -rf.pdf', "ba_final_rm_-rf.pdf"),
        ("<>", "berkas"),
    ],
)
def test_uploaded_names_are_sanitised(janju_scheduled, operator_janju, given, kept):
    submission = submit(operator_janju, janju_scheduled, 4, files=[pdf(given)])

    evidence = submission.files.get()
    assert evidence.original_name == kept
    assert re.fullmatch(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", evidence.file.name)
