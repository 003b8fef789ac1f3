"""Intake search."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from earlyhelp.core.errors import DomainError
from earlyhelp.core.forms import add_domain_error
from earlyhelp.people.forms import PersonSearchForm
from earlyhelp.people.permissions import SearchScope, search_scope
from earlyhelp.people.selectors import PersonMatch, SearchCriteria, search_people


@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """Searches are POSTed so that names and NHS numbers never appear in a URL."""
    scope = search_scope(request.user)
    if scope is SearchScope.NONE:
        raise PermissionDenied
    submitted = request.method == "POST"
    form = PersonSearchForm(request.POST if submitted else None)
    results: list[PersonMatch] | None = None
    if submitted and form.is_valid():
        try:
            results = search_people(request.user, SearchCriteria(**form.cleaned_data))
        except DomainError as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "people/search.html",
        {
            "title": "Find a person",
            "form": form,
            "results": results,
            "match_only": scope is SearchScope.MATCH_ONLY,
            "error_title": bool(form.errors),
        },
    )
