"""What a disclosure package can hold: the item types, their sharing scopes, and the
family's items to choose from (read for a caller that passed the family gatekeeper).

Scopes come from the item types alone (a plan version is the plan; an assessment is
assessments; a case note and its attachments are case notes). Free text is not inspected
for health or education content: an agreement that should cover those is recorded with the
scope of the item that carries them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.db.models import Max

from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.models import Contact, ContactAttachment
from earlyhelp.core.formatting import date_uk
from earlyhelp.people.models import Family
from earlyhelp.plans.models import PlanVersion
from earlyhelp.sharing.models import Scope


class ItemType(StrEnum):
    PLAN_VERSION = "plan_version"
    ASSESSMENT = "assessment"
    CONTACT = "contact"
    ATTACHMENT = "attachment"


SCOPE_OF: dict[ItemType, Scope] = {
    ItemType.PLAN_VERSION: Scope.PLAN,
    ItemType.ASSESSMENT: Scope.ASSESSMENTS,
    ItemType.CONTACT: Scope.CASE_NOTES,
    ItemType.ATTACHMENT: Scope.CASE_NOTES,
}

ITEM_ORDER = [ItemType.PLAN_VERSION, ItemType.ASSESSMENT, ItemType.CONTACT, ItemType.ATTACHMENT]


@dataclass(frozen=True)
class ItemRef:
    type: ItemType
    id: UUID

    def as_json(self) -> dict[str, str]:
        return {"type": self.type.value, "id": str(self.id)}

    @property
    def key(self) -> str:
        """The value of this item's checkbox: ``type:id``."""
        return f"{self.type.value}:{self.id}"


def refs_of(items: list[dict[str, Any]]) -> list[ItemRef]:
    """The stored ``items`` JSON as references (stored items were validated on creation)."""
    return [ItemRef(ItemType(item["type"]), UUID(str(item["id"]))) for item in items]


def scopes_for(refs: list[ItemRef]) -> list[str]:
    """The sharing scopes these items need, in a fixed order."""
    wanted = {SCOPE_OF[ref.type] for ref in refs}
    return [scope.value for scope in Scope if scope in wanted]


@dataclass(frozen=True)
class Choice:
    ref: ItemRef
    label: str  # describes the item without quoting its text
    hint: str = ""


def plan_version_label(version: PlanVersion) -> str:
    return f"Family plan, version {version.number} (agreed {date_uk(version.created_at)})"


def assessment_label(assessment: Assessment) -> str:
    status = assessment.get_status_display().lower()
    return f"Early Help assessment started {date_uk(assessment.started_on)} ({status})"


def contact_label(contact: Contact) -> str:
    return f"{contact.get_contact_type_display()} on {date_uk(contact.occurred_at)}"


def attachment_label(attachment: ContactAttachment, number: int) -> str:
    kind = "Photograph" if attachment.is_photo else "Document"
    return f"{kind} {number} on the case note of {date_uk(attachment.contact.occurred_at)}"


def current_plan_versions(family: Family) -> list[PlanVersion]:
    """The current (latest) version of each of the family's plans, newest plan first."""
    latest = (
        PlanVersion.objects.filter(plan__family=family)
        .values("plan_id")
        .annotate(top=Max("number"))
        .values_list("plan_id", "top")
    )
    wanted = dict(latest)
    versions = PlanVersion.objects.filter(plan__family=family).select_related("plan")
    return sorted(
        (v for v in versions if wanted.get(v.plan_id) == v.number),
        key=lambda v: v.plan.created_at,
        reverse=True,
    )


def family_choices(family: Family) -> dict[ItemType, list[Choice]]:
    """Everything of this family that can go in a package, by type, described safely."""
    choices: dict[ItemType, list[Choice]] = {t: [] for t in ITEM_ORDER}
    for version in current_plan_versions(family):
        choices[ItemType.PLAN_VERSION].append(
            Choice(ItemRef(ItemType.PLAN_VERSION, version.pk), plan_version_label(version))
        )
    for assessment in Assessment.objects.filter(family=family).order_by("-started_on"):
        choices[ItemType.ASSESSMENT].append(
            Choice(ItemRef(ItemType.ASSESSMENT, assessment.pk), assessment_label(assessment))
        )
    contacts = list(
        Contact.objects.filter(family=family, deleted_at__isnull=True)
        .prefetch_related("attachments")
        .order_by("-occurred_at", "-pk")
    )
    for contact in contacts:
        choices[ItemType.CONTACT].append(
            Choice(ItemRef(ItemType.CONTACT, contact.pk), contact_label(contact))
        )
        for number, attachment in enumerate(contact.attachments.all(), start=1):
            choices[ItemType.ATTACHMENT].append(
                Choice(
                    ItemRef(ItemType.ATTACHMENT, attachment.pk),
                    attachment_label(attachment, number),
                    "Goes only with its case note selected, exactly as it is: its contents "
                    "cannot be redacted.",
                )
            )
    return choices
