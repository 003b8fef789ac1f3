"""Setting up programmes and sessions, enrolling, registers, completion: the services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.casework.models import TimelineEntry, TimelineEntryPerson
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.partners.services import OrganisationInput, create_organisation
from earlyhelp.programmes.models import Attendance, Enrolment
from earlyhelp.programmes.services import (
    ProgrammeInput,
    add_session,
    complete_enrolment,
    create_programme,
    enrol,
    record_attendance,
    withdraw_enrolment,
)
from tests.programmes.conftest import TODAY, make_programme, member

pytestmark = pytest.mark.django_db


# --- set-up ------------------------------------------------------------------------------


def test_a_manager_sets_up_a_programme_for_their_team(world):
    provider = create_organisation(
        actor=world.admin, data=OrganisationInput(name="Families First", kind="voluntary_sector")
    )
    programme = make_programme(world, provider=provider, name="  Stay and   play ")
    assert (programme.name, programme.team, programme.provider) == (
        "Stay and play",
        world.north,
        provider,
    )
    event = AuditEvent.objects.get(object_type="programme")
    assert event.detail == {"kind": "parenting_course", "team": "north"}


def test_only_managers_of_the_team_set_it_up(world):
    data = ProgrammeInput(
        name="Course", kind="parenting_course", team=world.north, starts_on=TODAY()
    )
    for role in ("practitioner", "manager_south", "duty", "admin", "dpo"):
        with pytest.raises(PermissionDenied):
            create_programme(actor=getattr(world, role), data=data)


def test_set_up_rules(world):
    with pytest.raises(InvalidInput) as caught:
        make_programme(world, ends_on=TODAY() - timedelta(days=31))
    assert caught.value.field == "ends_on"
    with pytest.raises(InvalidInput) as caught:
        make_programme(world, capacity=0)
    assert caught.value.field == "capacity"
    with pytest.raises(InvalidInput) as caught:
        make_programme(world, name=" ")
    assert caught.value.field == "name"
    closed = create_organisation(
        actor=world.admin,
        data=OrganisationInput(name="Gone", kind="voluntary_sector", active=False),
    )
    with pytest.raises(InvalidInput) as caught:
        make_programme(world, provider=closed)
    assert caught.value.field == "provider"


def test_sessions_are_numbered_in_turn_and_stay_within_the_dates(world, programme):
    first = add_session(actor=world.practitioner, programme=programme, on=TODAY())
    second = add_session(actor=world.manager, programme=programme, on=TODAY())
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(InvalidInput) as caught:
        add_session(actor=world.practitioner, programme=programme, on=TODAY(), number=2)
    assert caught.value.field == "number"
    with pytest.raises(InvalidInput) as caught:
        add_session(actor=world.practitioner, programme=programme, on=TODAY() + timedelta(days=31))
    assert caught.value.field == "date"


def test_only_the_running_team_adds_sessions(world, programme):
    for role in ("practitioner_south", "manager_south", "duty", "admin"):
        with pytest.raises(PermissionDenied):
            add_session(actor=getattr(world, role), programme=programme, on=TODAY())


# --- enrolment ---------------------------------------------------------------------------


def test_enrolling_a_family_member_puts_it_on_the_timeline(world, programme, family):
    parent = member(family, "parent_or_carer")
    [enrolment] = enrol(
        actor=world.practitioner, family=family, programme=programme, people=[parent]
    )
    assert (enrolment.person, enrolment.family, enrolment.status) == (parent, family, "enrolled")
    assert enrolment.enrolled_on == TODAY() and enrolment.enrolled_by == world.practitioner
    entry = TimelineEntry.objects.get(object_type="enrolment")
    assert entry.kind == "programme" and entry.family == family
    assert entry.title == "Enrolled on Incredible Years parenting course"
    assert entry.link_name == "programmes:enrolment" and entry.object_id == str(enrolment.pk)
    people = TimelineEntryPerson.objects.filter(entry=entry).values_list("person_id", flat=True)
    assert list(people) == [parent.pk]
    event = AuditEvent.objects.get(object_type="enrolment")
    assert event.detail["kind"] == "parenting_course"


def test_enrolling_needs_sight_of_the_family(world, programme, family):
    child = member(family, "child")
    for role in ("practitioner_south", "duty", "admin"):
        with pytest.raises(NotFound):
            enrol(actor=getattr(world, role), family=family, programme=programme, people=[child])
    # A family of another team may join a programme North runs.
    south_family = world.open_family(team=world.south)[0]
    enrol(
        actor=world.practitioner_south,
        family=south_family,
        programme=programme,
        people=[member(south_family, "child")],
    )


def test_enrolment_rules(world, programme, family):
    child, parent = member(family, "child"), member(family, "parent_or_carer")
    other = member(world.open_family(last_name="Elsewhere")[0], "child")
    cases = [
        ({"people": []}, "people"),
        ({"people": [other]}, "people"),
        ({"people": [child], "enrolled_on": TODAY() + timedelta(days=1)}, "enrolled_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as caught:
            enrol(actor=world.practitioner, family=family, programme=programme, **kwargs)
        assert caught.value.field == field
    enrol(actor=world.practitioner, family=family, programme=programme, people=[child])
    with pytest.raises(InvalidInput, match="already enrolled"):
        enrol(actor=world.practitioner, family=family, programme=programme, people=[child, parent])
    assert Enrolment.objects.count() == 1


def test_a_finished_programme_takes_no_one(world, family):
    finished = make_programme(
        world, starts_on=TODAY() - timedelta(days=60), ends_on=TODAY() - timedelta(days=1)
    )
    with pytest.raises(InvalidInput) as caught:
        enrol(
            actor=world.practitioner,
            family=family,
            programme=finished,
            people=[member(family, "child")],
        )
    assert caught.value.field == "programme"


def test_capacity_counts_everyone_not_withdrawn(world, family):
    small = make_programme(world, capacity=1)
    child, parent = member(family, "child"), member(family, "parent_or_carer")
    with pytest.raises(InvalidInput, match="1 place"):
        enrol(actor=world.practitioner, family=family, programme=small, people=[child, parent])
    [first] = enrol(actor=world.practitioner, family=family, programme=small, people=[child])
    with pytest.raises(InvalidInput, match="0 place"):
        enrol(actor=world.practitioner, family=family, programme=small, people=[parent])
    withdraw_enrolment(actor=world.practitioner, enrolment=first, on=TODAY(), reason="Moved")
    enrol(actor=world.practitioner, family=family, programme=small, people=[parent])


# --- registers ---------------------------------------------------------------------------


def _enrolled(world, programme, family):  # type: ignore[no-untyped-def]
    return enrol(
        actor=world.practitioner,
        family=family,
        programme=programme,
        people=[member(family, "child"), member(family, "parent_or_carer")],
        enrolled_on=TODAY() - timedelta(days=10),
    )


def test_the_register_sets_updates_and_clears_marks(world, programme, session, family):
    a, b = _enrolled(world, programme, family)
    result = record_attendance(
        actor=world.practitioner, session=session, marks={a.pk: "attended", b.pk: "apologies"}
    )
    assert result.counts == {"attended": 1, "absent": 0, "apologies": 1}
    record_attendance(actor=world.manager, session=session, marks={a.pk: "absent", b.pk: None})
    marks = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert marks == {a.pk: "absent"}
    assert Attendance.objects.get().recorded_by == world.manager
    event = AuditEvent.objects.filter(object_type="programme_session", action="update").last()
    assert event.detail == {"register": True, "attended": 0, "absent": 1, "apologies": 0}


def test_attendance_shows_on_the_enrolments_timeline_line(world, programme, session, family):
    a, _ = _enrolled(world, programme, family)
    record_attendance(actor=world.practitioner, session=session, marks={a.pk: "attended"})
    entry = TimelineEntry.objects.get(object_type="enrolment", object_id=str(a.pk))
    assert entry.summary.endswith("Attended 1 of 1 sessions recorded")


def test_only_the_running_team_keeps_registers(world, programme, session, family):
    a, _ = _enrolled(world, programme, family)
    for role in ("practitioner_south", "manager_south", "duty"):
        with pytest.raises(PermissionDenied):
            record_attendance(actor=getattr(world, role), session=session, marks={a.pk: "absent"})
    assert not Attendance.objects.exists()


def test_register_rules(world, programme, session, family):
    a, b = _enrolled(world, programme, family)
    [elsewhere] = enrol(
        actor=world.practitioner,
        family=family,
        programme=make_programme(world, name="Another"),
        people=[member(family, "child")],
    )
    with pytest.raises(InvalidInput, match="register"):
        record_attendance(actor=world.practitioner, session=session, marks={elsewhere.pk: "absent"})
    with pytest.raises(InvalidInput):
        record_attendance(actor=world.practitioner, session=session, marks={a.pk: "late"})
    withdraw_enrolment(actor=world.practitioner, enrolment=b, on=TODAY(), reason="Work")
    with pytest.raises(InvalidInput, match="register"):
        record_attendance(actor=world.practitioner, session=session, marks={b.pk: "attended"})
    future = add_session(
        actor=world.practitioner, programme=programme, on=TODAY() + timedelta(days=2)
    )
    with pytest.raises(InvalidInput, match="on or after the day"):
        record_attendance(actor=world.practitioner, session=future, marks={a.pk: "attended"})
    assert not Attendance.objects.exists()


# --- completion and withdrawal -----------------------------------------------------------


def test_completion_is_recorded_and_added_to_the_timeline(world, programme, session, family):
    a, _ = _enrolled(world, programme, family)
    record_attendance(actor=world.practitioner, session=session, marks={a.pk: "attended"})
    complete_enrolment(actor=world.manager, enrolment=a, on=TODAY())
    a.refresh_from_db()
    assert (a.status, a.completed_on) == ("completed", TODAY())
    titles = set(TimelineEntry.objects.filter(object_id=str(a.pk)).values_list("title", flat=True))
    assert titles == {
        "Enrolled on Incredible Years parenting course",
        "Completed Incredible Years parenting course",
    }
    with pytest.raises(Conflict):
        withdraw_enrolment(actor=world.manager, enrolment=a, on=TODAY(), reason="x")


def test_withdrawal_needs_a_reason_and_a_sensible_date(world, programme, family):
    a, _ = _enrolled(world, programme, family)
    with pytest.raises(InvalidInput) as caught:
        withdraw_enrolment(actor=world.practitioner, enrolment=a, on=TODAY(), reason=" ")
    assert caught.value.field == "reason"
    with pytest.raises(InvalidInput) as caught:
        complete_enrolment(actor=world.practitioner, enrolment=a, on=TODAY() - timedelta(days=11))
    assert caught.value.field == "on"
    withdraw_enrolment(actor=world.practitioner, enrolment=a, on=TODAY(), reason="Started work")
    a.refresh_from_db()
    assert (a.status, a.withdrawal_reason) == ("withdrawn", "Started work")
    line = TimelineEntry.objects.get(object_id=str(a.pk), title__startswith="Withdrew")
    assert line.summary == "Started work"


def test_the_familys_own_workers_may_end_an_enrolment_on_another_teams_programme(world, family):
    south_course = make_programme(world, team=world.south, name="South course")
    [a] = enrol(
        actor=world.practitioner,
        family=family,
        programme=south_course,
        people=[member(family, "child")],
    )
    with pytest.raises(PermissionDenied):
        complete_enrolment(actor=world.duty, enrolment=a, on=TODAY())
    complete_enrolment(actor=world.practitioner, enrolment=a, on=TODAY())
    a.refresh_from_db()
    assert a.status == "completed"
