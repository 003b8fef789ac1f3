"""Duty desk: record a referral, the triage queue, a referral and its decision."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.services import record_list_view
from earlyhelp.core import codelists, files
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.people.selectors import SearchCriteria, search_people
from earlyhelp.referrals.forms import (
    ReferralPersonForm,
    StaffReferralForm,
    TriageForm,
    person_forms,
)
from earlyhelp.referrals.models import Referral, Status
from earlyhelp.referrals.permissions import can_record_referral, can_triage
from earlyhelp.referrals.selectors import (
    get_attachment_for_user,
    get_referral_for_user,
    referral_queue,
)
from earlyhelp.referrals.services import Decision, create_referral, record_decision

PER_PAGE = 25


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not can_triage(request.user):
        raise PermissionDenied
    status = Status.DECIDED if request.GET.get("show") == "decided" else Status.AWAITING_TRIAGE
    page = Paginator(referral_queue(request.user, status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    record_list_view(request.user, "referral", len(page.object_list))
    return render(
        request,
        "referrals/queue.html",
        {"title": "Referrals", "page": page, "status": status, "Status": Status},
    )


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if not can_record_referral(request.user):
        raise PermissionDenied
    form = StaffReferralForm(request.POST or None, request.FILES or None)
    people = person_forms(request.POST or None)
    people_error = None
    if request.method == "POST":
        forms_valid = form.is_valid() & all([p.is_valid() for p in people])
        named = [p for p in people if p.is_valid() and not p.is_blank]
        if forms_valid and not named:
            people_error = "Enter at least one person the referral is about"
        elif forms_valid:
            uploads = request.FILES.getlist("attachments")
            try:
                referral = create_referral(
                    actor=request.user,  # type: ignore[arg-type]
                    data=form.to_input([p.to_input() for p in named]),
                    attachments=list(uploads),
                    attachment_names=[u.name or "attachment" for u in uploads],
                )
            except DomainError as exc:
                _show_error(form, people, exc)
            else:
                messages.success(request, f"Referral {referral.reference} recorded")
                return redirect("referrals:detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/new.html",
        {
            "title": "Record a referral",
            "form": form,
            "people": people,
            "people_error": people_error,
            "error_title": bool(form.errors or people_error or any(p.errors for p in people)),
        },
    )


def _show_error(
    form: StaffReferralForm, people: list[ReferralPersonForm], exc: DomainError
) -> None:
    parts = (exc.field or "").split(".")
    if parts[0] == "people" and len(parts) == 3 and parts[1].isdigit():
        named = [p for p in people if not p.is_blank]
        target = named[int(parts[1])]
        target.add_error(parts[2] if parts[2] in target.fields else None, exc.message)
    else:
        add_domain_error(form, exc)


def _candidates(user, referral: Referral) -> dict[int, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    """Existing records that may be the same people: a suggestion a person decides on."""
    choices: dict[int, list[tuple[str, str]]] = {}
    for named in referral.people.all():
        criteria = SearchCriteria(
            name=f"{named.first_name} {named.last_name}".strip(), date_of_birth=named.date_of_birth
        )
        matches = search_people(user, criteria) if not criteria.is_empty else []
        choices[named.pk] = [
            (
                str(m.person_id),
                f"{m.name}, born {m.year_of_birth or 'year not known'}, "
                f"{m.current_team or 'no open episode'}",
            )
            for m in matches
        ]
    return choices


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    try:
        referral = get_referral_for_user(request.user, referral_id)
    except NotFound:
        raise Http404 from None
    triage_form = None
    if referral.status == Status.AWAITING_TRIAGE and can_triage(request.user):
        triage_form = TriageForm(
            request.POST or None, link_choices=_candidates(request.user, referral)
        )
        if request.method == "POST" and triage_form.is_valid():
            decision = Decision(
                outcome=triage_form.cleaned_data["outcome"],
                team_slug=triage_form.cleaned_data["team"] or None,
                lead_practitioner=triage_form.cleaned_data["lead_practitioner"] or None,
                signposted_to=triage_form.cleaned_data["signposted_to"],
                links={k: UUID(v) for k, v in triage_form.links().items()},
            )
            try:
                result = record_decision(actor=request.user, referral=referral, decision=decision)  # type: ignore[arg-type]
            except DomainError as exc:
                add_domain_error(triage_form, exc)
            else:
                messages.success(
                    request, f"Decision recorded: {result.referral.get_outcome_display()}"
                )
                return redirect("referrals:detail", referral_id=referral.pk)
    elif request.method == "POST":
        raise PermissionDenied
    people = list(referral.people.all())
    return render(
        request,
        "referrals/detail.html",
        {
            "title": f"Referral {referral.reference}",
            "referral": referral,
            "people": people,
            "attachments": list(referral.attachments.all()),
            "reason_labels": codelists.labels("referral_reasons"),
            "source_labels": codelists.labels("referral_sources"),
            "triage_form": triage_form,
            "error_title": bool(triage_form and triage_form.errors),
        },
    )


@require_GET
def attachment(request: HttpRequest, referral_id: UUID, attachment_id: UUID) -> FileResponse:
    try:
        item = get_attachment_for_user(request.user, referral_id, attachment_id)
        content = files.open_stored(item.stored_name)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        content,
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
