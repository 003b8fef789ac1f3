"""sharing.policy: an agreement for "every organisation of a kind" binds to the directory as
it was when the agreement was recorded, so a later change of an organisation's kind never
widens what the family agreed to (issue 12, item 3; decision 0014)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.partners import services as partner_services
from earlyhelp.partners.models import Organisation
from earlyhelp.sharing.models import Scope
from earlyhelp.sharing.policy import OutputPath, Verdict, decide
from tests.factories import World, agree_to_share
from tests.plans.conftest import Setup

pytestmark = pytest.mark.django_db


def _verdict(setup: Setup, recipient: Organisation) -> Verdict:
    return decide(
        family=setup.family,
        recipient=recipient,
        people=[setup.parent.pk],
        scopes=[Scope.PLAN],
        path=OutputPath.TAF_PLAN,
    ).verdict


def _change_kind(organisation: Organisation, kind: str) -> Organisation:
    data = partner_services.OrganisationInput(
        **{f: getattr(organisation, f) for f in partner_services.ORGANISATION_FIELDS}
    )
    data = partner_services.OrganisationInput(**{**data.__dict__, "kind": kind, "urn": "100002"})
    return partner_services.update_organisation(actor=None, organisation=organisation, data=data)


def test_refiling_the_police_as_a_school_does_not_bring_them_into_any_school(
    world: World, setup: Setup
):
    police = Organisation.objects.create(name="Exampleton Police Early Help Team", kind="police")
    agree_to_share(world.practitioner, setup.family, setup.parent, kind="school")
    assert _verdict(setup, setup.school) is Verdict.ALLOWED
    assert _verdict(setup, police) is Verdict.REFUSED

    _change_kind(police, "school")
    police.refresh_from_db()

    assert police.kind == "school" and police.kind_changed_at is not None
    assert _verdict(setup, police) is Verdict.REFUSED
    assert _verdict(setup, setup.school) is Verdict.ALLOWED


def test_an_agreement_recorded_after_the_change_covers_the_organisation_as_it_then_was(
    world: World, setup: Setup
):
    police = Organisation.objects.create(name="Exampleton Police Early Help Team", kind="police")
    _change_kind(police, "school")
    police.refresh_from_db()
    agree_to_share(world.practitioner, setup.family, setup.parent, kind="school")
    assert _verdict(setup, police) is Verdict.ALLOWED


def test_a_school_added_to_the_directory_later_is_still_a_school(world: World, setup: Setup):
    agree_to_share(world.practitioner, setup.family, setup.parent, kind="school")
    later = Organisation.objects.create(name="Hawthorn Academy", kind="school", urn="100003")
    assert later.created_at > timezone.now() - timedelta(minutes=1)
    assert _verdict(setup, later) is Verdict.ALLOWED
