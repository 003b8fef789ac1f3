"""Settings shared by every environment. Everything a deployment changes is an environment
variable; the defaults here are the safe ones (DEBUG off, secure cookies)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from earlyhelp.settings.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("EARLYHELP_VAR_DIR") or PROJECT_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or ""
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
    "earlyhelp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "earlyhelp.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "earlyhelp.core.middleware.LoginRequiredEverywhereMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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

# Uploaded files live outside the web root and are only served by a permission-checked view.
EARLYHELP_PRIVATE_FILES_DIR = Path(env_str("EARLYHELP_PRIVATE_FILES_DIR") or VAR_DIR / "private")
EARLYHELP_MAX_UPLOAD_BYTES = env_int("EARLYHELP_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The public referral form accepts this many submissions per IP address per hour.
EARLYHELP_PUBLIC_REFERRALS_PER_HOUR = env_int("EARLYHELP_PUBLIC_REFERRALS_PER_HOUR", default=10)
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
