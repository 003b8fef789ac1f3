"""The demo loaded once for this test package, inside a transaction rolled back at the end.

Loading takes several seconds, and every test here reads the same data; each test still runs
in its own savepoint (pytest-django's ``db``), so what one test writes the next never sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from pytest_django import DjangoDbBlocker

from earlyhelp.accounts.models import User
from earlyhelp.demo.generator import DEMO_PASSWORD


@dataclass(frozen=True)
class LoadedDemo:
    output: str
    private_dir: Path


@pytest.fixture(scope="package")
def loaded_demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LoadedDemo]:
    private_dir = tmp_path_factory.mktemp("demo-private")
    with django_db_blocker.unblock(), override_settings(EARLYHELP_PRIVATE_FILES_DIR=private_dir):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = StringIO()
            call_command("loaddemo", stdout=out)
            yield LoadedDemo(output=out.getvalue(), private_dir=private_dir)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(loaded_demo: LoadedDemo, db: None, settings) -> LoadedDemo:  # type: ignore[no-untyped-def]
    """The loaded demo, in a test that may use the database (and find its stored files)."""
    settings.EARLYHELP_PRIVATE_FILES_DIR = loaded_demo.private_dir
    return loaded_demo


@pytest.fixture
def sign_in(client: Client):  # type: ignore[no-untyped-def]
    """A client signed in as a demo login, with the password the command prints."""

    def _sign_in(username: str) -> Client:
        user = User.objects.get(username=username)
        assert client.login(username=user.username, password=DEMO_PASSWORD)
        return client

    return _sign_in
