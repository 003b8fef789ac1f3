"""What the family page shows beside the members and timeline: plan, assessment, agreements
to share, alerts.

The family has already been read through the gatekeeper (a FamilyRecord proves it), so these
are reads within a record the user may see; the family page's audited view covers them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone

from earlyhelp.assessments.models import Assessment
from earlyhelp.casework.selectors import FamilyRecord
from earlyhelp.outcomes.claims import ClaimStatus, claim_status
from earlyhelp.plans.models import FamilyPlan, PlanObjection, PlanStatus
from earlyhelp.sharing.selectors import AgreementsAtAGlance, agreements_at_a_glance


@dataclass(frozen=True)
class FamilyOverview:
    plan: FamilyPlan | None
    plan_version: int | None
    assessment: Assessment | None
    objection: PlanObjection | None
    claim: ClaimStatus
    today: date
    agreements: AgreementsAtAGlance
    actions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def review_overdue(self) -> bool:
        return (
            self.plan is not None and self.plan.is_active and self.plan.next_review_due < self.today
        )


def family_overview(record: FamilyRecord) -> FamilyOverview:
    family = record.family
    episode = record.open_episode
    # The open episode's active plan; with no open episode, the last plan the family had.
    plans = FamilyPlan.objects.filter(family=family)
    if episode is not None:
        plans = plans.filter(episode=episode, status=PlanStatus.ACTIVE)
    plan = plans.order_by("-created_at").first()
    version = None
    objection = None
    if plan is not None:
        version = plan.versions.order_by("-number").values_list("number", flat=True).first()
        objection = PlanObjection.objects.filter(plan=plan, withdrawn_on__isnull=True).first()
    assessment = Assessment.objects.filter(family=family).order_by("-started_on", "-pk").first()
    actions: list[tuple[str, str]] = []
    if episode is not None:
        actions.append(("Record a contact", reverse("contacts:new", args=[family.pk])))
        if assessment is None or assessment.episode_id != episode.pk:
            actions.append(("Start an assessment", reverse("assessments:new", args=[family.pk])))
        if plan is None:
            actions.append(("Create the family plan", reverse("plans:new", args=[family.pk])))
        actions.append(("Enrol on a programme", reverse("programmes:enrol", args=[family.pk])))
        actions.append(
            ("Record an observation", reverse("programmes:observation_new", args=[family.pk]))
        )
    return FamilyOverview(
        plan=plan,
        plan_version=version,
        assessment=assessment,
        objection=objection,
        claim=claim_status(family),
        today=timezone.localdate(),
        agreements=agreements_at_a_glance(family),
        actions=actions,
    )
