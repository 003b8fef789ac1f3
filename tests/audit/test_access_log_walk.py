"""The family's access log is built on the records walk: reads of every kind of record show,
nothing of another family does, and a new kind of record is found without a list to edit
(issue 13, defect 1)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.assessments import services as assessment_services
from earlyhelp.audit.selectors import family_access_log
from earlyhelp.casework.contacts.services import ContactInput, record_contact
from earlyhelp.plans.services import current_version
from earlyhelp.records.walk import ids_about_family, routes
from tests.factories import World
from tests.plans.conftest import make_setup, start_plan
from tests.sharing.test_policy_matrix import gateway_decision

pytestmark = pytest.mark.django_db


def test_reads_of_notes_assessments_plan_versions_and_decisions_show_in_the_log(
    world: World, login
) -> None:
    s = make_setup(world)
    version = current_version(start_plan(world, s))
    decision = gateway_decision(world, s)
    contact = record_contact(
        actor=world.practitioner,
        family=s.family,
        data=ContactInput(
            contact_type="home_visit",
            occurred_at=timezone.now() - timedelta(hours=1),
            note="Synthetic home visit note.",
            subjects=[s.child.pk],
        ),
    )
    assessment = assessment_services.start_assessment(
        actor=world.practitioner,
        family=s.family,
        started_on=timezone.localdate() - timedelta(days=3),
    )
    other, _ = world.open_family()
    client = login(world.practitioner)
    pages = {
        "contact": (reverse("contacts:detail", args=[s.family.pk, contact.pk]), contact.pk),
        "assessment": (
            reverse("assessments:detail", args=[s.family.pk, assessment.pk]),
            assessment.pk,
        ),
        "plan_version": (reverse("plans:version", args=[s.family.pk, version.pk]), version.pk),
        "sharing_decision": (
            reverse("sharing:decision", args=[s.family.pk, decision.pk]),
            decision.pk,
        ),
    }
    for url, _pk in pages.values():
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("casework:family", args=[other.pk])).status_code == 200

    log = family_access_log(world.manager, s.family.pk)
    named = {(row.event.object_type, row.event.object_id) for row in log.rows}
    for object_type, (_url, pk) in pages.items():
        assert (object_type, str(pk)) in named, object_type
    assert not any(object_id == str(other.pk) for _type, object_id in named)


def test_the_walk_finds_the_family_s_rows_and_none_of_another_s(world: World) -> None:
    s = make_setup(world)
    plan = start_plan(world, s)
    other, other_episode = world.open_family()
    mine, theirs = ids_about_family(s.family), ids_about_family(other)
    assert {str(s.family.pk), str(plan.pk), str(current_version(plan).pk)} <= mine
    assert str(s.child.pk) in mine  # the members themselves
    assert {str(other.pk), str(other_episode.pk)} <= theirs
    assert not mine & theirs


def test_every_kind_of_case_record_is_on_a_route() -> None:
    # The models the access log used to miss, and the ones it always had.
    labels = {route.model._meta.label for route in routes()}
    assert {
        "casework.Contact",
        "assessments.Assessment",
        "assessments.AssessmentNeed",
        "plans.PlanVersion",
        "plans.PlanAction",
        "sharing.SharingDecision",
        "sharing.Agreement",
        "people.Address",
        "referrals.Referral",
        "casework.Episode",
    } <= labels
