"""The money cleaner: number cells, Indonesian notation, and texts whose notation is in doubt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from kopdes.cleaners import CellError
from kopdes.cleaners.money import parse_money


@pytest.mark.parametrize(
    "raw,amount",
    [(50000, "50000"), (50000.0, "50000"), (12500.5, "12500.50"), ("50.000", "50000"),
     ("Rp 100.000,-", "100000"), ("Rp. 1.000.000,00", "1000000"), ("IDR 10.000", "10000"), ("10.000,00", "10000"),
     ("100 rb", "100000"), ("100rb", "100000"), ("1,5 jt", "1500000"), ("2 juta", "2000000"),
     ("Rp 1.500.000,50", "1500000.50"), ("1,000,000", "1000000"), ("12500.5", "12500.50"), ("Rp100.000", "100000"),
     ("rp 25.000.-", "25000"), ("1.500", "1500"), ("0,5", "0.50"), ("Rp\u00a0100.000", "100000"), ("0", "0")],
)  # fmt: skip
def test_amounts_in_the_forms_offices_write(raw, amount):
    assert parse_money(raw) == Decimal(amount)


@pytest.mark.parametrize("raw,readings", [("1,500", ("1,50", "1.500")), ("Rp 2,750", ("2,75", "2.750"))])
def test_a_text_valid_in_both_notations_is_refused_with_both_readings(raw, readings):
    with translation.override("id"), pytest.raises(CellError) as error:
        parse_money(raw, label="Simpanan pokok")
    message = str(error.value)
    assert message.startswith("Simpanan pokok: ") and all(reading in message for reading in readings)


@pytest.mark.parametrize("raw", ["lima ribu", "Rp", "100 dolar", "1.00.000", "12,5,6", "abc", True])
def test_what_is_not_an_amount_shows_the_accepted_forms(raw):
    with translation.override("id"), pytest.raises(CellError) as error:
        parse_money(raw, label="Simpanan wajib")
    message = str(error.value)
    assert "Simpanan wajib" in message and "Rp 100.000,-" in message and "1,5 jt" in message


@pytest.mark.parametrize("raw", [-5000, "-5000"])
def test_a_negative_amount_is_refused(raw):
    with pytest.raises(CellError):
        parse_money(raw)


@pytest.mark.parametrize("raw", [100.005, "1,005 rb", "10.000,505"])
def test_a_fraction_of_a_sen_is_refused_not_rounded(raw):
    with pytest.raises(CellError):
        parse_money(raw)
