"""Assessments in each state, built through the real services, and an API client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.assessments import services
from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.models import Episode
from earlyhelp.people.models import Family, Person
from tests.factories import World, make_user

STARTED = timezone.localdate() - timedelta(days=14)


@dataclass
class Case:
    family: Family
    episode: Episode
    child: Person
    parent: Person


def open_case(world: World, **kwargs: object) -> Case:
    family, episode = world.open_family(**kwargs)
    people = {m.role: m.person for m in family.memberships.select_related("person")}
    return Case(family, episode, people["child"], people["parent_or_carer"])


@pytest.fixture
def case(world: World) -> Case:
    return open_case(world)


def start(world: World, case: Case, actor: User | None = None) -> Assessment:
    return services.start_assessment(
        actor=actor or world.practitioner, family=case.family, started_on=STARTED
    )


def add_needs(
    assessment: Assessment, actor: User, case: Case, codes: list[str], *, severity: str = "medium"
) -> None:
    for index, code in enumerate(codes):
        services.add_need(
            actor=actor,
            assessment=assessment,
            person_id=(case.child if index % 2 == 0 else case.parent).pk,
            headline_code=code,
            evidence=f"Seen at the home visit ({code}).",
            severity=severity,
        )


def ready(world: World, case: Case, actor: User | None = None) -> Assessment:
    """A draft with three needs and a conclusion: ready to submit."""
    actor = actor or world.practitioner
    assessment = start(world, case, actor)
    add_needs(
        assessment,
        actor,
        case,
        ["getting_a_good_education", "secure_housing", "improved_family_relationships"],
    )
    services.update_assessment(
        actor=actor,
        assessment=assessment,
        changes=services.AssessmentChanges(conclusion="Offer targeted family support."),
    )
    return assessment


def submitted(world: World, case: Case, actor: User | None = None) -> Assessment:
    actor = actor or world.practitioner
    assessment = ready(world, case, actor)
    return services.submit_assessment(actor=actor, assessment=assessment)


def authorised(world: World, case: Case) -> Assessment:
    assessment = submitted(world, case)
    return services.authorise_assessment(actor=world.manager, assessment=assessment)


@pytest.fixture
def second_manager(world: World) -> User:
    return make_user(Role.TEAM_MANAGER, world.north, "max")
