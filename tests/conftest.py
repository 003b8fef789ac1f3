from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, World, build_world


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """On PostgreSQL every test runs as the app role, not the superuser (tests/app_role.py)."""
    from tests.app_role import become_app_role, leave_app_role

    with django_db_blocker.unblock():
        become_app_role()
    yield
    with django_db_blocker.unblock():
        leave_app_role()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """Sign a test client in as a user through the real sign-in form's backend."""

    def _login(user) -> Client:  # type: ignore[no-untyped-def]
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.EARLYHELP_PRIVATE_FILES_DIR = tmp_path / "private"
    settings.EARLYHELP_AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"


@pytest.fixture
def api_as():  # type: ignore[no-untyped-def]
    """An /api/v1/ client for a user, with a real bearer token (see tests/api/conftest.py)."""
    from earlyhelp.accounts.services import issue_token
    from tests.api.conftest import ApiClient

    def _as(user) -> ApiClient:  # type: ignore[no-untyped-def]
        return ApiClient(issue_token(actor=None, user=user))

    return _as


@pytest.fixture
def anonymous_api():  # type: ignore[no-untyped-def]
    from tests.api.conftest import ApiClient

    return ApiClient(None)


@pytest.fixture
def reference_data(transactional_db: None) -> None:
    """Reload what the data migrations put in (code lists, the first privacy notice, the
    assessments' headline needs).

    An earlier transactional test's flush empties every table, migration data included.
    """
    from importlib import import_module

    from django.apps import apps

    from earlyhelp.assessments.models import Headline
    from earlyhelp.core.models import CodeEntry
    from earlyhelp.datamap.models import PrivacyNotice

    if not CodeEntry.objects.exists():
        import_module("earlyhelp.core.migrations.0002_load_code_lists").load(apps, None)
    if not Headline.objects.exists():
        import_module("earlyhelp.assessments.migrations.0002_load_headlines").load(apps, None)
    if not PrivacyNotice.objects.exists():
        migration = import_module("earlyhelp.datamap.migrations.0002_first_privacy_notice")
        migration.publish_first_version(apps, None)
