"""What a partner may change: the status of their own actions, and contribution notes.

Both go through the same gatekeeper as every partner read (``access.open_family``: the
family's current plan names the partner's contact and the PLAN sharing check allows), so a
family the partner cannot see cannot be written to either (404). The gate runs before the
write's transaction, so the recorded sharing check stays in the audit trail even when it
refuses. Each write is audited (purpose ``partner``) and added to the family's timeline,
where the allocated team sees it.
"""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import TimelineKind
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound
from earlyhelp.plans.models import ActionStatus, FamilyPlan, PlanAction, PlanStatus
from earlyhelp.plans.services import is_current
from earlyhelp.sharing.models import PartnerContribution
from earlyhelp.sharing.partner.access import (
    PURPOSE,
    MyAction,
    Redactor,
    open_family,
    own_action,
    shown_action,
)

MAX_CONTRIBUTION = 5000
PLAN_LINK = "plans:detail"


def _lock_plan(plan_id: UUID) -> FamilyPlan:
    plan = FamilyPlan.objects.select_for_update().get(pk=plan_id)
    if plan.status != PlanStatus.ACTIVE:
        raise NotFound()
    return plan


def update_my_action_status(
    *, actor: User, family_id: UUID | str, action_id: UUID | str, status: str
) -> MyAction:
    """Change the status of an action the partner's contact owns on the current version.

    Returns the action as the partner sees it (text about anyone else shown by role).
    """
    access = open_family(actor, family_id)
    action = own_action(access, action_id)
    if status not in ActionStatus.values:
        raise InvalidInput("Choose where the action has got to.", field="status")
    with transaction.atomic():
        plan = _lock_plan(access.plan.pk)
        action = PlanAction.objects.select_related("version").get(pk=action.pk)
        if not is_current(action.version):
            raise Conflict(
                "The plan has been reviewed since you opened it: open the family again to see "
                "the current version."
            )
        previous = action.status
        if previous != status:
            action.status = status
            action._history_user = actor  # type: ignore[attr-defined]
            action.save(update_fields=["status"])
            timeline.record_entry(
                family=access.family,
                kind=TimelineKind.PLAN,
                occurred_at=timezone.now(),
                object_type="plan",
                object_id=plan.pk,
                title="Action updated by a TAF partner",
                summary=(
                    f"{access.contact.organisation.name}: "
                    f"{ActionStatus(previous).label} to {ActionStatus(status).label}."
                ),
                link_name=PLAN_LINK,
                recorded_by=actor,
            )
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="plan_action",
            object_id=action.pk,
            purpose=PURPOSE,
            detail={"change": "status", "from": previous, "to": status},
        )
    return shown_action(action, Redactor.for_family(access.family, access.plan_people))


def add_contribution(*, actor: User, family_id: UUID | str, text: str) -> PartnerContribution:
    """A partner's note on the plan: progress, concerns, what they have done."""
    access = open_family(actor, family_id)
    clean = text.strip()
    if not clean:
        raise InvalidInput("Enter your contribution.", field="text")
    if len(clean) > MAX_CONTRIBUTION:
        raise InvalidInput(
            f"Your contribution must be {MAX_CONTRIBUTION} characters or fewer.", field="text"
        )
    with transaction.atomic():
        plan = _lock_plan(access.plan.pk)
        contribution = PartnerContribution.objects.create(
            family=access.family,
            plan=plan,
            contact=access.contact,
            text=clean,
            written_by=actor,
        )
        timeline.record_entry(
            family=access.family,
            kind=TimelineKind.PLAN,
            occurred_at=contribution.written_at,
            object_type="partner_contribution",
            object_id=contribution.pk,
            title=f"Contribution from {access.contact.organisation.name}",
            summary=clean,
            recorded_by=actor,
        )
        record_event(
            actor=actor,
            action=Action.CREATE,
            object_type="partner_contribution",
            object_id=contribution.pk,
            purpose=PURPOSE,
            detail={"plan": plan.pk},
        )
    return contribution
