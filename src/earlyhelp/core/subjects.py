"""A data-map declaration's ``subjects`` says whose data a row is, as a path the code can
follow: checked at start-up (system check ``earlyhelp.E005``), so the walk and the rights
features that come next can rely on it.

``subjects`` is a comma-separated list of parts. Each part is ``self`` (the row is the
person), a path of field names joined by dots from the model (``episode.family.members``,
``actor_id``), or, for data linked to no record, a description in words (it has a space:
"whoever the saved answer is about (not linked to any record)"). A history table's paths
are those of the model it keeps the history of.
"""

from __future__ import annotations

import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models

_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")


def _base(model: type[models.Model]) -> type[models.Model]:
    tracked = getattr(model, "instance_type", None)  # django-simple-history's history tables
    return tracked if isinstance(tracked, type) and issubclass(tracked, models.Model) else model


def path_problem(model: type[models.Model], path: str) -> str | None:
    """Why ``path`` cannot be followed from ``model``; None when it can."""
    current = _base(model)
    parts = path.split(".")
    for index, name in enumerate(parts):
        try:
            field = current._meta.get_field(name)
        except FieldDoesNotExist:
            return f"{current._meta.label} has no field {name!r}"
        related = field.related_model if field.is_relation else None
        if isinstance(related, type):
            current = related
        elif index < len(parts) - 1:
            return f"{current._meta.label}.{name} leads nowhere: it is not a relation"
    return None


def subjects_problems(model: type[models.Model], subjects: str | None) -> list[str]:
    problems = []
    for part in (p.strip() for p in (subjects or "").split(",")):
        if not part or part == "self" or " " in part:
            continue  # empty is E001's concern; words describe data linked to no record
        if not _PATH.match(part):
            problems.append(f"subjects part {part!r} is neither a path nor a description")
            continue
        problem = path_problem(model, part)
        if problem is not None:
            problems.append(f"subjects path {part!r}: {problem}")
    return problems
