"""The reader's cell parsers: the forms offices write dates, NIKs, codes, amounts and stages in."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from kopdes.imports import reader
from kopdes.imports.reader import CellError


@pytest.mark.parametrize(
    "raw",
    [
        date(2025, 5, 11),
        datetime(2025, 5, 11, 8, 30),
        "11/05/2025",
        "11-05-2025",
        "11.05.2025",
        "2025-05-11",
        "11 Mei 2025",
        "11 mei 25",
        "11-Mei-2025",
        "11 May 2025",
        "'11/05/2025",
        45788.0,
        45788,
        "45788",
    ],
)
def test_dates_are_read_in_every_form_the_offices_write(raw):
    assert reader.parse_date(raw) == date(2025, 5, 11)


@pytest.mark.parametrize(
    "month,number", [("Jan", 1), ("Pebruari", 2), ("Agt", 8), ("Okt", 10), ("Nop", 11), ("Des", 12)]
)
def test_indonesian_month_abbreviations(month, number):
    assert reader.parse_date(f"5 {month} 2025") == date(2025, number, 5)


@pytest.mark.parametrize("raw", ["31/02/2025", "kemarin", "5 Mie 2025", "2025/13/01", True, -3])
def test_what_is_not_a_date_says_so(raw):
    with pytest.raises(CellError):
        reader.parse_date(raw)


@pytest.mark.parametrize(
    "raw",
    ["6401044112950003", "'6401044112950003", " 6401 0441 1295 0003 ", "6401.0441.1295.0003", 6401044112950003.0],
)
def test_nik_cells_as_text_number_apostrophe_or_spaces(raw):
    assert reader.nik_text(raw) == "6401044112950003"


def test_a_nik_stored_as_a_number_beyond_float_precision_is_reported_not_guessed():
    with translation.override("id"), pytest.raises(CellError, match="terlalu besar untuk disimpan Excel"):
        reader.nik_text(9201044112950003.0)


def test_a_nik_in_scientific_notation_is_reported_as_lost():
    with translation.override("id"), pytest.raises(CellError, match="notasi ilmiah"):
        reader.nik_text("6.40104E+15")


@pytest.mark.parametrize("raw", ["6401042001", 6401042001.0, "64.01.04.2001", " 64 01 04 2001"])
def test_village_codes_with_or_without_dots(raw):
    assert reader.village_code(raw) == "64.01.04.2001"


def test_a_kecamatan_code_is_not_a_village_code():
    with pytest.raises(CellError):
        reader.village_code("64.01.04")


@pytest.mark.parametrize(
    "raw,amount",
    [(50000, "50000.00"), (50000.0, "50000.00"), ("50.000", "50000.00"), ("Rp 1.500.000,50", "1500000.50"),
     ("1,000,000", "1000000.00"), ("12500.5", "12500.50")],
)  # fmt: skip
def test_amounts_in_rupiah(raw, amount):
    assert reader.money(raw) == Decimal(amount)


@pytest.mark.parametrize("raw", ["-5000", "lima ribu"])
def test_negative_or_words_are_not_amounts(raw):
    with pytest.raises(CellError):
        reader.money(raw)


@pytest.mark.parametrize(
    "label,stage",
    [("Sudah Musdes", 4), ("Musdesus", 4), ("MUSDESUS TERLAKSANA", 4), ("Akta Notaris", 7), ("SK AHU", 8),
     ("SK Kemenkum", 8), ("belum", 0), ("Belum ", 0), ("Sosialisasi", 1), ("Tahap 6", 6), (3, 3), (9.0, 9),
     ("sudah beroperasi", 11), ("Terdaftar SIMKOPDES", 10)],
)  # fmt: skip
def test_free_text_stage_labels(label, stage):
    assert reader.stage_number(label) == stage


def test_an_unknown_stage_label_lists_the_accepted_ones():
    with pytest.raises(CellError) as error:
        reader.stage_number("hampir selesai")
    assert "Sudah Musdes".lower() in str(error.value).lower() and "sk ahu" in str(error.value).lower()


def test_names_in_capitals_become_title_case_and_spaces_collapse():
    assert reader.clean_name("  SITI   AMINAH ") == "Siti Aminah"
    assert reader.clean_name("Muh. Ali bin Hasan  ") == "Muh. Ali bin Hasan"
