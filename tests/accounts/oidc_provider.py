"""A small but real OpenID Connect provider for the single sign-on tests.

Built on authlib's authorization server (the authorization code grant with the OpenID Connect
and PKCE extensions) and served over HTTP by a thread on 127.0.0.1 with a random port. It
publishes a discovery document and a JWKS with an RSA key generated for the test session,
auto-approves the test user it is told to sign in at /authorize, issues RS256-signed ID tokens
and access tokens at /token, and answers /userinfo for a valid access token.

``misbehave`` makes the next token responses wrong on purpose (a broken signature, another
nonce, another issuer or audience), to prove that the relying party refuses them.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Request
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

# authlib refuses plain-HTTP URLs unless told this is a test; the provider only listens on
# 127.0.0.1 inside the test process.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

SCOPES = ["openid", "email", "profile"]


@dataclass
class IdpUser:
    sub: str
    preferred_username: str
    email: str
    given_name: str = "Test"
    family_name: str = "User"
    groups: list[str] = field(default_factory=list)


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in {"client_secret_basic", "client_secret_post"}

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    user: IdpUser
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None

    def get_code_challenge(self) -> str | None:
        return self.code_challenge

    def get_code_challenge_method(self) -> str | None:
        return self.code_challenge_method


class _Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers: Any, form: dict[str, str]) -> None:
        super().__init__(method, uri, headers=headers)
        self._args = dict(parse_qsl(urlsplit(uri).query))
        self._form = form
        self.payload = BasicOAuth2Payload({**self._args, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    @property
    def provider(self) -> Provider:
        return self.server.provider  # type: ignore[no-any-return]

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.provider.codes[code] = AuthorizationCode(
            code=code,
            client_id=request.client.get_client_id(),
            redirect_uri=data.get("redirect_uri", ""),
            scope=request.client.get_allowed_scope(data.get("scope", "")),
            nonce=data.get("nonce"),
            user=request.user,
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.provider.codes.get(code)
        return found if found and found.client_id == client.get_client_id() else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        self.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code: AuthorizationCode) -> IdpUser:
        return authorization_code.user


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return any(c.nonce == nonce for c in self.provider.codes.values())

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        now = int(time.time())
        return {"iss": self.provider.issuer, "aud": client.get_client_id(), "exp": now + 600}

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "kid": self.provider.kid}

    def generate_user_info(self, user: IdpUser, scope: str) -> UserInfo:
        return UserInfo(sub=user.sub)


class _Server(AuthorizationServer):
    def __init__(self, provider: Provider) -> None:
        super().__init__(scopes_supported=SCOPES)
        self.provider = provider

    def query_client(self, client_id: str) -> Client | None:
        client = self.provider.client
        return client if client_id == client.client_id else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.provider.access_tokens[token["access_token"]] = request.user

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        return request  # type: ignore[no-any-return]

    def create_json_request(self, request: Any) -> Any:
        return request

    def handle_response(self, status: int, body: Any, headers: Any) -> tuple[int, Any, Any]:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None


class Provider:
    """One provider per test session; ``reset()`` between tests."""

    def __init__(self) -> None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.kid = secrets.token_hex(8)
        self.key = RSAKey.import_key(pem, {"kid": self.kid, "alg": "RS256", "use": "sig"})
        self.client = Client(
            client_id="earlyhelp-test",
            client_secret=secrets.token_urlsafe(24),
            redirect_uris=["http://testserver/oidc/callback/"],
        )
        self.codes: dict[str, AuthorizationCode] = {}
        self.access_tokens: dict[str, IdpUser] = {}
        self.user: IdpUser | None = None
        self.misbehave: str | None = None
        self.requests: list[str] = []  # the paths asked for, in order
        self.server = _Server(self)
        self.server.register_token_generator(
            "default", BearerTokenGenerator(lambda *a, **k: secrets.token_urlsafe(32))
        )
        self.server.register_grant(_CodeGrant, [_OpenIDCode(self), CodeChallenge(required=True)])
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.issuer = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        self.codes.clear()
        self.access_tokens.clear()
        self.user = None
        self.misbehave = None
        self.requests.clear()

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": SCOPES,
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "preferred_username", "groups"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def userinfo(self, user: IdpUser) -> dict[str, Any]:
        return {
            "sub": user.sub,
            "preferred_username": user.preferred_username,
            "email": user.email,
            "given_name": user.given_name,
            "family_name": user.family_name,
            "groups": list(user.groups),
        }

    def _tamper(self, id_token: str) -> str:
        header, payload, signature = id_token.split(".")
        if self.misbehave == "signature":
            # Same header and claims, with one bit of the signature flipped.
            raw = bytearray(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
            raw[0] ^= 0x01
            return ".".join(
                [header, payload, base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()]
            )
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        if self.misbehave == "nonce":
            claims["nonce"] = secrets.token_urlsafe(16)
        elif self.misbehave == "issuer":
            claims["iss"] = "http://127.0.0.1:1"
        elif self.misbehave == "audience":
            claims["aud"] = "another-client"
        elif self.misbehave == "expired":
            claims["exp"] = int(time.time()) - 3600
        # Properly signed with the provider's own key: only the claim is wrong.
        return jwt.encode({"alg": "RS256", "kid": self.kid}, claims, self.key, ["RS256"])

    def token_response(self, request: _Request) -> tuple[int, Any, Any]:
        status, body, headers = self.server.create_token_response(request)
        if status == 200 and self.misbehave and "id_token" in body:
            body = {**body, "id_token": self._tamper(body["id_token"])}
        return status, body, headers


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None  # quiet: pytest shows failures, not every request

        def _send(self, status: int, body: Any, headers: Any = ()) -> None:
            data = json.dumps(body).encode() if isinstance(body, dict) else str(body).encode()
            self.send_response(status)
            names = set()
            for name, value in headers:
                names.add(name.lower())
                self.send_header(name, value)
            if "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _request(self, form: dict[str, str] | None = None) -> _Request:
            return _Request(self.command, provider.issuer + self.path, self.headers, form or {})

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            provider.requests.append(path)
            if path == "/.well-known/openid-configuration":
                self._send(200, provider.discovery())
            elif path == "/jwks":
                self._send(200, provider.jwks())
            elif path == "/authorize":
                # Auto-approves: the configured test user has "signed in" at the provider.
                request = self._request()
                grant = provider.server.get_consent_grant(request, end_user=provider.user)
                self._send(
                    *provider.server.create_authorization_response(
                        request, grant_user=provider.user, grant=grant
                    )
                )
            elif path == "/userinfo":
                scheme, _, token = self.headers.get("Authorization", "").partition(" ")
                user = provider.access_tokens.get(token) if scheme == "Bearer" else None
                if user is None:
                    self._send(401, {"error": "invalid_token"})
                else:
                    self._send(200, provider.userinfo(user))
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            provider.requests.append(path)
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            if path == "/token":
                self._send(*provider.token_response(self._request(form)))
            else:
                self._send(404, {"error": "not_found"})

    return Handler
