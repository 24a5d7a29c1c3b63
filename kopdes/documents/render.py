"""One context per document feeds both renderers: a Django HTML template through WeasyPrint (PDF) and a docxtpl Word
template (.docx, editable). Documents are rendered in Indonesian, whatever the user's interface language."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from kopdes.documents.models import Issuer

DOCX_TEMPLATES = Path(__file__).resolve().parent / "docx"


def logo_data_uri(letterhead: Issuer) -> str:
    """The logo inlined as a data: URI, so WeasyPrint never fetches anything over the network."""
    if not letterhead.logo:
        return ""
    with letterhead.logo.open("rb") as handle:
        data = handle.read()
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override("id"):
        html = render_to_string(template_name, context)
    # No base URL: the templates inline their CSS and images (the logo as a data: URI), so rendering needs no server
    # and no network; any other address is refused by the fetcher.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def render_docx(template_file: str, context: dict) -> bytes:
    """The Word file of `template_file` (kopdes/documents/docx/) filled with `context`; the context's `logo` (data:
    URI) is printed at the top of the kop as the PDF prints it (`{{ logo_image }}` in the template)."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(DOCX_TEMPLATES / template_file))
    context = {**context, "logo_image": _docx_logo(document, context.get("logo") or "")}
    with translation.override("id"):
        document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_logo(document, data_uri: str):
    """The context's `logo` (a data: URI, as the PDF inlines it) as a docxtpl InlineImage 18 mm high, else ""."""
    if not data_uri.startswith("data:image/") or ";base64," not in data_uri:
        return ""
    from docx.shared import Mm
    from docxtpl import InlineImage

    data = base64.b64decode(data_uri.split(";base64,", 1)[1])
    return InlineImage(document, io.BytesIO(data), height=Mm(18))
