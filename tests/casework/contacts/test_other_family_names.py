"""Text copied from another family's record cannot be saved unnoticed."""

from __future__ import annotations

import json

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.contacts.services import (
    CONFIRM_FIELD,
    VoiceInput,
    other_family_names,
    record_contact,
)
from earlyhelp.casework.models import Contact
from earlyhelp.core.errors import Conflict
from tests.casework.contacts.conftest import contact_input, person, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbours(world, north):
    """North's family (Ashgrove) and another North family (Birchwood) pat can also see."""
    family, _ = north
    other, _ = world.open_family(last_name="Birchwood")
    return family, other


def test_naming_someone_from_another_visible_family_asks_for_confirmation(world, neighbours):
    family, _ = neighbours
    note = "Spoke with Zoë Birchwood about the bus to school."
    with pytest.raises(Conflict) as error:
        record(world.practitioner, family, note=note)
    assert error.value.field == CONFIRM_FIELD
    assert "another family" in error.value.message
    assert "birchwood" not in error.value.message.lower()
    assert not Contact.objects.exists()


def test_confirming_saves_the_note_and_marks_it(world, neighbours):
    family, _ = neighbours
    contact = record_contact(
        actor=world.practitioner,
        family=family,
        data=contact_input(family, note="Copied from Marigold Birchwood's visit."),
        confirm_other_family_names=True,
    )
    assert contact.names_other_family is True
    event = AuditEvent.objects.get(object_type="contact", action="create")
    assert event.detail["names_other_family"] is True
    assert "birchwood" not in json.dumps(list(AuditEvent.objects.values()), default=str).lower()


def test_the_childs_words_are_checked_too(world, neighbours):
    family, _ = neighbours
    child = person(family, "Zoë")
    with pytest.raises(Conflict):
        record(
            world.practitioner,
            family,
            child_words=[VoiceInput(child.pk, "I sit next to zoe  BIRCHWOOD.", "verbatim")],
        )


def test_matching_ignores_accents_case_and_spacing_but_needs_the_full_name(world, neighbours):
    family, _ = neighbours
    texts = [
        "ZOE   birchwood came round",
        "Zoë Birchwood's coat",
        "Zoë went to the Birchwood park",
        "Zoë Birchwoods",
    ]
    found = [other_family_names(world.practitioner, family, [t]) for t in texts]
    assert found == [["Zoë Birchwood"], ["Zoë Birchwood"], [], []]


def test_names_of_families_the_user_cannot_see_are_not_checked(world, north):
    family, _ = north
    world.open_family(team=world.south, last_name="Farrowdale")
    contact = record(world.practitioner, family, note="Zoë Farrowdale was mentioned.")
    assert contact.names_other_family is False


def test_a_name_shared_with_this_familys_own_member_is_not_flagged(world, north):
    family, _ = north
    world.open_family(last_name="Ashgrove")  # a different family with the same names
    contact = record(world.practitioner, family, note="Zoë Ashgrove was cheerful.")
    assert contact.names_other_family is False
