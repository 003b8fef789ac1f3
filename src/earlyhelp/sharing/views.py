"""Agreement (consent) and sharing decision pages, authorisation, and the disclosure log.

Thin: every read goes through ``sharing.selectors`` (the family gatekeeper, audited) and every
write through ``sharing.agreements`` and ``sharing.decisions``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import User
from earlyhelp.audit.services import record_list_view
from earlyhelp.core import files
from earlyhelp.core.errors import Conflict, DomainError, NotFound
from earlyhelp.sharing import selectors
from earlyhelp.sharing.agreements import record_agreement, withdraw_agreement
from earlyhelp.sharing.decisions import authorise_decision, is_overdue, record_decision
from earlyhelp.sharing.forms import (
    AgreementForm,
    AuthorisationForm,
    DecisionForm,
    WithdrawalForm,
    show_domain_error,
)
from earlyhelp.sharing.models import Agreement, SharingDecision
from earlyhelp.sharing.permissions import can_authorise, can_record_sharing

PER_PAGE = 25
LOG_PER_PAGE = 50

T = TypeVar("T")


def _found(read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return read(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    form = context.get("form")
    context.setdefault("error_title", bool(form is not None and form.errors))
    return render(request, template, context, status=status)


# --- Agreements ------------------------------------------------------------------------------


@require_GET
def agreements(request: HttpRequest, family_id: UUID) -> HttpResponse:
    found = _found(selectors.family_agreements, request.user, family_id)
    page = Paginator(found.agreements, PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(request.user, "agreement", len(page.object_list))
    return _render(
        request,
        "sharing/agreements.html",
        {
            "title": "Agreements to receive support and to share",
            "family": found.family,
            "page": page,
            "can_record": found.can_record,
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, family_id: UUID) -> HttpResponse:
    found = _found(selectors.family_agreements, request.user, family_id)
    family = found.family
    if not found.can_record:
        raise PermissionDenied
    form = AgreementForm(
        request.POST or None, request.FILES or None, members=selectors.family_members(family)
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("signed_form")
        try:
            agreement = record_agreement(
                actor=_actor(request),
                family=family,
                data=form.to_input(),
                signed_form=upload,
                signed_form_name=upload.name if upload else "",
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, "Agreement recorded")
            return redirect("sharing:agreement", family_id=family.pk, agreement_id=agreement.pk)
    return _render(
        request,
        "sharing/agreement_new.html",
        {
            "title": "Record an agreement",
            "family": family,
            "form": form,
            "file_dropped": bool(request.FILES) and bool(form.errors),
        },
    )


def _agreement_page(
    request: HttpRequest, agreement: Agreement, form: WithdrawalForm | None
) -> HttpResponse:
    can_withdraw = agreement.is_active and can_record_sharing(request.user, agreement.family)
    if can_withdraw and form is None:
        form = WithdrawalForm(members=selectors.family_members(agreement.family))
    return _render(
        request,
        "sharing/agreement.html",
        {
            "title": "Agreement",
            "family": agreement.family,
            "agreement": agreement,
            "form": form if can_withdraw else None,
        },
    )


@require_GET
def agreement(request: HttpRequest, family_id: UUID, agreement_id: UUID) -> HttpResponse:
    item = _found(selectors.get_agreement_for_user, request.user, family_id, agreement_id)
    return _agreement_page(request, item, None)


@require_http_methods(["GET", "POST"])
def agreement_withdraw(request: HttpRequest, family_id: UUID, agreement_id: UUID) -> HttpResponse:
    item = _found(selectors.get_agreement_for_user, request.user, family_id, agreement_id)
    if request.method == "GET":
        return redirect("sharing:agreement", family_id=item.family_id, agreement_id=item.pk)
    if not can_record_sharing(request.user, item.family):
        raise PermissionDenied
    form = WithdrawalForm(request.POST, members=selectors.family_members(item.family))
    if form.is_valid():
        who = form.cleaned_data["withdrawn_by"]
        try:
            withdraw_agreement(
                actor=_actor(request),
                agreement=item,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                withdrawn_by=UUID(who) if who else None,
                note=form.cleaned_data["note"],
            )
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("sharing:agreement", family_id=item.family_id, agreement_id=item.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(request, "Agreement withdrawn: nothing new will be shared under it")
            return redirect("sharing:agreement", family_id=item.family_id, agreement_id=item.pk)
    return _agreement_page(request, item, form)


@require_GET
def signed_form(request: HttpRequest, family_id: UUID, agreement_id: UUID) -> FileResponse:
    item = _found(selectors.signed_form_for_user, request.user, family_id, agreement_id)
    try:
        content = files.open_stored(item.signed_form)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=item.signed_form_name or "signed-form",
        content_type=item.signed_form_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Sharing decisions -----------------------------------------------------------------------


@require_GET
def decisions(request: HttpRequest, family_id: UUID) -> HttpResponse:
    found = _found(selectors.family_decisions, request.user, family_id)
    page = Paginator(found.decisions, PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(request.user, "sharing_decision", len(page.object_list))
    return _render(
        request,
        "sharing/decisions.html",
        {
            "title": "Sharing decisions",
            "family": found.family,
            "page": page,
            "can_record": found.can_record,
            "overdue": {d.pk for d in page.object_list if is_overdue(d)},
        },
    )


@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, family_id: UUID) -> HttpResponse:
    found = _found(selectors.family_decisions, request.user, family_id)
    family = found.family
    if not found.can_record:
        raise PermissionDenied
    form = DecisionForm(
        request.POST or None,
        members=selectors.family_members(family),
        agreements=selectors.active_agreements(family),
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = record_decision(actor=_actor(request), family=family, data=form.to_input())
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(
                request,
                "Emergency release recorded: a team manager must authorise it within 24 hours"
                if decision.emergency
                else "Sharing decision recorded",
            )
            return redirect("sharing:decision", family_id=family.pk, decision_id=decision.pk)
    return _render(
        request,
        "sharing/decision_new.html",
        {"title": "Record a sharing decision", "family": family, "form": form},
    )


def _decision_page(
    request: HttpRequest, decision: SharingDecision, form: AuthorisationForm | None
) -> HttpResponse:
    can_authorise = selectors.may_authorise(request.user, decision)
    if can_authorise and form is None:
        form = AuthorisationForm()
    return _render(
        request,
        "sharing/decision.html",
        {
            "title": "Sharing decision",
            "family": decision.family,
            "decision": decision,
            "overdue": is_overdue(decision),
            "form": form if can_authorise else None,
        },
    )


@require_GET
def decision(request: HttpRequest, family_id: UUID, decision_id: UUID) -> HttpResponse:
    item = _found(selectors.get_decision_for_user, request.user, family_id, decision_id)
    return _decision_page(request, item, None)


@require_http_methods(["GET", "POST"])
def authorise(request: HttpRequest, family_id: UUID, decision_id: UUID) -> HttpResponse:
    item = _found(selectors.get_decision_for_user, request.user, family_id, decision_id)
    if request.method == "GET":
        return redirect("sharing:decision", family_id=item.family_id, decision_id=item.pk)
    if not can_authorise(request.user, item.family, item.decided_by_id):
        raise PermissionDenied
    form = AuthorisationForm(request.POST)
    if form.is_valid():
        try:
            authorise_decision(
                actor=_actor(request),
                decision=item,
                authorise=form.authorise,
                note=form.cleaned_data["note"],
            )
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect("sharing:decision", family_id=item.family_id, decision_id=item.pk)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            messages.success(
                request,
                "Sharing without agreement authorised"
                if form.authorise
                else "Sharing without agreement refused",
            )
            return redirect("sharing:decision", family_id=item.family_id, decision_id=item.pk)
    return _decision_page(request, item, form)


@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_see_authorisation_lists(user):
        raise PermissionDenied
    page = Paginator(selectors.overdue_authorisations(user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    awaiting = Paginator(selectors.awaiting_authorisation(user), PER_PAGE).get_page(
        request.GET.get("waiting")
    )
    record_list_view(user, "sharing_decision", len(page.object_list) + len(awaiting.object_list))
    return _render(
        request,
        "sharing/overdue.html",
        {
            "title": "Sharing authorisations",
            "page": page,
            "awaiting": awaiting,
            "links_to_records": not selectors.sees_every_team(user),
        },
    )


# --- The disclosure log ----------------------------------------------------------------------


def _log(request: HttpRequest, family_id: UUID, person_id: UUID | None) -> HttpResponse:
    found = _found(selectors.disclosure_log, request.user, family_id, person_id)
    page = Paginator(found.entries, LOG_PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(request.user, "disclosure", len(page.object_list))
    return _render(
        request,
        "sharing/log.html",
        {
            "title": "Disclosure log",
            "family": found.family,
            "person": found.person,
            "page": page,
            "members": selectors.family_members(found.family),
        },
    )


@require_GET
def log(request: HttpRequest, family_id: UUID) -> HttpResponse:
    return _log(request, family_id, None)


@require_GET
def person_log(request: HttpRequest, family_id: UUID, person_id: UUID) -> HttpResponse:
    return _log(request, family_id, person_id)
