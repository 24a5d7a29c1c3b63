"""The village's people entered once, in real Chromium on a 360 px phone: the operator of Janju records the
facilitator team (with a guest typed), the invitees, the attendance and the board candidates by picking people from
the roster, each with its per-person value; every list is saved linked to the same roster people. Then, still at
360 px, the invitation is issued from its paper page ("Terbitkan") and downloaded with the Berita Acara as .docx and
PDF: under the BPD's letterhead, numbered from the BPD's register, signed by its chair; a second download keeps the
number and date. A kelurahan's papers come out under the lurah's name and NIP (over HTTP, in the same module).
Screenshots of the forms at 360 and 1280 px go to $KOPDES_SHOTS when set (to look at)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse

from kopdes.conftest import JANJU
from kopdes.documents.models import IssuedPaper, IssuerKind, SignerRole
from kopdes.documents.selectors import issuer_for
from kopdes.documents.services import save_signer
from kopdes.formation.models import FacilitatorMember, Participant
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.people import services as people
from kopdes.regions.models import Kind, Region
from kopdes.tests.browser import PHONE_WIDTH, log_in
from kopdes.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]

ROSTER = [
    ("Siti Nur'aini", "6401045505900001", "Dusun I"),
    ("La Ode Ma'ruf", "6401041203850002", "Dusun II"),
    ("Ibu Déwi Lestari", "6401045707880003", "Dusun I"),
    ("Abdul Ghoffar", "6401040101700004", "Dusun III"),
]


def shoot(page, name: str) -> None:
    folder = os.environ.get("KOPDES_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, page.url


def pick(page, field: str, typed: str, name: str) -> None:
    """Type into the picker of `field`, then tap the person named `name` in its list."""
    picker = page.locator(f".kd-picker:has(select[name={field}])")
    box = picker.locator("input[role=combobox]")
    box.click()
    box.fill("")
    page.keyboard.type(typed)
    option = picker.locator(f'[role=option]:has-text("{name}")').first
    option.click()
    picker.locator(f':is(.kd-chip, .kd-row):has-text("{name}")').first.wait_for()  # a chip, or a row with extras


def save(page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert not page.locator(".invalid-feedback:visible, .alert-danger:visible").count(), page.content()[:3000]


BPD_CHAIR = "Hasan Basri, S.Pd."
KEPALA_DESA = "Muhammad Yamin"
LURAH_NIP = "198609262015051001"


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF-")
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    """The paragraphs and table cells of a Word file, as python-docx reads them."""
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def download(page, testid: str) -> bytes:
    with page.expect_download() as info:
        page.click(f"[data-testid={testid}]")
    return Path(info.value.path()).read_bytes()


def test_janju_records_people_from_the_roster_then_issues_and_downloads_its_papers(
    live_server, browser, programme, admin_dinas, operator_janju
):
    data.ensure_standard_units()
    janju = advance(case_for(JANJU), 1, submitter=admin_dinas)
    village = Region.objects.get(code=JANJU)
    for kind, role, name, position in (
        (IssuerKind.BPD, SignerRole.KETUA_BPD, BPD_CHAIR, "Ketua BPD Janju"),
        (IssuerKind.DESA, SignerRole.KEPALA_DESA, KEPALA_DESA, "Kepala Desa Janju"),
    ):
        save_signer(
            actor=operator_janju, issuer=issuer_for(kind, village), role=role, name=name, position=position, nip=""
        )
    person = {
        name: people.create_person(
            actor=operator_janju, village_code=JANJU, data={"name": name, "nik": nik, "dusun": dusun}
        )
        for name, nik, dusun in ROSTER
    }
    page = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="id-ID").new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, operator_janju.username)
    siti, laode, dewi, abdul = (person[name].pk for name, _nik, _dusun in ROSTER)

    page.goto(f"{live_server.url}/koperasi/{janju.pk}/tim-fasilitator/")
    pick(page, "members_picked", "siti", "Siti Nur'aini")
    pick(page, "members_picked", "ode", "La Ode Ma'ruf")
    page.fill(f"[name=members_picked-position-{siti}]", "Ketua")
    page.select_option(f"select[name=members_picked-element-{siti}]", "tokoh_masyarakat")
    page.select_option(f"select[name=members_picked-element-{laode}]", "pemuda")
    page.fill("textarea[name=members_guests]", "Drs. Hasan Basri; ; L; ; ; ; Pendamping; lainnya")
    fits(page)
    shoot(page, "team-360")
    save(page)
    members = list(FacilitatorMember.objects.order_by("order"))
    assert [(m.name, m.element, m.person_id) for m in members] == [
        ("Siti Nur'aini", "tokoh_masyarakat", siti),
        ("La Ode Ma'ruf", "pemuda", laode),
        ("Drs. Hasan Basri", "lainnya", None),
    ]

    page.goto(f"{live_server.url}/koperasi/{janju.pk}/musdesus/jadwal/")
    page.fill("input[name=date]", "2025-05-20")
    page.fill("input[name=time]", "09:00")
    page.fill("input[name=place]", "Balai Desa Janju")
    page.fill("input[name=convener]", "Ketua BPD")
    pick(page, "invitees_picked", "abdul", "Abdul Ghoffar")
    pick(page, "invitees_picked", "ibu", "Ibu Déwi Lestari")
    fits(page)
    shoot(page, "schedule-360")
    save(page)
    invitees = Participant.objects.filter(kind="invitee").order_by("order")
    assert [p.person_id for p in invitees] == [abdul, dewi]

    page.goto(f"{live_server.url}/koperasi/{janju.pk}/musdesus/daftar-hadir/")
    for typed, name in (("siti", "Siti Nur'aini"), ("ode", "La Ode Ma'ruf"), ("abd", "Abdul Ghoffar")):
        pick(page, "attendees_picked", typed, name)
    page.select_option(f"select[name=attendees_picked-element-{abdul}]", "bpd")
    page.fill("textarea[name=attendees_guests]", "Camat Tanah Grogot; ; L; ; ; ; lainnya")
    fits(page)
    shoot(page, "attendance-360")
    save(page)
    attendees = Participant.objects.filter(kind="attendee").order_by("order")
    assert [(p.person_id, p.nik) for p in attendees] == [
        (siti, ROSTER[0][1]),
        (laode, ROSTER[1][1]),
        (abdul, ROSTER[3][1]),
        (None, ""),
    ]

    page.goto(f"{live_server.url}/koperasi/{janju.pk}/musdesus/keputusan/")
    page.select_option("select[name=pathway]", "pendirian_baru")
    page.fill("input[name=cooperative_name]", "Koperasi Desa Merah Putih Janju")
    for typed, name in (("siti", "Siti Nur'aini"), ("ode", "La Ode Ma'ruf"), ("ibu", "Ibu Déwi Lestari")):
        pick(page, "founders_picked", typed, name)
    pick(page, "pengurus_picked", "siti", "Siti Nur'aini")
    pick(page, "pengurus_picked", "ode", "La Ode Ma'ruf")
    page.select_option(f"select[name=pengurus_picked-position-{siti}]", "ketua")
    page.select_option(f"select[name=pengurus_picked-position-{laode}]", "sekretaris")
    pick(page, "pengawas_picked", "abd", "Abdul Ghoffar")
    page.select_option(f"select[name=pengawas_picked-position-{abdul}]", "ketua")
    page.select_option(f"select[name=pengawas_picked-village_office-{abdul}]", "head")
    fits(page)
    shoot(page, "decisions-360")
    save(page)
    pengurus = Participant.objects.filter(kind="pengurus").order_by("order")
    assert [(p.person_id, p.position, p.nik) for p in pengurus] == [
        (siti, "ketua", ROSTER[0][1]),
        (laode, "sekretaris", ROSTER[1][1]),
    ]
    pengawas = Participant.objects.get(kind="pengawas")
    assert (pengawas.person_id, pengawas.village_office) == (abdul, "head")

    # the invitation: from the Musdesus page to its paper page, issued, downloaded twice
    page.goto(f"{live_server.url}/koperasi/{janju.pk}/musdesus/")
    with page.expect_navigation():
        page.click("[data-testid=paper-undangan]")
    assert "DRAF" in page.locator("[data-testid=paper-number]").inner_text().upper()
    fits(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Terbitkan").click()
    invitation = IssuedPaper.objects.get(kind="musdesus-undangan")
    assert invitation.issuer.kind == IssuerKind.BPD and invitation.issuer.region.code == JANJU
    assert page.locator("[data-testid=paper-number]").inner_text().strip() == invitation.number
    fits(page)
    shoot(page, "paper-invitation-360")
    for _round in (1, 2):  # a second download keeps the number and the date
        for testid, read in (("paper-pdf", pdf_text), ("paper-docx", docx_text)):
            text = read(download(page, testid))
            assert invitation.number in text, (testid, text[:400])
            assert "BADAN PERMUSYAWARATAN DESA JANJU" in text and BPD_CHAIR in text, testid
            assert "DRAF" not in text and "DINAS KOPERASI" not in text, testid
            assert "20 Mei 2025" in text, testid  # the date of issue: the meeting's day, not the day of download
        page.reload()
    assert IssuedPaper.objects.filter(kind="musdesus-undangan").count() == 1

    # the Berita Acara: dated by the meeting, signed by the BPD chair and the kepala desa
    page.goto(f"{live_server.url}/koperasi/{janju.pk}/surat/berita-acara/")
    with page.expect_navigation():
        page.get_by_role("button", name="Terbitkan").click()
    record = IssuedPaper.objects.get(kind="musdesus-berita-acara")
    assert str(record.date_of_issue) == "2025-05-20"
    for testid, read in (("paper-pdf", pdf_text), ("paper-docx", docx_text)):
        text = read(download(page, testid))
        assert record.number in text and "20 Mei 2025" in text, testid
        assert BPD_CHAIR in text and KEPALA_DESA in text and "Wakil Masyarakat" in text, testid
        assert "BADAN PERMUSYAWARATAN DESA JANJU" in text, testid
    assert record.number != invitation.number  # one register, two serials

    wide = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    log_in(wide, live_server.url, operator_janju.username)
    for name, path in (
        ("team", "tim-fasilitator/"),
        ("attendance", "musdesus/daftar-hadir/"),
        ("decisions", "musdesus/keputusan/"),
    ):
        wide.goto(f"{live_server.url}/koperasi/{janju.pk}/{path}")
        wide.locator(".kd-chip, .kd-row").first.wait_for()  # the saved people come back picked
        shoot(wide, f"{name}-1280")


@pytest.mark.django_db
def test_a_kelurahan_s_papers_come_out_under_the_lurah_s_name_and_nip(programme, admin_dinas, client):
    kelurahan = Region.objects.filter(kind=Kind.KELURAHAN, code__startswith="64.01.").first()
    operator = make_user("operator.kelurahan", "operator_desa", kelurahan.code)
    case = case_for(kelurahan.code)
    data.record_valid(admin_dinas, case)
    save_signer(
        actor=operator,
        issuer=issuer_for(IssuerKind.KELURAHAN, kelurahan),
        role=SignerRole.LURAH,
        name="Drs. Rahmat Hidayat",
        position=f"Lurah {kelurahan.name}",
        nip=LURAH_NIP,
    )
    client.force_login(operator)
    assert (
        client.post(reverse("formation:musdesus_issue", kwargs={"pk": case.pk, "slug": "undangan"})).status_code == 302
    )
    paper = IssuedPaper.objects.get(kind="musdesus-undangan")
    assert paper.issuer.kind == IssuerKind.KELURAHAN
    for slug in ("undangan", "sk-tim"):
        for fmt, read in (("pdf", pdf_text), ("docx", docx_text)):
            response = client.get(
                reverse("formation:musdesus_document", kwargs={"pk": case.pk, "slug": slug, "fmt": fmt})
            )
            text = read(response.content)
            assert f"KELURAHAN {kelurahan.name.upper()}" in text, (slug, fmt)
            assert "Drs. Rahmat Hidayat" in text and "19860926 201505 1 001" in text, (slug, fmt)
            assert "BADAN PERMUSYAWARATAN" not in text, (slug, fmt)
    invitation = reverse("formation:musdesus_document", kwargs={"pk": case.pk, "slug": "undangan", "fmt": "pdf"})
    assert paper.number in pdf_text(client.get(invitation).content)
