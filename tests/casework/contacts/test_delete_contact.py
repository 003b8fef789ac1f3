"""delete_contact: a team manager only, with a reason, leaving a tombstone."""

from __future__ import annotations

import io

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.contacts.selectors import earlier_versions
from earlyhelp.casework.contacts.services import (
    correct_contact,
    delete_contact,
    record_contact,
)
from earlyhelp.casework.models import (
    ContactAttachment,
    ContactPresence,
    ContactSubject,
    ContactVoice,
    TimelineEntry,
)
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
    assert event.detail == {"type": "home_visit", "files": 0}
