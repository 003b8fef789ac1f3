"""record_contact: what a contact holds, who may record one, and the rules it enforces."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.contacts.services import (
    ProfessionalInput,
    VoiceInput,
    record_contact,
)
from earlyhelp.casework.models import Contact, ContactAttachment, TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.casework.contacts.conftest import PDF, PNG, contact_input, person, record

pytestmark = pytest.mark.django_db


def test_a_contact_keeps_the_note_the_people_and_their_own_words(world, north):
    family, episode = north
    child, parent = person(family, "Zoë"), person(family, "Marigold")
    contact = record(
        world.practitioner,
        family,
        professionals=[ProfessionalInput("Sam Lee", "Brookfield Primary School", "DSL")],
        next_contact_on=timezone.localdate() + timedelta(days=14),
    )
    contact.refresh_from_db()
    assert contact.episode == episode and contact.recorded_by == world.practitioner
    assert contact.contact_type == "home_visit"
    assert contact.note.startswith("Visited at home.")
    # The parent's views make her someone the note is about, as well as the child.
    assert set(contact.subjects.all()) == {child, parent}
    assert set(contact.present_members.all()) == {child, parent}
    assert contact.professionals == [
        {"name": "Sam Lee", "organisation": "Brookfield Primary School", "role": "DSL"}
    ]
    words = {(v.kind, v.person_id, v.recorded_as) for v in contact.voices.all()}
    assert words == {("child", child.pk, "verbatim"), ("parent_carer", parent.pk, "summarised")}
    assert contact.next_contact_on == timezone.localdate() + timedelta(days=14)
    assert contact.history.count() == 1
    assert contact.history.get().history_type == "+"


def test_recording_adds_a_timeline_line_about_the_subjects(world, north):
    family, _ = north
    contact = record(world.practitioner, family, parent_views=[])
    entry = TimelineEntry.objects.get(object_type="contact", object_id=str(contact.pk))
    assert entry.kind == "contact" and entry.title == "Home visit"
    assert entry.summary.startswith("Visited at home.")
    assert entry.link_name == "contacts:detail"
    assert list(entry.people.all()) == [person(family, "Zoë")]


def test_the_audit_event_holds_codes_and_counts_only(world, north):
    family, _ = north
    contact = record(world.practitioner, family)
    event = AuditEvent.objects.get(object_type="contact", action="create")
    assert event.object_id == str(contact.pk)
    assert event.detail["type"] == "home_visit" and event.detail["subjects"] == 2
    text = json.dumps(list(AuditEvent.objects.values()), default=str).lower()
    for personal in ("ashgrove", "zoë", "marigold", "routine", "mum walks"):
        assert personal not in text


def test_subjects_must_all_be_members_of_this_family(world, north):
    family, _ = north
    other, _ = world.open_family(last_name="Birchwood")
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, subjects=[person(other, "Zoë").pk])
    assert error.value.field == "subjects"
    assert not Contact.objects.exists()


def test_someone_present_must_be_a_member_too(world, north):
    family, _ = north
    other, _ = world.open_family(last_name="Birchwood")
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, present_members=[person(other, "Marigold").pk])
    assert error.value.field == "present_members"


def test_a_note_must_be_about_someone(world, north):
    family, _ = north
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, subjects=[], child_words=[], parent_views=[])
    assert error.value.field == "subjects"


def test_the_childs_words_come_from_a_child_and_views_from_an_adult(world, north):
    family, _ = north
    child, parent = person(family, "Zoë"), person(family, "Marigold")
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, child_words=[VoiceInput(parent.pk, "x", "verbatim")])
    assert error.value.field == "child_words.0.person_id"
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, parent_views=[VoiceInput(child.pk, "x", "verbatim")])
    assert error.value.field == "parent_views.0.person_id"
    with pytest.raises(InvalidInput) as error:
        record(
            world.practitioner, family, child_words=[VoiceInput(child.pk, "Hello", "paraphrased")]
        )
    assert error.value.field == "child_words.0.recorded_as"


def test_dates_in_the_future_and_next_contacts_before_the_contact_are_refused(world, north):
    family, _ = north
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, occurred_at=timezone.now() + timedelta(days=1))
    assert error.value.field == "occurred_at"
    with pytest.raises(InvalidInput) as error:
        record(
            world.practitioner,
            family,
            occurred_at=timezone.now() - timedelta(days=3),
            next_contact_on=timezone.localdate() - timedelta(days=5),
        )
    assert error.value.field == "next_contact_on"


def test_an_empty_note_or_unknown_type_is_refused(world, north):
    family, _ = north
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, note="   ")
    assert error.value.field == "note"
    with pytest.raises(InvalidInput) as error:
        record(world.practitioner, family, contact_type="carrier_pigeon")
    assert error.value.field == "contact_type"


def test_a_closed_episode_refuses_new_contacts(world):
    family, _ = world.closed_family(last_name="Cedarfell")
    with pytest.raises(Conflict) as error:
        record(world.manager, family)
    assert "no open episode" in error.value.message
    assert not Contact.objects.exists()


def test_only_the_allocated_team_or_lead_may_record(world, north):
    family, _ = north
    south_family, _ = world.open_family(team=world.south, last_name="Birchwood")
    record(world.manager, family)  # a manager of the allocated team may
    with pytest.raises(NotFound):
        record(world.practitioner_south, family)
    with pytest.raises(NotFound):
        record(world.duty, family)
    with pytest.raises(NotFound):
        record(world.practitioner, south_family)


def test_a_manager_who_can_see_the_family_but_not_its_team_gets_permission_denied(world):
    family, _ = world.closed_family(last_name="Cedarfell")
    # The family comes back and is allocated to South; North's manager still sees the record.
    from earlyhelp.casework.services import open_episode

    open_episode(actor=world.duty, family=family, team=world.south, lead=None)
    with pytest.raises(PermissionDenied):
        record(world.manager, family)


def test_attachments_are_stored_and_photographs_known(world, north, settings):
    family, _ = north
    contact = record_contact(
        actor=world.practitioner,
        family=family,
        data=contact_input(family),
        attachments=[io.BytesIO(PDF), io.BytesIO(PNG)],
        attachment_names=["letter.pdf", "bedroom.png"],
    )
    items = {a.original_name: a for a in contact.attachments.all()}
    assert items["letter.pdf"].content_type == "application/pdf"
    assert not items["letter.pdf"].is_photo
    assert items["bedroom.png"].is_photo
    stored = settings.EARLYHELP_PRIVATE_FILES_DIR / "attachments"
    assert len(list(stored.iterdir())) == 2


def test_a_bad_file_keeps_nothing(world, north, settings):
    family, _ = north
    with pytest.raises(InvalidInput) as error:
        record_contact(
            actor=world.practitioner,
            family=family,
            data=contact_input(family),
            attachments=[io.BytesIO(PDF), io.BytesIO(b"MZ\x90\x00 not a document")],
            attachment_names=["letter.pdf", "tool.exe"],
        )
    assert error.value.field == "attachments"
    assert not Contact.objects.exists() and not ContactAttachment.objects.exists()
    stored = settings.EARLYHELP_PRIVATE_FILES_DIR / "attachments"
    assert not stored.exists() or not any(stored.iterdir())
