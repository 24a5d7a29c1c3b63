"""Real Chromium prints a page to an A4 PDF (as "Print → Save as PDF" does): the letterhead of the viewer's office is on
it, the menu, the footer and the buttons are not; the dashboard fits on two pages with its bars."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kopdes.conftest import JANJU, PASER
from kopdes.dashboards.tests.helpers import form
from kopdes.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("paser_back_after_the_flush", "programme")]

MENU = ["Beranda", "Wilayah", "Laporan", "Pendampingan", "Akun saya", "Keluar"]
MENU_ONLY = ["Beranda", "Verifikasi", "Akun saya", "Keluar"]  # the menu's words the dashboard itself never uses


def printed(page, url: str) -> tuple[str, int]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_a_printed_page_has_the_letterhead_and_no_menu(live_server, page, admin_dinas):
    log_in(page, live_server.url, admin_dinas.username)

    text, pages = printed(page, f"{live_server.url}/rekap/{PASER}/")

    assert "PEMERINTAH KABUPATEN PASER" in text and "DINAS KOPERASI DAN USAHA MIKRO" in text
    assert "Rekapitulasi per kecamatan" in text and "Batu Sopang" in text
    for label in MENU:
        assert label not in text, label
    assert "Unduh .xlsx" not in text and "Kode wilayah" not in text  # no buttons, no footer
    assert pages == 1


def test_the_regency_dashboard_prints_on_two_pages(live_server, page, admin_dinas):
    form(JANJU, admin_dinas)
    log_in(page, live_server.url, admin_dinas.username)

    text, pages = printed(page, f"{live_server.url}/dasbor/{PASER}/")

    assert "PEMERINTAH KABUPATEN PASER" in text and "Koperasi per tahap" in text
    assert "Daftar 144 desa/kelurahan tidak dicetak" in text and "Desa Janju" not in text
    for label in MENU_ONLY:
        assert label not in text, label
    assert pages <= 2
