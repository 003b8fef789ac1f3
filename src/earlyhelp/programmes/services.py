"""Writes for programmes: set-up, sessions, enrolment, registers, completion.

Every enrolment, completion and withdrawal is also a line on the family's timeline;
observations have their own module (``observations.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from earlyhelp.accounts.models import Team, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineKind
from earlyhelp.casework.permissions import can_view_family
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.partners.models import Organisation
from earlyhelp.people.models import Family, Person
from earlyhelp.programmes.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeKind,
    ProgrammeSession,
)
from earlyhelp.programmes.permissions import (
    can_end_enrolment,
    can_run_programme,
    teams_that_can_set_up,
)


def occurred_at(day: date) -> datetime:
    """A date placed on the timeline: midday that day, never later than now."""
    moment = datetime.combine(day, time(12, 0), tzinfo=timezone.get_current_timezone())
    return min(moment, timezone.now())


@dataclass(frozen=True)
class ProgrammeInput:
    name: str
    kind: str
    team: Team
    starts_on: date
    ends_on: date | None = None
    provider: Organisation | None = None
    capacity: int | None = None
    description: str = ""


@transaction.atomic
def create_programme(*, actor: User, data: ProgrammeInput) -> Programme:
    if data.team.pk not in teams_that_can_set_up(actor):
        raise PermissionDenied("Only a manager of the team can set up its programmes.")
    name = " ".join(data.name.split())
    if not name:
        raise InvalidInput("Enter the programme's name", field="name")
    if len(name) > 200:
        raise InvalidInput("Name must be 200 characters or fewer", field="name")
    if data.kind not in ProgrammeKind.values:
        raise InvalidInput("Choose what kind of programme it is", field="kind")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise InvalidInput(
            "The end date must be the same as or after the start date", field="ends_on"
        )
    if data.capacity is not None and data.capacity < 1:
        raise InvalidInput("The number of places must be 1 or more", field="capacity")
    if data.provider is not None and not data.provider.active:
        raise InvalidInput("Choose an active organisation from the directory", field="provider")
    programme = Programme.objects.create(
        name=name,
        kind=data.kind,
        team=data.team,
        provider=data.provider,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        capacity=data.capacity,
        description=data.description.strip(),
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="programme",
        object_id=programme.pk,
        detail={"kind": programme.kind, "team": data.team.slug},
    )
    return programme


@transaction.atomic
def add_session(
    *,
    actor: User,
    programme: Programme,
    on: date,
    start_time: time | None = None,
    location: str = "",
    number: int | None = None,
) -> ProgrammeSession:
    """Add a session; without a ``number`` it takes the next one."""
    if not can_run_programme(actor, programme):
        raise PermissionDenied("Only the team running the programme can add sessions.")
    if on < programme.starts_on or (programme.ends_on is not None and on > programme.ends_on):
        raise InvalidInput(
            "The session must be between the programme's start and end dates", field="date"
        )
    if len(location.strip()) > 200:
        raise InvalidInput("Location must be 200 characters or fewer", field="location")
    if number is None:
        highest = programme.sessions.aggregate(highest=Max("number"))["highest"]
        number = (highest or 0) + 1
    if number < 1:
        raise InvalidInput("The session number must be 1 or more", field="number")
    try:
        with transaction.atomic():
            session = ProgrammeSession.objects.create(
                programme=programme,
                number=number,
                date=on,
                start_time=start_time,
                location=location.strip(),
            )
    except IntegrityError:
        raise InvalidInput(
            "The programme already has a session with this number", field="number"
        ) from None
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="programme_session",
        object_id=session.pk,
        detail={"number": number},
    )
    return session


def places_taken(programme: Programme) -> int:
    return programme.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()


def _enrolment_summary(programme: Programme) -> str:
    provider = f", delivered by {programme.provider.name}" if programme.provider else ""
    return f"{programme.get_kind_display()} run by {programme.team.name}{provider}"


@transaction.atomic
def enrol(
    *,
    actor: User,
    family: Family,
    programme: Programme,
    people: Sequence[Person],
    enrolled_on: date | None = None,
) -> list[Enrolment]:
    """Enrol members of ``family`` on ``programme``, one enrolment (and timeline line) each."""
    if not can_view_family(actor, family):
        raise NotFound()
    today = timezone.localdate()
    enrolled_on = enrolled_on or today
    if enrolled_on > today:
        raise InvalidInput(
            "The date of enrolment must be today or in the past", field="enrolled_on"
        )
    if programme.ends_on is not None and programme.ends_on < enrolled_on:
        raise InvalidInput("This programme has finished: choose another", field="programme")
    if not people:
        raise InvalidInput("Choose who to enrol", field="people")
    member_ids = set(family.memberships.values_list("person_id", flat=True))
    if any(person.pk not in member_ids for person in people):
        raise InvalidInput("Choose members of this family", field="people")
    person_ids = [person.pk for person in people]
    if programme.enrolments.filter(person_id__in=person_ids).exists():
        raise InvalidInput("Someone chosen is already enrolled on this programme", field="people")
    if programme.capacity is not None:
        left = programme.capacity - places_taken(programme)
        if len(people) > left:
            raise InvalidInput(f"The programme has {max(left, 0)} place(s) left", field="people")
    try:
        with transaction.atomic():
            enrolments = [
                Enrolment.objects.create(
                    programme=programme,
                    person=person,
                    family=family,
                    enrolled_on=enrolled_on,
                    enrolled_by=actor,
                )
                for person in people
            ]
    except IntegrityError:
        raise InvalidInput(
            "Someone chosen is already enrolled on this programme", field="people"
        ) from None
    for enrolment in enrolments:
        record_event(
            actor=actor,
            action=Action.CREATE,
            object_type="enrolment",
            object_id=enrolment.pk,
            detail={"programme": programme.pk, "kind": programme.kind},
        )
        timeline.record_entry(
            family=family,
            kind=TimelineKind.PROGRAMME,
            occurred_at=occurred_at(enrolled_on),
            object_type="enrolment",
            object_id=enrolment.pk,
            title=f"Enrolled on {programme.name}",
            summary=_enrolment_summary(programme),
            people=[enrolment.person_id],
            link_name="programmes:enrolment",
            recorded_by=actor,
        )
    return enrolments


def _check_can_end(actor: User, enrolment: Enrolment, on: date) -> None:
    if not can_end_enrolment(actor, enrolment):
        raise PermissionDenied("Only the running team or the family's workers can do this.")
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict("This enrolment has already ended.")
    if on > timezone.localdate():
        raise InvalidInput("The date must be today or in the past", field="on")
    if on < enrolment.enrolled_on:
        raise InvalidInput("The date must be on or after the date of enrolment", field="on")


@transaction.atomic
def complete_enrolment(*, actor: User, enrolment: Enrolment, on: date) -> Enrolment:
    _check_can_end(actor, enrolment, on)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_on = on
    enrolment.save(update_fields=["status", "completed_on"])
    _record_end(actor, enrolment, on, f"Completed {enrolment.programme.name}", "completed")
    return enrolment


@transaction.atomic
def withdraw_enrolment(*, actor: User, enrolment: Enrolment, on: date, reason: str) -> Enrolment:
    _check_can_end(actor, enrolment, on)
    if not reason.strip():
        raise InvalidInput("Say why they withdrew", field="reason")
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_on = on
    enrolment.withdrawal_reason = reason.strip()
    enrolment.save(update_fields=["status", "withdrawn_on", "withdrawal_reason"])
    _record_end(actor, enrolment, on, f"Withdrew from {enrolment.programme.name}", "withdrawn")
    return enrolment


def _record_end(actor: User, enrolment: Enrolment, on: date, title: str, change: str) -> None:
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="enrolment",
        object_id=enrolment.pk,
        detail={"change": change},
    )
    timeline.record_entry(
        family=enrolment.family,
        kind=TimelineKind.PROGRAMME,
        occurred_at=occurred_at(on),
        object_type="enrolment",
        object_id=enrolment.pk,
        title=title,
        summary=enrolment.withdrawal_reason or _attendance_summary(enrolment, enrolment.programme),
        people=[enrolment.person_id],
        link_name="programmes:enrolment",
        recorded_by=actor,
    )


def _attendance_summary(enrolment: Enrolment, programme: Programme) -> str:
    counts = enrolment.attendance.aggregate(
        marked=Count("pk"), attended=Count("pk", filter=Q(status=AttendanceStatus.ATTENDED))
    )
    summary = _enrolment_summary(programme)
    if not counts["marked"]:
        return summary
    return f"{summary}. Attended {counts['attended']} of {counts['marked']} sessions recorded"


@dataclass(frozen=True)
class RegisterResult:
    session: ProgrammeSession
    counts: dict[str, int]


def register_enrolments(session: ProgrammeSession) -> list[Enrolment]:
    """Who is on the register: everyone enrolled, except those who withdrew."""
    return list(
        session.programme.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


@transaction.atomic
def record_attendance(
    *, actor: User, session: ProgrammeSession, marks: Mapping[UUID, str | None]
) -> RegisterResult:
    """Set the register: enrolment id -> attended / absent / apologies (None clears a mark)."""
    if not can_run_programme(actor, session.programme):
        raise PermissionDenied("Only the team running the programme can keep its registers.")
    if session.date > timezone.localdate():
        raise InvalidInput(
            "Attendance can be marked on or after the day of the session", field="marks"
        )
    on_register = {e.pk: e for e in register_enrolments(session)}
    for enrolment_id, status in marks.items():
        if enrolment_id not in on_register:
            raise InvalidInput(
                "Attendance can only be marked for people on this programme's register",
                field="marks",
            )
        if status and status not in AttendanceStatus.values:
            raise InvalidInput("Choose attended, absent or apologies given", field="marks")
    existing = {a.enrolment_id: a for a in session.attendance.all()}
    now = timezone.now()
    changed: list[Attendance] = []
    created: list[Attendance] = []
    cleared: list[int] = []
    for enrolment_id, status in marks.items():
        mark = existing.get(enrolment_id)
        if not status:
            if mark is not None:
                cleared.append(mark.pk)
        elif mark is None:
            created.append(
                Attendance(
                    session=session,
                    enrolment_id=enrolment_id,
                    status=status,
                    recorded_by=actor,
                    recorded_at=now,
                )
            )
        elif mark.status != status:
            mark.status, mark.recorded_by, mark.recorded_at = status, actor, now
            changed.append(mark)
    Attendance.objects.filter(pk__in=cleared).delete()
    Attendance.objects.bulk_create(created)
    Attendance.objects.bulk_update(changed, ["status", "recorded_by", "recorded_at"])
    counts = Counter(session.attendance.values_list("status", flat=True))
    result = {status: counts.get(status, 0) for status in AttendanceStatus.values}
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="programme_session",
        object_id=session.pk,
        detail={"register": True, **result},
    )
    touched = {m.enrolment_id for m in [*created, *changed]} | {
        eid for eid, mark in existing.items() if mark.pk in cleared
    }
    for enrolment_id in touched:
        timeline.update_entries(
            object_type="enrolment",
            object_id=enrolment_id,
            summary=_attendance_summary(on_register[enrolment_id], session.programme),
        )
    return RegisterResult(session=session, counts=result)
