"""Assessment pages: list, start, the assessment, its draft form and needs, submit,
authorise, return; the managers' list awaiting authorisation; the headline configuration."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.models import User
from earlyhelp.assessments import selectors, services
from earlyhelp.assessments.forms import (
    AssessmentForm,
    HeadlineForm,
    NeedForm,
    ReturnForm,
    StartForm,
    SubmitForm,
)
from earlyhelp.assessments.models import (
    SEVERITY_HINTS,
    Assessment,
    AssessmentNeed,
    default_organisation,
)
from earlyhelp.assessments.permissions import (
    can_authorise_assessment,
    can_configure_headlines,
    can_decide_assessment,
    can_edit_assessment,
    can_return_assessment,
    can_see_awaiting_authorisation,
    can_start_assessment,
    can_submit_assessment,
)
from earlyhelp.audit.services import record_list_view
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error

PER_PAGE = 25


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _assessment(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> Assessment:
    try:
        return selectors.get_assessment_for_user(request.user, family_id, assessment_id)
    except NotFound:
        raise Http404 from None


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A service's refusal, with its own explanation (the generic 403 page cannot give it)."""
    return render(
        request,
        "core/error.html",
        {"title": "You cannot do that", "message": error.message, "status": error.status_code},
        status=error.status_code,
    )


def _guard(request: HttpRequest, check: Callable[[], None]) -> HttpResponse | None:
    try:
        check()
    except DomainError as exc:
        return _refused(request, exc)
    return None


def _detail(assessment: Assessment) -> HttpResponse:
    return redirect(
        "assessments:detail", family_id=assessment.family_id, assessment_id=assessment.pk
    )


@require_GET
def assessment_list(request: HttpRequest, family_id: UUID) -> HttpResponse:
    try:
        found = selectors.family_assessments(request.user, family_id)
    except NotFound:
        raise Http404 from None
    page = Paginator(found.assessments, PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(request.user, "assessment", len(page.object_list))
    episode = selectors.open_episode(found.family)
    return render(
        request,
        "assessments/list.html",
        {
            "title": f"Assessments for family {found.family.reference}",
            "family": found.family,
            "page": page,
            "can_start": can_start_assessment(request.user, episode),
            "headline_total": selectors.active_headline_count(),
        },
    )


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, family_id: UUID) -> HttpResponse:
    try:
        family = get_family_for_user(request.user, family_id)
    except NotFound:
        raise Http404 from None
    if not can_start_assessment(request.user, selectors.open_episode(family)):
        raise PermissionDenied
    form = StartForm(request.POST or None, initial={"organisation": default_organisation()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                actor=_actor(request),
                family=family,
                started_on=form.cleaned_data["started_on"],
                organisation=form.cleaned_data["organisation"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Assessment started")
            return redirect("assessments:edit", family_id=family.pk, assessment_id=assessment.pk)
    return render(
        request,
        "assessments/new.html",
        {
            "title": "Start an assessment",
            "family": family,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_GET
def detail(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment(request, family_id, assessment_id)
    user = request.user
    return render(
        request,
        "assessments/detail.html",
        {
            "title": f"Assessment for family {assessment.family.reference}",
            "assessment": assessment,
            "family": assessment.family,
            "people": selectors.needs_by_person(
                assessment, selectors.family_members(assessment.family)
            ),
            "eligibility": services.eligibility(assessment),
            "headline_total": selectors.active_headline_count(),
            "headlines": selectors.active_headlines(),
            "can_edit": can_edit_assessment(user, assessment),
            "can_submit": can_submit_assessment(user, assessment),
            "can_authorise": can_authorise_assessment(user, assessment),
            "submitted_it": can_decide_assessment(user, assessment)
            and not can_authorise_assessment(user, assessment),
            "can_return": can_return_assessment(user, assessment),
            "Status": Assessment.Status,
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment(request, family_id, assessment_id)
    actor = _actor(request)
    refused = _guard(request, lambda: services.check_editable(actor, assessment))
    if refused:
        return refused
    initial = {
        name: getattr(assessment, name)
        for name in ("started_on", "organisation", "no_needs_identified", *services.TEXT_FIELDS)
    }
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_assessment(
                actor=actor, assessment=assessment, changes=form.to_changes()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Assessment saved")
            return _detail(assessment)
    return render(
        request,
        "assessments/edit.html",
        {
            "title": "Assessment",
            "assessment": assessment,
            "family": assessment.family,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


def _need_page(
    request: HttpRequest,
    assessment: Assessment,
    form: NeedForm,
    need: AssessmentNeed | None,
) -> HttpResponse:
    return render(
        request,
        "assessments/need.html",
        {
            "title": "Change a need" if need else "Add a need",
            "assessment": assessment,
            "family": assessment.family,
            "need": need,
            "form": form,
            "severity_hints": SEVERITY_HINTS,
            "error_title": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment(request, family_id, assessment_id)
    actor = _actor(request)
    refused = _guard(request, lambda: services.check_editable(actor, assessment))
    if refused:
        return refused
    form = NeedForm(
        request.POST or None,
        members=selectors.family_members(assessment.family),
        headlines=selectors.active_headlines(),
        initial={"person": request.GET.get("person", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_need(
                actor=actor,
                assessment=assessment,
                person_id=form.cleaned_data["person"],
                headline_code=form.cleaned_data["headline"],
                evidence=form.cleaned_data["evidence"],
                severity=form.cleaned_data["severity"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Need added")
            return _detail(assessment)
    return _need_page(request, assessment, form, None)


def _need(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, need_id: UUID
) -> AssessmentNeed:
    try:
        return selectors.get_need_for_user(request.user, family_id, assessment_id, need_id)
    except NotFound:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def need_edit(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, need_id: UUID
) -> HttpResponse:
    need = _need(request, family_id, assessment_id, need_id)
    assessment = need.assessment
    actor = _actor(request)
    refused = _guard(request, lambda: services.check_editable(actor, assessment))
    if refused:
        return refused
    form = NeedForm(
        request.POST or None,
        members=selectors.family_members(assessment.family),
        headlines=selectors.active_headlines(),
        fixed_person=True,
        initial={
            "person": str(need.person_id),
            "headline": need.headline.code,
            "severity": need.severity,
            "evidence": need.evidence,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_need(
                actor=actor,
                need=need,
                headline_code=form.cleaned_data["headline"],
                evidence=form.cleaned_data["evidence"],
                severity=form.cleaned_data["severity"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Need changed")
            return _detail(assessment)
    return _need_page(request, assessment, form, need)


@require_http_methods(["GET", "POST"])
def need_remove(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, need_id: UUID
) -> HttpResponse:
    need = _need(request, family_id, assessment_id, need_id)
    assessment = need.assessment
    actor = _actor(request)
    refused = _guard(request, lambda: services.check_editable(actor, assessment))
    if refused:
        return refused
    if request.method == "POST":
        try:
            services.remove_need(actor=actor, need=need)
        except DomainError as exc:
            return _refused(request, exc)
        messages.success(request, "Need removed")
        return _detail(assessment)
    return render(
        request,
        "assessments/need_remove.html",
        {
            "title": "Remove a need",
            "assessment": assessment,
            "family": assessment.family,
            "need": need,
        },
    )


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment(request, family_id, assessment_id)
    actor = _actor(request)
    refused = _guard(request, lambda: services.check_editable(actor, assessment, verb="submit"))
    if refused:
        return refused
    form = SubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_assessment(
                actor=actor, assessment=assessment, completed_on=form.cleaned_data["completed_on"]
            )
        except DomainError as exc:
            # Needs and the conclusion are not on this page: the error summary names them.
            add_domain_error(form, exc)
        else:
            messages.success(request, "Assessment submitted for authorisation")
            return _detail(assessment)
    return render(
        request,
        "assessments/submit.html",
        {
            "title": "Submit the assessment",
            "assessment": assessment,
            "family": assessment.family,
            "eligibility": services.eligibility(assessment),
            "headline_total": selectors.active_headline_count(),
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_http_methods(["GET", "POST"])
def authorise(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment(request, family_id, assessment_id)
    actor = _actor(request)
    refused = _guard(request, lambda: services.check_can_authorise(actor, assessment))
    if refused:
        return refused
    if request.method == "POST":
        try:
            services.authorise_assessment(actor=actor, assessment=assessment)
        except DomainError as exc:
            return _refused(request, exc)
        messages.success(request, "Assessment authorised")
        return _detail(assessment)
    return render(
        request,
        "assessments/authorise.html",
        {
            "title": "Authorise the assessment",
            "assessment": assessment,
            "family": assessment.family,
            "eligibility": services.eligibility(assessment),
            "headline_total": selectors.active_headline_count(),
        },
    )


@require_http_methods(["GET", "POST"])
def return_to_draft(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> HttpResponse:
    assessment = _assessment(request, family_id, assessment_id)
    actor = _actor(request)
    refused = _guard(request, lambda: services.check_can_return(actor, assessment))
    if refused:
        return refused
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_assessment(
                actor=actor, assessment=assessment, comment=form.cleaned_data["comment"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Assessment returned to draft")
            return _detail(assessment)
    return render(
        request,
        "assessments/return.html",
        {
            "title": "Return the assessment to draft",
            "assessment": assessment,
            "family": assessment.family,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_GET
def awaiting(request: HttpRequest) -> HttpResponse:
    if not can_see_awaiting_authorisation(request.user):
        raise PermissionDenied
    page = Paginator(selectors.awaiting_authorisation(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    record_list_view(request.user, "assessment", len(page.object_list))
    return render(
        request,
        "assessments/awaiting.html",
        {"title": "Assessments awaiting authorisation", "page": page, "user_id": request.user.pk},
    )


@require_GET
def headlines(request: HttpRequest) -> HttpResponse:
    if not can_configure_headlines(request.user):
        raise PermissionDenied
    return render(
        request,
        "assessments/headlines.html",
        {"title": "Headline needs", "headlines": list(selectors.all_headlines())},
    )


@require_http_methods(["GET", "POST"])
def headline_edit(request: HttpRequest, code: str) -> HttpResponse:
    if not can_configure_headlines(request.user):
        raise PermissionDenied
    try:
        headline = selectors.get_headline(code)
    except NotFound:
        raise Http404 from None
    form = HeadlineForm(
        request.POST or None,
        initial={
            "label": headline.label,
            "descriptor": headline.descriptor,
            "active": headline.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_headline(
                actor=_actor(request),
                headline=headline,
                label=form.cleaned_data["label"],
                descriptor=form.cleaned_data["descriptor"],
                active=form.cleaned_data["active"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"{headline.label} saved")
            return redirect("assessments:headlines")
    return render(
        request,
        "assessments/headline_edit.html",
        {
            "title": f"Change {headline.label}",
            "headline": headline,
            "form": form,
            "error_title": bool(form.errors),
        },
    )
