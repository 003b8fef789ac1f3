"""Contacts and case notes over JSON: list, record, read, correct and delete.

Thin over ``casework.contacts.services`` and ``selectors``: the same permission checks,
validation, other-family name check, history and audit as the pages.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router
from pydantic import Field

from earlyhelp.audit.services import record_list_view
from earlyhelp.casework.contacts import selectors, services
from earlyhelp.casework.contacts.schemas import (
    AttachmentOut,
    ContactDetailOut,
    ContactIn,
    ContactOut,
    ContactPage,
    ContactVersionOut,
    CorrectionIn,
    DeletionIn,
    PersonRef,
    ProfessionalOut,
    VoiceOut,
)
from earlyhelp.casework.models import Contact, VoiceKind
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.api_schemas import (
    Error,
    InputSchema,
    ValidationErrorSchema,
    api_user,
    input_errors_at,
)
from earlyhelp.core.errors import Conflict

router = Router(tags=["contacts"])

BODY = "body.payload"
PER_PAGE = 25
PATHS = "/families/{family_id}/contacts"
ONE = PATHS + "/{contact_id}"

_WRITE_ERRORS = (
    "Errors: 401 without a valid token; 403 if you may see the family but not do this; 404 if "
    "there is no such family or note, or you may not see it (not told apart); 409 if the "
    "family has no open episode, or the text names someone from another family's record "
    "you can see (resend with `confirm_other_family_names: true` once checked; the name is "
    "never echoed); 422 naming the path of the first invalid value, e.g. "
    '`["body", "payload", "child_words", 0, "person_id"]`.'
)


class ListQuery(InputSchema):
    page: int = Field(1, ge=1, description="Page number, 25 contacts a page")
    person: UUID | None = Field(None, description="Only notes about this family member")


@contextmanager
def _errors_in_body() -> Iterator[None]:
    """Place service field names at their request path, for 422s and the 409 name check."""
    try:
        with input_errors_at(BODY):
            yield
    except Conflict as exc:
        if exc.field:
            raise Conflict(exc.message, field=f"{BODY}.{exc.field}") from None
        raise


def _input(payload: ContactIn) -> services.ContactInput:
    return services.ContactInput(
        contact_type=payload.contact_type.value,
        occurred_at=payload.occurred_at,
        note=payload.note,
        subjects=list(payload.subjects),
        present_members=list(payload.present_members),
        professionals=[
            services.ProfessionalInput(name=p.name, organisation=p.organisation, role=p.role)
            for p in payload.professionals
        ],
        child_words=[
            services.VoiceInput(person_id=v.person_id, text=v.text, recorded_as=v.recorded_as)
            for v in payload.child_words
        ],
        parent_views=[
            services.VoiceInput(person_id=v.person_id, text=v.text, recorded_as=v.recorded_as)
            for v in payload.parent_views
        ],
        next_contact_on=payload.next_contact_on,
    )


def _username(user: object) -> str | None:
    return getattr(user, "username", None) if user is not None else None


def _contact_out(contact: Contact) -> dict[str, Any]:
    voices = list(contact.voices.all())

    def voice_out(kind: VoiceKind) -> list[VoiceOut]:
        return [
            VoiceOut(
                person_id=v.person_id,
                name=v.person.full_name,
                text=v.text,
                recorded_as=v.recorded_as,
            )
            for v in voices
            if v.kind == kind
        ]

    return {
        "id": contact.pk,
        "family_id": contact.family_id,
        "episode_id": contact.episode_id,
        "contact_type": contact.contact_type,
        "contact_type_label": contact.get_contact_type_display(),
        "occurred_at": contact.occurred_at,
        "next_contact_on": contact.next_contact_on,
        "subjects": [PersonRef(id=p.pk, name=p.full_name) for p in contact.subjects.all()],
        "present_members": [
            PersonRef(id=p.pk, name=p.full_name) for p in contact.present_members.all()
        ],
        "professionals": [ProfessionalOut(**p) for p in contact.professionals],
        "note": contact.note,
        "child_words": voice_out(VoiceKind.CHILD),
        "parent_views": voice_out(VoiceKind.PARENT_CARER),
        "attachments": [
            AttachmentOut(
                id=a.pk,
                original_name=a.original_name,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                is_photo=a.is_photo,
            )
            for a in contact.attachments.all()
        ],
        "names_other_family": contact.names_other_family,
        "recorded_by": contact.recorded_by.username,
        "recorded_at": contact.recorded_at,
        "corrected_at": contact.corrected_at,
        "corrected_by": _username(contact.corrected_by),
        "correction_reason": contact.correction_reason,
        "deleted": contact.is_deleted,
        "deleted_at": contact.deleted_at,
        "deleted_by": _username(contact.deleted_by),
        "deletion_reason": contact.deletion_reason,
    }


@router.get(
    PATHS,
    response={200: ContactPage, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's contacts",
    description=(
        "The family's contacts and case notes, newest first, 25 a page (`page`), optionally "
        "only those about one family member (`person`). A page past the last gives the last. "
        "Deleted notes appear as tombstones. The read is recorded in the audit trail.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or you may not "
        "see it; 422 for a malformed id or page."
    ),
    operation_id="list_contacts",
)
def list_contacts(request: HttpRequest, family_id: UUID, query: Query[ListQuery]) -> ContactPage:
    user = api_user(request)
    _, contacts = selectors.list_contacts(user, family_id, person_id=query.person, detailed=True)
    page = Paginator(contacts, PER_PAGE).get_page(query.page)
    record_list_view(user, "contact", len(page.object_list))
    return ContactPage(
        items=[ContactOut(**_contact_out(c)) for c in page.object_list],
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
    )


@router.post(
    PATHS,
    response={
        201: ContactOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Record a contact",
    description=(
        "Record a visit, call or meeting in the family's open episode: the practitioner's "
        "note, who it is about (`subjects`, family members only), who was present, and "
        "separately each child's own words and each parent's or carer's views, marked "
        "`verbatim` or `summarised`. The lead practitioner and the allocated team's "
        "practitioners and managers may record. Attachments and photographs are added "
        "through the web form only.\n\n" + _WRITE_ERRORS
    ),
    operation_id="record_contact",
)
def record_contact(
    request: HttpRequest, family_id: UUID, payload: ContactIn
) -> tuple[int, ContactOut]:
    actor = api_user(request)
    family = get_family_for_user(actor, family_id, purpose="record_contact")
    with _errors_in_body():
        contact = services.record_contact(
            actor=actor,
            family=family,
            data=_input(payload),
            confirm_other_family_names=payload.confirm_other_family_names,
        )
    return 201, ContactOut(**_contact_out(contact))


@router.get(
    ONE,
    response={200: ContactDetailOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a contact",
    description=(
        "One contact with its earlier versions (each with who saved it, when, and the "
        "reason for the correction). A deleted note is a tombstone: its type, date and who "
        "deleted it and why, with no text and no earlier versions. The read is audited.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or note, or you "
        "may not see it; 422 if an id is not a UUID."
    ),
    operation_id="get_contact",
)
def get_contact(request: HttpRequest, family_id: UUID, contact_id: UUID) -> ContactDetailOut:
    contact = selectors.get_contact_for_user(api_user(request), family_id, contact_id)
    versions = [
        ContactVersionOut(
            number=v.number,
            saved_at=v.saved_at,
            saved_by=_username(v.saved_by),
            reason=v.reason,
            contact_type=v.contact_type,
            occurred_at=v.occurred_at,
            note=v.note,
            subjects=v.subjects,
            present_members=v.present,
            professionals=[ProfessionalOut(**p) for p in v.professionals],
            child_words=[
                VoiceOut(
                    person_id=w.person_id,
                    name=w.person_name,
                    text=w.text,
                    recorded_as=w.recorded_as,
                )
                for w in v.child_words
            ],
            parent_views=[
                VoiceOut(
                    person_id=w.person_id,
                    name=w.person_name,
                    text=w.text,
                    recorded_as=w.recorded_as,
                )
                for w in v.parent_views
            ],
        )
        for v in selectors.earlier_versions(contact)
    ]
    return ContactDetailOut(**_contact_out(contact), earlier_versions=versions)


@router.post(
    ONE + "/corrections",
    response={
        200: ContactOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Correct a contact",
    description=(
        "Replace the note with its corrected version (the whole note, as for recording) and "
        "say why in `reason`. The earlier version stays in the note's history and the note "
        "shows who corrected it and when. The note's author or a manager of the team may "
        "correct it; a deleted note cannot be (409). A correction that changes nothing is "
        "refused (422).\n\n" + _WRITE_ERRORS
    ),
    operation_id="correct_contact",
)
def correct_contact(
    request: HttpRequest, family_id: UUID, contact_id: UUID, payload: CorrectionIn
) -> ContactOut:
    actor = api_user(request)
    contact = selectors.get_contact_for_user(
        actor, family_id, contact_id, purpose="correct_contact"
    )
    with _errors_in_body():
        contact = services.correct_contact(
            actor=actor,
            contact=contact,
            data=_input(payload),
            reason=payload.reason,
            confirm_other_family_names=payload.confirm_other_family_names,
        )
    return ContactOut(**_contact_out(contact))


@router.post(
    ONE + "/deletion",
    response={
        200: ContactOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Delete a contact",
    description=(
        "Cut the note down to a tombstone: its type and date stay, with who deleted it, when "
        "and why (`reason`, in the body so it stays out of URLs and logs); its text, the "
        "family's words, who was there and its attachments are removed, from every earlier "
        "version in its history too (which keeps only who saved each, and when). Only a "
        "manager of the team holding the episode may delete.\n\n"
        "Errors: 401 without a valid token; 403 if you are not a manager of that team; 404 "
        "if there is no such family or note, or you may not see it; 409 if it is already "
        "deleted; 422 without a reason."
    ),
    operation_id="delete_contact",
)
def delete_contact(
    request: HttpRequest, family_id: UUID, contact_id: UUID, payload: DeletionIn
) -> ContactOut:
    actor = api_user(request)
    contact = selectors.get_contact_for_user(actor, family_id, contact_id, purpose="delete_contact")
    with _errors_in_body():
        contact = services.delete_contact(actor=actor, contact=contact, reason=payload.reason)
    return ContactOut(**_contact_out(contact))
