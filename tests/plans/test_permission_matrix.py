"""Every role x plan state x page: read where the family is visible, change where one works
on the open episode, 404 where the family is out of reach."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.plans import services
from earlyhelp.plans.permissions import can_edit_plan
from tests.factories import (
    FAMILY_STATES,
    MATRIX_ROLES,
    SEES_FAMILY,
    TWO_TEAMS,
    WORKS_ON_FAMILY,
    expected_status,
    family_states,
)
from tests.plans.conftest import agree_to_taf_sharing, make_setup, start_plan

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, TWO_TEAMS]
CAN_EDIT = WORKS_ON_FAMILY
READ_PAGES = ["detail", "print", "pdf"]
EDIT_PAGES = ["outcome_new", "action_new", "member_new", "review", "objection", "share"]


def _review(actor, plan):
    version = services.current_version(plan)
    return services.record_review(
        actor=actor,
        plan=plan,
        data=services.ReviewInput(
            held_on=timezone.localdate(),
            summary="Reviewed.",
            change_summary="Nothing changed.",
            progress=[
                services.ProgressInput(outcome=o.pk, rating="on_track")
                for o in version.outcomes.all()
            ],
        ),
    )


@pytest.fixture
def plans(world):
    made = {}
    for spec in family_states(world):
        lead = spec.practitioner
        s = make_setup(world, team=spec.team, lead=lead, last_name=spec.last_name)
        plan = start_plan(world, s, actor=lead)
        agree_to_taf_sharing(world, s, actor=lead)
        review = _review(lead, plan)
        if spec.closed:
            world.close(s.episode)
            plan.refresh_from_db()
        made[spec.state] = (s, plan, review)
    return made


@pytest.mark.parametrize("role", ROLES)
def test_plan_pages(world, plans, client, role, mailoutbox):
    user = getattr(world, role)
    client.force_login(user)
    for state in FAMILY_STATES:
        s, plan, review = plans[state]
        args = [s.family.pk, plan.pk]
        version = services.current_version(plan)
        old = plan.versions.get(number=1)
        for name in READ_PAGES:
            response = client.get(reverse(f"plans:{name}", args=args))
            assert response.status_code == expected_status(SEES_FAMILY, role, state), (state, name)
        for name, view_args in [
            ("list", [s.family.pk]),
            ("version", [s.family.pk, old.pk]),
            ("review_detail", [s.family.pk, review.pk]),
        ]:
            response = client.get(reverse(f"plans:{name}", args=view_args))
            assert response.status_code == expected_status(SEES_FAMILY, role, state), (state, name)
        for name in EDIT_PAGES:
            response = client.get(reverse(f"plans:{name}", args=args))
            assert response.status_code == expected_status(CAN_EDIT, role, state), (state, name)
        outcome = version.outcomes.first()
        action = version.actions.first()
        for name, extra in [("outcome_edit", outcome.pk), ("action_status", action.pk)]:
            response = client.get(reverse(f"plans:{name}", args=[*args, extra]))
            assert response.status_code == expected_status(CAN_EDIT, role, state), (state, name)
        new = client.get(reverse("plans:new", args=[s.family.pk]))
        # Someone who could start a plan is taken to the one that already exists.
        expected_new = 302 if (role, state) in CAN_EDIT else expected_status(set(), role, state)
        assert new.status_code == expected_new, (role, state, "new")
        shared = client.post(reverse("plans:share", args=args), {"recipients": [str(s.teacher.pk)]})
        assert shared.status_code == (
            302 if (role, state) in CAN_EDIT else expected_status(set(), role, state)
        ), (role, state, "share post")
        assert can_edit_plan(user, plan) == ((role, state) in CAN_EDIT)


@pytest.mark.parametrize("role", ROLES)
def test_old_version_pages_offer_no_changes(world, plans, client, role):
    """Change links for an earlier version's rows answer 403 even for the plan's editors."""
    client.force_login(getattr(world, role))
    s, plan, _ = plans["open_north"]
    old = plan.versions.get(number=1)
    response = client.get(
        reverse("plans:action_status", args=[s.family.pk, plan.pk, old.actions.first().pk])
    )
    assert response.status_code == (403 if (role, "open_north") in SEES_FAMILY else 404)


REVIEW_LIST = {
    "practitioner": {"open_north"},
    "practitioner_south": {"open_south"},
    "manager": {"open_north"},
    "manager_south": {"open_south"},
    TWO_TEAMS: {"open_north", "open_south"},
}


@pytest.mark.parametrize("role", ROLES)
def test_reviews_due_list(world, plans, client, role):
    client.force_login(getattr(world, role))
    response = client.get(reverse("plans:reviews_due") + "?show=all")
    if role not in REVIEW_LIST:
        assert response.status_code == 403
        return
    html = response.content.decode()
    for state, (s, _plan, _review) in plans.items():
        assert (s.family.reference in html) == (state in REVIEW_LIST[role]), (role, state)


def test_anonymous_is_sent_to_sign_in(plans, client):
    s, plan, _ = plans["open_north"]
    for name in ["detail", "pdf", "share"]:
        response = client.get(reverse(f"plans:{name}", args=[s.family.pk, plan.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
