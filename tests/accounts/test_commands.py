"""The account commands, run as an operator would run them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from earlyhelp.accounts.models import ApiToken, Membership, Team, User
from earlyhelp.accounts.services import user_for_token

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None) -> str:
    out = io.StringIO()
    if stdin is not None:
        import sys

        real = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            call_command(*args, stdout=out)
        finally:
            sys.stdin = real
    else:
        call_command(*args, stdout=out)
    return out.getvalue()


def test_createteam_and_duplicates():
    assert "Created team north" in run("createteam", "north", "North Family Support")
    assert Team.objects.get(slug="north").name == "North Family Support"
    with pytest.raises(CommandError, match="already exists"):
        run("createteam", "north", "Another name")
    with pytest.raises(CommandError, match="slug"):
        run("createteam", "Not A Slug", "Whatever")


def test_createuser_prints_a_one_time_password_that_signs_in():
    run("createteam", "north", "North Family Support")
    output = run(
        "createuser",
        "pat",
        "--role",
        "practitioner",
        "--team",
        "north",
        "--email",
        "pat@example.org",
    )
    password = output.strip().split()[-1]
    membership = Membership.objects.get(user__username="pat")
    assert membership.role == "practitioner" and membership.team.slug == "north"
    assert Client().login(username="pat", password=password)


def test_createuser_reads_the_password_from_stdin():
    run(
        "createuser",
        "dana",
        "--role",
        "dpo",
        "--password-stdin",
        stdin="a-long-passphrase-for-dana\n",
    )
    assert User.objects.get(username="dana").check_password("a-long-passphrase-for-dana")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "wizard", "--team", "north"], "Unknown role"),
        (["x", "--role", "practitioner", "--team", "nowhere"], "no team"),
        (["x", "--role", "practitioner"], "needs a team"),
        (["pat", "--role", "practitioner", "--team", "north"], "already exists"),
    ],
)
def test_createuser_refuses_clearly(args, message):
    run("createteam", "north", "North Family Support")
    run("createuser", "pat", "--role", "practitioner", "--team", "north")
    with pytest.raises(CommandError, match=message):
        run("createuser", *args)
    assert User.objects.count() == 1


def test_createuser_refuses_a_weak_password():
    with pytest.raises(CommandError, match="too short"):
        run("createuser", "weak", "--role", "dpo", "--password-stdin", stdin="short\n")
    assert not User.objects.exists()


def test_token_is_the_last_word_stored_hashed_and_revocable():
    run(
        "createuser",
        "dana",
        "--role",
        "dpo",
        "--password-stdin",
        stdin="a-long-passphrase-for-dana\n",
    )
    token = run("token", "dana").strip().split()[-1]
    assert user_for_token(token).username == "dana"
    stored = ApiToken.objects.get()
    assert token not in (stored.key_hash, stored.prefix)
    assert "Revoked 1 token" in run("token", "dana", "--revoke")
    assert user_for_token(token) is None
    with pytest.raises(CommandError, match="no user"):
        run("token", "nobody")
