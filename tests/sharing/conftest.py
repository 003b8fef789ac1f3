"""Sharing test fixtures: the plans fixtures (a family with an open episode, partner
professionals, a started plan with the family's agreement to share it) reused here.

``setup`` is a family of Marigold (parent), Zoë (child) and Wystan (household member the plan
does not name), a school with a teacher, a health visiting service with a nurse and a worker.
``plan`` is a started plan with agreements for the school (named) and health visiting (kind).
``bare_plan`` is the same plan without any agreement.
"""

from __future__ import annotations

import pytest

from earlyhelp.plans.models import FamilyPlan
from tests.factories import World
from tests.plans.conftest import Setup, agree_to_taf_sharing, make_setup, start_plan


@pytest.fixture
def setup(world: World) -> Setup:
    return make_setup(world)


@pytest.fixture
def bare_plan(world: World, setup: Setup) -> FamilyPlan:
    return start_plan(world, setup)


@pytest.fixture
def plan(world: World, setup: Setup, bare_plan: FamilyPlan) -> FamilyPlan:
    agree_to_taf_sharing(world, setup)
    return bare_plan
