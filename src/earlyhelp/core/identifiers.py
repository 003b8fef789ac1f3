"""Validate and normalise the UK identifiers recorded about children and families.

Each ``normalise_*`` function returns the canonical form to store, or raises ``IdentifierError``.
Error messages never repeat the value: identifiers are personal data and messages reach logs.
These are format checks only: a value that passes is well formed, not known to exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, TypeVar

from django.core.exceptions import ValidationError
from stdnum.gb import nhs as stdnum_nhs

__all__ = [
    "MESSAGES",
    "IdentifierError",
    "format_nhs_number",
    "is_valid_nhs_number",
    "is_valid_nino",
    "is_valid_postcode",
    "is_valid_upn",
    "is_valid_uprn",
    "normalise_nhs_number",
    "normalise_nino",
    "normalise_postcode",
    "normalise_upn",
    "normalise_uprn",
    "postcode_sector",
    "validate_nhs_number",
    "validate_nino",
    "validate_postcode",
    "validate_upn",
    "validate_uprn",
]

MESSAGES: Final[dict[str, str]] = {
    "invalid_nhs_number": (
        "Enter a valid NHS number: 10 digits whose last digit is the check digit"
    ),
    "invalid_upn": (
        "Enter a valid unique pupil number (UPN): a check letter, then 11 digits, "
        "then a final digit or letter"
    ),
    "invalid_postcode": "Enter a full UK postcode, for example SW1A 1AA",
    "invalid_uprn": "Enter a valid UPRN: a whole number of up to 12 digits that is not zero",
    "invalid_nino": (
        "Enter a valid National Insurance number: 2 letters, 6 digits, then A, B, C or D"
    ),
}


class IdentifierError(ValueError):
    """An identifier is malformed. ``message`` is safe to show to a practitioner."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _error(code: str) -> IdentifierError:
    return IdentifierError(MESSAGES[code], code)


def _compact(value: object, code: str, separators: str = r"\s+") -> str:
    if not isinstance(value, str):
        raise _error(code)
    compact = re.sub(separators, "", value)
    # Only ASCII may reach .upper(): "ß" or the ligature "ﬀ" would otherwise turn into
    # valid-looking Latin letters.
    if not compact.isascii():
        raise _error(code)
    return compact.upper()


# --- NHS number ---------------------------------------------------------------------------


def normalise_nhs_number(value: str) -> str:
    """Return the 10 digits of an NHS number given with or without spaces or hyphens."""
    digits = _compact(value, "invalid_nhs_number", r"[\s-]+")
    # stdnum accepts the same separators, but our own normaliser decides what is accepted.
    if not re.fullmatch(r"[0-9]{10}", digits) or not stdnum_nhs.is_valid(digits):
        raise _error("invalid_nhs_number")
    return digits


def format_nhs_number(value: str) -> str:
    """Return an NHS number as it is displayed, e.g. ``943 476 5919``."""
    digits = normalise_nhs_number(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# --- Unique pupil number ------------------------------------------------------------------

# The DfE check-letter alphabet: A-Z without I, O and S.
_UPN_LETTERS: Final = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_RE: Final = re.compile(rf"[{_UPN_LETTERS}][0-9]{{11}}[0-9{_UPN_LETTERS}]")


def _upn_value(char: str) -> int:
    # A temporary UPN's final letter counts as its index in the check alphabet (A=0 ... Z=22).
    return int(char) if char.isdigit() else _UPN_LETTERS.index(char)


def normalise_upn(value: str) -> str:
    """Return a UPN in upper case without spaces, after checking its check letter.

    The arithmetic is ours rather than ``stdnum.gb.upn``: that module also requires the LA
    code to be in a 2011 list, so it rejects pupils of authorities created since (e.g. 940
    North Northamptonshire, 942 Cumberland). Its check-letter arithmetic is the same as this.
    """
    upn = _compact(value, "invalid_upn")
    if not _UPN_RE.fullmatch(upn):
        raise _error("invalid_upn")
    total = sum(weight * _upn_value(char) for weight, char in enumerate(upn[1:], start=2))
    if _UPN_LETTERS[total % 23] != upn[0]:
        raise _error("invalid_upn")
    return upn


# --- Postcode -----------------------------------------------------------------------------

# Outward A9, A99, A9A, AA9, AA99, AA9A: no Q, V, X first; no I, J, Z second.
# Inward 9AA: no C, I, K, M, O, V.
_POSTCODE_RE: Final = re.compile(
    r"(?P<outward>[A-PR-UWYZ](?:[0-9][0-9A-Z]?|[A-HK-Y][0-9][0-9A-Z]?))"
    r"(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})"
)


def normalise_postcode(value: str) -> str:
    """Return a postcode in upper case with one space before the inward code.

    All whitespace is dropped first, so ``w114ab`` and ``W11  4AB`` are both accepted: the
    inward code is always the last three characters, so the space can be put back unambiguously.
    """
    compact = _compact(value, "invalid_postcode")
    if compact == "GIR0AA":
        return "GIR 0AA"
    match = _POSTCODE_RE.fullmatch(compact)
    if not match:
        raise _error("invalid_postcode")
    return f"{match['outward']} {match['inward']}"


def postcode_sector(value: str) -> str:
    """Return the postcode sector, e.g. ``W11 4`` for ``W11 4AB``."""
    return normalise_postcode(value)[:-2]


# --- UPRN ---------------------------------------------------------------------------------


def normalise_uprn(value: str | int) -> str:
    """Return a UPRN as its decimal digits without leading zeros.

    UPRNs are integers with no check digit. Leading zeros are accepted because some
    exports pad to 12 digits, but at most 12 digits in all; the stored form drops them so that
    one property has one spelling.
    """
    if isinstance(value, bool):  # bool is an int, but True is not a UPRN
        raise _error("invalid_uprn")
    if isinstance(value, int):
        if not 1 <= value <= 999_999_999_999:
            raise _error("invalid_uprn")
        return str(value)
    if not isinstance(value, str):
        raise _error("invalid_uprn")
    digits = value.strip()
    # The regex, not int(), decides: int() also accepts "+1", "1_000" and non-ASCII digits.
    if not re.fullmatch(r"[0-9]{1,12}", digits) or not digits.lstrip("0"):
        raise _error("invalid_uprn")
    return digits.lstrip("0")


# --- National Insurance number ------------------------------------------------------------

_NINO_RE: Final = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]")
_NINO_UNALLOCATED_PREFIXES: Final = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def normalise_nino(value: str) -> str:
    """Return a National Insurance number in upper case without spaces."""
    nino = _compact(value, "invalid_nino")
    if not _NINO_RE.fullmatch(nino) or nino[:2] in _NINO_UNALLOCATED_PREFIXES:
        raise _error("invalid_nino")
    return nino


# --- Predicates and Django validators -----------------------------------------------------

_T = TypeVar("_T")


def _is_valid(normalise: Callable[[_T], str], value: _T) -> bool:
    try:
        normalise(value)
    except IdentifierError:
        return False
    return True


def is_valid_nhs_number(value: str) -> bool:
    return _is_valid(normalise_nhs_number, value)


def is_valid_upn(value: str) -> bool:
    return _is_valid(normalise_upn, value)


def is_valid_postcode(value: str) -> bool:
    return _is_valid(normalise_postcode, value)


def is_valid_uprn(value: str | int) -> bool:
    return _is_valid(normalise_uprn, value)


def is_valid_nino(value: str) -> bool:
    return _is_valid(normalise_nino, value)


# Validators are plain module-level functions, not built by a factory, so that migrations can
# serialise them by name.


def _validate(normalise: Callable[[_T], str], value: _T) -> None:
    try:
        normalise(value)
    except IdentifierError as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def validate_nhs_number(value: str) -> None:
    _validate(normalise_nhs_number, value)


def validate_upn(value: str) -> None:
    _validate(normalise_upn, value)


def validate_postcode(value: str) -> None:
    _validate(normalise_postcode, value)


def validate_uprn(value: str | int) -> None:
    _validate(normalise_uprn, value)


def validate_nino(value: str) -> None:
    _validate(normalise_nino, value)
