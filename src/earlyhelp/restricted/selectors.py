"""Reads: the restriction of a family or person, break-glass targets, the review list, notices.

Each read that shows personal data (the reason for a restriction or an access, who opened
what) is audited here, like every selector.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.denials import record_denial
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event, record_read
from earlyhelp.casework.permissions import can_view_family
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family, FamilyMembership, Person
from earlyhelp.restricted.models import AllowedUser, BreakGlassAccess, Notice, Restriction
from earlyhelp.restricted.permissions import (
    active_person_restriction,
    active_restriction,
    can_break_glass,
    can_manage_person_restriction,
    can_manage_restriction,
    can_review,
    reviewable_accesses,
)


def _allowed(restriction: Restriction | None) -> list[AllowedUser]:
    if restriction is None:
        return []
    return list(
        restriction.allowed_users.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
    )


@dataclass(frozen=True)
class Member:
    """A family member as the restriction page lists them: by name only to someone who may
    open the family (a manager shut out of it, or the DPO, sees role and year of birth)."""

    person_id: UUID
    label: str
    restricted: bool


@dataclass(frozen=True)
class RestrictionPage:
    family: Family
    restriction: Restriction | None
    allowed: list[AllowedUser]
    members: list[Member]

    @property
    def is_restricted(self) -> bool:
        return self.restriction is not None


def _member_label(membership: FamilyMembership, named: bool) -> str:
    person = membership.person
    if named:
        return f"{person.full_name} ({membership.get_role_display().lower()})"
    born = f", born {person.year_of_birth}" if person.year_of_birth else ""
    return f"{membership.get_role_display()}{born}"


def restriction_page(user: AnyUser, family_id: UUID | str) -> RestrictionPage:
    """The family's restriction, access list and members (each of whom can be restricted), for
    the DPO and the team's managers."""
    family = Family.objects.filter(pk=parse_id(family_id)).first()
    if family is None:
        raise NotFound()
    if not can_manage_restriction(user, family):
        record_denial(actor=user, object_type="family", object_id=family.pk)
        raise NotFound()
    restriction = active_restriction(family)
    named = can_view_family(user, family)
    restricted_people = set(
        Restriction.objects.filter(
            lifted_at__isnull=True, person__memberships__family=family
        ).values_list("person_id", flat=True)
    )
    memberships = (
        FamilyMembership.objects.filter(family=family)
        .select_related("person")
        .order_by("joined_at", "pk")
    )
    members = [
        Member(
            person_id=m.person_id,
            label=_member_label(m, named),
            restricted=m.person_id in restricted_people,
        )
        for m in memberships
    ]
    record_read(user, "family_restriction", family.pk)
    return RestrictionPage(
        family=family, restriction=restriction, allowed=_allowed(restriction), members=members
    )


@dataclass(frozen=True)
class PersonRestrictionPage:
    person: Person
    label: str
    restriction: Restriction | None
    allowed: list[AllowedUser]
    # The families the restriction closes (every family the person belongs to).
    families: list[Family]

    @property
    def is_restricted(self) -> bool:
        return self.restriction is not None


def person_restriction_page(user: AnyUser, person_id: UUID | str) -> PersonRestrictionPage:
    """A person's restriction and access list, for the DPO and the managers of a team that has
    held one of the person's families. The person is named only to someone who may open one
    of those families; otherwise described by role and year of birth."""
    person = Person.objects.filter(pk=parse_id(person_id)).first()
    if person is None:
        raise NotFound()
    if not can_manage_person_restriction(user, person):
        record_denial(actor=user, object_type="person", object_id=person.pk)
        raise NotFound()
    restriction = active_person_restriction(person)
    memberships = list(
        FamilyMembership.objects.filter(person=person)
        .select_related("family", "person")
        .order_by("family__reference")
    )
    named = any(can_view_family(user, m.family) for m in memberships)
    label = _member_label(memberships[0], named) if memberships else "Person in no family"
    record_read(user, "person_restriction", person.pk)
    return PersonRestrictionPage(
        person=person,
        label=label,
        restriction=restriction,
        allowed=_allowed(restriction),
        families=[m.family for m in memberships],
    )


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
    if family is None:
        raise NotFound()
    if not can_break_glass(user, family):
        record_denial(actor=user, object_type="family", object_id=family.pk)
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
    record_read(user, "break_glass_access", access.pk)
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
