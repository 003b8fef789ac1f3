"""Field-level encryption and keyed blind indexes, with keys that never enter the database.

The most sensitive values (NHS numbers, case note text, a child's own words) are stored as
AES-256-GCM tokens, so a copy of the database, a backup or a database administrator's query
shows ciphertext only. The keys come from the environment or a mounted secret file
(``EARLYHELP_FIELD_KEYS`` / ``EARLYHELP_FIELD_KEYS_FILE``), never from the database.

Token format: ``ef1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``. The key id says which
key made the token, so several keys can be live at once: the first key encrypts, every key
decrypts, and ``earlyhelp rotate_field_keys`` re-encrypts what an older key made. Each token
is bound to its *purpose* (associated data such as ``"casework.contact.note"``), so a value
moved from one column to another by someone with database access no longer decrypts.

A blind index (``bi1:<key id>:<hex HMAC-SHA256>``) answers exact-match search on an
encrypted identifier without decrypting every row; its keys are separate from the
encryption keys (``EARLYHELP_BLIND_INDEX_KEYS``) so that one leaking does not give the other.

The empty string is stored as the empty string: "no value recorded" is not a secret, and it
keeps ``blank=True`` fields simple.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

TOKEN_PREFIX = "ef1:"  # noqa: S105 (a format marker, not a secret)
INDEX_PREFIX = "bi1:"
KEY_BYTES = 32  # AES-256 and a 256-bit HMAC key
NONCE_BYTES = 12  # the GCM standard nonce; random per token
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class EncryptionError(Exception):
    """A token that cannot be read: unknown key, damaged, or moved from another column.

    The message names the key id and the purpose, never the value.
    """


@dataclass(frozen=True)
class Key:
    id: str
    secret: bytes


def generate_key_line(key_id: str) -> str:
    """A new key in the configuration format (``id:base64url``), for ``earlyhelp newkey``."""
    _check_key_id(key_id)
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()}"


def _check_key_id(key_id: str) -> None:
    if not _KEY_ID.match(key_id):
        raise ImproperlyConfigured(
            f"Key id {key_id!r} must be 1-16 letters, digits, '-' or '_' (e.g. 2026-11)."
        )


def parse_keys(entries: list[str], setting: str) -> tuple[Key, ...]:
    """Keys from ``["id:base64url", ...]``; the first is the current one."""
    keys: list[Key] = []
    for number, entry in enumerate(entries, start=1):
        key_id, separator, encoded = entry.strip().partition(":")
        if not separator:
            raise ImproperlyConfigured(f"{setting} entry {number} must look like 'id:base64key'.")
        _check_key_id(key_id)
        try:
            padded = encoded + "=" * (-len(encoded) % 4)
            secret = base64.b64decode(padded, altchars=b"-_", validate=True)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(
                f"{setting} entry {number} ({key_id}) is not valid base64."
            ) from None
        if len(secret) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{setting} entry {number} ({key_id}) must be {KEY_BYTES} random bytes, "
                f"not {len(secret)}: make one with `earlyhelp newkey {key_id}`."
            )
        if any(key.id == key_id for key in keys):
            raise ImproperlyConfigured(f"{setting} names key {key_id} twice.")
        keys.append(Key(key_id, secret))
    return tuple(keys)


@cache
def field_keys() -> tuple[Key, ...]:
    keys = parse_keys(list(settings.EARLYHELP_FIELD_KEYS), "EARLYHELP_FIELD_KEYS")
    if not keys:
        raise ImproperlyConfigured(
            "No field encryption key: set EARLYHELP_FIELD_KEYS or EARLYHELP_FIELD_KEYS_FILE "
            "(docs/operations.md, 'Key management')."
        )
    return keys


@cache
def index_keys() -> tuple[Key, ...]:
    keys = parse_keys(list(settings.EARLYHELP_BLIND_INDEX_KEYS), "EARLYHELP_BLIND_INDEX_KEYS")
    if not keys:
        raise ImproperlyConfigured(
            "No blind index key: set EARLYHELP_BLIND_INDEX_KEYS or EARLYHELP_BLIND_INDEX_KEYS_FILE "
            "(docs/operations.md, 'Key management')."
        )
    if {key.secret for key in keys} & {key.secret for key in field_keys()}:
        raise ImproperlyConfigured("A blind index key must not also be a field encryption key.")
    return keys


@cache
def audit_keys() -> tuple[Key, ...]:
    """The audit chain's HMAC keys (``earlyhelp.audit.chain``), current first."""
    keys = parse_keys(list(settings.EARLYHELP_AUDIT_KEYS), "EARLYHELP_AUDIT_KEYS")
    if not keys:
        raise ImproperlyConfigured(
            "No audit chain key: set EARLYHELP_AUDIT_KEYS or EARLYHELP_AUDIT_KEYS_FILE "
            "(docs/operations.md, 'Key management')."
        )
    others = {key.secret for key in field_keys()} | {key.secret for key in index_keys()}
    if {key.secret for key in keys} & others:
        raise ImproperlyConfigured(
            "An audit chain key must not also be a field encryption or blind index key."
        )
    return keys


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    # Tests swap keys with override_settings to prove rotation.
    if setting in {"EARLYHELP_FIELD_KEYS", "EARLYHELP_BLIND_INDEX_KEYS", "EARLYHELP_AUDIT_KEYS"}:
        field_keys.cache_clear()
        index_keys.cache_clear()
        audit_keys.cache_clear()


def _purpose_bytes(purpose: str) -> bytes:
    return purpose.encode()


def encrypt(plaintext: str, purpose: str) -> str:
    """``plaintext`` as a token made with the current key; ``""`` stays ``""``."""
    if plaintext == "":
        return ""
    key = field_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key.secret).encrypt(nonce, plaintext.encode(), _purpose_bytes(purpose))
    return f"{TOKEN_PREFIX}{key.id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def is_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX)


def token_key_id(token: str) -> str:
    """Which key made ``token`` (for rotation), without decrypting it."""
    if not is_token(token):
        raise EncryptionError("Not an encrypted value.")
    return token[len(TOKEN_PREFIX) :].partition(":")[0]


def decrypt(token: str, purpose: str) -> str:
    """The plain text of ``token``; ``""`` stays ``""``.

    Fails closed: a value that is not a token (plain text written around the model, or a
    column whose conversion migration has not run) raises instead of being shown as if it
    had been protected. Only the conversion step (``core.migration_ops``) reads plain values,
    and it does so with raw SQL, never through here.
    """
    if token == "":
        return ""
    if not is_token(token):
        raise EncryptionError(
            f"A {purpose} value is stored unencrypted: refused. Run `earlyhelp migrate` "
            "(its conversion steps encrypt plain values in place)."
        )
    key_id = token_key_id(token)
    key = next((k for k in field_keys() if k.id == key_id), None)
    if key is None:
        raise EncryptionError(
            f"A {purpose} value was encrypted with key {key_id}, which is not configured: "
            "add it back to EARLYHELP_FIELD_KEYS until `earlyhelp rotate_field_keys` has run."
        )
    encoded = token[len(TOKEN_PREFIX) + len(key_id) + 1 :]
    try:
        raw = base64.urlsafe_b64decode(encoded)
        plain = AESGCM(key.secret).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _purpose_bytes(purpose)
        )
    except (binascii.Error, ValueError, InvalidTag):
        raise EncryptionError(
            f"A {purpose} value made with key {key_id} does not decrypt: it is damaged, or "
            "was copied from another column."
        ) from None
    return plain.decode()


def _index_with(key: Key, value: str, purpose: str) -> str:
    digest = hmac.new(key.secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()
    return f"{INDEX_PREFIX}{key.id}:{digest}"


def blind_index(value: str, purpose: str) -> str:
    """The index of a normalised ``value`` under the current index key; ``""`` for no value."""
    return _index_with(index_keys()[0], value, purpose) if value else ""


def blind_index_candidates(value: str, purpose: str) -> list[str]:
    """The index under every configured key: a search still finds rows indexed with an older
    key while ``rotate_field_keys`` is catching up."""
    return [_index_with(key, value, purpose) for key in index_keys()] if value else []


def index_key_id(index: str) -> str:
    return index[len(INDEX_PREFIX) :].partition(":")[0]
