"""Tests for earlyhelp.core.identifiers.

The strategies build valid identifiers with their own check-digit arithmetic, written here from
the spec and not shared with the module, so a mistake in one is caught by the other.
All values are synthetic; realistic NHS numbers use the 999 test range.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from earlyhelp.core import identifiers as ids

DIGITS = string.digits
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # A-Z without I, O, S

# --- Independent builders -----------------------------------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit, or None where the spec says no NHS number has these nine digits."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def with_nhs_check(first_nine: str) -> str | None:
    check = nhs_check_digit(first_nine)
    return None if check is None else f"{first_nine}{check}"


def nhs_numbers(prefix: str = "") -> st.SearchStrategy[str]:
    body = st.text(DIGITS, min_size=9 - len(prefix), max_size=9 - len(prefix))
    return body.map(lambda b: with_nhs_check(prefix + b)).filter(lambda n: n is not None)  # type: ignore[return-value]


def upn_check_letter(body: str) -> str:
    def value(char: str) -> int:
        return int(char) if char in DIGITS else UPN_LETTERS.index(char)

    total = sum(weight * value(c) for weight, c in zip(range(2, 14), body, strict=True))
    return UPN_LETTERS[total % 23]


@st.composite
def upns(draw: st.DrawFn) -> str:
    # Any LA code: the format does not restrict it, and new authorities get new codes.
    la_school_year = draw(st.text(DIGITS, min_size=9, max_size=9))
    permanent = st.text(DIGITS, min_size=3, max_size=3)
    temporary = st.tuples(st.text(DIGITS, min_size=2, max_size=2), st.sampled_from(UPN_LETTERS))
    serial = draw(st.one_of(permanent, temporary.map("".join)))
    body = la_school_year + serial
    return upn_check_letter(body) + body


LETTERS = string.ascii_uppercase
POSTCODE_FIRST = [c for c in LETTERS if c not in "QVX"]
POSTCODE_SECOND = [c for c in LETTERS if c not in "IJZ"]
POSTCODE_INWARD = [c for c in LETTERS if c not in "CIKMOV"]


@st.composite
def postcodes(draw: st.DrawFn) -> str:
    """A canonical postcode: one of the six outward shapes, a space, then the inward code."""
    first = st.sampled_from(POSTCODE_FIRST)
    second = st.sampled_from(POSTCODE_SECOND)
    digit = st.sampled_from(DIGITS)
    letter = st.sampled_from(LETTERS)
    shapes = {
        "A9": [first, digit],
        "A99": [first, digit, digit],
        "A9A": [first, digit, letter],
        "AA9": [first, second, digit],
        "AA99": [first, second, digit, digit],
        "AA9A": [first, second, digit, letter],
    }
    outward = "".join(draw(s) for s in shapes[draw(st.sampled_from(sorted(shapes)))])
    inward = draw(digit) + "".join(draw(st.sampled_from(POSTCODE_INWARD)) for _ in range(2))
    return f"{outward} {inward}"


NINO_FIRST = [c for c in LETTERS if c not in "DFIQUV"]
NINO_SECOND = [c for c in NINO_FIRST if c != "O"]
NINO_UNALLOCATED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
NINO_PREFIXES = [a + b for a in NINO_FIRST for b in NINO_SECOND if a + b not in NINO_UNALLOCATED]


@st.composite
def ninos(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(NINO_PREFIXES))
    return prefix + draw(st.text(DIGITS, min_size=6, max_size=6)) + draw(st.sampled_from("ABCD"))


@st.composite
def messy(draw: st.DrawFn, canonical: str, separators: str = " ") -> str:
    """``canonical`` as someone might type it: any case, separators added or removed."""
    out = []
    for char in canonical.replace(" ", ""):
        out.append(char.lower() if draw(st.booleans()) else char)
        out.append(draw(st.sampled_from(["", "", *separators])))
    return draw(st.sampled_from(["", " "])) + "".join(out) + draw(st.sampled_from(["", " \t"]))


def substitute(value: str, index: int, char: str) -> str:
    return value[:index] + char + value[index + 1 :]


# --- NHS number ---------------------------------------------------------------------------


def test_nhs_published_example() -> None:
    assert nhs_check_digit("943476591") == 9  # the builder agrees with the spec's example
    assert ids.normalise_nhs_number("9434765919") == "9434765919"
    assert ids.normalise_nhs_number("943 476 5919") == "9434765919"
    assert ids.normalise_nhs_number("943-476-5919") == "9434765919"
    assert ids.format_nhs_number("9434765919") == "943 476 5919"
    assert ids.is_valid_nhs_number("9434765919")


@pytest.mark.parametrize(
    "value",
    [
        "9434765918",  # wrong check digit
        "943476591",  # 9 digits
        "94347659190",  # 11 digits
        "943476591X",
        "",
        "943.476.5919",  # only spaces and hyphens separate
        "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",  # fullwidth digits
    ],
)
def test_nhs_rejected(value: str) -> None:
    assert not ids.is_valid_nhs_number(value)
    with pytest.raises(ids.IdentifierError) as excinfo:
        ids.normalise_nhs_number(value)
    assert excinfo.value.code == "invalid_nhs_number"


def test_nhs_check_digit_ten_means_no_number() -> None:
    first_nine = "999000000"  # weights give a check digit of 10
    assert nhs_check_digit(first_nine) is None
    assert not any(ids.is_valid_nhs_number(first_nine + d) for d in DIGITS)


@given(nhs_numbers("999"), st.data())
def test_nhs_test_range_accepted_however_typed(number: str, data: st.DataObject) -> None:
    typed = data.draw(messy(number, " -"))
    assert ids.normalise_nhs_number(typed) == number
    assert ids.format_nhs_number(typed) == f"{number[:3]} {number[3:6]} {number[6:]}"


@given(nhs_numbers())
def test_nhs_valid_numbers_normalise_idempotently(number: str) -> None:
    assert ids.normalise_nhs_number(number) == number
    assert ids.normalise_nhs_number(ids.format_nhs_number(number)) == number


@given(nhs_numbers(), st.integers(0, 9), st.integers(1, 9))
def test_nhs_any_single_digit_change_rejected(number: str, index: int, shift: int) -> None:
    # Weights 10..1 are all non-zero mod the prime 11, so a change of one digit always moves the
    # sum off a multiple of 11.
    changed = substitute(number, index, str((int(number[index]) + shift) % 10))
    assert not ids.is_valid_nhs_number(changed)


# --- UPN ----------------------------------------------------------------------------------


def test_upn_published_example() -> None:
    assert upn_check_letter("801200005001") == "B"
    assert ids.normalise_upn("B801200005001") == "B801200005001"
    assert ids.normalise_upn(" b801 2000 05001 ") == "B801200005001"


def test_upn_accepts_la_codes_missing_from_stdnum_list() -> None:
    # 940 (North Northamptonshire) postdates the list in stdnum.gb.upn.
    body = "940123424001"
    assert ids.is_valid_upn(upn_check_letter(body) + body)


@pytest.mark.parametrize(
    "value",
    [
        "A801200005001",  # wrong check letter
        "B80120000500",  # 12 characters
        "B8012000050010",  # 14 characters
        "I801200005001",  # I is not in the check alphabet
        "B80120000A001",  # letters only in the first and last place
        "1801200005001",
        "",
    ],
)
def test_upn_rejected(value: str) -> None:
    assert not ids.is_valid_upn(value)
    with pytest.raises(ids.IdentifierError) as excinfo:
        ids.normalise_upn(value)
    assert excinfo.value.code == "invalid_upn"


@pytest.mark.parametrize("letter", "IOS")
def test_upn_temporary_letter_from_check_alphabet_only(letter: str) -> None:
    body = "80120000500" + letter
    for check in UPN_LETTERS:
        assert not ids.is_valid_upn(check + body)


@given(upns(), st.data())
def test_upn_valid_accepted_and_idempotent(upn: str, data: st.DataObject) -> None:
    assert ids.normalise_upn(upn) == upn
    assert ids.normalise_upn(data.draw(messy(upn))) == upn


@given(upns(), st.integers(1, 12), st.integers(1, 9))
def test_upn_any_single_digit_change_rejected(upn: str, index: int, shift: int) -> None:
    # Weights 2..13 and digit differences 1..9 are all non-zero mod the prime 23, so their product
    # is too: the check letter always changes.
    if upn[index] not in DIGITS:
        index = 1  # a temporary UPN's letter: change a digit elsewhere instead
    changed = substitute(upn, index, str((int(upn[index]) + shift) % 10))
    assert not ids.is_valid_upn(changed)


@given(upns(), st.sampled_from(UPN_LETTERS))
def test_upn_check_letter_change_rejected(upn: str, letter: str) -> None:
    if letter != upn[0]:
        assert not ids.is_valid_upn(substitute(upn, 0, letter))


@given(upns(), st.sampled_from(DIGITS + UPN_LETTERS))
def test_upn_last_character_change_rejected_unless_same_value(upn: str, char: str) -> None:
    # In the last place a digit d and the letter UPN_LETTERS[d] carry the same value (1 and B,
    # say), so swapping one for the other keeps the check letter valid: the scheme cannot tell a
    # permanent UPN from the temporary one that differs only there. Every other change is caught.
    def value(c: str) -> int:
        return int(c) if c in DIGITS else UPN_LETTERS.index(c)

    changed = substitute(upn, 12, char)
    assert ids.is_valid_upn(changed) == (value(char) == value(upn[12]))


def test_upn_digit_and_same_value_letter_both_valid() -> None:
    assert ids.is_valid_upn("B801200005001")
    assert ids.is_valid_upn("B80120000500B")


# --- Postcode -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("M1 1AE", "M1 1AE"),  # A9
        ("B33 8TH", "B33 8TH"),  # A99
        ("W1A 0AX", "W1A 0AX"),  # A9A
        ("CR2 6XH", "CR2 6XH"),  # AA9
        ("DN55 1PT", "DN55 1PT"),  # AA99
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A
        ("w11 4ab", "W11 4AB"),
        ("W114AB", "W11 4AB"),
        ("  W11   4AB ", "W11 4AB"),
        ("GIR 0AA", "GIR 0AA"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcode_examples(value: str, expected: str) -> None:
    assert ids.normalise_postcode(value) == expected
    assert ids.is_valid_postcode(value)


@pytest.mark.parametrize(
    "value",
    [
        *(f"{c}1 1AA" for c in "QVX"),  # never first
        *(f"A{c}1 1AA" for c in "IJZ"),  # never second
        *(f"W1 1{c}A" for c in "CIKMOV"),  # never in the inward code
        *(f"W1 1A{c}" for c in "CIKMOV"),
        "W11",  # outward code only
        "W11 4A",
        "W11 4ABC",
        "AAA 1AA",
        "A111 1AA",
        "1A1 1AA",
        "AA1AA 1AA",
        "W11 AAB",
        "GIR 0AB",
        "",
    ],
)
def test_postcode_rejected(value: str) -> None:
    assert not ids.is_valid_postcode(value)
    with pytest.raises(ids.IdentifierError) as excinfo:
        ids.normalise_postcode(value)
    assert excinfo.value.code == "invalid_postcode"


@given(postcodes(), st.data())
def test_postcode_valid_accepted_and_idempotent(postcode: str, data: st.DataObject) -> None:
    assert ids.normalise_postcode(postcode) == postcode
    assert ids.normalise_postcode(data.draw(messy(postcode))) == postcode


@given(postcodes(), st.sampled_from("QVX"))
def test_postcode_forbidden_first_letter_rejected(postcode: str, letter: str) -> None:
    assert not ids.is_valid_postcode(substitute(postcode, 0, letter))


@given(postcodes(), st.sampled_from("CIKMOV"), st.sampled_from([-1, -2]))
def test_postcode_forbidden_inward_letter_rejected(postcode: str, letter: str, index: int) -> None:
    assert not ids.is_valid_postcode(substitute(postcode, len(postcode) + index, letter))


@given(postcodes())
def test_postcode_sector_is_outward_and_inward_digit(postcode: str) -> None:
    assert ids.postcode_sector(postcode) == postcode[:-2]


def test_postcode_sector_examples() -> None:
    assert ids.postcode_sector("W11 4AB") == "W11 4"
    assert ids.postcode_sector("ec1a1bb") == "EC1A 1"
    assert ids.postcode_sector("GIR 0AA") == "GIR 0"
    with pytest.raises(ids.IdentifierError):
        ids.postcode_sector("W11")


# --- UPRN ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", "1"),
        ("999999999999", "999999999999"),
        ("000012345678", "12345678"),  # padded to 12 digits by some exports
        (" 10023456789 ", "10023456789"),
        (10023456789, "10023456789"),
        (1, "1"),
        (999_999_999_999, "999999999999"),
    ],
)
def test_uprn_accepted(value: str | int, expected: str) -> None:
    assert ids.normalise_uprn(value) == expected
    assert ids.normalise_uprn(expected) == expected


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "000000000000",
        0,
        -1,
        "-1",
        "+1",
        "1_000",
        "1000000000000",  # 13 digits
        "0000000000001",  # 13 characters, even if the value is small
        10**12,
        "12a",
        "a12",
        "12 34",
        "1.0",
        "١٢٣",  # Arabic-Indic digits, which int() would accept
        "",
        True,
    ],
)
def test_uprn_rejected(value: str | int) -> None:
    assert not ids.is_valid_uprn(value)
    with pytest.raises(ids.IdentifierError) as excinfo:
        ids.normalise_uprn(value)
    assert excinfo.value.code == "invalid_uprn"


@given(st.integers(1, 999_999_999_999))
def test_uprn_valid_accepted_and_idempotent(number: int) -> None:
    assert ids.normalise_uprn(number) == str(number)
    assert ids.normalise_uprn(str(number)) == str(number)
    assert ids.normalise_uprn(str(number).zfill(12)) == str(number)


# --- National Insurance number ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("AB123456C", "AB123456C"), ("ab 12 34 56 c", "AB123456C"), ("OA123456D", "OA123456D")],
)
def test_nino_accepted(value: str, expected: str) -> None:
    assert ids.normalise_nino(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "QQ123456C",  # Q is never used
        *(f"{c}A123456A" for c in "DFIQUV"),
        *(f"A{c}123456A" for c in "DFIQUVO"),
        *(f"{p}123456A" for p in sorted(NINO_UNALLOCATED)),
        "AB123456E",
        "AB123456",  # the suffix is required
        "AB12345C",
        "AB1234567C",
        "A1123456C",
        "",
    ],
)
def test_nino_rejected(value: str) -> None:
    assert not ids.is_valid_nino(value)
    with pytest.raises(ids.IdentifierError) as excinfo:
        ids.normalise_nino(value)
    assert excinfo.value.code == "invalid_nino"


@given(ninos(), st.data())
def test_nino_valid_accepted_and_idempotent(nino: str, data: st.DataObject) -> None:
    assert ids.normalise_nino(nino) == nino
    assert ids.normalise_nino(data.draw(messy(nino))) == nino


# --- All kinds: fuzzing, messages and Django validators -----------------------------------

KINDS: list[tuple[str, Callable[[Any], str], Callable[[Any], bool], Callable[[Any], None]]] = [
    (
        "invalid_nhs_number",
        ids.normalise_nhs_number,
        ids.is_valid_nhs_number,
        ids.validate_nhs_number,
    ),
    ("invalid_upn", ids.normalise_upn, ids.is_valid_upn, ids.validate_upn),
    ("invalid_postcode", ids.normalise_postcode, ids.is_valid_postcode, ids.validate_postcode),
    ("invalid_uprn", ids.normalise_uprn, ids.is_valid_uprn, ids.validate_uprn),
    ("invalid_nino", ids.normalise_nino, ids.is_valid_nino, ids.validate_nino),
]
KIND_IDS = [kind[0] for kind in KINDS]

# Text near the identifiers' alphabets reaches deeper than arbitrary Unicode alone.
near_miss_text = st.text(DIGITS + "ABCDEGIOQSZabgz -\t", max_size=16)


@pytest.mark.parametrize(("code", "normalise", "is_valid", "validate"), KINDS, ids=KIND_IDS)
@given(value=st.one_of(st.text(), near_miss_text))
@example(value="\ufb001 1AA")  # the ligature "ff" upper-cases to "FF"
@example(value="\u00df1 1AA")  # "ß" upper-cases to "SS"
@example(value="9" * 5000)
def test_random_text_raises_only_identifier_error(
    code: str,
    normalise: Callable[[Any], str],
    is_valid: Callable[[Any], bool],
    validate: Callable[[Any], None],
    value: str,
) -> None:
    try:
        result = normalise(value)
    except ids.IdentifierError as exc:
        # The message is fixed per kind, so it can never echo the value.
        assert (exc.code, exc.message, str(exc)) == (code, ids.MESSAGES[code], ids.MESSAGES[code])
        assert not is_valid(value)
        with pytest.raises(ValidationError) as excinfo:
            validate(value)
        assert excinfo.value.code == code
        assert excinfo.value.messages == [ids.MESSAGES[code]]
    else:
        assert result.isascii()
        assert normalise(result) == result
        assert is_valid(value)
        validate(value)  # raises nothing


@pytest.mark.parametrize(
    ("is_valid", "value"),
    [
        (ids.is_valid_postcode, "\ufb001 1AA"),  # the ligature "ff" upper-cases to "FF"
        (ids.is_valid_postcode, "\u00df1 1AA"),  # "ß" upper-cases to "SS"
        (ids.is_valid_nino, "\ufb05123456A"),  # the ligature "st" upper-cases to "ST"
    ],
)
def test_non_ascii_that_upper_cases_to_a_valid_value_rejected(
    is_valid: Callable[[str], bool], value: str
) -> None:
    assert is_valid(value.upper())
    assert not is_valid(value)


@pytest.mark.parametrize(("code", "normalise", "is_valid", "validate"), KINDS, ids=KIND_IDS)
@pytest.mark.parametrize("value", [None, 12.0, b"9434765919", ["AB123456C"]])
def test_non_text_values_rejected_cleanly(
    code: str,
    normalise: Callable[[Any], str],
    is_valid: Callable[[Any], bool],
    validate: Callable[[Any], None],
    value: object,
) -> None:
    assert not is_valid(value)
    with pytest.raises(ValidationError) as excinfo:
        validate(value)
    assert excinfo.value.code == code


def test_identifier_error_is_a_value_error() -> None:
    assert issubclass(ids.IdentifierError, ValueError)
    assert ids.MESSAGES["invalid_nhs_number"] == (
        "Enter a valid NHS number: 10 digits whose last digit is the check digit"
    )


@pytest.mark.parametrize("validator", [kind[3] for kind in KINDS], ids=KIND_IDS)
def test_validators_are_importable_by_name_for_migrations(validator: Callable[[Any], None]) -> None:
    assert validator.__module__ == "earlyhelp.core.identifiers"
    assert getattr(ids, validator.__qualname__) is validator
