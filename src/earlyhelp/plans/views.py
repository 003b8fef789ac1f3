"""Family plan pages: the plan and its versions, edits, reviews, objections, sharing, print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.services import record_list_view
from earlyhelp.casework.selectors import family_record
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.partners.selectors import directory_notices
from earlyhelp.plans import needs, selectors, services
from earlyhelp.plans.forms import (
    ActionForm,
    ActionStatusForm,
    MemberForm,
    NewPlanForm,
    ObjectionForm,
    OutcomeForm,
    ReviewForm,
    ShareForm,
    WithdrawObjectionForm,
)
from earlyhelp.plans.models import FamilyPlan, PlanAction, PlanOutcome, PlanVersion
from earlyhelp.plans.permissions import can_edit_plan, can_see_reviews_due, can_work_on_episode
from earlyhelp.plans.printing import render_plan_pdf

PER_PAGE = 25
DUE_SOON_DAYS = 28

T = TypeVar("T")


def _found(read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return read(*args, **kwargs)
    except NotFound:
        raise Http404 from None


def _editable(
    request: HttpRequest, family_id: UUID, plan_id: UUID
) -> tuple[FamilyPlan, PlanVersion]:
    plan = _found(selectors.get_plan_for_user, request.user, family_id, plan_id)
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan, services.current_version(plan)


def _editable_plan_of(request: HttpRequest, item: PlanOutcome | PlanAction) -> FamilyPlan:
    """The plan of an outcome or action the user may change: earlier versions are kept as
    they were."""
    plan = item.version.plan
    if not can_edit_plan(request.user, plan) or not services.is_current(item.version):
        raise PermissionDenied
    return plan


def _to_plan(plan: FamilyPlan) -> HttpResponse:
    return redirect("plans:detail", family_id=plan.family_id, plan_id=plan.pk)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    context.setdefault("error_title", bool(form is not None and form.errors))
    return render(request, template, context)


@require_GET
def family_plans(request: HttpRequest, family_id: UUID) -> HttpResponse:
    found = _found(selectors.family_plans, request.user, family_id)
    page = Paginator(found.plans, PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(request.user, "family_plan", len(page.object_list))
    episode = found.open_episode
    can_start = (
        episode is not None
        and can_work_on_episode(request.user, episode)
        and not any(p.is_active and p.episode_id == episode.pk for p in page.object_list)
    )
    return _render(
        request,
        "plans/list.html",
        {"title": "Family plans", "family": found.family, "page": page, "can_start": can_start},
    )


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, family_id: UUID) -> HttpResponse:
    record = _found(family_record, request.user, family_id)
    episode = record.open_episode
    if episode is None or not can_work_on_episode(request.user, episode):
        raise PermissionDenied
    existing = selectors.active_plan(episode)
    if existing is not None:
        messages.success(request, "This episode already has a plan")
        return _to_plan(existing)
    names = {m.person_id: m.person.full_name for m in record.memberships}
    form = NewPlanForm(
        request.POST or None,
        suggestions=needs.suggested_outcomes(record.family),
        names=names,
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                actor=request.user,  # type: ignore[arg-type]
                family=record.family,
                review_interval_weeks=form.cleaned_data["review_interval_weeks"],
                outcomes=form.outcomes(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Family plan started")
            return _to_plan(plan)
    return _render(
        request,
        "plans/new.html",
        {"title": "Start a family plan", "family": record.family, "form": form},
    )


@require_GET
def detail(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    page = _found(selectors.plan_page, request.user, family_id, plan_id)
    return _render(
        request,
        "plans/detail.html",
        {
            "title": "Family plan",
            "page": page,
            "today": timezone.localdate(),
            # Directory changes to organisations this family's sharing uses (decision 0014).
            "directory_notices": directory_notices(page.plan.family_id)[:5],
        },
    )


@require_GET
def version(request: HttpRequest, family_id: UUID, version_id: UUID) -> HttpResponse:
    page = _found(selectors.version_page, request.user, family_id, version_id)
    return _render(
        request,
        "plans/version.html",
        {"title": f"Family plan, version {page.version.number}", "page": page},
    )


@require_http_methods(["GET", "POST"])
def outcome_new(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    plan, current = _editable(request, family_id, plan_id)
    form = OutcomeForm(request.POST or None, members=selectors.family_members(plan.family))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_outcome(actor=request.user, version=current, data=form.to_input())  # type: ignore[arg-type]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Outcome added")
            return _to_plan(plan)
    return _render(
        request, "plans/outcome.html", {"title": "Add an outcome", "plan": plan, "form": form}
    )


@require_http_methods(["GET", "POST"])
def outcome_edit(
    request: HttpRequest, family_id: UUID, plan_id: UUID, outcome_id: UUID
) -> HttpResponse:
    outcome = _found(selectors.get_outcome_for_user, request.user, family_id, plan_id, outcome_id)
    plan = _editable_plan_of(request, outcome)
    form = OutcomeForm(
        request.POST or None,
        initial=OutcomeForm.initial_for(outcome),
        members=selectors.family_members(plan.family),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_outcome(
                actor=request.user,  # type: ignore[arg-type]
                outcome=outcome,
                description=form.cleaned_data["description"],
                measure=form.cleaned_data["measure"],
                people=form.people_ids(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Outcome changed")
            return _to_plan(plan)
    return _render(
        request,
        "plans/outcome.html",
        {
            "title": "Change an outcome",
            "plan": plan,
            "form": form,
            "headline": needs.headline_labels().get(outcome.headline_code, ""),
        },
    )


@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    plan, current = _editable(request, family_id, plan_id)
    form = ActionForm(
        request.POST or None,
        members=selectors.family_members(plan.family),
        outcomes=selectors.version_outcomes(current),
        labels=needs.headline_labels(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_action(actor=request.user, version=current, data=form.to_input())  # type: ignore[arg-type]
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Action added")
            return _to_plan(plan)
    return _render(
        request, "plans/action.html", {"title": "Add an action", "plan": plan, "form": form}
    )


@require_http_methods(["GET", "POST"])
def action_status(
    request: HttpRequest, family_id: UUID, plan_id: UUID, action_id: UUID
) -> HttpResponse:
    action = _found(selectors.get_action_for_user, request.user, family_id, plan_id, action_id)
    plan = _editable_plan_of(request, action)
    form = ActionStatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_action_status(
                actor=request.user,  # type: ignore[arg-type]
                action=action,
                status=form.cleaned_data["status"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Action status changed")
            return _to_plan(plan)
    return _render(
        request,
        "plans/action_status.html",
        {"title": "Change an action's status", "plan": plan, "action": action, "form": form},
    )


@require_http_methods(["GET", "POST"])
def member_new(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    plan, current = _editable(request, family_id, plan_id)
    form = MemberForm(request.POST or None, members=selectors.family_members(plan.family))
    if request.method == "POST" and form.is_valid():
        person, contact = form.member_ids()
        try:
            services.add_member(
                actor=request.user,  # type: ignore[arg-type]
                version=current,
                contact=contact,
                person=person,
                role_in_plan=form.cleaned_data["role_in_plan"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "TAF member added")
            return _to_plan(plan)
    return _render(
        request,
        "plans/member.html",
        {"title": "Add a TAF member", "plan": plan, "form": form},
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    plan, current = _editable(request, family_id, plan_id)
    form = ReviewForm(
        request.POST or None,
        initial={"review_interval_weeks": plan.review_interval_weeks},
        outcomes=selectors.version_outcomes(current),
        actions=selectors.version_actions(current),
        members=selectors.family_members(plan.family),
        labels=needs.headline_labels(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_review(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                data=form.to_input(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Review recorded: the plan has a new version")
            return redirect("plans:review_detail", family_id=plan.family_id, review_id=result.pk)
    return _render(
        request,
        "plans/review.html",
        {"title": "Record a review", "plan": plan, "version": current, "form": form},
    )


@require_GET
def review_detail(request: HttpRequest, family_id: UUID, review_id: UUID) -> HttpResponse:
    item = _found(selectors.get_review_for_user, request.user, family_id, review_id)
    return _render(
        request,
        "plans/review_detail.html",
        {"title": "Plan review", "review": item, "labels": needs.headline_labels()},
    )


@require_http_methods(["GET", "POST"])
def objection(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    plan, _ = _editable(request, family_id, plan_id)
    members = selectors.family_members(plan.family)
    is_withdrawal = request.method == "POST" and "objection" in request.POST
    form = ObjectionForm(
        request.POST if request.method == "POST" and not is_withdrawal else None, members=members
    )
    if is_withdrawal:
        withdraw = WithdrawObjectionForm(request.POST)
        if not withdraw.is_valid():
            raise Http404
        item = _found(
            selectors.get_objection_for_user,
            request.user,
            family_id,
            plan_id,
            withdraw.cleaned_data["objection"],
        )
        try:
            services.withdraw_objection(actor=request.user, objection=item)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Objection withdrawn")
        return _to_plan(plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_objection(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                objected_by=UUID(form.cleaned_data["objected_by"]),
                objected_on=form.cleaned_data["objected_on"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Objection recorded: the plan will not be sent to the TAF")
            return _to_plan(plan)
    return _render(
        request,
        "plans/objection.html",
        {
            "title": "Objection to sharing the plan",
            "plan": plan,
            "form": form,
            "active": services.active_objections(plan),
        },
    )


@require_http_methods(["GET", "POST"])
def share(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    plan, _ = _editable(request, family_id, plan_id)
    refusal = services.sharing_refusal(plan)
    recipients = None if refusal else services.recipients_allowed(plan)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            result = services.share_plan_with_taf(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                contacts=form.cleaned_data["recipients"],
                confirmed_addresses=form.cleaned_data["addresses"] or None,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                f"Plan version {result.version_number} sent to {len(result.sent_to)} TAF "
                f"member(s): {', '.join(result.addresses)}",
            )
            return _to_plan(plan)
    return _render(
        request,
        "plans/share.html",
        {
            "title": "Send the plan to the TAF",
            "plan": plan,
            "form": form,
            "refusal": refusal,
            "recipients": recipients,
            "directory_notices": directory_notices(plan.family_id)[:5],
        },
    )


@require_GET
def print_plan(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    plan, printable = _found(selectors.printable_for_user, request.user, family_id, plan_id)
    return _render(
        request,
        "plans/print.html",
        {"title": "Family plan (print)", "plan": plan, "printable": printable},
    )


@require_GET
def pdf(request: HttpRequest, family_id: UUID, plan_id: UUID) -> HttpResponse:
    _, printable = _found(
        selectors.printable_for_user, request.user, family_id, plan_id, download=True
    )
    response = HttpResponse(render_plan_pdf(printable), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{printable.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def reviews_due(request: HttpRequest) -> HttpResponse:
    if not can_see_reviews_due(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    show_all = request.GET.get("show") == "all"
    due_by = None if show_all else today + timedelta(days=DUE_SOON_DAYS)
    page = Paginator(selectors.reviews_due(request.user, due_by=due_by), PER_PAGE).get_page(
        request.GET.get("page")
    )
    record_list_view(request.user, "family_plan", len(page.object_list))
    return _render(
        request,
        "plans/reviews_due.html",
        {
            "title": "Plan reviews due",
            "page": page,
            "today": today,
            "show_all": show_all,
            "due_soon_days": DUE_SOON_DAYS,
        },
    )
