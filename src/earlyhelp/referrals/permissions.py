"""Who may record, see and decide referrals."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role
from earlyhelp.casework.permissions import visible_families
from earlyhelp.referrals.models import Referral


def can_record_referral(user: AnyUser) -> bool:
    return has_role(user, Role.DUTY_WORKER, Role.TEAM_MANAGER, Role.PRACTITIONER)


def can_triage(user: AnyUser) -> bool:
    return has_role(user, Role.DUTY_WORKER, Role.TEAM_MANAGER)


def visible_referrals(user: AnyUser) -> QuerySet[Referral]:
    """Duty workers and managers see the front door; case workers see their families'."""
    if not user.is_authenticated:
        return Referral.objects.none()
    if can_triage(user):
        return Referral.objects.all()
    if has_role(user, Role.PRACTITIONER):
        return Referral.objects.filter(Q(family__in=visible_families(user)))
    return Referral.objects.none()


def can_view_referral(user: AnyUser, referral: Referral) -> bool:
    return visible_referrals(user).filter(pk=referral.pk).exists()
