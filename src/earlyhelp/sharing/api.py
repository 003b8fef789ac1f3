"""Agreements (consent), sharing decisions and the disclosure log over JSON.

Thin over ``sharing.selectors`` (reads: the family gatekeeper, audited) and the
``sharing.agreements`` and ``sharing.decisions`` services (writes). A signed consent form is
uploaded and downloaded on the staff site only.
"""

from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router

from earlyhelp.audit.services import record_list_view
from earlyhelp.core.api_schemas import Error, ValidationErrorSchema, api_user, input_errors_at
from earlyhelp.sharing import selectors
from earlyhelp.sharing.agreements import AgreementInput, record_agreement, withdraw_agreement
from earlyhelp.sharing.decisions import (
    DecisionInput,
    authorise_decision,
    is_overdue,
    record_decision,
)
from earlyhelp.sharing.models import Agreement, DisclosureLogEntry, SharingDecision
from earlyhelp.sharing.schemas import (
    AgreementIn,
    AgreementOut,
    AgreementWithdrawalIn,
    AuthorisationIn,
    DisclosureLogOut,
    DisclosureOut,
    SharingDecisionIn,
    SharingDecisionOut,
)

router = Router(tags=["sharing"])

BODY = "body.payload"
AGREEMENTS = "/families/{family_id}/agreements"
DECISIONS = "/families/{family_id}/sharing-decisions"
LOG_PAGE_SIZE = 50
READ = {401: Error, 404: Error, 422: ValidationErrorSchema}
WRITE = {401: Error, 403: Error, 404: Error, 409: Error, 422: ValidationErrorSchema}
READ_ERRORS = (
    "Errors: 401 without a valid token; 404 if there is no such family or record or you may "
    "not see it; 422 if an id is not a UUID."
)
WRITE_ERRORS = (
    "Errors: 401 without a valid token; 403 if you may not record sharing for this family "
    "(only the lead practitioner, or a practitioner or manager of the allocated team, while "
    "the case is open); 404 if there is no such family or record or you may not see it; 409 "
    "if the record's state does not allow it; 422 naming the path of the first invalid value."
)


def _agreement_out(agreement: Agreement) -> AgreementOut:
    return AgreementOut(
        id=agreement.pk,
        family_id=agreement.family_id,
        person_id=agreement.person_id,
        given_by_id=agreement.given_by_id,
        kind=agreement.kind,  # type: ignore[arg-type]
        recipient_organisation_id=agreement.recipient_organisation_id,
        recipient_kind=agreement.recipient_kind,
        recipient=agreement.recipient_label,
        scopes=list(agreement.scopes),
        purpose=agreement.purpose,
        method=agreement.method,  # type: ignore[arg-type]
        has_signed_form=bool(agreement.signed_form),
        given_on=agreement.given_on,
        recorded_at=agreement.recorded_at,
        active=agreement.is_active,
        withdrawn_on=agreement.withdrawn_on,
        withdrawn_by_id=agreement.withdrawn_by_id,
        withdrawal_note=agreement.withdrawal_note,
    )


def _decision_out(decision: SharingDecision) -> SharingDecisionOut:
    return SharingDecisionOut(
        id=decision.pk,
        family_id=decision.family_id,
        outcome=decision.outcome,  # type: ignore[arg-type]
        decided_on=decision.decided_on,
        people=[p.pk for p in decision.people.all()],
        recipient_organisation_id=decision.recipient_organisation_id,
        recipient_contact_id=decision.recipient_contact_id,
        purpose=decision.purpose,
        scopes=list(decision.scopes),
        lawful_basis=decision.lawful_basis,
        gateway=decision.gateway,
        consent_status=decision.consent_status,  # type: ignore[arg-type]
        consent_not_sought_reason=decision.consent_not_sought_reason,
        agreements=[a.pk for a in decision.agreements.all()],
        family_told=decision.family_told,
        family_not_told_reason=decision.family_not_told_reason,
        necessity=decision.necessity,
        items_shared=decision.items_shared,
        identities_protected=decision.identities_protected,
        onward_restrictions=decision.onward_restrictions,
        transfer_method=decision.transfer_method,
        decided_by=decision.decided_by.display_name,
        recorded_at=decision.recorded_at,
        emergency=decision.emergency,
        released_at=decision.released_at,
        authorisation=decision.authorisation,  # type: ignore[arg-type]
        authorisation_due_at=decision.authorisation_due_at,
        authorisation_overdue=is_overdue(decision),
        authorised_by=decision.authorised_by.display_name if decision.authorised_by else None,
        authorised_at=decision.authorised_at,
        authorisation_note=decision.authorisation_note,
    )


def _disclosure_out(entry: DisclosureLogEntry) -> DisclosureOut:
    return DisclosureOut(
        id=entry.pk,
        person_id=entry.person_id,
        disclosed_at=entry.disclosed_at,
        channel=entry.channel,  # type: ignore[arg-type]
        what=entry.what,
        scopes=list(entry.scopes),
        recipient_organisation_id=entry.recipient_organisation_id,
        recipient_organisation=entry.recipient_organisation.name,
        recipient_contact_id=entry.recipient_contact_id,
        recipient_contact=entry.recipient_contact.name if entry.recipient_contact else None,
        basis=entry.basis_label,
        agreement_id=entry.agreement_id,
        decision_id=entry.decision_id,
        package_id=entry.package_id,
        disclosed_by=entry.disclosed_by.display_name,
        approved_by=entry.approved_by.display_name if entry.approved_by else None,
    )


# --- Agreements ------------------------------------------------------------------------------


@router.get(
    AGREEMENTS,
    response={200: list[AgreementOut], **READ},
    summary="List a family's agreements",
    description=(
        "Every family member's agreements to receive Early Help and to share, current first "
        "then withdrawn (`active` is false, `withdrawn_on` says when). Visible to whoever may "
        "read the family; the read is audited.\n\n" + READ_ERRORS
    ),
    operation_id="list_family_agreements",
)
def list_agreements(request: HttpRequest, family_id: UUID) -> list[AgreementOut]:
    user = api_user(request)
    found = selectors.family_agreements(user, family_id)
    agreements = list(found.agreements)
    record_list_view(user, "agreement", len(agreements))
    return [_agreement_out(a) for a in agreements]


@router.post(
    AGREEMENTS,
    response={201: AgreementOut, **WRITE},
    summary="Record an agreement",
    description=(
        "One person's agreement to receive Early Help (`kind` `receive_support`) or to share "
        "their information (`share`) with one organisation (`recipient_organisation`) or every "
        "organisation of a kind (`recipient_kind`), for the `scopes` and `purpose` given. An "
        "adult gives their own; a child their own only with `child_competent`; otherwise a "
        "parent or carer in the family. A `signed_form` agreement needs the form uploaded on "
        "the staff site (422 here).\n\n" + WRITE_ERRORS
    ),
    operation_id="record_family_agreement",
)
def create_agreement(
    request: HttpRequest, family_id: UUID, payload: AgreementIn
) -> tuple[int, AgreementOut]:
    user = api_user(request)
    family = selectors.family_agreements(user, family_id).family
    with input_errors_at(BODY):
        agreement = record_agreement(
            actor=user,
            family=family,
            data=AgreementInput(
                person=payload.person,
                given_by=payload.given_by,
                kind=payload.kind,
                recipient_organisation=payload.recipient_organisation,
                recipient_kind=payload.recipient_kind or "",
                scopes=[str(s) for s in payload.scopes],
                purpose=payload.purpose,
                method=payload.method,
                given_on=payload.given_on,
                child_competent=payload.child_competent,
            ),
        )
    return 201, _agreement_out(agreement)


@router.get(
    AGREEMENTS + "/{agreement_id}",
    response={200: AgreementOut, **READ},
    summary="Read an agreement",
    description="One agreement, current or withdrawn. The read is audited.\n\n" + READ_ERRORS,
    operation_id="get_family_agreement",
)
def get_agreement(request: HttpRequest, family_id: UUID, agreement_id: UUID) -> AgreementOut:
    return _agreement_out(
        selectors.get_agreement_for_user(api_user(request), family_id, agreement_id)
    )


@router.post(
    AGREEMENTS + "/{agreement_id}/withdrawal",
    response={200: AgreementOut, **WRITE},
    summary="Record that an agreement was withdrawn",
    description=(
        "The agreement is kept, with the date and who withdrew it; from then on nothing new "
        "is shared under it. 409 if it was already withdrawn.\n\n" + WRITE_ERRORS
    ),
    operation_id="withdraw_family_agreement",
)
def withdraw(
    request: HttpRequest, family_id: UUID, agreement_id: UUID, payload: AgreementWithdrawalIn
) -> AgreementOut:
    user = api_user(request)
    agreement = selectors.get_agreement_for_user(user, family_id, agreement_id)
    with input_errors_at(BODY):
        agreement = withdraw_agreement(
            actor=user,
            agreement=agreement,
            withdrawn_on=payload.withdrawn_on,
            withdrawn_by=payload.withdrawn_by,
            note=payload.note,
        )
    return _agreement_out(agreement)


# --- Sharing decisions -----------------------------------------------------------------------


@router.get(
    DECISIONS,
    response={200: list[SharingDecisionOut], **READ},
    summary="List a family's sharing decisions",
    description=(
        "Every decision to share, share in part or not share, newest first, with its "
        "authorisation status (`authorisation_overdue` flags an emergency release whose "
        "authorisation is late). The read is audited.\n\n" + READ_ERRORS
    ),
    operation_id="list_sharing_decisions",
)
def list_decisions(request: HttpRequest, family_id: UUID) -> list[SharingDecisionOut]:
    user = api_user(request)
    found = selectors.family_decisions(user, family_id)
    decisions = list(found.decisions.prefetch_related("agreements"))
    record_list_view(user, "sharing_decision", len(decisions))
    return [_decision_out(d) for d in decisions]


@router.post(
    DECISIONS,
    response={201: SharingDecisionOut, **WRITE},
    summary="Record a sharing decision",
    description=(
        "Every field of a sharing decision record. Sharing when agreement was refused or not "
        "sought needs a `gateway`; it then waits for a team manager's authorisation "
        "(`authorisation` `pending`) unless `emergency`, when it is released at once and the "
        "authorisation falls due within 24 hours. Decisions not to share are recorded too.\n\n"
        + WRITE_ERRORS
    ),
    operation_id="record_sharing_decision",
)
def create_decision(
    request: HttpRequest, family_id: UUID, payload: SharingDecisionIn
) -> tuple[int, SharingDecisionOut]:
    user = api_user(request)
    family = selectors.family_decisions(user, family_id).family
    with input_errors_at(BODY):
        decision = record_decision(
            actor=user,
            family=family,
            data=DecisionInput(
                outcome=payload.outcome,
                decided_on=payload.decided_on,
                people=payload.people,
                recipient_organisation=payload.recipient_organisation,
                recipient_contact=payload.recipient_contact,
                purpose=payload.purpose,
                scopes=[str(s) for s in payload.scopes],
                gateway=payload.gateway or "",
                consent_status=payload.consent_status,
                consent_not_sought_reason=payload.consent_not_sought_reason,
                agreements=payload.agreements,
                family_told=payload.family_told,
                family_not_told_reason=payload.family_not_told_reason,
                necessity=payload.necessity,
                items_shared=payload.items_shared,
                identities_protected=payload.identities_protected,
                onward_restrictions=payload.onward_restrictions,
                transfer_method=payload.transfer_method or "",
                emergency=payload.emergency,
            ),
        )
    return 201, _decision_out(
        selectors.get_decision_for_user(user, family_id, decision.pk, purpose="recorded")
    )


@router.get(
    DECISIONS + "/{decision_id}",
    response={200: SharingDecisionOut, **READ},
    summary="Read a sharing decision",
    description="One decision with its authorisation status. The read is audited.\n\n"
    + READ_ERRORS,
    operation_id="get_sharing_decision",
)
def get_decision(request: HttpRequest, family_id: UUID, decision_id: UUID) -> SharingDecisionOut:
    return _decision_out(selectors.get_decision_for_user(api_user(request), family_id, decision_id))


@router.post(
    DECISIONS + "/{decision_id}/authorisation",
    response={200: SharingDecisionOut, **WRITE},
    summary="Authorise or refuse sharing without agreement",
    description=(
        "A team manager of the family's team, other than the decision-maker (four eyes), "
        "authorises (`authorise` true) or refuses (false, with a `note`) a decision to share "
        "under a gateway.\n\nErrors: 401 without a valid token; 403 if you are not a manager "
        "of the family's team or you made the decision; 404 if you may not see the family or "
        "decision; 409 if the decision needs no authorisation or was already authorised or "
        "refused; 422 naming the first invalid value."
    ),
    operation_id="authorise_sharing_decision",
)
def authorise(
    request: HttpRequest, family_id: UUID, decision_id: UUID, payload: AuthorisationIn
) -> SharingDecisionOut:
    user = api_user(request)
    decision = selectors.get_decision_for_user(user, family_id, decision_id)
    with input_errors_at(BODY):
        authorise_decision(
            actor=user, decision=decision, authorise=payload.authorise, note=payload.note
        )
    return _decision_out(
        selectors.get_decision_for_user(user, family_id, decision_id, purpose="authorised")
    )


# --- The disclosure log ----------------------------------------------------------------------


@router.get(
    "/families/{family_id}/disclosure-log",
    response={200: DisclosureLogOut, **READ},
    summary="Read a family's disclosure log",
    description=(
        "What of each person's information left the team, most recent first, 50 per page: "
        "what, to whom, when, how (`channel`), on what basis (an agreement or a gateway "
        "decision), by whom and approved by whom. `person` (a member's id) narrows it to one "
        "person. The read is audited.\n\nErrors: 401 without a valid token; 404 if you may not "
        "see the family, or `person` is not a member of it; 422 if an id is not a UUID."
    ),
    operation_id="get_disclosure_log",
)
def disclosure_log(
    request: HttpRequest, family_id: UUID, person: UUID | None = None, page: int = 1
) -> DisclosureLogOut:
    user = api_user(request)
    found = selectors.disclosure_log(user, family_id, person)
    current = Paginator(found.entries, LOG_PAGE_SIZE).get_page(page)
    record_list_view(user, "disclosure", len(current.object_list))
    return DisclosureLogOut(
        count=current.paginator.count,
        page=current.number,
        pages=current.paginator.num_pages,
        items=[_disclosure_out(e) for e in current.object_list],
    )
