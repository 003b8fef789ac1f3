"""A case note confirmed as naming another family's member is never shown to a partner: the
other family gave no agreement, and redaction only knows this family's names. Checked in the
selector, on the partner's page and in the partner API.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.casework.contacts.services import ContactInput, record_contact
from earlyhelp.casework.models import Contact
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.sharing.models import DisclosureLogEntry, Scope
from earlyhelp.sharing.partner import access
from tests.factories import World
from tests.plans.conftest import Setup
from tests.sharing.test_partner_access import agree_scope, link

pytestmark = pytest.mark.django_db

SHOWN = "Zoë read her school report aloud."
FLAGGED = "Zoë walked to school with Ottoline Fennimore and her mum."


@pytest.fixture
def notes(world: World, setup: Setup, plan: FamilyPlan) -> tuple[Contact, Contact]:
    # Another family the practitioner can see, whose child the second note names.
    world.open_family(first_name="Ottoline", last_name="Fennimore")
    link(world, setup)
    agree_scope(world, setup, Scope.CASE_NOTES)

    def note(text: str, days_ago: int, **kwargs: bool) -> Contact:
        return record_contact(
            actor=world.practitioner,
            family=setup.family,
            data=ContactInput(
                contact_type="home_visit",
                occurred_at=timezone.now() - timedelta(days=days_ago),
                note=text,
                subjects=[setup.child.pk],  # only people the plan names
            ),
            **kwargs,
        )

    shown = note(SHOWN, 2)
    flagged = note(FLAGGED, 1, confirm_other_family_names=True)
    assert flagged.names_other_family and not shown.names_other_family
    return shown, flagged


def test_the_selector_leaves_the_flagged_note_out(world, setup, notes):
    shown, _flagged = notes
    family = access.partner_family(world.partner, setup.family.pk)
    assert family.notes is not None
    assert [n.id for n in family.notes] == [shown.pk]
    assert "Fennimore" not in repr(family)
    # Only what was shown is in the disclosure log: one case-notes line, for Zoë.
    logged = DisclosureLogEntry.objects.filter(scopes=[Scope.CASE_NOTES])
    assert [e.person_id for e in logged] == [setup.child.pk]


def test_the_page_and_the_api_leave_it_out(world, setup, notes, login, api_as):
    html = login(world.partner).get(reverse("partner:family", args=[setup.family.pk]))
    assert html.status_code == 200
    page = html.content.decode()
    assert SHOWN in page
    assert "Ottoline" not in page and "Fennimore" not in page

    response = api_as(world.partner).get(f"/partner/families/{setup.family.pk}")
    assert response.status_code == 200
    assert [n["note"] for n in response.json()["case_notes"]] == [SHOWN]
    assert "Fennimore" not in response.content.decode()
