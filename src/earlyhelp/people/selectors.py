"""Intake search for people, scoped and audited (the terms never are).

People in a restricted family the searcher may not open, and restricted people themselves
(``earlyhelp.restricted``: a person's restriction closes all their families), are left
out of every result, except that an *exact* search (the full name with the date of birth, or
the NHS number) shows a stub saying a restricted record exists, with the way to break the
glass for those who would otherwise see the family.

A confidential address is matched by a postcode search only for the family's own team
(``_at_postcode``), so neither a result, nor a count, nor "no match" tells anyone else where
the person lives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework.models import Episode
from earlyhelp.casework.permissions import visible_families
from earlyhelp.core.encryption import blind_index_candidates
from earlyhelp.core.errors import InvalidInput, PermissionDenied
from earlyhelp.core.identifiers import IdentifierError, normalise_nhs_number, normalise_postcode
from earlyhelp.core.text import fold, search_tokens
from earlyhelp.people.models import NHS_NUMBER_INDEX, Address, FamilyMembership, Person
from earlyhelp.people.permissions import SearchScope, search_scope, searchable_people
from earlyhelp.restricted.scope import closed_family_ids, closed_person_ids

MAX_RESULTS = 50
RESTRICTED_STUB = "Restricted record: ask the team manager or break the glass"


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    postcode: str = ""

    @property
    def is_empty(self) -> bool:
        # The name counts only if it has a searchable token: a name of punctuation alone
        # ("%", "!!") would otherwise pass this rule and then filter nothing.
        return not (self.has_name or self.date_of_birth or self.nhs_number or self.postcode)

    @property
    def has_name(self) -> bool:
        return bool(search_tokens(self.name))

    @property
    def used(self) -> list[str]:
        fields = {
            "name": self.has_name,
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
    # A stub for a restricted family: no details, and where the searcher would see the family
    # were it not restricted, the family to break the glass into.
    restricted: bool = False
    break_glass_family_id: UUID | None = None


def _at_postcode(user: AnyUser, postcode: str) -> QuerySet[Address]:
    """Current addresses at ``postcode`` that may answer this user's search.

    A confidential address (someone fleeing domestic abuse) answers only for the family's own
    team: to anyone else, a duty worker included, a match, a count or a "no match" would say
    whether the person lives there. The team is whoever would see the family were it not
    restricted (``visible_families(..., despite_restriction=True)``); restriction is applied
    to the results separately.
    """
    team_families = visible_families(user, despite_restriction=True)
    return Address.objects.filter(postcode=postcode, current=True).filter(
        Q(confidential=False) | Q(person__memberships__family__in=team_families)
    )


def _filter(user: AnyUser, people: QuerySet[Person], criteria: SearchCriteria) -> QuerySet[Person]:
    for token in search_tokens(criteria.name):
        people = people.filter(search_name__contains=token)
    if criteria.date_of_birth:
        people = people.filter(date_of_birth=criteria.date_of_birth)
    if criteria.nhs_number:
        try:
            nhs_number = normalise_nhs_number(criteria.nhs_number)
        except IdentifierError as exc:
            raise InvalidInput(str(exc), field="nhs_number") from None
        # The number is encrypted at rest: match its keyed blind index, under every
        # configured index key so a search during key rotation misses nobody.
        people = people.filter(
            nhs_number_index__in=blind_index_candidates(nhs_number, NHS_NUMBER_INDEX)
        )
    if criteria.postcode:
        try:
            postcode = normalise_postcode(criteria.postcode)
        except IdentifierError as exc:
            raise InvalidInput(str(exc), field="postcode") from None
        people = people.filter(pk__in=_at_postcode(user, postcode).values("person_id"))
    return people


def _is_exact(criteria: SearchCriteria) -> bool:
    return bool(criteria.nhs_number) or bool(criteria.name.strip() and criteria.date_of_birth)


def _exact_name(person: Person, criteria: SearchCriteria) -> bool:
    if not criteria.name.strip():
        return True  # matched on the NHS number
    return fold(f"{person.first_name} {person.last_name}") == fold(criteria.name)


def _restricted_stubs(
    user: AnyUser, scope: SearchScope, criteria: SearchCriteria, hidden: QuerySet
) -> list[PersonMatch]:
    """Stubs for exact matches in restricted families the user may not open (one query, two
    when there is a match)."""
    in_scope = Person.objects.filter(
        Q(memberships__family_id__in=hidden) | Q(pk__in=closed_person_ids(user))
    )
    if scope is SearchScope.OWN_FAMILIES:
        in_scope = in_scope.filter(
            memberships__family__in=visible_families(user, despite_restriction=True)
        )
    people = [
        p
        for p in _filter(user, in_scope, criteria).distinct().order_by("id")[:MAX_RESULTS]
        if _exact_name(p, criteria)
    ]
    if not people:
        return []
    could_open = visible_families(user, despite_restriction=True).filter(pk__in=hidden)
    restricted = dict(
        FamilyMembership.objects.filter(person__in=people, family_id__in=could_open).values_list(
            "person_id", "family_id"
        )
    )
    return [
        PersonMatch(
            person_id=p.pk,
            name=RESTRICTED_STUB,
            year_of_birth=None,
            current_team=None,
            family_id=None,
            restricted=True,
            break_glass_family_id=restricted.get(p.pk),
        )
        for p in people
    ]


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
    hidden = closed_family_ids(user)
    people = (
        _filter(user, searchable_people(user), criteria)
        .exclude(memberships__family_id__in=hidden)
        .exclude(pk__in=closed_person_ids(user))
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
    if _is_exact(criteria):
        results.extend(_restricted_stubs(user, scope, criteria, hidden))
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.SEARCH,
        object_type="person",
        detail={"count": len(results), "by": criteria.used},
    )
    return results
