"""Programme pages inside a family: enrol, an enrolment, observations; the query pin."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry
from earlyhelp.programmes.models import Enrolment, Observation
from earlyhelp.programmes.observations import ObservationInput, record_observation
from earlyhelp.programmes.services import enrol, record_attendance
from tests.programmes.conftest import TODAY, make_programme, member

pytestmark = pytest.mark.django_db

# Session, user, grants, the family and its visibility check with their audit event, the
# members, count, page, the list's audit event and the session save (savepoints included;
# PostgreSQL adds the audit chain's lock for each of the two events).
OBSERVATIONS_QUERIES = {"sqlite": 19, "postgresql": 21}


def _date(prefix: str, day) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def _observe(world, family, **values):  # type: ignore[no-untyped-def]
    values.setdefault("person_id", member(family, "child").pk)
    values.setdefault("observed_on", TODAY() - timedelta(days=1))
    return record_observation(
        actor=world.practitioner, family=family, data=ObservationInput(**values)
    )


def test_a_practitioner_enrols_a_parent_from_the_family(world, programme, family, client):
    parent = member(family, "parent_or_carer")
    client.force_login(world.practitioner)
    url = reverse("programmes:enrol", args=[family.pk])
    page = client.get(url).content.decode()
    assert "Incredible Years parenting course (North Family Support)" in page
    assert "10 place(s) left" in page and "Marigold Quillfeather (parent or carer)" in page
    response = client.post(
        url,
        {
            "programme": str(programme.pk),
            "people": [str(parent.pk)],
            **_date("enrolled_on", TODAY()),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:family", args=[family.pk])
    enrolment = Enrolment.objects.get()
    assert (enrolment.person, enrolment.family) == (parent, family)
    line = TimelineEntry.objects.get(object_type="enrolment")
    assert line.link_name == "programmes:enrolment"


def test_enrol_errors_are_explained(world, programme, family, client):
    client.force_login(world.practitioner)
    url = reverse("programmes:enrol", args=[family.pk])
    html = client.post(url, {"programme": str(programme.pk), **_date("enrolled_on", TODAY())})
    assert "Choose who is joining" in html.content.decode()
    child = member(family, "child")
    enrol(actor=world.practitioner, family=family, programme=programme, people=[child])
    again = client.post(
        url,
        {
            "programme": str(programme.pk),
            "people": [str(child.pk)],
            **_date("enrolled_on", TODAY()),
        },
    )
    assert "Someone chosen is already enrolled on this programme" in again.content.decode()
    assert Enrolment.objects.count() == 1


def test_finished_programmes_are_not_offered(world, family, client):
    make_programme(
        world,
        name="Last year's group",
        starts_on=TODAY() - timedelta(days=400),
        ends_on=TODAY() - timedelta(days=300),
    )
    client.force_login(world.practitioner)
    html = client.get(reverse("programmes:enrol", args=[family.pk])).content.decode()
    assert "Last year" not in html and "There are no programmes open to join" in html


def test_the_enrolment_page_shows_attendance(world, programme, session, family, client):
    [enrolment] = enrol(
        actor=world.practitioner,
        family=family,
        programme=programme,
        people=[member(family, "child")],
        enrolled_on=TODAY() - timedelta(days=10),
    )
    record_attendance(actor=world.practitioner, session=session, marks={enrolment.pk: "apologies"})
    client.force_login(world.manager)
    html = client.get(
        reverse("programmes:enrolment", args=[family.pk, enrolment.pk])
    ).content.decode()
    assert "Apologies given" in html and "Record completion or withdrawal" in html
    event = AuditEvent.objects.filter(object_type="enrolment", action="view").last()
    assert event.object_id == str(enrolment.pk)


def test_recording_an_observation_is_two_steps(world, family, client):
    client.force_login(world.practitioner)
    url = reverse("programmes:observation_new", args=[family.pk])
    first = client.get(url).content.decode()
    assert "What are you recording?" in first and "School attendance" in first
    unchosen = client.get(url, {"kind": ""}).content.decode()
    assert "Choose what you are recording" in unchosen
    form = client.get(url, {"kind": "school_attendance"}).content.decode()
    assert "Attendance (%)" in form and "First day of the period" in form
    assert "SEN status" not in form
    child = member(family, "child")
    day = TODAY() - timedelta(days=1)
    data = {
        "person": str(child.pk),
        "attendance_percent": "101",
        **_date("observed_on", day),
        **_date("period_start", day - timedelta(days=60)),
        **_date("period_end", day),
    }
    refused = client.post(f"{url}?kind=school_attendance", data).content.decode()
    assert "Enter attendance as a percentage from 0 to 100" in refused
    assert 'value="101"' in refused
    data["attendance_percent"] = "87.5%"
    response = client.post(f"{url}?kind=school_attendance", data)
    observation = Observation.objects.get()
    assert response["Location"] == reverse(
        "programmes:observation", args=[family.pk, observation.pk]
    )
    assert observation.attendance_percent == Decimal("87.50")
    detail = client.get(response["Location"]).content.decode()
    assert "87.5%" in detail and "Entered by hand" in detail


def test_the_observations_list_filters_by_person(world, family, client):
    _observe(world, family, kind="two_year_check", outcome="needs_support")
    _observe(
        world,
        family,
        person_id=member(family, "parent_or_carer").pk,
        kind="sen_status",
        sen_status="no_sen",
    )
    client.force_login(world.practitioner)
    url = reverse("programmes:observations", args=[family.pk])
    everyone = client.get(url).content.decode()
    assert "Needs support" in everyone and "No special educational needs" in everyone
    child_only = client.get(url, {"person": str(member(family, "child").pk)}).content.decode()
    assert "Needs support" in child_only and "No special educational needs" not in child_only
    event = AuditEvent.objects.filter(object_type="observation", action="view").last()
    assert event.detail == {"family": str(family.pk), "count": 1, "list": True}
    assert client.get(url, {"person": "not-a-uuid"}).status_code == 200


def test_the_observations_list_paginates(world, family, client):
    for n in range(27):
        _observe(
            world,
            family,
            kind="sen_status",
            sen_status="sen_support",
            observed_on=TODAY() - timedelta(days=n + 1),
        )
    client.force_login(world.manager)
    url = reverse("programmes:observations", args=[family.pk])
    first = client.get(url).content.decode()
    assert "page=2" in first and "Observations (27)" in first
    assert first.count("SEN support") == 25
    assert client.get(url, {"page": 2}).content.decode().count("SEN support") == 2


def test_observations_query_count_is_pinned(world, family, client):
    client.force_login(world.practitioner)
    url = reverse("programmes:observations", args=[family.pk])
    for n in range(2):
        _observe(
            world,
            family,
            kind="two_year_check",
            outcome="on_track",
            observed_on=TODAY() - timedelta(days=n + 1),
        )
    assert _count(client, url) == OBSERVATIONS_QUERIES[connection.vendor]
    for _ in range(6):
        _observe(
            world,
            family,
            kind="sen_status",
            sen_status="ehc_plan",
            person_id=member(family, "parent_or_carer").pk,
        )
    assert _count(client, url) == OBSERVATIONS_QUERIES[connection.vendor]


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
