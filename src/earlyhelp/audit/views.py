"""Who has accessed a family: the lookup by reference and the paginated access log."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import User
from earlyhelp.audit.forms import AccessLookupForm, DenialReviewForm
from earlyhelp.audit.selectors import (
    denial_alerts,
    denial_burst,
    family_access_log,
    family_for_access_review,
    may_review_access,
    may_review_denials,
)
from earlyhelp.audit.services import review_denial_alert
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error


@require_http_methods(["GET", "POST"])
def access_lookup(request: HttpRequest) -> HttpResponse:
    if not may_review_access(request.user):
        raise PermissionDenied
    form = AccessLookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            family = family_for_access_review(request.user, form.cleaned_data["reference"])
        except NotFound as exc:
            form.add_error("reference", exc.message)
        else:
            return redirect("audit:family_access", family_id=family.pk)
    return render(
        request,
        "audit/access_lookup.html",
        {"title": "Who has accessed a family", "form": form, "error_title": bool(form.errors)},
    )


@require_GET
def family_access(request: HttpRequest, family_id: UUID) -> HttpResponse:
    try:
        log = family_access_log(request.user, family_id, page_number=request.GET.get("page"))
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "audit/family_access.html",
        {"title": f"Who has accessed family {log.family.reference}", "log": log},
    )


@require_GET
def denials(request: HttpRequest) -> HttpResponse:
    if not may_review_denials(request.user):
        raise PermissionDenied
    return render(
        request,
        "audit/denials.html",
        {
            "title": "Refused access to review",
            "alerts": denial_alerts(request.user),
            "burst_size": settings.EARLYHELP_DENIAL_BURST,
            "burst_minutes": settings.EARLYHELP_DENIAL_BURST_MINUTES,
        },
    )


@require_http_methods(["GET", "POST"])
def denial(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    if not may_review_denials(request.user):
        raise PermissionDenied
    try:
        burst = denial_burst(request.user, alert_id)
    except NotFound:
        raise Http404 from None
    form = DenialReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            review_denial_alert(
                actor=request.user, alert_id=alert_id, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Review recorded")
            return redirect("audit:denials")
    return render(
        request,
        "audit/denial.html",
        {
            "title": "Refused access by one member of staff",
            "burst": burst,
            "form": form,
            "error_title": bool(form.errors),
        },
    )
