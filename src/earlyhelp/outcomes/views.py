"""Outcome pages: rate the plan's outcomes, a rating, a sustain check, the due list, claim."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import has_role
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.outcomes import selectors
from earlyhelp.outcomes.forms import OutcomeRatingForm, SustainCheckForm
from earlyhelp.outcomes.models import SustainCheck
from earlyhelp.outcomes.services import rate_outcomes, record_sustain_check
from earlyhelp.plans.needs import headline_labels

PER_PAGE = 25


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, family_id: UUID) -> HttpResponse:
    try:
        outcomes = selectors.family_outcomes(request.user, family_id)
    except NotFound:
        raise Http404 from None
    if not outcomes.can_rate:
        raise PermissionDenied
    rows = outcomes.current.rows
    data = request.POST if request.method == "POST" else None
    forms = [OutcomeRatingForm(data, row=row, prefix=f"o{i}") for i, row in enumerate(rows)]
    if request.method == "POST" and forms and all([form.is_valid() for form in forms]):
        answered = [form for form in forms if form.is_answered]
        if not answered:
            forms[0].add_error("rating", "Rate at least one outcome")
        else:
            return _save_ratings(request, outcomes, forms, answered)
    return _rate_page(request, outcomes, forms)


def _save_ratings(
    request: HttpRequest,
    outcomes: selectors.FamilyOutcomes,
    forms: list[OutcomeRatingForm],
    answered: list[OutcomeRatingForm],
) -> HttpResponse:
    try:
        rate_outcomes(
            actor=request.user,  # type: ignore[arg-type]
            family=outcomes.family,
            items=[form.to_input() for form in answered],
        )
    except DomainError as exc:
        _show_error(answered, forms[0], exc)
        return _rate_page(request, outcomes, forms)
    messages.success(request, "Outcome ratings saved")
    return redirect("outcomes:claim", family_id=outcomes.family.pk)


def _rate_page(
    request: HttpRequest, outcomes: selectors.FamilyOutcomes, forms: list[OutcomeRatingForm]
) -> HttpResponse:
    return render(
        request,
        "outcomes/rate.html",
        {
            "title": "Rate the plan's outcomes",
            "outcomes": outcomes,
            "forms": forms,
            "sustain_months": settings.EARLYHELP_SUSTAIN_MONTHS,
            "error_title": any(form.errors for form in forms),
        },
    )


def _show_error(
    answered: list[OutcomeRatingForm], fallback: OutcomeRatingForm, exc: DomainError
) -> None:
    parts = (exc.field or "").split(".")
    if len(parts) >= 2 and parts[0] == "ratings" and parts[1].isdigit():
        target = answered[int(parts[1])]
        field = parts[2] if len(parts) > 2 and parts[2] in target.fields else None
        target.add_error(field, exc.message)
    else:
        add_domain_error(fallback, exc)


@require_GET
def rating(request: HttpRequest, family_id: UUID, rating_id: UUID) -> HttpResponse:
    try:
        item = selectors.get_rating_for_user(request.user, family_id, rating_id)
    except NotFound:
        raise Http404 from None
    checks = list(item.sustain_checks.all())
    return render(
        request,
        "outcomes/rating.html",
        {
            "title": "Outcome rating",
            "rating": item,
            "check": checks[0] if checks else None,
            "headline": headline_labels().get(
                item.plan_outcome.headline_code, item.plan_outcome.headline_code
            ),
            "earlier": list(
                item.history.select_related("history_user", "rated_by").order_by("-history_date")[
                    1:
                ]
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def sustain_check(request: HttpRequest, family_id: UUID, check_id: UUID) -> HttpResponse:
    try:
        check = selectors.get_sustain_check_for_user(request.user, family_id, check_id)
    except NotFound:
        raise Http404 from None
    is_due = check.due_on <= timezone.localdate()
    initial = (
        {"result": check.result, "checked_on": check.checked_on, "evidence": check.evidence}
        if check.is_recorded
        else None
    )
    form = SustainCheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_sustain_check(
                actor=request.user,  # type: ignore[arg-type]
                check=check,
                result=form.cleaned_data["result"],
                evidence=form.cleaned_data["evidence"],
                checked_on=form.cleaned_data["checked_on"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Sustain check recorded")
            return redirect("outcomes:sustain_check", family_id=check.family_id, check_id=check.pk)
    return render(
        request,
        "outcomes/sustain_check.html",
        {
            "title": "Sustain check",
            "check": check,
            "is_due": is_due,
            "form": form,
            "headline": _headline(check),
            "error_title": bool(form.errors),
        },
    )


def _headline(check: SustainCheck) -> str:
    code = check.rating.plan_outcome.headline_code
    return headline_labels().get(code, code)


@require_GET
def sustain_due(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.PRACTITIONER, Role.TEAM_MANAGER):
        raise PermissionDenied
    upcoming = request.GET.get("show") == "upcoming"
    page = Paginator(
        selectors.sustain_checks_due(request.user, upcoming=upcoming), PER_PAGE
    ).get_page(request.GET.get("page"))
    selectors.audit_due_list(request.user, len(page.object_list))
    return render(
        request,
        "outcomes/sustain_due.html",
        {
            "title": "Sustain checks",
            "page": page,
            "upcoming": upcoming,
            "today": timezone.localdate(),
            "headlines": headline_labels(),
        },
    )


@require_GET
def claim(request: HttpRequest, family_id: UUID) -> HttpResponse:
    try:
        outcomes, status = selectors.family_claim(request.user, family_id)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "outcomes/claim.html",
        {
            "title": "Supporting Families claim status",
            "outcomes": outcomes,
            "status": status,
        },
    )
