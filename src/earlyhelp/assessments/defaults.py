"""The headline needs a new installation starts with, and their default descriptors.

Labels come from ``core/data/code-lists.json`` (the same list the referral reasons use, so the
codes match). The descriptors are short paraphrases of the public Supporting Families outcome
framework: a starting point that each council replaces with its local outcome plan's wording.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.text import slugify

CODE_LISTS = Path(__file__).resolve().parent.parent / "core" / "data" / "code-lists.json"

DEFAULT_DESCRIPTORS: dict[str, str] = {
    "getting_a_good_education": (
        "A child is persistently or severely absent from school, has been suspended or "
        "excluded, is in alternative provision, or has special educational needs that are "
        "not being met; or a young person is not in education, employment or training."
    ),
    "good_early_years_development": (
        "A child under 5 is not reaching expected development, is not taking up early "
        "education or health checks, or the parents need support with early parenting."
    ),
    "improved_mental_and_physical_health": (
        "An adult or child has a mental or physical health need, or a disability, that "
        "affects family life and is not being met."
    ),
    "promoting_recovery_and_reducing_harm_from_substance_use": (
        "An adult or child misuses drugs or alcohol, or is harmed by someone else's use, in "
        "a way that affects the family."
    ),
    "improved_family_relationships": (
        "Relationships in the family are harmful or under strain: parental conflict, "
        "child-to-parent violence, a young carer's role, or a risk of family breakdown."
    ),
    "children_safe_from_abuse_and_exploitation": (
        "A child is at risk of, or is experiencing, abuse, neglect or exploitation "
        "(criminal or sexual), or goes missing from home."
    ),
    "crime_prevention_and_tackling_crime": (
        "An adult or child is involved in crime or anti-social behaviour, or is at risk "
        "of becoming involved."
    ),
    "safe_from_domestic_abuse": (
        "A family member is experiencing or using domestic abuse, or a child is affected by it."
    ),
    "secure_housing": (
        "The family is homeless or at risk of homelessness, or lives in unsuitable, unsafe "
        "or overcrowded housing."
    ),
    "financial_stability": (
        "The family has problem debt or cannot afford essentials, or an adult is out of "
        "work or at risk of losing work."
    ),
}


def headline_code(label: str) -> str:
    """The code the referrals app gives the same headline as a referral reason."""
    return slugify(label).replace("-", "_")


def default_headlines(path: Path = CODE_LISTS) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for position, label in enumerate(data["supporting_families_headlines"]):
        code = headline_code(label)
        rows.append(
            {
                "code": code,
                "label": label,
                "descriptor": DEFAULT_DESCRIPTORS.get(code, ""),
                "position": position,
            }
        )
    return rows
