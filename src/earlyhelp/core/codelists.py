"""Reading reference code lists, and loading them from the packaged JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from earlyhelp.core.errors import InvalidInput
from earlyhelp.core.models import CodeEntry

DATA_FILE = Path(__file__).resolve().parent / "data" / "code-lists.json"

# Human labels for lists whose JSON gives only codes.
_LABELS: dict[str, dict[str, str]] = {
    "referral_channels": {
        "online_form": "Online form",
        "phone": "Phone",
        "email": "Email",
        "letter": "Letter",
        "face_to_face": "Face to face",
        "other_service": "From another service",
    },
    "referral_sources": {
        "self_or_family": "The family (self-referral)",
        "school": "School",
        "early_years_setting": "Early years setting",
        "health_visitor": "Health visitor",
        "gp_or_health": "GP or other health service",
        "police": "Police",
        "housing": "Housing",
        "childrens_social_care_step_down": "Children's social care (step-down)",
        "voluntary_sector": "Voluntary or community organisation",
        "other_council_service": "Another council service",
        "other": "Other",
    },
    "closure_reasons": {
        "needs_met": "Needs met, outcomes achieved",
        "family_disengaged": "Family disengaged",
        "moved_out_of_area": "Family moved out of area (transferred)",
        "stepped_up_to_social_care": "Stepped up to children's social care",
        "stepped_down_to_universal": "Stepped down to universal services",
        "family_declined_further_support": "Family declined further support",
        "other": "Other",
    },
    "family_roles": {
        "child": "Child",
        "parent_or_carer": "Parent or carer",
        "sibling": "Sibling",
        "other_household_member": "Other household member",
        "significant_other": "Significant other (not in the household)",
    },
}


def entries_from_file(path: Path = DATA_FILE) -> list[dict[str, Any]]:
    """Flatten the JSON into rows; headlines double as referral reasons (slug codes)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for position, (code, label) in enumerate(data["dfe_ethnicity"].items()):
        rows.append({"list_name": "ethnicity", "code": code, "label": label, "position": position})
    for position, headline in enumerate(data["supporting_families_headlines"]):
        code = slugify(headline).replace("-", "_")
        rows.append(
            {"list_name": "referral_reasons", "code": code, "label": headline, "position": position}
        )
    for list_name, labels in _LABELS.items():
        for position, code in enumerate(data[list_name]):
            rows.append(
                {"list_name": list_name, "code": code, "label": labels[code], "position": position}
            )
    return rows


def choices(list_name: str, *, include_retired: bool = False) -> list[tuple[str, str]]:
    entries = CodeEntry.objects.filter(list_name=list_name)
    if not include_retired:
        entries = entries.filter(active=True)
    return list(entries.values_list("code", "label"))


def labels(list_name: str) -> dict[str, str]:
    return dict(choices(list_name, include_retired=True))


def _not_recognised(list_name: str) -> str:
    # Never the caller's value: a wrong field could carry a name or a note (SECURITY.md).
    return f"Not a recognised value: use a code from the {list_name} list."


def validate_code(list_name: str, code: str, *, field: str) -> str:
    if not CodeEntry.objects.filter(list_name=list_name, code=code, active=True).exists():
        raise InvalidInput(_not_recognised(list_name), field=field)
    return code


def validate_codes(list_name: str, codes: list[str], *, field: str) -> list[str]:
    known = set(
        CodeEntry.objects.filter(list_name=list_name, code__in=codes, active=True).values_list(
            "code", flat=True
        )
    )
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidInput(_not_recognised(list_name), field=f"{field}.{index}")
    return codes
