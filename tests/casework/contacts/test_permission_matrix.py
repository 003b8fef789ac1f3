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
from earlyhelp.casework.services import close_episode
from tests.casework.contacts.conftest import PDF, contact_input, record
from tests.factories import make_user

pytestmark = pytest.mark.django_db

ROLES = [
    "practitioner",
    "practitioner_south",
    "manager",
    "manager_south",
    "duty",
    "dpo",
    "analyst",
    "admin",
    "partner",
]
STATES = ["open_north", "open_south", "closed_north"]

VISIBLE = {
    ("practitioner", "open_north"),
    ("practitioner_south", "open_south"),
    ("manager", "open_north"),
    ("manager", "closed_north"),
    ("manager_south", "open_south"),
}
CAN_RECORD = {
    ("practitioner", "open_north"),
    ("manager", "open_north"),
    ("practitioner_south", "open_south"),
    ("manager_south", "open_south"),
}
# Each state's note was written by that team's practitioner (pat in the north, sam south).
CAN_CORRECT = CAN_RECORD | {("manager", "closed_north")}
CAN_DELETE = {
    ("manager", "open_north"),
    ("manager_south", "open_south"),
    ("manager", "closed_north"),
}


@pytest.fixture
def notes(world):
    """One note with a document in each family state: {state: (family, contact)}."""
    made = {}
    for state, team, author, surname in (
        ("open_north", world.north, world.practitioner, "Ashgrove"),
        ("open_south", world.south, world.practitioner_south, "Birchwood"),
        ("closed_north", world.north, world.practitioner, "Cedarfell"),
    ):
        family, episode = world.open_family(team=team, last_name=surname)
        contact = record_contact(
            actor=author,
            family=family,
            data=contact_input(family),
            attachments=[io.BytesIO(PDF)],
            attachment_names=["letter.pdf"],
        )
        if state == "closed_north":
            close_episode(
                actor=world.manager, episode=episode, reason="needs_met", summary="Settled."
            )
        made[state] = (family, contact)
    return made


def _expected(allowed: set[tuple[str, str]], role: str, state: str) -> int:
    if (role, state) in allowed:
        return 200
    return 403 if (role, state) in VISIBLE else 404


@pytest.mark.parametrize("role", ROLES)
def test_contact_pages_by_role_and_state(world, notes, client, role):
    user = getattr(world, role)
    client.force_login(user)
    for state in STATES:
        family, contact = notes[state]
        key = (role, state)
        seen = 200 if key in VISIBLE else 404
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
                409 if key in VISIBLE and state == "closed_north" else _expected(CAN_RECORD, *key),
            ),
            "correct": (
                reverse("contacts:correct", args=[family.pk, contact.pk]),
                _expected(CAN_CORRECT, *key),
            ),
            "delete": (
                reverse("contacts:delete", args=[family.pk, contact.pk]),
                _expected(CAN_DELETE, *key),
            ),
        }
        for action, (url, status) in pages.items():
            assert client.get(url).status_code == status, (role, state, action)
        if key in VISIBLE:
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
