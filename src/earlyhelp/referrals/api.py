"""Referrals over JSON: record one, read it, record the triage decision.

Thin over ``referrals.services`` and ``referrals.selectors``: permission checks, validation
rules and audit events all happen there, exactly as for the staff pages.
"""

from uuid import UUID

from django.http import HttpRequest
from ninja import Router

from earlyhelp.accounts.services import get_user_by_username, team_by_slug
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.core.errors import InvalidInput, NotFound
from earlyhelp.referrals import selectors, services
from earlyhelp.referrals.models import Outcome, Referral
from earlyhelp.referrals.schemas import (
    ReferralCreated,
    ReferralIn,
    ReferralOut,
    ReferralPersonOut,
    ReferrerOut,
    TriageDecisionIn,
    TriageDecisionOut,
)

router = Router(tags=["referrals"])

BODY = "body.payload"


@router.post(
    "/referrals",
    response={
        201: ReferralCreated,
        401: Error,
        403: Error,
        422: ValidationErrorSchema,
    },
    summary="Record a referral",
    description=(
        "Record a referral received by phone, email, letter, face to face or from another "
        "service (`online_form` is the public form's channel and is refused). `source` is a "
        "`referral_sources` code (default `other`); `reasons` are `referral_reasons` codes. "
        "NHS numbers and postcodes are checked for format. The referral waits for triage.\n\n"
        "Errors: 401 without a valid token; 403 if your role does not record referrals; "
        "422 naming the path of the first invalid value, e.g. "
        '`["body", "payload", "people", 1, "nhs_number"]`.'
    ),
    operation_id="create_referral",
)
def create_referral(request: HttpRequest, payload: ReferralIn) -> tuple[int, dict[str, object]]:
    data = services.ReferralInput(
        channel=payload.channel,
        source=payload.source,
        received_at=payload.received_at,
        referrer_name=payload.referrer.name,
        referrer_organisation=payload.referrer.organisation,
        referrer_role=payload.referrer.role,
        referrer_phone=payload.referrer.phone,
        referrer_email=payload.referrer.email,
        family_aware=payload.family_aware,
        family_consents=payload.family_consents,
        address_line1=payload.address.line1,
        address_town=payload.address.town,
        address_postcode=payload.address.postcode,
        people=[
            services.PersonInput(
                first_name=person.first_name,
                last_name=person.last_name,
                date_of_birth=person.date_of_birth,
                sex=person.sex.value,
                role=person.role.value,
                nhs_number=person.nhs_number,
            )
            for person in payload.people
        ],
        reasons=list(payload.reasons),
        summary=payload.summary,
    )
    with input_errors_at(BODY):
        referral = services.create_referral(actor=api_user(request), data=data)
    return 201, {"id": referral.pk, "reference": referral.reference}


def _referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        id=referral.pk,
        reference=referral.reference,
        channel=referral.channel,
        source=referral.source,
        received_at=referral.received_at,
        status=referral.status,
        outcome=referral.outcome or None,
        referrer=ReferrerOut(
            name=referral.referrer_name,
            organisation=referral.referrer_organisation,
            role=referral.referrer_role,
            phone=referral.referrer_phone,
            email=referral.referrer_email,
        ),
        people=[
            ReferralPersonOut(
                id=person.pk,
                first_name=person.first_name,
                last_name=person.last_name,
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                role=person.role,
            )
            for person in referral.people.all()
        ],
        reasons=list(referral.reasons),
        summary=referral.summary,
    )


@router.get(
    "/referrals/{referral_id}",
    response={200: ReferralOut, 401: Error, 404: Error, 422: ValidationErrorSchema},
    summary="Read a referral",
    description=(
        "The referral with the people it names (their `id`s are the keys of a decision's "
        "`links`). Duty workers and team managers see every referral; practitioners see "
        "those of families they work with. The read is recorded in the audit trail.\n\n"
        "Errors: 401 without a valid token; 404 if there is no such referral or you may not "
        "see it; 422 if the id is not a UUID."
    ),
    operation_id="get_referral",
)
def get_referral(request: HttpRequest, referral_id: UUID) -> ReferralOut:
    referral = selectors.get_referral_for_user(api_user(request), referral_id)
    return _referral_out(referral)


def _check_allocation(payload: TriageDecisionIn) -> None:
    """Name an unknown team or lead as a 422 on its field rather than a 404 for the URL."""
    if payload.team:
        try:
            team_by_slug(payload.team)
        except NotFound:
            raise InvalidInput("There is no team with this slug.", field=f"{BODY}.team") from None
    if payload.lead_practitioner:
        try:
            get_user_by_username(payload.lead_practitioner)
        except NotFound:
            raise InvalidInput(
                "There is no user with this username.", field=f"{BODY}.lead_practitioner"
            ) from None


@router.post(
    "/referrals/{referral_id}/decision",
    response={
        200: TriageDecisionOut,
        401: Error,
        403: Error,
        404: Error,
        409: Error,
        422: ValidationErrorSchema,
    },
    summary="Record the triage decision",
    description=(
        "Exactly one decision per referral. `accepted` needs `team` (and usually "
        "`lead_practitioner`): it creates or joins a family and opens an episode allocated to "
        "that team, returning their ids. `linked` joins the open episode of the family of a "
        "person given in `links`. `signposted` needs `signposted_to`. `declined` (by the "
        "family) cuts the referral down to its minimal record at once. `family_id` and "
        "`episode_id` are null for outcomes that create neither.\n\n"
        "Errors: 401 without a valid token; 403 if your role does not triage; 404 if the "
        "referral (or a person to link) is not found or not visible to you; 409 if a decision "
        "was already recorded, or for `linked` when no linked family has an open episode; "
        "422 naming the invalid field."
    ),
    operation_id="record_decision",
)
def record_decision(
    request: HttpRequest, referral_id: UUID, payload: TriageDecisionIn
) -> tuple[int, TriageDecisionOut]:
    actor = api_user(request)
    referral = selectors.get_referral_for_user(actor, referral_id, purpose="triage")
    _check_allocation(payload)
    decision = services.Decision(
        outcome=payload.outcome.value,
        team_slug=payload.team or None,
        lead_practitioner=payload.lead_practitioner or None,
        signposted_to=payload.signposted_to,
        links=dict(payload.links),
    )
    with input_errors_at(BODY):
        result = services.record_decision(actor=actor, referral=referral, decision=decision)
    return 200, TriageDecisionOut(
        referral_id=result.referral.pk,
        outcome=Outcome(result.referral.outcome),
        family_id=result.family_id,
        episode_id=result.episode_id,
    )
