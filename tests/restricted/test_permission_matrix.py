"""Who opens a restricted family: every kind of user x every restriction state.

The gatekeeper is ``casework.permissions``; its predicate and its queryset filter must agree,
and every list built on ``visible_families`` follows.
"""

from __future__ import annotations

import pytest

from earlyhelp.casework.permissions import can_view_family, visible_families
from earlyhelp.core.errors import NotFound
from earlyhelp.restricted.permissions import can_break_glass
from earlyhelp.restricted.services import lift_restriction
from tests.restricted.conftest import Setup

pytestmark = pytest.mark.django_db

USERS = [
    "named",
    "practitioner",
    "manager",
    "dpo",
    "practitioner_south",
    "manager_south",
    "duty",
    "partner",
]
STATES = ["not_restricted", "restricted", "break_glass", "expired"]
# Who would see the family were it not restricted (the lead practitioner, the team's manager,
# and the named North practitioner): the only ones who may break the glass.
ELIGIBLE = {"named", "practitioner", "manager"}
OPENS = {
    "not_restricted": ELIGIBLE,
    "restricted": {"named"},
    "break_glass": ELIGIBLE,  # the named user never needs it; the others broke it
    "expired": {"named"},
}


def _user(setup: Setup, name: str):  # type: ignore[no-untyped-def]
    return setup.named if name == "named" else getattr(setup.world, name)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("who", USERS)
def test_matrix(setup: Setup, who: str, state: str) -> None:
    user = _user(setup, who)
    if state != "not_restricted":
        setup.restrict()
    if state in ("break_glass", "expired") and who != "named":
        if who in ELIGIBLE:
            access = setup.break_glass(user)
            if state == "expired":
                setup.expire(access)
        else:
            with pytest.raises(NotFound):
                setup.break_glass(user)
    expected = who in OPENS[state]
    assert can_view_family(user, setup.family) is expected
    assert visible_families(user).filter(pk=setup.family.pk).exists() is expected
    # Only someone shut out who would otherwise see it may break the glass.
    assert can_break_glass(user, setup.family) is (
        state in ("restricted", "expired") and who in ELIGIBLE and not expected
    )


def test_lifting_the_restriction_opens_it_to_the_team_again(setup: Setup) -> None:
    setup.restrict()
    assert not can_view_family(setup.world.practitioner, setup.family)
    lift_restriction(actor=setup.world.dpo, family=setup.family)
    assert can_view_family(setup.world.practitioner, setup.family)


def test_break_glass_is_for_that_family_only(setup: Setup) -> None:
    other, _ = setup.world.open_family(last_name="Wrenfield")
    setup.restrict()
    from earlyhelp.restricted.services import restrict_family

    restrict_family(
        actor=setup.world.manager,
        family=other,
        reason="High-profile case in the local news.",
        allowed=[],
    )
    setup.break_glass(setup.world.practitioner)
    assert can_view_family(setup.world.practitioner, setup.family)
    assert not can_view_family(setup.world.practitioner, other)


def test_restriction_hides_the_family_from_partners_too(setup: Setup) -> None:
    """Partners never reach a restricted family through the casework gatekeeper (they have
    their own scope, ``sharing.partner.access``: see the module docstring of
    ``earlyhelp.restricted``)."""
    setup.restrict()
    assert not can_view_family(setup.world.partner, setup.family)
    assert not can_break_glass(setup.world.partner, setup.family)
