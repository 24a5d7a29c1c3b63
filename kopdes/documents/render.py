"""One context per document feeds both renderers: a Django HTML template through WeasyPrint (PDF) and a docxtpl Word
template (.docx, editable). Documents are rendered in Indonesian, whatever the user's interface language."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from kopdes.documents.models import Letterhead

DOCX_TEMPLATES = Path(__file__).resolve().parent / "docx"


def logo_data_uri(letterhead: Letterhead) -> str:
    """The logo inlined as a data: URI, so WeasyPrint never fetches anything over the network."""
    if not letterhead.logo:
        return ""
    with letterhead.logo.open("rb") as handle:
        data = handle.read()
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override("id"):
        html = render_to_string(template_name, context)
    # No base URL: the templates inline their CSS and images, so rendering needs no server and no network.
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def render_docx(template_file: str, context: dict) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(DOCX_TEMPLATES / template_file))
    with translation.override("id"):
        document.render(context, autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _refuse_fetch(url: str, *args, **kwargs):
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"documents may not load {url}")
