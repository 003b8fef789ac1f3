"""Behind the council's reverse proxy every request comes from the proxy's address: the client
is read from X-Forwarded-For, believed only from configured proxies and only from the right
(issue 12, item 16). Counted per real client, junk from one visitor cannot close the public
form for everyone, and a stranger cannot lock out a named user."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.core.client_address import client_address
from earlyhelp.referrals.models import Referral
from tests.factories import PASSWORD
from tests.referrals.test_public_form import fill_in, submit

PROXY = "10.0.0.5"


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    settings.EARLYHELP_TRUSTED_PROXIES = []
    assert _address(PROXY, "198.51.100.7") == PROXY


def test_from_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(settings: Any) -> None:
    settings.EARLYHELP_TRUSTED_PROXIES = [PROXY, "10.0.1.0/24"]
    assert _address(PROXY, "198.51.100.7") == "198.51.100.7"
    # The client forged a hop on the left; the proxy appended the real one on the right.
    assert _address(PROXY, "203.0.113.99, 198.51.100.7") == "198.51.100.7"
    # Two of our proxies in a row.
    assert _address(PROXY, "198.51.100.7, 10.0.1.20") == "198.51.100.7"
    # Garbage or nothing: counted against the proxy, never a forged value.
    assert _address(PROXY, "not-an-address") == PROXY
    assert _address(PROXY, "") == PROXY
    assert _address(PROXY) == PROXY


def test_from_anyone_else_the_header_is_not_believed(settings: Any) -> None:
    settings.EARLYHELP_TRUSTED_PROXIES = [PROXY]
    assert _address("198.51.100.50", "203.0.113.1") == "198.51.100.50"


@given(st.lists(st.ip_addresses(v=4).map(str), max_size=5), st.ip_addresses(v=4).map(str))
def test_a_client_cannot_choose_its_address_by_what_it_writes(forged: list[str], real: str) -> None:
    from django.test import override_settings

    with override_settings(EARLYHELP_TRUSTED_PROXIES=["10.0.0.0/8"]):
        if real.startswith("10."):
            return
        assert _address(PROXY, ", ".join([*forged, real])) == real


def test_a_malformed_proxy_setting_fails_the_checks(settings: Any) -> None:
    settings.EARLYHELP_TRUSTED_PROXIES = ["10.0.0.300"]
    errors = [e for e in checks.run_checks() if e.id == "earlyhelp.E003"]
    assert errors and "EARLYHELP_TRUSTED_PROXIES" in errors[0].msg


@pytest.mark.django_db
def test_the_public_form_limit_counts_each_visitor_behind_the_proxy(
    client: Client, settings: Any
) -> None:
    cache.clear()
    settings.EARLYHELP_TRUSTED_PROXIES = [PROXY]
    settings.EARLYHELP_PUBLIC_REFERRALS_PER_HOUR = 1
    nuisance = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    fill_in(client)
    client.get("/refer/check/")
    assert submit(client, **nuisance).status_code == 302
    fill_in(client)
    client.get("/refer/check/")
    assert submit(client, **nuisance).status_code == 429
    # A family on another address, through the same proxy, is not shut out.
    family = Client()
    fill_in(family)
    family.get("/refer/check/")
    honest = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.77"}
    assert submit(family, **honest).status_code == 302
    assert Referral.objects.count() == 2
    cache.clear()


@pytest.mark.django_db
def test_a_stranger_behind_the_proxy_cannot_lock_out_a_named_user(world, settings: Any) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_TRUSTED_PROXIES = [PROXY]
    stranger = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.13"}
    pat = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    login = reverse("accounts:login")
    for _ in range(6):
        Client().post(login, {"username": "pat", "password": "wrong-guess-here"}, **stranger)
    locked = Client()
    locked.post(login, {"username": "pat", "password": PASSWORD}, **stranger)
    assert "_auth_user_id" not in locked.session  # the stranger's own pair is locked
    own = Client()
    own.post(login, {"username": "pat", "password": PASSWORD}, **pat)
    assert "_auth_user_id" in own.session  # pat, from her own address, is not
