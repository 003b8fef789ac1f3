"""URN and ODS code formats, over generated inputs as well as the published examples."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.partners.validators import (
    is_valid_gp_ods_code,
    is_valid_ods_code,
    is_valid_urn,
)

DIGITS = st.text(alphabet=string.digits, min_size=1, max_size=12)


@given(DIGITS)
def test_a_urn_is_exactly_six_digits(value):
    assert is_valid_urn(value) == (len(value) == 6)


@given(st.text(min_size=6, max_size=6))
def test_a_six_character_urn_needs_ascii_digits(value):
    assert is_valid_urn(value) == all(c in string.digits for c in value)


@given(
    st.sampled_from(string.ascii_letters), st.text(alphabet=string.digits, min_size=5, max_size=5)
)
def test_a_gp_practice_code_is_a_letter_and_five_digits(letter, digits):
    assert is_valid_gp_ods_code(letter + digits)
    assert is_valid_gp_ods_code(f" {letter}{digits[:2]} {digits[2:]} ")  # spaces are dropped


@given(st.text(max_size=8))
def test_anything_else_is_not_a_gp_practice_code(value):
    compact = "".join(value.split()).upper()
    shaped = (
        len(compact) == 6
        and compact[0] in string.ascii_uppercase
        and all(c in string.digits for c in compact[1:])
    )
    assert is_valid_gp_ods_code(value) == (shaped and value.isascii())


def test_published_examples():
    assert is_valid_urn("100000") and is_valid_urn(" 143210 ")
    assert not is_valid_urn("12345") and not is_valid_urn("1234567") and not is_valid_urn("12345a")
    assert not is_valid_urn("\uff11\uff12\uff13\uff14\uff15\uff16")  # full-width digits
    assert is_valid_gp_ods_code("A81001") and is_valid_gp_ods_code("a81001")
    assert not is_valid_gp_ods_code("81001A") and not is_valid_gp_ods_code("AB1001")
    assert is_valid_ods_code("RX1") and is_valid_ods_code("RJ1AB")
    assert not is_valid_ods_code("R1") and not is_valid_ods_code("RX-1")
