"""Restricted records over JSON: thin over ``restricted.services`` and ``restricted.selectors``."""

from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router

from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.core.errors import PermissionDenied
from earlyhelp.restricted import selectors, services
from earlyhelp.restricted.models import BreakGlassAccess, ReviewOutcome
from earlyhelp.restricted.permissions import can_see_review_list
from earlyhelp.restricted.schemas import (
    AccessOut,
    AccessPageOut,
    BreakGlassIn,
    BreakGlassOut,
    BreakGlassReviewIn,
    PersonRestrictionOut,
    RestrictionIn,
    RestrictionOut,
)
from earlyhelp.restricted.selectors import PersonRestrictionPage, RestrictionPage

router = Router(tags=["restricted records"])

PAGE_SIZE = 25
RESTRICTION = "/families/{family_id}/restriction"
MANAGERS = (
    "Only the data protection officer and managers of a team that has held an episode for the "
    "family; anyone else gets 404."
)


def _restriction_out(page: RestrictionPage) -> RestrictionOut:
    r = page.restriction
    return RestrictionOut(
        family_id=page.family.pk,
        family_reference=page.family.reference,
        restricted=r is not None,
        reason=r.reason if r else None,
        set_at=r.set_at if r else None,
        allowed=[a.user.username for a in page.allowed],
    )


def _person_restriction_out(page: PersonRestrictionPage) -> PersonRestrictionOut:
    r = page.restriction
    return PersonRestrictionOut(
        person_id=page.person.pk,
        restricted=r is not None,
        reason=r.reason if r else None,
        set_at=r.set_at if r else None,
        allowed=[a.user.username for a in page.allowed],
        family_references=[f.reference for f in page.families],
    )


def _access_out(access: BreakGlassAccess) -> AccessOut:
    return AccessOut(
        id=access.pk,
        username=access.user.username,
        family_id=access.family_id,
        family_reference=access.family.reference,
        reason=access.reason,
        at=access.at,
        expires_at=access.expires_at,
        outcome=ReviewOutcome(access.outcome) if access.outcome else None,
        escalated=access.escalated,
        review_note=access.review_note,
        reviewed_by=access.reviewed_by.username if access.reviewed_by else None,
        reviewed_at=access.reviewed_at,
    )


@router.get(
    RESTRICTION,
    response={200: RestrictionOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a family's restriction",
    description=(
        "Whether the family is restricted, why, and who may open it. "
        + MANAGERS
        + "\n\nErrors: 401 without a valid token; 404 if there is no such family or you may "
        "not manage its restriction; 422 if the id is not a UUID."
    ),
    operation_id="get_family_restriction",
)
def get_restriction(request: HttpRequest, family_id: UUID) -> RestrictionOut:
    return _restriction_out(selectors.restriction_page(api_user(request), family_id))


@router.put(
    RESTRICTION,
    response={200: RestrictionOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Restrict a family, or change its restriction",
    description=(
        "Restricts the family so that only the users in `allowed` open it; the list replaces "
        "the previous one. Everyone else in the family's team sees it in no list and must break "
        "the glass. "
        + MANAGERS
        + "\n\nErrors: 401 without a valid token; 404 if there is no such family or you may not "
        "manage its restriction; 422 if the reason is missing or too short, or a username is "
        "not an active practitioner or team manager (the path names which)."
    ),
    operation_id="restrict_family",
)
def put_restriction(
    request: HttpRequest, family_id: UUID, payload: RestrictionIn
) -> RestrictionOut:
    user = api_user(request)
    family = selectors.restriction_page(user, family_id).family
    with input_errors_at("body.payload"):
        services.restrict_family(
            actor=user, family=family, reason=payload.reason, allowed=payload.allowed
        )
    return _restriction_out(selectors.restriction_page(user, family_id))


@router.delete(
    RESTRICTION,
    response={200: RestrictionOut, 401: Error, 404: Error, 409: Error, 422: ValidationErrorSchema},
    summary="Lift a family's restriction",
    description=(
        "The family's team sees it again. "
        + MANAGERS
        + "\n\nErrors: 401 without a valid token; 404 if there is no such family or you may not "
        "manage its restriction; 409 if it is not restricted; 422 if the id is not a UUID."
    ),
    operation_id="lift_family_restriction",
)
def delete_restriction(request: HttpRequest, family_id: UUID) -> RestrictionOut:
    user = api_user(request)
    family = selectors.restriction_page(user, family_id).family
    services.lift_restriction(actor=user, family=family)
    return _restriction_out(selectors.restriction_page(user, family_id))


PERSON_RESTRICTION = "/people/{person_id}/restriction"
PERSON_MANAGERS = (
    "Only the data protection officer and managers of a team that has held an episode for one "
    "of the person's families; anyone else gets 404."
)


@router.get(
    PERSON_RESTRICTION,
    response={200: PersonRestrictionOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a person's restriction",
    description=(
        "Whether the person is restricted, why, who may open their record, and the families "
        "the restriction closes. "
        + PERSON_MANAGERS
        + "\n\nErrors: 401 without a valid token; 404 if there is no such person or you may "
        "not manage their restriction; 422 if the id is not a UUID."
    ),
    operation_id="get_person_restriction",
)
def get_person_restriction(request: HttpRequest, person_id: UUID) -> PersonRestrictionOut:
    return _person_restriction_out(selectors.person_restriction_page(api_user(request), person_id))


@router.put(
    PERSON_RESTRICTION,
    response={200: PersonRestrictionOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Restrict a person, or change their restriction",
    description=(
        "Restricts the person so that only the users in `allowed` see them or open any family "
        "they belong to; the list replaces the previous one. Everyone else sees the person and "
        "those families in no list, and must break the glass into a family (POST "
        "/families/{family_id}/break-glass). "
        + PERSON_MANAGERS
        + "\n\nErrors: 401 without a valid token; 404 if there is no such person or you may not "
        "manage their restriction; 422 if the reason is missing or too short, or a username is "
        "not an active practitioner or team manager (the path names which)."
    ),
    operation_id="restrict_person",
)
def put_person_restriction(
    request: HttpRequest, person_id: UUID, payload: RestrictionIn
) -> PersonRestrictionOut:
    user = api_user(request)
    person = selectors.person_restriction_page(user, person_id).person
    with input_errors_at("body.payload"):
        services.restrict_person(
            actor=user, person=person, reason=payload.reason, allowed=payload.allowed
        )
    return _person_restriction_out(selectors.person_restriction_page(user, person_id))


@router.delete(
    PERSON_RESTRICTION,
    response={
        200: PersonRestrictionOut,
        401: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Lift a person's restriction",
    description=(
        "The person, and their families, are seen again by the families' teams (unless a "
        "family is itself restricted). "
        + PERSON_MANAGERS
        + "\n\nErrors: 401 without a valid token; 404 if there is no such person or you may "
        "not manage their restriction; 409 if they are not restricted; 422 if the id is not a "
        "UUID."
    ),
    operation_id="lift_person_restriction",
)
def delete_person_restriction(request: HttpRequest, person_id: UUID) -> PersonRestrictionOut:
    user = api_user(request)
    person = selectors.person_restriction_page(user, person_id).person
    services.lift_person_restriction(actor=user, person=person)
    return _person_restriction_out(selectors.person_restriction_page(user, person_id))


@router.post(
    "/families/{family_id}/break-glass",
    response={201: BreakGlassOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Break the glass into a restricted family",
    description=(
        "Opens a restricted family for a limited time (EARLYHELP_BREAK_GLASS_HOURS, 4 by "
        "default) to someone who would see it were it not restricted. The reason is required; "
        "the DPO and the team's managers are alerted (in the service and by e-mail) and the "
        "access waits for their review.\n\n"
        "A family closed because one of its members is restricted is opened the same way.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family, neither it nor a "
        "member is restricted, you may already open it, or you would not see it anyway; 422 if the "
        "reason is missing or shorter than 20 characters."
    ),
    operation_id="break_glass",
)
def post_break_glass(
    request: HttpRequest, family_id: UUID, payload: BreakGlassIn
) -> tuple[int, BreakGlassOut]:
    user = api_user(request)
    family = selectors.break_glass_target(user, family_id)
    with input_errors_at("body.payload"):
        result = services.break_glass(actor=user, family=family, reason=payload.reason)
    access = result.access
    return 201, BreakGlassOut(
        id=access.pk,
        family_id=family.pk,
        at=access.at,
        expires_at=access.expires_at,
        alerted=result.alerted,
    )


@router.get(
    "/break-glass-accesses",
    response={200: AccessPageOut, 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="List break-glass accesses for review",
    description=(
        "Break-glass accesses to the families you oversee (all of them for the DPO; those of "
        "your teams' families for a team manager), unreviewed first, then newest, 25 per page. "
        "`pending=true` keeps the unreviewed ones only. The read is audited.\n\n"
        "Errors: 401 without a valid token; 403 unless you are the DPO or a team manager; 422 "
        "if a query value is invalid."
    ),
    operation_id="list_break_glass_accesses",
)
def list_accesses(request: HttpRequest, pending: bool = False, page: int = 1) -> AccessPageOut:
    user = api_user(request)
    if not can_see_review_list(user):
        raise PermissionDenied("Only the DPO and team managers review break-glass accesses.")
    current = Paginator(selectors.review_list(user, pending_only=pending), PAGE_SIZE).get_page(page)
    selectors.audit_review_list(user, len(current.object_list))
    return AccessPageOut(
        count=current.paginator.count,
        page=current.number,
        pages=current.paginator.num_pages,
        accesses=[_access_out(a) for a in current.object_list],
    )


@router.post(
    "/break-glass-accesses/{access_id}/review",
    response={
        200: AccessOut,
        401: Error,
        403: Error,
        404: Error,
        422: ValidationErrorSchema,
    },
    summary="Record the review of a break-glass access",
    description=(
        "Whether the access was appropriate, whether it was escalated, and a note (required "
        "when it was inappropriate). A review can be revised. For the DPO and the family's team "
        "managers, never the person who broke the glass.\n\n"
        "Errors: 401 without a valid token; 403 if it is your own access; 404 if there is no "
        "such access or you do not oversee it; 422 naming the invalid field."
    ),
    operation_id="review_break_glass_access",
)
def post_review(request: HttpRequest, access_id: UUID, payload: BreakGlassReviewIn) -> AccessOut:
    user = api_user(request)
    access = selectors.get_access_for_review(user, access_id)
    with input_errors_at("body.payload"):
        services.review_access(
            actor=user,
            access=access,
            outcome=payload.outcome.value,
            escalated=payload.escalated,
            note=payload.note,
        )
    return _access_out(access)
