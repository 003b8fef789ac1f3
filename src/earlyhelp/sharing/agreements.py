"""Recording and withdrawing agreements (consent). Every write is audited and on the timeline.

Who may give an agreement (domain.md section 5): an adult for themself; a child for
themself when the practitioner has judged them competent (Gillick/Fraser); a parent or carer
in the family for a child. Nothing new is shared under an agreement once it is withdrawn
(sharing.policy only ever looks at agreements that stand).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import IO
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineKind
from earlyhelp.core import files
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.partners.models import Organisation, OrganisationKind
from earlyhelp.people.models import Family, FamilyMembership, FamilyRole
from earlyhelp.sharing.models import Agreement, AgreementKind, ConsentMethod, Scope
from earlyhelp.sharing.permissions import can_record_sharing

ADULT_AGE = 18
LINK_NAME = "sharing:agreement"


@dataclass
class AgreementInput:
    person: UUID | None = None
    given_by: UUID | None = None
    kind: str = AgreementKind.SHARE
    recipient_organisation: UUID | None = None
    recipient_kind: str = ""
    scopes: list[str] = field(default_factory=list)
    purpose: str = ""
    method: str = ""
    given_on: date | None = None
    child_competent: bool = False  # the practitioner's judgement that a child can decide


def _age_on(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _membership(family: Family, person_id: UUID | None, *, field: str) -> FamilyMembership:
    if person_id is None:
        raise InvalidInput("Choose a member of the family.", field=field)
    membership = (
        FamilyMembership.objects.filter(family=family, person_id=person_id)
        .select_related("person")
        .first()
    )
    if membership is None:
        raise InvalidInput("Choose a member of this family.", field=field)
    return membership


def _check_giver(
    subject: FamilyMembership, giver: FamilyMembership, *, competent: bool, on: date
) -> None:
    age = _age_on(subject.person.date_of_birth, on)
    is_adult = age is not None and age >= ADULT_AGE
    if subject.person_id == giver.person_id:
        if is_adult or competent:
            return
        raise InvalidInput(
            "A child gives their own agreement only when you have judged them competent to "
            "decide (Gillick/Fraser). Otherwise a parent or carer gives it.",
            field="given_by",
        )
    if is_adult:
        raise InvalidInput("An adult gives their own agreement.", field="given_by")
    if giver.role != FamilyRole.PARENT_OR_CARER:
        raise InvalidInput(
            "For a child, agreement comes from the child (if competent) or from a parent or "
            "carer in the family.",
            field="given_by",
        )


def _scopes(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if not chosen:
        raise InvalidInput("Choose what information may be shared.", field="scopes")
    for value in chosen:
        if value not in Scope.values:
            raise InvalidInput("Choose from the kinds of information listed.", field="scopes")
    return chosen


def _recipient(data: AgreementInput) -> tuple[Organisation | None, str]:
    if data.recipient_organisation is not None and data.recipient_kind:
        raise InvalidInput(
            "Choose either one organisation or a kind of organisation, not both.",
            field="recipient_organisation",
        )
    if data.recipient_organisation is not None:
        organisation = Organisation.objects.filter(
            pk=data.recipient_organisation, active=True
        ).first()
        if organisation is None:
            raise InvalidInput(
                "Choose an organisation from the partner directory.",
                field="recipient_organisation",
            )
        return organisation, ""
    if data.recipient_kind:
        if data.recipient_kind not in OrganisationKind.values:
            raise InvalidInput("Choose a kind of organisation.", field="recipient_kind")
        return None, data.recipient_kind
    raise InvalidInput(
        "Choose who the information may be shared with.", field="recipient_organisation"
    )


def _require_recorder(actor: User, family: Family) -> None:
    if not can_record_sharing(actor, family):
        raise PermissionDenied(
            "Only the lead practitioner, or a practitioner or manager of the allocated team, "
            "can record agreements while the case is open."
        )


@transaction.atomic
def record_agreement(
    *,
    actor: User,
    family: Family,
    data: AgreementInput,
    signed_form: IO[bytes] | None = None,
    signed_form_name: str = "",
) -> Agreement:
    """Record one person's agreement as given; a signed form is stored if uploaded."""
    _require_recorder(actor, family)
    today = timezone.localdate()
    if data.given_on is None:
        raise InvalidInput("Enter the date the agreement was given.", field="given_on")
    if data.given_on > today:
        raise InvalidInput("The date must be today or in the past.", field="given_on")
    subject = _membership(family, data.person, field="person")
    giver = _membership(family, data.given_by, field="given_by")
    _check_giver(subject, giver, competent=data.child_competent, on=data.given_on)
    if data.kind not in AgreementKind.values:
        raise InvalidInput("Choose what the agreement is for.", field="kind")
    if data.method not in ConsentMethod.values:
        raise InvalidInput("Choose how the agreement was given.", field="method")
    organisation: Organisation | None = None
    recipient_kind = ""
    scopes: list[str] = []
    purpose = data.purpose.strip()
    if data.kind == AgreementKind.SHARE:
        organisation, recipient_kind = _recipient(data)
        scopes = _scopes(data.scopes)
        if not purpose:
            raise InvalidInput("Enter the purpose the information is shared for.", field="purpose")
    if len(purpose) > 2000:
        raise InvalidInput("The purpose must be 2000 characters or fewer.", field="purpose")
    if data.method == ConsentMethod.SIGNED_FORM and signed_form is None:
        raise InvalidInput("Upload the signed form.", field="signed_form")
    agreement = Agreement(
        family=family,
        person=subject.person,
        given_by=giver.person,
        kind=data.kind,
        recipient_organisation=organisation,
        recipient_kind=recipient_kind,
        scopes=scopes,
        purpose=purpose,
        method=data.method,
        given_on=data.given_on,
        recorded_by=actor,
    )
    if signed_form is not None:
        stored = files.store(signed_form, field="signed_form")
        agreement.signed_form = stored.stored_name
        agreement.signed_form_type = stored.content_type
        agreement.signed_form_name = (signed_form_name or "signed-form")[:255]
    agreement.save()
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="agreement",
        object_id=agreement.pk,
        detail={"kind": agreement.kind, "scopes": scopes},
    )
    timeline.record_entry(
        family=family,
        kind=TimelineKind.SHARING,
        occurred_at=timezone.now(),
        object_type="agreement",
        object_id=agreement.pk,
        title=(
            "Agreement to share recorded"
            if agreement.kind == AgreementKind.SHARE
            else "Agreement to receive Early Help recorded"
        ),
        summary=agreement.recipient_label,
        people=[subject.person_id],
        link_name=LINK_NAME,
        recorded_by=actor,
    )
    return agreement


@transaction.atomic
def withdraw_agreement(
    *,
    actor: User,
    agreement: Agreement,
    withdrawn_on: date | None,
    withdrawn_by: UUID | None,
    note: str = "",
) -> Agreement:
    """Withdraw an agreement: from now on nothing new is shared under it."""
    _require_recorder(actor, agreement.family)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_active:
        raise Conflict("This agreement has already been withdrawn.")
    today = timezone.localdate()
    if withdrawn_on is None:
        raise InvalidInput("Enter the date the agreement was withdrawn.", field="withdrawn_on")
    if withdrawn_on > today:
        raise InvalidInput("The date must be today or in the past.", field="withdrawn_on")
    if withdrawn_on < agreement.given_on:
        raise InvalidInput(
            "An agreement cannot be withdrawn before it was given.", field="withdrawn_on"
        )
    who = _membership(agreement.family, withdrawn_by, field="withdrawn_by")
    if len(note) > 2000:
        raise InvalidInput("The note must be 2000 characters or fewer.", field="note")
    agreement.withdrawn_on = withdrawn_on
    agreement.withdrawn_by = who.person
    agreement.withdrawal_note = note.strip()
    agreement.withdrawal_recorded_by = actor
    agreement.save(
        update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_note", "withdrawal_recorded_by"]
    )
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="agreement",
        object_id=agreement.pk,
        detail={"change": "withdrawn"},
    )
    timeline.record_entry(
        family=agreement.family,
        kind=TimelineKind.SHARING,
        occurred_at=timezone.now(),
        object_type="agreement",
        object_id=agreement.pk,
        title="Agreement withdrawn",
        summary="Nothing new will be shared under this agreement.",
        people=[agreement.person_id],
        link_name=LINK_NAME,
        recorded_by=actor,
    )
    return agreement
