"""A family member who sits on the TAF is named by the plan (the printed plan lists them), so
their agreement is needed before the plan goes anywhere: by e-mail to the TAF and to a
partner's page, list and API.

Wystan is in the household and named by nothing in the plan but his seat on the TAF. The
``plan`` fixture has the agreement of Marigold and Zoë only.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.core.errors import Conflict, NotFound
from earlyhelp.plans import services
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.plans.printing import plan_people_ids
from earlyhelp.sharing.models import DisclosureLogEntry
from earlyhelp.sharing.partner import access
from tests.factories import World, agree_to_share
from tests.plans.conftest import Setup
from tests.sharing.test_partner_access import link

pytestmark = pytest.mark.django_db


@pytest.fixture
def wystan_on_the_taf(world: World, setup: Setup, plan: FamilyPlan) -> FamilyPlan:
    version = services.current_version(plan)
    services.add_member(
        actor=world.practitioner, version=version, person=setup.excluded.pk, role_in_plan="Uncle"
    )
    return plan


def wystan_agrees(world: World, s: Setup) -> None:
    agree_to_share(world.practitioner, s.family, s.excluded, organisation=s.school)


def test_a_family_member_on_the_taf_is_named_by_the_plan(setup, wystan_on_the_taf):
    version = services.current_version(wystan_on_the_taf)
    assert not version.outcomes.filter(people=setup.excluded).exists()
    assert not version.actions.filter(owner_person=setup.excluded).exists()
    assert setup.excluded.pk in plan_people_ids(version)


def test_the_taf_email_waits_for_their_agreement(
    world, setup, wystan_on_the_taf, mailoutbox, django_capture_on_commit_callbacks
):
    plan = wystan_on_the_taf
    recipients = services.recipients_allowed(plan)
    assert setup.teacher.pk not in {m.contact_id for m in recipients.members}
    assert setup.teacher.pk in {m.contact_id for m in recipients.without_agreement}
    with pytest.raises(Conflict), django_capture_on_commit_callbacks(execute=True):
        services.share_plan_with_taf(actor=world.practitioner, plan=plan)
    assert mailoutbox == []
    assert not DisclosureLogEntry.objects.exists()

    wystan_agrees(world, setup)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.share_plan_with_taf(
            actor=world.practitioner, plan=plan, contacts=[setup.teacher.pk]
        )
    assert result.sent_to == [setup.teacher.pk]
    assert [m.to for m in mailoutbox] == [["h.partridge@brookfield.example.org"]]
    logged = set(DisclosureLogEntry.objects.values_list("person_id", flat=True))
    assert logged == {setup.parent.pk, setup.child.pk, setup.excluded.pk}


def test_a_partner_sees_the_family_only_once_they_agree(
    world, setup, wystan_on_the_taf, login, api_as
):
    link(world, setup)
    page = reverse("partner:family", args=[setup.family.pk])
    api = f"/partner/families/{setup.family.pk}"
    assert access.listed_families(world.partner).rows == []
    with pytest.raises(NotFound):
        access.partner_family(world.partner, setup.family.pk)
    client = login(world.partner)
    assert client.get(page).status_code == 404
    assert setup.family.reference not in client.get(reverse("partner:families")).content.decode()
    assert api_as(world.partner).get(api).status_code == 404
    assert api_as(world.partner).get("/partner/families").json() == []

    wystan_agrees(world, setup)
    assert [r.family_id for r in access.listed_families(world.partner).rows] == [setup.family.pk]
    assert client.get(page).status_code == 200
    assert api_as(world.partner).get(api).status_code == 200
