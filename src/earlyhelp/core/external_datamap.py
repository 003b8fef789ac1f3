"""Data-map declarations for every table the service has, not only the project's own models.

Django's apps and third-party apps (sessions, django-axes, django-otp, ...) define models we
cannot add a nested ``DataMap`` to, and Django's database cache is a table with no model at
all. Their declarations are registered here, in the same form as a nested ``DataMap``, by
``earlyhelp.datamap.external`` (loaded when the datamap app is ready)::

    @declare_model("sessions.Session")
    class SessionDataMap:
        categories = [Category.PERSONAL_DETAILS]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "session"
        subjects = "session_data._auth_user_id"

The system check (``core.checks``, ``earlyhelp.E001``) then covers every installed model,
the many-to-many tables Django creates and the configured database cache tables: one with no
declaration stops the build, so installing a new app cannot add personal data to the
service unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from earlyhelp.core.datamap import (
    Category,
    Declaration,
    DeclarationError,
    LawfulBasis,
    SpecialCategoryBasis,
    parse_declaration,
    parse_terms,
    read_declaration,
)

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"

# Model label (lower case) -> its DataMap-shaped class; table name -> (title, class).
_MODELS: dict[str, type] = {}
_TABLES: dict[str, tuple[str, type]] = {}


def declare_model(label: str) -> Callable[[type], type]:
    """Register the declaration for a model the project cannot edit (``app_label.Model``)."""

    def register(spec: type) -> type:
        _MODELS[label.lower()] = spec
        return spec

    return register


def declare_table(table: str, title: str) -> Callable[[type], type]:
    """Register the declaration for a table with no model (the database cache)."""

    def register(spec: type) -> type:
        _TABLES[table] = (title, spec)
        return spec

    return register


def registered_models() -> frozenset[str]:
    return frozenset(_MODELS)


def registered_tables() -> frozenset[str]:
    return frozenset(_TABLES)


@dataclass(frozen=True)
class TableDeclaration:
    """A table with no model: the same terms as a ``Declaration``, named by the table."""

    table: str
    title: str
    personal: bool
    categories: tuple[Category, ...] = ()
    lawful_basis: LawfulBasis | None = None
    special_category_basis: SpecialCategoryBasis | None = None
    retention: str | None = None
    subjects: str | None = None
    reason: str | None = None
    encrypted_fields: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return f"table {self.table}"

    @property
    def verbose_name(self) -> str:
        return self.title


AnyDeclaration = Declaration | TableDeclaration


def installed_models() -> list[type[models.Model]]:
    """Every model of every installed app, with the many-to-many tables Django creates."""
    return list(apps.get_models(include_auto_created=True))


def _is_project(model: type[models.Model]) -> bool:
    return model.__module__.startswith("earlyhelp.")


def _through_owner(model: type[models.Model]) -> type[models.Model] | None:
    owner = model._meta.auto_created
    return owner if isinstance(owner, type) and issubclass(owner, models.Model) else None


def _through_declaration(model: type[models.Model], owner: type[models.Model]) -> Declaration:
    """A many-to-many table links rows of its owner: the owner's data, the owner's people.

    Its subjects are the owner's, reached through the link's own column to the owner.
    """
    declared = declaration_for(owner)
    link = next(f.name for f in model._meta.fields if f.related_model is owner)
    subjects = declared.subjects
    if subjects:
        subjects = ", ".join(
            link if part.strip() == "self" else f"{link}.{part.strip()}"
            for part in subjects.split(",")
        )
    return Declaration(**{**declared.__dict__, "model": model, "subjects": subjects})


def declaration_for(model: type[models.Model]) -> Declaration:
    """Any installed model's declaration; DeclarationError saying what is missing."""
    owner = _through_owner(model)
    if owner is not None:
        return _through_declaration(model, owner)
    if _is_project(model):
        return read_declaration(model)
    spec = _MODELS.get(model._meta.label_lower)
    if spec is None:
        raise DeclarationError(
            "has no data-map declaration (it comes from an installed app: declare it in "
            "earlyhelp/datamap/external.py)"
        )
    return parse_declaration(model, spec)


def database_cache_tables() -> list[str]:
    """The tables Django's database cache backend uses, as configured (none with Redis)."""
    return sorted(
        str(cache["LOCATION"])
        for cache in settings.CACHES.values()
        if cache.get("BACKEND") == DATABASE_CACHE and cache.get("LOCATION")
    )


def table_declaration(table: str) -> TableDeclaration:
    registered = _TABLES.get(table)
    if registered is None:
        raise DeclarationError(
            "has no data-map declaration (declare it in earlyhelp/datamap/external.py)"
        )
    title, spec = registered
    terms: dict[str, Any] = parse_terms(spec)
    return TableDeclaration(table=table, title=title, **terms)


def all_declarations() -> list[AnyDeclaration]:
    """Every table's declaration: project models, installed apps' models, many-to-many
    tables and the database cache. The register and its export are built from this."""
    found: list[AnyDeclaration] = [declaration_for(model) for model in installed_models()]
    found.extend(table_declaration(table) for table in database_cache_tables())
    return found
