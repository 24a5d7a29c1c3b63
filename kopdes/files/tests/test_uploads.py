"""The upload checks: images decoded and encoded again, PDFs parsed, hostile files refused."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, PngImagePlugin
from pypdf import PdfWriter

from kopdes.files.uploads import check_upload
from kopdes.tests.samples import JPEG_BYTES, PDF_BYTES, PNG_BYTES, image_bytes, pdf_bytes

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
ORIENTATION, GPS_INFO = 0x0112, 0x8825


@pytest.fixture(autouse=True)
def _in_english():
    """The messages are matched in their English msgids; their Indonesian is checked where a page shows them."""
    with translation.override("en"):
        yield


def checked(name: str, content: bytes):
    return check_upload(SimpleUploadedFile(name, content, content_type="application/octet-stream"))


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        checked(name, content)
    return refused.value.messages[0]


def test_a_pdf_header_followed_by_html_is_refused():
    assert "cannot be read" in refusal("surat.pdf", b"%PDF-1.7\n" + HTML)
    assert "cannot be read" in refusal("surat.pdf", b"%PDF-1.7\n" + HTML + b"\n%%EOF\n")


def test_jpeg_bytes_followed_by_html_are_refused():
    message = refusal("foto.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML)

    assert "cannot be read as one" in message


def test_a_real_jpeg_with_html_appended_is_stored_without_it():
    kept = checked("foto.jpg", JPEG_BYTES + HTML)

    assert b"<html" not in kept.content and b"script" not in kept.content
    assert kept.content.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(kept.content)).size == (16, 12)
    assert kept.size == len(kept.content)


def test_a_png_with_html_appended_or_in_a_text_chunk_is_stored_without_it():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HTML.decode())
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG", pnginfo=info)

    kept = checked("foto.png", out.getvalue() + HTML)

    assert b"script" not in kept.content
    assert Image.open(io.BytesIO(kept.content)).getpixel((0, 0)) == (0, 0, 255)


def test_exif_gps_is_stripped_and_the_orientation_kept_in_the_pixels():
    gps = {1: "S", 2: (1.0, 54.0, 12.0), 3: "E", 4: (116.0, 11.0, 3.0)}  # a village office in Paser
    photo = image_bytes("JPEG", size=(40, 20), exif={ORIENTATION: 6, GPS_INFO: gps})
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(GPS_INFO)  # the upload does carry a position

    kept = Image.open(io.BytesIO(checked("foto.jpg", photo).content))

    assert kept.size == (20, 40)  # orientation 6: turned a quarter, as a viewer would show it
    assert not kept.getexif()  # no GPS, no orientation tag left to apply twice
    assert "exif" not in kept.info and "comment" not in kept.info


def test_an_image_too_large_in_pixels_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # a few kilobytes that decode to 64 megapixels

    assert "megapixels" in refusal("peta.png", out.getvalue())


@pytest.mark.parametrize(
    "content",
    [pdf_bytes(javascript="app.alert('x')"), pdf_bytes(attachment=HTML)],
    ids=["javascript", "embedded file"],
)
def test_a_pdf_with_javascript_or_an_embedded_file_is_refused(content):
    assert "scripts or embedded files" in refusal("akta.pdf", content)


def test_a_pdf_with_something_appended_after_its_end_is_refused():
    assert "after the end of the PDF" in refusal("akta.pdf", PDF_BYTES + HTML)


def test_a_pdf_locked_with_a_password_is_refused_but_one_with_only_restrictions_is_kept():
    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=io.BytesIO(PDF_BYTES))
        writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert "locked with a password" in refusal("sk.pdf", encrypted("rahasia"))
    restricted = encrypted("")
    assert checked("sk.pdf", restricted).content == restricted


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("sk.pdf", PDF_BYTES, "application/pdf"),
        ("foto.jpg", JPEG_BYTES, "image/jpeg"),
        ("scan", PNG_BYTES, "image/png"),
    ],
)
def test_a_clean_pdf_is_kept_byte_for_byte_and_images_by_their_picture(name, content, content_type):
    kept = checked(name, content)

    assert kept.content_type == content_type
    if content_type == "application/pdf":
        assert kept.content == content
    else:
        assert Image.open(io.BytesIO(kept.content)).size == Image.open(io.BytesIO(content)).size
