"""Programme pages over HTTP: set-up, sessions, registers, completion, and query pins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.programmes.models import Attendance, Programme, ProgrammeSession
from earlyhelp.programmes.services import enrol
from tests.programmes.conftest import TODAY, make_programme, member

pytestmark = pytest.mark.django_db

# Fixed whatever the number of rows. Session, user, grants, count, page and the session
# save in its savepoint; no audit event, as the list names no one.
LIST_QUERIES = {"sqlite": 8, "postgresql": 8}
# Session, user, grants, programme, session, marks, enrolments with their people, the audit
# event and the session save in savepoints (PostgreSQL adds the audit chain's lock).
REGISTER_QUERIES = {"sqlite": 14, "postgresql": 15}


def _date(prefix: str, day) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _enrol_family(world, programme, last_name: str):  # type: ignore[no-untyped-def]
    family = world.open_family(last_name=last_name)[0]
    return enrol(
        actor=world.practitioner,
        family=family,
        programme=programme,
        people=[member(family, "child"), member(family, "parent_or_carer")],
        enrolled_on=TODAY() - timedelta(days=10),
    )


def test_a_manager_sets_up_a_programme(world, client):
    client.force_login(world.manager)
    start = TODAY() + timedelta(days=7)
    data = {
        "name": "Baby massage",
        "kind": "early_years_group",
        "team": "north",
        "capacity": "8",
        **_date("starts_on", start),
    }
    response = client.post(reverse("programmes:new"), data)
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:detail", args=[programme.pk])
    assert (programme.team, programme.capacity, programme.ends_on) == (world.north, 8, None)


def test_set_up_errors_are_explained_and_keep_what_was_typed(world, client):
    client.force_login(world.manager)
    start = TODAY() + timedelta(days=7)
    data = {
        "name": "Baby massage",
        "kind": "early_years_group",
        "team": "north",
        "capacity": "eight",
        "description": "Weekly, for babies under one",
        **_date("starts_on", start),
        **_date("ends_on", start - timedelta(days=1)),
    }
    html = client.post(reverse("programmes:new"), data).content.decode()
    assert "There is a problem" in html
    assert "Enter the number of places as a whole number" in html
    assert "Baby massage" in html and "Weekly, for babies under one" in html
    data["capacity"] = "8"
    html = client.post(reverse("programmes:new"), data).content.decode()
    assert "The end date must be the same as or after the start date" in html
    assert not Programme.objects.exists()


def test_the_team_list_offers_only_teams_the_user_manages(world, client):
    client.force_login(world.manager)
    html = client.get(reverse("programmes:new")).content.decode()
    assert "North Family Support" in html and "South Family Support" not in html
    response = client.post(reverse("programmes:new"), {"team": "south"})
    assert "Select a valid choice" in response.content.decode()


def test_sessions_are_added_with_a_24_hour_time(world, programme, client):
    client.force_login(world.practitioner)
    url = reverse("programmes:session_new", args=[programme.pk])
    bad = client.post(url, {**_date("date", TODAY()), "start_time": "2pm"})
    assert "Enter a start time on the 24-hour clock" in bad.content.decode()
    response = client.post(
        url, {**_date("date", TODAY()), "start_time": "14:00", "location": "Hall"}
    )
    assert response.status_code == 302
    session = ProgrammeSession.objects.get()
    assert (session.number, str(session.start_time), session.location) == (1, "14:00:00", "Hall")
    outside = client.post(url, {**_date("date", TODAY() + timedelta(days=40))})
    assert "between the programme&#39;s start and end dates" in outside.content.decode()


def test_the_register_is_kept_in_one_form(world, programme, session, client):
    a, b = _enrol_family(world, programme, "Ashgrove")
    client.force_login(world.practitioner)
    url = reverse("programmes:register", args=[programme.pk, session.pk])
    page = client.get(url).content.decode()
    assert "Zoë Ashgrove" in page and "Marigold Ashgrove" in page
    response = client.post(url, {f"mark_{a.pk.hex}": "attended", f"mark_{b.pk.hex}": "absent"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        a.pk: "attended",
        b.pk: "absent",
    }
    again = client.get(url).content.decode()
    assert 'value="attended" checked' in again
    event = AuditEvent.objects.filter(object_type="programme_register").last()
    assert event.detail == {"count": 2} and "Ashgrove" not in str(event.detail)


def test_a_bad_mark_is_refused(world, programme, session, client):
    a, _ = _enrol_family(world, programme, "Ashgrove")
    client.force_login(world.practitioner)
    url = reverse("programmes:register", args=[programme.pk, session.pk])
    response = client.post(url, {f"mark_{a.pk.hex}": "late"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not Attendance.objects.exists()


def test_completion_and_withdrawal_through_the_page(world, programme, client):
    a, b = _enrol_family(world, programme, "Ashgrove")
    client.force_login(world.manager)
    url = reverse("programmes:complete", args=[programme.pk, b.pk])
    no_reason = client.post(url, {"outcome": "withdrawn", **_date("on", TODAY())})
    assert "Say why they withdrew" in no_reason.content.decode()
    client.post(url, {"outcome": "withdrawn", "reason": "Started a job", **_date("on", TODAY())})
    b.refresh_from_db()
    assert (b.status, b.withdrawal_reason) == ("withdrawn", "Started a job")
    url = reverse("programmes:complete", args=[programme.pk, a.pk])
    response = client.post(url, {"outcome": "completed", **_date("on", TODAY())})
    assert response["Location"] == reverse("programmes:detail", args=[programme.pk])
    a.refresh_from_db()
    assert a.status == "completed"
    ended = client.post(url, {"outcome": "completed", **_date("on", TODAY())})
    assert "This enrolment has already ended" in ended.content.decode()


def test_the_list_paginates(world, client):
    for n in range(26):
        make_programme(world, name=f"Group {n:02d}", starts_on=TODAY() - timedelta(days=n))
    client.force_login(world.duty)
    first = client.get(reverse("programmes:list")).content.decode()
    assert "Group 00" in first and "Group 25" not in first and "page=2" in first
    assert "Group 25" in client.get(reverse("programmes:list"), {"page": 2}).content.decode()


def test_list_query_count_is_pinned(world, client):
    client.force_login(world.practitioner)
    for n in range(2):
        _enrol_family(world, make_programme(world, name=f"Group {n}"), f"Family{n}")
    assert _count(client, reverse("programmes:list")) == LIST_QUERIES[connection.vendor]
    for n in range(2, 7):
        _enrol_family(world, make_programme(world, name=f"Group {n}"), f"Family{n}")
    assert _count(client, reverse("programmes:list")) == LIST_QUERIES[connection.vendor]


def test_register_query_count_is_pinned(world, programme, session, client):
    client.force_login(world.practitioner)
    url = reverse("programmes:register", args=[programme.pk, session.pk])
    _enrol_family(world, programme, "Ashgrove")
    assert _count(client, url) == REGISTER_QUERIES[connection.vendor]
    for name in ("Birchwood", "Cedarfell", "Dunmore"):
        _enrol_family(world, programme, name)
    assert _count(client, url) == REGISTER_QUERIES[connection.vendor]
