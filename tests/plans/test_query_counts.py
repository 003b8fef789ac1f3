"""Pinned query counts: the due-review list and the plan page do not grow with their rows.

Fixed whatever the number of rows: session, user, grants, the page's reads and the audit
events (PostgreSQL adds the audit chain's advisory lock per event).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.plans import services
from tests.plans.conftest import make_setup, start_plan

pytestmark = pytest.mark.django_db

REVIEWS_DUE_QUERIES = {"sqlite": 12, "postgresql": 13}
# One of them reads the directory notices for the family (decision 0014), however many.
DETAIL_QUERIES = {"sqlite": 25, "postgresql": 27}


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_reviews_due_query_count_is_pinned(world, client):
    client.force_login(world.manager)
    url = reverse("plans:reviews_due") + "?show=all"
    for surname in ("Ashgrove", "Birchwood"):
        start_plan(world, make_setup(world, last_name=surname))
    assert _count(client, url) == REVIEWS_DUE_QUERIES[connection.vendor]
    for surname in ("Cedarfell", "Dunmore", "Elmstead", "Foxley"):
        start_plan(world, make_setup(world, last_name=surname))
    html = client.get(url).content.decode()
    assert html.count("Family EH-") == 6
    assert _count(client, url) == REVIEWS_DUE_QUERIES[connection.vendor]


def _grow(world, plan, setup) -> None:
    """More of everything: outcomes, actions, members, versions and objections."""
    for _ in range(2):
        version = services.current_version(plan)
        services.record_review(
            actor=world.practitioner,
            plan=plan,
            data=services.ReviewInput(
                held_on=timezone.localdate(),
                summary="Reviewed.",
                change_summary="More added.",
                progress=[
                    services.ProgressInput(outcome=o.pk, rating="on_track")
                    for o in version.outcomes.all()
                ],
            ),
        )
        version = services.current_version(plan)
        services.add_outcome(
            actor=world.practitioner,
            version=version,
            data=services.OutcomeInput(
                headline_code="secure_housing",
                description="A secure home.",
                people=[setup.parent.pk, setup.excluded.pk],
            ),
        )
        services.add_action(
            actor=world.practitioner,
            version=version,
            data=services.ActionInput(
                what="Housing visit",
                due_on=timezone.localdate() + timedelta(days=3),
                owner_contact=setup.nurse.pk,
            ),
        )
    services.add_member(
        actor=world.practitioner, version=services.current_version(plan), person=setup.child.pk
    )
    for person in (setup.parent, setup.excluded):
        services.record_objection(
            actor=world.practitioner,
            plan=plan,
            objected_by=person.pk,
            objected_on=timezone.localdate(),
        )


def test_plan_page_query_count_is_pinned(world, setup, client):
    plan = start_plan(world, setup)
    client.force_login(world.practitioner)
    url = reverse("plans:detail", args=[setup.family.pk, plan.pk])
    assert _count(client, url) == DETAIL_QUERIES[connection.vendor]
    _grow(world, plan, setup)
    assert services.current_version(plan).outcomes.count() == 4
    assert _count(client, url) == DETAIL_QUERIES[connection.vendor]
