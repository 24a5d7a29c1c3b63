"""Small, real upload samples for tests: a one-page PDF (pypdf), a JPEG and a PNG (Pillow). The upload checks parse
PDFs and decode images, so a test upload must be the real thing; hostile variants are built from these."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def pdf_bytes(*, javascript: str = "", attachment: bytes = b"", title: str = "") -> bytes:
    """A one-page PDF, optionally with an opening JavaScript action or an embedded file."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if title:
        writer.add_metadata({"/Title": title})
    if javascript:  # an action run when the document opens
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}
        )
        writer.root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if attachment:
        writer.add_attachment("lampiran.html", attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(image_format: str = "JPEG", *, size=(16, 12), color=(200, 30, 30), exif: dict | None = None) -> bytes:
    """An image of one colour; `exif` maps EXIF tag numbers to values (e.g. {0x0112: 6} to rotate, or GPS info)."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    params = {}
    if exif:
        tags = Image.Exif()
        for tag, value in exif.items():
            tags[tag] = value
        params["exif"] = tags.tobytes()
    image.save(out, image_format, **params)
    return out.getvalue()


PDF_BYTES = pdf_bytes()
JPEG_BYTES = image_bytes("JPEG")
PNG_BYTES = image_bytes("PNG")
