"""The demo and local development: DEBUG on, an embedded SQLite database under var/."""

from earlyhelp.settings.base import *  # noqa: F403
from earlyhelp.settings.base import VAR_DIR
from earlyhelp.settings.env import env_bool, env_list, env_str, read_key_setting

DEBUG = env_bool("DEBUG", default=True)
# A fixed key is acceptable only because this settings module never serves real data.
SECRET_KEY = env_str("SECRET_KEY") or "earlyhelp-local-demo-key-not-for-production-use-0000000000"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The database and private files live here: readable by this account only (decision 0013).
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
VAR_DIR.chmod(0o700)

# Serve static files straight from the finders: no collectstatic step needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo signs in with a password only; set EARLYHELP_REQUIRE_MFA=true to try MFA here.
EARLYHELP_REQUIRE_MFA = env_bool("EARLYHELP_REQUIRE_MFA", default=False)

# Fixed keys for the synthetic demo only: a real deployment sets its own outside the
# repository (production.py refuses to start without them).
EARLYHELP_FIELD_KEYS = read_key_setting("EARLYHELP_FIELD_KEYS") or [
    "demo-1:IKYL8-jsImB0lft3MS3iosQAI2DIjzxIjZEcCAQ67Ro="
]
EARLYHELP_BLIND_INDEX_KEYS = read_key_setting("EARLYHELP_BLIND_INDEX_KEYS") or [
    "demo-1:eR9bb8v5Xwdd_smSjmeo8ncX-8wjt1ldt_wd1ipUOVQ="
]
EARLYHELP_AUDIT_KEYS = read_key_setting("EARLYHELP_AUDIT_KEYS") or [
    "demo-1:PK3-m078wxpp9jhpjbuQ7CNfjt1Ei4lcsPyZiXmgNGs="
]
