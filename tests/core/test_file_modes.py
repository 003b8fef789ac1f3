"""The SQLite database and the private files are readable by the service's account only:
``0600`` files in ``0700`` folders, whatever the umask (issue 12, item 8; decision 0013)."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from earlyhelp.core import files

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    # The usual 022 would leave new files 0644 (world-readable) without the rule.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_stored_file_and_its_folders_are_private(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "private"
    settings.EARLYHELP_PRIVATE_FILES_DIR = root
    stored = files.store(io.BytesIO(PDF))
    assert mode(root) == 0o700
    assert mode(root / "attachments") == 0o700
    assert mode(files.path_of(stored.stored_name)) == 0o600
    assert files.path_of(stored.stored_name).read_bytes() == PDF


def test_a_folder_made_before_the_rule_is_made_private(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "private"
    (root / "attachments").mkdir(parents=True, mode=0o755)
    root.chmod(0o755)  # the old, too open mode
    settings.EARLYHELP_PRIVATE_FILES_DIR = root
    files.store(io.BytesIO(PDF))
    assert (mode(root), mode(root / "attachments")) == (0o700, 0o700)


def test_a_private_file_is_never_overwritten(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "f"
    files.write_private(target, b"first")
    with pytest.raises(FileExistsError):
        files.write_private(target, b"second")
    assert target.read_bytes() == b"first"


def test_an_sqlite_database_and_its_log_are_private(tmp_path, django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "earlyhelp.sqlite3"
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
            }
        }
    )
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x TEXT)")
            cursor.execute("INSERT INTO t VALUES ('a')")
        made = [p for p in tmp_path.iterdir() if p.name.startswith(path.name)]
        assert {p.name for p in made} >= {path.name, f"{path.name}-wal", f"{path.name}-shm"}
        assert {p.name: mode(p) for p in made} == {p.name: 0o600 for p in made}
    finally:
        connection.close()


def test_the_demo_settings_make_var_and_the_database_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    var = tmp_path / "var"
    var.mkdir(mode=0o755)  # as `make demo`'s `mkdir -p var` leaves it
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "earlyhelp.settings.local",
        "EARLYHELP_VAR_DIR": str(var),
    }
    code = (
        "import django; django.setup(); "
        "from django.db import connection; connection.ensure_connection()"
    )
    subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, timeout=60, capture_output=True
    )
    assert mode(var) == 0o700
    assert mode(var / "earlyhelp.sqlite3") == 0o600
