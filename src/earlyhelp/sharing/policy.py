"""The one decision on whether information may go to a recipient outside the allocated team.

Every output path calls :func:`check_sharing`: a disclosure package, the family plan sent to
the TAF members, a partner's read in the browser or through the API. It decides from the
recorded agreements, the family's objection to sharing the plan, and recorded sharing
decisions under a gateway, and it records what it decided in the audit trail (no personal
data: ids, the path, the verdict, the basis). The function never shares anything itself:
callers release only on ``allowed``.

The rules (domain.md section 5):

- **Agreement.** Allowed when, for every person whose information goes, each scope is covered
  by that person's active agreement to share with this organisation (named, or every
  organisation of its kind), given on or before today. Withdrawn agreements cover nothing.
  An agreement for a kind binds to the directory as it was when it was recorded: an
  organisation whose kind was changed afterwards is not covered by it (decision 0014).
- **Objection.** While a family member's objection to sharing the plan stands, the plan is
  not shared under agreement by any path.
- **Gateway.** Without agreement, only a recorded sharing decision naming a gateway, for this
  family and recipient, covering these people and scopes: allowed once a team manager has
  authorised it, or at once in an emergency (the authorisation then falls due within 24
  hours); waiting for authorisation otherwise; refused if the manager refused it. Gateways
  apply to disclosure packages only: routine TAF sharing and partner access rest on agreement.
- Anything else is refused. A recorded decision *not* to share refuses that recipient.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID

from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.partners.models import Organisation
from earlyhelp.people.models import Family
from earlyhelp.sharing.models import (
    Agreement,
    AgreementKind,
    AuthorisationStatus,
    DecisionOutcome,
    Scope,
    SharingDecision,
)


class OutputPath(StrEnum):
    DISCLOSURE_PACKAGE = "disclosure_package"
    TAF_PLAN = "taf_plan"
    PARTNER_READ = "partner_read"


class Verdict(StrEnum):
    ALLOWED = "allowed"
    NEEDS_AUTHORISATION = "needs_authorisation"
    REFUSED = "refused"


class Basis(StrEnum):
    AGREEMENT = "agreement"
    GATEWAY = "gateway"
    NONE = ""


@dataclass(frozen=True)
class SharingCheck:
    verdict: Verdict
    reason: str  # shown to staff; never contains personal data
    basis: Basis = Basis.NONE
    # The agreement relied on for each (person id, scope), when the basis is agreement.
    agreements: dict[tuple[UUID, str], Agreement] = field(default_factory=dict)
    decision: SharingDecision | None = None
    emergency: bool = False

    @property
    def allowed(self) -> bool:
        return self.verdict is Verdict.ALLOWED

    def agreement_for(self, person_id: UUID) -> Agreement | None:
        """One agreement relied on for this person (the first scope's), for the log."""
        for (pid, _scope), agreement in self.agreements.items():
            if pid == person_id:
                return agreement
        return None


def _covers(agreement: Agreement, recipient: Organisation) -> bool:
    if agreement.recipient_organisation_id is not None:
        return agreement.recipient_organisation_id == recipient.pk
    if not agreement.recipient_kind or agreement.recipient_kind != recipient.kind:
        return False
    # What the family agreed to is the organisation as it was when the agreement was
    # recorded: one whose kind changed since (a police team re-filed as a school) is not
    # covered by an agreement for its new kind (decision 0014).
    changed = recipient.kind_changed_at
    return changed is None or changed <= agreement.recorded_at


def active_share_agreements(
    family: Family, recipient: Organisation, *, on: date
) -> list[Agreement]:
    """Agreements to share with ``recipient`` that stand on ``on``."""
    candidates = Agreement.objects.filter(
        family=family,
        kind=AgreementKind.SHARE,
        withdrawn_on__isnull=True,
        given_on__lte=on,
    ).order_by("given_on", "recorded_at")
    return [a for a in candidates if _covers(a, recipient)]


def plan_objection_stands(family: Family) -> bool:
    # Imported here: plans depends on sharing (its output path calls this module).
    from earlyhelp.plans.models import PlanObjection

    return PlanObjection.objects.filter(
        plan__family=family, plan__status="active", withdrawn_on__isnull=True
    ).exists()


def _agreement_check(
    family: Family, recipient: Organisation, people: list[UUID], scopes: list[str], on: date
) -> SharingCheck:
    agreements = active_share_agreements(family, recipient, on=on)
    relied: dict[tuple[UUID, str], Agreement] = {}
    uncovered_people = 0
    for person_id in people:
        own = [a for a in agreements if a.person_id == person_id]
        covered = True
        for scope in scopes:
            match = next((a for a in own if scope in a.scopes), None)
            if match is None:
                covered = False
            else:
                relied[(person_id, scope)] = match
        uncovered_people += 0 if covered else 1
    if uncovered_people == 0:
        return SharingCheck(
            Verdict.ALLOWED,
            "Shared with the agreement of everyone whose information goes.",
            Basis.AGREEMENT,
            agreements=relied,
        )
    return SharingCheck(
        Verdict.REFUSED,
        f"No agreement to share covers this for {uncovered_people} of the {len(people)} "
        "people whose information would go (none recorded, withdrawn, or a different "
        "recipient or scope).",
    )


def _gateway_check(
    decision: SharingDecision,
    family: Family,
    recipient: Organisation,
    people: list[UUID],
    scopes: list[str],
) -> SharingCheck:
    if decision.family_id != family.pk or decision.recipient_organisation_id != recipient.pk:
        return SharingCheck(
            Verdict.REFUSED, "The sharing decision is for another family or recipient."
        )
    if decision.outcome == DecisionOutcome.NOT_SHARE:
        return SharingCheck(Verdict.REFUSED, "The recorded decision is not to share.")
    if not decision.gateway:
        return SharingCheck(
            Verdict.REFUSED,
            "The sharing decision does not name a gateway for sharing without agreement.",
        )
    decided_people = set(decision.people.values_list("id", flat=True))
    if not set(people) <= decided_people or not set(scopes) <= set(decision.scopes):
        return SharingCheck(
            Verdict.REFUSED,
            "The sharing decision does not cover all the people or kinds of information selected.",
        )
    status = decision.authorisation
    if status == AuthorisationStatus.AUTHORISED:
        return SharingCheck(
            Verdict.ALLOWED,
            "Shared without agreement under a gateway a team manager authorised.",
            Basis.GATEWAY,
            decision=decision,
        )
    if status == AuthorisationStatus.PENDING and decision.emergency:
        return SharingCheck(
            Verdict.ALLOWED,
            "Emergency release under a gateway: a team manager must authorise it within 24 hours.",
            Basis.GATEWAY,
            decision=decision,
            emergency=True,
        )
    if status == AuthorisationStatus.PENDING:
        return SharingCheck(
            Verdict.NEEDS_AUTHORISATION,
            "Sharing without agreement needs a team manager's authorisation first.",
            Basis.GATEWAY,
            decision=decision,
        )
    return SharingCheck(
        Verdict.REFUSED, "A team manager refused to authorise sharing under this gateway."
    )


def _not_to_share(family: Family, recipient: Organisation) -> bool:
    """A standing decision not to share with this recipient (the latest decision says so)."""
    latest = (
        SharingDecision.objects.filter(family=family, recipient_organisation=recipient)
        .order_by("-decided_on", "-recorded_at")
        .values_list("outcome", flat=True)
        .first()
    )
    return latest == DecisionOutcome.NOT_SHARE


def decide(
    *,
    family: Family,
    recipient: Organisation,
    people: Iterable[UUID],
    scopes: Iterable[str],
    path: OutputPath,
    decision: SharingDecision | None = None,
    on: date | None = None,
) -> SharingCheck:
    """The verdict alone, without recording it (for showing what *would* happen)."""
    people_ids = list(dict.fromkeys(people))
    scope_list = list(dict.fromkeys(scopes))
    unknown = [s for s in scope_list if s not in Scope.values]
    if unknown:
        raise ValueError(f"unknown sharing scope {unknown[0]!r}")
    if not people_ids or not scope_list:
        return SharingCheck(Verdict.REFUSED, "Nothing has been selected to share.")
    if not recipient.active:
        return SharingCheck(Verdict.REFUSED, "The recipient organisation is no longer active.")
    day = on or timezone.localdate()

    if decision is not None:
        if path is not OutputPath.DISCLOSURE_PACKAGE:
            return SharingCheck(
                Verdict.REFUSED,
                "Sharing without agreement is only possible through a disclosure package.",
            )
        return _gateway_check(decision, family, recipient, people_ids, scope_list)

    if Scope.PLAN in scope_list and plan_objection_stands(family):
        return SharingCheck(
            Verdict.REFUSED,
            "The family has objected to the plan being shared. It cannot be shared with "
            "agreement while the objection stands.",
        )
    if _not_to_share(family, recipient):
        return SharingCheck(
            Verdict.REFUSED, "The latest recorded decision for this recipient is not to share."
        )
    return _agreement_check(family, recipient, people_ids, scope_list, day)


def check_sharing(
    *,
    actor: User,
    family: Family,
    recipient: Organisation,
    people: Iterable[UUID],
    scopes: Iterable[str],
    path: OutputPath,
    decision: SharingDecision | None = None,
    on: date | None = None,
) -> SharingCheck:
    """Decide, and record the decision in the audit trail. Callers release only if allowed."""
    people_ids = list(dict.fromkeys(people))
    scope_list = list(dict.fromkeys(scopes))
    result = decide(
        family=family,
        recipient=recipient,
        people=people_ids,
        scopes=scope_list,
        path=path,
        decision=decision,
        on=on,
    )
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="sharing_check",
        object_id=family.pk,
        detail={
            "path": path.value,
            "verdict": result.verdict.value,
            "basis": result.basis.value,
            "organisation": recipient.pk,
            "scopes": sorted(scope_list),
            "people": len(people_ids),
            "decision": result.decision.pk if result.decision is not None else None,
        },
    )
    return result
