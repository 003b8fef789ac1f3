"""Production settings refuse to start without what they cannot guess."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from earlyhelp.core.encryption import generate_key_line

PG = "postgres://nobody@127.0.0.1:5432/nothing"
KEYS = {
    "EARLYHELP_FIELD_KEYS": generate_key_line("f1"),
    "EARLYHELP_BLIND_INDEX_KEYS": generate_key_line("i1"),
    "EARLYHELP_AUDIT_KEYS": generate_key_line("a1"),
    "EARLYHELP_AUDIT_CHECKPOINT_FILE": "/srv/audit-checkpoints/earlyhelp.jsonl",
}
BASE_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", *KEYS}
    and not k.endswith("_KEYS_FILE")
}


def _check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "earlyhelp", "check", "--deploy"],
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "eh.example.org"}, "DATABASE_URL"),
        (
            {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "eh.example.org", "DATABASE_URL": PG},
            "EARLYHELP_FIELD_KEYS",
        ),
        (
            {
                "SECRET_KEY": "x" * 60,
                "ALLOWED_HOSTS": "eh.example.org",
                "DATABASE_URL": PG,
                "EARLYHELP_FIELD_KEYS": generate_key_line("f1"),
            },
            "EARLYHELP_BLIND_INDEX_KEYS",
        ),
        (
            {
                "SECRET_KEY": "x" * 60,
                "ALLOWED_HOSTS": "eh.example.org",
                "DATABASE_URL": PG,
                "EARLYHELP_FIELD_KEYS": generate_key_line("f1"),
                "EARLYHELP_BLIND_INDEX_KEYS": generate_key_line("i1"),
            },
            "EARLYHELP_AUDIT_KEYS",
        ),
        (
            {
                "SECRET_KEY": "x" * 60,
                "ALLOWED_HOSTS": "eh.example.org",
                "DATABASE_URL": PG,
                "EARLYHELP_FIELD_KEYS": generate_key_line("f1"),
                "EARLYHELP_BLIND_INDEX_KEYS": generate_key_line("i1"),
                "EARLYHELP_AUDIT_KEYS": generate_key_line("a1"),
            },
            "EARLYHELP_AUDIT_CHECKPOINT_FILE",
        ),
    ],
)
def test_production_names_the_missing_setting(env, missing):
    result = _check(env)
    assert result.returncode != 0
    assert f"The environment variable {missing} is not set" in result.stderr


def test_production_defaults_are_safe():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_AGE)",
        ],
        env={
            **BASE_ENV,
            "DJANGO_SETTINGS_MODULE": "earlyhelp.settings.production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "eh.example.org",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/nothing",
            **KEYS,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["False", "True", "True", "1800"]


def _production_setting(name: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        env={
            **{k: v for k, v in BASE_ENV.items() if k != name},
            "DJANGO_SETTINGS_MODULE": "earlyhelp.settings.production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "eh.example.org",
            "DATABASE_URL": PG,
            **KEYS,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "True"),  # unset: local accounts need a second factor
        ({"EARLYHELP_REQUIRE_MFA": ""}, "True"),
        ({"EARLYHELP_REQUIRE_MFA": "false"}, "False"),  # only when a council turns it off
    ],
)
def test_production_requires_mfa_unless_turned_off(env, expected):
    assert _production_setting("EARLYHELP_REQUIRE_MFA", env) == expected
