"""The family page's "at a glance": plan, next review, assessment, claim, objection alert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.people.models import Person
from earlyhelp.plans.models import FamilyPlan
from earlyhelp.plans.services import create_plan, record_objection

pytestmark = pytest.mark.django_db


def _page(client, family) -> str:
    response = client.get(reverse("casework:family", args=[family.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_family_offers_the_first_steps(world, login):
    family, _ = world.open_family()
    page = _page(login(world.practitioner), family)
    assert "No family plan yet" in page and "No assessment yet" in page
    for url_name in ("contacts:new", "assessments:new", "plans:new", "programmes:enrol"):
        assert reverse(url_name, args=[family.pk]) in page


def test_the_plan_and_an_overdue_review_are_shown(world, login):
    family, _ = world.open_family()
    plan = create_plan(actor=world.practitioner, family=family)
    client = login(world.practitioner)

    page = _page(client, family)
    assert reverse("plans:detail", args=[family.pk, plan.pk]) in page
    assert "Version 1" in page and "Review overdue" not in page
    assert reverse("plans:new", args=[family.pk]) not in page

    FamilyPlan.objects.filter(pk=plan.pk).update(
        next_review_due=timezone.localdate() - timedelta(days=1)
    )
    assert "Review overdue" in _page(client, family)


def test_an_objection_to_sharing_is_an_alert(world, login):
    family, _ = world.open_family()
    plan = create_plan(actor=world.practitioner, family=family)
    parent = Person.objects.get(first_name="Marigold")
    record_objection(
        actor=world.practitioner,
        plan=plan,
        objected_by=parent.pk,
        objected_on=timezone.localdate(),
    )
    page = _page(login(world.practitioner), family)
    assert "The family objects to the plan being shared" in page
    assert "The plan will not be sent to TAF members" in page


def test_a_closed_family_offers_no_new_work(world, login):
    family, _ = world.closed_family()
    page = _page(login(world.manager), family)
    assert reverse("contacts:new", args=[family.pk]) not in page
    assert "Episode closed" in page
