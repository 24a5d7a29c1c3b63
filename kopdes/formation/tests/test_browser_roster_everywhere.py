"""The village's people entered once, in real Chromium on a 360 px phone: the operator of Janju records the
facilitator team (with a guest typed), the invitees, the attendance and the board candidates by picking people from
the roster, each with its per-person value; every list is saved linked to the same roster people. Screenshots of the
forms at 360 and 1280 px go to $KOPDES_SHOTS when set (to look at)."""

from __future__ import annotations

import os

import pytest

from kopdes.conftest import JANJU
from kopdes.formation.models import FacilitatorMember, Participant
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.people import services as people
from kopdes.tests.browser import PHONE_WIDTH, log_in

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


def test_janju_records_team_invitees_attendance_and_board_from_the_roster(
    live_server, browser, programme, admin_dinas, operator_janju
):
    data.ensure_standard_units()
    janju = advance(case_for(JANJU), 1, submitter=admin_dinas)
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
