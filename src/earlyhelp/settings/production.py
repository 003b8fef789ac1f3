"""Production: refuses to start unless every setting it cannot guess is given."""

from pathlib import Path

from earlyhelp.settings.base import *  # noqa: F403
from earlyhelp.settings.env import env_bool, env_int, env_list, read_key_setting, require

SECRET_KEY = require("SECRET_KEY", "It signs sessions and tokens: use 50+ random characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or require(
    "ALLOWED_HOSTS", "List the host names the service answers on, separated by commas."
).split(",")
require("DATABASE_URL", "Production runs on PostgreSQL, e.g. postgres://user@host/earlyhelp.")
DEBUG = env_bool("DEBUG", default=False)
# Not ready while connected as a role that could change the audit trail (decision 0017).
EARLYHELP_DB_ROLE_CHECK = env_bool("EARLYHELP_DB_ROLE_CHECK", default=True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Field encryption and blind index keys come from outside the database and the repository.
EARLYHELP_FIELD_KEYS = read_key_setting("EARLYHELP_FIELD_KEYS")
if not EARLYHELP_FIELD_KEYS:
    require(
        "EARLYHELP_FIELD_KEYS",
        "It encrypts NHS numbers and case notes: give 'id:key' from `earlyhelp newkey <id>`, "
        "or EARLYHELP_FIELD_KEYS_FILE naming a file that holds it.",
    )
EARLYHELP_BLIND_INDEX_KEYS = read_key_setting("EARLYHELP_BLIND_INDEX_KEYS")
if not EARLYHELP_BLIND_INDEX_KEYS:
    require(
        "EARLYHELP_BLIND_INDEX_KEYS",
        "It indexes NHS numbers for exact search: a different key from EARLYHELP_FIELD_KEYS, "
        "or EARLYHELP_BLIND_INDEX_KEYS_FILE.",
    )
EARLYHELP_AUDIT_KEYS = read_key_setting("EARLYHELP_AUDIT_KEYS")
if not EARLYHELP_AUDIT_KEYS:
    require(
        "EARLYHELP_AUDIT_KEYS",
        "It keys the audit chain so that a changed chain cannot be re-hashed: a third key "
        "from `earlyhelp newkey <id>`, or EARLYHELP_AUDIT_KEYS_FILE.",
    )
EARLYHELP_AUDIT_CHECKPOINT_FILE = Path(
    require(
        "EARLYHELP_AUDIT_CHECKPOINT_FILE",
        "`earlyhelp audit checkpoint` appends the audit chain's length and head to this file: "
        "put it on storage the database's administrators cannot rewrite.",
    )
)
