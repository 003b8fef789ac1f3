"""correct_contact: a correction keeps the earlier version, says who, when and why."""

from __future__ import annotations

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.contacts.selectors import earlier_versions
from earlyhelp.casework.contacts.services import VoiceInput, correct_contact, delete_contact
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.casework.contacts.conftest import contact_input, person, record
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FIRST = "Visited at home. Morning routine chart agreed; school run on time all week."
SECOND = "Visited at home. Bedtime routine chart agreed; school run on time all week."


def _correct(actor, contact, reason="Wrote morning where it was bedtime", **overrides):
    family = contact.family
    overrides.setdefault("note", SECOND)
    overrides.setdefault("occurred_at", contact.occurred_at)
    return correct_contact(
        actor=actor, contact=contact, data=contact_input(family, **overrides), reason=reason
    )


def test_a_correction_keeps_the_earlier_text_in_the_history(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    child = person(family, "Zoë")
    corrected = _correct(
        world.practitioner,
        contact,
        child_words=[VoiceInput(child.pk, "I like it when mum reads to me.", "verbatim")],
    )
    assert corrected.note == SECOND
    assert corrected.corrected_by == world.practitioner and corrected.corrected_at
    assert corrected.correction_reason == "Wrote morning where it was bedtime"
    assert corrected.history.count() == 2
    versions = earlier_versions(corrected)
    assert len(versions) == 1
    first = versions[0]
    assert first.note == FIRST and not first.is_correction
    assert [w.text for w in first.child_words] == ["I like it when mum walks me to school."]
    assert set(first.subjects) == {"Zoë Ashgrove", "Marigold Ashgrove"}
    newest = corrected.history.order_by("-history_date").first()
    assert newest.history_change_reason == "Wrote morning where it was bedtime"
    assert newest.history_user == world.practitioner


def test_each_further_correction_is_another_version_with_its_reason(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    _correct(world.practitioner, contact)
    _correct(world.manager, contact, note=SECOND + " Dad was there.", reason="Missed dad out")
    versions = earlier_versions(contact)
    assert [(v.number, v.is_correction, v.reason) for v in versions] == [
        (1, False, ""),
        (2, True, "Wrote morning where it was bedtime"),
    ]
    assert versions[1].saved_by == world.practitioner


def test_a_correction_needs_a_reason_and_a_change(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    with pytest.raises(InvalidInput) as error:
        _correct(world.practitioner, contact, reason="  ")
    assert error.value.field == "reason"
    with pytest.raises(InvalidInput) as error:
        _correct(world.practitioner, contact, note=FIRST)
    assert "same" in error.value.message
    contact.refresh_from_db()
    assert contact.note == FIRST and contact.history.count() == 1


def test_the_author_or_a_team_manager_may_correct_but_not_a_colleague(world, north):
    family, _ = north
    colleague = make_user("practitioner", world.north, "robin")
    contact = record(world.practitioner, family)
    with pytest.raises(PermissionDenied):
        _correct(colleague, contact)
    with pytest.raises(NotFound):
        _correct(world.practitioner_south, contact)
    with pytest.raises(NotFound):
        _correct(world.manager_south, contact)
    assert _correct(world.manager, contact).corrected_by == world.manager


def test_a_manager_can_correct_after_the_episode_closed(world, north):
    family, episode = north
    contact = record(world.practitioner, family)
    from earlyhelp.casework.services import close_episode

    close_episode(actor=world.manager, episode=episode, reason="needs_met", summary="Settled.")
    assert _correct(world.manager, contact).note == SECOND
    with pytest.raises(NotFound):  # the practitioner no longer sees the closed family
        _correct(world.practitioner, contact, note=FIRST)


def test_a_correction_updates_the_timeline_and_is_audited(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    _correct(world.practitioner, contact, contact_type="phone_call", parent_views=[])
    entry = TimelineEntry.objects.get(object_type="contact", object_id=str(contact.pk))
    assert entry.title == "Phone call" and entry.summary.startswith("Visited at home. Bedtime")
    assert list(entry.people.all()) == [person(family, "Zoë")]
    event = AuditEvent.objects.get(object_type="contact", action="update")
    assert event.detail["change"] == "corrected"
    assert "bedtime" not in str(event.detail).lower()


def test_a_deleted_note_cannot_be_corrected(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    delete_contact(actor=world.manager, contact=contact, reason="Recorded on the wrong family")
    with pytest.raises(Conflict):
        _correct(world.manager, contact)
