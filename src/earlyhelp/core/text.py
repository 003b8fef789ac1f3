"""Text normalisation for matching names: accent-, case- and spacing-insensitive."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NOT_NAME = re.compile(r"[^\w\s'-]", re.UNICODE)


def fold(text: str) -> str:
    """Strip accents, case-fold and collapse white space: ``"Zoë  O'Brien"`` -> ``"zoe o'brien"``.

    Decomposition (NFKD) separates base letters from combining marks, which we drop; letters
    that have no decomposition (``ø``, ``ł``) are kept as they are, so they still match
    themselves.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Typographic apostrophes (U+2019) match typed ones.
    cleaned = _NOT_NAME.sub(" ", stripped.casefold().replace("\u2019", "'"))
    return _SPACES.sub(" ", cleaned).strip()


def search_tokens(text: str) -> list[str]:
    return [token for token in fold(text).split(" ") if token]
