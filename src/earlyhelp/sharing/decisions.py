"""Recording sharing decisions, and a team manager's authorisation of sharing without agreement.

A decision records every field of domain.md section 5, decisions *not* to share included.
Sharing without agreement names a gateway and waits for a team manager of the family's team
(not the decider) to authorise it. In an emergency the practitioner may release at once; the
authorisation is then due within ``EARLYHELP_EMERGENCY_AUTHORISATION_HOURS`` (24) of the
release, and overdue ones are listed for the managers and the DPO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.accounts.permissions import AnyUser, has_role, team_ids_with_role
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Episode, TimelineKind
from earlyhelp.casework.permissions import hide_restricted
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.partners.models import Organisation, PartnerContact
from earlyhelp.people.models import Family, FamilyMembership
from earlyhelp.sharing.models import (
    Agreement,
    AuthorisationStatus,
    ConsentStatus,
    DecisionOutcome,
    Gateway,
    Scope,
    SharingDecision,
    TransferMethod,
)
from earlyhelp.sharing.permissions import can_authorise, can_record_sharing
from earlyhelp.sharing.recipients import resolve_recipient

LINK_NAME = "sharing:decision"
MAX_TEXT = 5000


@dataclass
class DecisionInput:
    outcome: str = ""
    decided_on: date | None = None
    people: list[UUID] = field(default_factory=list)
    recipient_organisation: UUID | None = None
    recipient_contact: UUID | None = None
    purpose: str = ""
    scopes: list[str] = field(default_factory=list)
    gateway: str = ""
    consent_status: str = ""
    consent_not_sought_reason: str = ""
    agreements: list[UUID] = field(default_factory=list)
    family_told: bool | None = None
    family_not_told_reason: str = ""
    necessity: str = ""
    items_shared: str = ""
    identities_protected: str = ""
    onward_restrictions: str = ""
    transfer_method: str = ""
    emergency: bool = False


def emergency_window() -> timedelta:
    return timedelta(hours=settings.EARLYHELP_EMERGENCY_AUTHORISATION_HOURS)


def _text(value: str, *, field: str, required: str | None = None) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(required, field=field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"This must be {MAX_TEXT} characters or fewer.", field=field)
    return value


def _choice(value: str, choices: list[str], *, field: str, message: str) -> str:
    if value not in choices:
        raise InvalidInput(message, field=field)
    return value


def _people(family: Family, ids: list[UUID]) -> list[UUID]:
    chosen = list(dict.fromkeys(ids))
    if not chosen:
        raise InvalidInput(
            "Choose the people whose information the decision is about.", field="people"
        )
    members = set(
        FamilyMembership.objects.filter(family=family, person_id__in=chosen).values_list(
            "person_id", flat=True
        )
    )
    for index, person_id in enumerate(chosen):
        if person_id not in members:
            raise InvalidInput("Choose members of this family.", field=f"people.{index}")
    return chosen


def _recipient(data: DecisionInput) -> tuple[Organisation, PartnerContact | None]:
    return resolve_recipient(data.recipient_organisation, data.recipient_contact)


def _consent(
    data: DecisionInput, family: Family, people: list[UUID], organisation: Organisation
) -> tuple[str, list[Agreement]]:
    status = _choice(
        data.consent_status,
        ConsentStatus.values,
        field="consent_status",
        message="Say whether agreement was given, refused or not sought.",
    )
    if status == ConsentStatus.NOT_SOUGHT:
        _text(
            data.consent_not_sought_reason,
            field="consent_not_sought_reason",
            required="Say why agreement was not sought.",
        )
    agreements = list(
        Agreement.objects.filter(family=family, pk__in=data.agreements, person_id__in=people)
    )
    if len(agreements) != len(set(data.agreements)):
        raise InvalidInput(
            "Choose agreements given by the people this decision is about.", field="agreements"
        )
    if any(not a.is_active for a in agreements):
        raise InvalidInput("A withdrawn agreement cannot be relied on.", field="agreements")
    if status == ConsentStatus.GIVEN and not agreements:
        raise InvalidInput(
            "Choose the recorded agreements this decision relies on, or record them first.",
            field="agreements",
        )
    return status, agreements


@transaction.atomic
def record_decision(*, actor: User, family: Family, data: DecisionInput) -> SharingDecision:
    """Record a decision to share, share in part or not share, with its reasoning."""
    if not can_record_sharing(actor, family):
        raise PermissionDenied(
            "Only the lead practitioner, or a practitioner or manager of the allocated team, "
            "can record sharing decisions while the case is open."
        )
    outcome = _choice(
        data.outcome,
        DecisionOutcome.values,
        field="outcome",
        message="Choose whether to share, share in part or not share.",
    )
    today = timezone.localdate()
    if data.decided_on is None:
        raise InvalidInput("Enter the date of the decision.", field="decided_on")
    if data.decided_on > today:
        raise InvalidInput("The date must be today or in the past.", field="decided_on")
    people = _people(family, data.people)
    organisation, contact = _recipient(data)
    sharing = outcome != DecisionOutcome.NOT_SHARE
    scopes = list(dict.fromkeys(data.scopes))
    if any(s not in Scope.values for s in scopes):
        raise InvalidInput("Choose from the kinds of information listed.", field="scopes")
    if sharing and not scopes:
        raise InvalidInput("Choose what information is shared.", field="scopes")
    consent_status, agreements = _consent(data, family, people, organisation)
    gateway = data.gateway
    if gateway:
        _choice(gateway, Gateway.values, field="gateway", message="Choose a gateway.")
    if sharing and consent_status != ConsentStatus.GIVEN and not gateway:
        raise InvalidInput(
            "Without agreement, information can only be shared through a gateway: choose one.",
            field="gateway",
        )
    if gateway and not sharing:
        gateway = ""  # a decision not to share rests on nothing
    if data.family_told is None:
        raise InvalidInput("Say whether the family was told.", field="family_told")
    if not data.family_told:
        _text(
            data.family_not_told_reason,
            field="family_not_told_reason",
            required="Say why the family was not told.",
        )
    necessity = _text(
        data.necessity,
        field="necessity",
        required="Explain why this is necessary and proportionate.",
    )
    transfer = data.transfer_method
    if sharing:
        _choice(
            transfer,
            TransferMethod.values,
            field="transfer_method",
            message="Choose how the information is sent.",
        )
        _text(data.items_shared, field="items_shared", required="Say exactly what is shared.")
    elif transfer:
        transfer = ""
    if data.emergency and not gateway:
        raise InvalidInput(
            "Only sharing without agreement under a gateway can be an emergency release.",
            field="emergency",
        )
    emergency = bool(gateway) and data.emergency
    # An emergency release happens now, before a manager has seen it: the 24 hours start.
    released_at = timezone.now() if emergency else None
    decision = SharingDecision.objects.create(
        family=family,
        outcome=outcome,
        decided_on=data.decided_on,
        recipient_organisation=organisation,
        recipient_contact=contact,
        purpose=_text(data.purpose, field="purpose", required="Enter the purpose."),
        scopes=scopes if sharing else [],
        lawful_basis=_lawful_basis(gateway),
        gateway=gateway,
        consent_status=consent_status,
        consent_not_sought_reason=data.consent_not_sought_reason.strip(),
        family_told=data.family_told,
        family_not_told_reason=data.family_not_told_reason.strip(),
        necessity=necessity,
        items_shared=_text(data.items_shared, field="items_shared") if sharing else "",
        identities_protected=_text(data.identities_protected, field="identities_protected"),
        onward_restrictions=_text(data.onward_restrictions, field="onward_restrictions"),
        transfer_method=transfer,
        decided_by=actor,
        authorisation=(
            AuthorisationStatus.PENDING if gateway else AuthorisationStatus.NOT_REQUIRED
        ),
        emergency=emergency,
        released_at=released_at,
        authorisation_due_at=(released_at + emergency_window()) if released_at else None,
    )
    decision.people.set(people)  # type: ignore[arg-type]  # ids are accepted
    decision.agreements.set(agreements)
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="sharing_decision",
        object_id=decision.pk,
        detail={"outcome": outcome, "gateway": gateway, "emergency": decision.emergency},
    )
    timeline.record_entry(
        family=family,
        kind=TimelineKind.SHARING,
        occurred_at=timezone.now(),
        object_type="sharing_decision",
        object_id=decision.pk,
        title=f"Sharing decision: {DecisionOutcome(outcome).label.lower()}",
        summary=organisation.name,
        people=people,
        link_name=LINK_NAME,
        recorded_by=actor,
    )
    return decision


def _lawful_basis(gateway: str) -> str:
    if gateway == Gateway.VITAL_INTERESTS:
        return "6(1)(d)"
    if gateway == Gateway.LEGAL_DUTY:
        return "6(1)(c)"
    return "6(1)(e)"


def mark_released(decision: SharingDecision) -> None:
    """Called by the output path that released under this decision: starts the 24 hours."""
    if decision.released_at is not None:
        return
    now = timezone.now()
    decision.released_at = now
    if decision.emergency and decision.authorisation == AuthorisationStatus.PENDING:
        decision.authorisation_due_at = now + emergency_window()
    decision.save(update_fields=["released_at", "authorisation_due_at"])


@transaction.atomic
def authorise_decision(
    *, actor: User, decision: SharingDecision, authorise: bool, note: str = ""
) -> SharingDecision:
    """A team manager's authorisation (or refusal) of sharing without agreement."""
    decision = SharingDecision.objects.select_for_update().get(pk=decision.pk)
    if not decision.gateway or decision.authorisation == AuthorisationStatus.NOT_REQUIRED:
        raise Conflict("This decision does not need a manager's authorisation.")
    if decision.authorisation != AuthorisationStatus.PENDING:
        raise Conflict("This decision has already been authorised or refused.")
    if not can_authorise(actor, decision.family, decision.decided_by_id):
        raise PermissionDenied(
            "A team manager of the family's team, other than the person who made the "
            "decision, authorises sharing without agreement."
        )
    note = _text(
        note,
        field="note",
        required=None if authorise else "Say why you are refusing to authorise this.",
    )
    late = is_overdue(decision)  # before the authorisation is stamped on it
    decision.authorisation = (
        AuthorisationStatus.AUTHORISED if authorise else AuthorisationStatus.REFUSED
    )
    decision.authorised_by = actor
    decision.authorised_at = timezone.now()
    decision.authorisation_note = note
    decision.save(
        update_fields=["authorisation", "authorised_by", "authorised_at", "authorisation_note"]
    )
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="sharing_decision",
        object_id=decision.pk,
        detail={"authorisation": decision.authorisation, "late": late},
    )
    timeline.record_entry(
        family=decision.family,
        kind=TimelineKind.SHARING,
        occurred_at=timezone.now(),
        object_type="sharing_decision",
        object_id=decision.pk,
        title=(
            "Sharing without agreement authorised"
            if authorise
            else "Sharing without agreement refused"
        ),
        people=list(decision.people.values_list("id", flat=True)),
        link_name=LINK_NAME,
        recorded_by=actor,
    )
    return decision


def is_overdue(decision: SharingDecision) -> bool:
    due = decision.authorisation_due_at
    return due is not None and decision.authorised_at is None and due < timezone.now()


def overdue_authorisations(user: AnyUser) -> QuerySet[SharingDecision]:
    """Emergency releases whose authorisation is overdue: the DPO's all, a manager's team's."""
    overdue = SharingDecision.objects.filter(
        authorisation=AuthorisationStatus.PENDING,
        authorisation_due_at__lt=timezone.now(),
    ).select_related("recipient_organisation", "family")
    if has_role(user, Role.DPO):
        return overdue.order_by("authorisation_due_at")
    team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    if not team_ids:
        return SharingDecision.objects.none()
    families = Episode.objects.filter(closed_at__isnull=True, team_id__in=team_ids).values(
        "family_id"
    )
    # A restricted family the manager may not open is in none of their lists (decision 0007).
    return hide_restricted(user, overdue.filter(family_id__in=families)).order_by(
        "authorisation_due_at"
    )


def awaiting_authorisation(user: AnyUser) -> QuerySet[SharingDecision]:
    """Decisions waiting for this manager (not their own), oldest first."""
    team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    if not team_ids:
        return SharingDecision.objects.none()
    families = Episode.objects.filter(closed_at__isnull=True, team_id__in=team_ids).values(
        "family_id"
    )
    return (
        hide_restricted(
            user,
            SharingDecision.objects.filter(
                authorisation=AuthorisationStatus.PENDING, family_id__in=families
            ),
        )
        .exclude(decided_by_id=user.pk)
        .select_related("recipient_organisation", "family")
        .order_by("recorded_at")
    )
