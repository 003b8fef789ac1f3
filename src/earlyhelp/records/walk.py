"""The walk: every row of the case record that belongs to one family.

It reads the models' own foreign keys instead of a hand-kept list, so a new kind of record
is found the day it is added: every model of the project whose primary key is a UUID and
which reaches ``people.Family`` (or ``people.Person``) through its foreign keys is part of
the family's record. Rows reached through a person count when the person is a member of
the family. A row that can reach the family by several paths (a contact through its family
and through its episode) is found through any of them.

Used by the family's access log; the features still to come (subject access, erasure,
retention, merge) are to build on it rather than keep their own lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from uuid import UUID

from django.apps import apps
from django.db.models import Model, Q, UUIDField

from earlyhelp.people.models import Family, FamilyMembership, Person

# How far a model may be from the family: a plan action is three steps away
# (action -> version -> plan -> family); four leaves room without wandering.
MAX_DEPTH = 4


@dataclass(frozen=True)
class Route:
    """How rows of ``model`` reach a family or a person: ORM lookups, any of which may do."""

    model: type[Model]
    to_family: tuple[str, ...]
    to_person: tuple[str, ...]

    def rows_of(self, family: Family, person_ids: list[UUID]) -> Q:
        condition = Q(pk__in=[])
        for lookup in self.to_family:
            condition |= Q(**{lookup: family})
        for lookup in self.to_person:
            condition |= Q(**{f"{lookup}__in": person_ids})
        return condition


def _paths(model: type[Model], target: type[Model]) -> tuple[str, ...]:
    """Every forward foreign-key path from ``model`` to ``target``, shortest first."""
    found: list[str] = []
    frontier: list[tuple[type[Model], str, frozenset[type[Model]]]] = [
        (model, "", frozenset({model}))
    ]
    for _ in range(MAX_DEPTH):
        step: list[tuple[type[Model], str, frozenset[type[Model]]]] = []
        for current, prefix, seen in frontier:
            for field in current._meta.get_fields():
                if not (field.is_relation and field.concrete and field.related_model):
                    continue
                if not (field.many_to_one or field.one_to_one):
                    continue
                related = field.related_model
                if not isinstance(related, type) or related in seen:
                    continue
                lookup = f"{prefix}{field.name}"
                if related is target:
                    found.append(lookup)
                else:
                    step.append((related, f"{lookup}__", seen | {related}))
        frontier = step
    return tuple(found)


def _is_case_record_model(model: type[Model]) -> bool:
    return (
        model.__module__.startswith("earlyhelp.")
        and isinstance(model._meta.pk, UUIDField)
        and model not in (Family, Person)
    )


@cache
def routes() -> tuple[Route, ...]:
    """Every model of the case record, with its ways to a family or a person."""
    found = []
    for model in apps.get_models():
        if not _is_case_record_model(model):
            continue
        to_family, to_person = _paths(model, Family), _paths(model, Person)
        if to_family or to_person:
            found.append(Route(model=model, to_family=to_family, to_person=to_person))
    return tuple(sorted(found, key=lambda r: r.model._meta.label))


def ids_about_family(family: Family) -> set[str]:
    """The ids (as the audit trail stores them) of the family, its members and every row of
    the case record that belongs to them. One query per kind of record."""
    person_ids = list(
        FamilyMembership.objects.filter(family=family).values_list("person_id", flat=True)
    )
    ids = {str(family.pk), *(str(pk) for pk in person_ids)}
    for route in routes():
        rows = route.model._default_manager.filter(route.rows_of(family, person_ids))
        ids.update(str(pk) for pk in rows.values_list("pk", flat=True))
    return ids
