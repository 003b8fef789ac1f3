"""Small helpers for reading settings from environment variables.

Settings come from the environment only (twelve-factor), so a council's deployment never
needs to edit a file in the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def require(name: str, why: str) -> str:
    """Read a setting that production cannot run without; fail loudly and helpfully."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is not set. {why} "
            "See docs/operations.md for every production setting. "
            "For a local demo use DJANGO_SETTINGS_MODULE=earlyhelp.settings.local (make demo)."
        )
    return value


def read_key_setting(name: str) -> list[str]:
    """A key list from ``NAME`` (comma-separated) or, if unset, the file ``NAME_FILE`` (one key
    per line, ``#`` comments allowed): the form a secrets manager or container mount gives."""
    value = os.environ.get(name, "").strip()
    if value:
        return [item for item in (part.strip() for part in value.split(",")) if item]
    path = os.environ.get(f"{name}_FILE", "").strip()
    if not path:
        return []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"{name}_FILE cannot be read: {exc.strerror}.") from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]
