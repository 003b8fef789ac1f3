"""Every role x family state x contact action, through the real pages."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from earlyhelp.casework.contacts.permissions import (
    can_correct_contact,
    can_delete_contact,
    can_record_contact,
)
from earlyhelp.casework.contacts.services import record_contact
from tests.casework.contacts.conftest import PDF, contact_input, record
from tests.factories import (
    FAMILY_STATES,
    MATRIX_ROLES,
    SEES_FAMILY,
    TWO_TEAMS,
    WORKS_ON_FAMILY,
    expected_status,
    family_states,
    make_user,
)

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, TWO_TEAMS]
CAN_RECORD = WORKS_ON_FAMILY
# Each state's note was written by that team's practitioner (pat in the north, sam south).
# TWO_TEAMS is only a practitioner in South, who did not write sam's note.
CAN_CORRECT = CAN_RECORD - {(TWO_TEAMS, "open_south")} | {
    ("manager", "closed_north"),
    (TWO_TEAMS, "closed_north"),
}
CAN_DELETE = {
    ("manager", "open_north"),
    ("manager_south", "open_south"),
    ("manager", "closed_north"),
    (TWO_TEAMS, "open_north"),
    (TWO_TEAMS, "closed_north"),
}


@pytest.fixture
def notes(world):
    """One note with a document in each family state: {state: (family, contact)}."""
    made = {}
    for spec in family_states(world):
        family, episode = world.open_family(team=spec.team, last_name=spec.last_name)
        contact = record_contact(
            actor=spec.practitioner,
            family=family,
            data=contact_input(family),
            attachments=[io.BytesIO(PDF)],
            attachment_names=["letter.pdf"],
        )
        if spec.closed:
            world.close(episode)
        made[spec.state] = (family, contact)
    return made


@pytest.mark.parametrize("role", ROLES)
def test_contact_pages_by_role_and_state(world, notes, client, role):
    user = getattr(world, role)
    client.force_login(user)
    for state in FAMILY_STATES:
        family, contact = notes[state]
        key = (role, state)
        seen = 200 if key in SEES_FAMILY else 404
        attachment = contact.attachments.get()
        pages = {
            "list": (reverse("contacts:list", args=[family.pk]), seen),
            "detail": (reverse("contacts:detail", args=[family.pk, contact.pk]), seen),
            "attachment": (
                reverse("contacts:attachment", args=[family.pk, contact.pk, attachment.pk]),
                seen,
            ),
            "new": (
                reverse("contacts:new", args=[family.pk]),
                409
                if key in SEES_FAMILY and state == "closed_north"
                else expected_status(CAN_RECORD, *key),
            ),
            "correct": (
                reverse("contacts:correct", args=[family.pk, contact.pk]),
                expected_status(CAN_CORRECT, *key),
            ),
            "delete": (
                reverse("contacts:delete", args=[family.pk, contact.pk]),
                expected_status(CAN_DELETE, *key),
            ),
        }
        for action, (url, status) in pages.items():
            assert client.get(url).status_code == status, (role, state, action)
        if key in SEES_FAMILY:
            episode = family.episodes.filter(closed_at__isnull=True).first()
            assert can_record_contact(user, episode) == (key in CAN_RECORD)
            assert can_correct_contact(user, contact) == (key in CAN_CORRECT)
            assert can_delete_contact(user, contact) == (key in CAN_DELETE)


def test_a_colleague_in_the_team_records_but_cannot_correct_anothers_note(world, north, client):
    family, _ = north
    colleague = make_user("practitioner", world.north, "robin")
    contact = record(world.practitioner, family)
    client.force_login(colleague)
    assert client.get(reverse("contacts:new", args=[family.pk])).status_code == 200
    assert client.get(reverse("contacts:correct", args=[family.pk, contact.pk])).status_code == 403
    assert client.get(reverse("contacts:delete", args=[family.pk, contact.pk])).status_code == 403


def test_a_contact_is_not_reachable_through_another_familys_url(world, north, client):
    family, _ = north
    other, _ = world.open_family(last_name="Dunmore")
    contact = record(world.practitioner, family)
    client.force_login(world.practitioner)
    assert client.get(reverse("contacts:detail", args=[other.pk, contact.pk])).status_code == 404


@pytest.mark.parametrize("name", ["list", "new"])
def test_anonymous_is_sent_to_sign_in(north, client, name):
    family, _ = north
    response = client.get(reverse(f"contacts:{name}", args=[family.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
