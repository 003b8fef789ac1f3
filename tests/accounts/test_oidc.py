"""Single sign-on over OpenID Connect, against a real provider running in the test process.

Each sign-in goes the whole way: Django's test client asks /oidc/authenticate/, the browser's
trip to the provider's /authorize is made with ``requests`` (the provider auto-approves its
test user and redirects back with a code and the state), and the same Django client then
follows that redirect to /oidc/callback/, where earlyhelp exchanges the code at the provider's
/token endpoint, checks the RS256 ID token against the provider's JWKS, and reads /userinfo.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from earlyhelp.accounts import oidc
from earlyhelp.accounts.models import Membership, OidcIdentity, User
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.settings.base import _oidc_group_map, _require_oidc_settings
from tests.accounts.oidc_provider import IdpUser, Provider
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

GROUP_MAP = {
    "eh-north-practitioners": ("practitioner", "north"),
    "eh-south-managers": ("team_manager", "south"),
    "eh-dpo": ("dpo", None),
}


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    running = Provider().start()
    yield running
    running.stop()


@pytest.fixture
def idp(provider, settings, world) -> Provider:  # type: ignore[no-untyped-def]
    """Single sign-on switched on against the test provider, found through discovery."""
    provider.reset()
    oidc._discovery_cache.clear()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = provider.client.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client.client_secret
    settings.OIDC_OP_DISCOVERY = provider.discovery_url
    settings.EARLYHELP_OIDC_GROUP_MAP = GROUP_MAP
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, oidc.BACKEND_PATH]
    return provider


def alex(*groups: str, sub: str = "0f1e2d3c-alex", **changes: str) -> IdpUser:
    details = {
        "preferred_username": "alex.example",
        "email": "alex.example@council.example.org",
        "given_name": "Alex",
        "family_name": "Example",
    }
    return IdpUser(sub=sub, groups=list(groups), **{**details, **changes})


def sign_in(client: Client, provider: Provider, user: IdpUser | None, next_url: str = ""):  # type: ignore[no-untyped-def]
    """The whole authorization code flow; returns the callback's response."""
    provider.user = user
    start = reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(authorize, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", "/oidc/callback/")
    return client.get(back.path, parse_qs(back.query))


def roles_of(user: User) -> set[tuple[str, str | None]]:
    return {
        (m.role, m.team.slug if m.team else None)
        for m in Membership.objects.filter(user=user).select_related("team")
    }


def signed_in_user(client: Client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def test_first_sign_in_creates_the_user_with_mapped_roles_and_an_oidc_session(idp, client):
    response = sign_in(client, idp, alex("eh-north-practitioners", "eh-dpo", "all-staff"))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    user = signed_in_user(client)
    assert user is not None
    assert user.username == "alex.example"
    assert (user.email, user.first_name, user.last_name) == (
        "alex.example@council.example.org",
        "Alex",
        "Example",
    )
    assert not user.has_usable_password()
    assert roles_of(user) == {("practitioner", "north"), ("dpo", None)}
    identity = OidcIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (idp.issuer, "0f1e2d3c-alex")
    assert client.session["auth_method"] == "oidc"
    # The relying party really talked to the provider: discovery, token, keys, userinfo.
    assert {"/.well-known/openid-configuration", "/token", "/jwks", "/userinfo"} <= set(
        idp.requests
    )
    assert client.get(reverse("core:home")).status_code == 200


def test_sign_in_is_audited_with_its_method_and_no_personal_data(idp, client):
    sign_in(client, idp, alex("eh-dpo"))
    user = signed_in_user(client)
    assert user is not None

    login = AuditEvent.objects.get(action=Action.LOGIN)
    assert (login.actor_id, login.object_id, login.detail) == (
        user.pk,
        str(user.pk),
        {"method": "oidc"},
    )
    everything = json.dumps([[e.object_id, e.purpose, e.detail] for e in AuditEvent.objects.all()])
    for personal in ("alex", "council.example.org", "0f1e2d3c"):
        assert personal not in everything


def test_password_sign_in_is_audited_as_such(world, client):
    response = client.post(reverse("accounts:login"), {"username": "pat", "password": PASSWORD})
    assert response.status_code == 302
    login = AuditEvent.objects.get(action=Action.LOGIN)
    assert login.detail == {"method": "password"}


def test_next_page_is_kept_through_the_provider(idp, client):
    response = sign_in(client, idp, alex("eh-dpo"), next_url="/audit/")
    assert response["Location"] == "/audit/"


def test_every_sign_in_follows_the_groups_and_matches_by_subject(idp, client):
    sign_in(client, idp, alex("eh-north-practitioners", "eh-dpo"))
    first = signed_in_user(client)
    client.logout()

    # Renamed at the provider and moved to another team: still the same account here.
    moved = alex("eh-south-managers", preferred_username="alex.renamed", email="ar@example.org")
    response = sign_in(client, idp, moved)

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None and first is not None
    assert user.pk == first.pk
    assert User.objects.filter(oidc_identity__isnull=False).count() == 1
    assert user.email == "ar@example.org"
    assert user.username == "alex.example"  # the username is not changed under the user
    assert roles_of(user) == {("team_manager", "south")}
    revoked = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(user.pk))
    assert sorted(e.detail["revoked_role"] for e in revoked if "revoked_role" in e.detail) == [
        "dpo",
        "practitioner",
    ]


def test_losing_every_mapped_group_revokes_the_roles_and_refuses_sign_in(idp, client):
    sign_in(client, idp, alex("eh-north-practitioners"))
    user = signed_in_user(client)
    assert user is not None
    client.logout()

    response = sign_in(client, idp, alex("all-staff"))

    assert response.status_code == 403
    assert "You do not have access to this service" in response.content.decode()
    assert signed_in_user(client) is None
    assert roles_of(user) == set()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED).count() == 1


def test_someone_in_no_mapped_group_is_refused_and_gets_no_account(idp, client):
    users_before = User.objects.count()

    response = sign_in(client, idp, alex("all-staff", "finance"))

    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access to this service" in html
    assert reverse("accounts:login") in html
    assert signed_in_user(client) is None
    assert User.objects.count() == users_before
    assert not OidcIdentity.objects.exists()


@pytest.mark.parametrize("fault", ["signature", "nonce", "issuer", "audience", "expired"])
def test_an_id_token_that_fails_a_check_is_refused(idp, client, fault):
    idp.misbehave = fault

    response = sign_in(client, idp, alex("eh-dpo"))

    assert response.status_code == 400
    assert "Sign-in could not be completed" in response.content.decode()
    assert signed_in_user(client) is None
    assert not OidcIdentity.objects.exists()
    assert "/token" in idp.requests  # the code really was exchanged before the refusal


def test_the_same_id_token_is_accepted_when_nothing_is_tampered_with(idp, client):
    # The control for the test above: the provider's untouched tokens pass every check.
    idp.misbehave = None
    assert sign_in(client, idp, alex("eh-dpo")).status_code == 302
    assert signed_in_user(client) is not None


def test_a_callback_cannot_be_replayed_or_used_in_another_browser(idp, client):
    idp.user = alex("eh-dpo")
    authorize = client.get(reverse("oidc_authentication_init"))["Location"]
    back = urlsplit(requests.get(authorize, allow_redirects=False, timeout=10).headers["Location"])
    callback = (back.path, parse_qs(back.query))

    # The code and state only work in the session that started the sign-in...
    elsewhere = Client()
    assert elsewhere.get(*callback)["Location"] == reverse("accounts:login")
    assert signed_in_user(elsewhere) is None
    # ...and only once there.
    assert client.get(*callback).status_code == 302
    assert signed_in_user(client) is not None
    assert client.get(*callback).status_code == 400  # the state is used up


def test_the_provider_saying_no_shows_a_page(idp, client):
    response = sign_in(client, idp, None)  # nobody signed in at the provider: access_denied

    assert response.status_code == 400
    assert "You have not been signed in" in response.content.decode()
    assert signed_in_user(client) is None


def test_a_local_account_is_never_taken_over_by_a_matching_username(idp, world, client):
    response = sign_in(client, idp, alex("eh-dpo", preferred_username="pat", email="pat@x.org"))

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None
    assert user.pk != world.practitioner.pk
    assert user.username == "pat-2"
    assert roles_of(world.practitioner) == {("practitioner", "north")}


def test_endpoints_can_be_given_one_by_one_instead_of_discovery(idp, settings, client):
    settings.OIDC_OP_DISCOVERY = ""
    settings.OIDC_OP_ISSUER = idp.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{idp.issuer}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{idp.issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{idp.issuer}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{idp.issuer}/jwks"

    response = sign_in(client, idp, alex("eh-dpo"))

    assert response.status_code == 302
    assert signed_in_user(client) is not None
    assert "/.well-known/openid-configuration" not in idp.requests


def test_a_group_map_naming_a_missing_team_shows_a_configuration_page(idp, settings, client):
    settings.EARLYHELP_OIDC_GROUP_MAP = {"eh-east": ("practitioner", "east")}

    response = sign_in(client, idp, alex("eh-east"))

    assert response.status_code == 500
    assert "not set up correctly" in response.content.decode()
    assert signed_in_user(client) is None


def test_password_sign_in_works_while_the_provider_is_down(idp, settings, world, client):
    settings.OIDC_OP_DISCOVERY = "http://127.0.0.1:9/.well-known/openid-configuration"

    response = client.post(reverse("accounts:login"), {"username": "pat", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user(client) == world.practitioner
    # ...while single sign-on says plainly that it is unavailable.
    unavailable = client.get(reverse("oidc_authentication_init"))
    assert unavailable.status_code == 503
    assert "Sign-in is not available" in unavailable.content.decode()


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_on(world, settings, client):
    settings.OIDC_ENABLED = False
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with your council account" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404

    settings.OIDC_ENABLED = True
    page = client.get(reverse("accounts:login") + "?next=/audit/").content.decode()
    assert "Sign in with your council account" in page
    assert 'href="/oidc/authenticate/?next=%2Faudit%2F"' in page


def test_the_group_map_is_read_from_json():
    assert _oidc_group_map('{"eh-dpo": ["dpo", null], "eh-n": ["practitioner", "north"]}') == {
        "eh-dpo": ("dpo", None),
        "eh-n": ("practitioner", "north"),
    }
    for wrong in ("not json", '["dpo"]', '{"eh-dpo": "dpo"}', '{"eh-dpo": ["dpo"]}'):
        with pytest.raises(ImproperlyConfigured, match="EARLYHELP_OIDC_GROUP_MAP"):
            _oidc_group_map(wrong)


def test_switching_oidc_on_without_its_settings_fails_at_start_up():
    values = {
        "OIDC_RP_CLIENT_ID": "earlyhelp",
        "OIDC_RP_CLIENT_SECRET": "",
        "EARLYHELP_OIDC_GROUP_MAP": {"eh-dpo": ("dpo", None)},
        "OIDC_OP_DISCOVERY": "https://idp.example.org/.well-known/openid-configuration",
    }
    with pytest.raises(ImproperlyConfigured, match="OIDC_RP_CLIENT_SECRET"):
        _require_oidc_settings(values)
    _require_oidc_settings({**values, "OIDC_RP_CLIENT_SECRET": "s3cret"})  # complete: no error
    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_ISSUER"):
        _require_oidc_settings(
            {
                **values,
                "OIDC_RP_CLIENT_SECRET": "s3cret",
                "OIDC_OP_DISCOVERY": "",
                "OIDC_OP_ISSUER": "",
                "OIDC_OP_AUTHORIZATION_ENDPOINT": "",
                "OIDC_OP_TOKEN_ENDPOINT": "",
                "OIDC_OP_USER_ENDPOINT": "",
                "OIDC_OP_JWKS_ENDPOINT": "",
            }
        )


def test_refused_single_sign_ons_do_not_lock_out_the_office(idp, settings, client):
    # Many council staff share one public IP address: failed single sign-ons must not lock
    # single sign-on out for everyone behind it.
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert sign_in(client, idp, alex("all-staff")).status_code == 403

    response = sign_in(client, idp, alex("eh-dpo", sub="another-subject"))

    assert response.status_code == 302
    assert signed_in_user(client) is not None
