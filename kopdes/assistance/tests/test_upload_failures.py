"""Uploads on the consultation pages: hostile files refused with the typed question kept;
a storage error (a full disk) keeps the question's text, says so in Indonesian, and leaves no file and no row."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kopdes.assistance.models import Attachment, Message, Question
from kopdes.conftest import JANJU
from kopdes.regions.models import Region
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES

QUESTION = {
    "category": "legal",
    "subject": "Notaris untuk akta pendirian",
    "text": "Siapa notaris yang bisa membuat akta pendirian koperasi kami? Kami sudah menunggu dua minggu.",
}


@pytest.fixture
def full_disk_on_second_file(monkeypatch):
    """The storage writes the first file; the second fails part-way as a full disk does (ENOSPC), leaving the bytes it
    managed to write behind — FileSystemStorage does not remove them itself."""
    real_save = FileSystemStorage._save
    calls = []

    def save(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            Path(self.path(name)).parent.mkdir(parents=True, exist_ok=True)
            Path(self.path(name)).write_bytes(content.read()[:10])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)
    return calls


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def ask_form(**files) -> dict:
    village = Region.objects.get(code=JANJU)
    return {**QUESTION, "village": village.pk, **files}


def test_a_full_disk_keeps_the_question_says_so_and_leaves_no_file(client, operator_janju, full_disk_on_second_file):
    client.force_login(operator_janju)

    response = client.post(
        reverse("assistance:ask"),
        ask_form(
            files=[
                SimpleUploadedFile("akta.pdf", PDF_BYTES, "application/pdf"),
                SimpleUploadedFile("foto.jpg", JPEG_BYTES, "image/jpeg"),
            ]
        ),
    )

    assert len(full_disk_on_second_file) == 2  # the first file was written, the second failed
    page = response.content.decode()
    assert response.status_code == 400
    assert "penyimpanan server penuh" in page and "Tidak ada yang terkirim" in page
    assert QUESTION["text"] in page and QUESTION["subject"] in page
    assert not Question.objects.exists() and not Message.objects.exists() and not Attachment.objects.exists()
    assert stored_files() == []


def test_a_full_disk_on_a_reply_keeps_the_reply_and_leaves_no_file(
    client, operator_janju, pendamping, full_disk_on_second_file
):
    client.force_login(operator_janju)
    client.post(reverse("assistance:ask"), ask_form())
    question = Question.objects.get()
    reply = "Berikut akta dan foto papan nama koperasi."

    response = client.post(
        reverse("assistance:post_message", args=[question.pk]),
        {
            "text": reply,
            "files": [
                SimpleUploadedFile("akta.pdf", PDF_BYTES, "application/pdf"),
                SimpleUploadedFile("papan.jpg", JPEG_BYTES, "image/jpeg"),
            ],
        },
    )

    assert response.status_code == 400
    assert reply in response.content.decode() and "penyimpanan server penuh" in response.content.decode()
    assert question.messages.count() == 1 and not Attachment.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("akta.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", "tidak dapat dibaca sebagai PDF"),
        ("foto.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>", "tidak dapat dibaca sebagai gambar"),
    ],
)
def test_a_polyglot_attachment_is_refused_and_the_question_kept(client, operator_janju, name, content, says):
    client.force_login(operator_janju)

    response = client.post(reverse("assistance:ask"), ask_form(files=[SimpleUploadedFile(name, content)]))

    assert response.status_code == 400
    assert says in response.content.decode() and QUESTION["text"] in response.content.decode()
    assert not Question.objects.exists() and stored_files() == []


def test_an_attachment_is_served_as_a_download_never_sniffed(client, operator_janju):
    client.force_login(operator_janju)
    client.post(reverse("assistance:ask"), ask_form(files=[SimpleUploadedFile("foto.jpg", JPEG_BYTES + b"<html>")]))
    attachment = Attachment.objects.get()

    response = client.get(reverse("assistance:attachment", args=[attachment.pk]))
    served = b"".join(response.streaming_content)

    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"
    assert b"<html>" not in served and served.startswith(b"\xff\xd8\xff")
