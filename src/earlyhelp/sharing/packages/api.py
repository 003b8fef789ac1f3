"""Disclosure packages over JSON: thin over ``sharing.packages.services`` and ``selectors``.

The same rules as the pages: the creator builds, submits and releases; a team manager of the
family's team who is not the creator approves or rejects; both approval and release run the
sharing check. The release response carries the passphrase, once.
"""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router

from earlyhelp.audit.services import record_list_view
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.core.errors import Conflict
from earlyhelp.sharing.models import DisclosurePackage, PackageStatus
from earlyhelp.sharing.packages import selectors, services
from earlyhelp.sharing.packages.items import refs_of
from earlyhelp.sharing.packages.schemas import (
    CheckOut,
    ItemIn,
    NoteIn,
    PackageIn,
    PackageOut,
    ReleaseOut,
)

router = Router(tags=["disclosure packages"])

BODY = "body.payload"
PACKAGES = "/families/{family_id}/disclosure-packages"
PACKAGE = PACKAGES + "/{package_id}"
ACTION = {
    200: PackageOut,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: ValidationErrorSchema,
}
NOT_FOUND = "404 if there is no such family or package or you may not see it"


def _out(package: DisclosurePackage, *, with_check: bool = False) -> PackageOut:
    check = None
    if with_check and package.released_at is None:
        verdict = services.preview_check(package)
        check = CheckOut(verdict=verdict.verdict.value, reason=verdict.reason)
    return PackageOut(
        id=package.pk,
        family_id=package.family_id,
        status=PackageStatus(package.status),
        recipient_organisation_id=package.recipient_organisation_id,
        recipient_contact_id=package.recipient_contact_id,
        purpose=package.purpose,
        items=[ItemIn(type=ref.type, id=ref.id) for ref in refs_of(package.items)],
        people=services.people_of(package),
        scopes=services.scopes_of(package),
        decision_id=package.decision_id,
        created_by=package.created_by.display_name,
        created_at=package.created_at,
        submitted_at=package.submitted_at,
        approved_by=package.approved_by.display_name if package.approved_by else None,
        approved_at=package.approved_at,
        approval_note=package.approval_note,
        released_at=package.released_at,
        expires_at=package.expires_at,
        file_deleted_at=package.file_deleted_at,
        check=check,
    )


def _package(request: HttpRequest, family_id: UUID, package_id: UUID) -> DisclosurePackage:
    return selectors.get_package_for_user(api_user(request), family_id, package_id)


@router.get(
    PACKAGES,
    response={200: list[PackageOut], 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's disclosure packages",
    description=(
        "The family's disclosure packages, newest first, with their status and who approved "
        "them. Visible to whoever may read the family.\n\n"
        f"Errors: 401 without a valid token; {NOT_FOUND}; 422 if the id is not a UUID."
    ),
    operation_id="list_disclosure_packages",
)
def list_packages(request: HttpRequest, family_id: UUID) -> list[PackageOut]:
    user = api_user(request)
    _, packages = selectors.family_packages(user, family_id)
    found = list(packages.prefetch_related("included_people"))
    record_list_view(user, "disclosure_package", len(found))
    return [_out(package) for package in found]


@router.post(
    PACKAGES,
    response={201: PackageOut, 401: Error, 403: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Prepare a disclosure package",
    description=(
        "A draft package of this family's items for one recipient organisation. People not "
        "listed in `people` are third parties: their names are replaced by their role. "
        "Nothing is sent until a team manager approves and the creator releases it.\n\n"
        "Errors: 401 without a valid token; 403 if you do not work on the family's open "
        f"case; {NOT_FOUND}; 422 naming the first invalid value (an item of another family, "
        "a duplicate item, an attachment without its case note)."
    ),
    operation_id="create_disclosure_package",
)
def create_package(
    request: HttpRequest, family_id: UUID, payload: PackageIn
) -> tuple[int, PackageOut]:
    user = api_user(request)
    family, _ = selectors.family_packages(user, family_id)
    with input_errors_at(
        BODY,
        {
            "recipient_organisation": "recipient_organisation_id",
            "recipient_contact": "recipient_contact_id",
            "decision": "decision_id",
        },
    ):
        package = services.create_package(
            actor=user,
            family=family,
            data=services.PackageInput(
                recipient_organisation=payload.recipient_organisation_id,
                recipient_contact=payload.recipient_contact_id,
                purpose=payload.purpose,
                items=[{"type": item.type.value, "id": str(item.id)} for item in payload.items],
                people=payload.people,
                decision=payload.decision_id,
            ),
        )
    return 201, _out(package, with_check=True)


@router.get(
    PACKAGE,
    response={200: PackageOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a disclosure package",
    description=(
        "The package's status, items, people and approval, and (before release) what the "
        "sharing check says now. The read is audited. The redacted content itself is on "
        "the staff site's preview and in the released file.\n\n"
        f"Errors: 401 without a valid token; {NOT_FOUND}; 422 if an id is not a UUID."
    ),
    operation_id="get_disclosure_package",
)
def get_package(request: HttpRequest, family_id: UUID, package_id: UUID) -> PackageOut:
    return _out(_package(request, family_id, package_id), with_check=True)


@router.post(
    PACKAGE + "/submit",
    response=ACTION,
    summary="Send a disclosure package for approval",
    description=(
        "The creator sends a draft to the family's team managers for approval.\n\n"
        "Errors: 401 without a valid token; 403 if you did not prepare it; "
        f"{NOT_FOUND}; 409 if it is not a draft; 422 if an id is not a UUID."
    ),
    operation_id="submit_disclosure_package",
)
def submit(request: HttpRequest, family_id: UUID, package_id: UUID) -> PackageOut:
    package = services.submit_package(
        actor=api_user(request), package=_package(request, family_id, package_id)
    )
    return _out(package, with_check=True)


@router.post(
    PACKAGE + "/approve",
    response=ACTION,
    summary="Approve a disclosure package",
    description=(
        "Four eyes: a team manager of the family's team who did not prepare the package "
        "approves it. The sharing check runs (and is recorded): if it refuses, the package "
        "becomes `refused` and the answer is 409 with the reason; if a gateway decision is "
        "still waiting for a manager's authorisation, the answer is 409 and the package keeps "
        "waiting.\n\n"
        "Errors: 401 without a valid token; 403 if you may not approve it; "
        f"{NOT_FOUND}; 409 as above or if it is not waiting for approval; 422 for a note "
        "that is too long."
    ),
    operation_id="approve_disclosure_package",
)
def approve(request: HttpRequest, family_id: UUID, package_id: UUID, payload: NoteIn) -> PackageOut:
    with input_errors_at(BODY):
        outcome = services.approve_package(
            actor=api_user(request),
            package=_package(request, family_id, package_id),
            note=payload.note,
        )
    if not outcome.done:
        raise Conflict(f"The package was refused. {outcome.check.reason}")
    return _out(outcome.package)


@router.post(
    PACKAGE + "/reject",
    response=ACTION,
    summary="Do not approve a disclosure package",
    description=(
        "A team manager of the family's team who did not prepare the package declines it, "
        "saying why in `note`.\n\n"
        "Errors: 401 without a valid token; 403 if you may not decide on it; "
        f"{NOT_FOUND}; 409 if it is not waiting for approval; 422 without a note."
    ),
    operation_id="reject_disclosure_package",
)
def reject(request: HttpRequest, family_id: UUID, package_id: UUID, payload: NoteIn) -> PackageOut:
    with input_errors_at(BODY):
        package = services.reject_package(
            actor=api_user(request),
            package=_package(request, family_id, package_id),
            note=payload.note,
        )
    return _out(package)


@router.post(
    PACKAGE + "/release",
    response={
        200: ReleaseOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Release an approved disclosure package",
    description=(
        "The creator releases an approved package: the sharing check runs again (and is "
        "recorded); if it allows, the redacted PDF and the attachments go into an AES-256 "
        "zip kept for download until it expires, the disclosure log is written, and the "
        "response carries the **passphrase, this once**: it is stored nowhere. Send it by a "
        "different channel from the file. If the check refuses (an agreement withdrawn since "
        "approval, say), nothing is released, the package becomes `refused` and the answer "
        "is 409 with the reason.\n\n"
        "Errors: 401 without a valid token; 403 if you did not prepare it; "
        f"{NOT_FOUND}; 409 as above or if it is not approved; 422 if an id is not a UUID."
    ),
    operation_id="release_disclosure_package",
)
def release(
    request: HttpRequest, response: HttpResponse, family_id: UUID, package_id: UUID
) -> ReleaseOut:
    outcome = services.release_package(
        actor=api_user(request), package=_package(request, family_id, package_id)
    )
    if not outcome.done:
        raise Conflict(f"Nothing was released. {outcome.check.reason}")
    package = outcome.package
    return ReleaseOut(
        package=_out(package),
        passphrase=outcome.passphrase,
        download_url=reverse(
            "api:download_disclosure_package",
            kwargs={"family_id": package.family_id, "package_id": package.pk},
        ),
    )


@router.get(
    PACKAGE + "/download",
    response={401: Error, 403: Error, 404: Error, 409: Error, 422: ValidationErrorSchema},
    summary="Download a released disclosure package",
    description=(
        "The encrypted zip (`application/zip`), for the creator, the approver or the "
        "allocated team while it is kept. The download is audited.\n\n"
        "Errors: 401 without a valid token; 403 if you may not download it; "
        f"{NOT_FOUND}; 409 if it was not released or has expired; 422 if an id is not a UUID."
    ),
    operation_id="download_disclosure_package",
    url_name="download_disclosure_package",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The AES-256 encrypted zip",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def download(request: HttpRequest, family_id: UUID, package_id: UUID) -> HttpResponse:
    package, data = selectors.package_file_for_user(api_user(request), family_id, package_id)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{selectors.zip_filename(package)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
