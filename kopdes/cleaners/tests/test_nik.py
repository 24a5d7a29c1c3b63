"""The NIK cleaner: normalising, parsing, derived sex and birth date, the region checks, with property-based tests."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kopdes.cleaners import CellError
from kopdes.cleaners.nik import (
    FEMALE,
    MALE,
    PROVINCES_EVER,
    Nik,
    is_valid_nik,
    nik_from_cell,
    old_region_warning,
    parse_nik,
    region_mismatch,
    unknown_region,
)

TODAY = date(2026, 1, 1)
regions = st.tuples(st.sampled_from(sorted(PROVINCES_EVER)), st.integers(1, 99), st.integers(1, 99)).map(
    lambda t: f"{t[0]}{t[1]:02d}{t[2]:02d}"
)
births = st.dates(min_value=date(1927, 1, 1), max_value=TODAY)
serials = st.integers(1, 9999).map(lambda n: f"{n:04d}")


# A shared, loaded machine: no per-example deadline and no "too slow" health check, the same number of examples.
UNTIMED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make(region: str, born: date, sex: str, serial: str) -> str:
    day = born.day + (40 if sex == FEMALE else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"


@UNTIMED
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


@UNTIMED
@given(regions, births, st.sampled_from([MALE, FEMALE]))
def test_serial_0000_is_refused(region, born, sex):
    with pytest.raises(ValidationError):
        parse_nik(make(region, born, sex, "0000"), today=TODAY)


@UNTIMED
@given(st.text(alphabet="0123456789", min_size=0, max_size=30).filter(lambda s: len(s) != 16))
def test_anything_but_16_digits_is_refused(raw):
    assert not is_valid_nik(raw)


@UNTIMED
@given(regions, st.integers(1, 12), st.integers(0, 99), serials)
def test_day_32_to_40_and_above_71_is_not_a_birth_date(region, month, yy, serial):
    for day in (0, 32, 40, 72, 99):
        assert not is_valid_nik(f"{region}{day:02d}{month:02d}{yy:02d}{serial}")


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


def test_a_nik_object_prints_masked(caplog):
    nik = parse_nik("6401041203850002")
    with caplog.at_level(logging.INFO):
        logging.getLogger("kopdes").info("person %s", nik)
    assert "6401041203850002" not in caplog.text
    assert "640104********02" in caplog.text
    assert "6401041203850002" not in repr(nik)
    assert isinstance(nik, Nik)


@pytest.mark.parametrize(
    "raw",
    [
        "٦٤٠١٠٤١٢٠٣٨٥٠٠٠٢",  # Arabic-Indic
        "۶۴۰۱۰۴۱۲۰۳۸۵۰۰۰۲",  # Extended Arabic-Indic (Persian, Urdu keyboards)
        "６４０１０４１２０３８５０００２",  # fullwidth
        "६४०१०४१२०३८५०००२",  # Devanagari
        "6401-0412-0385-0002",
        "6401 04 120385 0002",
        "'6401041203850002",
        "6401’0412’0385’0002",
        "6401\u00a004\u200b1203850002",  # no-break space, zero-width space
        "6401–0412—0385.0002",  # en and em dashes
        "٦٤٠١ 0412 ۰۳۸۵ 0002",  # scripts mixed
    ],
)
def test_digits_of_any_script_and_separators_give_the_same_nik(raw):
    assert parse_nik(raw).value == "6401041203850002"


@pytest.mark.parametrize("raw", ["6401O41203850002", "640104120385000x", "6401/0412/0385/0002", "6401041203850002a"])
def test_a_letter_or_other_sign_in_a_nik_is_refused_and_named(raw):
    with translation.override("id"), pytest.raises(ValidationError) as error:
        parse_nik(raw)
    assert error.value.code == "nik_character"
    assert "bukan angka" in error.value.messages[0]


@pytest.mark.parametrize(
    "province", ["10", "20", "22", "37", "50", "55", "60", "66", "70", "77", "80", "83", "90", "97", "99"]
)
def test_a_province_code_no_province_ever_had_is_refused(province):
    with translation.override("id"), pytest.raises(ValidationError) as error:
        parse_nik(f"{province}01041203850002")
    assert error.value.code == "nik_province"
    assert province in error.value.messages[0] and "provinsi" in error.value.messages[0]


@pytest.mark.parametrize("province", ["54", "91", "96", "21", "65"])  # Timor Timur until 1999; Papua's; Kaltara
def test_provinces_old_and_new_are_accepted(province):
    assert parse_nik(f"{province}01041203850002").province == province


@pytest.mark.parametrize("raw", [6401041203850002, 6401041203850000.0, 640104120385002])
def test_a_nik_from_a_number_cell_is_refused_with_the_way_to_fix_it(raw):
    with translation.override("id"), pytest.raises(CellError) as error:
        nik_from_cell(raw)
    assert "sel angka" in str(error.value) and "Format kolom NIK sebagai teks" in str(error.value)


def test_a_nik_in_scientific_notation_is_reported_as_lost():
    with translation.override("id"), pytest.raises(CellError, match="notasi ilmiah"):
        nik_from_cell("6.40104E+15")


@pytest.mark.parametrize("raw", ["6401041203850002", "'6401041203850002", " 6401 0412 0385 0002 ", "٦٤٠١٠٤١٢٠٣٨٥٠٠٠٢"])
def test_a_nik_cell_as_text_is_normalised(raw):
    assert nik_from_cell(raw) == "6401041203850002"


def test_a_region_code_not_in_the_current_list_is_an_old_code_not_another_kecamatan():
    known = {"6401", "640104", "640101"}
    assert not unknown_region("6401041203850002", known)
    assert unknown_region("6401991203850002", known)  # kecamatan not in the list
    assert unknown_region("6499041203850002", known)  # kabupaten not in the list
    with translation.override("id"):
        assert old_region_warning() == (
            "kode wilayah tidak ada dalam daftar terbaru — mungkin kode lama sebelum pemekaran"
        )
