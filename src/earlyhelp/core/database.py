"""The embedded SQLite database, its write-ahead log and shared-memory files kept readable
by the service's own account only (``0600``), whatever the umask (decision 0013).

SQLite creates the file with the process's umask (usually ``0644``: anyone on the machine
could copy every record), and makes the ``-wal`` and ``-shm`` files alongside it during the
connection's first statement, before Django announces the connection. So each new
connection sets the mode of all three outright; the folder is the other half
(``settings.local`` makes ``var/`` ``0700``). PostgreSQL keeps its own files private.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import receiver

FILE_MODE = 0o600
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def sqlite_file(settings_dict: dict[str, Any]) -> Path | None:
    """The database file of an SQLite connection; None for an in-memory database."""
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def make_private(path: Path) -> None:
    for suffix in _SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists() and side.stat().st_mode & 0o777 != FILE_MODE:
            side.chmod(FILE_MODE)


@receiver(connection_created)
def _private_sqlite_file(*, connection: Any, **kwargs: object) -> None:
    if connection.vendor != "sqlite":
        return
    path = sqlite_file(connection.settings_dict)
    if path is not None:
        make_private(path)
