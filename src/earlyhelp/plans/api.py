"""Family plans over JSON: thin over ``plans.services`` and ``plans.selectors``.

The printable PDF is on the staff site only (``/families/<id>/plans/<id>/plan.pdf``); over
the API a partner system reads the plan's data, and sending the plan to the TAF is
``POST .../share``.
"""

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from earlyhelp.audit.services import record_list_view
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.plans import selectors, services
from earlyhelp.plans.models import (
    FamilyPlan,
    PlanAction,
    PlanObjection,
    PlanOutcome,
    PlanReview,
    PlanStatus,
    PlanVersion,
    TafMember,
)
from earlyhelp.plans.schemas import (
    ActionIn,
    ActionOut,
    ActionStatusIn,
    MemberIn,
    MemberOut,
    ObjectionIn,
    ObjectionOut,
    OutcomeIn,
    OutcomeOut,
    PlanIn,
    PlanOut,
    PlanReviewIn,
    PlanSummaryOut,
    ProgressOut,
    ReviewOut,
    ShareIn,
    ShareOut,
    VersionOut,
    WithdrawalIn,
)
from earlyhelp.plans.selectors import PlanPage

router = Router(tags=["plans"])

BODY = "body.payload"
PLAN = "/families/{family_id}/plans/{plan_id}"
READ = {200: PlanOut, 401: Error, 404: Error, 422: ValidationErrorSchema}
WRITE_ERRORS = (
    "Errors: 401 without a valid token; 403 if you cannot change this plan (only the lead "
    "practitioner, or a practitioner or manager of the allocated team, while the episode is "
    "open); 404 if there is no such family or plan or you may not see it; 409 if the plan is "
    "closed; 422 naming the path of the first invalid value."
)


def _outcome_out(outcome: PlanOutcome) -> OutcomeOut:
    return OutcomeOut(
        id=outcome.pk,
        lineage=outcome.lineage,
        headline_code=outcome.headline_code,
        description=outcome.description,
        measure=outcome.measure,
        people=[p.pk for p in outcome.people.all()],
        position=outcome.position,
    )


def _action_out(action: PlanAction) -> ActionOut:
    return ActionOut(
        id=action.pk,
        lineage=action.lineage,
        what=action.what,
        outcome_id=action.outcome_id,
        owner_person_id=action.owner_person_id,
        owner_contact_id=action.owner_contact_id,
        due_on=action.due_on,
        status=action.status,
    )


def _member_out(member: TafMember) -> MemberOut:
    contact, person = member.contact, member.person
    return MemberOut(
        id=member.pk,
        contact_id=member.contact_id,
        person_id=member.person_id,
        name=person.full_name if person else contact.name if contact else "",
        job_title=contact.job_title if contact else "",
        organisation=contact.organisation.name if contact else "",
        role_in_plan=member.role_in_plan,
    )


def _objection_out(objection: PlanObjection) -> ObjectionOut:
    return ObjectionOut(
        id=objection.pk,
        objected_by=objection.objected_by_id,
        objected_on=objection.objected_on,
        note=objection.note,
        withdrawn_on=objection.withdrawn_on,
        active=objection.is_active,
    )


def _action_input(payload: ActionIn) -> services.ActionInput:
    return services.ActionInput(
        what=payload.what,
        due_on=payload.due_on,
        owner_person=payload.owner_person_id,
        owner_contact=payload.owner_contact_id,
        outcome=payload.outcome_id,
    )


def _version_out(page: PlanPage) -> VersionOut:
    version = page.version
    return VersionOut(
        id=version.pk,
        number=version.number,
        is_current=page.is_current,
        created_at=version.created_at,
        change_summary=version.change_summary,
        review_id=version.review_id,
        outcomes=[_outcome_out(o) for o in page.outcomes],
        actions=[_action_out(a) for a in page.actions],
        members=[_member_out(m) for m in page.members],
    )


def _plan_out(page: PlanPage) -> PlanOut:
    plan = page.plan
    return PlanOut(
        id=plan.pk,
        family_id=plan.family_id,
        status=PlanStatus(plan.status),
        review_interval_weeks=plan.review_interval_weeks,
        next_review_due=plan.next_review_due,
        created_at=plan.created_at,
        sharing_objected=bool(page.active_objections),
        objections=[_objection_out(o) for o in page.objections],
        version=_version_out(page),
    )


def _current(request: HttpRequest, family_id: UUID, plan: FamilyPlan) -> PlanOut:
    return _plan_out(selectors.plan_page(api_user(request), family_id, plan.pk))


def _plan(request: HttpRequest, family_id: UUID, plan_id: UUID) -> FamilyPlan:
    return selectors.get_plan_for_user(api_user(request), family_id, plan_id)


@router.get(
    "/families/{family_id}/plans",
    response={200: list[PlanSummaryOut], 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="List a family's plans",
    description=(
        "The family's plans, newest first, each with its current version number and next "
        "review date. Visible to whoever may read the family.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or you may not see "
        "it; 422 if the id is not a UUID."
    ),
    operation_id="list_family_plans",
)
def list_plans(request: HttpRequest, family_id: UUID) -> list[PlanSummaryOut]:
    user = api_user(request)
    found = selectors.family_plans(user, family_id)
    plans = list(found.plans)
    record_list_view(user, "family_plan", len(plans))
    return [
        PlanSummaryOut(
            id=p.pk,
            status=PlanStatus(p.status),
            episode_id=p.episode_id,
            review_interval_weeks=p.review_interval_weeks,
            next_review_due=p.next_review_due,
            current_version=p.current_number,  # type: ignore[attr-defined]
            created_at=p.created_at,
        )
        for p in plans
    ]


@router.post(
    "/families/{family_id}/plans",
    response={
        201: PlanOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Start a family plan",
    description=(
        "Start the plan for the family's open episode: version 1 with the outcomes given. "
        "The first review is due after `review_interval_weeks` (default 6).\n\n"
        "Errors: 401 without a valid token; 403 if you do not work on the family's open "
        "episode; 404 if you may not see the family; 409 without an open episode or if the "
        "episode already has an active plan; 422 naming the first invalid value."
    ),
    operation_id="create_family_plan",
)
def create_plan(request: HttpRequest, family_id: UUID, payload: PlanIn) -> tuple[int, PlanOut]:
    user = api_user(request)
    found = selectors.family_plans(user, family_id)
    with input_errors_at(BODY):
        plan = services.create_plan(
            actor=user,
            family=found.family,
            review_interval_weeks=payload.review_interval_weeks,
            outcomes=[
                services.OutcomeInput(
                    headline_code=o.headline_code,
                    description=o.description,
                    measure=o.measure,
                    people=o.people,
                )
                for o in payload.outcomes
            ],
        )
    return 201, _current(request, family_id, plan)


@router.get(
    PLAN,
    response=READ,
    summary="Read a family plan",
    description=(
        "The plan with its current version's outcomes, actions and TAF members, and any "
        "objections to sharing. The read is audited. The printable PDF is on the staff site "
        "only.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such family or plan or you may "
        "not see it; 422 if an id is not a UUID."
    ),
    operation_id="get_family_plan",
)
def get_plan(request: HttpRequest, family_id: UUID, plan_id: UUID) -> PlanOut:
    return _plan_out(selectors.plan_page(api_user(request), family_id, plan_id))


@router.get(
    PLAN + "/versions/{number}",
    response={200: VersionOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read one version of a family plan",
    description=(
        "Any version, current or earlier (earlier versions are kept unchanged).\n\n"
        "Errors: 401 without a valid token; 404 if there is no such version or you may not see "
        "the family; 422 if an id is not a UUID."
    ),
    operation_id="get_family_plan_version",
)
def get_version(request: HttpRequest, family_id: UUID, plan_id: UUID, number: int) -> VersionOut:
    return _version_out(
        selectors.numbered_version_page(api_user(request), family_id, plan_id, number)
    )


def _current_version(plan: FamilyPlan) -> PlanVersion:
    return services.current_version(plan)


@router.post(
    PLAN + "/outcomes",
    response={
        201: OutcomeOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Add an outcome to the current version",
    description="Add a desired outcome, tied to a headline need.\n\n" + WRITE_ERRORS,
    operation_id="add_plan_outcome",
)
def add_outcome(
    request: HttpRequest, family_id: UUID, plan_id: UUID, payload: OutcomeIn
) -> tuple[int, OutcomeOut]:
    plan = _plan(request, family_id, plan_id)
    with input_errors_at(BODY):
        outcome = services.add_outcome(
            actor=api_user(request),
            version=_current_version(plan),
            data=services.OutcomeInput(
                headline_code=payload.headline_code,
                description=payload.description,
                measure=payload.measure,
                people=payload.people,
            ),
        )
    return 201, _outcome_out(outcome)


@router.post(
    PLAN + "/actions",
    response={
        201: ActionOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Add an action to the current version",
    description=(
        "What will be done, by whom (exactly one of `owner_person_id`, a family member, and "
        "`owner_contact_id`, a partner directory professional) and by when.\n\n" + WRITE_ERRORS
    ),
    operation_id="add_plan_action",
)
def add_action(
    request: HttpRequest, family_id: UUID, plan_id: UUID, payload: ActionIn
) -> tuple[int, ActionOut]:
    plan = _plan(request, family_id, plan_id)
    with input_errors_at(BODY, {"owner": "owner_person_id", "outcome": "outcome_id"}):
        action = services.add_action(
            actor=api_user(request),
            version=_current_version(plan),
            data=_action_input(payload),
        )
    return 201, _action_out(action)


@router.patch(
    PLAN + "/actions/{action_id}",
    response={
        200: ActionOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Change an action's status",
    description=(
        "Only actions of the current version can change; earlier versions are read-only "
        "(409).\n\n" + WRITE_ERRORS
    ),
    operation_id="update_plan_action_status",
)
def update_action(
    request: HttpRequest, family_id: UUID, plan_id: UUID, action_id: UUID, payload: ActionStatusIn
) -> ActionOut:
    user = api_user(request)
    action = selectors.get_action_for_user(user, family_id, plan_id, action_id)
    with input_errors_at(BODY):
        action = services.update_action_status(actor=user, action=action, status=payload.status)
    return _action_out(action)


@router.post(
    PLAN + "/members",
    response={
        201: MemberOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Add a TAF member to the current version",
    description=(
        "Exactly one of `contact_id` (a partner directory professional) and `person_id` (a "
        "family member). 409 if they are already a member.\n\n" + WRITE_ERRORS
    ),
    operation_id="add_plan_member",
)
def add_member(
    request: HttpRequest, family_id: UUID, plan_id: UUID, payload: MemberIn
) -> tuple[int, MemberOut]:
    plan = _plan(request, family_id, plan_id)
    with input_errors_at(BODY, {"member": "contact_id"}):
        member = services.add_member(
            actor=api_user(request),
            version=_current_version(plan),
            contact=payload.contact_id,
            person=payload.person_id,
            role_in_plan=payload.role_in_plan,
        )
    return 201, _member_out(member)


def _review_out(review: PlanReview) -> ReviewOut:
    new_version = review.produced_versions.get()
    return ReviewOut(
        id=review.pk,
        held_on=review.held_on,
        summary=review.summary,
        reviewed_version=review.reviewed_version.number,
        new_version=new_version.number,
        next_review_due=review.plan.next_review_due,
        progress=[
            ProgressOut(outcome_id=p.outcome_id, rating=p.rating, note=p.note)
            for p in review.progress.all()
        ],
    )


@router.post(
    PLAN + "/reviews",
    response={
        201: ReviewOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Record a review",
    description=(
        "Review the current version: progress on every one of its outcomes, and the changes "
        "(action statuses, outcome wording, new actions). The review makes the next version "
        "(earlier versions are kept) and moves the next review to `held_on` plus the "
        "interval.\n\n" + WRITE_ERRORS
    ),
    operation_id="record_plan_review",
)
def record_review(
    request: HttpRequest, family_id: UUID, plan_id: UUID, payload: PlanReviewIn
) -> tuple[int, ReviewOut]:
    plan = _plan(request, family_id, plan_id)
    data = services.ReviewInput(
        held_on=payload.held_on,
        summary=payload.summary,
        change_summary=payload.change_summary,
        review_interval_weeks=payload.review_interval_weeks,
        progress=[
            services.ProgressInput(outcome=p.outcome_id, rating=p.rating, note=p.note)
            for p in payload.progress
        ],
        action_statuses={c.action_id: c.status for c in payload.action_changes},
        outcome_descriptions={c.outcome_id: c.description for c in payload.outcome_changes},
        new_actions=[_action_input(a) for a in payload.new_actions],
    )
    with input_errors_at(BODY, {"actions": "action_changes", "outcomes": "outcome_changes"}):
        review = services.record_review(actor=api_user(request), plan=plan, data=data)
    return 201, _review_out(review)


@router.post(
    PLAN + "/objections",
    response={
        201: ObjectionOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Record an objection to sharing the plan",
    description=(
        "A family member objects to the plan being shared with the TAF members. While it "
        "stands the plan is not sent to anyone (`POST .../share` answers 409). 409 if the same "
        "person's objection already stands.\n\n" + WRITE_ERRORS
    ),
    operation_id="record_plan_objection",
)
def record_objection(
    request: HttpRequest, family_id: UUID, plan_id: UUID, payload: ObjectionIn
) -> tuple[int, ObjectionOut]:
    plan = _plan(request, family_id, plan_id)
    with input_errors_at(BODY):
        objection = services.record_objection(
            actor=api_user(request),
            plan=plan,
            objected_by=payload.objected_by,
            objected_on=payload.objected_on,
            note=payload.note,
        )
    return 201, _objection_out(objection)


@router.post(
    PLAN + "/objections/{objection_id}/withdrawal",
    response={
        200: ObjectionOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Record that an objection was withdrawn",
    description=(
        "The objection is kept, with the date it was withdrawn. 409 if it was already "
        "withdrawn.\n\n" + WRITE_ERRORS
    ),
    operation_id="withdraw_plan_objection",
)
def withdraw_objection(
    request: HttpRequest,
    family_id: UUID,
    plan_id: UUID,
    objection_id: UUID,
    payload: WithdrawalIn,
) -> ObjectionOut:
    user = api_user(request)
    objection = selectors.get_objection_for_user(user, family_id, plan_id, objection_id)
    with input_errors_at(BODY):
        objection = services.withdraw_objection(
            actor=user, objection=objection, withdrawn_on=payload.withdrawn_on
        )
    return _objection_out(objection)


@router.post(
    PLAN + "/share",
    response={
        200: ShareOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Send the plan to the TAF members",
    description=(
        "E-mail the current version as a PDF (no addresses, no one the plan does not name) to "
        "each TAF professional with an e-mail address, or to the `recipients` given. Every "
        "recipient is recorded in the audit trail. The answer lists the e-mail addresses it "
        "went to (`sent_to_addresses`); send the `addresses` you expect and it is refused (409) "
        "if the partner directory holds others.\n\n"
        "Errors: 409 while a family member's objection to sharing stands, or when there is no "
        "one to send it to; 422 if a recipient is not a TAF member of the current version with "
        "an e-mail address; 401, 403 and 404 as for the other changes."
    ),
    operation_id="share_family_plan",
)
def share(request: HttpRequest, family_id: UUID, plan_id: UUID, payload: ShareIn) -> ShareOut:
    plan = _plan(request, family_id, plan_id)
    with input_errors_at(BODY):
        result = services.share_plan_with_taf(
            actor=api_user(request),
            plan=plan,
            contacts=payload.recipients,
            confirmed_addresses=payload.addresses,
        )
    return ShareOut(
        version=result.version_number,
        sent_to=result.sent_to,
        not_sent=result.not_sent,
        sent_to_addresses=result.addresses,
    )
