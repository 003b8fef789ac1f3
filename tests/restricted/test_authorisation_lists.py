"""The managers' authorisation lists leave out a restricted family the manager is not named
on (decision 0007: a restricted record is in no list), as every other list does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.assessments.selectors import awaiting_authorisation
from earlyhelp.people.models import Family
from earlyhelp.restricted.services import restrict_family
from earlyhelp.sharing import decisions
from earlyhelp.sharing.models import SharingDecision
from tests.assessments.conftest import open_case, submitted
from tests.factories import World
from tests.plans.conftest import make_setup
from tests.sharing.test_policy_matrix import gateway_decision

pytestmark = pytest.mark.django_db

REASON = "A member of the North team is a parent in this family."


def _restrict(world: World, family: Family, *allowed: str) -> None:
    restrict_family(actor=world.manager, family=family, reason=REASON, allowed=list(allowed))


def test_assessments_awaiting_authorisation_leave_out_a_restricted_family(
    world: World, client
) -> None:
    case = open_case(world)
    assessment = submitted(world, case)
    assert list(awaiting_authorisation(world.manager)) == [assessment]
    _restrict(world, case.family)
    assert list(awaiting_authorisation(world.manager)) == []
    client.force_login(world.manager)
    for page in ("assessments:awaiting", "dashboards:team"):
        assert case.family.reference not in client.get(reverse(page)).content.decode(), page
    _restrict(world, case.family, world.manager.username)  # named: back in the list
    assert list(awaiting_authorisation(world.manager)) == [assessment]


def test_sharing_decisions_awaiting_and_overdue_leave_out_a_restricted_family(
    world: World,
) -> None:
    s = make_setup(world)
    decision = gateway_decision(world, s, emergency=True)
    SharingDecision.objects.filter(pk=decision.pk).update(
        authorisation_due_at=timezone.now() - timedelta(hours=1)
    )
    assert list(decisions.awaiting_authorisation(world.manager)) == [decision]
    assert list(decisions.overdue_authorisations(world.manager)) == [decision]
    _restrict(world, s.family)
    assert list(decisions.awaiting_authorisation(world.manager)) == []
    assert list(decisions.overdue_authorisations(world.manager)) == []
    _restrict(world, s.family, world.manager.username)
    assert list(decisions.awaiting_authorisation(world.manager)) == [decision]
    assert list(decisions.overdue_authorisations(world.manager)) == [decision]
