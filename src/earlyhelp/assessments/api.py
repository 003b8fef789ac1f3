"""Assessments over JSON: the same services and selectors as the pages.

Permission checks, the state machine (draft -> submitted -> authorised, and back to draft),
the two-person rule and audit events all happen in ``assessments.services``; this module
maps requests onto them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router

from earlyhelp.assessments import selectors, services
from earlyhelp.assessments.models import Assessment, AssessmentNeed
from earlyhelp.assessments.permissions import can_see_awaiting_authorisation
from earlyhelp.assessments.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentPageOut,
    AssessmentPatch,
    AssessmentSummaryOut,
    AwaitingOut,
    AwaitingPageOut,
    EligibilityOut,
    HeadlineOut,
    NeedIn,
    NeedOut,
    NeedPatch,
    ReturnIn,
    SubmitIn,
)
from earlyhelp.audit.services import record_list_view
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user
from earlyhelp.core.errors import InvalidInput, PermissionDenied

router = Router(tags=["assessments"])

BODY = "body.payload"
PAGE_SIZE = 25
ONE = "/families/{family_id}/assessments/{assessment_id}"

READ = {200: AssessmentOut, 401: Error, 404: Error, 422: ValidationErrorSchema}
WRITE = {
    200: AssessmentOut,
    401: Error,
    403: Error,
    404: Error,
    409: Error,
    422: ValidationErrorSchema,
}
ERRORS_TEXT = (
    "Errors: 401 without a valid token; 404 if there is no such family or assessment, or you "
    "may not see the family; 422 naming the path of the invalid field."
)
WRITE_ERRORS_TEXT = (
    "Errors: 401 without a valid token; 403 if you do not work on the family's open episode "
    "(the lead practitioner, or a practitioner or manager of its team); 404 if there is no "
    "such family or assessment, or you may not see the family; 409 if the assessment is not "
    "a draft; 422 naming the path of the invalid field."
)


@contextmanager
def _fields_at(
    prefix: str, body_fields: set[str], renames: dict[str, str] | None = None
) -> Iterator[None]:
    """A service's InvalidInput on a field of the request body gets the body's path; one on
    the assessment as a whole (``needs``, ``conclusion`` when submitting) keeps its name.
    ``renames`` maps the service's name for a field to the body's."""
    try:
        yield
    except InvalidInput as exc:
        field = (renames or {}).get(exc.field or "", exc.field or "")
        if field.split(".")[0] in body_fields:
            raise InvalidInput(exc.message, field=f"{prefix}.{field}") from None
        raise


def _need_out(need: AssessmentNeed) -> NeedOut:
    return NeedOut(
        id=need.pk,
        person_id=need.person_id,
        headline=need.headline.code,
        headline_label=need.headline.label,
        severity=need.severity,  # type: ignore[arg-type]
        evidence=need.evidence,
    )


def _username(user: object) -> str | None:
    return getattr(user, "username", None)


def _assessment_out(assessment: Assessment) -> AssessmentOut:
    eligibility = services.eligibility(assessment)
    return AssessmentOut(
        id=assessment.pk,
        family_id=assessment.family_id,
        episode_id=assessment.episode_id,
        status=assessment.status,  # type: ignore[arg-type]
        started_on=assessment.started_on,
        completed_on=assessment.completed_on,
        organisation=assessment.organisation,
        strengths=assessment.strengths,
        child_views=assessment.child_views,
        parent_views=assessment.parent_views,
        analysis=assessment.analysis,
        conclusion=assessment.conclusion,
        no_needs_identified=assessment.no_needs_identified,
        created_by=assessment.created_by.username,
        created_at=assessment.created_at,
        submitted_by=_username(assessment.submitted_by),
        submitted_at=assessment.submitted_at,
        authorised_by=_username(assessment.authorised_by),
        authorised_at=assessment.authorised_at,
        returned_by=_username(assessment.returned_by),
        returned_at=assessment.returned_at,
        returned_comment=assessment.returned_comment,
        needs=[_need_out(need) for need in assessment.needs.all()],
        eligibility=EligibilityOut(
            headline_count=eligibility.headline_count,
            threshold=eligibility.threshold,
            eligible=eligibility.eligible,
            headlines_available=selectors.active_headline_count(),
        ),
    )


@router.get(
    "/families/{family_id}/assessments",
    response={200: AssessmentPageOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's assessments",
    description=(
        "The family's Early Help assessments, most recent start first, 25 per page, each with "
        "its status and the number of headlines with needs. Visible to whoever may read the "
        "family; the read is audited.\n\n" + ERRORS_TEXT
    ),
    operation_id="list_assessments",
)
def list_assessments(request: HttpRequest, family_id: UUID, page: int = 1) -> AssessmentPageOut:
    user = api_user(request)
    found = selectors.family_assessments(user, family_id)
    current = Paginator(found.assessments, PAGE_SIZE).get_page(page)
    record_list_view(user, "assessment", len(current.object_list))
    return AssessmentPageOut(
        count=current.paginator.count,
        page=current.number,
        pages=current.paginator.num_pages,
        items=[
            AssessmentSummaryOut(
                id=item.pk,
                status=item.status,
                started_on=item.started_on,
                completed_on=item.completed_on,
                organisation=item.organisation,
                headline_count=item.headline_count,
                submitted_at=item.submitted_at,
                authorised_at=item.authorised_at,
            )
            for item in current.object_list
        ],
    )


@router.post(
    "/families/{family_id}/assessments",
    response={**WRITE, 201: AssessmentOut},
    summary="Start an assessment",
    description=(
        "Start a draft whole-family assessment for the family's open episode. One assessment "
        "may be in progress (draft or awaiting authorisation) per episode. Fill in the rest "
        "with PATCH and add needs with POST .../needs.\n\n"
        "Errors: 401 without a valid token; 403 if you do not work on the open episode; 404 "
        "if you may not see the family; 409 if the family has no open episode or an assessment "
        "is already in progress; 422 naming the invalid field (a start date in the future)."
    ),
    operation_id="start_assessment",
)
def start_assessment(
    request: HttpRequest, family_id: UUID, payload: AssessmentIn
) -> tuple[int, AssessmentOut]:
    user = api_user(request)
    family = get_family_for_user(user, family_id)
    with _fields_at(BODY, {"started_on", "organisation"}):
        assessment = services.start_assessment(
            actor=user,
            family=family,
            started_on=payload.started_on,
            organisation=payload.organisation,
        )
    return 201, _assessment_out(selectors.reloaded(assessment))


@router.get(
    ONE,
    response=READ,
    summary="Read an assessment",
    description=(
        "The assessment with every need (person, headline, severity, evidence), the family's "
        "strengths, the child's and parents' views, analysis and conclusion, who submitted and "
        "authorised it, and programme eligibility: needs under at least the configured number "
        "of headlines (default 3). The read is audited.\n\n" + ERRORS_TEXT
    ),
    operation_id="get_assessment",
)
def get_assessment(request: HttpRequest, family_id: UUID, assessment_id: UUID) -> AssessmentOut:
    return _assessment_out(
        selectors.get_assessment_for_user(api_user(request), family_id, assessment_id)
    )


@router.patch(
    ONE,
    response=WRITE,
    summary="Change a draft assessment",
    description=(
        "Change any of the draft's fields; fields not sent (or sent as null) stay as they "
        "are. Only a draft can change.\n\n" + WRITE_ERRORS_TEXT
    ),
    operation_id="update_assessment",
)
def update_assessment(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, payload: AssessmentPatch
) -> AssessmentOut:
    user = api_user(request)
    assessment = selectors.get_assessment_for_user(user, family_id, assessment_id)
    changes = services.AssessmentChanges(**payload.model_dump(exclude_unset=True))
    with _fields_at(BODY, set(AssessmentPatch.model_fields)):
        services.update_assessment(actor=user, assessment=assessment, changes=changes)
    return _assessment_out(selectors.reloaded(assessment))


@router.post(
    ONE + "/needs",
    response={
        201: NeedOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Add a need to a draft assessment",
    description=(
        "Record that a headline need applies to one family member, with the evidence and a "
        "severity (`low`, `medium`, `high`). `headline` is an active headline code (see "
        "GET /assessment-headlines). One need per person and headline.\n\n" + WRITE_ERRORS_TEXT
    ),
    operation_id="add_assessment_need",
)
def add_need(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, payload: NeedIn
) -> tuple[int, NeedOut]:
    user = api_user(request)
    assessment = selectors.get_assessment_for_user(user, family_id, assessment_id)
    body_fields = {"person_id", "headline", "severity", "evidence"}
    with _fields_at(BODY, body_fields, renames={"person": "person_id"}):
        need = services.add_need(
            actor=user,
            assessment=assessment,
            person_id=payload.person_id,
            headline_code=payload.headline,
            evidence=payload.evidence,
            severity=payload.severity.value,
        )
    return 201, _need_out(need)


@router.patch(
    ONE + "/needs/{need_id}",
    response={
        200: NeedOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Change a need in a draft assessment",
    description=(
        "Change a need's headline, severity or evidence (its person stays: a need about "
        "someone else is a new need).\n\n" + WRITE_ERRORS_TEXT
    ),
    operation_id="update_assessment_need",
)
def update_need(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, need_id: UUID, payload: NeedPatch
) -> NeedOut:
    user = api_user(request)
    need = selectors.get_need_for_user(user, family_id, assessment_id, need_id)
    with _fields_at(BODY, {"headline", "severity", "evidence"}):
        updated = services.update_need(
            actor=user,
            need=need,
            headline_code=payload.headline,
            evidence=payload.evidence,
            severity=payload.severity.value if payload.severity else None,
        )
    return _need_out(updated)


@router.delete(
    ONE + "/needs/{need_id}",
    response={
        204: None,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Remove a need from a draft assessment",
    description="Remove a need recorded in error.\n\n" + WRITE_ERRORS_TEXT,
    operation_id="remove_assessment_need",
)
def remove_need(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, need_id: UUID
) -> tuple[int, None]:
    user = api_user(request)
    need = selectors.get_need_for_user(user, family_id, assessment_id, need_id)
    services.remove_need(actor=user, need=need)
    return 204, None


@router.post(
    ONE + "/submit",
    response=WRITE,
    summary="Submit an assessment for authorisation",
    description=(
        "Submit a draft for a team manager's authorisation and set its completion date "
        "(default today; not before the start date, not in the future). It needs at least one "
        "need, or `no_needs_identified`, and a conclusion; a 422 for those names `needs`, "
        "`no_needs_identified` or `conclusion`.\n\n" + WRITE_ERRORS_TEXT
    ),
    operation_id="submit_assessment",
)
def submit_assessment(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, payload: SubmitIn
) -> AssessmentOut:
    user = api_user(request)
    assessment = selectors.get_assessment_for_user(user, family_id, assessment_id)
    with _fields_at(BODY, {"completed_on"}):
        services.submit_assessment(
            actor=user, assessment=assessment, completed_on=payload.completed_on
        )
    return _assessment_out(selectors.reloaded(assessment))


@router.post(
    ONE + "/authorise",
    response=WRITE,
    summary="Authorise a submitted assessment",
    description=(
        "A team manager of the episode's team authorises a submitted assessment. Two people: "
        "the manager who submitted it cannot authorise it.\n\n"
        "Errors: 401 without a valid token; 403 if you are not a manager of the team, or you "
        "submitted it; 404 if you may not see the family; 409 if it is not awaiting "
        "authorisation."
    ),
    operation_id="authorise_assessment",
)
def authorise_assessment(
    request: HttpRequest, family_id: UUID, assessment_id: UUID
) -> AssessmentOut:
    user = api_user(request)
    assessment = selectors.get_assessment_for_user(user, family_id, assessment_id)
    services.authorise_assessment(actor=user, assessment=assessment)
    return _assessment_out(selectors.reloaded(assessment))


@router.post(
    ONE + "/return",
    response=WRITE,
    summary="Return a submitted assessment to draft",
    description=(
        "A team manager of the episode's team sends a submitted assessment back to draft with "
        "a comment saying what needs to change; its completion date is cleared.\n\n"
        "Errors: 401 without a valid token; 403 if you are not a manager of the team; 404 if "
        "you may not see the family; 409 if it is not awaiting authorisation or the episode "
        "has closed; 422 without a comment."
    ),
    operation_id="return_assessment",
)
def return_assessment(
    request: HttpRequest, family_id: UUID, assessment_id: UUID, payload: ReturnIn
) -> AssessmentOut:
    user = api_user(request)
    assessment = selectors.get_assessment_for_user(user, family_id, assessment_id)
    with _fields_at(BODY, {"comment"}):
        services.return_assessment(actor=user, assessment=assessment, comment=payload.comment)
    return _assessment_out(selectors.reloaded(assessment))


@router.get(
    "/assessments/awaiting-authorisation",
    response={200: AwaitingPageOut, 401: Error, 403: Error, 422: ValidationErrorSchema},
    summary="Assessments awaiting authorisation",
    description=(
        "Submitted assessments of the teams you manage, oldest submission first, 25 per "
        "page. The list read is audited.\n\n"
        "Errors: 401 without a valid token; 403 if you are not a team manager."
    ),
    operation_id="list_assessments_awaiting_authorisation",
)
def awaiting_authorisation(request: HttpRequest, page: int = 1) -> AwaitingPageOut:
    user = api_user(request)
    if not can_see_awaiting_authorisation(user):
        raise PermissionDenied("Only team managers authorise assessments.")
    current = Paginator(selectors.awaiting_authorisation(user), PAGE_SIZE).get_page(page)
    record_list_view(user, "assessment", len(current.object_list))
    return AwaitingPageOut(
        count=current.paginator.count,
        page=current.number,
        pages=current.paginator.num_pages,
        items=[
            AwaitingOut(
                id=item.pk,
                family_id=item.family_id,
                family_reference=item.family.reference,
                team=item.episode.team.slug,
                submitted_by=item.submitted_by.username if item.submitted_by else "",
                submitted_at=item.submitted_at,
                headline_count=item.headline_count,
            )
            for item in current.object_list
        ],
    )


@router.get(
    "/assessment-headlines",
    response={200: list[HeadlineOut], 401: Error},
    summary="The headline needs",
    description=(
        "The Supporting Families headline needs with the council's descriptors, in order, "
        "including retired ones (`active` false). Their `code`s are what needs use.\n\n"
        "Errors: 401 without a valid token."
    ),
    operation_id="list_assessment_headlines",
)
def list_headlines(request: HttpRequest) -> list[HeadlineOut]:
    return [
        HeadlineOut(code=h.code, label=h.label, descriptor=h.descriptor, active=h.active)
        for h in selectors.all_headlines()
    ]
