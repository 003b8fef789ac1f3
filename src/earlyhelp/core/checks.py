"""System checks: a project model without a data-map declaration fails the build, and bad
encryption keys stop start-up with the reason (not a 500 on the first encrypted read)."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.core import encryption
from earlyhelp.core.datamap import DeclarationError, project_models, read_declaration


@checks.register("earlyhelp")
def check_data_map_declarations(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in project_models():
        try:
            read_declaration(model)
        except DeclarationError as exc:
            errors.append(
                checks.Error(
                    f"{model._meta.label} {exc}.",
                    hint="Declare its categories, lawful basis, retention class and subjects "
                    "in a nested `class DataMap`, or `personal = False` with a reason.",
                    obj=model,
                    id="earlyhelp.E001",
                )
            )
    return errors


@checks.register("earlyhelp")
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        encryption.field_keys()
        encryption.index_keys()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="docs/operations.md, 'Key management'.",
                id="earlyhelp.E002",
            )
        ]
    return []
