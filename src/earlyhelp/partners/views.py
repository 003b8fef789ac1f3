"""The partner directory pages: list, organisation, and editing organisations and contacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from earlyhelp.core import errors
from earlyhelp.core.errors import DomainError
from earlyhelp.core.forms import add_domain_error
from earlyhelp.partners import selectors, services
from earlyhelp.partners.forms import ContactForm, DirectoryFilterForm, OrganisationForm
from earlyhelp.partners.models import (
    DirectoryChange,
    Organisation,
    OrganisationKind,
    PartnerContact,
)
from earlyhelp.partners.permissions import can_edit_directory, can_view_directory

PER_PAGE = 25
T = TypeVar("T")


def _gate(read: Callable[[], T]) -> T:
    """Run a selector, turning its refusals into Django's 403 and 404 pages."""
    try:
        return read()
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied:
        raise PermissionDenied from None


def _check_editor(request: HttpRequest) -> None:
    if not can_edit_directory(request.user):
        raise PermissionDenied


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    if not can_view_directory(request.user):
        raise PermissionDenied
    filters = DirectoryFilterForm(request.GET)
    criteria = filters.criteria()
    organisations = selectors.directory(request.user, **criteria)
    page = Paginator(organisations, PER_PAGE).get_page(request.GET.get("page"))
    selectors.audit_directory_view(request.user, len(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/list.html",
        {
            "title": "Partner directory",
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "kinds": dict(OrganisationKind.choices),
            "can_edit": can_edit_directory(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    _check_editor(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(
                actor=request.user,  # type: ignore[arg-type]
                data=form.to_input(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Organisation added to the directory")
            return redirect("partners:detail", organisation_id=organisation.pk)
    return render(
        request,
        "partners/organisation_form.html",
        {
            "title": "Add an organisation",
            "form": form,
            "organisation": None,
            "error_title": bool(form.errors),
        },
    )


@require_GET
def detail(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    organisation = _gate(lambda: selectors.get_organisation_for_user(request.user, organisation_id))
    return render(
        request,
        "partners/detail.html",
        {
            "title": organisation.name,
            "organisation": organisation,
            "contacts": list(organisation.contacts.all()),
            "can_edit": can_edit_directory(request.user),
            "pending": (
                selectors.pending_changes(request.user, organisation)
                if can_edit_directory(request.user)
                else []
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    _check_editor(request)
    organisation = _gate(lambda: selectors.get_organisation_for_user(request.user, organisation_id))
    form = OrganisationForm(
        request.POST or None, initial=OrganisationForm.initial_from(organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            edit = services.edit_organisation(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                data=form.to_input(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            _say_what_waits(request, edit.pending, "Organisation updated")
            return redirect("partners:detail", organisation_id=organisation.pk)
    return render(
        request,
        "partners/organisation_form.html",
        {
            "title": "Change an organisation",
            "form": form,
            "organisation": organisation,
            "error_title": bool(form.errors),
        },
    )


FIELD_LABELS = {"kind": "kind", "email": "e-mail address"}


def _say_what_waits(request: HttpRequest, pending: DirectoryChange | None, done: str) -> None:
    if pending is None:
        messages.success(request, done)
        return
    what = " and ".join(FIELD_LABELS.get(f, f) for f in pending.fields)
    messages.warning(
        request,
        f"The change of {what} is awaiting a second person: it changes where information "
        "shared with this organisation goes, so another administrator or team manager must "
        "approve it. Anything else you changed is saved.",
    )


@require_POST
def change_decide(request: HttpRequest, change_id: UUID) -> HttpResponse:
    """Approve (a second person) or reject a directory change awaiting a second person."""
    approve = request.POST.get("decision") == "approve"
    decide = services.approve_directory_change if approve else services.reject_directory_change
    try:
        change = decide(actor=request.user, change_id=change_id)  # type: ignore[arg-type]
    except errors.NotFound:
        raise Http404 from None
    except errors.PermissionDenied as exc:
        if not can_edit_directory(request.user):
            raise PermissionDenied from None
        messages.error(request, exc.message)
        return redirect("partners:list")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("partners:list")
    messages.success(request, "Change approved and applied" if approve else "Change rejected")
    return redirect("partners:detail", organisation_id=change.organisation_id)


def _contact_page(
    request: HttpRequest,
    organisation: Organisation,
    contact: PartnerContact | None,
) -> HttpResponse:
    initial = ContactForm.initial_from(contact) if contact else None
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        pending = None
        try:
            if contact is None:
                services.add_contact(
                    actor=actor,  # type: ignore[arg-type]
                    organisation=organisation,
                    data=form.to_input(),
                )
            else:
                pending = services.edit_contact(
                    actor=actor,  # type: ignore[arg-type]
                    contact=contact,
                    data=form.to_input(),
                ).pending
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            _say_what_waits(
                request, pending, "Contact added" if contact is None else "Contact updated"
            )
            return redirect("partners:detail", organisation_id=organisation.pk)
    return render(
        request,
        "partners/contact_form.html",
        {
            "title": "Add a contact" if contact is None else "Change a contact",
            "form": form,
            "organisation": organisation,
            "contact": contact,
            "error_title": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def contact_new(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    _check_editor(request)
    organisation = _gate(lambda: selectors.get_organisation_for_user(request.user, organisation_id))
    return _contact_page(request, organisation, None)


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, organisation_id: UUID, contact_id: UUID) -> HttpResponse:
    _check_editor(request)
    contact = _gate(
        lambda: selectors.get_contact_for_user(request.user, organisation_id, contact_id)
    )
    return _contact_page(request, contact.organisation, contact)
