"""The content of a disclosure package, redacted: one structure for the preview and the PDF.

``build_content`` reads the selected items and turns every piece of text into a redacted
string before any template sees it, so the preview page and the PDF show exactly the same
thing. Addresses are never read into it. People are named only if included; anyone else
is their role (``redaction``). Attachments are listed; they go as they are.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from earlyhelp.assessments.models import Assessment, AssessmentNeed
from earlyhelp.casework.models import Contact, ContactAttachment, ContactVoice
from earlyhelp.core import codelists
from earlyhelp.core.formatting import date_uk
from earlyhelp.people.models import Address, FamilyMembership, Person
from earlyhelp.plans.models import PlanAction, PlanVersion, TafMember
from earlyhelp.sharing.models import DisclosurePackage
from earlyhelp.sharing.packages import items as item_types
from earlyhelp.sharing.packages.items import ItemRef, ItemType, refs_of
from earlyhelp.sharing.packages.redaction import (
    ExcludedPerson,
    Redactor,
    WithheldAddress,
    build_redactor,
    role_labels,
)

# Kept with the templates (packaged with them); read whole into WeasyPrint, never fetched.
PDF_CSS = Path(__file__).resolve().parent.parent / "templates" / "sharing" / "packages" / "pdf.css"


@dataclass(frozen=True)
class Field:
    label: str
    value: str


@dataclass(frozen=True)
class Block:
    heading: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class PackageFile:
    archive_name: str  # its name inside the zip: generic, never the uploaded name
    description: str
    kind: str
    size: int
    is_image: bool
    stored_name: str  # where it is kept (core.files); never shown


@dataclass(frozen=True)
class PackageContent:
    family_reference: str
    recipient: str
    recipient_contact: str
    purpose: str
    prepared_by: str
    prepared_on: date
    included: tuple[str, ...]
    excluded_labels: tuple[str, ...]
    sections: tuple[Section, ...]
    files: tuple[PackageFile, ...]


class Namer:
    """Names included people; shows everyone else by their (bracketed) role."""

    def __init__(self, included: set[UUID], labels: dict[UUID, str]) -> None:
        self.included = included
        self.labels = labels

    def __call__(self, person: Person | None) -> str:
        if person is None:
            return ""
        if person.pk in self.included:
            return person.full_name
        return self.labels.get(person.pk, "[family member]")

    def many(self, people: Any) -> str:
        return ", ".join(self(p) for p in people)


@dataclass(frozen=True)
class Redaction:
    redactor: Redactor
    namer: Namer
    included_names: tuple[str, ...]
    excluded_labels: tuple[str, ...]


def redaction_for(package: DisclosurePackage) -> Redaction:
    """The redactor and namer of a package's family and included people."""
    included = set(package.included_people.values_list("id", flat=True))
    memberships = list(
        FamilyMembership.objects.filter(family_id=package.family_id)
        .select_related("person")
        .order_by("role", "person__date_of_birth", "person__created_at", "person_id")
    )
    excluded = [m for m in memberships if m.person_id not in included]
    labels = role_labels([m.role for m in excluded])
    addresses = Address.objects.filter(
        person_id__in=[m.person_id for m in memberships], confidential=True
    )
    redactor = build_redactor(
        [
            ExcludedPerson(
                first_name=m.person.first_name,
                last_name=m.person.last_name,
                known_as=m.person.known_as,
                role=m.role,
            )
            for m in excluded
        ],
        included_last_names=[m.person.last_name for m in memberships if m.person_id in included],
        addresses=[WithheldAddress(a.line1, a.line2, a.postcode) for a in addresses],
    )
    namer = Namer(included, {m.person_id: label for m, label in zip(excluded, labels, strict=True)})
    included_names = tuple(m.person.full_name for m in memberships if m.person_id in included)
    return Redaction(redactor, namer, included_names, tuple(labels))


def _fields(redact: Redactor, *pairs: tuple[str, str]) -> tuple[Field, ...]:
    return tuple(Field(label, redact.redact(value)) for label, value in pairs if value)


def _plan_section(version: PlanVersion, r: Redaction) -> Section:
    red, name = r.redactor, r.namer
    headlines = codelists.labels("referral_reasons")
    blocks: list[Block] = []
    for number, outcome in enumerate(version.outcomes.all(), start=1):
        blocks.append(
            Block(
                f"Outcome {number}: {headlines.get(outcome.headline_code, outcome.headline_code)}",
                (
                    *_fields(red, ("Outcome the family wants", outcome.description)),
                    *_fields(red, ("How we will know", outcome.measure)),
                    Field("About", name.many(outcome.people.all()) or "The whole family"),
                ),
            )
        )
    actions: list[PlanAction] = list(version.actions.all())
    for action in actions:
        if action.owner_person is not None:
            owner = name(action.owner_person)
        elif action.owner_contact is not None:
            owner = f"{action.owner_contact.name}, {action.owner_contact.organisation.name}"
        else:
            owner = ""
        blocks.append(
            Block(
                "Action",
                (
                    *_fields(red, ("What", action.what)),
                    Field("Who", red.redact(owner)),
                    Field("By when", date_uk(action.due_on)),
                    Field("Status", action.get_status_display()),
                ),
            )
        )
    members: list[TafMember] = list(version.members.all())
    taf = []
    for member in members:
        if member.person is not None:
            who = name(member.person)
        elif member.contact is not None:
            who = f"{member.contact.name}, {member.contact.organisation.name}"
        else:
            continue
        role = f" ({member.role_in_plan})" if member.role_in_plan else ""
        taf.append(red.redact(who + role))
    return Section(
        item_types.plan_version_label(version),
        (
            Field("Next review due", date_uk(version.plan.next_review_due)),
            *([Field("Team Around the Family", "\n".join(taf))] if taf else []),
        ),
        tuple(blocks),
    )


def _assessment_section(assessment: Assessment, r: Redaction) -> Section:
    red, name = r.redactor, r.namer
    needs: list[AssessmentNeed] = list(assessment.needs.all())
    blocks = tuple(
        Block(
            f"{need.headline.label}: {name(need.person)}",
            (
                Field("Severity", need.get_severity_display()),
                *_fields(red, ("Evidence", need.evidence)),
            ),
        )
        for need in needs
    )
    return Section(
        item_types.assessment_label(assessment),
        (
            *_fields(red, ("Completed by", assessment.organisation)),
            *(
                [Field("Completed on", date_uk(assessment.completed_on))]
                if assessment.completed_on
                else []
            ),
            *_fields(
                red,
                ("Strengths", assessment.strengths),
                ("The child's views", assessment.child_views),
                ("The parents' or carers' views", assessment.parent_views),
                ("Analysis", assessment.analysis),
                ("Conclusion", assessment.conclusion),
            ),
            *(
                [Field("Needs", "No needs identified")]
                if assessment.no_needs_identified and not needs
                else []
            ),
        ),
        blocks,
    )


def _contact_section(contact: Contact, r: Redaction, files: list[PackageFile]) -> Section:
    red, name = r.redactor, r.namer
    professionals = [
        ", ".join(part for part in (p.get("name"), p.get("role"), p.get("organisation")) if part)
        for p in contact.professionals or []
    ]
    voices: list[ContactVoice] = list(contact.voices.all())
    blocks = tuple(
        Block(
            f"{voice.get_kind_display()}: {name(voice.person)}",
            (
                *_fields(red, ("In their words" if voice.kind == "child" else "Views", voice.text)),
                Field("Recorded", voice.get_recorded_as_display()),
            ),
        )
        for voice in voices
    )
    return Section(
        item_types.contact_label(contact),
        (
            Field("About", name.many(contact.subjects.all()) or "The family"),
            *_fields(red, ("Family members present", name.many(contact.present_members.all()))),
            *_fields(red, ("Professionals present", "\n".join(professionals))),
            Field("Recorded by", contact.recorded_by.display_name),
            *_fields(red, ("Case note", contact.note)),
            *(
                [Field("Files sent with this note", "\n".join(f.archive_name for f in files))]
                if files
                else []
            ),
        ),
        blocks,
    )


def _extension(attachment: ContactAttachment) -> str:
    guessed = mimetypes.guess_extension(attachment.content_type) or ""
    return ".jpg" if guessed in {".jpe", ".jpeg"} else guessed


def _load(refs: list[ItemRef]) -> dict[ItemType, dict[UUID, Any]]:
    ids: dict[ItemType, list[UUID]] = {t: [] for t in ItemType}
    for ref in refs:
        ids[ref.type].append(ref.id)
    versions = (
        PlanVersion.objects.filter(pk__in=ids[ItemType.PLAN_VERSION])
        .select_related("plan")
        .prefetch_related(
            "outcomes__people",
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related(
                    "owner_person", "owner_contact__organisation"
                ).order_by("due_on", "id"),
            ),
            Prefetch(
                "members",
                queryset=TafMember.objects.select_related(
                    "person", "contact__organisation"
                ).order_by("id"),
            ),
        )
    )
    assessments = Assessment.objects.filter(pk__in=ids[ItemType.ASSESSMENT]).prefetch_related(
        Prefetch("needs", queryset=AssessmentNeed.objects.select_related("person", "headline"))
    )
    contacts = (
        Contact.objects.filter(pk__in=ids[ItemType.CONTACT])
        .select_related("recorded_by")
        .prefetch_related(
            "subjects",
            "present_members",
            Prefetch("voices", queryset=ContactVoice.objects.select_related("person")),
        )
    )
    attachments = ContactAttachment.objects.filter(pk__in=ids[ItemType.ATTACHMENT]).select_related(
        "contact"
    )
    return {
        ItemType.PLAN_VERSION: {v.pk: v for v in versions},
        ItemType.ASSESSMENT: {a.pk: a for a in assessments},
        ItemType.CONTACT: {c.pk: c for c in contacts},
        ItemType.ATTACHMENT: {a.pk: a for a in attachments},
    }


def build_content(package: DisclosurePackage, r: Redaction | None = None) -> PackageContent:
    """The package's content as it will go, with every text redacted."""
    r = r or redaction_for(package)
    refs = refs_of(package.items)
    loaded = _load(refs)
    files: list[PackageFile] = []
    files_of: dict[UUID, list[PackageFile]] = {}
    attachment_refs = [ref for ref in refs if ref.type is ItemType.ATTACHMENT]
    for number, ref in enumerate(attachment_refs, start=1):
        attachment = loaded[ItemType.ATTACHMENT].get(ref.id)
        if attachment is None:
            continue
        kind = "Photograph" if attachment.is_photo else "Document"
        file = PackageFile(
            archive_name=f"attachments/attachment-{number:02d}{_extension(attachment)}",
            description=(f"{kind} on the case note of {date_uk(attachment.contact.occurred_at)}"),
            kind=attachment.content_type,
            size=attachment.size,
            is_image=attachment.is_photo,
            stored_name=attachment.stored_name,
        )
        files.append(file)
        files_of.setdefault(attachment.contact_id, []).append(file)

    sections: list[Section] = []
    for ref in refs:
        obj = loaded[ref.type].get(ref.id)
        if obj is None:
            continue
        if ref.type is ItemType.PLAN_VERSION:
            sections.append(_plan_section(obj, r))
        elif ref.type is ItemType.ASSESSMENT:
            sections.append(_assessment_section(obj, r))
        elif ref.type is ItemType.CONTACT:
            sections.append(_contact_section(obj, r, files_of.get(obj.pk, [])))
    contact = package.recipient_contact
    return PackageContent(
        family_reference=package.family.reference,
        recipient=package.recipient_organisation.name,
        recipient_contact=(
            ", ".join(part for part in (contact.name, contact.job_title) if part) if contact else ""
        ),
        purpose=r.redactor.redact(package.purpose),
        prepared_by=package.created_by.display_name,
        prepared_on=timezone.localdate(),
        included=r.included_names,
        excluded_labels=r.excluded_labels,
        sections=tuple(sections),
        files=tuple(files),
    )


def render_pdf(content: PackageContent) -> bytes:
    """The package as a PDF from our own template and stylesheet; nothing is fetched."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("the package PDF does not load external resources")

    html = render_to_string("sharing/packages/pdf.html", {"content": content})
    fetcher = NoFetching()
    stylesheet = CSS(string=PDF_CSS.read_text(encoding="utf-8"), url_fetcher=fetcher)
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet])
    assert pdf is not None
    return bytes(pdf)
