"""System checks: a table without a data-map declaration fails the build, and bad
encryption keys stop start-up with the reason (not a 500 on the first encrypted read)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.core import client_address, encryption
from earlyhelp.core.datamap import DeclarationError
from earlyhelp.core.external_datamap import (
    database_cache_tables,
    declaration_for,
    installed_models,
    registered_models,
    table_declaration,
)
from earlyhelp.core.subjects import subjects_problems

_HINT = (
    "Declare its categories, lawful basis, retention class and subjects in a nested "
    "`class DataMap` (or `personal = False` with a reason); for a model or table of an "
    "installed app, in earlyhelp/datamap/external.py."
)


@checks.register("earlyhelp")
def check_data_map_declarations(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Every installed app's models (the project's, Django's and third-party apps'), the
    many-to-many tables and the database cache tables must each be declared."""
    errors: list[checks.CheckMessage] = []
    models = installed_models()
    for model in models:
        try:
            declared = declaration_for(model)
        except DeclarationError as exc:
            errors.append(
                checks.Error(
                    f"{model._meta.label} {exc}.", hint=_HINT, obj=model, id="earlyhelp.E001"
                )
            )
            continue
        errors.extend(
            checks.Error(
                f"{problem}.",
                hint="Name whose data each row is with a path of fields from the model "
                "(e.g. episode.family.members), `self`, or words for data linked to no record.",
                obj=model,
                id="earlyhelp.E005",
            )
            for problem in subjects_problems(model, declared.subjects)
        )
    for table in database_cache_tables():
        try:
            table_declaration(table)
        except DeclarationError as exc:
            errors.append(
                checks.Error(
                    f"The database cache table {table!r} {exc}.", hint=_HINT, id="earlyhelp.E001"
                )
            )
    installed = {model._meta.label_lower for model in models}
    for label in sorted(registered_models() - installed):
        errors.append(
            checks.Warning(
                f"The data map declares {label}, which is not installed.",
                hint="Remove its declaration from earlyhelp/datamap/external.py.",
                id="earlyhelp.W001",
            )
        )
    return errors


@checks.register("earlyhelp")
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        encryption.field_keys()
        encryption.index_keys()
        encryption.audit_keys()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="docs/operations.md, 'Key management'.",
                id="earlyhelp.E002",
            )
        ]
    return []


@checks.register("earlyhelp")
def check_trusted_proxies(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        client_address.trusted_proxies()
    except ValueError as exc:
        return [
            checks.Error(
                f"EARLYHELP_TRUSTED_PROXIES: {exc}.",
                hint="Addresses or networks such as 10.0.0.5 or 10.0.0.0/24, separated by "
                "commas; docs/operations.md, 'Behind a reverse proxy'.",
                id="earlyhelp.E003",
            )
        ]
    return []


@checks.register("earlyhelp", checks.Tags.database, deploy=True)
def check_database_role(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """The running service must not connect as a role that could change the audit trail.
    A deployment check that needs the database: ``earlyhelp check --deploy --database
    default``, run with the service's own DATABASE_URL (not the owner's, which migrates)."""
    if not databases or "default" not in databases:
        return []
    from django.db import connection

    from earlyhelp.core.database_roles import role_problems

    return [
        checks.Error(
            f"On PostgreSQL {problem}: it could change or empty the audit trail.",
            hint="Connect as the app role; docs/operations.md, 'Database roles'.",
            id="earlyhelp.E004",
        )
        for problem in role_problems(connection)
    ]
