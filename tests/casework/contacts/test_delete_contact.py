"""delete_contact: a team manager only, with a reason, leaving a tombstone."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.contacts.selectors import earlier_versions
from earlyhelp.casework.contacts.services import (
    correct_contact,
    delete_contact,
    record_contact,
)
from earlyhelp.casework.models import (
    Contact,
    ContactAttachment,
    ContactPresence,
    ContactSubject,
    ContactVoice,
    TimelineEntry,
)
from earlyhelp.core import encryption
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.casework.contacts.conftest import PNG, contact_input, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def photographed(world, north):
    family, _ = north
    return record_contact(
        actor=world.practitioner,
        family=family,
        data=contact_input(family),
        attachments=[io.BytesIO(PNG)],
        attachment_names=["kitchen.png"],
    )


def test_deleting_leaves_a_tombstone_and_removes_the_files(
    world, photographed, settings, django_capture_on_commit_callbacks
):
    stored = settings.EARLYHELP_PRIVATE_FILES_DIR / "attachments"
    assert len(list(stored.iterdir())) == 1
    with django_capture_on_commit_callbacks(execute=True):
        deleted = delete_contact(
            actor=world.manager, contact=photographed, reason="Recorded on the wrong family"
        )
    deleted.refresh_from_db()
    assert deleted.deleted_by == world.manager and deleted.deleted_at
    assert deleted.deletion_reason == "Recorded on the wrong family"
    assert deleted.contact_type == "home_visit" and deleted.occurred_at
    assert deleted.note == "" and deleted.professionals == []
    for model in (ContactSubject, ContactPresence, ContactVoice, ContactAttachment):
        assert not model.objects.filter(contact=deleted).exists()
    assert list(stored.iterdir()) == []


def test_the_timeline_line_says_deleted_with_no_summary_or_people(world, photographed):
    delete_contact(actor=world.manager, contact=photographed, reason="Duplicate")
    entry = TimelineEntry.objects.get(object_type="contact", object_id=str(photographed.pk))
    assert entry.title == "Contact deleted" and entry.summary == ""
    assert not entry.people.exists()


def test_history_rows_stay_but_earlier_versions_are_not_shown(world, photographed):
    correct_contact(
        actor=world.practitioner,
        contact=photographed,
        data=contact_input(photographed.family, note="A corrected note."),
        reason="Typo",
    )
    deleted = delete_contact(actor=world.manager, contact=photographed, reason="Duplicate")
    assert deleted.history.count() == 3
    assert earlier_versions(deleted) == []


def test_only_a_manager_of_the_team_may_delete_and_needs_a_reason(world, photographed):
    with pytest.raises(PermissionDenied):
        delete_contact(actor=world.practitioner, contact=photographed, reason="Mine")
    with pytest.raises(NotFound):
        delete_contact(actor=world.manager_south, contact=photographed, reason="Not ours")
    with pytest.raises(InvalidInput) as error:
        delete_contact(actor=world.manager, contact=photographed, reason=" ")
    assert error.value.field == "reason"
    photographed.refresh_from_db()
    assert photographed.deleted_at is None and photographed.note


def test_deleting_twice_is_a_conflict_and_the_event_is_audited(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    delete_contact(actor=world.manager, contact=contact, reason="Duplicate")
    with pytest.raises(Conflict):
        delete_contact(actor=world.manager, contact=contact, reason="Again")
    event = AuditEvent.objects.get(object_type="contact", action="delete")
    assert event.detail == {"type": "home_visit", "files": 0, "versions_purged": 1}


# --- Deleting purges the earlier versions (issue 12, item 9) ------------------------------

CORRECTED = "Corrected: Zoë said her uncle shouts at night."
CORRECTION_REASON = "Left out what Zoë said about her uncle"


def _history_rows(table: str, where: str, params: list[object]) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {where}", params)  # noqa: S608
        return cursor.fetchall()


def _readable(value: object) -> str:
    """A stored value as plain text: decrypted when it is a token."""
    text = str(value)
    return encryption.decrypt(text, "casework.contact.note") if encryption.is_token(text) else text


@pytest.fixture
def corrected_then_deleted(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    correct_contact(
        actor=world.practitioner,
        contact=contact,
        data=contact_input(family, note=CORRECTED),
        reason=CORRECTION_REASON,
    )
    versions = sorted(Contact.history.filter(id=contact.pk).values_list("history_id", flat=True))
    deleted = delete_contact(actor=world.manager, contact=contact, reason="Wrong family")
    return deleted, versions


def test_no_earlier_version_keeps_the_text_the_words_or_the_people(corrected_then_deleted):
    deleted, earlier = corrected_then_deleted
    versions = Contact.history.filter(id=deleted.pk).order_by("history_date", "history_id")
    assert [v.history_id for v in versions][:2] == earlier  # the versions themselves stay
    for version in versions:
        assert version.note == "" and version.professionals == []
        assert version.next_contact_on is None and version.correction_reason == ""
    # Raw, every column of every version: nothing of the note, the words or the reason,
    # in plain text or in ciphertext the field key would open.
    pk = Contact._meta.pk.get_db_prep_value(deleted.pk, connection)  # type: ignore[union-attr]
    stored = [
        _readable(value)
        for row in _history_rows("casework_historicalcontact", "id = %s", [pk])
        for value in row
        if value is not None
    ]
    original = contact_input(deleted.family)
    for phrase in (
        original.note,
        CORRECTED,
        CORRECTION_REASON,
        original.child_words[0].text,
        original.parent_views[0].text,
    ):
        assert not any(phrase in value for value in stored)
    marks = ", ".join(["%s"] * len(earlier))
    for table in (
        "casework_historicalcontactvoice",
        "casework_historicalcontactsubject",
        "casework_historicalcontactpresence",
    ):
        assert _history_rows(table, f"history_id IN ({marks})", list(earlier)) == []


def test_the_tombstone_says_who_deleted_it_when_and_why(corrected_then_deleted, world):
    deleted, earlier = corrected_then_deleted
    deleted.refresh_from_db()
    assert (deleted.deleted_by, deleted.deletion_reason) == (world.manager, "Wrong family")
    assert deleted.note == "" and deleted.deleted_at
    last = Contact.history.filter(id=deleted.pk).order_by("-history_date", "-history_id")[0]
    assert last.history_id not in earlier
    assert (last.history_user, last.history_change_reason) == (world.manager, "Wrong family")
    assert last.deleted_at == deleted.deleted_at and last.note == ""
    # Who saved each earlier version, and when, stays; the correction reason does not.
    first, correction = Contact.history.filter(history_id__in=earlier).order_by("history_id")
    assert first.history_user == world.practitioner and correction.corrected_at
    assert correction.history_change_reason is None


def test_deleting_one_note_leaves_the_history_of_others_alone(world, north):
    family, _ = north
    kept = record(world.practitioner, family, note="A note that stays.")
    correct_contact(
        actor=world.practitioner,
        contact=kept,
        data=contact_input(family, note="A note that stays, corrected."),
        reason="Spelling",
    )
    delete_contact(actor=world.manager, contact=record(world.practitioner, family), reason="Dup")
    assert {v.note for v in Contact.history.filter(id=kept.pk)} == {
        "A note that stays.",
        "A note that stays, corrected.",
    }
    assert [v.text for v in earlier_versions(Contact.objects.get(pk=kept.pk))[0].voices]
