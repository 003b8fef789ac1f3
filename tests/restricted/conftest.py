"""A restricted family in North's team and the people the matrix asks about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.people.models import Family
from earlyhelp.restricted.models import BreakGlassAccess
from earlyhelp.restricted.services import break_glass, restrict_family
from tests.api.conftest import nhs_number
from tests.factories import World, make_user

REASON = "A member of the North team is a parent in this family."
GLASS_REASON = "Duty call from the school: urgent safeguarding concern today."
NHS_CHILD = nhs_number("999555112")


@dataclass
class Setup:
    world: World
    family: Family
    named: User  # a second North practitioner, on the access list

    def restrict(self, *allowed: User) -> None:
        restrict_family(
            actor=self.world.manager,
            family=self.family,
            reason=REASON,
            allowed=[u.username for u in (allowed or (self.named,))],
        )

    def break_glass(self, user: User) -> BreakGlassAccess:
        return break_glass(actor=user, family=self.family, reason=GLASS_REASON).access

    def expire(self, access: BreakGlassAccess) -> None:
        access.expires_at = timezone.now() - timedelta(minutes=1)
        access.save(update_fields=["expires_at"])


@pytest.fixture
def setup(world: World) -> Setup:
    world.dpo.email = "dpo@example.org"
    world.dpo.save(update_fields=["email"])
    world.manager.email = "morgan@example.org"
    world.manager.save(update_fields=["email"])
    named = make_user(Role.PRACTITIONER, world.north, "nell")
    family, _ = world.open_family(last_name="Thistlewood", nhs_number=NHS_CHILD)
    return Setup(world=world, family=family, named=named)
