"""The queryset filters ``casework.permissions`` and people search apply: restricted families
and people a user may not open.

Kept apart from ``permissions`` (which builds on ``casework.permissions``) so the casework
gatekeeper can import it without a cycle. Each is one subquery, so applying it adds no query.

A family is closed to a user when it is restricted, or when one of its members is (a person's
records live in their families' case files: docs/decisions/0007-restricted-people.md), unless
the user is on that restriction's access list or holds an unexpired break-glass access to the
family.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.restricted.models import AllowedUser, BreakGlassAccess, Restriction


def active_restrictions() -> QuerySet[Restriction]:
    """Active restrictions of *families* (a person's restriction has no ``family_id``; use
    ``closed_family_ids`` or ``restricted_family_ids`` for the families it closes)."""
    return Restriction.objects.filter(lifted_at__isnull=True, family__isnull=False)


def active_person_restrictions() -> QuerySet[Restriction]:
    return Restriction.objects.filter(lifted_at__isnull=True, person__isnull=False)


def _user_id(user: AnyUser) -> int:
    # Anonymous has no id: 0 matches no one, so every restriction stays closed to it.
    return int(user.pk or 0)


def live_break_glass(user: AnyUser) -> QuerySet[BreakGlassAccess]:
    return BreakGlassAccess.objects.filter(user_id=_user_id(user), expires_at__gt=timezone.now())


# Each active restriction once per family it closes: the family itself, or every family the
# restricted person belongs to (a person in no family: no row, so no NULL reaches a NOT IN).
def _closed_family() -> Coalesce:
    return Coalesce(F("family_id"), F("person__memberships__family_id"))


def restricted_family_ids() -> QuerySet[Restriction, Any]:
    """Ids of every family closed by an active restriction, to anyone: for those who are never
    on an access list nor break the glass (partners)."""
    return (
        Restriction.objects.filter(lifted_at__isnull=True)
        .annotate(closed_family=_closed_family())
        .filter(closed_family__isnull=False)
        .values("closed_family")
    )


def closed_family_ids(user: AnyUser) -> QuerySet[Restriction, Any]:
    """Ids of families ``user`` may not open because they, or one of their members, are
    restricted: not on that restriction's access list and without an unexpired break-glass
    access to the family."""
    named = AllowedUser.objects.filter(restriction=OuterRef("pk"), user_id=_user_id(user))
    glass = live_break_glass(user).filter(family_id=OuterRef("closed_family"))
    return (
        Restriction.objects.filter(lifted_at__isnull=True)
        .exclude(Exists(named))
        .annotate(closed_family=_closed_family())
        .filter(closed_family__isnull=False)
        .exclude(Exists(glass))
        .values("closed_family")
    )


def closed_person_ids(user: AnyUser) -> QuerySet[Restriction, Any]:
    """Ids of restricted people ``user`` may not see (in search): not on the person's access
    list, and without an unexpired break-glass access to a family the person belongs to.

    Their families are closed by ``closed_family_ids``; this covers the person themself,
    including someone in no family yet (whom a duty worker's search would otherwise show).
    """
    named = AllowedUser.objects.filter(restriction=OuterRef("pk"), user_id=_user_id(user))
    glass = live_break_glass(user).filter(family__memberships__person_id=OuterRef("person_id"))
    return (
        active_person_restrictions()
        .exclude(Exists(named))
        .exclude(Exists(glass))
        .values("person_id")
    )
