"""The family page, and the episode actions: re-allocate and close."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.services import get_user_by_username, team_by_slug
from earlyhelp.casework import timeline
from earlyhelp.casework.forms import CloseEpisodeForm, ReallocateForm, TimelineFilterForm
from earlyhelp.casework.overview import family_overview
from earlyhelp.casework.permissions import (
    can_close_episode,
    can_manage_episode,
    can_view_access_log,
)
from earlyhelp.casework.selectors import FamilyRecord, family_record, family_timeline
from earlyhelp.casework.services import close_episode, reallocate_episode
from earlyhelp.core import codelists
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family
from earlyhelp.restricted.permissions import can_break_glass


def _record(request: HttpRequest, family_id: UUID) -> FamilyRecord:
    try:
        return family_record(request.user, family_id)
    except NotFound:
        raise Http404 from None


TIMELINE_PER_PAGE = 25


@require_GET
def family(request: HttpRequest, family_id: UUID) -> HttpResponse:
    try:
        record = family_record(request.user, family_id)
    except NotFound:
        # A restricted family the user would otherwise see: offer break-glass (404 for others).
        found = Family.objects.filter(pk=parse_id(family_id)).first()
        if found is not None and can_break_glass(request.user, found):
            return redirect("restricted:break_glass", family_id=found.pk)
        raise Http404 from None
    episode = record.open_episode
    filters = TimelineFilterForm(
        request.GET or None,
        members=[(str(m.person_id), m.person.full_name) for m in record.memberships],
    )
    kind, person_id = filters.selection()
    page = Paginator(
        family_timeline(record, kind=kind, person_id=person_id), TIMELINE_PER_PAGE
    ).get_page(request.GET.get("page"))
    # Keep the filter when moving between pages (ids and codes only: nothing personal).
    filter_query = urlencode({k: v for k, v in (("kind", kind), ("person", person_id)) if v})
    return render(
        request,
        "casework/family.html",
        {
            "title": f"Family {record.family.reference}",
            "record": record,
            "can_reallocate": episode is not None and can_manage_episode(request.user, episode),
            "can_close": episode is not None and can_close_episode(request.user, episode),
            "can_view_access_log": can_view_access_log(request.user, record.family),
            "closure_labels": codelists.labels("closure_reasons"),
            "filters": filters,
            "timeline_page": page,
            "timeline": timeline.lines(page.object_list),
            "filter_query": filter_query,
            "overview": family_overview(record),
        },
    )


@require_http_methods(["GET", "POST"])
def reallocate(request: HttpRequest, family_id: UUID) -> HttpResponse:
    record = _record(request, family_id)
    episode = record.open_episode
    if episode is None or not can_manage_episode(request.user, episode):
        raise PermissionDenied
    initial = {
        "team": episode.team.slug,
        "lead_practitioner": episode.lead_practitioner.username
        if episode.lead_practitioner
        else "",
    }
    form = ReallocateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            reallocate_episode(
                actor=request.user,  # type: ignore[arg-type]
                episode=episode,
                team=team_by_slug(form.cleaned_data["team"]),
                lead=get_user_by_username(form.cleaned_data["lead_practitioner"])
                if form.cleaned_data["lead_practitioner"]
                else None,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Family re-allocated")
            return redirect("casework:family", family_id=record.family.pk)
    return render(
        request,
        "casework/reallocate.html",
        {"title": "Re-allocate", "record": record, "form": form, "error_title": bool(form.errors)},
    )


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, family_id: UUID) -> HttpResponse:
    record = _record(request, family_id)
    episode = record.open_episode
    if episode is None or not can_close_episode(request.user, episode):
        raise PermissionDenied
    form = CloseEpisodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            close_episode(
                actor=request.user,  # type: ignore[arg-type]
                episode=episode,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                summary=form.cleaned_data["summary"],
                onward_destination=form.cleaned_data["destination"],
                onward_reason=form.cleaned_data["onward_reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Episode closed")
            return redirect("core:home")
    return render(
        request,
        "casework/close.html",
        {
            "title": "Close the episode",
            "record": record,
            "form": form,
            "error_title": bool(form.errors),
        },
    )
