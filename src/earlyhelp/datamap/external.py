"""The data map of the tables earlyhelp does not define: Django's, its installed apps', and
the database cache.

Each class reads like a model's nested ``DataMap``; ``core.external_datamap`` registers it.
The system check fails for an installed model or a database cache table missing here, so an
app added to ``INSTALLED_APPS`` needs its tables declared before the build passes. Loaded by
``DatamapConfig.ready``.
"""

from __future__ import annotations

from earlyhelp.core.datamap import Category, LawfulBasis
from earlyhelp.core.external_datamap import declare_model, declare_table

# --- django.contrib ------------------------------------------------------------------------


@declare_model("sessions.Session")
class SessionDataMap:
    # A staff member's sign-in (their user id, when they signed in, the second factor passed)
    # or a member of the public's place in the online form (a random draft id; the answers
    # are in referrals.PublicReferralDraft), and one-off messages shown on the next page.
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "session"
    subjects = "session_data._auth_user_id (the signed-in user; none for the public)"


@declare_model("auth.Permission")
class PermissionDataMap:
    personal = False
    reason = "Reference data: Django's permission names (earlyhelp does not use them)."


@declare_model("auth.Group")
class GroupDataMap:
    personal = False
    reason = "Reference data: Django's permission groups (earlyhelp does not use them)."


@declare_model("contenttypes.ContentType")
class ContentTypeDataMap:
    personal = False
    reason = "Reference data: the names of the tables."


# --- django-axes: lockout after failed sign-ins (accounts/lockout.py) ---------------------


@declare_model("axes.AccessAttempt")
class AccessAttemptDataMap:
    # The user name typed (a member of staff's, or a guess), the IP address, the browser's
    # description and the form's fields with the password masked.
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "sign_in_security"
    subjects = "username"


@declare_model("axes.AccessAttemptExpiration")
class AccessAttemptExpirationDataMap:
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "sign_in_security"
    subjects = "access_attempt.username"


@declare_model("axes.AccessLog")
class AccessLogDataMap:
    # Switched off (AXES_DISABLE_ACCESS_LOG): sign-ins are in the audit trail, without IP
    # addresses. Declared for what it would hold if switched on.
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "sign_in_security"
    subjects = "username"


@declare_model("axes.AccessFailureLog")
class AccessFailureLogDataMap:
    # Off unless AXES_ENABLE_ACCESS_FAILURE_LOG is set; declared for what it would hold.
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "sign_in_security"
    subjects = "username"


# --- django-otp: the second factor of local accounts (accounts/mfa.py) ---------------------


@declare_model("otp_totp.TOTPDevice")
class TotpDeviceDataMap:
    # A staff member's authenticator secret and when it was last used.
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "staff_account"
    subjects = "user"


@declare_model("otp_static.StaticDevice")
class StaticDeviceDataMap:
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "staff_account"
    subjects = "user"


@declare_model("otp_static.StaticToken")
class StaticTokenDataMap:
    # A staff member's single-use recovery codes.
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "staff_account"
    subjects = "device.user"


# --- Django's database cache (settings CACHES; `earlyhelp createcachetable`) ---------------


@declare_table("earlyhelp_cache", "Database cache")
class CacheTableDataMap:
    # The public form's rate limit: a count per visitor under a keyed hash of the IP address
    # (referrals/ratelimit.py), never the address itself. Nothing else uses the cache.
    categories = [Category.PERSONAL_DETAILS]
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention = "rate_limit"
    subjects = "cache_key (a keyed hash of a visitor's IP address)"
