"""The partner API: a TAF partner's systems read and update what the partner pages show.

Thin over ``sharing.partner.access`` and ``sharing.partner.services``, so the same sharing
check, audit and disclosure log apply: a family whose plan the partner may not see answers
404 here exactly as on the pages, and the staff operations (``/families/{id}`` ...) answer
404 to a partner's token, so the API cannot bypass the check.
"""

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.core.errors import PermissionDenied
from earlyhelp.plans.models import ActionStatus
from earlyhelp.sharing.partner import access, services
from earlyhelp.sharing.partner.schemas import (
    ContributionIn,
    ContributionOut,
    MyActionOut,
    MyActionStatusIn,
    NoteOut,
    PartnerActionOut,
    PartnerAssessmentOut,
    PartnerFamilyOut,
    PartnerFamilyRowOut,
    PartnerMemberOut,
    PartnerNeedOut,
    PartnerOutcomeOut,
    PartnerVoiceOut,
)

router = Router(tags=["partner"])

BODY = "body.payload"
FAMILY = "/partner/families/{family_id}"
GATE = (
    "404 if there is no such family, its current plan does not name you, or the family has not "
    "agreed to your organisation seeing the plan (no agreement, withdrawn, or an objection)"
)


def _family_out(shown: access.PartnerFamily) -> PartnerFamilyOut:
    plan = shown.plan
    return PartnerFamilyOut(
        id=shown.family.pk,
        reference=plan.family_reference,
        scopes=shown.scopes,
        plan_version=plan.version_number,
        agreed_on=plan.agreed_on,
        next_review_due=plan.next_review_due,
        people=list(plan.people),
        outcomes=[
            PartnerOutcomeOut(
                headline=o.headline,
                description=o.description,
                measure=o.measure,
                people=list(o.people),
            )
            for o in plan.outcomes
        ],
        actions=[
            PartnerActionOut(
                what=a.what,
                owner=a.owner,
                owner_detail=a.owner_detail,
                due_on=a.due_on,
                status=a.status,
                outcome=a.outcome,
            )
            for a in plan.actions
        ],
        members=[
            PartnerMemberOut(name=m.name, detail=m.detail, role_in_plan=m.role_in_plan)
            for m in plan.members
        ],
        my_actions=[_my_action_out(a) for a in shown.my_actions],
        contributions=[
            ContributionOut(id=c.pk, text=c.text, written_at=c.written_at)
            for c in shown.contributions
        ],
        assessments=None
        if shown.assessments is None
        else [
            PartnerAssessmentOut(
                id=a.id,
                started_on=a.started_on,
                completed_on=a.completed_on,
                strengths=a.strengths,
                child_views=a.child_views,
                parent_views=a.parent_views,
                analysis=a.analysis,
                conclusion=a.conclusion,
                needs=[
                    PartnerNeedOut(
                        headline=n.headline,
                        person=n.person,
                        severity=n.severity,
                        evidence=n.evidence,
                    )
                    for n in a.needs
                ],
            )
            for a in shown.assessments
        ],
        case_notes=None
        if shown.notes is None
        else [
            NoteOut(
                id=n.id,
                contact_type=n.contact_type,
                occurred_at=n.occurred_at,
                about=n.about,
                note=n.note,
                voices=[
                    PartnerVoiceOut(kind=v.kind, person=v.person, text=v.text) for v in n.voices
                ],
            )
            for n in shown.notes
        ],
    )


def _my_action_out(action: access.MyAction) -> MyActionOut:
    return MyActionOut(
        id=action.id, what=action.what, due_on=action.due_on, status=ActionStatus(action.status)
    )


@router.get(
    "/partner/families",
    response={200: list[PartnerFamilyRowOut], 401: Error, 403: Error},
    summary="List your families (partners)",
    description=(
        "For a partner sign-in: the families whose active plan's current version names you as "
        "a Team Around the Family member and who have agreed to your organisation seeing the "
        "plan. References, plan versions and dates only; open a family for its plan. The read "
        "is audited.\n\n"
        "Errors: 401 without a valid token; 403 if the token is not a partner's."
    ),
    operation_id="list_partner_families",
)
def list_families(request: HttpRequest) -> list[PartnerFamilyRowOut]:
    user = api_user(request)
    if not access.is_partner(user):
        raise PermissionDenied("Only partner sign-ins have families here.")
    found = access.listed_families(user)
    access.audit_list(user, len(found.rows))
    return [
        PartnerFamilyRowOut(
            id=row.family_id,
            reference=row.reference,
            plan_version=row.version_number,
            next_review_due=row.next_review_due,
            my_open_actions=row.my_open_actions,
        )
        for row in found.rows
    ]


@router.get(
    FAMILY,
    response={200: PartnerFamilyOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a family's plan (partners)",
    description=(
        "The current version of the family plan (outcomes, actions, TAF members), your own "
        "actions and contributions, and -- only where the family's agreement with your "
        "organisation covers them -- authorised assessments and recent case notes "
        "(`null` otherwise). Names appear only of the people the plan names; anyone else is "
        "shown by their role, and no address is ever included. Each read is checked against "
        "the family's agreements, audited, and written to the family's disclosure log.\n\n"
        f"Errors: 401 without a valid token; {GATE}; 422 if the id is not a UUID."
    ),
    operation_id="get_partner_family",
)
def get_family(request: HttpRequest, family_id: UUID) -> PartnerFamilyOut:
    return _family_out(access.partner_family(api_user(request), family_id))


@router.patch(
    FAMILY + "/actions/{action_id}",
    response={
        200: MyActionOut,
        401: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Update the status of your action (partners)",
    description=(
        "Change the status of an action the current version of the plan gives to you. "
        "Audited and added to the family's timeline.\n\n"
        f"Errors: 401 without a valid token; {GATE}, or the action is not yours or not on the "
        "current version; 409 if the plan was reviewed meanwhile; 422 for an unknown status."
    ),
    operation_id="update_partner_action_status",
)
def update_action(
    request: HttpRequest, family_id: UUID, action_id: UUID, payload: MyActionStatusIn
) -> MyActionOut:
    with input_errors_at(BODY):
        action = services.update_my_action_status(
            actor=api_user(request),
            family_id=family_id,
            action_id=action_id,
            status=payload.status,
        )
    return _my_action_out(action)


@router.post(
    FAMILY + "/contributions",
    response={201: ContributionOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Add a contribution to a family's plan (partners)",
    description=(
        "A note from you on the plan: what you have done, progress, concerns. The family's "
        "lead practitioner sees it on the family's timeline. Audited.\n\n"
        f"Errors: 401 without a valid token; {GATE}; 422 if the text is empty or too long."
    ),
    operation_id="add_partner_contribution",
)
def add_contribution(
    request: HttpRequest, family_id: UUID, payload: ContributionIn
) -> tuple[int, ContributionOut]:
    with input_errors_at(BODY):
        contribution = services.add_contribution(
            actor=api_user(request), family_id=family_id, text=payload.text
        )
    return 201, ContributionOut(
        id=contribution.pk, text=contribution.text, written_at=contribution.written_at
    )
