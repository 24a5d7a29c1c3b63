"""The NIK module: parsing, derived sex and birth date, the region check and masking, with property-based tests."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kopdes.core.nik import (
    FEMALE,
    MALE,
    Nik,
    display_nik,
    is_valid_nik,
    mask_nik,
    mask_personal_data,
    parse_nik,
    region_mismatch,
)

TODAY = date(2026, 1, 1)
regions = st.tuples(st.integers(11, 99), st.integers(1, 99), st.integers(1, 99)).map(
    lambda t: f"{t[0]:02d}{t[1]:02d}{t[2]:02d}"
)
births = st.dates(min_value=date(1927, 1, 1), max_value=TODAY)
serials = st.integers(1, 9999).map(lambda n: f"{n:04d}")


def make(region: str, born: date, sex: str, serial: str) -> str:
    day = born.day + (40 if sex == FEMALE else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"


@given(regions, births, st.sampled_from([MALE, FEMALE]), serials)
def test_a_well_formed_nik_gives_back_its_sex_and_birth_date(region, born, sex, serial):
    nik = parse_nik(make(region, born, sex, serial), today=TODAY)
    assert nik.sex == sex
    assert (nik.birth_date.month, nik.birth_date.day, nik.birth_date.year % 100) == (
        born.month,
        born.day,
        born.year % 100,
    )
    assert nik.region_digits == region


@given(regions, births, st.sampled_from([MALE, FEMALE]))
def test_serial_0000_is_refused(region, born, sex):
    with pytest.raises(ValidationError):
        parse_nik(make(region, born, sex, "0000"), today=TODAY)


@given(st.text(alphabet="0123456789", min_size=0, max_size=30).filter(lambda s: len(s) != 16))
def test_anything_but_16_digits_is_refused(raw):
    assert not is_valid_nik(raw)


@given(regions, st.integers(1, 12), st.integers(0, 99), serials)
def test_day_32_to_40_and_above_71_is_not_a_birth_date(region, month, yy, serial):
    for day in (0, 32, 40, 72, 99):
        assert not is_valid_nik(f"{region}{day:02d}{month:02d}{yy:02d}{serial}")


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_masking_keeps_region_and_last_two_digits_only(digits):
    masked = mask_nik(digits)
    assert masked == digits[:6] + "********" + digits[-2:]
    assert digits[6:14] not in masked or digits[6:14] == "********"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.text(max_size=20), st.text(max_size=20))
def test_mask_personal_data_hides_any_nik_inside_text(digits, before, after):
    text = f"{before} {digits} {after}"
    assert digits not in mask_personal_data(text) or digits[6:14] == "********"


def test_impossible_dates_are_refused():
    assert not is_valid_nik("6401043102900001")  # 31 February
    assert not is_valid_nik("6401047102900001")  # 31 February, a woman
    assert is_valid_nik("6401042902000001")  # 29 February 2000
    assert not is_valid_nik("6401042902010001")  # 29 February 2001


def test_a_future_birth_date_is_refused():
    tomorrow = TODAY + timedelta(days=1)
    with pytest.raises(ValidationError):
        parse_nik(make("640104", tomorrow, MALE, "0001"), today=TODAY)


def test_region_digits_must_look_like_a_region():
    assert not is_valid_nik("0901041201900001")
    assert not is_valid_nik("6400041201900001")
    assert not is_valid_nik("6401001201900001")


def test_women_have_day_plus_40():
    nik = parse_nik("6401045203850002")
    assert nik.sex == FEMALE and nik.birth_date == date(1985, 3, 12)
    assert parse_nik("6401041203850002").sex == MALE


def test_spaces_and_dots_are_ignored():
    assert parse_nik("6401.0412 0385 0002").value == "6401041203850002"


def test_error_messages_say_what_is_wrong():
    with pytest.raises(ValidationError) as error:
        parse_nik("12345")
    assert error.value.code == "nik_length"
    with pytest.raises(ValidationError) as error:
        parse_nik("6401041203850000")
    assert error.value.code == "nik_serial"


def test_region_compared_with_the_village_kecamatan():
    assert not region_mismatch("6401041203850002", "64.01.04.2002")
    assert region_mismatch("6401011203850002", "64.01.04.2002")


def test_display_is_full_only_for_editors():
    assert display_nik("6401041203850002", may_see=True) == "6401041203850002"
    assert display_nik("6401041203850002", may_see=False) == "640104********02"
    assert display_nik("", may_see=False) == ""


def test_a_nik_object_prints_masked(caplog):
    nik = parse_nik("6401041203850002")
    with caplog.at_level(logging.INFO):
        logging.getLogger("kopdes").info("person %s", nik)
    assert "6401041203850002" not in caplog.text
    assert "640104********02" in caplog.text
    assert "6401041203850002" not in repr(nik)
    assert isinstance(nik, Nik)
