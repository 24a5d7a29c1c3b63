"""The village cleaner: codes with or without dots, names among the candidates passed in."""

from __future__ import annotations

import pytest
from django.utils import translation

from kopdes.cleaners import CellError
from kopdes.cleaners.village import index_by_name, resolve_village, village_code

VILLAGES = {
    "64.01.04.2001": ("Sungai Tuak", "Batu Sopang"),
    "64.01.04.2002": ("Kepala Telake", "Batu Sopang"),
    "64.01.01.2001": ("Sukamaju", "Batu Engau"),
    "64.01.02.2001": ("Sukamaju", "Tanjung Harapan"),
}


def resolve(code=None, name=None, kecamatan=None):
    return resolve_village(
        code_cell=code, name_cell=name, kecamatan_cell=kecamatan, villages=VILLAGES, by_name=index_by_name(VILLAGES)
    )


@pytest.mark.parametrize("raw", ["6401042001", 6401042001.0, "64.01.04.2001", " 64 01 04 2001", "'6401042001"])
def test_village_codes_with_or_without_dots(raw):
    assert village_code(raw) == "64.01.04.2001"


def test_a_kecamatan_code_is_not_a_village_code():
    with pytest.raises(CellError):
        village_code("64.01.04")


@pytest.mark.parametrize("name", ["Sungai Tuak", "DESA SUNGAI TUAK", "Ds. Sungai-Tuak", "desa sungai tuak"])
def test_a_village_by_its_name_however_written(name):
    assert resolve(name=name).code == "64.01.04.2001"


def test_a_village_whose_name_begins_with_a_signature_word_is_a_village():
    assert resolve(name="Kepala Telake").code == "64.01.04.2002"


def test_two_villages_of_one_name_need_the_kecamatan():
    with translation.override("id"):
        assert "Kec. Batu Engau" in resolve(name="Sukamaju").error
    assert resolve(name="Sukamaju", kecamatan="Kec. Tanjung Harapan").code == "64.01.02.2001"


def test_the_code_wins_over_a_different_name_with_a_warning():
    found = resolve(code="6401042001", name="Sukamaju")
    assert found.code == "64.01.04.2001" and len(found.warnings) == 1


def test_a_code_outside_the_candidates_and_an_unknown_name_are_errors_with_suggestions():
    assert resolve(code="6401992001").error
    found = resolve(name="Sungai Tuek")
    assert found.code is None and "64.01.04.2001" in found.error
