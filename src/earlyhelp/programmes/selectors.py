"""Reads of programmes, registers, enrolments and observations: scoped, and audited where
they show a family member.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.services import record_read
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import NotFound, PermissionDenied
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family, FamilyMembership
from earlyhelp.programmes.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Observation,
    Programme,
    ProgrammeSession,
)
from earlyhelp.programmes.permissions import (
    can_end_enrolment,
    can_run_programme,
    can_view_programmes,
)
from earlyhelp.programmes.services import register_enrolments


def _check_viewer(user: AnyUser) -> None:
    if not can_view_programmes(user):
        raise PermissionDenied("Your role does not give access to programmes.")


def _with_places() -> QuerySet[Programme]:
    taken = Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN))
    return Programme.objects.select_related("team", "provider").annotate(places_taken=taken)


def programme_list(user: AnyUser) -> QuerySet[Programme]:
    """Programmes with their team, provider and places taken (no one's name)."""
    _check_viewer(user)
    return _with_places().order_by("-starts_on", "name", "pk")


def open_programmes(user: AnyUser) -> QuerySet[Programme]:
    """Programmes a family member can still join (not finished), for the enrol form."""
    return programme_list(user).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
    )


def get_programme_for_user(user: AnyUser, programme_id: UUID | str) -> Programme:
    _check_viewer(user)
    programme = _with_places().filter(pk=parse_id(programme_id)).first()
    if programme is None:
        raise NotFound()
    return programme


def programme_enrolments(user: AnyUser, programme: Programme) -> list[Enrolment]:
    """Everyone enrolled, with names: for the running team only, and audited."""
    if not can_run_programme(user, programme):
        raise PermissionDenied("Only the team running the programme sees who is on it.")
    enrolments = list(
        programme.enrolments.select_related("person").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )
    record_read(user, "programme_enrolments", programme.pk, count=len(enrolments))
    return enrolments


def get_session(
    user: AnyUser, programme_id: UUID | str, session_id: UUID | str
) -> ProgrammeSession:
    programme = get_programme_for_user(user, programme_id)
    session = programme.sessions.filter(pk=parse_id(session_id)).first()
    if session is None:
        raise NotFound()
    session.programme = programme
    return session


@dataclass(frozen=True)
class RegisterLine:
    enrolment: Enrolment
    status: str


@dataclass(frozen=True)
class Register:
    session: ProgrammeSession
    lines: list[RegisterLine]


def session_register(user: AnyUser, programme_id: UUID | str, session_id: UUID | str) -> Register:
    """The register of one session, with names: running team only, audited with a count."""
    session = get_session(user, programme_id, session_id)
    if not can_run_programme(user, session.programme):
        raise PermissionDenied("Only the team running the programme keeps its registers.")
    marks = dict(session.attendance.values_list("enrolment_id", "status"))
    lines = [RegisterLine(e, marks.get(e.pk, "")) for e in register_enrolments(session)]
    record_read(user, "programme_register", session.pk, count=len(lines))
    return Register(session=session, lines=lines)


def get_enrolment_for_user(
    user: AnyUser, family_id: UUID | str, enrolment_id: UUID | str
) -> Enrolment:
    """An enrolment of a family the user may see, with its attendance (sessions in order)."""
    family = get_family_for_user(user, family_id)
    attendance = Attendance.objects.select_related("session").order_by("session__number")
    enrolment = (
        Enrolment.objects.select_related(
            "person", "programme__team", "programme__provider", "enrolled_by"
        )
        .prefetch_related(Prefetch("attendance", queryset=attendance))
        .filter(family=family, pk=parse_id(enrolment_id))
        .first()
    )
    if enrolment is None:
        raise NotFound()
    enrolment.family = family
    record_read(user, "enrolment", enrolment.pk)
    return enrolment


def get_enrolment_to_end(
    user: AnyUser, programme_id: UUID | str, enrolment_id: UUID | str
) -> Enrolment:
    """An enrolment to complete or withdraw: for the running team or the family's workers.

    Anyone else gets NotFound: they may not know that this person is on the programme.
    """
    programme = get_programme_for_user(user, programme_id)
    enrolment = (
        programme.enrolments.select_related("person", "family")
        .filter(pk=parse_id(enrolment_id))
        .first()
    )
    if enrolment is None:
        raise NotFound()
    enrolment.programme = programme
    if not can_end_enrolment(user, enrolment):
        raise NotFound()
    record_read(user, "enrolment", enrolment.pk)
    return enrolment


def family_enrolments(family: Family) -> QuerySet[Enrolment]:
    """A family's enrolments; callers have passed the family gatekeeper (which audits)."""
    return (
        Enrolment.objects.filter(family=family)
        .select_related("person", "programme__team")
        .order_by("-enrolled_on", "pk")
    )


def family_observations(
    user: AnyUser, family_id: UUID | str, *, person_id: UUID | None = None
) -> tuple[Family, QuerySet[Observation]]:
    """The family (through its gatekeeper) and its observations, newest first.

    The caller audits the page it shows with ``audit_observation_list``.
    """
    family = get_family_for_user(user, family_id)
    observations = Observation.objects.filter(family=family).select_related("person")
    if person_id is not None:
        observations = observations.filter(person_id=person_id)
    return family, observations.order_by("-observed_on", "-recorded_at", "pk")


def audit_observation_list(user: AnyUser, family: Family, count: int) -> None:
    record_read(user, "observation", family=family.pk, count=count, list=True)


def get_observation_for_user(
    user: AnyUser, family_id: UUID | str, observation_id: UUID | str
) -> Observation:
    family = get_family_for_user(user, family_id)
    observation = (
        Observation.objects.select_related("person", "recorded_by")
        .filter(family=family, pk=parse_id(observation_id))
        .first()
    )
    if observation is None:
        raise NotFound()
    observation.family = family
    record_read(user, "observation", observation.pk)
    return observation


def family_members(family: Family) -> list[FamilyMembership]:
    """Members of a family reached through its gatekeeper, for the enrol and record forms."""
    return list(
        family.memberships.select_related("person").order_by("role", "person__date_of_birth")
    )


def audit_enrolment_list(user: AnyUser, family: Family, count: int) -> None:
    record_read(user, "enrolment", family=family.pk, count=count, list=True)
