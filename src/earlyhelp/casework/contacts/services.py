"""Writes for contacts and case notes: record, correct (never silently edit), delete.

Every save of a note is one version in its history (django-simple-history), written after
the people, voices and professionals are in place so the version holds them as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any
from uuid import UUID

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.contacts.permissions import (
    can_correct_contact,
    can_delete_contact,
    can_record_contact,
)
from earlyhelp.casework.models import (
    CONTACT_HISTORY,
    Contact,
    ContactAttachment,
    ContactPresence,
    ContactSubject,
    ContactType,
    ContactVoice,
    Episode,
    RecordedAs,
    TimelineKind,
    VoiceKind,
)
from earlyhelp.casework.permissions import can_view_family, visible_families
from earlyhelp.core import files
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.core.text import fold
from earlyhelp.people.models import Family, FamilyMembership, FamilyRole, Person

NOTE_MAX = 50_000
VOICE_MAX = 20_000
REASON_MAX = 2_000
PROFESSIONALS_MAX = 30
FILES_MAX = 20
# A contact typed in the minute it ended should not be refused for a slow clock.
CLOCK_TOLERANCE = timedelta(minutes=5)
CHILD_ROLES = {FamilyRole.CHILD.value, FamilyRole.SIBLING.value}

OTHER_FAMILY_MESSAGE = (
    "The text names someone from another family's record. Check it was not copied from "
    "the wrong family, then confirm to save it anyway."
)
CONFIRM_FIELD = "confirm_other_family_names"
_POSSESSIVE = re.compile(r"'s?(?=\s|$)")


@dataclass
class VoiceInput:
    """One person's words or views: the child's own words, or a parent's or carer's views."""

    person_id: UUID
    text: str
    recorded_as: str = RecordedAs.VERBATIM


@dataclass
class ProfessionalInput:
    name: str
    organisation: str = ""
    role: str = ""


@dataclass
class ContactInput:
    contact_type: str
    occurred_at: datetime
    note: str
    subjects: list[UUID] = field(default_factory=list)
    present_members: list[UUID] = field(default_factory=list)
    professionals: list[ProfessionalInput] = field(default_factory=list)
    child_words: list[VoiceInput] = field(default_factory=list)
    parent_views: list[VoiceInput] = field(default_factory=list)
    next_contact_on: date | None = None


@dataclass(frozen=True)
class _Clean:
    """Validated input: ids resolved to this family's members, text trimmed."""

    contact_type: str
    occurred_at: datetime
    note: str
    subjects: list[UUID]
    present_members: list[UUID]
    professionals: list[dict[str, str]]
    voices: list[tuple[str, VoiceInput]]
    next_contact_on: date | None


def _clean_voices(
    entries: list[VoiceInput], *, kind: VoiceKind, members: dict[UUID, str], path: str
) -> list[tuple[str, VoiceInput]]:
    seen: set[UUID] = set()
    cleaned: list[tuple[str, VoiceInput]] = []
    for index, entry in enumerate(entries):
        where = f"{path}.{index}"
        role = members.get(entry.person_id)
        if role is None:
            raise InvalidInput(
                "Choose someone who is a member of this family.", field=f"{where}.person_id"
            )
        if kind is VoiceKind.CHILD and role not in CHILD_ROLES:
            raise InvalidInput(
                "The child's own words must come from a child in this family.",
                field=f"{where}.person_id",
            )
        if kind is VoiceKind.PARENT_CARER and role in CHILD_ROLES:
            raise InvalidInput(
                "A parent's or carer's views must come from an adult in this family.",
                field=f"{where}.person_id",
            )
        if entry.person_id in seen:
            raise InvalidInput("Record each person's words once.", field=f"{where}.person_id")
        seen.add(entry.person_id)
        text = entry.text.strip()
        if not text:
            raise InvalidInput("Enter what they said, or leave them out.", field=f"{where}.text")
        if len(text) > VOICE_MAX:
            raise InvalidInput(
                f"This must be {VOICE_MAX:,} characters or fewer.", field=f"{where}.text"
            )
        if entry.recorded_as not in RecordedAs.values:
            raise InvalidInput(
                "Say whether this is recorded verbatim or summarised.",
                field=f"{where}.recorded_as",
            )
        cleaned.append((kind.value, VoiceInput(entry.person_id, text, entry.recorded_as)))
    return cleaned


def _clean(*, family: Family, data: ContactInput) -> _Clean:
    """Business rules shared by the pages and the API; names the field of the first problem."""
    if data.contact_type not in ContactType.values:
        raise InvalidInput("Choose the type of contact.", field="contact_type")
    if data.occurred_at > timezone.now() + CLOCK_TOLERANCE:
        raise InvalidInput(
            "The date and time of the contact must be in the past.", field="occurred_at"
        )
    note = data.note.strip()
    if not note:
        raise InvalidInput("Enter your note of the contact.", field="note")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"The note must be {NOTE_MAX:,} characters or fewer.", field="note")
    members = dict(FamilyMembership.objects.filter(family=family).values_list("person_id", "role"))
    voices = _clean_voices(
        data.child_words, kind=VoiceKind.CHILD, members=members, path="child_words"
    ) + _clean_voices(
        data.parent_views, kind=VoiceKind.PARENT_CARER, members=members, path="parent_views"
    )
    if any(person_id not in members for person_id in data.subjects):
        raise InvalidInput(
            "Everyone the note is about must be a member of this family.", field="subjects"
        )
    # Whoever's words are recorded is someone the note is about (subject access finds it).
    subjects = list(dict.fromkeys([*data.subjects, *(v.person_id for _, v in voices)]))
    if not subjects:
        raise InvalidInput("Choose who the note is about.", field="subjects")
    if any(person_id not in members for person_id in data.present_members):
        raise InvalidInput(
            "Everyone present must be a member of this family.", field="present_members"
        )
    if len(data.professionals) > PROFESSIONALS_MAX:
        raise InvalidInput(f"List up to {PROFESSIONALS_MAX} professionals.", field="professionals")
    professionals = []
    for index, professional in enumerate(data.professionals):
        name = professional.name.strip()
        if not name:
            raise InvalidInput(
                "Enter the professional's name.", field=f"professionals.{index}.name"
            )
        professionals.append(
            {
                "name": name[:200],
                "organisation": professional.organisation.strip()[:200],
                "role": professional.role.strip()[:200],
            }
        )
    occurred_on = timezone.localtime(data.occurred_at).date()
    if data.next_contact_on and data.next_contact_on < occurred_on:
        raise InvalidInput(
            "The next contact must be on or after the date of this contact.",
            field="next_contact_on",
        )
    return _Clean(
        contact_type=data.contact_type,
        occurred_at=data.occurred_at,
        note=note,
        subjects=subjects,
        present_members=list(dict.fromkeys(data.present_members)),
        professionals=professionals,
        voices=voices,
        next_contact_on=data.next_contact_on,
    )


def _texts(clean: _Clean) -> list[str]:
    return [clean.note, *(voice.text for _, voice in clean.voices)]


def other_family_names(actor: User, family: Family, texts: Iterable[str]) -> list[str]:
    """Full names in ``texts`` of people in *other* families the actor can see.

    An exact match of first and last name (accent-, case- and spacing-insensitive). A name
    shared with a member of this family is left out: the text most likely means them. The
    names are for the page that asks the author to confirm; they never go into an error
    message, the audit trail or a log.
    """
    # "Zoë Birchwood's" names Zoë Birchwood: drop possessive endings before matching.
    folded = f" {_POSSESSIVE.sub('', fold(' '.join(texts)))} "
    own = {
        fold(f"{first} {last}")
        for first, last in Person.objects.filter(memberships__family=family).values_list(
            "first_name", "last_name"
        )
    }
    others = (
        Person.objects.filter(memberships__family__in=visible_families(actor))
        .exclude(memberships__family=family)
        .values_list("first_name", "last_name")
        .distinct()
    )
    found: dict[str, str] = {}
    for first, last in others:
        if not first.strip() or not last.strip():
            continue
        name = fold(f"{first} {last}")
        if name not in own and f" {name} " in folded:
            found.setdefault(name, f"{first} {last}")
    return sorted(found.values())


def _check_other_families(actor: User, family: Family, clean: _Clean, confirmed: bool) -> bool:
    """True when the text names another family's member and the author confirmed it."""
    if not other_family_names(actor, family, _texts(clean)):
        return False
    if not confirmed:
        raise Conflict(OTHER_FAMILY_MESSAGE, field=CONFIRM_FIELD)
    return True


def _store_files(
    uploads: list[IO[bytes]] | None, names: list[str] | None
) -> list[tuple[files.StoredFile, str]]:
    uploads = uploads or []
    if len(uploads) > FILES_MAX:
        raise InvalidInput(f"Attach up to {FILES_MAX} files at a time.", field="attachments")
    stored: list[tuple[files.StoredFile, str]] = []
    try:
        for index, upload in enumerate(uploads):
            name = (names or [])[index] if index < len(names or []) else "attachment"
            stored.append((files.store(upload), (name or "attachment")[:255]))
    except Exception:
        _remove_files(item for item, _ in stored)
        raise
    return stored


def _remove_files(stored: Iterable[files.StoredFile]) -> None:
    for item in stored:
        files.delete(item.stored_name)


def _attach(contact: Contact, stored: list[tuple[files.StoredFile, str]], actor: User) -> None:
    ContactAttachment.objects.bulk_create(
        ContactAttachment(
            contact=contact,
            original_name=name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            stored_name=item.stored_name,
            uploaded_by=actor,
        )
        for item, name in stored
    )


def _write_people(contact: Contact, clean: _Clean) -> None:
    """Replace the note's people and voices (through the tables: no m2m signals fire)."""
    ContactSubject.objects.filter(contact=contact).delete()
    ContactPresence.objects.filter(contact=contact).delete()
    ContactVoice.objects.filter(contact=contact).delete()
    ContactSubject.objects.bulk_create(
        ContactSubject(contact=contact, person_id=pid) for pid in clean.subjects
    )
    ContactPresence.objects.bulk_create(
        ContactPresence(contact=contact, person_id=pid) for pid in clean.present_members
    )
    ContactVoice.objects.bulk_create(
        ContactVoice(
            contact=contact,
            person_id=voice.person_id,
            kind=kind,
            text=voice.text,
            recorded_as=voice.recorded_as,
        )
        for kind, voice in clean.voices
    )


def _save_version(
    contact: Contact, *, actor: User, when: datetime, reason: str | None, history_type: str
) -> None:
    """Write one history row for the note as it now stands, with its people and voices."""
    marks: dict[str, Any] = {
        "_history_user": actor,
        "_history_date": when,
        "_change_reason": reason,
    }
    vars(contact).update(marks)
    try:
        CONTACT_HISTORY.create_historical_record(contact, history_type)
    finally:
        for key in marks:
            vars(contact).pop(key, None)


def _apply(contact: Contact, clean: _Clean) -> None:
    contact.contact_type = clean.contact_type
    contact.occurred_at = clean.occurred_at
    contact.note = clean.note
    contact.professionals = clean.professionals
    contact.next_contact_on = clean.next_contact_on


def _label(contact_type: str) -> str:
    return str(ContactType(contact_type).label)


def _open_episode(family: Family) -> Episode | None:
    return Episode.objects.filter(family=family, closed_at__isnull=True).first()


@transaction.atomic
def record_contact(
    *,
    actor: User,
    family: Family,
    data: ContactInput,
    confirm_other_family_names: bool = False,
    attachments: list[IO[bytes]] | None = None,
    attachment_names: list[str] | None = None,
) -> Contact:
    """Record a contact in the family's open episode, with its note and the family's words.

    Refused (409) when no episode is open; refused (409) when the text names someone from
    another family the actor can see, unless ``confirm_other_family_names``.
    """
    episode = _open_episode(family)
    if episode is None:
        if not can_view_family(actor, family):
            raise NotFound()
        raise Conflict(
            "This family has no open episode, so contacts cannot be recorded. Support must "
            "be re-opened through a new referral first."
        )
    if not can_record_contact(actor, episode):
        if not can_view_family(actor, family):
            raise NotFound()
        raise PermissionDenied(
            "Only the lead practitioner, or a practitioner or manager of the allocated team, "
            "can record contacts for this family."
        )
    clean = _clean(family=family, data=data)
    names_other = _check_other_families(actor, family, clean, confirm_other_family_names)
    stored = _store_files(attachments, attachment_names)
    now = timezone.now()
    try:
        contact = Contact(
            family=family,
            episode=episode,
            names_other_family=names_other,
            recorded_by=actor,
            recorded_at=now,
        )
        _apply(contact, clean)
        contact.save_without_historical_record()  # type: ignore[attr-defined]
        _write_people(contact, clean)
        _attach(contact, stored, actor)
    except Exception:
        _remove_files(item for item, _ in stored)
        raise
    _save_version(contact, actor=actor, when=now, reason=None, history_type="+")
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="contact",
        object_id=contact.pk,
        detail={
            "type": contact.contact_type,
            "subjects": len(clean.subjects),
            "voices": len(clean.voices),
            "professionals": len(clean.professionals),
            "files": len(stored),
            "names_other_family": names_other,
        },
    )
    timeline.record_entry(
        family=family,
        kind=TimelineKind.CONTACT,
        occurred_at=contact.occurred_at,
        object_type="contact",
        object_id=contact.pk,
        title=_label(contact.contact_type),
        summary=contact.note,
        people=clean.subjects,
        link_name="contacts:detail",
        recorded_by=actor,
    )
    return contact


def _locked(contact: Contact, actor: User) -> Contact:
    locked = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("episode", "family")
        .get(pk=contact.pk)
    )
    if not can_view_family(actor, locked.family):
        raise NotFound()
    return locked


def _reason(reason: str, *, missing: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput(missing, field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            f"The reason must be {REASON_MAX:,} characters or fewer.", field="reason"
        )
    return reason


def _unchanged(contact: Contact, clean: _Clean) -> bool:
    voices = {
        (v.kind, v.person_id, v.text, v.recorded_as)
        for v in ContactVoice.objects.filter(contact=contact)
    }
    return (
        contact.contact_type == clean.contact_type
        and contact.occurred_at == clean.occurred_at
        and contact.note == clean.note
        and contact.professionals == clean.professionals
        and contact.next_contact_on == clean.next_contact_on
        and set(ContactSubject.objects.filter(contact=contact).values_list("person_id", flat=True))
        == set(clean.subjects)
        and set(ContactPresence.objects.filter(contact=contact).values_list("person_id", flat=True))
        == set(clean.present_members)
        and voices == {(k, v.person_id, v.text, v.recorded_as) for k, v in clean.voices}
    )


@transaction.atomic
def correct_contact(
    *,
    actor: User,
    contact: Contact,
    data: ContactInput,
    reason: str,
    confirm_other_family_names: bool = False,
    attachments: list[IO[bytes]] | None = None,
    attachment_names: list[str] | None = None,
) -> Contact:
    """Correct a note: the earlier version stays in its history, with who, when and why."""
    contact = _locked(contact, actor)
    if contact.is_deleted:
        raise Conflict("This note has been deleted, so it cannot be corrected.")
    if not can_correct_contact(actor, contact):
        raise PermissionDenied("Only the note's author or a manager of the team can correct it.")
    reason = _reason(reason, missing="Say why the note is being corrected.")
    clean = _clean(family=contact.family, data=data)
    if not attachments and _unchanged(contact, clean):
        raise InvalidInput(
            "The correction is the same as the note: change something, or cancel.",
            field="note",
        )
    names_other = _check_other_families(actor, contact.family, clean, confirm_other_family_names)
    stored = _store_files(attachments, attachment_names)
    now = timezone.now()
    try:
        _apply(contact, clean)
        contact.names_other_family = contact.names_other_family or names_other
        contact.corrected_at = now
        contact.corrected_by = actor
        contact.correction_reason = reason
        contact.save_without_historical_record()  # type: ignore[attr-defined]
        _write_people(contact, clean)
        _attach(contact, stored, actor)
    except Exception:
        _remove_files(item for item, _ in stored)
        raise
    _save_version(contact, actor=actor, when=now, reason=reason, history_type="~")
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="contact",
        object_id=contact.pk,
        detail={
            "change": "corrected",
            "type": contact.contact_type,
            "subjects": len(clean.subjects),
            "voices": len(clean.voices),
            "files": len(stored),
            "names_other_family": names_other,
        },
    )
    timeline.update_entries(
        object_type="contact",
        object_id=contact.pk,
        people=clean.subjects,
        title=_label(contact.contact_type),
        summary=contact.note,
        occurred_at=contact.occurred_at,
    )
    return contact


# The history of a note's people and voices (django-simple-history's many-to-many tables).
_HISTORY_PEOPLE = (
    "HistoricalContactSubject",
    "HistoricalContactPresence",
    "HistoricalContactVoice",
)


def _purge_history(contact: Contact) -> int:
    """Empty every earlier version of a note being deleted: its text, professionals, next
    contact and correction reasons, and its people and their words. What stays says only
    that a version was saved, when, by whom, and that it was a correction.

    Without this the note and the child's words would outlive the deletion in the history
    tables, readable by anyone holding the field key. Returns the number of versions purged.
    """
    versions = apps.get_model("casework", "HistoricalContact").objects.filter(id=contact.pk)
    version_ids = list(versions.values_list("history_id", flat=True))
    for model_name in _HISTORY_PEOPLE:
        apps.get_model("casework", model_name).objects.filter(history_id__in=version_ids).delete()
    return versions.update(
        note="",
        professionals=[],
        next_contact_on=None,
        correction_reason="",
        history_change_reason=None,
    )


@transaction.atomic
def delete_contact(*, actor: User, contact: Contact, reason: str) -> Contact:
    """Cut a note down to its tombstone: type, date, author, and who deleted it, when, why.

    The text, the family's words, the people and the attachments go (files once the
    transaction commits), from the note and from every earlier version in its history
    (``_purge_history``); the history keeps only when each version was saved and by whom,
    and the deletion's own version with its reason.
    """
    contact = _locked(contact, actor)
    if contact.is_deleted:
        raise Conflict("This note has already been deleted.")
    if not can_delete_contact(actor, contact):
        raise PermissionDenied("Only a manager of the team can delete a note.")
    reason = _reason(reason, missing="Say why the note is being deleted.")
    attachments = list(ContactAttachment.objects.filter(contact=contact))
    stored_names = [a.stored_name for a in attachments]
    ContactAttachment.objects.filter(contact=contact).delete()
    ContactSubject.objects.filter(contact=contact).delete()
    ContactPresence.objects.filter(contact=contact).delete()
    ContactVoice.objects.filter(contact=contact).delete()
    now = timezone.now()
    contact.note = ""
    contact.professionals = []
    contact.next_contact_on = None
    contact.correction_reason = ""
    contact.deleted_at = now
    contact.deleted_by = actor
    contact.deletion_reason = reason
    contact.save_without_historical_record()  # type: ignore[attr-defined]
    purged = _purge_history(contact)
    _save_version(contact, actor=actor, when=now, reason=reason, history_type="~")

    def remove_files() -> None:
        for stored_name in stored_names:
            files.delete(stored_name)

    # A rolled-back deletion must not lose the files; they go once the tombstone is saved.
    transaction.on_commit(remove_files)
    record_event(
        actor=actor,
        action=Action.DELETE,
        object_type="contact",
        object_id=contact.pk,
        detail={
            "type": contact.contact_type,
            "files": len(stored_names),
            "versions_purged": purged,
        },
    )
    timeline.update_entries(
        object_type="contact", object_id=contact.pk, people=[], title="Contact deleted", summary=""
    )
    return contact
