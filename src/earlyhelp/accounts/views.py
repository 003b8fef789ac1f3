"""Sign in and sign out (GOV.UK styled)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode


def _oidc_url(next_url: str) -> str | None:
    """Where the single sign-on button goes (None while OIDC is off), keeping ``next``."""
    if not settings.OIDC_ENABLED:
        return None
    url = reverse("oidc_authentication_init")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Sign in"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The lockout (accounts/lockout.py) is explained to everyone, in the same words
        # whether or not the username exists or is locked.
        context = super().get_context_data(**kwargs)
        context["lockout_failures"] = settings.AXES_FAILURE_LIMIT
        context["lockout_minutes"] = round(float(settings.AXES_COOLOFF_TIME) * 60)
        context["oidc_url"] = _oidc_url(context.get(self.redirect_field_name) or "")
        return context


@method_decorator(login_not_required, name="dispatch")
class SignOutView(auth_views.LogoutView):
    # Open to a session that has already timed out, so the timeout dialog's sign-out (and a
    # sign-out button on a page left open) lands on the sign-in page, not a sign-in detour.
    pass
