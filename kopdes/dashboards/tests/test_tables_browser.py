"""Real Chromium at 360 px: the kabupaten dashboard's long tables sort by a click on a column header (aria-sort says
which way) and a search box narrows the rows (js/tables.js); the page still fits the phone."""

from __future__ import annotations

import pytest

from kopdes.conftest import JANJU, PASER, SUNGAI_TERIK
from kopdes.dashboards.tests.helpers import form
from kopdes.tests.browser import PHONE_WIDTH, horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush")]


def first_cells(table) -> list[str]:
    return [text.strip() for text in table.locator("tbody tr:not([hidden]) td:first-child").all_inner_texts()]


def test_a_dashboard_table_sorts_and_filters_on_a_phone(live_server, page, programme, admin_dinas):
    form(JANJU, admin_dinas)
    form(SUNGAI_TERIK, admin_dinas, stage=5)
    log_in(page, live_server.url, admin_dinas.username)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
    page.goto(f"{live_server.url}/dasbor/{PASER}/")

    villages = page.locator("table[data-testid=villages]")
    header = villages.locator("thead th").nth(2)  # the stage
    # stacked rows on a phone: the header row is hidden, the same sorts are in a list above the table
    sort = page.locator("[data-testid=table-sort]").last
    sort.select_option("2:a")
    assert header.get_attribute("aria-sort") == "ascending"
    sort.select_option("2:d")
    assert header.get_attribute("aria-sort") == "descending"
    assert first_cells(villages)[:2] == ["Desa Janju", "Desa Sungai Terik"]  # stage 8, then 5, the rest at 0

    children = page.locator("table[data-testid=children]")
    name = children.locator("thead th").first
    name.locator("button.kd-sort").click()
    name.locator("button.kd-sort").click()
    names = first_cells(children)
    assert names == sorted(names, key=str.lower, reverse=True) and len(names) == 10

    boxes = page.locator("[data-testid=table-filter]")
    assert boxes.count() == 2  # per region and villages (no village is stalled yet)
    boxes.last.fill("sungai ter")
    assert first_cells(villages) == ["Desa Sungai Terik"]
    boxes.last.fill("")
    assert len(first_cells(villages)) == 144
    assert boxes.first.is_visible()
    assert horizontal_overflow(page) == 0
