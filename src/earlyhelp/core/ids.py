"""Opaque identifiers: public references and parsing ids that arrive from URLs or the API."""

from __future__ import annotations

import secrets
from uuid import UUID

from earlyhelp.core.errors import NotFound

# No 0/O, 1/I/L: references are read out over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def opaque_reference(prefix: str, length: int) -> str:
    """A random reference such as ``EH-7K2Q9M``: carries no meaning, safe in URLs and logs."""
    return prefix + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(length))


def parse_id(value: UUID | str) -> UUID:
    """A record id from outside; a malformed one is simply "not found", like any unknown id."""
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise NotFound() from None
