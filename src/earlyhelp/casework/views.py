"""The family page, and the episode actions: re-allocate and close."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.services import get_user_by_username, team_by_slug
from earlyhelp.casework.forms import CloseEpisodeForm, ReallocateForm
from earlyhelp.casework.permissions import (
    can_close_episode,
    can_manage_episode,
    can_view_access_log,
)
from earlyhelp.casework.selectors import FamilyRecord, family_record
from earlyhelp.casework.services import close_episode, reallocate_episode
from earlyhelp.core import codelists
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error


def _record(request: HttpRequest, family_id: UUID) -> FamilyRecord:
    try:
        return family_record(request.user, family_id)
    except NotFound:
        raise Http404 from None


@require_GET
def family(request: HttpRequest, family_id: UUID) -> HttpResponse:
    record = _record(request, family_id)
    episode = record.open_episode
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
            "referrals": list(record.family.referrals.order_by("-received_at")),
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
