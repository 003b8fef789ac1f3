"""Key rotation: re-encrypt every encrypted value, and re-index every blind index, that an
older key made, so the older key can then be removed from the configuration.

The encrypted columns are found from the models (every ``EncryptedTextField`` and
``BlindIndexField``, history tables included), never from a hand-kept list, so a field added
later is rotated without anyone remembering to add it here.

Procedure (docs/operations.md, "Key management"): put a new key *first* in
``EARLYHELP_FIELD_KEYS`` (or ``EARLYHELP_BLIND_INDEX_KEYS``) keeping the old ones after it,
deploy, run ``earlyhelp rotate_field_keys``, check with ``--check`` that nothing is left under
an old key, then remove the old key. Reads keep working throughout: every configured key
decrypts, and search tries the index under every configured index key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core import encryption
from earlyhelp.core.fields import BlindIndexField, EncryptedTextField

_BATCH = 500


@dataclass(frozen=True)
class EncryptedColumns:
    model: type[models.Model]
    encrypted: tuple[EncryptedTextField, ...]
    indexes: tuple[BlindIndexField, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass
class RotationReport:
    # label -> rows rewritten (or, for a check, rows still under an older key)
    rows: dict[str, int] = field(default_factory=dict)
    # key ids still found per label, e.g. {"people.Person": ["2025-01"]}
    old_keys: dict[str, list[str]] = field(default_factory=dict)
    # key ids found that are not configured at all: those values cannot be read
    unknown_keys: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def encrypted_columns() -> Iterator[EncryptedColumns]:
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = tuple(f for f in fields if isinstance(f, EncryptedTextField))
        indexes = tuple(f for f in fields if isinstance(f, BlindIndexField))
        if encrypted or indexes:
            yield EncryptedColumns(model, encrypted, indexes)


def _raw_batches(columns: EncryptedColumns) -> Iterator[list[tuple[object, dict[str, str]]]]:
    """Batches of (pk, {attname: stored value}), values as stored (tokens, not plain text).

    Keyset batches by primary key, each read whole before it is rewritten, so no cursor is
    held open across the writes and memory stays flat on ten million rows.
    """
    raw = {
        f"raw_{f.attname}": Cast(f.attname, output_field=models.TextField())
        for f in (*columns.encrypted, *columns.indexes)
    }
    names = [name.removeprefix("raw_") for name in raw]
    rows = columns.model._base_manager.order_by("pk").annotate(**raw).values_list("pk", *raw)
    last: object = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = [
            (pk, {name: value or "" for name, value in zip(names, values, strict=True)})
            for pk, *values in page[:_BATCH]
        ]
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _stale(columns: EncryptedColumns, stored: dict[str, str]) -> set[str]:
    """Key ids of older keys this row still uses."""
    current_field_key = encryption.field_keys()[0].id
    current_index_key = encryption.index_keys()[0].id if columns.indexes else ""
    stale: set[str] = set()
    for f in columns.encrypted:
        token = stored[f.attname]
        if token and encryption.token_key_id(token) != current_field_key:
            stale.add(encryption.token_key_id(token))
    for index in columns.indexes:
        value = stored[index.attname]
        if value and encryption.index_key_id(value) != current_index_key:
            stale.add(encryption.index_key_id(value))
    return stale


def _unconfigured(columns: EncryptedColumns, stored: dict[str, str]) -> set[str]:
    """Key ids this row uses that are not configured (field and index keys apart: an id may
    name a field key and an index key alike)."""
    field_ids = {key.id for key in encryption.field_keys()}
    index_ids = {key.id for key in encryption.index_keys()} if columns.indexes else set()
    tokens = (stored[f.attname] for f in columns.encrypted)
    indexes = (stored[i.attname] for i in columns.indexes)
    return {encryption.token_key_id(t) for t in tokens if t} - field_ids | (
        {encryption.index_key_id(i) for i in indexes if i} - index_ids
    )


def _rewritten(columns: EncryptedColumns, pk: object, stored: dict[str, str]) -> models.Model:
    """An unsaved instance holding the row's plain values and fresh indexes: saved with
    ``bulk_update`` its encrypted fields are encrypted again, under the current key."""
    values: dict[str, str] = {
        f.attname: encryption.decrypt(stored[f.attname], f.purpose) for f in columns.encrypted
    }
    for index in columns.indexes:
        source = index.source  # an encrypted text field: its name is its attname
        values[index.attname] = index.index_for(values.get(source, ""))
    instance = columns.model(pk=pk)
    for attname, value in values.items():
        setattr(instance, attname, value)
    return instance


def rotate(*, check_only: bool = False) -> RotationReport:
    """Rewrite every value an older key made (or with ``check_only``, count them)."""
    report = RotationReport()
    for columns in encrypted_columns():
        fields = [f.name for f in (*columns.encrypted, *columns.indexes)]
        count = 0
        old: set[str] = set()
        for batch in _raw_batches(columns):
            stale_rows = []
            for pk, stored in batch:
                if stale := _stale(columns, stored):
                    old |= stale
                    report.unknown_keys |= _unconfigured(columns, stored)
                    stale_rows.append((pk, stored))
            count += len(stale_rows)
            if stale_rows and not check_only:
                rewritten = [_rewritten(columns, pk, stored) for pk, stored in stale_rows]
                # bulk_update writes no history version and fires no signals: rotation
                # changes no content.
                with transaction.atomic():
                    columns.model._base_manager.bulk_update(rewritten, fields)
        if count:
            report.rows[columns.label] = count
            report.old_keys[columns.label] = sorted(old)
    if not check_only:
        record_event(
            actor=None,
            action=Action.UPDATE,
            object_type="field_keys",
            object_id=encryption.field_keys()[0].id,
            detail={"rows_rewritten": report.total, "models": len(report.rows)},
        )
    return report
