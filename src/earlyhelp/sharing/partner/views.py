"""Partner pages: my families, a family's plan (and what else the agreement covers), the
status of my own actions, and contribution notes. Thin over ``access`` and ``services``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.plans.models import ActionStatus
from earlyhelp.sharing.partner import access, services
from earlyhelp.sharing.partner.forms import ActionStatusForm, ContributionForm

PER_PAGE = 25
T = TypeVar("T")


def _found(read: Callable[..., T], *args: Any) -> T:
    try:
        return read(*args)
    except NotFound:
        raise Http404 from None


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    context.setdefault("error_title", bool(form is not None and form.errors))
    return render(request, template, context)


@require_GET
def families(request: HttpRequest) -> HttpResponse:
    if not access.is_partner(request.user):
        raise PermissionDenied
    found = access.listed_families(request.user)
    page = Paginator(found.rows, PER_PAGE).get_page(request.GET.get("page"))
    access.audit_list(request.user, len(page.object_list))
    return _render(
        request,
        "sharing/partner/families.html",
        {"title": "Your families", "contact": found.contact, "page": page},
    )


@require_GET
def family(request: HttpRequest, family_id: UUID) -> HttpResponse:
    shown = _found(access.partner_family, request.user, family_id)
    return _render(
        request,
        "sharing/partner/family.html",
        {"title": "Family plan", "shown": shown, "plan": shown.plan},
    )


@require_http_methods(["GET", "POST"])
def action_status(request: HttpRequest, family_id: UUID, action_id: UUID) -> HttpResponse:
    granted, action = _found(access.my_action, request.user, family_id, action_id)
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_my_action_status(
                actor=request.user,  # type: ignore[arg-type]
                family_id=family_id,
                action_id=action_id,
                status=form.cleaned_data["status"],
            )
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            label = ActionStatus(form.cleaned_data["status"]).label.lower()
            messages.success(request, f"Action marked as {label}")
            return redirect("partner:family", family_id=granted.family.pk)
    return _render(
        request,
        "sharing/partner/action_status.html",
        {
            "title": "Update your action",
            "form": form,
            "family": granted.family,
            "action": action,
            "submit_text": "Save the status",
        },
    )


@require_http_methods(["GET", "POST"])
def contribution(request: HttpRequest, family_id: UUID) -> HttpResponse:
    granted = _found(access.open_family, request.user, family_id)
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_contribution(
                actor=request.user,  # type: ignore[arg-type]
                family_id=family_id,
                text=form.cleaned_data["text"],
            )
        except NotFound:
            raise Http404 from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Your contribution has been added to the plan")
            return redirect("partner:family", family_id=granted.family.pk)
    return _render(
        request,
        "sharing/partner/contribution.html",
        {
            "title": "Add a contribution",
            "form": form,
            "family": granted.family,
            "submit_text": "Add the contribution",
        },
    )
