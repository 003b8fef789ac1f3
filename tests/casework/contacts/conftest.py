"""Families, inputs and clients for the contacts tests. All names are invented."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.casework.contacts.services import ContactInput, VoiceInput, record_contact
from earlyhelp.casework.models import Contact
from earlyhelp.people.models import Family, Person
from tests.sharing.test_packages_support import png_bytes

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real photograph-shaped PNG: the upload check opens images (a header alone is "damaged").
PNG = png_bytes()


def person(family: Family, first_name: str) -> Person:
    return family.members.get(first_name=first_name)


def contact_input(family: Family, **overrides: Any) -> ContactInput:
    """A home visit about the family's child, with her words and her mother's views."""
    child = person(family, "Zoë")
    parent = person(family, "Marigold")
    data = ContactInput(
        contact_type="home_visit",
        occurred_at=timezone.now() - timedelta(hours=2),
        note="Visited at home. Morning routine chart agreed; school run on time all week.",
        subjects=[child.pk],
        present_members=[child.pk, parent.pk],
        child_words=[VoiceInput(child.pk, "I like it when mum walks me to school.", "verbatim")],
        parent_views=[VoiceInput(parent.pk, "Mornings are calmer with the chart.", "summarised")],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def record(actor: User, family: Family, **overrides: Any) -> Contact:
    return record_contact(actor=actor, family=family, data=contact_input(family, **overrides))


@pytest.fixture
def north(world):  # type: ignore[no-untyped-def]
    """An open family in the North team (lead: pat), surname Ashgrove."""
    return world.open_family(last_name="Ashgrove")
