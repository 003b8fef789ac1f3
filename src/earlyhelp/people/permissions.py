"""Who may search for people, and how much of each match they see."""

from __future__ import annotations

from enum import Enum

from django.db.models import QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role
from earlyhelp.casework.permissions import visible_families
from earlyhelp.people.models import Person


class SearchScope(Enum):
    NONE = "none"
    # Duty workers match at intake: name, year of birth and current team, no case content.
    MATCH_ONLY = "match_only"
    # Case workers: people in families they can already see.
    OWN_FAMILIES = "own_families"


def search_scope(user: AnyUser) -> SearchScope:
    if has_role(user, Role.DUTY_WORKER):
        return SearchScope.MATCH_ONLY
    if has_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER):
        return SearchScope.OWN_FAMILIES
    return SearchScope.NONE


def can_search_people(user: AnyUser) -> bool:
    return search_scope(user) is not SearchScope.NONE


def searchable_people(user: AnyUser) -> QuerySet[Person]:
    scope = search_scope(user)
    if scope is SearchScope.MATCH_ONLY:
        return Person.objects.all()
    if scope is SearchScope.OWN_FAMILIES:
        return Person.objects.filter(memberships__family__in=visible_families(user)).distinct()
    return Person.objects.none()
