"""Staff users, teams, role memberships and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from earlyhelp.core.datamap import Category, LawfulBasis


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    DUTY_WORKER = "duty_worker", "Duty worker (front door)"
    DPO = "dpo", "Data protection officer"
    ANALYST = "analyst", "Analyst (aggregate reports only)"
    ADMIN = "admin", "Administrator (no case access)"
    PARTNER = "partner", "Partner (Team Around the Family member)"


# Roles whose work happens inside a team; the others are council-wide.
TEAM_ROLES = frozenset({Role.PRACTITIONER, Role.TEAM_MANAGER, Role.DUTY_WORKER})


class Team(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    class DataMap:
        personal = False
        reason = "Reference data: the council's team names."

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Meta:
        ordering = ["last_name", "first_name", "username"]

    class DataMap:
        categories = [Category.PERSONAL_DETAILS, Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "staff_account"
        subjects = "self"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role"], name="membership_unique_role_in_team"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(team__isnull=True),
                name="membership_unique_council_wide_role",
            ),
        ]

    class DataMap:
        categories = [Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "staff_account"
        subjects = "user"

    def __str__(self) -> str:
        return f"{self.role} in {self.team_id or 'council'}"


class ApiToken(models.Model):
    """A bearer token. Only a SHA-256 of the secret is stored; the prefix identifies it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class DataMap:
        categories = [Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "staff_account"
        subjects = "user"

    def __str__(self) -> str:
        return f"token {self.prefix}"


class OidcIdentity(models.Model):
    """The council identity provider's account behind a user who signs in with single sign-on.

    Users are matched by the provider's stable subject identifier (``sub``) within its issuer,
    never by e-mail address or username, which can be reassigned or chosen.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="oidc_identity")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique_sub")
        ]

    class DataMap:
        categories = [Category.EMPLOYMENT_EDUCATION]
        lawful_basis = LawfulBasis.PUBLIC_TASK
        retention = "staff_account"
        subjects = "user"

    def __str__(self) -> str:
        return f"single sign-on identity of user {self.user_id}"
