"""Programme pages: the list, set-up, a programme, its sessions and registers, completion."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import Team
from earlyhelp.core import errors
from earlyhelp.core.errors import DomainError
from earlyhelp.core.forms import add_domain_error
from earlyhelp.partners.models import Organisation
from earlyhelp.partners.selectors import organisation_choices
from earlyhelp.programmes import selectors, services
from earlyhelp.programmes.forms import (
    EndEnrolmentForm,
    ProgrammeForm,
    RegisterForm,
    SessionForm,
)
from earlyhelp.programmes.permissions import (
    can_create_programme,
    can_run_programme,
    can_view_programmes,
    teams_that_can_set_up,
)

PER_PAGE = 25
T = TypeVar("T")


def gate(read: Callable[[], T]) -> T:
    """Run a selector, turning its refusals into Django's 403 and 404 pages."""
    try:
        return read()
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied:
        raise PermissionDenied from None


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    if not can_view_programmes(request.user):
        raise PermissionDenied
    programmes = selectors.programme_list(request.user)
    page = Paginator(programmes, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/list.html",
        {
            "title": "Programmes",
            "page": page,
            "can_create": can_create_programme(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    if not can_create_programme(request.user):
        raise PermissionDenied
    teams = list(Team.objects.filter(pk__in=teams_that_can_set_up(request.user)))
    form = ProgrammeForm(request.POST or None, teams=teams, providers=organisation_choices())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.ProgrammeInput(
            name=d["name"],
            kind=d["kind"],
            team=next(t for t in teams if t.slug == d["team"]),
            provider=Organisation.objects.get(pk=d["provider"]) if d["provider"] else None,
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            capacity=d["capacity"],
            description=d["description"],
        )
        try:
            programme = services.create_programme(actor=request.user, data=data)  # type: ignore[arg-type]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Programme set up: now add its sessions")
            return redirect("programmes:detail", programme_id=programme.pk)
    return render(
        request,
        "programmes/programme_form.html",
        {"title": "Set up a programme", "form": form, "error_title": bool(form.errors)},
    )


@require_GET
def programme_detail(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = gate(lambda: selectors.get_programme_for_user(request.user, programme_id))
    runs_it = can_run_programme(request.user, programme)
    return render(
        request,
        "programmes/detail.html",
        {
            "title": programme.name,
            "programme": programme,
            "sessions": list(programme.sessions.order_by("number")),
            "enrolments": selectors.programme_enrolments(request.user, programme)
            if runs_it
            else None,
            "runs_it": runs_it,
        },
    )


@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, programme_id: UUID) -> HttpResponse:
    programme = gate(lambda: selectors.get_programme_for_user(request.user, programme_id))
    if not can_run_programme(request.user, programme):
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.add_session(
                actor=request.user,  # type: ignore[arg-type]
                programme=programme,
                on=form.cleaned_data["date"],
                start_time=form.cleaned_data["start_time"],
                location=form.cleaned_data["location"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Session {session.number} added")
            return redirect("programmes:detail", programme_id=programme.pk)
    return render(
        request,
        "programmes/session_form.html",
        {
            "title": "Add a session",
            "programme": programme,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, programme_id: UUID, session_id: UUID) -> HttpResponse:
    sheet = gate(lambda: selectors.session_register(request.user, programme_id, session_id))
    form = RegisterForm(request.POST or None, lines=sheet.lines)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                actor=request.user,  # type: ignore[arg-type]
                session=sheet.session,
                marks=form.marks(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Register saved for session {sheet.session.number}")
            return redirect("programmes:detail", programme_id=sheet.session.programme_id)
    return render(
        request,
        "programmes/register.html",
        {
            "title": f"Register: session {sheet.session.number}",
            "session": sheet.session,
            "programme": sheet.session.programme,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, programme_id: UUID, enrolment_id: UUID) -> HttpResponse:
    enrolment = gate(
        lambda: selectors.get_enrolment_to_end(request.user, programme_id, enrolment_id)
    )
    form = EndEnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = request.user
        try:
            if d["outcome"] == "completed":
                services.complete_enrolment(actor=actor, enrolment=enrolment, on=d["on"])  # type: ignore[arg-type]
            else:
                services.withdraw_enrolment(
                    actor=actor,  # type: ignore[arg-type]
                    enrolment=enrolment,
                    on=d["on"],
                    reason=d["reason"],
                )
        except errors.Conflict as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Enrolment updated")
            if can_run_programme(request.user, enrolment.programme):
                return redirect("programmes:detail", programme_id=enrolment.programme_id)
            return redirect(
                "programmes:enrolment", family_id=enrolment.family_id, enrolment_id=enrolment.pk
            )
    return render(
        request,
        "programmes/complete.html",
        {
            "title": "Completion or withdrawal",
            "enrolment": enrolment,
            "programme": enrolment.programme,
            "form": form,
            "error_title": bool(form.errors),
        },
    )
