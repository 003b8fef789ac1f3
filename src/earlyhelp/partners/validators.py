"""Format checks for the identifiers organisations carry: a school's URN, an NHS ODS code.

Format only: a value that passes is well formed, not known to exist in GIAS or the ODS.
"""

from __future__ import annotations

import re

from earlyhelp.partners.models import OrganisationKind

URN_MESSAGE = "Enter the school's URN: 6 digits, for example 100000"
GP_ODS_MESSAGE = "Enter the GP practice's ODS code: a letter then 5 digits, for example A81001"
ODS_MESSAGE = "Enter an ODS code of 3 to 10 letters and digits, for example RX1"

_URN = re.compile(r"^[0-9]{6}$")
_GP_ODS = re.compile(r"^[A-Z][0-9]{5}$")
_ODS = re.compile(r"^[A-Z0-9]{3,10}$")

# Kinds that GIAS lists with a URN (schools, and maintained nursery schools among early years).
KINDS_WITH_URN = frozenset({OrganisationKind.SCHOOL, OrganisationKind.EARLY_YEARS})


def compact(value: str) -> str:
    """Spaces removed and upper case; only ASCII can pass the patterns afterwards."""
    return re.sub(r"\s+", "", value).upper()


def is_valid_urn(value: str) -> bool:
    return value.isascii() and bool(_URN.match(compact(value)))


def is_valid_gp_ods_code(value: str) -> bool:
    return value.isascii() and bool(_GP_ODS.match(compact(value)))


def is_valid_ods_code(value: str) -> bool:
    return value.isascii() and bool(_ODS.match(compact(value)))
