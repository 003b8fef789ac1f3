"""The partner directory over JSON: thin over ``partners.services`` and ``partners.selectors``."""

from dataclasses import replace
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router

from earlyhelp.core.api_pages import page_or_empty
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.partners import selectors, services
from earlyhelp.partners.models import (
    DirectoryChange,
    Organisation,
    OrganisationKind,
    PartnerContact,
)
from earlyhelp.partners.schemas import (
    DirectoryChangeOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    OrganisationSummaryOut,
    PartnerContactIn,
    PartnerContactOut,
    PartnerContactPatch,
    PartnerDirectoryQuery,
)

router = Router(tags=["partners"])

BODY = "body.payload"
READERS = (
    "Practitioners, team managers, duty workers, the DPO and administrators may read the "
    "directory; administrators and team managers may change it. Reads and changes are "
    "recorded in the audit trail."
)


def _contact_out(contact: PartnerContact) -> PartnerContactOut:
    return PartnerContactOut(
        id=contact.pk,
        name=contact.name,
        job_title=contact.job_title,
        email=contact.email,
        phone=contact.phone,
        active=contact.active,
    )


def _organisation_out(organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=organisation.pk,
        name=organisation.name,
        kind=OrganisationKind(organisation.kind),
        urn=organisation.urn,
        ods_code=organisation.ods_code,
        email=organisation.email,
        phone=organisation.phone,
        active=organisation.active,
        contacts=[_contact_out(c) for c in organisation.contacts.all()],
    )


AWAITING = (
    "Saved, except the change of {fields}: it is awaiting a second person. It changes where "
    "information shared with this organisation goes, so another directory editor must "
    "approve it; the lead practitioners of the families affected are told when it applies."
)
FOUR_EYES = (
    "A change of an organisation's `kind` or `email`, or of a contact's `email`, for an "
    "organisation that a family's agreement to share or a Team Around the Family uses, is not "
    "applied at once: the answer is 202 with the change awaiting a second person (the other "
    "fields sent are applied). Another administrator or team manager approves it at "
    "`POST /partners/changes/{change_id}/approve`."
)


def _change_out(change: DirectoryChange) -> DirectoryChangeOut:
    return DirectoryChangeOut(
        id=change.pk,
        organisation=change.organisation_id,
        contact=change.contact_id,
        status=change.status,
        previous={k: str(v) for k, v in change.previous.items()},
        proposed={k: str(v) for k, v in change.proposed.items()},
        message=AWAITING.format(fields=" and ".join(change.fields))
        if change.is_pending
        else f"The change is {change.status}.",
    )


def _fresh(request: HttpRequest, organisation_id: UUID) -> OrganisationOut:
    return _organisation_out(
        selectors.get_organisation_for_user(api_user(request), organisation_id)
    )


@router.get(
    "/partners",
    response={200: OrganisationPage, 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="List partner organisations",
    description=(
        "Organisations in the partner directory, by name, 25 a page, with their count of "
        "active contacts. Filter by `kind` and by words in the `name`; deactivated "
        f"organisations only with `include_inactive`. {READERS}\n\n"
        "Errors: 401 without a valid token; 403 if your role has no access to the "
        "directory; 422 for an unknown kind or a page number below 1."
    ),
    operation_id="list_partner_organisations",
)
def list_organisations(
    request: HttpRequest, filters: Query[PartnerDirectoryQuery]
) -> OrganisationPage:
    user = api_user(request)
    organisations = selectors.directory(
        user,
        kind=filters.kind.value if filters.kind else "",
        name=filters.name,
        include_inactive=filters.include_inactive,
    )
    paginator, items = page_or_empty(organisations, filters.page)
    selectors.audit_directory_view(user, len(items))
    return OrganisationPage(
        count=paginator.count,
        page=filters.page,
        pages=paginator.num_pages,
        items=[
            OrganisationSummaryOut(
                id=o.pk,
                name=o.name,
                kind=o.kind,
                urn=o.urn,
                ods_code=o.ods_code,
                active=o.active,
                contact_count=o.contact_count,
            )
            for o in items
        ],
    )


@router.post(
    "/partners",
    response={201: OrganisationOut, 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="Add a partner organisation",
    description=(
        "A school needs its 6-digit `urn`, which must not already be in the directory; a GP "
        "practice's `ods_code`, when given, is a letter then 5 digits (e.g. `A81001`). "
        f"{READERS}\n\n"
        "Errors: 401 without a valid token; 403 unless you are an administrator or team "
        'manager; 422 naming the invalid field, e.g. `["body", "payload", "urn"]`.'
    ),
    operation_id="create_partner_organisation",
)
def create_organisation(
    request: HttpRequest, payload: OrganisationIn
) -> tuple[int, OrganisationOut]:
    data = services.OrganisationInput(**payload.dict())
    with input_errors_at(BODY):
        organisation = services.create_organisation(actor=api_user(request), data=data)
    return 201, _fresh(request, organisation.pk)


# Before "/partners/{organisation_id}", which would otherwise take "changes" for an id.
@router.get(
    "/partners/changes",
    response={200: list[DirectoryChangeOut], 401: Error, 403: Error},
    summary="List directory changes awaiting a second person",
    description=(
        "Changes of where shared information goes, proposed and not yet approved or "
        "rejected, newest first.\n\n"
        "Errors: 401 without a valid token; 403 unless you are an administrator or team "
        "manager."
    ),
    operation_id="list_directory_changes",
)
def list_changes(request: HttpRequest) -> list[DirectoryChangeOut]:
    return [_change_out(c) for c in selectors.pending_changes(api_user(request))]


@router.get(
    "/partners/{organisation_id}",
    response={200: OrganisationOut, 401: Error, 403: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a partner organisation",
    description=(
        f"The organisation and all its contacts, active ones first. {READERS}\n\n"
        "Errors: 401 without a valid token; 403 if your role has no access to the "
        "directory; 404 if there is no such organisation; 422 if the id is not a UUID."
    ),
    operation_id="get_partner_organisation",
)
def get_organisation(request: HttpRequest, organisation_id: UUID) -> OrganisationOut:
    return _fresh(request, organisation_id)


@router.patch(
    "/partners/{organisation_id}",
    response={
        200: OrganisationOut,
        202: DirectoryChangeOut,
        401: Error,
        403: Error,
        404: Error,
        422: ValidationErrorSchema,
    },
    summary="Change a partner organisation",
    description=(
        "Send only the fields to change. Organisations are never deleted (plans name them): "
        f"send `active: false` to deactivate one. {FOUR_EYES} {READERS}\n\n"
        "Errors: 401 without a valid token; 403 unless you are an administrator or team "
        "manager; 404 if there is no such organisation; 422 naming the invalid field."
    ),
    operation_id="update_partner_organisation",
)
def update_organisation(
    request: HttpRequest, organisation_id: UUID, payload: OrganisationPatch
) -> OrganisationOut | tuple[int, DirectoryChangeOut]:
    actor = api_user(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    current = services.OrganisationInput(
        **{f: getattr(organisation, f) for f in services.ORGANISATION_FIELDS}
    )
    data = replace(current, **payload.dict(exclude_none=True))
    with input_errors_at(BODY):
        edit = services.edit_organisation(actor=actor, organisation=organisation, data=data)
    if edit.pending is not None:
        return 202, _change_out(edit.pending)
    return _fresh(request, organisation.pk)


@router.post(
    "/partners/{organisation_id}/contacts",
    response={
        201: PartnerContactOut,
        401: Error,
        403: Error,
        404: Error,
        422: ValidationErrorSchema,
    },
    summary="Add a contact to a partner organisation",
    description=(
        "A professional at the organisation, with their work email and phone. "
        f"{READERS}\n\n"
        "Errors: 401 without a valid token; 403 unless you are an administrator or team "
        "manager; 404 if there is no such organisation; 422 naming the invalid field."
    ),
    operation_id="create_partner_contact",
)
def add_contact(
    request: HttpRequest, organisation_id: UUID, payload: PartnerContactIn
) -> tuple[int, PartnerContactOut]:
    actor = api_user(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    with input_errors_at(BODY):
        contact = services.add_contact(
            actor=actor, organisation=organisation, data=services.ContactInput(**payload.dict())
        )
    return 201, _contact_out(contact)


@router.patch(
    "/partners/{organisation_id}/contacts/{contact_id}",
    response={
        200: PartnerContactOut,
        202: DirectoryChangeOut,
        401: Error,
        403: Error,
        404: Error,
        422: ValidationErrorSchema,
    },
    summary="Change a partner contact",
    description=(
        "Send only the fields to change; `active: false` deactivates a contact who has left "
        f"the role (plans that name them keep them). {FOUR_EYES} {READERS}\n\n"
        "Errors: 401 without a valid token; 403 unless you are an administrator or team "
        "manager; 404 if there is no such contact at that organisation; 422 naming the "
        "invalid field."
    ),
    operation_id="update_partner_contact",
)
def update_contact(
    request: HttpRequest, organisation_id: UUID, contact_id: UUID, payload: PartnerContactPatch
) -> PartnerContactOut | tuple[int, DirectoryChangeOut]:
    actor = api_user(request)
    contact = selectors.get_contact_for_user(actor, organisation_id, contact_id)
    current = services.ContactInput(**{f: getattr(contact, f) for f in services.CONTACT_FIELDS})
    data = replace(current, **payload.dict(exclude_none=True))
    with input_errors_at(BODY):
        edit = services.edit_contact(actor=actor, contact=contact, data=data)
    if edit.pending is not None:
        return 202, _change_out(edit.pending)
    return _contact_out(edit.obj)


@router.post(
    "/partners/changes/{change_id}/approve",
    response={
        200: DirectoryChangeOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Approve a directory change (a second person)",
    description=(
        "Applies the change. Only an administrator or team manager who did not propose it "
        "may approve it; the lead practitioners of the families whose agreements or TAF use "
        "the organisation are told.\n\n"
        "Errors: 401 without a valid token; 403 if you proposed it or may not change the "
        "directory; 404 if there is no such change; 409 if it was already decided or the "
        "details changed since it was proposed; 422 if the id is not a UUID."
    ),
    operation_id="approve_directory_change",
)
def approve_change(request: HttpRequest, change_id: UUID) -> DirectoryChangeOut:
    actor = api_user(request)
    return _change_out(services.approve_directory_change(actor=actor, change_id=change_id))


@router.post(
    "/partners/changes/{change_id}/reject",
    response={
        200: DirectoryChangeOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Reject a directory change",
    description=(
        "Drops the change; nothing is applied. Any administrator or team manager may, "
        "including the one who proposed it.\n\n"
        "Errors: 401 without a valid token; 403 unless you may change the directory; 404 if "
        "there is no such change; 409 if it was already decided; 422 if the id is not a UUID."
    ),
    operation_id="reject_directory_change",
)
def reject_change(request: HttpRequest, change_id: UUID) -> DirectoryChangeOut:
    actor = api_user(request)
    return _change_out(services.reject_directory_change(actor=actor, change_id=change_id))
