"""Redaction of a disclosure package's text: pure functions, no database.

Two rules (issue 5, section 3):

- **Third parties are excluded by default.** Every family member who is not positively
  included in the package is shown by their role in the family: each occurrence of their
  full name, first name, known-as name (and their last name, when no included person shares
  it) becomes ``[sibling]``, ``[parent or carer]``, ``[child 2]`` and so on. Matching is
  case-insensitive and on whole words only. Professionals' names are not touched.
- **Confidential addresses never appear.** The package never prints an address at all, and
  any line or postcode of a family member's confidential address met in free text becomes
  ``[address withheld]`` (a postcode with or without its space; a first line also without
  its house number).

Over-redaction is the safe failure: an included person who shares a first name with an
excluded one is redacted too.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ADDRESS_WITHHELD = "[address withheld]"

# FamilyMembership.role -> how an excluded person is shown.
ROLE_LABELS: dict[str, str] = {
    "child": "child",
    "parent_or_carer": "parent or carer",
    "sibling": "sibling",
    "other_household_member": "other household member",
    "significant_other": "significant other",
}
DEFAULT_LABEL = "family member"

_EDGE = re.compile(r"^\W+|\W+$")
_HOUSE_NUMBER = re.compile(r"^\s*(?:flat\s+\w+,?\s*)?\d+[a-z]?\s*,?\s+(?=\S)", re.IGNORECASE)


@dataclass(frozen=True)
class ExcludedPerson:
    """A family member whose information does not go: their names and their role."""

    first_name: str
    last_name: str = ""
    known_as: str = ""
    role: str = ""


@dataclass(frozen=True)
class WithheldAddress:
    line1: str = ""
    line2: str = ""
    postcode: str = ""


def role_labels(roles: Sequence[str]) -> list[str]:
    """Bracketed labels for people with these roles, in order, numbered where shared.

    ``["child", "sibling", "child"]`` gives ``["[child 1]", "[sibling]", "[child 2]"]``.
    """
    words = [ROLE_LABELS.get(role, DEFAULT_LABEL) for role in roles]
    counts = Counter(words)
    seen: Counter[str] = Counter()
    labels = []
    for word in words:
        if counts[word] > 1:
            seen[word] += 1
            labels.append(f"[{word} {seen[word]}]")
        else:
            labels.append(f"[{word}]")
    return labels


def _clean_term(term: str) -> str:
    """Trim whitespace and punctuation at the ends, so every term starts and ends with a
    word character (whole-word matching then cannot be defeated at the edges)."""
    return _EDGE.sub("", term.strip())


def _word_pattern(term: str) -> str:
    """A whole-word, whitespace-tolerant pattern for ``term`` (already cleaned)."""
    parts = [re.escape(part) for part in term.split()]
    return r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)"


def _postcode_pattern(postcode: str) -> str | None:
    compact = re.sub(r"\s+", "", postcode)
    if len(compact) < 5 or not compact.isalnum():
        return None
    outward, inward = compact[:-3], compact[-3:]
    return r"(?<!\w)" + re.escape(outward) + r"\s*" + re.escape(inward) + r"(?!\w)"


@dataclass(frozen=True)
class Redactor:
    """Compiled replacements; apply with :meth:`redact`."""

    names: re.Pattern[str] | None
    # The label for each numbered group of ``names`` (group 1 is index 0).
    group_labels: tuple[str, ...]
    addresses: re.Pattern[str] | None

    def redact(self, text: str) -> str:
        if not text:
            return text
        if self.addresses is not None:
            text = self.addresses.sub(ADDRESS_WITHHELD, text)
        if self.names is not None:
            labels = self.group_labels
            text = self.names.sub(lambda m: labels[(m.lastindex or 1) - 1], text)
        return text

    def redact_all(self, texts: Iterable[str]) -> list[str]:
        return [self.redact(text) for text in texts]


def _key(matched: str) -> str:
    return " ".join(matched.casefold().split())


def _name_terms(person: ExcludedPerson, shared_last_names: set[str]) -> list[str]:
    first, last, known = (
        _clean_term(value) for value in (person.first_name, person.last_name, person.known_as)
    )
    terms = []
    if first and last:
        terms.append(f"{first} {last}")
    if known and last:
        terms.append(f"{known} {last}")
    terms.extend(t for t in (first, known) if t)
    if last and _key(last) not in shared_last_names:
        terms.append(last)
    return terms


def build_redactor(
    excluded: Sequence[ExcludedPerson],
    *,
    included_last_names: Iterable[str] = (),
    addresses: Sequence[WithheldAddress] = (),
) -> Redactor:
    """The redactor for a package: ``excluded`` in a stable order (it fixes the numbering)."""
    shared = {_key(_clean_term(name)) for name in included_last_names if _clean_term(name)}
    labels = role_labels([person.role for person in excluded])
    name_labels: dict[str, str] = {}
    for person, label in zip(excluded, labels, strict=True):
        for term in _name_terms(person, shared):
            name_labels.setdefault(_key(term), label)
    names = None
    if name_labels:
        # Longest first, so a full name is replaced as a whole before its first name.
        ordered = sorted(name_labels, key=len, reverse=True)
        names = re.compile("|".join(f"({_word_pattern(t)})" for t in ordered), re.IGNORECASE)
        group_labels = tuple(name_labels[t] for t in ordered)
    else:
        group_labels = ()

    patterns: list[str] = []
    for address in addresses:
        for line in (address.line1, address.line2):
            cleaned = _clean_term(line)
            if cleaned:
                patterns.append(_word_pattern(cleaned))
                street = _clean_term(_HOUSE_NUMBER.sub("", cleaned))
                if street and street != cleaned and len(street) >= 4:
                    patterns.append(_word_pattern(street))
        postcode = _postcode_pattern(address.postcode)
        if postcode:
            patterns.append(postcode)
    address_pattern = None
    if patterns:
        ordered_patterns = sorted(set(patterns), key=len, reverse=True)
        address_pattern = re.compile("|".join(ordered_patterns), re.IGNORECASE)
    return Redactor(names=names, group_labels=group_labels, addresses=address_pattern)
