"""My caseload (practitioners) and the team dashboard (team managers)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from earlyhelp.accounts.models import Role, User
from earlyhelp.accounts.permissions import has_role
from earlyhelp.audit.services import record_list_view
from earlyhelp.casework import dashboards
from earlyhelp.casework.permissions import hide_restricted

PER_PAGE = 25
# The dashboard's secondary lists show the most urgent few and link to their full pages.
PREVIEW = 10


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    if not has_role(user, Role.PRACTITIONER, Role.TEAM_MANAGER):
        raise PermissionDenied
    today = timezone.localdate()
    listing = dashboards.caseload_page(
        user, request.GET.get("page"), per_page=PER_PAGE, preview=PREVIEW, today=today
    )
    sustain = list(dashboards.sustain_checks_due(user, today)[:PREVIEW])
    record_list_view(
        user, "family", len(listing.page.object_list) + len(listing.overdue) + len(sustain)
    )
    return render(
        request,
        "casework/caseload.html",
        {
            "title": "My caseload",
            "page": listing.page,
            "overdue": listing.overdue,
            "sustain": sustain,
            "today": today,
        },
    )


@require_GET
def team_dashboard(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    teams = list(dashboards.managed_teams(user))
    if not teams:
        raise PermissionDenied
    team = next((t for t in teams if t.slug == request.GET.get("team")), teams[0])
    today = timezone.localdate()
    # A restricted family the manager is not named on is in none of the dashboard's lists.
    open_episodes = hide_restricted(user, dashboards.team_open_episodes(team))
    allocations = Paginator(
        hide_restricted(user, dashboards.caseload_for_team(team)), PER_PAGE
    ).get_page(request.GET.get("page"))
    unallocated = list(hide_restricted(user, dashboards.unallocated(team))[:PREVIEW])
    overdue = list(dashboards.overdue_reviews(open_episodes, today)[:PREVIEW])
    awaiting = list(dashboards.awaiting_authorisation(user, team)[:PREVIEW])
    loads = dashboards.caseload_per_practitioner(team, today)
    record_list_view(
        user,
        "family",
        len(allocations.object_list) + len(unallocated) + len(overdue) + len(awaiting),
    )
    return render(
        request,
        "casework/team_dashboard.html",
        {
            "title": f"Team dashboard: {team.name}",
            "team": team,
            "teams": teams,
            "allocations": allocations,
            "open_count": allocations.paginator.count,
            "unallocated": unallocated,
            "unallocated_count": hide_restricted(user, dashboards.unallocated(team)).count(),
            "overdue": overdue,
            "awaiting": awaiting,
            "sharing_awaiting_count": dashboards.sharing_awaiting_authorisation(user, team).count(),
            "sharing_overdue_count": dashboards.sharing_overdue_authorisations(user, team).count(),
            "loads": loads,
            "today": today,
        },
    )
