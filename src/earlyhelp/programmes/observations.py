"""Writes for observations: dated facts about a person (milestones, school inclusion).

``clean_observation`` holds the rules for each kind and touches no database, so the same
rules apply to a form, the API and the import. ``record_observation`` checks who may
write, saves, audits and puts the observation on the family's timeline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineKind
from earlyhelp.casework.permissions import can_view_family
from earlyhelp.core.errors import InvalidInput, NotFound
from earlyhelp.core.formatting import date_uk
from earlyhelp.people.models import Family
from earlyhelp.programmes.models import (
    MILESTONE_KINDS,
    ExclusionType,
    MilestoneOutcome,
    Observation,
    ObservationKind,
    ObservationSource,
    SenStatus,
)
from earlyhelp.programmes.services import occurred_at

HUNDRED = Decimal(100)
# The most days a pupil can be suspended for in one school year (DfE guidance).
MAX_SUSPENSION_DAYS = Decimal(45)
HALF = Decimal("0.5")


@dataclass(frozen=True)
class ObservationInput:
    person_id: UUID
    kind: str
    observed_on: date
    outcome: str = ""
    attendance_percent: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    exclusion_type: str = ""
    exclusion_days: Decimal | None = None
    sen_status: str = ""
    note: str = ""


def _decimal(value: Decimal | None, field: str, message: str) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidInput(message, field=field) from None
    if not number.is_finite():
        raise InvalidInput(message, field=field)
    return number


def clean_observation(data: ObservationInput, *, today: date | None = None) -> ObservationInput:
    """The input with only its kind's values kept, or InvalidInput naming the wrong field."""
    today = today or timezone.localdate()
    if data.kind not in ObservationKind.values:
        raise InvalidInput("Choose what is being recorded", field="kind")
    kind = ObservationKind(data.kind)
    if data.observed_on > today:
        raise InvalidInput("The date must be today or in the past", field="observed_on")
    if len(data.note) > 5000:
        raise InvalidInput("The note must be 5,000 characters or fewer", field="note")
    clean = ObservationInput(
        person_id=data.person_id,
        kind=kind.value,
        observed_on=data.observed_on,
        note=data.note.strip(),
    )
    if kind in MILESTONE_KINDS:
        if data.outcome not in MilestoneOutcome.values:
            raise InvalidInput("Choose the outcome of the check", field="outcome")
        return replace(clean, outcome=data.outcome)
    if kind == ObservationKind.SCHOOL_ATTENDANCE:
        return _attendance(data, clean)
    if kind == ObservationKind.EXCLUSION:
        return _exclusion(data, clean)
    if data.sen_status not in SenStatus.values:
        raise InvalidInput("Choose the SEN status", field="sen_status")
    return replace(clean, sen_status=data.sen_status)


def _attendance(data: ObservationInput, clean: ObservationInput) -> ObservationInput:
    message = "Enter attendance as a percentage from 0 to 100, like 92.5"
    percent = _decimal(data.attendance_percent, "attendance_percent", message)
    if percent is None:
        raise InvalidInput("Enter the attendance percentage", field="attendance_percent")
    if not Decimal(0) <= percent <= HUNDRED:
        raise InvalidInput(message, field="attendance_percent")
    if percent != percent.quantize(Decimal("0.01")):
        raise InvalidInput(
            "Enter attendance with no more than 2 decimal places", field="attendance_percent"
        )
    if data.period_start is None:
        raise InvalidInput("Enter the first day of the period", field="period_start")
    if data.period_end is None:
        raise InvalidInput("Enter the last day of the period", field="period_end")
    if data.period_end < data.period_start:
        raise InvalidInput("The period must end on or after the day it starts", field="period_end")
    if data.period_end > data.observed_on:
        raise InvalidInput(
            "The period must end on or before the date of the observation", field="period_end"
        )
    return replace(
        clean,
        attendance_percent=percent,
        period_start=data.period_start,
        period_end=data.period_end,
    )


def _exclusion(data: ObservationInput, clean: ObservationInput) -> ObservationInput:
    if data.exclusion_type not in ExclusionType.values:
        raise InvalidInput("Choose suspension or permanent exclusion", field="exclusion_type")
    if data.exclusion_type == ExclusionType.PERMANENT:
        # A permanent exclusion has no length; a number given by mistake is not kept.
        return replace(clean, exclusion_type=data.exclusion_type)
    message = "Enter the length of the suspension in days, from 0.5 to 45, in half days"
    days = _decimal(data.exclusion_days, "exclusion_days", message)
    if days is None:
        raise InvalidInput("Enter the length of the suspension in days", field="exclusion_days")
    if not HALF <= days <= MAX_SUSPENSION_DAYS or days % HALF != 0:
        raise InvalidInput(message, field="exclusion_days")
    return replace(
        clean, exclusion_type=data.exclusion_type, exclusion_days=days.quantize(Decimal("0.1"))
    )


def _days(days: Decimal) -> str:
    text = f"{days.normalize():f}"
    return f"{text} day" if days == 1 else f"{text} days"


def observation_value(observation: Observation) -> str:
    """The result in a few words: "Needs support", "92.5%", "1.5 days", "SEN support"."""
    kind = ObservationKind(observation.kind)
    if kind in MILESTONE_KINDS:
        return observation.get_outcome_display()
    if kind == ObservationKind.SCHOOL_ATTENDANCE:
        percent = observation.attendance_percent or Decimal(0)
        return f"{percent.normalize():f}%"
    if kind == ObservationKind.EXCLUSION:
        if observation.exclusion_type == ExclusionType.PERMANENT:
            return "Permanent exclusion"
        return _days(observation.exclusion_days or Decimal(0))
    return observation.get_sen_status_display()


def observation_title(observation: Observation) -> str:
    kind = ObservationKind(observation.kind)
    if kind == ObservationKind.EXCLUSION:
        if observation.exclusion_type == ExclusionType.PERMANENT:
            return "Permanent exclusion"
        return f"Suspension: {observation_value(observation)}"
    return f"{kind.label}: {observation_value(observation)}"


def observation_summary(observation: Observation) -> str:
    parts = []
    if observation.kind == ObservationKind.SCHOOL_ATTENDANCE:
        parts.append(f"{date_uk(observation.period_start)} to {date_uk(observation.period_end)}")
    if observation.note:
        parts.append(observation.note)
    if observation.source == ObservationSource.IMPORT:
        parts.append("Imported")
    return ". ".join(parts)


@transaction.atomic
def record_observation(
    *,
    actor: User | None,
    family: Family,
    data: ObservationInput,
    source: str = ObservationSource.MANUAL,
) -> Observation:
    """Record an observation on a member of ``family``.

    ``actor`` is None only for the command-line import, which the council runs itself.
    """
    if actor is not None and not can_view_family(actor, family):
        raise NotFound()
    clean = clean_observation(data)
    if not family.memberships.filter(person_id=clean.person_id).exists():
        raise InvalidInput("Choose a member of this family", field="person")
    observation = Observation.objects.create(
        person_id=clean.person_id,
        family=family,
        kind=clean.kind,
        observed_on=clean.observed_on,
        outcome=clean.outcome,
        attendance_percent=clean.attendance_percent,
        period_start=clean.period_start,
        period_end=clean.period_end,
        exclusion_type=clean.exclusion_type,
        exclusion_days=clean.exclusion_days,
        sen_status=clean.sen_status,
        note=clean.note,
        source=ObservationSource(source),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="observation",
        object_id=observation.pk,
        detail={"kind": observation.kind, "source": observation.source},
    )
    timeline.record_entry(
        family=family,
        kind=TimelineKind.OBSERVATION,
        occurred_at=occurred_at(observation.observed_on),
        object_type="observation",
        object_id=observation.pk,
        title=observation_title(observation),
        summary=observation_summary(observation),
        people=[clean.person_id],
        link_name="programmes:observation",
        recorded_by=actor,
    )
    return observation
