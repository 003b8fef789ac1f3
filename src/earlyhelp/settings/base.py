"""Settings shared by every environment. Everything a deployment changes is an environment
variable; the defaults here are the safe ones (DEBUG off, secure cookies)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from earlyhelp.settings.env import env_bool, env_int, env_list, env_str, read_key_setting

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("EARLYHELP_VAR_DIR") or PROJECT_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or ""
# Earlier keys, still accepted for existing sessions and signatures while a new key is
# rolled out (docs/operations.md, key management).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The name councils see in the header; the service is council-branded, not GOV.UK.
EARLYHELP_COUNCIL_NAME = env_str("EARLYHELP_COUNCIL_NAME") or "Exampleshire County Council"
EARLYHELP_SERVICE_NAME = env_str("EARLYHELP_SERVICE_NAME") or "Early Help"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs page's Swagger files locally (no CDN)
    "simple_history",  # earlier versions of corrected records (case notes, plans)
    "django_otp",  # multi-factor authentication for local accounts (accounts/mfa.py)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes
    "axes",  # lockout after repeated failed sign-ins (accounts/lockout.py)
    "earlyhelp.core",
    "earlyhelp.audit",
    "earlyhelp.accounts",
    "earlyhelp.datamap",
    "earlyhelp.people",
    "earlyhelp.casework",
    "earlyhelp.referrals",
    "earlyhelp.partners",
    "earlyhelp.assessments",
    "earlyhelp.plans",
    "earlyhelp.programmes",
    "earlyhelp.outcomes",
    "earlyhelp.sharing",
    "earlyhelp.restricted",
    "earlyhelp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "earlyhelp.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "earlyhelp.core.middleware.NoStoreMiddleware",
    "earlyhelp.core.middleware.RequestIdMiddleware",
    # Refused opens of out-of-scope records are audited after the view's transactions end.
    "earlyhelp.audit.denials.DenialAuditMiddleware",
    "earlyhelp.core.middleware.RefuseUnsafeInputMiddleware",
    "earlyhelp.api_idempotency.IdempotentApiWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "earlyhelp.core.middleware.LoginRequiredEverywhereMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "earlyhelp.accounts.middleware.SessionLimitsMiddleware",
    "earlyhelp.accounts.middleware.MfaRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "earlyhelp.urls"
WSGI_APPLICATION = "earlyhelp.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        # Each app keeps its templates in <app>/templates/<app>/ (Jinja's default would be
        # <app>/jinja2/); the project-wide base templates are in earlyhelp/templates/.
        "DIRS": [PACKAGE_DIR / "templates", *sorted(PACKAGE_DIR.glob("*/templates"))],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "earlyhelp.core.jinja.environment",
            "autoescape": True,
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.accounts.middleware.session_timeout",
                "earlyhelp.restricted.context_processors.notices",
            ],
        },
    },
    {
        # Only for Django's own pages that have no Jinja2 version; none serve personal data.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'earlyhelp.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, so two writers can never
    # both read the audit chain head and fork it; the busy timeout makes them queue instead.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the role the running service connects as, granted by `earlyhelp migrate` (run
# as the owner) after every migration; and whether the health check refuses a service that
# connects as a superuser or the audit table's owner (decision 0017).
EARLYHELP_DB_APP_ROLE = env_str("EARLYHELP_DB_APP_ROLE") or ""
EARLYHELP_DB_ROLE_CHECK = env_bool("EARLYHELP_DB_ROLE_CHECK", default=False)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after 30 minutes without activity: every request renews the expiry.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A dialog warns this many seconds before the idle timeout (accounts/static/accounts/).
EARLYHELP_SESSION_WARNING_SECONDS = env_int("EARLYHELP_SESSION_WARNING_SECONDS", default=2 * 60)
# However active, a session ends this long after sign-in (accounts/middleware.py).
EARLYHELP_SESSION_ABSOLUTE_SECONDS = env_int(
    "EARLYHELP_SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60
)

# Local accounts need a second factor (TOTP, or a recovery code) for every signed-in user;
# accounts signed in through the council's identity provider (OIDC) are exempt: the IdP does
# MFA. The demo switches it off (settings/local.py). See accounts/mfa.py.
EARLYHELP_REQUIRE_MFA = env_bool("EARLYHELP_REQUIRE_MFA", default=True)
OTP_TOTP_ISSUER = EARLYHELP_SERVICE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait before the next try

# Lockout (django-axes, accounts/lockout.py): 5 failures per username and IP address lock
# that pair out for 30 minutes; `earlyhelp axes_reset` unlocks everyone.
AUTHENTICATION_BACKENDS = [
    "earlyhelp.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("EARLYHELP_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = env_int("EARLYHELP_LOCKOUT_MINUTES", default=30) / 60  # hours
# Counted per user name AND client address together, so a stranger cannot lock out a named
# user; the client address is the real one behind the council's proxy (core.client_address).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "earlyhelp.core.client_address.client_address"
# The reverse proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated
# (docs/operations.md "Behind a reverse proxy"). Empty: REMOTE_ADDR is the client.
EARLYHELP_TRUSTED_PROXIES = env_list("EARLYHELP_TRUSTED_PROXIES")
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "earlyhelp.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the audit trail, without IP addresses
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): our own origin only, no inline script or style. The one
# inline script allowed is GOV.UK Frontend's fixed `js-enabled` snippet in its page template,
# by its hash (the hash GOV.UK Frontend publishes; tests/security/test_headers.py checks that
# every inline script the pages carry matches a listed hash).
GOVUK_FRONTEND_INLINE_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", GOVUK_FRONTEND_INLINE_SCRIPT_HASH],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Browser features no page uses (core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static_build"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Field-level encryption (NHS number, case note text, a child's own words) and the keyed
# blind index for exact NHS number search. Keys live outside the database: in the
# environment or a mounted secret file, one "id:base64" per entry, the current key first
# (docs/operations.md, "Key management"). Production refuses to start without them.
EARLYHELP_FIELD_KEYS = read_key_setting("EARLYHELP_FIELD_KEYS")
EARLYHELP_BLIND_INDEX_KEYS = read_key_setting("EARLYHELP_BLIND_INDEX_KEYS")
# The audit chain's HMAC key (same format), so that nobody without it can re-hash a changed
# chain; and the file, on storage other than the database's, that `earlyhelp audit
# checkpoint` appends the chain's length and head to (docs/operations.md, "Audit trail").
EARLYHELP_AUDIT_KEYS = read_key_setting("EARLYHELP_AUDIT_KEYS")
EARLYHELP_AUDIT_CHECKPOINT_FILE = Path(
    env_str("EARLYHELP_AUDIT_CHECKPOINT_FILE") or VAR_DIR / "audit" / "checkpoints.jsonl"
)

# Uploaded files live outside the web root and are only served by a permission-checked view.
EARLYHELP_PRIVATE_FILES_DIR = Path(env_str("EARLYHELP_PRIVATE_FILES_DIR") or VAR_DIR / "private")
EARLYHELP_MAX_UPLOAD_BYTES = env_int("EARLYHELP_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The public referral form accepts this many submissions per IP address per hour.
EARLYHELP_PUBLIC_REFERRALS_PER_HOUR = env_int("EARLYHELP_PUBLIC_REFERRALS_PER_HOUR", default=10)
# An online referral's unsent answers (referrals.PublicReferralDraft) are refused this many
# hours after the last answer, and deleted by `earlyhelp purge_public_drafts`.
EARLYHELP_PUBLIC_DRAFT_HOURS = env_int("EARLYHELP_PUBLIC_DRAFT_HOURS", default=3)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "earlyhelp_cache",
    }
}
if _redis_url := env_str("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _redis_url,
    }

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

# Structured JSON logs carrying the request id and user id only, never personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "earlyhelp.core.logging.RequestContextFilter"}},
    "formatters": {"json": {"()": "earlyhelp.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        # Django's request logger puts the full URL and exception text in its message; our
        # URLs hold only opaque ids, and the formatter drops exception arguments.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # WeasyPrint and its font library log every font and stylesheet at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs the username and IP address of every failed sign-in at WARNING.
        "axes": {"level": "ERROR"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

# Supporting Families programme rules (domain.md section 2): the council's configuration.
EARLYHELP_PROGRAMME_MIN_HEADLINES = env_int("EARLYHELP_PROGRAMME_MIN_HEADLINES", default=3)
EARLYHELP_SUSTAIN_MONTHS = env_int("EARLYHELP_SUSTAIN_MONTHS", default=6)
EARLYHELP_PLAN_REVIEW_WEEKS = env_int("EARLYHELP_PLAN_REVIEW_WEEKS", default=6)

# Days an encrypted disclosure package is kept for download before it is deleted.
EARLYHELP_DISCLOSURE_PACKAGE_DAYS = env_int("EARLYHELP_DISCLOSURE_PACKAGE_DAYS", default=14)

# Hours within which a team manager must authorise an emergency release under a gateway.
EARLYHELP_EMERGENCY_AUTHORISATION_HOURS = env_int(
    "EARLYHELP_EMERGENCY_AUTHORISATION_HOURS", default=24
)

# Hours a break-glass access to a restricted family lasts before the glass must be broken again.
EARLYHELP_BREAK_GLASS_HOURS = env_int("EARLYHELP_BREAK_GLASS_HOURS", default=4)
# The DPO is alerted when one user is refused this many records within this many minutes
# (a practitioner mistyping a link is refused once or twice; someone probing, dozens).
EARLYHELP_DENIAL_BURST = env_int("EARLYHELP_DENIAL_BURST", default=20)
EARLYHELP_DENIAL_BURST_MINUTES = env_int("EARLYHELP_DENIAL_BURST_MINUTES", default=10)
# The service's address as staff reach it, for links in alert e-mails (path only when unset).
EARLYHELP_SITE_URL = env_str("EARLYHELP_SITE_URL") or ""


def _oidc_group_map(raw: str) -> dict[str, tuple[str, str | None]]:
    """EARLYHELP_OIDC_GROUP_MAP: JSON {"idp group": ["role", "team slug" or null], ...}."""
    import json

    from django.core.exceptions import ImproperlyConfigured

    problem = (
        'EARLYHELP_OIDC_GROUP_MAP must be a JSON object like {"eh-north-practitioners": '
        '["practitioner", "north"], "eh-dpo": ["dpo", null]}'
    )
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{problem}; it is not valid JSON ({exc}).") from exc
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{problem}.")
    mapping: dict[str, tuple[str, str | None]] = {}
    for group, target in parsed.items():
        if (
            not isinstance(target, list)
            or len(target) != 2
            or not isinstance(target[0], str)
            or not (target[1] is None or isinstance(target[1], str))
        ):
            raise ImproperlyConfigured(f"{problem}; the entry for {group!r} is not.")
        mapping[group] = (target[0], target[1] or None)
    return mapping


def _require_oidc_settings(values: dict[str, object]) -> None:
    from django.core.exceptions import ImproperlyConfigured

    needed = ["OIDC_RP_CLIENT_ID", "OIDC_RP_CLIENT_SECRET", "EARLYHELP_OIDC_GROUP_MAP"]
    if not values["OIDC_OP_DISCOVERY"]:
        needed += ["OIDC_OP_ISSUER", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT"]
        needed += ["OIDC_OP_USER_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT"]
    if missing := [name for name in needed if not values[name]]:
        raise ImproperlyConfigured(
            f"OIDC_ENABLED is on but {', '.join(missing)} not set: see "
            'docs/operations.md, "Single sign-on".'
        )


# Single sign-on with the council's identity provider over OpenID Connect (mozilla-django-oidc,
# docs/operations.md "Single sign-on"). Off by default: local accounts only, as in the demo.
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID") or ""
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET") or ""
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO") or "RS256"
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES") or "openid email profile"
# Either the discovery document's URL, or the issuer and the four endpoints given one by one.
OIDC_OP_DISCOVERY = env_str("OIDC_OP_DISCOVERY") or ""
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER") or ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT") or ""
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT") or ""
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT") or ""
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT") or ""
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATE_CLASS = "earlyhelp.accounts.oidc_views.OidcAuthenticateView"
OIDC_CALLBACK_CLASS = "earlyhelp.accounts.oidc_views.OidcCallbackView"
# The claim listing the user's groups (Microsoft Entra ID sends group object ids, which can
# be used as the map's keys).
EARLYHELP_OIDC_GROUPS_CLAIM = env_str("EARLYHELP_OIDC_GROUPS_CLAIM") or "groups"
EARLYHELP_OIDC_GROUP_MAP = _oidc_group_map(env_str("EARLYHELP_OIDC_GROUP_MAP") or "{}")
# The lockout counts password guesses; the single sign-on callback takes no password.
AXES_WHITELIST_CALLABLE = "earlyhelp.accounts.oidc.exempt_from_lockout"
if OIDC_ENABLED:
    _require_oidc_settings(globals())
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "earlyhelp.accounts.oidc.OidcBackend"]
