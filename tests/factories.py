"""Synthetic test data built through the real services (so audit and rules apply).

All names are invented; NHS numbers are from the 999 test range.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils import timezone

from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.accounts.services import create_team, create_user, grant_role
from earlyhelp.casework.models import Episode
from earlyhelp.casework.services import close_episode
from earlyhelp.people.models import Family
from earlyhelp.referrals.models import Channel, Referral
from earlyhelp.referrals.services import (
    Decision,
    PersonInput,
    ReferralInput,
    create_referral,
    record_decision,
)

PASSWORD = "correct-horse-battery-staple-42"
_counter = itertools.count(1)


def make_team(slug: str | None = None, name: str | None = None) -> Team:
    n = next(_counter)
    return create_team(actor=None, slug=slug or f"team-{n}", name=name or f"Team {n}")


def make_user(
    role: Role | str, team: Team | None = None, username: str | None = None, **extra: str
) -> User:
    n = next(_counter)
    created = create_user(
        actor=None,
        username=username or f"{Role(role).value}{n}",
        role=Role(role).value,
        team_slug=team.slug if team else None,
        password=PASSWORD,
        first_name=extra.get("first_name", "Test"),
        last_name=extra.get("last_name", f"User{n}"),
    )
    return created.user


def add_role(user: User, role: Role, team: Team | None) -> None:
    grant_role(actor=None, user=user, role=role.value, team_slug=team.slug if team else None)


def referral_input(
    *,
    first_name: str = "Zoë",
    last_name: str = "Quillfeather",
    date_of_birth: date | None = date(2015, 3, 14),
    nhs_number: str = "",
    channel: str = Channel.PHONE,
    postcode: str = "AB1 2XY",
    extra_people: list[PersonInput] | None = None,
) -> ReferralInput:
    people = [
        PersonInput(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            sex="female",
            role="child",
            nhs_number=nhs_number,
        ),
        PersonInput(
            first_name="Marigold",
            last_name=last_name,
            date_of_birth=date(1988, 7, 2),
            sex="female",
            role="parent_or_carer",
        ),
    ]
    return ReferralInput(
        channel=channel,
        source="school",
        received_at=timezone.now(),
        referrer_name="Ms Hollis Partridge",
        referrer_organisation="Brookfield Primary School",
        referrer_role="Designated safeguarding lead",
        referrer_phone="01632 960123",
        referrer_email="h.partridge@example.org",
        family_aware=True,
        family_consents=True,
        address_line1="12 Larkspur Row",
        address_town="Exampleton",
        address_postcode=postcode,
        people=people + (extra_people or []),
        reasons=["getting_a_good_education", "improved_family_relationships"],
        summary="Attendance has fallen this term; mum asked the school for help with routines.",
    )


@dataclass
class World:
    """Two teams, a user in every role, and helpers to make families in each state."""

    north: Team
    south: Team
    practitioner: User
    practitioner_south: User
    manager: User
    manager_south: User
    duty: User
    dpo: User
    analyst: User
    admin: User
    partner: User
    users: dict[str, User] = field(default_factory=dict)

    @cached_property
    def manager_north_practitioner_south(self) -> User:
        """One person with two memberships: team manager in North, practitioner in South.

        Made on first use, so a world that never asks for them is exactly as before (lists of
        a team's people, counts of users).
        """
        user = make_user(Role.TEAM_MANAGER, self.north, "max", first_name="Max")
        add_role(user, Role.PRACTITIONER, self.south)
        return user

    def referral(self, **kwargs: object) -> Referral:
        return create_referral(actor=self.duty, data=referral_input(**kwargs))  # type: ignore[arg-type]

    def open_family(self, team: Team | None = None, lead: User | None = None, **kwargs: object):
        """A family with an open episode allocated to ``team`` (north by default)."""
        referral = self.referral(**kwargs)
        team = team or self.north
        result = record_decision(
            actor=self.duty,
            referral=referral,
            decision=Decision(
                outcome="accepted",
                team_slug=team.slug,
                lead_practitioner=(lead or self.practitioner).username
                if (lead or team == self.north)
                else None,
            ),
        )
        family = Family.objects.get(pk=result.family_id)
        episode = Episode.objects.get(pk=result.episode_id)
        return family, episode

    def closed_family(self, team: Team | None = None, **kwargs: object):
        family, episode = self.open_family(team=team, **kwargs)
        self.close(episode)
        return family, episode

    def close(self, episode: Episode) -> None:
        """Close an open episode as its team's manager."""
        close_episode(
            actor=self.manager if episode.team_id == self.north.pk else self.manager_south,
            episode=episode,
            reason="needs_met",
            summary="Synthetic closing summary: routines settled, attendance back to normal.",
        )
        episode.refresh_from_db()


def build_world() -> World:
    north = make_team("north", "North Family Support")
    south = make_team("south", "South Family Support")
    world = World(
        north=north,
        south=south,
        practitioner=make_user(
            Role.PRACTITIONER, north, "pat", first_name="Pat", last_name="North"
        ),
        practitioner_south=make_user(Role.PRACTITIONER, south, "sam"),
        manager=make_user(Role.TEAM_MANAGER, north, "morgan"),
        manager_south=make_user(Role.TEAM_MANAGER, south, "sol"),
        duty=make_user(Role.DUTY_WORKER, make_team("front-door", "Front Door"), "dee"),
        dpo=make_user(Role.DPO, None, "dana"),
        analyst=make_user(Role.ANALYST, None, "ana"),
        admin=make_user(Role.ADMIN, None, "adam"),
        partner=make_user(Role.PARTNER, None, "parker"),
    )
    return world


# --- Permission matrices: every role x a family in every state ---------------------------

# The World's users by attribute name.
MATRIX_ROLES = [
    "practitioner",
    "practitioner_south",
    "manager",
    "manager_south",
    "duty",
    "dpo",
    "analyst",
    "admin",
    "partner",
]
# The user with two memberships (World.manager_north_practitioner_south), kept out of
# MATRIX_ROLES so that a matrix adds them deliberately, with their expected rows.
TWO_TEAMS = "manager_north_practitioner_south"
FAMILY_STATES = ["open_north", "open_south", "closed_north"]
# Whoever works on the open episode: its team's practitioners and managers.
WORKS_ON_FAMILY = {
    ("practitioner", "open_north"),
    ("manager", "open_north"),
    ("practitioner_south", "open_south"),
    ("manager_south", "open_south"),
    (TWO_TEAMS, "open_north"),  # as North's manager
    (TWO_TEAMS, "open_south"),  # as a South practitioner
}
# ...and after closure only the team's managers still see the family (a South family closed
# is not seen by TWO_TEAMS: a practitioner there, not its manager).
SEES_FAMILY = WORKS_ON_FAMILY | {("manager", "closed_north"), (TWO_TEAMS, "closed_north")}


@dataclass(frozen=True)
class FamilyState:
    """How to make the family for one state; the surnames differ so a search can tell them
    apart."""

    state: str
    team: Team
    practitioner: User  # the team's practitioner, lead where a lead is named
    last_name: str

    @property
    def closed(self) -> bool:
        return self.state.startswith("closed")


def family_states(world: World) -> list[FamilyState]:
    """The FAMILY_STATES in order: make each family open, record what the matrix needs, then
    ``world.close`` the episode of each ``closed`` one."""
    return [
        FamilyState("open_north", world.north, world.practitioner, "Ashgrove"),
        FamilyState("open_south", world.south, world.practitioner_south, "Birchwood"),
        FamilyState("closed_north", world.north, world.practitioner, "Cedarfell"),
    ]


def expected_status(allowed: set[tuple[str, str]], role: str, state: str) -> int:
    """200 if allowed; 403 if the role may see the family (so knows it exists); 404 if not."""
    if (role, state) in allowed:
        return 200
    return 403 if (role, state) in SEES_FAMILY else 404


def agree_to_share(
    actor: User,
    family: object,
    person: object,
    *,
    organisation: object | None = None,
    kind: str = "",
    scopes: Iterable[str] = ("plan",),
    given_by: object | None = None,
    purpose: str = "Team Around the Family support",
) -> object:
    """Record an agreement to share, the way a practitioner does (sharing.agreements)."""
    from datetime import timedelta

    from earlyhelp.sharing.agreements import AgreementInput, record_agreement

    return record_agreement(
        actor=actor,
        family=family,  # type: ignore[arg-type]
        data=AgreementInput(
            person=person.pk,  # type: ignore[attr-defined]
            given_by=(given_by or person).pk,  # type: ignore[attr-defined]
            kind="share",
            recipient_organisation=organisation.pk if organisation is not None else None,  # type: ignore[attr-defined]
            recipient_kind=kind,
            scopes=list(scopes),
            purpose=purpose,
            method="verbal",
            given_on=timezone.localdate() - timedelta(days=1),
        ),
    )
