"""The text cleaner: names, free text and the matching key."""

from __future__ import annotations

from kopdes.cleaners.text import clean_name, clean_text, norm


def test_names_in_capitals_become_title_case_and_spaces_collapse():
    assert clean_name("  SITI   AMINAH ") == "Siti Aminah"
    assert clean_name("Muh. Ali bin Hasan  ") == "Muh. Ali bin Hasan"


def test_a_whole_number_cell_loses_its_point_zero():
    assert clean_text(3.0) == "3" and clean_text(" Dusun   I ") == "Dusun I"


def test_norm_ignores_case_accents_and_punctuation():
    assert norm("Désa  Sungai-Tuak!") == "desa sungai tuak"
