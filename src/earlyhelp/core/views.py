"""Home, health check and the error pages (which never echo anything from the request)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import has_role
from earlyhelp.audit.selectors import open_denial_alert_count
from earlyhelp.audit.services import record_list_view
from earlyhelp.casework.selectors import my_families
from earlyhelp.core.database_roles import database_role_is_safe
from earlyhelp.referrals.permissions import can_triage
from earlyhelp.referrals.selectors import awaiting_triage_count
from earlyhelp.sharing.decisions import overdue_authorisations

FAMILIES_PER_PAGE = 25
STAFF_ROLES = tuple(role for role in Role if role != Role.PARTNER)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if has_role(user, Role.PARTNER) and not has_role(user, *STAFF_ROLES):
        return redirect("partner:families")  # partners land on their families
    page = None
    if has_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER):
        paginator = Paginator(my_families(user), FAMILIES_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        record_list_view(user, "family", len(page.object_list))
    context = {
        "title": "Home",
        "page": page,
        "awaiting_triage": awaiting_triage_count(user) if can_triage(user) else None,
        "is_dpo": has_role(user, Role.DPO),
        # The DPO's dashboard: emergency releases whose manager's authorisation is overdue.
        "overdue_releases": (
            overdue_authorisations(user).count() if has_role(user, Role.DPO) else None
        ),
        # And bursts of refused access to records, for the DPO to look into.
        "refused_bursts": open_denial_alert_count(user),
        "is_admin": has_role(user, Role.ADMIN),
        "is_analyst": has_role(user, Role.ANALYST),
        "is_partner": has_role(user, Role.PARTNER),
    }
    return render(request, "core/home.html", context)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    if settings.EARLYHELP_DB_ROLE_CHECK and not database_role_is_safe():
        # The reason is in the log and in `earlyhelp check --deploy --database default`.
        return JsonResponse({"status": "unsafe database role"}, status=503)
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if not hasattr(request, "user"):
        # The request failed before authentication ran (an unknown Host header is refused by
        # CommonMiddleware, above AuthenticationMiddleware): the page renders as signed out
        # rather than failing itself and turning a 400 into a 500.
        request.user = AnonymousUser()
    return render(
        request,
        "core/error.html",
        {"title": title, "message": message, "status": status},
        status=status,
    )


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Sorry, there is a problem", "The request could not be understood.")


@login_not_required
def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 403, "You cannot do that", "Your role does not allow this. Ask your team manager."
    )


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. The record may not exist, or you "
        "may not have access to it.",
    )


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. If it keeps happening, contact your IT service desk and give them "
        "the time it happened.",
    )


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        "Your form could not be sent",
        "This can happen if the page was open a long time. Go back, reload the page and try again.",
    )
