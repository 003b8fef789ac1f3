"""Reads: the restriction of a family, break-glass targets, the review list and notices.

Each read that shows personal data (the reason for a restriction or an access, who opened
what) is audited here, like every selector.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family
from earlyhelp.restricted.models import AllowedUser, BreakGlassAccess, Notice, Restriction
from earlyhelp.restricted.permissions import (
    active_restriction,
    can_break_glass,
    can_manage_restriction,
    can_review,
    reviewable_accesses,
)


def _audit(user: AnyUser, object_type: str, object_id: object, **detail: object) -> None:
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or None,
    )


@dataclass(frozen=True)
class RestrictionPage:
    family: Family
    restriction: Restriction | None
    allowed: list[AllowedUser]

    @property
    def is_restricted(self) -> bool:
        return self.restriction is not None


def restriction_page(user: AnyUser, family_id: UUID | str) -> RestrictionPage:
    """The family's restriction and access list, for the DPO and the team's managers."""
    family = Family.objects.filter(pk=parse_id(family_id)).first()
    if family is None or not can_manage_restriction(user, family):
        raise NotFound()
    restriction = active_restriction(family)
    allowed = (
        list(
            restriction.allowed_users.select_related("user").order_by(
                "user__last_name", "user__first_name", "user__username"
            )
        )
        if restriction
        else []
    )
    _audit(user, "family_restriction", family.pk)
    return RestrictionPage(family=family, restriction=restriction, allowed=allowed)


def family_by_reference(user: AnyUser, reference: str) -> Family:
    """Find a family to restrict by its reference (the DPO works from references)."""
    family = Family.objects.filter(reference=reference.strip().upper()).first()
    if family is None or not can_manage_restriction(user, family):
        raise NotFound("No family you can restrict has that reference.")
    return family


def break_glass_target(user: AnyUser, family_id: UUID | str) -> Family:
    """The restricted family, if ``user`` may break the glass into it; NotFound otherwise.

    Only the reference is shown before the glass is broken.
    """
    family = Family.objects.filter(pk=parse_id(family_id)).first()
    if family is None or not can_break_glass(user, family):
        raise NotFound()
    return family


def review_list(user: AnyUser, *, pending_only: bool = False) -> QuerySet[BreakGlassAccess]:
    """Break-glass accesses the user reviews, unreviewed first then newest (caller audits)."""
    accesses = reviewable_accesses(user).select_related("user", "family", "reviewed_by")
    if pending_only:
        accesses = accesses.filter(outcome="")
    # Unreviewed ("" sorts first), then newest.
    return accesses.order_by("outcome", "-at", "id")


def audit_review_list(user: AnyUser, count: int) -> None:
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="break_glass_access",
        detail={"count": count, "list": True},
    )


def get_access_for_review(user: AnyUser, access_id: UUID | str) -> BreakGlassAccess:
    access = (
        reviewable_accesses(user)
        .select_related("user", "family", "reviewed_by")
        .filter(pk=parse_id(access_id))
        .first()
    )
    if access is None:
        raise NotFound()
    _audit(user, "break_glass_access", access.pk)
    return access


def may_review(user: AnyUser, access: BreakGlassAccess) -> bool:
    return can_review(user, access)


def unread_notice_count(user: AnyUser) -> int:
    return Notice.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notices_for(user: AnyUser) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(recipient_id=user.pk)
        .select_related("access__family")
        .order_by("read_at", "-created_at", "id")
    )
