"""Programme fixtures: a parenting course run by North with a past session, and a family."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.people.models import Family, Person
from earlyhelp.programmes.models import Programme, ProgrammeSession
from earlyhelp.programmes.services import ProgrammeInput, add_session, create_programme

TODAY = timezone.localdate


def make_programme(world, team=None, **overrides) -> Programme:  # type: ignore[no-untyped-def]
    team = team or world.north
    values = {
        "name": "Incredible Years parenting course",
        "kind": "parenting_course",
        "team": team,
        "starts_on": TODAY() - timedelta(days=30),
        "ends_on": TODAY() + timedelta(days=30),
        "capacity": 10,
    }
    values.update(overrides)
    manager = world.manager if team == world.north else world.manager_south
    return create_programme(actor=manager, data=ProgrammeInput(**values))  # type: ignore[arg-type]


@pytest.fixture
def programme(world) -> Programme:  # type: ignore[no-untyped-def]
    return make_programme(world)


@pytest.fixture
def session(world, programme) -> ProgrammeSession:  # type: ignore[no-untyped-def]
    return add_session(
        actor=world.practitioner,
        programme=programme,
        on=TODAY() - timedelta(days=7),
        location="Brookfield Children's Centre",
    )


@pytest.fixture
def family(world) -> Family:  # type: ignore[no-untyped-def]
    return world.open_family()[0]


def member(family: Family, role: str) -> Person:
    return family.memberships.select_related("person").get(role=role).person
