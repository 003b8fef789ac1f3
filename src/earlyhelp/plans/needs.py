"""The headline needs a plan's outcomes are tied to, and the outcomes a new plan suggests.

Headline codes and labels come from the code list the referral reasons also use (the ten
Supporting Families headlines, the same slugs as the assessments' headlines); the outcomes a
new plan suggests come from the family's latest authorised assessment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from earlyhelp.assessments.services import assessed_needs
from earlyhelp.core import codelists
from earlyhelp.people.models import Family

HEADLINE_LIST = "referral_reasons"


def headline_choices() -> list[tuple[str, str]]:
    return codelists.choices(HEADLINE_LIST)


def headline_labels() -> dict[str, str]:
    return codelists.labels(HEADLINE_LIST)


def check_headline(code: str, *, field: str) -> str:
    return codelists.validate_code(HEADLINE_LIST, code, field=field)


@dataclass
class SuggestedOutcome:
    headline_code: str
    headline_label: str
    person_ids: list[UUID] = field(default_factory=list)


def suggested_outcomes(family: Family) -> list[SuggestedOutcome]:
    """One suggested outcome per assessed headline need, about the people assessed with it.

    The caller has passed the family gatekeeper (which audited the read).
    """
    labels = headline_labels()
    suggestions: dict[str, SuggestedOutcome] = {}
    for need in assessed_needs(family):
        suggestion = suggestions.setdefault(
            need.headline_code,
            SuggestedOutcome(
                headline_code=need.headline_code,
                headline_label=labels.get(need.headline_code, need.headline_label),
            ),
        )
        if need.person_id not in suggestion.person_ids:
            suggestion.person_ids.append(need.person_id)
    return list(suggestions.values())
