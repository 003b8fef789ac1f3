"""The queryset filter ``casework.permissions`` applies: restricted families a user may not open.

Kept apart from ``permissions`` (which builds on ``casework.permissions``) so the casework
gatekeeper can import it without a cycle. It is a subquery, so applying it adds no query.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.restricted.models import AllowedUser, BreakGlassAccess, Restriction


def active_restrictions() -> QuerySet[Restriction]:
    return Restriction.objects.filter(lifted_at__isnull=True)


def _user_id(user: AnyUser) -> int:
    # Anonymous has no id: 0 matches no one, so every restriction stays closed to it.
    return int(user.pk or 0)


def live_break_glass(user: AnyUser) -> QuerySet[BreakGlassAccess]:
    return BreakGlassAccess.objects.filter(user_id=_user_id(user), expires_at__gt=timezone.now())


def closed_family_ids(user: AnyUser) -> QuerySet[Restriction, Any]:
    """Ids (``family_id`` values) of restricted families ``user`` may not open: not on the
    access list and without an unexpired break-glass access."""
    named = AllowedUser.objects.filter(restriction=OuterRef("pk"), user_id=_user_id(user))
    glass = live_break_glass(user).filter(family_id=OuterRef("family_id"))
    return active_restrictions().exclude(Exists(named)).exclude(Exists(glass)).values("family_id")
