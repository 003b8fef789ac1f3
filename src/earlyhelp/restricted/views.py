"""Restricting a family or person, breaking the glass into a family, reviewing accesses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from earlyhelp.accounts.models import User
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.restricted import selectors, services
from earlyhelp.restricted.forms import (
    BreakGlassForm,
    FindFamilyForm,
    PersonRestrictionForm,
    RestrictionForm,
    ReviewForm,
)
from earlyhelp.restricted.permissions import can_see_review_list

T = TypeVar("T")
PER_PAGE = 25


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _found(read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return read(*args, **kwargs)
    except NotFound:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """The DPO (or a manager) finds a family to restrict by its reference."""
    if not can_see_review_list(request.user):
        raise PermissionDenied
    form = FindFamilyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            family = selectors.family_by_reference(request.user, form.cleaned_data["reference"])
        except DomainError as exc:
            form.add_error("reference", exc.message)
        else:
            return redirect("restricted:manage", family_id=family.pk)
    return render(
        request,
        "restricted/find.html",
        {"title": "Restrict a family", "form": form, "error_title": bool(form.errors)},
    )


@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, family_id: UUID) -> HttpResponse:
    page = _found(selectors.restriction_page, request.user, family_id)
    initial = {}
    if page.restriction is not None:
        initial = {
            "reason": page.restriction.reason,
            "allowed": "\n".join(a.user.username for a in page.allowed),
        }
    form = RestrictionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.restrict_family(
                actor=_actor(request),
                family=page.family,
                reason=form.cleaned_data["reason"],
                allowed=form.usernames(),
            )
        except DomainError as exc:
            _allowed_error(form, exc)
        else:
            messages.success(request, f"Family {page.family.reference} is restricted")
            return redirect("restricted:manage", family_id=page.family.pk)
    return render(
        request,
        "restricted/manage.html",
        {
            "title": f"Restriction of family {page.family.reference}",
            "page": page,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_POST
def lift(request: HttpRequest, family_id: UUID) -> HttpResponse:
    page = _found(selectors.restriction_page, request.user, family_id)
    try:
        services.lift_restriction(actor=_actor(request), family=page.family)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The restriction on family {page.family.reference} is lifted")
    return redirect("restricted:manage", family_id=page.family.pk)


def _allowed_error(form: RestrictionForm, exc: DomainError) -> None:
    if (exc.field or "").startswith("allowed"):
        form.add_error("allowed", exc.message)  # "allowed.<n>": the n-th username
    else:
        add_domain_error(form, exc)


@require_http_methods(["GET", "POST"])
def person_manage(request: HttpRequest, person_id: UUID) -> HttpResponse:
    """Restrict one member of a family (reached from the family's restriction page)."""
    page = _found(selectors.person_restriction_page, request.user, person_id)
    initial = {}
    if page.restriction is not None:
        initial = {
            "reason": page.restriction.reason,
            "allowed": "\n".join(a.user.username for a in page.allowed),
        }
    form = PersonRestrictionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.restrict_person(
                actor=_actor(request),
                person=page.person,
                reason=form.cleaned_data["reason"],
                allowed=form.usernames(),
            )
        except DomainError as exc:
            _allowed_error(form, exc)
        else:
            messages.success(request, "The person is restricted")
            return redirect("restricted:person", person_id=page.person.pk)
    return render(
        request,
        "restricted/person.html",
        {
            "title": "Restriction of a person",
            "page": page,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_POST
def person_lift(request: HttpRequest, person_id: UUID) -> HttpResponse:
    page = _found(selectors.person_restriction_page, request.user, person_id)
    try:
        services.lift_person_restriction(actor=_actor(request), person=page.person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The restriction on the person is lifted")
    return redirect("restricted:person", person_id=page.person.pk)


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest, family_id: UUID) -> HttpResponse:
    """The interstitial of a restricted family: give a reason to open it for a while."""
    family = _found(selectors.break_glass_target, request.user, family_id)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.break_glass(
                actor=_actor(request), family=family, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"You can open this family's record until "
                f"{timezone.localtime(result.access.expires_at):%H:%M}. Your access has been "
                "reported for review.",
            )
            return redirect("casework:family", family_id=family.pk)
    return render(
        request,
        "restricted/break_glass.html",
        {
            "title": "Restricted record",
            "family": family,
            "form": form,
            "hours": services.break_glass_hours(),
            "error_title": bool(form.errors),
        },
    )


@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    if not can_see_review_list(request.user):
        raise PermissionDenied
    pending_only = request.GET.get("show") == "pending"
    page = Paginator(
        selectors.review_list(request.user, pending_only=pending_only), PER_PAGE
    ).get_page(request.GET.get("page"))
    selectors.audit_review_list(request.user, len(page.object_list))
    return render(
        request,
        "restricted/review_list.html",
        {"title": "Break-glass accesses", "page": page, "pending_only": pending_only},
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, access_id: UUID) -> HttpResponse:
    access = _found(selectors.get_access_for_review, request.user, access_id)
    may_review = selectors.may_review(request.user, access)
    initial = {"outcome": access.outcome, "escalated": access.escalated, "note": access.review_note}
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.review_access(
                    actor=_actor(request),
                    access=access,
                    outcome=form.cleaned_data["outcome"],
                    escalated=form.cleaned_data["escalated"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "Review recorded")
                return redirect("restricted:review_list")
    return render(
        request,
        "restricted/review.html",
        {
            "title": "Review a break-glass access",
            "access": access,
            "form": form,
            "may_review": may_review,
            "error_title": bool(form.errors),
        },
    )
