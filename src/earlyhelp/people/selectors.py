"""Intake search for people, scoped and audited (the terms never are)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework.models import Episode
from earlyhelp.casework.permissions import visible_families
from earlyhelp.core.errors import InvalidInput, PermissionDenied
from earlyhelp.core.identifiers import IdentifierError, normalise_nhs_number, normalise_postcode
from earlyhelp.core.text import search_tokens
from earlyhelp.people.models import FamilyMembership, Person
from earlyhelp.people.permissions import SearchScope, search_scope, searchable_people

MAX_RESULTS = 50


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    postcode: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.date_of_birth or self.nhs_number or self.postcode)

    @property
    def used(self) -> list[str]:
        fields = {
            "name": bool(self.name.strip()),
            "date_of_birth": self.date_of_birth is not None,
            "nhs_number": bool(self.nhs_number),
            "postcode": bool(self.postcode),
        }
        return [key for key, present in fields.items() if present]


@dataclass(frozen=True)
class PersonMatch:
    """What a search shows. Duty workers get the match fields only (no family link)."""

    person_id: UUID
    name: str
    year_of_birth: int | None
    current_team: str | None
    family_id: UUID | None


def _filter(people: QuerySet[Person], criteria: SearchCriteria) -> QuerySet[Person]:
    for token in search_tokens(criteria.name):
        people = people.filter(search_name__contains=token)
    if criteria.date_of_birth:
        people = people.filter(date_of_birth=criteria.date_of_birth)
    if criteria.nhs_number:
        try:
            people = people.filter(nhs_number=normalise_nhs_number(criteria.nhs_number))
        except IdentifierError as exc:
            raise InvalidInput(str(exc), field="nhs_number") from None
    if criteria.postcode:
        try:
            postcode = normalise_postcode(criteria.postcode)
        except IdentifierError as exc:
            raise InvalidInput(str(exc), field="postcode") from None
        people = people.filter(addresses__postcode=postcode, addresses__current=True)
    return people


def search_people(user: AnyUser, criteria: SearchCriteria) -> list[PersonMatch]:
    scope = search_scope(user)
    if scope is SearchScope.NONE:
        raise PermissionDenied("Your role does not include searching for people.")
    if criteria.is_empty:
        raise InvalidInput("Enter a name, date of birth, NHS number or postcode.", field="name")
    open_episodes = Episode.objects.filter(closed_at__isnull=True).select_related("team")
    memberships = FamilyMembership.objects.prefetch_related(
        Prefetch("family__episodes", queryset=open_episodes, to_attr="open_episodes")
    )
    people = (
        _filter(searchable_people(user), criteria)
        .distinct()
        .order_by("last_name", "first_name", "id")
        .prefetch_related(Prefetch("memberships", queryset=memberships))[:MAX_RESULTS]
    )
    visible_family_ids: set[UUID] = set()
    if scope is SearchScope.OWN_FAMILIES:
        visible_family_ids = set(visible_families(user).values_list("pk", flat=True))
    results = []
    for person in people:
        team, family_id = None, None
        for membership in person.memberships.all():
            open_now = membership.family.open_episodes  # type: ignore[attr-defined]
            if open_now:
                team = open_now[0].team.name
            if membership.family_id in visible_family_ids:
                family_id = membership.family_id
        results.append(
            PersonMatch(
                person_id=person.pk,
                name=person.full_name,
                year_of_birth=person.year_of_birth,
                current_team=team,
                family_id=family_id,
            )
        )
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.SEARCH,
        object_type="person",
        detail={"count": len(results), "by": criteria.used},
    )
    return results
