"""Upload checks: size limit, type by content (not by name), images re-encoded, PDFs parsed, sanitised names, random
storage names, files kept only for committed rows, and access-checked serving.

What an upload may be:
- a JPEG or PNG is decoded and encoded again with Pillow. What is stored is the new file: anything appended after the
  image, comments, EXIF (GPS position, camera, owner) and other metadata are gone; the EXIF orientation is applied to
  the pixels first, so a photo taken upright stays upright. Images above `MAX_IMAGE_PIXELS` are refused (a small file
  may decode to gigabytes).
- a PDF is opened with pypdf and stored byte for byte as uploaded (rewriting it would break the digital signature of
  an SK AHU or a notary's deed, and the sha256 kept is the document's own). It is refused when it does not parse, has
  no page, is locked with a password, has data after its last `%%EOF`, or carries active or hidden content: JavaScript,
  launch actions, XFA forms, rich media or embedded files. A village re-saves such a file with "print to PDF" or scans
  the paper again; the message says so.
Every upload is then served as a download (`Content-Disposition: attachment`) with `nosniff` and `no-store`.
"""

from __future__ import annotations

import errno
import hashlib
import io
import logging
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

# (magic bytes, content type, extension)
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
]
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel photo; an RGBA image this size takes 200 MB while it is re-encoded
JPEG_QUALITY = 90
MAX_PDF_OBJECTS = 500_000  # objects walked looking for active content; a 10 MB PDF has far fewer
# PDF names that run code or hide files: JavaScript (/JS, /JavaScript, /S /JavaScript), launch actions, XFA forms
# (scripts), rich media (Flash), embedded files (/EmbeddedFiles, /EF, /Type /EmbeddedFile, file attachment notes).
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/XFA", "/RichMedia", "/RichMediaContent"}
PDF_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF"}
PDF_ACTIVE_VALUES = {("/S", "/JavaScript"), ("/S", "/Launch"), ("/Subtype", "/RichMedia")}
PDF_EMBEDDED_VALUES = {("/Type", "/EmbeddedFile"), ("/Subtype", "/FileAttachment")}
PDF_TRAILER_PADDING = b" \t\r\n\f\x00"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks: what to store (`content`: the re-encoded image, or the PDF as uploaded),
    its content type and extension by content, and the clean display name."""

    name: str
    content_type: str
    extension: str
    content: bytes

    @property
    def size(self) -> int:
        """Bytes stored."""
        return len(self.content)

    @cached_property
    def sha256(self) -> str:
        """Hex digest of what is stored."""
        return hashlib.sha256(self.content).hexdigest()


def sniff(uploaded) -> tuple[str, str] | None:
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def check_upload(uploaded) -> CheckedUpload:
    """The upload as it will be stored, or a ValidationError in plain words: too large, not a PDF, JPEG or PNG by its
    content, an image that does not decode, a PDF that does not parse or carries active content (module docstring)."""
    name = clean_name(uploaded.name)
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the largest allowed is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            }
        )
    found = sniff(uploaded)
    if found is None:
        raise ValidationError(
            _("The file %(name)s is not a PDF, JPEG or PNG (checked by its content, not its name).") % {"name": name}
        )
    content_type, extension = found
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if content_type == "application/pdf":
        _check_pdf(data, name)
        content = data
    else:
        content = _reencode_image(data, IMAGE_FORMATS[content_type], name)
    return CheckedUpload(name=name, content_type=content_type, extension=extension, content=content)


def _reencode_image(data: bytes, image_format: str, name: str) -> bytes:
    unreadable = ValidationError(
        _("The file %(name)s looks like an image but cannot be read as one: take the photo or scan again.")
        % {"name": name}
    )
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image %(name)s is %(width)d × %(height)d pixels; at most %(megapixels)d megapixels.")
                    % {
                        "name": name,
                        "width": image.width,
                        "height": image.height,
                        "megapixels": MAX_IMAGE_PIXELS // 1_000_000,
                    }
                )
            image.load()
            upright = ImageOps.exif_transpose(image)  # the orientation goes into the pixels, EXIF is left behind
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise unreadable from error
    keep = {key: upright.info[key] for key in ("icc_profile", "transparency") if key in upright.info}
    upright.info = {}  # comments, EXIF, XMP, text chunks: none is written again
    if image_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    if image_format == "JPEG":
        keep.pop("transparency", None)
        upright.save(out, "JPEG", quality=JPEG_QUALITY, **keep)
    else:
        upright.save(out, "PNG", **keep)
    return out.getvalue()


def _check_pdf(data: bytes, name: str) -> None:
    def refuse(message: str) -> ValidationError:
        return ValidationError(message % {"name": name})

    unreadable = _("The file %(name)s starts like a PDF but cannot be read as one: save or scan it again as a PDF.")
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise refuse(unreadable)
    if data[end + 5 :].strip(PDF_TRAILER_PADDING):
        raise refuse(
            _("The file %(name)s has something attached after the end of the PDF: save or scan it again as a PDF.")
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise refuse(_("The PDF %(name)s is locked with a password: upload it without the password."))
        if len(reader.pages) == 0:
            raise refuse(unreadable)
        found = _active_content(reader)
    except ValidationError:
        raise
    except Exception as error:  # a parser fed hostile bytes fails in many ways; each one means "not a readable PDF"
        raise refuse(unreadable) from error
    if found == "too complex":
        raise refuse(unreadable)
    if found:
        raise refuse(
            _(
                "The PDF %(name)s contains scripts or embedded files, which are not accepted: print it again to a "
                "PDF (Print → Save as PDF) or scan the paper, and upload that."
            )
        )


def _active_content(reader: PdfReader) -> str:
    """'script', 'embedded', 'too complex' or '' after walking every object reachable from the trailer."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    walked = 0
    while stack:
        item = stack.pop()
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            return "too complex"
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # stream objects too: their dictionary
            for key, value in item.items():
                pair = (key, value) if isinstance(value, NameObject) else None
                if key in PDF_ACTIVE_KEYS or pair in PDF_ACTIVE_VALUES:
                    return "script"
                if key in PDF_EMBEDDED_KEYS or pair in PDF_EMBEDDED_VALUES:
                    return "embedded"
                if key != "/Parent":  # the page tree's way up; its way down is walked anyway
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return ""


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


# --- storing: files kept only for committed rows -------------------------------------------------------------------


class UploadStore:
    """Saves checked uploads into file fields and remembers them, so `atomic_with_files` can delete them when the
    transaction does not commit."""

    def __init__(self) -> None:
        self.saved: list[tuple] = []

    def save(self, field_file, checked: CheckedUpload) -> None:
        """Store `checked.content` under a random name in `field_file` (not saving its row). A storage error (a full
        disk, a read-only or missing media folder) becomes a ValidationError that says the input was not sent; the
        partly written file, if any, is removed."""
        intended = field_file.field.generate_filename(field_file.instance, storage_name(checked.extension))
        storage = field_file.storage
        try:
            field_file.name = storage.save(intended, ContentFile(checked.content))
        except OSError as error:
            logger.error("upload not stored: %s (errno %s)", type(error).__name__, error.errno)
            _delete_quietly(storage, intended)
            raise ValidationError(
                _(
                    "The file %(name)s could not be stored: the server's storage is full or cannot be written. "
                    "Nothing was sent and your text is kept below; choose the files again and retry later, or tell "
                    "the office's administrator."
                )
                % {"name": checked.name},
                code="storage" if error.errno != errno.ENOSPC else "storage_full",
            ) from error
        self.saved.append((storage, field_file.name))

    def discard(self) -> None:
        for storage, name in self.saved:
            _delete_quietly(storage, name)
        self.saved.clear()


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError as error:  # the database rolled back; a file left behind is logged, not shown
        logger.error("orphan upload not deleted: %s (errno %s)", name, error.errno)


@contextmanager
def atomic_with_files():
    """`transaction.atomic()` whose stored uploads live only if it commits: any exception (a refused check, a storage
    error, a failed commit) deletes the files saved through the yielded `UploadStore`. Use it as the outermost
    transaction of the write; an outer transaction that rolls back later cannot be seen from here."""
    store = UploadStore()
    try:
        with transaction.atomic():
            yield store
    except BaseException:
        store.discard()
        raise


def private_file_response(file, *, content_type: str, filename: str, inline: bool = False) -> FileResponse:
    """An uploaded file served after the caller's access check: as a download (`attachment`; an `<img>` still
    shows it) unless `inline` (for a preview frame: the caller allows only types checked by content), never cached,
    never sniffed into another type."""
    response = FileResponse(file.open("rb"), content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


PREVIEWABLE = frozenset({"application/pdf", "image/png", "image/jpeg"})


def evidence_response(request, file, *, content_type: str, filename: str) -> FileResponse:
    """An evidence file as a download, or (`?lihat=1`, a PDF or an image only) shown inside a verification page of
    this site: then framing is allowed for the site's own pages (X-Frame-Options SAMEORIGIN, CSP frame-ancestors
    'self'), nobody else's. The caller has checked that the user may read the file."""
    inline = request.GET.get("lihat") == "1" and content_type in PREVIEWABLE
    response = private_file_response(file, content_type=content_type, filename=filename, inline=inline)
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_replace = {"frame-ancestors": ["'self'"]}  # type: ignore[attr-defined]  # read by django-csp
    return response
