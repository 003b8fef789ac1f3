"""Programme pages inside a family: enrol members, an enrolment, observations."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import DomainError
from earlyhelp.core.forms import add_domain_error
from earlyhelp.core.ids import parse_id
from earlyhelp.programmes import selectors, services
from earlyhelp.programmes.forms import (
    EnrolForm,
    ObservationFilterForm,
    ObservationForm,
    ObservationKindForm,
)
from earlyhelp.programmes.models import ObservationKind
from earlyhelp.programmes.observations import (
    ObservationInput,
    observation_value,
    record_observation,
)
from earlyhelp.programmes.permissions import can_end_enrolment, can_view_programmes
from earlyhelp.programmes.views import PER_PAGE, gate


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, family_id: UUID) -> HttpResponse:
    family = gate(lambda: get_family_for_user(request.user, family_id))
    memberships = selectors.family_members(family)
    programmes = (
        list(selectors.open_programmes(request.user)) if can_view_programmes(request.user) else []
    )
    form = EnrolForm(request.POST or None, programmes=programmes, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = {str(p.pk): p for p in programmes}[d["programme"]]
        people = [m.person for m in memberships if str(m.person_id) in d["people"]]
        try:
            services.enrol(
                actor=request.user,  # type: ignore[arg-type]
                family=family,
                programme=chosen,
                people=people,
                enrolled_on=d["enrolled_on"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Enrolled on {chosen.name}")
            return redirect("casework:family", family_id=family.pk)
    return render(
        request,
        "programmes/enrol.html",
        {
            "title": "Enrol on a programme",
            "family": family,
            "form": form,
            "has_programmes": bool(programmes),
            "error_title": bool(form.errors),
        },
    )


@require_GET
def enrolment(request: HttpRequest, family_id: UUID, enrolment_id: UUID) -> HttpResponse:
    item = gate(lambda: selectors.get_enrolment_for_user(request.user, family_id, enrolment_id))
    return render(
        request,
        "programmes/enrolment.html",
        {
            "title": f"Enrolment on {item.programme.name}",
            "enrolment": item,
            "family": item.family,
            "attendance": list(item.attendance.all()),
            "can_end": item.status == "enrolled" and can_end_enrolment(request.user, item),
        },
    )


@require_GET
def observations(request: HttpRequest, family_id: UUID) -> HttpResponse:
    person_id = _uuid_or_none(request.GET.get("person", ""))
    family, found = gate(
        lambda: selectors.family_observations(request.user, family_id, person_id=person_id)
    )
    filters = ObservationFilterForm(request.GET, memberships=selectors.family_members(family))
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    selectors.audit_observation_list(request.user, family, len(page.object_list))
    return render(
        request,
        "programmes/observations.html",
        {
            "title": "Observations",
            "family": family,
            "page": page,
            "filters": filters,
            "query": f"person={person_id}&" if person_id else "",
            "value_of": observation_value,
        },
    )


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def observation_new(request: HttpRequest, family_id: UUID) -> HttpResponse:
    family = gate(lambda: get_family_for_user(request.user, family_id))
    kind = request.GET.get("kind", "")
    if kind not in ObservationKind.values:
        # Step one: what is being recorded. The kind is a code, safe in the query string.
        kind_form = ObservationKindForm(request.GET if "kind" in request.GET else None)
        kind_form.is_valid()
        return render(
            request,
            "programmes/observation_kind.html",
            {
                "title": "Record an observation",
                "family": family,
                "form": kind_form,
                "error_title": bool(kind_form.errors),
            },
        )
    memberships = selectors.family_members(family)
    form = ObservationForm(request.POST or None, kind=kind, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = ObservationInput(
            person_id=parse_id(d["person"]),
            kind=kind,
            observed_on=d["observed_on"],
            outcome=d.get("outcome", ""),
            attendance_percent=d.get("attendance_percent"),
            period_start=d.get("period_start"),
            period_end=d.get("period_end"),
            exclusion_type=d.get("exclusion_type", ""),
            exclusion_days=d.get("exclusion_days"),
            sen_status=d.get("sen_status", ""),
            note=d["note"],
        )
        try:
            observation = record_observation(
                actor=request.user,  # type: ignore[arg-type]
                family=family,
                data=data,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Observation recorded")
            return redirect(
                "programmes:observation", family_id=family.pk, observation_id=observation.pk
            )
    return render(
        request,
        "programmes/observation_form.html",
        {
            "title": f"Record: {ObservationKind(kind).label}",
            "family": family,
            "form": form,
            "kind": ObservationKind(kind),
            "error_title": bool(form.errors),
        },
    )


@require_GET
def observation(request: HttpRequest, family_id: UUID, observation_id: UUID) -> HttpResponse:
    item = gate(lambda: selectors.get_observation_for_user(request.user, family_id, observation_id))
    return render(
        request,
        "programmes/observation.html",
        {
            "title": item.get_kind_display(),
            "observation": item,
            "family": item.family,
            "value_of": observation_value,
        },
    )
