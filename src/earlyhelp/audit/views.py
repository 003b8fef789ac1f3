"""Who has accessed a family: the lookup by reference and the paginated access log."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.forms import AccessLookupForm
from earlyhelp.audit.selectors import family_access_log, family_for_access_review, may_review_access
from earlyhelp.core.errors import NotFound


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
