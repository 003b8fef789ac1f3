"""Who may restrict a family or person, break the glass into a family, and review accesses.

- Restrict, lift and edit the access list: the DPO, or a team manager of a team that has held
  an episode for the family (the same people who read its access log); for a person, for one
  of the person's families.
- Break the glass: someone who would see the family were it not restricted (its team's
  practitioners and managers, its lead) and who is not already allowed in. A family closed
  because a member is restricted is broken into the same way.
- Review a break-glass access: the DPO, or a manager of a team that has held an episode for
  the family, never the person who broke the glass (four eyes).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role, team_ids_with_role
from earlyhelp.casework.models import Episode
from earlyhelp.casework.permissions import (
    can_view_access_log,
    can_view_family,
    in_scope_despite_restriction,
)
from earlyhelp.people.models import Family, Person
from earlyhelp.restricted.models import BreakGlassAccess, Restriction
from earlyhelp.restricted.scope import restricted_family_ids


def active_restriction(family: Family) -> Restriction | None:
    return Restriction.objects.filter(family=family, lifted_at__isnull=True).first()


def active_person_restriction(person: Person) -> Restriction | None:
    return Restriction.objects.filter(person=person, lifted_at__isnull=True).first()


def can_manage_restriction(user: AnyUser, family: Family) -> bool:
    return user.is_authenticated and can_view_access_log(user, family)


def can_manage_person_restriction(user: AnyUser, person: Person) -> bool:
    """The DPO, or a manager of a team that has held an episode for one of the person's
    families: the same people who may restrict those families."""
    if not user.is_authenticated:
        return False
    if has_role(user, Role.DPO):
        return True
    team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    return (
        bool(team_ids)
        and Episode.objects.filter(
            team_id__in=team_ids, family__memberships__person=person
        ).exists()
    )


def is_restricted(family: Family) -> bool:
    """Whether the family, or one of its members, is restricted."""
    return Family.objects.filter(pk=family.pk, pk__in=restricted_family_ids()).exists()


def can_break_glass(user: AnyUser, family: Family) -> bool:
    return (
        is_restricted(family)
        and in_scope_despite_restriction(user, family)
        and not can_view_family(user, family)
    )


def can_see_review_list(user: AnyUser) -> bool:
    return has_role(user, Role.DPO, Role.TEAM_MANAGER)


def reviewable_accesses(user: AnyUser) -> QuerySet[BreakGlassAccess]:
    """Break-glass accesses the user may see on the review list."""
    if has_role(user, Role.DPO):
        return BreakGlassAccess.objects.all()
    team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    if not team_ids:
        return BreakGlassAccess.objects.none()
    families = Episode.objects.filter(team_id__in=team_ids).values("family_id")
    return BreakGlassAccess.objects.filter(Q(family_id__in=families))


def can_review(user: AnyUser, access: BreakGlassAccess) -> bool:
    return access.user_id != user.pk and reviewable_accesses(user).filter(pk=access.pk).exists()
