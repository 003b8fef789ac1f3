"""Tests: the database comes from DATABASE_URL (SQLite in memory when unset)."""

import os

import dj_database_url

from earlyhelp.settings.base import *  # noqa: F403
from earlyhelp.settings.base import PROJECT_DIR

DEBUG = False
SECRET_KEY = "earlyhelp-test-key-0000000000000000000000000000000000000000"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; argon2 tested apart
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_url = os.environ.get("DATABASE_URL") or "sqlite:///:memory:"
DATABASES = {"default": dj_database_url.parse(_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA secure_delete=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("EARLYHELP_TEST_SQLITE") or None}
else:
    # A throwaway database per run, so runs never share state.
    DATABASES["default"]["TEST"] = {"NAME": f"test_earlyhelp_{os.getpid()}"}

EARLYHELP_PRIVATE_FILES_DIR = PROJECT_DIR / "var" / "test-private" / str(os.getpid())
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the finders: no collectstatic step needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests sign in with the password; tests/accounts/test_mfa*.py switch MFA on themselves.
EARLYHELP_REQUIRE_MFA = False

# Synthetic keys for the test suite; tests/core/test_encryption.py rotates them.
EARLYHELP_FIELD_KEYS = ["test-1:NfYuCbJzSJKhObmQT6Jy8WWCASDMO47Ie6msbR4lHGU="]
EARLYHELP_BLIND_INDEX_KEYS = ["test-1:idBlRG3E0wzn6Gw2y1E10D5CuRgY3lu7alLEc4pGa50="]
EARLYHELP_AUDIT_KEYS = ["test-1:gaGtwcwuY8rSoSivXgVS-8368AyXt6VjAqfWMXcCqeE="]
# Each test gets its own (tests/conftest.py); this one serves child processes.
EARLYHELP_AUDIT_CHECKPOINT_FILE = EARLYHELP_PRIVATE_FILES_DIR / "audit-checkpoints.jsonl"
