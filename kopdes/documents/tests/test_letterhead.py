"""The office's letterhead: edited by admin dinas only, audited, printed on the PDFs without any network fetch."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.audit.models import AuditEntry
from kopdes.documents.models import Issuer, IssuerKind
from kopdes.documents.render import render_pdf
from kopdes.documents.selectors import letterhead_for
from kopdes.tests.samples import PNG_BYTES

pytestmark = pytest.mark.django_db


def test_default_letterhead_is_built_from_the_regency_name(paser):
    letterhead = letterhead_for("64.01.04.2002")
    assert letterhead.government == "PEMERINTAH KABUPATEN PASER"
    assert letterhead.city == "Paser"


def test_admin_dinas_saves_the_letterhead_with_a_logo_and_it_is_audited(client, admin_dinas):
    client.force_login(admin_dinas)
    response = client.post(
        "/kop-surat/64.01/",
        {
            "dibaca": client.get("/kop-surat/64.01/").context["form"]["dibaca"].value(),
            "government": "PEMERINTAH KABUPATEN PASER",
            "office": "DINAS PERINDUSTRIAN, PERDAGANGAN, KOPERASI DAN UKM",
            "address": "Jl. Kesuma Bangsa, Tana Paser",
            "city": "Tana Paser",
            "number_template": "{klasifikasi}/{nomor}/{unit}/{bulan_romawi}/{tahun}",
            "logo": SimpleUploadedFile("logo.png", PNG_BYTES, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    letterhead = Issuer.objects.get(kind=IssuerKind.OFFICE, region__code="64.01")
    assert letterhead.city == "Tana Paser" and letterhead.logo
    assert AuditEntry.objects.filter(action="documents.update_issuer", actor=admin_dinas).exists()
    assert letterhead_for("64.01.04.2002") == letterhead


def test_a_logo_that_is_not_an_image_is_refused_and_nothing_saved(client, admin_dinas):
    client.force_login(admin_dinas)
    response = client.post(
        "/kop-surat/64.01/",
        {
            "dibaca": client.get("/kop-surat/64.01/").context["form"]["dibaca"].value(),
            "government": "PEMERINTAH KABUPATEN PASER",
            "office": "DINAS",
            "city": "Tana Paser",
            "number_template": "{klasifikasi}/{nomor}/{unit}/{bulan_romawi}/{tahun}",
            "logo": SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert "DINAS" in response.content.decode()  # the form keeps what was typed
    assert not Issuer.objects.exists()


def test_camat_cannot_open_the_letterhead(client, camat_batu_sopang):
    client.force_login(camat_batu_sopang)
    assert client.get("/kop-surat/64.01/").status_code == 404


def test_pdf_renders_the_letterhead_and_indonesian_names(paser):
    letterhead = letterhead_for("64.01")
    pdf = render_pdf("documents/pdf_base.html", {"letterhead": letterhead, "logo": ""})
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
