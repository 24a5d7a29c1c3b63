import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kopdes.conftest import BATU_SOPANG, JANJU, PASER
from kopdes.documents.models import IssuerKind, SignerRole
from kopdes.documents.selectors import issuer_for
from kopdes.documents.services import update_issuer
from kopdes.formation.models import Musdesus
from kopdes.formation.musdesus import documents
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.formation.tests.test_musdesus_papers import LURAH_NIP, sign
from kopdes.regions.models import Kind, Region
from kopdes.reports import documents as rdocs, selectors, services
from kopdes.tests.factories import make_user
from kopdes.tests.samples import PNG_BYTES
from kopdes.formation.musdesus import services as mservices
from datetime import date

pytestmark = pytest.mark.django_db
OUT = "/tmp/papers_out/"


def write(name, content):
    with open(OUT + name, "wb") as f:
        f.write(content)


def test_render_all(programme, admin_dinas, operator_janju, camat_batu_sopang, paser):
    janju = advance(case_for(JANJU), 3, submitter=admin_dinas)
    data.record_valid(operator_janju, janju, attendance=40)
    mservices.save_team(
        actor=operator_janju,
        cooperative=janju,
        village_head_name="Abdul Ghoffar",
        decree_number="",
        decree_date=date(2025, 4, 20),
        formed_date=date(2025, 4, 21),
        members=[
            {"name": "Siti Nur'aini", "position": "Ketua", "element": "tokoh_masyarakat", "phone": "0812"},
            {"name": "Ahmad", "position": "Anggota", "element": "bpd", "phone": ""},
        ],
    ) if False else None
    village = Region.objects.get(code=JANJU)
    sign(operator_janju, IssuerKind.BPD, village, SignerRole.KETUA_BPD, "Hasan Basri", "Ketua BPD Janju")
    sign(operator_janju, IssuerKind.DESA, village, SignerRole.KEPALA_DESA, "Abdul Ghoffar", "Kepala Desa Janju")
    update_issuer(
        actor=operator_janju,
        issuer=issuer_for(IssuerKind.BPD, village),
        logo=SimpleUploadedFile("l.png", PNG_BYTES),
        address="Jl. Poros Janju No. 1",
    )
    Musdesus.objects.filter(cooperative=janju).update(community_representative="Haji Usman")
    documents.issue(janju, "undangan", operator_janju)
    for slug in ("undangan", "daftar-hadir", "berita-acara", "sk-tim"):
        for fmt in ("pdf", "docx"):
            write(f"desa-{slug}.{fmt}", documents.render(documents.DOCUMENTS[slug], janju, fmt, may_see_nik=True))
    kel = Region.objects.filter(kind=Kind.KELURAHAN, code__startswith="64.01.").first()
    op = make_user("operator.kel", "operator_desa", kel.code)
    case = case_for(kel.code)
    data.record_valid(admin_dinas, case)
    sign(op, IssuerKind.KELURAHAN, kel, SignerRole.LURAH, "Drs. Rahmat", f"Lurah {kel.name}", LURAH_NIP)
    sign(op, IssuerKind.KELURAHAN, kel, SignerRole.KETUA_LPMK, "Yusuf", f"Ketua LPMK {kel.name}")
    for slug in ("undangan", "berita-acara", "sk-tim"):
        for fmt in ("pdf", "docx"):
            write(f"kelurahan-{slug}.{fmt}", documents.render(documents.DOCUMENTS[slug], case, fmt, may_see_nik=True))
    kec = Region.objects.get(code=BATU_SOPANG)
    from kopdes.documents.services import save_signer

    save_signer(
        actor=camat_batu_sopang,
        issuer=issuer_for(IssuerKind.KECAMATAN, kec),
        role=SignerRole.CAMAT,
        name="Drs. Junaidi",
        position="Camat Batu Sopang",
        rank="Pembina (IV/a)",
        nip="197001012000031002",
    )
    services.open_report_periods()
    period = selectors.current_period(programme, PASER)
    report = services.submit_report(actor=camat_batu_sopang, kecamatan=kec, period=period, obstacles="Banjir")
    write("kecamatan-laporan-camat.pdf", rdocs.report_pdf(report))
    save_signer(
        actor=admin_dinas,
        issuer=issuer_for(IssuerKind.OFFICE, paser),
        role=SignerRole.KEPALA_DINAS,
        name="Ir. Sutrisno",
        position="Kepala Dinas Koperasi dan Usaha Mikro",
        nip="196805121995031003",
    )
    write("dinas-rekap.pdf", rdocs.recap_pdf(paser))
