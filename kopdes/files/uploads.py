"""Upload checks: size limit, type by content (not by name), sanitised names, random storage names."""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# (magic bytes, content type, extension)
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
]


def sniff(uploaded) -> tuple[str, str] | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check_upload(uploaded) -> tuple[str, str]:
    """Raise a ValidationError in plain words for a file too large or not a PDF, JPEG or PNG by its content."""
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the largest allowed is %(limit)s.")
            % {
                "name": clean_name(uploaded.name),
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            }
        )
    found = sniff(uploaded)
    if found is None:
        raise ValidationError(
            _("The file %(name)s is not a PDF, JPEG or PNG (checked by its content, not its name).")
            % {"name": clean_name(uploaded.name)}
        )
    return found


def clean_name(name: str) -> str:
    """A display name without paths, control characters or shell-special characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    base = "".join(ch for ch in base if ch.isprintable())
    try:
        cleaned = get_valid_filename(base)
    except SuspiciousFileOperation:
        cleaned = ""
    return (cleaned or "berkas")[:150]


def storage_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}{extension}"


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def private_file_response(file, *, content_type: str, filename: str, attachment: bool | None = None) -> FileResponse:
    """An uploaded file served after the caller's access check: never cached, never sniffed into another type. PDFs
    download by default (a browser's PDF viewer may run scripts in them); images open in the page."""
    response = FileResponse(
        file.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf" if attachment is None else attachment,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
