"""create_plan: version 1 with its outcomes, on an open episode, by someone working on it."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone

from earlyhelp.assessments.services import AssessedNeed
from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.plans import needs, services
from earlyhelp.plans.models import FamilyPlan, PlanVersion
from tests.plans.conftest import make_setup

pytestmark = pytest.mark.django_db


def _outcome(**overrides):
    data = {
        "headline_code": "getting_a_good_education",
        "description": "In school every day.",
        "people": [],
    }
    data.update(overrides)
    return services.OutcomeInput(**data)


def test_a_plan_starts_at_version_one_with_its_outcomes(world, setup):
    plan = services.create_plan(
        actor=world.practitioner,
        family=setup.family,
        outcomes=[_outcome(people=[setup.child.pk]), _outcome(headline_code="secure_housing")],
    )
    version = PlanVersion.objects.get(plan=plan)
    assert version.number == 1 and version.created_by == world.practitioner
    assert plan.episode == setup.episode and plan.status == "active"
    assert plan.review_interval_weeks == 6
    assert plan.next_review_due == timezone.localdate() + timedelta(weeks=6)
    outcomes = list(version.outcomes.order_by("position"))
    assert [o.headline_code for o in outcomes] == ["getting_a_good_education", "secure_housing"]
    assert list(outcomes[0].people.all()) == [setup.child]
    assert outcomes[0].lineage != outcomes[1].lineage
    event = AuditEvent.objects.get(object_type="family_plan", object_id=str(plan.pk))
    assert event.action == "create" and event.detail == {"outcomes": 2, "review_interval_weeks": 6}
    entry = TimelineEntry.objects.get(object_type="plan_version", object_id=str(version.pk))
    assert (entry.kind, entry.link_name) == ("plan", "plans:version")
    assert plan.history.count() == 1


def test_the_review_interval_is_set_per_plan(world, setup, settings):
    settings.EARLYHELP_PLAN_REVIEW_WEEKS = 8
    default = services.create_plan(actor=world.practitioner, family=setup.family)
    assert default.review_interval_weeks == 8
    other = make_setup(world, last_name="Ashgrove")
    plan = services.create_plan(
        actor=world.practitioner, family=other.family, review_interval_weeks=10
    )
    assert plan.next_review_due == timezone.localdate() + timedelta(weeks=10)
    third = make_setup(world, last_name="Birchwood")
    with pytest.raises(InvalidInput) as error:
        services.create_plan(actor=world.practitioner, family=third.family, review_interval_weeks=0)
    assert error.value.field == "review_interval_weeks"


def test_one_active_plan_per_episode(world, setup):
    services.create_plan(actor=world.practitioner, family=setup.family)
    with pytest.raises(Conflict):
        services.create_plan(actor=world.manager, family=setup.family)
    assert FamilyPlan.objects.filter(family=setup.family).count() == 1


def test_a_plan_needs_an_open_episode(world):
    family, _ = world.closed_family()
    with pytest.raises(Conflict):
        services.create_plan(actor=world.manager, family=family)


@pytest.mark.parametrize("role", ["practitioner_south", "duty", "dpo", "admin", "partner"])
def test_only_people_working_on_the_episode_start_a_plan(world, setup, role):
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=getattr(world, role), family=setup.family)
    assert not FamilyPlan.objects.exists()


def test_the_team_manager_may_start_the_plan(world, setup):
    assert (
        services.create_plan(actor=world.manager, family=setup.family).created_by == world.manager
    )


def test_outcomes_are_about_family_members_only_and_name_a_headline(world, setup):
    stranger = make_setup(world, last_name="Cedarfell").child
    with pytest.raises(InvalidInput) as error:
        services.create_plan(
            actor=world.practitioner, family=setup.family, outcomes=[_outcome(people=[stranger.pk])]
        )
    assert error.value.field == "outcomes.0.people"
    with pytest.raises(InvalidInput) as error:
        services.create_plan(
            actor=world.practitioner,
            family=setup.family,
            outcomes=[_outcome(), _outcome(headline_code="not_a_headline")],
        )
    assert error.value.field == "outcomes.1.headline_code"
    with pytest.raises(InvalidInput) as error:
        services.create_plan(
            actor=world.practitioner, family=setup.family, outcomes=[_outcome(description="  ")]
        )
    assert error.value.field == "outcomes.0.description"
    assert not FamilyPlan.objects.exists()


def test_outcomes_are_suggested_from_the_assessed_needs(world, setup, monkeypatch):
    other_id = uuid4()
    assessed = [
        AssessedNeed(
            setup.child.pk, "getting_a_good_education", "Getting a good education", "high"
        ),
        AssessedNeed(
            setup.parent.pk, "getting_a_good_education", "Getting a good education", "low"
        ),
        AssessedNeed(other_id, "financial_stability", "Financial stability", "medium"),
    ]
    monkeypatch.setattr(needs, "assessed_needs", lambda family: assessed)
    suggestions = needs.suggested_outcomes(setup.family)
    assert [(s.headline_code, s.person_ids) for s in suggestions] == [
        ("getting_a_good_education", [setup.child.pk, setup.parent.pk]),
        ("financial_stability", [other_id]),
    ]
    assert suggestions[0].headline_label == "Getting a good education"
