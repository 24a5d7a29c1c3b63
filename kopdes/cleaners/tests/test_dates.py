"""The date cleaner: the forms offices write dates in, and the window of each field."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import translation

from kopdes.cleaners import CellError
from kopdes.cleaners.dates import BIRTH, EVIDENCE, JOINED, LEFT, OLD_EVIDENCE, SCHEDULED, membership_errors, parse_date

TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(
    "raw",
    [date(2025, 5, 11), datetime(2025, 5, 11, 8, 30), "11/05/2025", "11-05-2025", "11.05.2025", "2025-05-11",
     "11 Mei 2025", "11 mei 25", "11-Mei-2025", "11 May 2025", "'11/05/2025", 45788.0, 45788, "45788"],
)  # fmt: skip
def test_dates_are_read_in_every_form_the_offices_write(raw):
    assert parse_date(raw) == date(2025, 5, 11)
    assert parse_date(raw, JOINED, today=TODAY) == date(2025, 5, 11)


@pytest.mark.parametrize(
    "month,number", [("Jan", 1), ("Pebruari", 2), ("Agt", 8), ("Okt", 10), ("Nop", 11), ("Des", 12)]
)
def test_indonesian_month_abbreviations(month, number):
    assert parse_date(f"5 {month} 2025") == date(2025, number, 5)


@pytest.mark.parametrize("raw", ["31/02/2025", "kemarin", "5 Mie 2025", "2025/13/01", True, -3])
def test_what_is_not_a_date_says_so_with_the_accepted_forms(raw):
    with translation.override("id"), pytest.raises(CellError) as error:
        parse_date(raw, JOINED, today=TODAY)
    assert "Tanggal masuk" in str(error.value) and "11/05/2025" in str(error.value)


@pytest.mark.parametrize("raw", ["2025", 2025, 2025.0, "'2024"])
def test_a_bare_year_is_refused_naming_the_field(raw):
    with translation.override("id"), pytest.raises(CellError) as error:
        parse_date(raw, JOINED, today=TODAY)
    assert "Tanggal masuk" in str(error.value) and "tahun saja" in str(error.value)


@pytest.mark.parametrize("raw", ["Mei 2025", "05/2025", "2025-05", "Agustus 2025", "Jan-25"])
def test_a_month_without_a_day_is_refused(raw):
    with translation.override("id"), pytest.raises(CellError) as error:
        parse_date(raw, EVIDENCE, today=TODAY)
    assert "bulan tanpa hari" in str(error.value)


@pytest.mark.parametrize("serial", [45, 1000, 30000, 45000.0])  # 1900, 1902, 1982, 2023: before the programme
def test_a_serial_landing_outside_the_window_is_refused(serial):
    with translation.override("id"), pytest.raises(CellError) as error:
        parse_date(serial, EVIDENCE, today=TODAY)
    assert "sebelum 27 Maret 2025" in str(error.value)


def test_an_old_deed_of_an_existing_cooperative_is_in_its_window():
    assert parse_date("12/03/1998", OLD_EVIDENCE, today=TODAY) == date(1998, 3, 12)


@pytest.mark.parametrize("field", [BIRTH, JOINED, LEFT, EVIDENCE, OLD_EVIDENCE])
def test_no_date_of_something_that_happened_is_after_the_village_today(field):
    assert parse_date("15/01/2026", field, today=TODAY) == TODAY
    with translation.override("id"), pytest.raises(CellError) as error:
        parse_date("16/01/2026", field, today=TODAY)
    assert "di masa depan" in str(error.value)


def test_a_scheduled_date_may_lie_ahead_but_not_years_ahead():
    assert parse_date("01/03/2026", SCHEDULED, today=TODAY) == date(2026, 3, 1)
    with pytest.raises(CellError):
        parse_date("01/03/2030", SCHEDULED, today=TODAY)


def test_a_birth_date_before_1900_is_refused():
    with pytest.raises(CellError):
        parse_date("01/01/1899", BIRTH, today=TODAY)


def test_leaving_before_joining_or_in_the_future_is_impossible():
    with translation.override("id"):
        (message,) = membership_errors(date(2025, 6, 10), date(2025, 1, 1), today=TODAY)
        assert "sebelum bergabung" in message
        (message,) = membership_errors(date(2025, 6, 10), date(2026, 2, 1), today=TODAY)
        assert "masa depan" in message
        (message,) = membership_errors(date(2026, 2, 1), None, today=TODAY)
        assert "masa depan" in message
    assert membership_errors(date(2025, 6, 10), date(2025, 6, 10), today=TODAY) == []
    assert membership_errors(None, date(2025, 6, 10), today=TODAY) == []
