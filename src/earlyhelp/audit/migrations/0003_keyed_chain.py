"""Key the audit chain: every event's hash becomes an HMAC with an EARLYHELP_AUDIT_KEYS key.

The events already written were hashed with plain SHA-256, which anyone with database access
could recompute. This migration first verifies that chain as it stands (and stops, naming the
first broken sequence number, if it does not verify: a broken trail must be investigated, not
re-signed), then re-hashes it with the current audit key. On PostgreSQL the append-only
trigger is switched off for the re-hash and on again, inside the migration's transaction; the
role running migrations owns the table (docs/operations.md, "Database roles").

The hashing is written out here rather than imported, so that this migration keeps doing what
it did when the chain's code changes.
"""

import base64
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS = "0" * 64
_FIELDS = ("seq", "at", "actor_id", "action", "object_type", "object_id", "purpose")


def _body(event, with_key_id):
    body = {name: getattr(event, name) for name in _FIELDS}
    body["at"] = event.at.isoformat(timespec="microseconds")
    body["request_id"] = event.request_id
    body["detail"] = event.detail
    if with_key_id:
        body["key_id"] = event.key_id
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _unkeyed(prev, event):
    return hashlib.sha256((prev + _body(event, False)).encode("ascii")).hexdigest()


def _keyed(prev, event, secret):
    message = (prev + _body(event, True)).encode("ascii")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _current_key():
    entries = list(getattr(settings, "EARLYHELP_AUDIT_KEYS", []))
    if not entries:
        raise RuntimeError(
            "The audit trail has events and EARLYHELP_AUDIT_KEYS is not set: set it before "
            "migrating (docs/operations.md, 'Key management')."
        )
    key_id, _, encoded = entries[0].strip().partition(":")
    return key_id, base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_")


def _set_trigger(schema_editor, enabled):
    if schema_editor.connection.vendor == "postgresql":
        state = "ENABLE" if enabled else "DISABLE"
        schema_editor.execute(
            f"ALTER TABLE audit_auditevent {state} TRIGGER audit_event_append_only"
        )


def _rehash(apps, schema_editor, *, keyed):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = list(AuditEvent.objects.order_by("seq"))
    if not events:
        return
    key_id, secret = _current_key() if keyed else ("", b"")
    prev_old = prev_new = GENESIS
    for expected, event in enumerate(events, start=1):
        old = _unkeyed(prev_old, event) if keyed else None
        if event.seq != expected or event.prev_hash != prev_old or (keyed and old != event.hash):
            raise RuntimeError(
                f"The audit chain is broken at sequence number {expected}: run `earlyhelp "
                "audit verify` on the previous release and investigate before migrating."
            )
        prev_old = event.hash
        event.key_id = key_id
        event.prev_hash = prev_new
        event.hash = _keyed(prev_new, event, secret) if keyed else _unkeyed(prev_new, event)
        prev_new = event.hash
    _set_trigger(schema_editor, enabled=False)
    AuditEvent.objects.bulk_update(events, ["key_id", "prev_hash", "hash"], batch_size=2000)
    _set_trigger(schema_editor, enabled=True)


def forwards(apps, schema_editor):
    _rehash(apps, schema_editor, keyed=True)


def backwards(apps, schema_editor):
    # Back to the unkeyed chain the previous release verifies. The keyed chain is not
    # checked here: the previous release's `audit verify` does that afterwards.
    _rehash(apps, schema_editor, keyed=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.RunPython(forwards, backwards),
    ]
