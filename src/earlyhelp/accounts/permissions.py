"""Who holds which role where. Pure predicates over a user's memberships.

Memberships are read once per user object and kept on it, so a page asking several
questions costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from earlyhelp.accounts.models import Membership, Role, User

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Grant:
    role: Role
    team_id: int | None


def grants(user: AnyUser) -> frozenset[Grant]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    # Kept on the user object: one query per request however many questions a page asks.
    cached: frozenset[Grant] | None = getattr(user, "_earlyhelp_grants", None)
    if cached is None:
        cached = frozenset(
            Grant(Role(role), team_id)
            for role, team_id in Membership.objects.filter(user=user).values_list("role", "team_id")
        )
        setattr(user, "_earlyhelp_grants", cached)  # noqa: B010
    return cached


def forget_grants(user: AnyUser) -> None:
    if hasattr(user, "_earlyhelp_grants"):
        delattr(user, "_earlyhelp_grants")


def has_role(user: AnyUser, *roles: Role) -> bool:
    return any(g.role in roles for g in grants(user))


def team_ids_with_role(user: AnyUser, *roles: Role) -> set[int]:
    return {g.team_id for g in grants(user) if g.role in roles and g.team_id is not None}


def is_duty_worker(user: AnyUser) -> bool:
    return has_role(user, Role.DUTY_WORKER)


def is_dpo(user: AnyUser) -> bool:
    return has_role(user, Role.DPO)


def can_view_data_map(user: AnyUser) -> bool:
    return has_role(user, Role.DPO, Role.ADMIN)


def can_manage_privacy_notice(user: AnyUser) -> bool:
    return has_role(user, Role.DPO)
