"""Typed lists of people: parsed per line with the line number in every error, and written back in the same words."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kopdes.formation.musdesus.forms import format_lines, parse_lines
from kopdes.formation.tests import musdesus_data as data


def test_board_lines_round_trip_in_indonesian_words():
    typed = f"wakil ketua bidang usaha; Andi; {data.nik(1)}; kades\nKetua; Budi"
    rows = parse_lines(typed, "board")
    assert [r["position"] for r in rows] == ["wakil_usaha", "ketua"]
    assert rows[0]["village_office"] == "head"
    again = format_lines(rows, "board")
    assert again.startswith("wakil ketua bidang usaha; Andi;") and "kades" in again
    assert parse_lines(again, "board") == rows


def test_sex_is_taken_from_the_nik_when_left_empty():
    rows = parse_lines(f"Siti; ; perempuan; {data.nik(1, woman=True)}", "attendee")
    assert rows[0]["sex"] == "P"


def test_every_bad_line_is_named():
    with pytest.raises(ValidationError) as error:
        parse_lines("Andi; X; pemuda\n\n; L\nBudi; L; dukun\nCici; L; pemuda; 123", "attendee")
    messages = " ".join(error.value.messages)
    for line in ("1", "3", "4", "5"):
        assert f"Line {line}:" in messages or f"Baris {line}:" in messages


def test_too_many_fields_is_refused():
    with pytest.raises(ValidationError):
        parse_lines("Andi; 6401041203850001; extra", "founder")


def test_blank_lines_are_skipped():
    assert len(parse_lines("\n Andi \n\n Budi\n", "founder")) == 2
