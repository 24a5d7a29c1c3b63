"""Issuers: letterheads edited by their own people, signers with NIPs for civil servants only, and numbers taken once
from a register per issuer and year (HTTP and services, unhappy paths included)."""

import io
import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from kopdes.audit.models import AuditEntry
from kopdes.cleaners.nip import clean_nip, format_nip
from kopdes.conftest import JANJU, TANAH_GROGOT
from kopdes.documents.models import IssuedPaper, Issuer, IssuerKind, Signer, SignerRole
from kopdes.documents.numbering import check_template, render_number
from kopdes.documents.render import render_docx
from kopdes.documents.selectors import default_issuer, issuer_for, signer_for
from kopdes.documents.services import (
    ensure_cooperative_issuer,
    issue_paper,
    plan_date_of_issue,
    save_signer,
    update_issuer,
)
from kopdes.regions.models import Kind, Region
from kopdes.tests.samples import PNG_BYTES

GOOD_NIP = "198609262015051001"


# --- NIP ------------------------------------------------------------------------------------------------------------


def test_a_good_nip_is_kept_as_digits_and_written_in_groups():
    assert clean_nip("19860926 201505 1 001") == GOOD_NIP
    assert format_nip(GOOD_NIP) == "19860926 201505 1 001"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("", "Isi NIP"),
        ("19860926201505100X", "hanya berisi angka"),
        ("1986092620150510", "18 angka"),
        ("198602302015051001", "tanggal lahir"),  # 30 February
        ("198609262015131001", "bulan pengangkatan"),  # month 13
        ("199009132025242014", "bulan pengangkatan"),  # an NI PPPK (type code 24)
        ("198609261995051001", "tidak masuk akal"),  # appointed at 8
        ("198609262015053001", "jenis kelamin"),
        ("198609262015051000", "nomor urut"),
    ],
)
def test_a_bad_nip_is_refused_with_what_is_wrong(raw, says):
    with pytest.raises(ValidationError) as error:
        clean_nip(raw, today=date(2026, 1, 1))
    assert says in error.value.messages[0]


# --- number templates -----------------------------------------------------------------------------------------------


def test_the_bupati_circular_number_comes_out_of_the_default_template():
    template = check_template("{klasifikasi}/{nomor}/{unit}/{bulan_romawi}/{tahun}")
    assert render_number(template, serial=447, on=date(2025, 4, 3), classification="500.3", unit="KOP") == (
        "500.3/447/KOP/IV/2025"
    )


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{klasifikasi}/{nomer}/{tahun}", "{nomer}"),
        ("{klasifikasi}/{nomor:05d}", "tidak dikenal"),
        ("{klasifikasi}/{tahun}", "{nomor}"),
        ("{klasifikasi}/{nomor", "kurung kurawal"),
    ],
)
def test_a_bad_template_is_refused(template, says):
    with pytest.raises(ValidationError) as error:
        check_template(template)
    assert says in error.value.messages[0]


# --- letterheads over HTTP ------------------------------------------------------------------------------------------


def _token(client, url):
    return client.get(url).context["form"]["dibaca"].value()


LETTERHEAD = {
    "government": "PEMERINTAH KABUPATEN PASER",
    "unit_line": "KECAMATAN TANAH GROGOT",
    "office": "BADAN PERMUSYAWARATAN DESA JANJU",
    "address": "Jl. Desa Janju",
    "city": "",
    "number_template": "{klasifikasi}/{nomor}/{unit}/{bulan_romawi}/{tahun}",
    "classification": "400.10",
    "unit_code": "BPD",
}


@pytest.mark.django_db
def test_the_village_operator_sets_the_bpd_letterhead_and_the_place_of_signing_defaults_to_the_village(
    client, operator_janju
):
    client.force_login(operator_janju)
    url = f"/kop-surat/{JANJU}/bpd/"
    page = client.get(url)
    assert page.status_code == 200 and "BADAN PERMUSYAWARATAN DESA JANJU" in page.content.decode()
    response = client.post(url, {**LETTERHEAD, "dibaca": _token(client, url)})
    assert response.status_code == 302
    bpd = Issuer.objects.get(kind=IssuerKind.BPD, region__code=JANJU)
    assert bpd.city == "Janju" and bpd.unit_code == "BPD"
    assert AuditEntry.objects.filter(action="documents.update_issuer", actor=operator_janju).exists()
    listing = client.get("/penerbit/").content.decode()
    assert url in listing and f"/kop-surat/{JANJU}/desa/" in listing


@pytest.mark.django_db
def test_a_bad_number_format_is_refused_and_the_form_keeps_what_was_typed(client, operator_janju):
    client.force_login(operator_janju)
    url = f"/kop-surat/{JANJU}/desa/"
    response = client.post(
        url, {**LETTERHEAD, "number_template": "{nomor}/{bulanromawi}", "dibaca": _token(client, url)}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "{bulanromawi}" in body and "Jl. Desa Janju" in body
    assert not Issuer.objects.exists()


@pytest.mark.django_db
def test_out_of_scope_issuers_answer_404(client, operator_janju, camat_batu_sopang, admin_dinas):
    client.force_login(camat_batu_sopang)
    assert client.get(f"/kop-surat/{TANAH_GROGOT}/kecamatan/").status_code == 404  # another kecamatan
    assert client.get(f"/kop-surat/{JANJU}/desa/").status_code == 404  # a village: its operator's
    assert client.get("/kop-surat/64.01.01/kecamatan/").status_code == 200  # its own
    client.force_login(operator_janju)
    assert client.get(f"/kop-surat/{JANJU}/kelurahan/").status_code == 404  # Janju is a desa
    assert client.get(f"/kop-surat/{JANJU}/nonsense/").status_code == 404
    assert client.get("/kop-surat/64.01/").status_code == 404  # the office: admin dinas only
    client.force_login(admin_dinas)
    assert client.get(f"/kop-surat/{JANJU}/desa/").status_code == 404  # the village's own people


@pytest.mark.django_db
def test_a_kelurahan_is_edited_by_its_operator_and_its_lurah_signs_with_an_nip(paser):
    from kopdes.tests.factories import make_user

    kelurahan = Region.objects.filter(kind=Kind.KELURAHAN, code__startswith="64.01.").first()
    assert kelurahan is not None
    operator = make_user("operator.kelurahan", "operator_desa", kelurahan.code)
    issuer = issuer_for(IssuerKind.KELURAHAN, kelurahan)
    assert issuer.office == f"KELURAHAN {kelurahan.name.upper()}"
    with pytest.raises(ValidationError) as error:
        save_signer(actor=operator, issuer=issuer, role=SignerRole.LURAH, name="Lurah", position="Lurah", nip="")
    assert "nip" in error.value.message_dict
    lurah = save_signer(
        actor=operator,
        issuer=issuer,
        role=SignerRole.LURAH,
        name="Siti",
        position=f"Lurah {kelurahan.name}",
        nip="19860926 201505 2 001",
    )
    assert lurah.nip == "198609262015052001"
    assert signer_for(Issuer.objects.get(kind=IssuerKind.KELURAHAN), SignerRole.LURAH) == lurah


# --- signers over HTTP ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_kepala_desa_has_no_nip_and_a_camat_needs_a_valid_one(client, operator_janju, camat_batu_sopang):
    desa = update_issuer(actor=operator_janju, issuer=issuer_for(IssuerKind.DESA, Region.objects.get(code=JANJU)))
    client.force_login(operator_janju)
    url = f"/penerbit/{desa.pk}/penandatangan/"
    refused = client.post(
        url, {"role": "kepala_desa", "name": "Ahmad", "position": "Kepala Desa Janju", "nip": GOOD_NIP}
    )
    assert refused.status_code == 400 and "NIP" in refused.content.decode()
    assert (
        client.post(url, {"role": "kepala_desa", "name": "Ahmad", "position": "Kepala Desa Janju"}).status_code == 302
    )
    assert Signer.objects.get().nip == ""
    assert client.post(url, {"role": "camat", "name": "X", "position": "Camat"}).status_code == 400  # not the desa's

    kecamatan = update_issuer(
        actor=camat_batu_sopang, issuer=issuer_for(IssuerKind.KECAMATAN, Region.objects.get(code="64.01.01"))
    )
    client.force_login(camat_batu_sopang)
    url = f"/penerbit/{kecamatan.pk}/penandatangan/"
    assert client.get(f"/penerbit/{desa.pk}/penandatangan/").status_code == 404  # another issuer's
    bad = client.post(
        url, {"role": "camat", "name": "Budi", "position": "Camat Batu Sopang", "nip": "198609262015051000"}
    )
    assert bad.status_code == 400 and "Budi" in bad.content.decode()
    ok = client.post(
        url, {"role": "camat", "name": "Budi", "position": "Camat Batu Sopang", "nip": "19860926 201505 1 001"}
    )
    assert ok.status_code == 302
    assert Signer.objects.get(role="camat").nip == GOOD_NIP


def test_a_service_refuses_someone_else_s_issuer(db, paser, operator_janju):
    with pytest.raises(PermissionDenied):
        update_issuer(
            actor=operator_janju, issuer=issuer_for(IssuerKind.DESA, Region.objects.get(code="64.01.01.2013"))
        )


# --- numbers --------------------------------------------------------------------------------------------------------


def _bpd(paser):
    issuer = default_issuer(IssuerKind.BPD, Region.objects.get(code=JANJU))
    issuer.classification = "400.10"
    return issuer


@pytest.mark.django_db
def test_issuing_again_keeps_the_number_and_the_date_and_numbers_count_per_year(paser, operator_janju, client):
    first = issue_paper(_bpd(paser), "musdesus-undangan", "cooperative:1", date(2025, 4, 3), operator_janju)
    assert first.number == "400.10/1/BPD/IV/2025"
    again = issue_paper(first.issuer, "musdesus-undangan", "cooperative:1", date(2025, 5, 9), operator_janju)
    assert (again.pk, again.number, again.date_of_issue) == (first.pk, first.number, date(2025, 4, 3))
    second = issue_paper(first.issuer, "musdesus-berita-acara", "cooperative:1", date(2025, 4, 3), operator_janju)
    assert second.serial == 2
    next_year = issue_paper(first.issuer, "musdesus-undangan", "cooperative:2", date(2026, 1, 2), operator_janju)
    assert next_year.number == "400.10/1/BPD/I/2026"
    desa = issue_paper(
        default_issuer(IssuerKind.DESA, Region.objects.get(code=JANJU)),
        "sk-tim",
        "cooperative:1",
        date(2025, 4, 3),
        operator_janju,
    )
    assert desa.serial == 1  # each issuer its own sequence
    with pytest.raises(ValidationError) as frozen:
        plan_date_of_issue(first.issuer, first.kind, first.subject_key, date(2025, 4, 10), operator_janju)
    assert "tidak dapat diubah" in frozen.value.messages[0]
    client.force_login(operator_janju)
    page = client.get(f"/penerbit/{first.issuer.pk}/agenda/?tahun=2025").content.decode()
    assert "400.10/1/BPD/IV/2025" in page and "400.10/2/BPD/IV/2025" in page and "2026" in page


@pytest.mark.django_db
def test_sequential_issues_never_share_a_number(paser, operator_janju):
    issuer = _bpd(paser)
    numbers = [issue_paper(issuer, "surat", f"x:{i}", date(2025, 6, 1), operator_janju).number for i in range(20)]
    assert len(set(numbers)) == 20
    assert sorted(IssuedPaper.objects.values_list("serial", flat=True)) == list(range(1, 21))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent connections need PostgreSQL")
def test_two_users_issuing_at_once_never_share_a_number(paser, operator_janju):
    issuer = Issuer.objects.create(
        **{k: getattr(_bpd(paser), k) for k in ("kind", "region", "government", "office", "city", "classification")}
    )
    barrier = threading.Barrier(8)
    results, errors = [], []

    def work(i):
        try:
            barrier.wait()
            for j in range(5):
                results.append(issue_paper(issuer, "surat", f"t{i}:{j}", date(2025, 6, 1), operator_janju).number)
            # the same paper asked for by two threads at once gets one number
            results.append(issue_paper(issuer, "surat", "shared", date(2025, 6, 1), operator_janju).number)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert IssuedPaper.objects.count() == 41
    assert len(set(IssuedPaper.objects.values_list("number", flat=True))) == 41
    assert sorted(IssuedPaper.objects.values_list("serial", flat=True)) == list(range(1, 42))


# --- cooperatives and the .docx logo ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cooperative_issuer_is_made_once_and_edited_by_the_village(
    client, paser, operator_janju, operator_sungai_terik
):
    janju = Region.objects.get(code=JANJU)
    first = ensure_cooperative_issuer(cooperative_pk=7, region=janju, name="Koperasi Desa Merah Putih Janju")
    assert ensure_cooperative_issuer(cooperative_pk=7, region=janju, name="x") == first
    assert first.government == "KOPERASI DESA MERAH PUTIH JANJU"
    client.force_login(operator_janju)
    assert client.get("/kop-surat/koperasi/7/").status_code == 200
    client.force_login(operator_sungai_terik)
    assert client.get("/kop-surat/koperasi/7/").status_code == 404


@pytest.mark.django_db
def test_the_docx_carries_the_logo(paser, admin_dinas):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from docx import Document

    from kopdes.documents.render import logo_data_uri

    office = update_issuer(
        actor=admin_dinas,
        issuer=issuer_for(IssuerKind.OFFICE, paser),
        logo=SimpleUploadedFile("logo.png", PNG_BYTES, content_type="image/png"),
    )
    context = {
        "letterhead": office,
        "logo": logo_data_uri(office),
        "number": "1",
        "meeting": "Musdesus",
        "invitees": [],
    }
    document = Document(io.BytesIO(render_docx("musdesus_invitation.docx", context)))
    assert document.inline_shapes and len(document.inline_shapes) == 1
    plain = Document(io.BytesIO(render_docx("musdesus_invitation.docx", {**context, "logo": ""})))
    assert not plain.inline_shapes
