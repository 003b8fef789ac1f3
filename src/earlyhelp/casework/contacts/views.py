"""Pages for a family's contacts: the list, recording, a note, correcting and deleting it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.services import record_list_view
from earlyhelp.casework.contacts.forms import (
    ContactForm,
    CorrectionForm,
    DeleteContactForm,
    initial_from,
)
from earlyhelp.casework.contacts.permissions import (
    can_correct_contact,
    can_delete_contact,
    can_record_contact,
)
from earlyhelp.casework.contacts.selectors import (
    earlier_versions,
    get_attachment_for_user,
    get_contact_for_user,
    list_contacts,
    members_of,
    open_episode,
)
from earlyhelp.casework.contacts.services import (
    CONFIRM_FIELD,
    correct_contact,
    delete_contact,
    other_family_names,
    record_contact,
)
from earlyhelp.casework.models import Contact, ContactType, RecordedAs, VoiceKind
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core import files
from earlyhelp.core.errors import DomainError, NotFound
from earlyhelp.core.forms import add_domain_error
from earlyhelp.core.idempotency import OncePerForm
from earlyhelp.people.models import Family

PER_PAGE = 25


def _person_filter(request: HttpRequest) -> UUID | None:
    try:
        return UUID(request.GET.get("person", ""))
    except ValueError:
        return None


@require_GET
def contact_list(request: HttpRequest, family_id: UUID) -> HttpResponse:
    person_id = _person_filter(request)
    try:
        family, contacts = list_contacts(request.user, family_id, person_id=person_id)
    except NotFound:
        raise Http404 from None
    members = members_of(family)
    page = Paginator(contacts, PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(request.user, "contact", len(page.object_list))
    return render(
        request,
        "casework/contacts/list.html",
        {
            "title": f"Contacts and case notes, family {family.reference}",
            "family": family,
            "members": members,
            "person_id": person_id,
            "page": page,
            "can_record": can_record_contact(request.user, open_episode(family)),
            "ContactType": ContactType,
        },
    )


def _form_page(
    request: HttpRequest,
    *,
    family: Family,
    form: ContactForm,
    other_names: list[str],
    contact: Contact | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "casework/contacts/form.html",
        {
            "title": "Correct a case note" if contact else "Record a contact",
            "family": family,
            "contact": contact,
            "form": form,
            "other_names": other_names,
            "files_dropped": bool(request.FILES) and bool(form.errors),
            "error_title": bool(form.errors),
        },
        status=status,
    )


def _uploads(request: HttpRequest) -> dict[str, Any]:
    uploads = request.FILES.getlist("attachments")
    return {
        "attachments": list(uploads),
        "attachment_names": [u.name or "attachment" for u in uploads],
    }


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, family_id: UUID) -> HttpResponse:
    try:
        family = get_family_for_user(request.user, family_id, purpose="record_contact")
    except NotFound:
        raise Http404 from None
    episode = open_episode(family)
    if episode is None:
        return render(
            request,
            "casework/contacts/no_open_episode.html",
            {"title": "No open episode", "family": family},
            status=409,
        )
    if not can_record_contact(request.user, episode):
        raise PermissionDenied
    members = members_of(family)
    form = ContactForm(request.POST or None, request.FILES or None, members=members)
    other_names: list[str] = []
    if request.method == "POST" and form.is_valid():
        once = OncePerForm(request, "contacts:new", form.cleaned_data["form_token"])
        earlier = once.claim()
        if earlier is not None and earlier.finished:
            messages.info(request, "This note was already saved: it was not saved again.")
            return redirect(earlier.location)
        if earlier is not None:
            form.add_error(None, "This note is still being saved. Wait, then check the notes.")
            return _form_page(request, family=family, form=form, other_names=[], status=409)
        try:
            contact = record_contact(
                actor=request.user,  # type: ignore[arg-type]
                family=family,
                data=form.to_input(),
                confirm_other_family_names=form.cleaned_data[CONFIRM_FIELD],
                **_uploads(request),
            )
        except DomainError as exc:
            once.release()
            form.show_error(exc)
            if exc.field == CONFIRM_FIELD:
                other_names = other_family_names(request.user, family, form.texts())  # type: ignore[arg-type]
        except BaseException:
            once.release()
            raise
        else:
            location = reverse("contacts:detail", args=[family.pk, contact.pk])
            once.finish(location)
            messages.success(request, f"{contact.get_contact_type_display()} recorded")
            return redirect(location)
    return _form_page(request, family=family, form=form, other_names=other_names)


def _contact(request: HttpRequest, family_id: UUID, contact_id: UUID, purpose: str = "") -> Contact:
    try:
        return get_contact_for_user(request.user, family_id, contact_id, purpose=purpose)
    except NotFound:
        raise Http404 from None


@require_GET
def detail(request: HttpRequest, family_id: UUID, contact_id: UUID) -> HttpResponse:
    contact = _contact(request, family_id, contact_id)
    voices = list(contact.voices.all())
    return render(
        request,
        "casework/contacts/detail.html",
        {
            "title": f"{contact.get_contact_type_display()}, family {contact.family.reference}",
            "contact": contact,
            "family": contact.family,
            "child_words": [v for v in voices if v.kind == VoiceKind.CHILD],
            "parent_views": [v for v in voices if v.kind == VoiceKind.PARENT_CARER],
            "versions": earlier_versions(contact),
            "can_correct": can_correct_contact(request.user, contact),
            "can_delete": can_delete_contact(request.user, contact),
            "ContactType": ContactType,
            "RecordedAs": RecordedAs,
        },
    )


@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, family_id: UUID, contact_id: UUID) -> HttpResponse:
    contact = _contact(request, family_id, contact_id, purpose="correct_contact")
    if not can_correct_contact(request.user, contact):
        raise PermissionDenied
    family = contact.family
    form = CorrectionForm(
        request.POST or None,
        request.FILES or None,
        members=members_of(family),
        initial=initial_from(contact),
    )
    other_names: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            correct_contact(
                actor=request.user,  # type: ignore[arg-type]
                contact=contact,
                data=form.to_input(),
                reason=form.cleaned_data["reason"],
                confirm_other_family_names=form.cleaned_data[CONFIRM_FIELD],
                **_uploads(request),
            )
        except DomainError as exc:
            form.show_error(exc)
            if exc.field == CONFIRM_FIELD:
                other_names = other_family_names(request.user, family, form.texts())  # type: ignore[arg-type]
        else:
            messages.success(request, "Note corrected. The earlier version is kept in its history.")
            return redirect("contacts:detail", family_id=family.pk, contact_id=contact.pk)
    return _form_page(request, family=family, form=form, other_names=other_names, contact=contact)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, family_id: UUID, contact_id: UUID) -> HttpResponse:
    contact = _contact(request, family_id, contact_id, purpose="delete_contact")
    if not can_delete_contact(request.user, contact):
        raise PermissionDenied
    form = DeleteContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delete_contact(
                actor=request.user,  # type: ignore[arg-type]
                contact=contact,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Note deleted")
            return redirect("contacts:detail", family_id=contact.family_id, contact_id=contact.pk)
    return render(
        request,
        "casework/contacts/delete.html",
        {
            "title": "Delete this note",
            "contact": contact,
            "family": contact.family,
            "form": form,
            "error_title": bool(form.errors),
        },
    )


@require_GET
def attachment(
    request: HttpRequest, family_id: UUID, contact_id: UUID, attachment_id: UUID
) -> FileResponse:
    try:
        item = get_attachment_for_user(request.user, family_id, contact_id, attachment_id)
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
