"""Enrolments and observations appear in the family's timeline and link to their pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from earlyhelp.casework import timeline
from earlyhelp.programmes.observations import ObservationInput, record_observation
from earlyhelp.programmes.services import complete_enrolment, enrol
from tests.programmes.conftest import TODAY, member

pytestmark = pytest.mark.django_db


def test_the_timeline_links_each_line_to_its_record(world, programme, family, client):
    child = member(family, "child")
    [enrolment] = enrol(
        actor=world.practitioner, family=family, programme=programme, people=[child]
    )
    complete_enrolment(actor=world.practitioner, enrolment=enrolment, on=TODAY())
    observation = record_observation(
        actor=world.practitioner,
        family=family,
        data=ObservationInput(
            person_id=child.pk,
            kind="school_readiness",
            observed_on=TODAY() - timedelta(days=1),
            outcome="on_track",
        ),
    )
    hrefs = {
        line.entry.title: line.href
        for line in timeline.lines(timeline.entries_for(family, person_id=child.pk))
    }
    enrolment_url = reverse("programmes:enrolment", args=[family.pk, enrolment.pk])
    assert hrefs["Enrolled on Incredible Years parenting course"] == enrolment_url
    assert hrefs["Completed Incredible Years parenting course"] == enrolment_url
    assert hrefs["School readiness: On track"] == reverse(
        "programmes:observation", args=[family.pk, observation.pk]
    )
    client.force_login(world.practitioner)
    for title in ("Completed Incredible Years parenting course", "School readiness: On track"):
        assert client.get(hrefs[title]).status_code == 200
    kinds = {e.kind for e in timeline.entries_for(family, person_id=child.pk)}
    assert {"programme", "observation"} <= kinds
