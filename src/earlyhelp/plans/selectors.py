"""Reads of family plans, behind the family gatekeeper and audited."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Max, Prefetch, QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event, record_read
from earlyhelp.casework.models import Episode
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family, FamilyMembership
from earlyhelp.plans import needs
from earlyhelp.plans.models import (
    FamilyPlan,
    PlanAction,
    PlanObjection,
    PlanOutcome,
    PlanReview,
    PlanStatus,
    PlanVersion,
    ReviewProgress,
    TafMember,
)
from earlyhelp.plans.permissions import can_edit_plan, plans_for_review
from earlyhelp.plans.printing import PrintablePlan, printable_plan


@dataclass(frozen=True)
class FamilyPlans:
    family: Family
    plans: QuerySet[FamilyPlan]
    open_episode: Episode | None


def family_plans(user: AnyUser, family_id: UUID | str) -> FamilyPlans:
    """The family (through the gatekeeper), its plans newest first, and its open episode.

    The caller audits the list it shows.
    """
    family = get_family_for_user(user, family_id)
    plans = (
        FamilyPlan.objects.filter(family=family)
        .select_related("episode__team")
        .annotate(current_number=Max("versions__number"))
        .order_by("-created_at")
    )
    episode = family.episodes.filter(closed_at__isnull=True).select_related("team").first()
    return FamilyPlans(family=family, plans=plans, open_episode=episode)


def active_plan(episode: Episode) -> FamilyPlan | None:
    """The episode's active plan (the caller has passed the family gatekeeper)."""
    return episode.plans.filter(status=PlanStatus.ACTIVE).first()


def version_outcomes(version: PlanVersion) -> list[PlanOutcome]:
    return list(version.outcomes.prefetch_related("people").order_by("position", "id"))


def version_actions(version: PlanVersion) -> list[PlanAction]:
    return list(
        version.actions.select_related(
            "owner_person", "owner_contact__organisation", "outcome"
        ).order_by("due_on", "id")
    )


def get_plan_for_user(
    user: AnyUser, family_id: UUID | str, plan_id: UUID | str, *, purpose: str = ""
) -> FamilyPlan:
    family = get_family_for_user(user, family_id, purpose=purpose)
    plan = (
        FamilyPlan.objects.filter(family=family, pk=parse_id(plan_id))
        .select_related("episode")
        .first()
    )
    if plan is None:
        raise NotFound()
    plan.family = family
    record_read(user, "family_plan", plan.pk, purpose=purpose)
    return plan


def family_members(family: Family) -> list[FamilyMembership]:
    """Members with their person, for choosing who an outcome or action is about.

    The caller has passed the family gatekeeper (which audited the read).
    """
    return list(
        family.memberships.select_related("person").order_by("role", "person__date_of_birth")
    )


@dataclass(frozen=True)
class PlanPage:
    """One version of a plan with everything its page shows."""

    plan: FamilyPlan
    version: PlanVersion
    is_current: bool
    can_edit: bool
    outcomes: list[PlanOutcome]
    actions: list[PlanAction]
    members: list[TafMember]
    versions: list[PlanVersion]
    objections: list[PlanObjection]
    review_of_this_version: PlanReview | None
    headline_labels: dict[str, str]

    @property
    def family(self) -> Family:
        return self.plan.family

    @property
    def active_objections(self) -> list[PlanObjection]:
        return [o for o in self.objections if o.is_active]

    @property
    def editable(self) -> bool:
        return self.is_current and self.can_edit


def _page(user: AnyUser, plan: FamilyPlan, version: PlanVersion | None = None) -> PlanPage:
    """``version`` defaults to the current one (the first of the history, newest first)."""
    versions = list(plan.versions.select_related("created_by", "review").order_by("-number"))
    if not versions:  # a plan is always created with its first version
        raise NotFound()
    version = version or versions[0]
    is_current = versions[0].pk == version.pk
    outcomes = version_outcomes(version)
    actions = version_actions(version)
    members = list(
        version.members.select_related("contact__organisation", "person").order_by("person", "id")
    )
    objections = list(
        plan.objections.select_related("objected_by", "recorded_by").order_by(
            "-objected_on", "-recorded_at"
        )
    )
    review = version.reviews.first() if not is_current else None
    return PlanPage(
        plan=plan,
        version=version,
        is_current=is_current,
        can_edit=can_edit_plan(user, plan),
        outcomes=outcomes,
        actions=actions,
        members=members,
        versions=versions,
        objections=objections,
        review_of_this_version=review,
        headline_labels=needs.headline_labels(),
    )


def plan_page(user: AnyUser, family_id: UUID | str, plan_id: UUID | str) -> PlanPage:
    """The plan's current version, its version history and objections."""
    return _page(user, get_plan_for_user(user, family_id, plan_id))


def get_version_for_user(
    user: AnyUser, family_id: UUID | str, version_id: UUID | str
) -> PlanVersion:
    family = get_family_for_user(user, family_id)
    version = (
        PlanVersion.objects.filter(plan__family=family, pk=parse_id(version_id))
        .select_related("plan__episode", "created_by")
        .first()
    )
    if version is None:
        raise NotFound()
    version.plan.family = family
    record_read(user, "plan_version", version.pk)
    return version


def version_page(user: AnyUser, family_id: UUID | str, version_id: UUID | str) -> PlanPage:
    version = get_version_for_user(user, family_id, version_id)
    return _page(user, version.plan, version)


def numbered_version_page(
    user: AnyUser, family_id: UUID | str, plan_id: UUID | str, number: int
) -> PlanPage:
    plan = get_plan_for_user(user, family_id, plan_id)
    version = plan.versions.filter(number=number).select_related("created_by").first()
    if version is None:
        raise NotFound()
    record_read(user, "plan_version", version.pk)
    return _page(user, plan, version)


def get_review_for_user(user: AnyUser, family_id: UUID | str, review_id: UUID | str) -> PlanReview:
    family = get_family_for_user(user, family_id)
    progress = ReviewProgress.objects.select_related("outcome").order_by("outcome__position")
    review = (
        PlanReview.objects.filter(plan__family=family, pk=parse_id(review_id))
        .select_related("plan", "reviewed_version", "created_by")
        .prefetch_related(
            Prefetch("progress", queryset=progress),
            Prefetch("produced_versions", queryset=PlanVersion.objects.order_by("number")),
        )
        .first()
    )
    if review is None:
        raise NotFound()
    review.plan.family = family
    record_read(user, "plan_review", review.pk)
    return review


def get_outcome_for_user(
    user: AnyUser, family_id: UUID | str, plan_id: UUID | str, outcome_id: UUID | str
) -> PlanOutcome:
    plan = get_plan_for_user(user, family_id, plan_id)
    outcome = (
        PlanOutcome.objects.filter(version__plan=plan, pk=parse_id(outcome_id))
        .select_related("version")
        .prefetch_related("people")
        .first()
    )
    if outcome is None:
        raise NotFound()
    outcome.version.plan = plan
    return outcome


def get_action_for_user(
    user: AnyUser, family_id: UUID | str, plan_id: UUID | str, action_id: UUID | str
) -> PlanAction:
    plan = get_plan_for_user(user, family_id, plan_id)
    action = (
        PlanAction.objects.filter(version__plan=plan, pk=parse_id(action_id))
        .select_related("version", "owner_person", "owner_contact__organisation")
        .first()
    )
    if action is None:
        raise NotFound()
    action.version.plan = plan
    return action


def get_objection_for_user(
    user: AnyUser, family_id: UUID | str, plan_id: UUID | str, objection_id: UUID | str
) -> PlanObjection:
    plan = get_plan_for_user(user, family_id, plan_id)
    objection = plan.objections.filter(pk=parse_id(objection_id)).first()
    if objection is None:
        raise NotFound()
    objection.plan = plan
    return objection


def printable_for_user(
    user: AnyUser, family_id: UUID | str, plan_id: UUID | str, *, download: bool = False
) -> tuple[FamilyPlan, PrintablePlan]:
    """The printable current version; a PDF download is audited as an export."""
    plan = get_plan_for_user(user, family_id, plan_id, purpose="print")
    version = plan.versions.order_by("-number").first()
    if version is None:
        raise NotFound()
    objected = plan.objections.filter(withdrawn_on__isnull=True).exists()
    if download:
        record_event(
            actor=user,  # type: ignore[arg-type]
            action=Action.EXPORT,
            object_type="plan_version",
            object_id=version.pk,
            detail={"format": "pdf", "version": version.number},
        )
    return plan, printable_plan(version, objection_active=objected)


def reviews_due(user: AnyUser, *, due_by: object = None) -> QuerySet[FamilyPlan]:
    """Active plans the user looks after, the most overdue first (the caller audits the page).

    ``due_by`` (a date) keeps plans due on or before it; None lists them all.
    """
    plans = plans_for_review(user).select_related(
        "family", "episode__team", "episode__lead_practitioner"
    )
    if due_by is not None:
        plans = plans.filter(next_review_due__lte=due_by)
    return plans.order_by("next_review_due", "created_at", "id")
