"""Outcomes, actions and TAF members change on the current version only, each change audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.plans import services
from earlyhelp.plans.models import PlanAction, TafMember
from tests.plans.conftest import make_setup

pytestmark = pytest.mark.django_db


def _review(actor, plan):
    version = services.current_version(plan)
    data = services.ReviewInput(
        held_on=timezone.localdate(),
        summary="Going well.",
        change_summary="No changes.",
        progress=[
            services.ProgressInput(outcome=o.pk, rating="on_track") for o in version.outcomes.all()
        ],
    )
    return services.record_review(actor=actor, plan=plan, data=data)


def test_the_plan_fixture_holds_what_it_says(plan, setup):
    version = services.current_version(plan)
    assert version.outcomes.count() == 2
    assert version.actions.count() == 2
    assert version.members.count() == 4
    for object_type, count in [("plan_outcome", 0), ("plan_action", 2), ("taf_member", 4)]:
        assert AuditEvent.objects.filter(action="create", object_type=object_type).count() == count


def test_adding_an_outcome_is_audited_with_codes_only(world, plan, setup):
    version = services.current_version(plan)
    outcome = services.add_outcome(
        actor=world.practitioner,
        version=version,
        data=services.OutcomeInput(
            headline_code="secure_housing",
            description="Marigold's tenancy is secure.",
            people=[setup.parent.pk],
        ),
    )
    assert outcome.position == 2
    event = AuditEvent.objects.get(object_type="plan_outcome", object_id=str(outcome.pk))
    assert event.detail == {"version": 1, "headline": "secure_housing"}


def test_updating_an_outcome_keeps_its_history(world, plan, setup):
    outcome = services.current_version(plan).outcomes.get(position=0)
    services.update_outcome(
        actor=world.manager,
        outcome=outcome,
        description="Zoë arrives on time every day.",
        measure="",
        people=[setup.child.pk],
    )
    outcome.refresh_from_db()
    assert outcome.description == "Zoë arrives on time every day."
    previous = outcome.history.order_by("history_date").first()
    assert previous.description == "Zoë is in school every day and on time."
    assert outcome.history.latest("history_date").history_user == world.manager


def test_an_action_has_exactly_one_owner_from_the_family_or_the_directory(world, plan, setup):
    version = services.current_version(plan)
    due = timezone.localdate() + timedelta(days=7)
    both = services.ActionInput(
        what="x", due_on=due, owner_person=setup.parent.pk, owner_contact=setup.teacher.pk
    )
    neither = services.ActionInput(what="x", due_on=due)
    stranger = make_setup(world, last_name="Ashgrove").parent
    outsider = services.ActionInput(what="x", due_on=due, owner_person=stranger.pk)
    for data in (both, neither, outsider):
        with pytest.raises(InvalidInput) as error:
            services.add_action(actor=world.practitioner, version=version, data=data)
        assert error.value.field == "owner"
    assert version.actions.count() == 2


def test_the_database_refuses_an_action_without_an_owner(plan):
    from django.db import IntegrityError, transaction

    action = services.current_version(plan).actions.first()
    action.owner_person = None
    action.owner_contact = None
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_action_status_changes_are_audited(world, plan):
    action = services.current_version(plan).actions.first()
    services.update_action_status(actor=world.practitioner, action=action, status="in_progress")
    action.refresh_from_db()
    assert action.status == "in_progress"
    event = AuditEvent.objects.filter(object_type="plan_action", object_id=str(action.pk)).last()
    assert event.detail == {"change": "status", "from": "not_started", "to": "in_progress"}
    with pytest.raises(InvalidInput):
        services.update_action_status(actor=world.practitioner, action=action, status="maybe")


def test_a_member_joins_once_and_is_one_kind(world, plan, setup):
    version = services.current_version(plan)
    with pytest.raises(Conflict):
        services.add_member(actor=world.practitioner, version=version, contact=setup.teacher.pk)
    with pytest.raises(InvalidInput):
        services.add_member(
            actor=world.practitioner,
            version=version,
            contact=setup.teacher.pk,
            person=setup.child.pk,
        )
    member = services.add_member(actor=world.practitioner, version=version, person=setup.child.pk)
    assert member.person == setup.child and not member.is_professional
    assert TafMember.objects.filter(version=version).count() == 5


def test_earlier_versions_are_read_only(world, plan, setup):
    old = services.current_version(plan)
    _review(world.practitioner, plan)
    old_action = old.actions.first()
    old_outcome = old.outcomes.first()
    attempts = [
        lambda: services.add_outcome(
            actor=world.practitioner,
            version=old,
            data=services.OutcomeInput(headline_code="secure_housing", description="x"),
        ),
        lambda: services.update_outcome(
            actor=world.practitioner, outcome=old_outcome, description="x", measure="", people=[]
        ),
        lambda: services.add_action(
            actor=world.practitioner,
            version=old,
            data=services.ActionInput(
                what="x", due_on=timezone.localdate(), owner_person=setup.parent.pk
            ),
        ),
        lambda: services.update_action_status(
            actor=world.practitioner, action=old_action, status="done"
        ),
        lambda: services.add_member(actor=world.practitioner, version=old, person=setup.child.pk),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict, match="earlier version"):
            attempt()
    old_action.refresh_from_db()
    assert old_action.status == "not_started"
    assert old.outcomes.count() == 2 and old.members.count() == 4


@pytest.mark.parametrize("role", ["practitioner_south", "manager_south", "duty", "dpo", "partner"])
def test_only_people_working_on_the_episode_change_the_plan(world, plan, setup, role):
    version = services.current_version(plan)
    with pytest.raises(PermissionDenied):
        services.update_action_status(
            actor=getattr(world, role), action=version.actions.first(), status="done"
        )
    assert not PlanAction.objects.filter(status="done").exists()


def test_a_closed_episode_freezes_the_plan(world, plan):
    from earlyhelp.casework.services import close_episode

    close_episode(actor=world.manager, episode=plan.episode, reason="needs_met", summary="Done.")
    plan.refresh_from_db()
    assert plan.status == "closed"  # closing the episode closes its plan
    with pytest.raises(Conflict, match="closed"):
        services.update_action_status(
            actor=world.manager,
            action=services.current_version(plan).actions.first(),
            status="done",
        )


def test_closing_with_the_episode_keeps_the_plan_readable_but_frozen(world, plan, setup):
    from earlyhelp.casework.models import TimelineEntry

    closed = services.close_plans_for_episode(actor=world.manager, episode=setup.episode)
    assert closed == 1
    plan.refresh_from_db()
    assert plan.status == "closed" and plan.history.latest().history_user == world.manager
    assert TimelineEntry.objects.filter(title="Family plan closed with the episode").exists()
    assert services.close_plans_for_episode(actor=world.manager, episode=setup.episode) == 0
    with pytest.raises(Conflict, match="closed"):
        services.update_action_status(
            actor=world.practitioner,
            action=services.current_version(plan).actions.first(),
            status="done",
        )
    # A new plan can start for the same episode once the old one is closed.
    assert services.create_plan(actor=world.practitioner, family=setup.family).is_active
