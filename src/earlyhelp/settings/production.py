"""Production: refuses to start unless every setting it cannot guess is given."""

from earlyhelp.settings.base import *  # noqa: F403
from earlyhelp.settings.env import env_bool, env_int, env_list, require

SECRET_KEY = require("SECRET_KEY", "It signs sessions and tokens: use 50+ random characters.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or require(
    "ALLOWED_HOSTS", "List the host names the service answers on, separated by commas."
).split(",")
require("DATABASE_URL", "Production runs on PostgreSQL, e.g. postgres://user@host/earlyhelp.")
DEBUG = env_bool("DEBUG", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
