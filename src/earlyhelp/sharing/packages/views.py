"""Disclosure package pages: a family's packages, building one, its preview and detail,
submit / approve / reject / release, the download, and a manager's approvals list.

The passphrase is rendered once, in the response to the release POST: never in a URL, a
message, the session or a log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import has_role
from earlyhelp.audit.services import record_list_view
from earlyhelp.casework.contacts.selectors import members_of
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import Conflict, DomainError, NotFound
from earlyhelp.core.errors import PermissionDenied as DomainPermissionDenied
from earlyhelp.sharing.models import DisclosurePackage, PackageStatus
from earlyhelp.sharing.packages import rules, selectors, services
from earlyhelp.sharing.packages.forms import ApprovalForm, PackageForm
from earlyhelp.sharing.packages.items import family_choices
from earlyhelp.sharing.permissions import can_record_sharing

PER_PAGE = 25
T = TypeVar("T")


def _found(read: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return read(*args, **kwargs)
    except NotFound:
        raise Http404 from None
    except DomainPermissionDenied:
        raise PermissionDenied from None


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    context.setdefault("error_title", bool(form is not None and form.errors))
    return render(request, template, context)


def _to_detail(package: DisclosurePackage) -> HttpResponse:
    return redirect("packages:detail", family_id=package.family_id, package_id=package.pk)


@require_GET
def family_packages(request: HttpRequest, family_id: UUID) -> HttpResponse:
    family, packages = _found(selectors.family_packages, request.user, family_id)
    page = Paginator(packages, PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(request.user, "disclosure_package", len(page.object_list))
    return _render(
        request,
        "sharing/packages/list.html",
        {
            "title": "Disclosure packages",
            "family": family,
            "page": page,
            "can_create": can_record_sharing(request.user, family),
        },
    )


def _show_error(form: PackageForm, error: DomainError) -> None:
    head = (error.field or "").split(".")[0]
    if head == "items" and form.item_fields:
        form.add_error(form.item_fields[0], error.message)
    elif head in form.fields:
        form.add_error(head, error.message)
    else:
        form.add_error(None, error.message)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, family_id: UUID) -> HttpResponse:
    family = _found(get_family_for_user, request.user, family_id, purpose="disclosure_packages")
    if not can_record_sharing(request.user, family):
        raise PermissionDenied
    form = PackageForm(
        request.POST or None,
        members=members_of(family),
        choices=family_choices(family),
        decisions=selectors.gateway_decisions(family),
    )
    if request.method == "POST" and form.is_valid():
        try:
            package = services.create_package(
                actor=request.user,  # type: ignore[arg-type]
                family=family,
                data=form.to_input(),
            )
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, "Package prepared: check the preview before sending it")
            return _to_detail(package)
    return _render(
        request,
        "sharing/packages/create.html",
        {"title": "Prepare a disclosure package", "family": family, "form": form},
    )


def _detail_context(request: HttpRequest, package: DisclosurePackage) -> dict[str, Any]:
    user = request.user
    before_release = package.released_at is None and package.status not in {
        PackageStatus.REJECTED,
        PackageStatus.REFUSED,
    }
    return {
        "title": "Disclosure package",
        "package": package,
        "family": package.family,
        "included": selectors.included_names(package),
        "preview": selectors.preview(package) if before_release else None,
        "refusal": (
            services.preview_check(package).reason
            if package.status == PackageStatus.REFUSED
            else ""
        ),
        "can_submit": rules.can_submit(user, package),
        "can_decide": rules.can_decide(user, package),
        "can_release": rules.can_release(user, package),
        "can_download": rules.is_downloadable(package) and rules.can_download(user, package),
        "approval_form": ApprovalForm() if rules.can_decide(user, package) else None,
    }


@require_GET
def detail(request: HttpRequest, family_id: UUID, package_id: UUID) -> HttpResponse:
    package = _found(
        selectors.get_package_for_user, request.user, family_id, package_id, purpose="preview"
    )
    return _render(request, "sharing/packages/detail.html", _detail_context(request, package))


@require_POST
def submit(request: HttpRequest, family_id: UUID, package_id: UUID) -> HttpResponse:
    package = _found(selectors.get_package_for_user, request.user, family_id, package_id)
    try:
        services.submit_package(actor=request.user, package=package)  # type: ignore[arg-type]
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Package sent to a team manager for approval")
    return _to_detail(package)


@require_POST
def decide(request: HttpRequest, family_id: UUID, package_id: UUID) -> HttpResponse:
    package = _found(selectors.get_package_for_user, request.user, family_id, package_id)
    if package.status != PackageStatus.AWAITING_APPROVAL:
        messages.error(request, "This package is not waiting for approval.")
        return _to_detail(package)
    if not rules.can_decide(request.user, package):
        raise PermissionDenied
    form = ApprovalForm(request.POST)
    if form.is_valid():
        actor = request.user
        try:
            if form.cleaned_data["decision"] == "approve":
                outcome = services.approve_package(
                    actor=actor,  # type: ignore[arg-type]
                    package=package,
                    note=form.cleaned_data["note"],
                )
                if outcome.done:
                    messages.success(request, "Package approved: the sender can now release it")
                else:
                    messages.error(request, f"Package refused. {outcome.check.reason}")
            else:
                services.reject_package(
                    actor=actor,  # type: ignore[arg-type]
                    package=package,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "Package not approved: the sender has been told why")
        except Conflict as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error("note" if exc.field == "note" else None, exc.message)
        else:
            return _to_detail(package)
    context = _detail_context(request, package)
    context["approval_form"] = form
    context["error_title"] = True
    return _render(request, "sharing/packages/detail.html", context)


@require_POST
def release(request: HttpRequest, family_id: UUID, package_id: UUID) -> HttpResponse:
    package = _found(selectors.get_package_for_user, request.user, family_id, package_id)
    try:
        outcome = services.release_package(actor=request.user, package=package)  # type: ignore[arg-type]
    except DomainPermissionDenied:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return _to_detail(package)
    if not outcome.done:
        messages.error(request, f"Nothing was released. {outcome.check.reason}")
        return _to_detail(package)
    # The one and only time the passphrase is shown: in this response, not stored anywhere.
    return _render(
        request,
        "sharing/packages/released.html",
        {
            "title": "Package released",
            "package": outcome.package,
            "family": outcome.package.family,
            "passphrase": outcome.passphrase,
        },
    )


@require_GET
def download(request: HttpRequest, family_id: UUID, package_id: UUID) -> HttpResponse:
    try:
        package, data = _found(selectors.package_file_for_user, request.user, family_id, package_id)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("packages:detail", family_id=family_id, package_id=package_id)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{selectors.zip_filename(package)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.TEAM_MANAGER):
        raise PermissionDenied
    page = Paginator(selectors.awaiting_my_approval(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    record_list_view(request.user, "disclosure_package", len(page.object_list))
    return _render(
        request,
        "sharing/packages/approvals.html",
        {"title": "Disclosure packages waiting for your approval", "page": page},
    )
