"""The roster picker in real Chromium on a 360 px phone, on the Musdesus schedule: the operator of Janju picks a
person with the keyboard only, and adds a new person in place; both are saved as invitees linked to the roster."""

from __future__ import annotations

import pytest

from kopdes.conftest import JANJU
from kopdes.formation.models import Participant
from kopdes.formation.tests import musdesus_data as data
from kopdes.formation.tests.helpers import advance, case_for
from kopdes.people import services as people
from kopdes.people.models import Person
from kopdes.tests.browser import PHONE_WIDTH, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def _phone(browser, live_server, user):
    page = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="id-ID").new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, user.username)
    return page


def _schedule(page, live_server, case):
    page.goto(f"{live_server.url}/koperasi/{case.pk}/musdesus/jadwal/")
    page.fill("input[name=date]", "2025-05-20")
    page.fill("input[name=time]", "09:00")
    page.fill("input[name=place]", "Balai Desa Janju")
    page.fill("input[name=convener]", "Ketua BPD")


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_pick_a_person_with_the_keyboard(live_server, browser, programme, admin_dinas, operator_janju):
    data.ensure_standard_units()
    janju = advance(case_for(JANJU), 1, submitter=admin_dinas)
    people.create_person(actor=operator_janju, village_code=JANJU, data={"name": "Siti Aminah", "dusun": "Dusun I"})
    people.create_person(actor=operator_janju, village_code=JANJU, data={"name": "Sitti Rahma", "dusun": "Dusun II"})
    page = _phone(browser, live_server, operator_janju)
    _schedule(page, live_server, janju)
    box = page.get_by_role("combobox")
    assert page.locator("select[name=invitees_picked]").is_hidden()
    box.focus()
    page.keyboard.type("sit")
    page.wait_for_selector("[role=listbox] [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")
    page.keyboard.press("Enter")
    chip = page.locator(".kd-chip")
    assert chip.count() == 1 and "Sitti Rahma" in chip.inner_text()
    box_size = page.locator(".kd-chip-remove").bounding_box()
    assert box_size["height"] >= 44 and box_size["width"] >= 44  # thumb-sized
    _fits(page)
    page.keyboard.type("ami")
    page.wait_for_selector("[role=option]:has-text('Siti Aminah')")
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert [p.name for p in Participant.objects.filter(kind="invitee")] == ["Sitti Rahma"]


def test_add_a_new_person_in_place(live_server, browser, programme, admin_dinas, operator_janju):
    data.ensure_standard_units()
    janju = advance(case_for(JANJU), 1, submitter=admin_dinas)
    page = _phone(browser, live_server, operator_janju)
    _schedule(page, live_server, janju)
    box = page.get_by_role("combobox")
    box.focus()
    page.keyboard.type("Budi Santoso")
    page.wait_for_selector(".kd-option-add")
    page.click(".kd-option-add")
    page.fill("[data-field=nik]", "12345")
    page.click("[data-kd-add-save]")
    page.wait_for_selector(".kd-field-error")  # the same checks as the roster: a bad NIK is refused in place
    assert not Person.objects.exists()
    page.fill("[data-field=nik]", "6401041203850002")
    page.fill("[data-field=dusun]", "Dusun II")
    page.click("[data-kd-add-save]")
    page.wait_for_selector(".kd-chip:has-text('Budi Santoso')")
    _fits(page)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    person = Person.objects.get()
    assert (person.nik, person.sex, person.dusun) == ("6401041203850002", "L", "Dusun II")
    assert Participant.objects.get(kind="invitee").person_id == person.pk
