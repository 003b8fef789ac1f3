"""The public privacy notice, its versions (DPO), and the register of personal data."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.accounts.permissions import can_manage_privacy_notice, can_view_data_map
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.datamap import selectors
from earlyhelp.datamap.forms import PublishNoticeForm
from earlyhelp.datamap.models import PrivacyNotice
from earlyhelp.datamap.services import publish_notice

HEADING_PREFIX = "## "


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" or "paragraph"
    text: str


def notice_blocks(body: str) -> list[Block]:
    """Split the notice's plain text into headings and paragraphs.

    Lines starting "## " are headings; runs of other lines are paragraphs, ended by a blank
    line or a heading. The text stays text: the template escapes it, so no HTML gets through.
    """
    blocks: list[Block] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(Block("paragraph", " ".join(lines)))
            lines.clear()

    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif raw.startswith(HEADING_PREFIX) and raw[len(HEADING_PREFIX) :].strip():
            flush()
            blocks.append(Block("heading", raw[len(HEADING_PREFIX) :].strip()))
        else:
            lines.append(line)
    flush()
    return blocks


def _render_notice(
    request: HttpRequest, notice: PrivacyNotice, current: PrivacyNotice
) -> HttpResponse:
    return render(
        request,
        "datamap/privacy_notice.html",
        {
            "title": notice.title
            if notice.pk == current.pk
            else f"{notice.title} (version {notice.version})",
            "notice": notice,
            "current": current,
            "is_current": notice.pk == current.pk,
            "blocks": notice_blocks(notice.body),
            # Every other version stays readable, so a family can re-read the one they saw.
            "others": [v for v in selectors.notice_versions() if v.pk != notice.pk],
        },
    )


@login_not_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    try:
        notice = selectors.current_notice()
    except NotFound:
        raise Http404 from None
    return _render_notice(request, notice, notice)


@login_not_required
@require_GET
def privacy_notice_version(request: HttpRequest, version: int) -> HttpResponse:
    try:
        notice = selectors.notice_version(version)
        current = selectors.current_notice()
    except NotFound:
        raise Http404 from None
    return _render_notice(request, notice, current)


@require_http_methods(["GET", "POST"])
def notice_versions(request: HttpRequest) -> HttpResponse:
    # 403 rather than 404: that the DPO manages the notice here is no secret.
    if not can_manage_privacy_notice(request.user):
        raise PermissionDenied
    form = PublishNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = publish_notice(
                actor=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"Version {notice.version} of the privacy notice published")
            return redirect("datamap:notice_versions")
    return render(
        request,
        "datamap/notice_versions.html",
        {
            "title": "Privacy notice versions",
            "versions": list(selectors.notice_versions()),
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    if not can_view_data_map(request.user):
        raise PermissionDenied
    return render(
        request,
        "datamap/register.html",
        {
            "title": "Register of personal data",
            "register": selectors.data_register(),
            "defined_by": selectors.defined_by,
        },
    )
