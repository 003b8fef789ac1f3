"""scripts/backup.sh and scripts/restore.sh, end to end on throwaway PostgreSQL databases.

A source database is created and migrated, synthetic records are written through the real
services (so the audit trail is written too) and documents are put in a private files folder;
the backup is restored into a second, empty database and folder; every table's row count must
match, `earlyhelp audit verify` must pass against the restored database and the files must come
back byte for byte. Restoring over a non-empty database is refused. Both databases are dropped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
EARLYHELP = Path(sys.executable).parent / "earlyhelp"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="backups use pg_dump/pg_restore: PostgreSQL only (run with DATABASE_URL=postgres://...)",
)

# Runs in a child process against the source database: a world with families in several
# states, written through the services like the rest of the suite's synthetic data.
WRITE_RECORDS = """
import django
django.setup()
from tests.factories import build_world
world = build_world()
world.open_family()
world.open_family(team=world.south, last_name="Birchwood")
world.closed_family(last_name="Cedarfell")
"""


def _server_url(name: str) -> str:
    """The test server's URL with another database name."""
    parts = dj_database_url.parse(os.environ["DATABASE_URL"])
    auth = parts["USER"] + (f":{parts['PASSWORD']}" if parts["PASSWORD"] else "")
    port = f":{parts['PORT']}" if parts["PORT"] else ""
    return f"postgres://{auth}@{parts['HOST'] or 'localhost'}{port}/{name}"


def _admin(statement: str) -> None:
    with psycopg.connect(_server_url("postgres"), autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def _row_counts(url: str) -> dict[str, int]:

    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' "
                "ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = connection.execute(query).fetchone()
            assert row is not None
            counts[table] = row[0]
        return counts


def _env(url: str, files: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        EARLYHELP_PRIVATE_FILES_DIR=str(files),
        DJANGO_SETTINGS_MODULE="earlyhelp.settings.test",
        PYTHONPATH=str(ROOT),
    )
    return env


def _run(command: list[str], env: dict[str, str], check: bool = True):  # type: ignore[no-untyped-def]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if check:
        assert result.returncode == 0, f"{command[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    names = (f"eh_backup_src_{os.getpid()}", f"eh_backup_dst_{os.getpid()}")
    for name in names:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{name}"')
    try:
        yield _server_url(names[0]), _server_url(names[1])
    finally:
        for name in names:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_with_its_files_and_audit_chain(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = databases
    files = tmp_path / "private"
    (files / "documents" / "2026").mkdir(parents=True)
    documents = {
        "documents/2026/synthetic-letter.pdf": b"%PDF-1.4 synthetic letter for a made-up family\n",
        "documents/2026/photo.png": bytes(range(256)) * 4,
        "readme.txt": "Synthetic file: Zoë Quillfeather (invented).\n".encode(),
    }
    for name, content in documents.items():
        (files / name).write_bytes(content)

    _run([str(EARLYHELP), "migrate", "--no-input"], _env(source, files))
    _run([sys.executable, "-c", WRITE_RECORDS], _env(source, files))
    before = _row_counts(source)
    assert before["audit_auditevent"] > 10
    assert before["people_family"] == 3

    backup = _run(["scripts/backup.sh", "--output", str(tmp_path / "backups")], _env(source, files))
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in backup_dir.iterdir()) == [
        "MANIFEST",
        "SHA256SUMS",
        "database.dump",
        "private-files.tar.gz",
    ]
    assert oct(backup_dir.stat().st_mode & 0o777) == oct(0o700)

    restored_files = tmp_path / "restored"
    restore = [
        "scripts/restore.sh",
        str(backup_dir),
        "--database-url",
        target,
        "--files-dir",
        str(restored_files),
    ]
    _run(restore, _env(target, restored_files))

    assert _row_counts(target) == before
    verify = _run([str(EARLYHELP), "audit", "verify"], _env(target, restored_files))
    assert f"{before['audit_auditevent']} events verified" in verify.stdout
    restored = {
        str(path.relative_to(restored_files)): path.read_bytes()
        for path in restored_files.rglob("*")
        if path.is_file()
    }
    assert restored == documents

    # A second restore over the now non-empty database is refused, and changes nothing.
    again = _run(restore, _env(target, restored_files), check=False)
    assert again.returncode != 0
    assert "not empty" in again.stderr
    assert _row_counts(target) == before


def test_a_damaged_backup_is_refused_before_anything_is_touched(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = databases
    files = tmp_path / "private"
    files.mkdir()
    (files / "note.txt").write_text("synthetic\n")
    # No need to migrate: one table is enough for a dump to restore.
    with psycopg.connect(source, autocommit=True) as connection:
        connection.execute("CREATE TABLE synthetic_marker (id integer)")
    backup = _run(["scripts/backup.sh", "--output", str(tmp_path / "backups")], _env(source, files))
    backup_dir = Path(backup.stdout.strip().splitlines()[-1])
    dump = backup_dir / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10] + b"tampered!!")

    result = _run(
        [
            "scripts/restore.sh",
            str(backup_dir),
            "--database-url",
            target,
            "--files-dir",
            str(tmp_path / "restored"),
        ],
        _env(target, tmp_path / "restored"),
        check=False,
    )
    assert result.returncode != 0
    assert "checksums do not match" in result.stderr
    assert _row_counts(target) == {}
    assert not (tmp_path / "restored").exists()
