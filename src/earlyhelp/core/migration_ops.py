"""Migration steps that encrypt (and, reversed, decrypt) existing plain values in place.

A column that becomes an ``EncryptedTextField`` still holds the plain text written before;
these steps rewrite it with raw SQL (the migration's model would try to decrypt it) and fill
any blind index from the plain value. Values that are already tokens are left alone, so the
step can be re-run safely.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import migrations

from earlyhelp.core import encryption

_BATCH = 2000


@dataclass(frozen=True)
class BlindIndexSpec:
    index_column: str
    source_column: str
    purpose: str


@dataclass(frozen=True)
class EncryptColumns:
    """Encrypt ``columns`` ({column: purpose}) of one model, optionally filling a blind index."""

    app_label: str
    model_name: str
    columns: Mapping[str, str]
    index: BlindIndexSpec | None = None

    def operation(self) -> migrations.RunPython:
        return migrations.RunPython(self.forwards, self.backwards, elidable=False)

    def _table(self, apps: Any) -> tuple[str, str]:
        model = apps.get_model(self.app_label, self.model_name)
        return model._meta.db_table, model._meta.pk.column

    def _rewrite(self, apps: Any, schema_editor: Any, *, encrypting: bool) -> None:
        table, pk = self._table(apps)
        quote = schema_editor.quote_name
        columns = list(self.columns)
        head = f"SELECT {', '.join(quote(c) for c in [pk, *columns])} FROM {quote(table)}"  # noqa: S608 (names quoted)
        order = f" ORDER BY {quote(pk)} LIMIT {_BATCH}"
        # Keyset batches by primary key: a large table is never held in memory at once.
        last: Any = None
        with schema_editor.connection.cursor() as cursor:
            while True:
                if last is None:
                    cursor.execute(head + order)
                else:
                    cursor.execute(f"{head} WHERE {quote(pk)} > %s{order}", [last])
                rows = cursor.fetchall()
                if not rows:
                    return
                last = rows[-1][0]
                for pk_value, *values in rows:
                    changed = self._changed(dict(zip(columns, values, strict=True)), encrypting)
                    if changed:
                        assignments = ", ".join(f"{quote(c)} = %s" for c in changed)
                        cursor.execute(
                            f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",  # noqa: S608
                            [*changed.values(), pk_value],
                        )

    def _changed(self, values: dict[str, Any], encrypting: bool) -> dict[str, str]:
        """The columns of one row to rewrite, and their new values."""
        changed: dict[str, str] = {}
        for column, value in values.items():
            if not value:
                continue
            purpose = self.columns[column]
            if encrypting and not encryption.is_token(value):
                changed[column] = encryption.encrypt(value, purpose)
                if self.index and column == self.index.source_column:
                    changed[self.index.index_column] = encryption.blind_index(
                        value, self.index.purpose
                    )
            elif not encrypting and encryption.is_token(value):
                changed[column] = encryption.decrypt(value, purpose)
        return changed

    def forwards(self, apps: Any, schema_editor: Any) -> None:
        self._rewrite(apps, schema_editor, encrypting=True)

    def backwards(self, apps: Any, schema_editor: Any) -> None:
        self._rewrite(apps, schema_editor, encrypting=False)
