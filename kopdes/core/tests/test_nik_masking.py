"""Masking NIKs: the region part and the last two digits only, in any text, and in full only for editors."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kopdes.core.nik import display_nik, mask_nik, mask_personal_data


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_masking_keeps_region_and_last_two_digits_only(digits):
    masked = mask_nik(digits)
    assert masked == digits[:6] + "********" + digits[-2:]
    assert digits[6:14] not in masked or digits[6:14] == "********"


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.text(max_size=20), st.text(max_size=20))
def test_mask_personal_data_hides_any_nik_inside_text(digits, before, after):
    text = f"{before} {digits} {after}"
    assert digits not in mask_personal_data(text) or digits[6:14] == "********"


def test_display_is_full_only_for_editors():
    assert display_nik("6401041203850002", may_see=True) == "6401041203850002"
    assert display_nik("6401041203850002", may_see=False) == "640104********02"
    assert display_nik("", may_see=False) == ""
