"""Reads of contacts: behind the family gatekeeper, audited, with their earlier versions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.apps import apps
from django.db.models import Prefetch, QuerySet

from earlyhelp.accounts.models import User
from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework.models import (
    Contact,
    ContactAttachment,
    ContactVoice,
    Episode,
    VoiceKind,
)
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family, FamilyMembership, Person


def members_of(family: Family) -> list[FamilyMembership]:
    """The members of a family the caller reached through the gatekeeper (which audited it)."""
    return list(
        family.memberships.select_related("person").order_by("role", "person__date_of_birth")
    )


def open_episode(family: Family) -> Episode | None:
    return Episode.objects.filter(family=family, closed_at__isnull=True).first()


def _subjects() -> Prefetch:
    return Prefetch("subjects", queryset=Person.objects.order_by("date_of_birth", "first_name"))


def _everything() -> list[Prefetch | str]:
    return [
        _subjects(),
        Prefetch("present_members", queryset=Person.objects.order_by("date_of_birth")),
        Prefetch("voices", queryset=ContactVoice.objects.select_related("person")),
        "attachments",
    ]


def family_contacts(
    family: Family, *, person_id: UUID | None = None, detailed: bool = False
) -> QuerySet[Contact]:
    """A family's contacts, newest first, for a caller that reached ``family`` through the
    gatekeeper. Names are shown in lists, so the caller audits the page it renders.
    ``detailed`` also prefetches who was present, the voices and the attachments."""
    contacts = Contact.objects.filter(family=family)
    if person_id is not None:
        contacts = contacts.filter(subjects=person_id)
    prefetch = _everything() if detailed else [_subjects()]
    return (
        contacts.select_related("recorded_by", "corrected_by", "deleted_by")
        .prefetch_related(*prefetch)
        .order_by("-occurred_at", "-pk")
    )


def list_contacts(
    user: AnyUser,
    family_id: UUID | str,
    *,
    person_id: UUID | None = None,
    detailed: bool = False,
) -> tuple[Family, QuerySet[Contact]]:
    """The family (through the gatekeeper) and its contacts; audit the page with
    ``audit.services.record_list_view(user, "contact", count)``."""
    family = get_family_for_user(user, family_id, purpose="contacts")
    return family, family_contacts(family, person_id=person_id, detailed=detailed)


def get_contact_for_user(
    user: AnyUser, family_id: UUID | str, contact_id: UUID | str, *, purpose: str = ""
) -> Contact:
    """One of a visible family's contacts, with everything its page shows; NotFound otherwise."""
    family = get_family_for_user(user, family_id, purpose=purpose)
    contact = (
        Contact.objects.filter(family=family, pk=parse_id(contact_id))
        .select_related("family", "episode", "recorded_by", "corrected_by", "deleted_by")
        .prefetch_related(*_everything())
        .first()
    )
    if contact is None:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="contact",
        object_id=contact.pk,
        purpose=purpose,
    )
    return contact


def get_attachment_for_user(
    user: AnyUser, family_id: UUID | str, contact_id: UUID | str, attachment_id: UUID | str
) -> ContactAttachment:
    contact = get_contact_for_user(user, family_id, contact_id, purpose="attachment")
    attachment = ContactAttachment.objects.filter(
        contact=contact, pk=parse_id(attachment_id)
    ).first()
    if attachment is None:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.DOWNLOAD,
        object_type="contact_attachment",
        object_id=attachment.pk,
    )
    return attachment


@dataclass(frozen=True)
class VoiceVersion:
    person_id: UUID
    person_name: str
    kind: str
    text: str
    recorded_as: str


@dataclass(frozen=True)
class ContactVersion:
    """A note as it stood after one save: recorded, or corrected (with the reason)."""

    number: int
    saved_at: datetime
    saved_by: User | None
    reason: str
    is_correction: bool
    contact_type: str
    occurred_at: datetime
    note: str
    professionals: list[dict[str, str]]
    subjects: list[str]
    present: list[str]
    voices: list[VoiceVersion]

    @property
    def child_words(self) -> list[VoiceVersion]:
        return [v for v in self.voices if v.kind == VoiceKind.CHILD]

    @property
    def parent_views(self) -> list[VoiceVersion]:
        return [v for v in self.voices if v.kind == VoiceKind.PARENT_CARER]


def _m2m_rows(model_name: str, version_ids: list[Any]) -> dict[Any, list[Any]]:
    model = apps.get_model("casework", model_name)
    rows: dict[Any, list[Any]] = defaultdict(list)
    for row in model.objects.filter(history_id__in=version_ids).order_by("m2m_history_id"):
        rows[row.history_id].append(row)
    return rows


def earlier_versions(contact: Contact) -> list[ContactVersion]:
    """The versions before the current one, oldest first, for a contact already read through
    ``get_contact_for_user`` (which audited the read). A deleted note shows none: deleting
    emptied its earlier versions too (``services.delete_contact``)."""
    if contact.is_deleted:
        return []
    history = list(
        contact.history.select_related("history_user").order_by("history_date", "history_id")
    )
    if len(history) < 2:
        return []
    earlier = history[:-1]
    ids = [row.history_id for row in earlier]
    subjects = _m2m_rows("HistoricalContactSubject", ids)
    present = _m2m_rows("HistoricalContactPresence", ids)
    voices = _m2m_rows("HistoricalContactVoice", ids)
    person_ids = {
        row.person_id
        for table in (subjects, present, voices)
        for rows in table.values()
        for row in rows
    }
    names = {p.pk: p.full_name for p in Person.objects.filter(pk__in=person_ids)}

    def name(person_id: UUID) -> str:
        return names.get(person_id, "A person no longer on record")

    return [
        ContactVersion(
            number=index,
            saved_at=row.history_date,
            saved_by=row.history_user,
            reason=row.history_change_reason or "",
            is_correction=index > 1,
            contact_type=row.contact_type,
            occurred_at=row.occurred_at,
            note=row.note,
            professionals=list(row.professionals or []),
            subjects=[name(r.person_id) for r in subjects[row.history_id]],
            present=[name(r.person_id) for r in present[row.history_id]],
            voices=[
                VoiceVersion(
                    person_id=r.person_id,
                    person_name=name(r.person_id),
                    kind=r.kind,
                    text=r.text,
                    recorded_as=r.recorded_as,
                )
                for r in voices[row.history_id]
            ],
        )
        for index, row in enumerate(earlier, start=1)
    ]
