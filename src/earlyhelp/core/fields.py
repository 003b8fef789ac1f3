"""Model fields that keep their values encrypted at rest (see ``core.encryption``).

``EncryptedTextField`` stores a token and gives the model plain text. It cannot be searched
or compared in SQL — the ciphertext is different every time — so every lookup except
``isnull`` raises, and code that tried ``note__icontains`` fails loudly instead of silently
matching nothing. Exact search goes through a ``BlindIndexField`` beside it.

The purpose (the token's associated data) is part of the field's declaration, so the history
table that django-simple-history builds from a model shares it: a history row's value and the
live row's value are the same kind of secret.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Lookup, Model
from django.db.models.lookups import Exact

from earlyhelp.core import encryption


class EncryptedTextField(models.TextField):
    """Text encrypted with the current field key on save, decrypted on load."""

    description = "Text encrypted at rest (AES-256-GCM)"

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return encryption.decrypt(value, self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encryption.encrypt(str(value), self.purpose)

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name != "isnull":
            raise TypeError(
                f"{self.model.__name__}.{self.name} is encrypted: it cannot be searched with "
                f"'{lookup_name}' (use its blind index for exact matches)."
            )
        return super().get_lookup(lookup_name)


class _EmptyOnlyExact(Exact):
    """``field=""`` still works ("nothing recorded" is stored as ""); any other value would
    compare against ciphertext and silently match nothing, so it is refused."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            field = self.lhs.target
            raise TypeError(
                f"{field.model.__name__}.{field.name} is encrypted: it cannot be searched with "
                "'exact' except for \"\" (use its blind index for exact matches)."
            )
        return super().get_prep_lookup()


class BlindIndexField(models.CharField):
    """A keyed HMAC of another field's (already normalised) value, kept in step on save.

    ``QuerySet.update`` and ``bulk_update`` do not call ``pre_save``: code that changes the
    source that way must set the index too (``rotate_field_keys`` does).
    """

    description = "Keyed blind index of an encrypted value"

    def __init__(self, *args: Any, source: str, purpose: str, **kwargs: Any) -> None:
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 96)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def index_for(self, value: str | None) -> str:
        return encryption.blind_index(value or "", self.purpose)

    def pre_save(self, model_instance: Model, add: bool) -> str:
        value = self.index_for(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
