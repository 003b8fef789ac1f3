"""Reads of agreements, sharing decisions and the disclosure log: behind the family gatekeeper
(``casework.selectors.get_family_for_user``) and audited.

Lists return querysets with everything their pages show joined or prefetched, so a page costs
the same whatever its length; the caller audits the page of rows it shows
(``audit.services.record_list_view``). Single records are audited here.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, F, Prefetch, Q, QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, has_role
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event, record_read
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family, FamilyMembership, Person
from earlyhelp.sharing import decisions as decision_rules
from earlyhelp.sharing.disclosure_log import log_for_family, log_for_person
from earlyhelp.sharing.models import (
    Agreement,
    AgreementKind,
    AuthorisationStatus,
    DisclosureLogEntry,
    SharingDecision,
)
from earlyhelp.sharing.permissions import (
    can_record_sharing,
    manages_family_team,
    sees_all_overdue_authorisations,
)

# How many current agreements the family page shows before linking to the full list.
GLANCE = 5


def family_members(family: Family) -> list[FamilyMembership]:
    """Members with their person, for choosing who (the caller passed the gatekeeper)."""
    return list(
        family.memberships.select_related("person").order_by("role", "person__date_of_birth")
    )


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "person", "given_by", "recipient_organisation", "recorded_by", "withdrawn_by"
    )


# --- Agreements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyAgreements:
    family: Family
    agreements: QuerySet[Agreement]
    can_record: bool


def family_agreements(user: AnyUser, family_id: UUID | str) -> FamilyAgreements:
    """The family's agreements, current first then withdrawn, newest first within each.

    The caller audits the page of agreements it shows.
    """
    family = get_family_for_user(user, family_id)
    agreements = (
        _agreements()
        .filter(family=family)
        # Current (not withdrawn) first, then the most recently withdrawn.
        .order_by(F("withdrawn_on").desc(nulls_first=True), "-given_on", "-recorded_at")
    )
    return FamilyAgreements(
        family=family, agreements=agreements, can_record=can_record_sharing(user, family)
    )


def get_agreement_for_user(
    user: AnyUser, family_id: UUID | str, agreement_id: UUID | str, *, purpose: str = ""
) -> Agreement:
    family = get_family_for_user(user, family_id, purpose=purpose)
    agreement = (
        _agreements()
        .select_related("withdrawal_recorded_by")
        .filter(family=family, pk=parse_id(agreement_id))
        .first()
    )
    if agreement is None:
        raise NotFound()
    agreement.family = family
    record_read(user, "agreement", agreement.pk, purpose=purpose)
    return agreement


def signed_form_for_user(
    user: AnyUser, family_id: UUID | str, agreement_id: UUID | str
) -> Agreement:
    """The agreement whose signed form is being downloaded; the download is audited."""
    agreement = get_agreement_for_user(user, family_id, agreement_id, purpose="signed_form")
    if not agreement.signed_form:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.DOWNLOAD,
        object_type="agreement_signed_form",
        object_id=agreement.pk,
    )
    return agreement


def active_agreements(family: Family) -> list[Agreement]:
    """Agreements to share that stand, for a decision to rely on (gatekeeper passed)."""
    return list(
        _agreements()
        .filter(family=family, kind=AgreementKind.SHARE, withdrawn_on__isnull=True)
        .order_by("person__first_name", "-given_on")
    )


@dataclass(frozen=True)
class AgreementsAtAGlance:
    current: list[Agreement]
    current_count: int
    withdrawn_count: int

    @property
    def more(self) -> int:
        return self.current_count - len(self.current)


def agreements_at_a_glance(family: Family) -> AgreementsAtAGlance:
    """For the family page (already read through the gatekeeper): the current agreements to
    share, newest first (the first few), and how many there are current and withdrawn.

    Two queries whatever the number of agreements.
    """
    shares = Agreement.objects.filter(family=family, kind=AgreementKind.SHARE)
    counts = shares.aggregate(
        current=Count("pk", filter=Q(withdrawn_on__isnull=True)),
        withdrawn=Count("pk", filter=Q(withdrawn_on__isnull=False)),
    )
    current = []
    if counts["current"]:
        current = list(
            shares.filter(withdrawn_on__isnull=True)
            .select_related("person", "recipient_organisation")
            .order_by("-given_on", "-recorded_at")[:GLANCE]
        )
    return AgreementsAtAGlance(
        current=current,
        current_count=counts["current"] or 0,
        withdrawn_count=counts["withdrawn"] or 0,
    )


# --- Sharing decisions -----------------------------------------------------------------------


def _decisions() -> QuerySet[SharingDecision]:
    return SharingDecision.objects.select_related(
        "recipient_organisation", "recipient_contact", "decided_by", "authorised_by"
    ).prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("first_name", "last_name"))
    )


@dataclass(frozen=True)
class FamilyDecisions:
    family: Family
    decisions: QuerySet[SharingDecision]
    can_record: bool


def family_decisions(user: AnyUser, family_id: UUID | str) -> FamilyDecisions:
    """The family's sharing decisions, newest first; the caller audits the page it shows."""
    family = get_family_for_user(user, family_id)
    decisions = _decisions().filter(family=family).order_by("-decided_on", "-recorded_at")
    return FamilyDecisions(
        family=family, decisions=decisions, can_record=can_record_sharing(user, family)
    )


def get_decision_for_user(
    user: AnyUser, family_id: UUID | str, decision_id: UUID | str, *, purpose: str = ""
) -> SharingDecision:
    family = get_family_for_user(user, family_id, purpose=purpose)
    decision = (
        _decisions()
        .prefetch_related(
            Prefetch(
                "agreements",
                queryset=Agreement.objects.select_related("person", "recipient_organisation"),
            )
        )
        .filter(family=family, pk=parse_id(decision_id))
        .first()
    )
    if decision is None:
        raise NotFound()
    decision.family = family
    record_read(user, "sharing_decision", decision.pk, purpose=purpose)
    return decision


def can_see_authorisation_lists(user: AnyUser) -> bool:
    """The overdue-authorisation page: the DPO (every team) and team managers (their own)."""
    return has_role(user, Role.DPO, Role.TEAM_MANAGER)


def sees_every_team(user: AnyUser) -> bool:
    """The DPO's overdue list covers every team (without opening the families' records)."""
    return sees_all_overdue_authorisations(user)


def overdue_authorisations(user: AnyUser) -> QuerySet[SharingDecision]:
    """Emergency releases whose authorisation is overdue, most overdue first; the caller
    audits the page it shows."""
    return decision_rules.overdue_authorisations(user).select_related("decided_by")


def awaiting_authorisation(user: AnyUser) -> QuerySet[SharingDecision]:
    """Decisions on the manager's teams' families waiting for them (not their own)."""
    return decision_rules.awaiting_authorisation(user).select_related("decided_by")


def may_authorise(user: AnyUser, decision: SharingDecision) -> bool:
    """Show the authorise/refuse form: a pending decision, a manager of the team, four eyes."""
    return (
        decision.authorisation == AuthorisationStatus.PENDING
        and decision.decided_by_id != user.pk
        and manages_family_team(user, decision.family)
    )


# --- The disclosure log ----------------------------------------------------------------------


@dataclass(frozen=True)
class DisclosureLog:
    family: Family
    person: Person | None
    entries: QuerySet[DisclosureLogEntry]


def disclosure_log(
    user: AnyUser, family_id: UUID | str, person_id: UUID | str | None = None
) -> DisclosureLog:
    """The family's disclosure log, or one member's; most recent first.

    A person who is not a member of the family is not found. The caller audits the page.
    """
    family = get_family_for_user(user, family_id, purpose="disclosure_log")
    if person_id is None:
        return DisclosureLog(family=family, person=None, entries=log_for_family(family))
    membership = (
        FamilyMembership.objects.filter(family=family, person_id=parse_id(person_id))
        .select_related("person")
        .first()
    )
    if membership is None:
        raise NotFound()
    person = membership.person
    return DisclosureLog(family=family, person=person, entries=log_for_person(family, person))
