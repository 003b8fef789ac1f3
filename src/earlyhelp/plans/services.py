"""Writes for family plans: create, edit the current version, review, objections, sharing.

Every change is made to the current (highest-numbered) version of an active plan on an open
episode; earlier versions are never written to. A review freezes the current version and
copies it forward (with each outcome's, action's and member's ``lineage``) as the next one,
then applies the review's changes to the copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Episode, TimelineKind
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.partners.models import PartnerContact
from earlyhelp.people.models import Family, Person
from earlyhelp.plans import needs
from earlyhelp.plans.models import (
    ActionStatus,
    FamilyPlan,
    PlanAction,
    PlanObjection,
    PlanOutcome,
    PlanReview,
    PlanStatus,
    PlanVersion,
    ProgressRating,
    ReviewProgress,
    TafMember,
    default_review_weeks,
)
from earlyhelp.plans.permissions import can_edit_plan, can_work_on_episode
from earlyhelp.plans.printing import plan_people_ids, printable_plan, render_plan_pdf
from earlyhelp.sharing.disclosure_log import log_disclosure
from earlyhelp.sharing.models import DisclosureChannel, Scope
from earlyhelp.sharing.policy import OutputPath, SharingCheck, check_sharing, decide

MAX_REVIEW_WEEKS = 52
VERSION_LINK = "plans:version"
REVIEW_LINK = "plans:review_detail"
PLAN_LINK = "plans:detail"


# --- Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeInput:
    headline_code: str
    description: str
    measure: str = ""
    people: Sequence[UUID] = ()


@dataclass(frozen=True)
class ActionInput:
    """An action; exactly one owner: a family member (person) or a partner professional."""

    what: str
    due_on: date | None
    owner_person: UUID | None = None
    owner_contact: UUID | None = None
    outcome: UUID | None = None


@dataclass(frozen=True)
class ProgressInput:
    outcome: UUID
    rating: str
    note: str = ""


@dataclass(frozen=True)
class ReviewInput:
    """A review of the current version. Ids refer to the reviewed (current) version's rows."""

    held_on: date | None
    summary: str
    change_summary: str
    progress: Sequence[ProgressInput]
    action_statuses: Mapping[UUID, str] = field(default_factory=dict)
    outcome_descriptions: Mapping[UUID, str] = field(default_factory=dict)
    new_actions: Sequence[ActionInput] = ()
    review_interval_weeks: int | None = None


# --- Shared checks --------------------------------------------------------------------------


def _require_editor(actor: User, plan: FamilyPlan) -> None:
    if not plan.is_active:
        raise Conflict("This plan is closed: it can be read but not changed.")
    if not can_edit_plan(actor, plan):
        raise PermissionDenied(
            "Only the lead practitioner, or a practitioner or manager of the allocated team, "
            "can change this plan while the episode is open."
        )


def current_version(plan: FamilyPlan) -> PlanVersion:
    version = plan.versions.order_by("-number").first()
    if version is None:  # a plan is always created with its first version
        raise NotFound()
    return version


def is_current(version: PlanVersion) -> bool:
    latest = PlanVersion.objects.filter(plan_id=version.plan_id).aggregate(n=Max("number"))["n"]
    return bool(version.number == latest)


def _lock_current(actor: User, version: PlanVersion) -> FamilyPlan:
    """Lock the plan row so a review and an edit cannot interleave; refuse old versions."""
    plan = (
        FamilyPlan.objects.select_for_update()
        .select_related("family", "episode")
        .get(pk=version.plan_id)
    )
    _require_editor(actor, plan)
    if not is_current(version):
        raise Conflict(
            "This is an earlier version of the plan and cannot be changed: "
            "open the current version."
        )
    return plan


def _text(value: str, *, field: str, message: str, max_length: int = 5000) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(message, field=field)
    if len(value) > max_length:
        raise InvalidInput(f"Use {max_length} characters or fewer.", field=field)
    return value


def _optional_text(value: str, *, field: str, max_length: int = 5000) -> str:
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(f"Use {max_length} characters or fewer.", field=field)
    return value


def _weeks(value: int | None, *, field: str = "review_interval_weeks") -> int:
    weeks = default_review_weeks() if value is None else value
    if not 1 <= weeks <= MAX_REVIEW_WEEKS:
        raise InvalidInput(
            f"The review interval must be between 1 and {MAX_REVIEW_WEEKS} weeks.", field=field
        )
    return weeks


def _family_people(family: Family, ids: Iterable[UUID], *, field: str) -> list[Person]:
    wanted = list(dict.fromkeys(ids))
    people = list(Person.objects.filter(pk__in=wanted, memberships__family=family))
    if len(people) != len(wanted):
        raise InvalidInput("Choose people from this family.", field=field)
    return people


def _contact(contact_id: UUID, *, field: str) -> PartnerContact:
    contact = (
        PartnerContact.objects.filter(pk=contact_id, active=True, organisation__active=True)
        .select_related("organisation")
        .first()
    )
    if contact is None:
        raise InvalidInput("Choose a professional from the partner directory.", field=field)
    return contact


def _timeline_people(version: PlanVersion) -> set[UUID]:
    return set(
        PlanOutcome.people.through._default_manager.filter(
            planoutcome__version=version
        ).values_list("person_id", flat=True)
    )


# --- Creating a plan ------------------------------------------------------------------------


def _create_outcome(
    *, actor: User, version: PlanVersion, data: OutcomeInput, field: str, position: int
) -> PlanOutcome:
    needs.check_headline(data.headline_code, field=f"{field}headline_code")
    description = _text(
        data.description,
        field=f"{field}description",
        message="Describe the outcome the family wants, in plain words.",
    )
    measure = _optional_text(data.measure, field=f"{field}measure")
    people = _family_people(version.plan.family, data.people, field=f"{field}people")
    outcome = PlanOutcome(
        version=version,
        headline_code=data.headline_code,
        description=description,
        measure=measure,
        position=position,
    )
    outcome._history_user = actor  # type: ignore[attr-defined]
    outcome.save()
    outcome.people.set(people)
    return outcome


@transaction.atomic
def create_plan(
    *,
    actor: User,
    family: Family,
    review_interval_weeks: int | None = None,
    outcomes: Sequence[OutcomeInput] = (),
) -> FamilyPlan:
    """Start the family's plan for its open episode, with version 1 and its outcomes."""
    episode = Episode.objects.filter(family=family, closed_at__isnull=True).first()
    if episode is None:
        raise Conflict("A plan can only be started while the family has an open episode.")
    if not can_work_on_episode(actor, episode):
        raise PermissionDenied(
            "Only the lead practitioner, or a practitioner or manager of the allocated team, "
            "can start a plan."
        )
    weeks = _weeks(review_interval_weeks)
    now = timezone.now()
    plan = FamilyPlan(
        family=family,
        episode=episode,
        review_interval_weeks=weeks,
        next_review_due=timezone.localdate(now) + timedelta(weeks=weeks),
        created_by=actor,
        created_at=now,
    )
    plan._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise Conflict(
            "This episode already has an active plan: review it to make a new version."
        ) from None
    version = PlanVersion.objects.create(
        plan=plan, number=1, created_by=actor, created_at=now, change_summary="First version."
    )
    for index, data in enumerate(outcomes):
        _create_outcome(
            actor=actor, version=version, data=data, field=f"outcomes.{index}.", position=index
        )
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="family_plan",
        object_id=plan.pk,
        detail={"outcomes": len(outcomes), "review_interval_weeks": weeks},
    )
    timeline.record_entry(
        family=family,
        kind=TimelineKind.PLAN,
        occurred_at=now,
        object_type="plan_version",
        object_id=version.pk,
        title="Family plan started",
        summary=f"Version 1, {len(outcomes)} outcome(s); first review due "
        f"{plan.next_review_due:%d/%m/%Y}.",
        people=_timeline_people(version),
        link_name=VERSION_LINK,
        recorded_by=actor,
    )
    return plan


@transaction.atomic
def close_plans_for_episode(*, actor: User, episode: Episode) -> int:
    """Close the episode's active plan when the episode closes (returns how many closed).

    For ``casework.services.close_episode`` to call inside its transaction, after its own
    permission check: a closed plan stays readable, with every version, and is no longer
    changed, reviewed or sent.
    """
    plans = list(
        FamilyPlan.objects.select_for_update()
        .select_related("family")
        .filter(episode=episode, status=PlanStatus.ACTIVE)
    )
    now = timezone.now()
    for plan in plans:
        plan.status = PlanStatus.CLOSED
        plan._history_user = actor  # type: ignore[attr-defined]
        plan.save(update_fields=["status"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="family_plan",
            object_id=plan.pk,
            detail={"change": "closed"},
        )
        timeline.record_entry(
            family=plan.family,
            kind=TimelineKind.PLAN,
            occurred_at=now,
            object_type="plan",
            object_id=plan.pk,
            title="Family plan closed with the episode",
            link_name=PLAN_LINK,
            recorded_by=actor,
        )
    return len(plans)


# --- Editing the current version ------------------------------------------------------------


def _next_position(version: PlanVersion) -> int:
    top = version.outcomes.aggregate(n=Max("position"))["n"]
    return 0 if top is None else top + 1


@transaction.atomic
def add_outcome(*, actor: User, version: PlanVersion, data: OutcomeInput) -> PlanOutcome:
    _lock_current(actor, version)
    outcome = _create_outcome(
        actor=actor, version=version, data=data, field="", position=_next_position(version)
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="plan_outcome",
        object_id=outcome.pk,
        detail={"version": version.number, "headline": outcome.headline_code},
    )
    return outcome


@transaction.atomic
def update_outcome(
    *,
    actor: User,
    outcome: PlanOutcome,
    description: str,
    measure: str,
    people: Sequence[UUID],
) -> PlanOutcome:
    """Correct an outcome of the current version (its headline stays: add a new outcome)."""
    plan = _lock_current(actor, outcome.version)
    outcome.description = _text(
        description,
        field="description",
        message="Describe the outcome the family wants, in plain words.",
    )
    outcome.measure = _optional_text(measure, field="measure")
    chosen = _family_people(plan.family, people, field="people")
    outcome._history_user = actor  # type: ignore[attr-defined]
    outcome.save(update_fields=["description", "measure"])
    outcome.people.set(chosen)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_outcome",
        object_id=outcome.pk,
        detail={"version": outcome.version.number, "people": len(chosen)},
    )
    return outcome


def _action_owner(
    family: Family, data: ActionInput, *, field: str
) -> tuple[Person | None, PartnerContact | None]:
    if (data.owner_person is None) == (data.owner_contact is None):
        raise InvalidInput(
            "Choose who will do this: one family member or one professional.", field=f"{field}owner"
        )
    if data.owner_person is not None:
        return _family_people(family, [data.owner_person], field=f"{field}owner")[0], None
    assert data.owner_contact is not None
    return None, _contact(data.owner_contact, field=f"{field}owner")


def _new_action(
    *,
    actor: User,
    version: PlanVersion,
    data: ActionInput,
    outcome: PlanOutcome | None,
    field: str = "",
) -> PlanAction:
    what = _text(data.what, field=f"{field}what", message="Say what will be done.")
    if data.due_on is None:
        raise InvalidInput("Enter the date it will be done by.", field=f"{field}due_on")
    person, contact = _action_owner(version.plan.family, data, field=field)
    action = PlanAction(
        version=version,
        outcome=outcome,
        what=what,
        owner_person=person,
        owner_contact=contact,
        due_on=data.due_on,
    )
    action._history_user = actor  # type: ignore[attr-defined]
    action.save()
    return action


def _version_outcome(
    version: PlanVersion, outcome_id: UUID | None, *, field: str
) -> PlanOutcome | None:
    if outcome_id is None:
        return None
    outcome = version.outcomes.filter(pk=outcome_id).first()
    if outcome is None:
        raise InvalidInput("Choose one of this plan's outcomes.", field=field)
    return outcome


@transaction.atomic
def add_action(*, actor: User, version: PlanVersion, data: ActionInput) -> PlanAction:
    _lock_current(actor, version)
    outcome = _version_outcome(version, data.outcome, field="outcome")
    action = _new_action(actor=actor, version=version, data=data, outcome=outcome)
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="plan_action",
        object_id=action.pk,
        detail={
            "version": version.number,
            "owner": "family_member" if action.owner_is_family else "professional",
        },
    )
    return action


def _check_status(status: str, *, field: str) -> str:
    if status not in ActionStatus.values:
        raise InvalidInput("Choose the action's status.", field=field)
    return status


@transaction.atomic
def update_action_status(*, actor: User, action: PlanAction, status: str) -> PlanAction:
    _lock_current(actor, action.version)
    _check_status(status, field="status")
    previous = action.status
    if previous != status:
        action.status = status
        action._history_user = actor  # type: ignore[attr-defined]
        action.save(update_fields=["status"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_action",
        object_id=action.pk,
        detail={"change": "status", "from": previous, "to": status},
    )
    return action


@transaction.atomic
def add_member(
    *,
    actor: User,
    version: PlanVersion,
    contact: UUID | None = None,
    person: UUID | None = None,
    role_in_plan: str = "",
) -> TafMember:
    """Add a professional (from the partner directory) or a family member to the TAF."""
    plan = _lock_current(actor, version)
    if (contact is None) == (person is None):
        raise InvalidInput("Choose one professional or one family member.", field="member")
    role = _optional_text(role_in_plan, field="role_in_plan", max_length=200)
    member = TafMember(version=version, role_in_plan=role)
    if contact is not None:
        member.contact = _contact(contact, field="member")
    else:
        assert person is not None
        member.person = _family_people(plan.family, [person], field="member")[0]
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise Conflict("They are already a member of this plan's TAF.") from None
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="taf_member",
        object_id=member.pk,
        detail={
            "version": version.number,
            "kind": "professional" if member.is_professional else "family_member",
        },
    )
    return member


# --- Reviews and versions -------------------------------------------------------------------


@dataclass
class _Copy:
    version: PlanVersion
    outcomes: dict[UUID, PlanOutcome]
    actions: dict[UUID, PlanAction]


def _copy_version(
    *, actor: User, source: PlanVersion, review: PlanReview, change_summary: str
) -> _Copy:
    """The next version: every outcome, action and member copied with its lineage."""
    target = PlanVersion.objects.create(
        plan=source.plan,
        number=source.number + 1,
        created_by=actor,
        created_at=timezone.now(),
        change_summary=change_summary,
        review=review,
    )
    outcomes: dict[UUID, PlanOutcome] = {}
    for old in source.outcomes.prefetch_related("people").order_by("position", "id"):
        new = PlanOutcome(
            version=target,
            headline_code=old.headline_code,
            description=old.description,
            measure=old.measure,
            position=old.position,
            lineage=old.lineage,
        )
        new._history_user = actor  # type: ignore[attr-defined]
        new.save()
        new.people.set(old.people.all())
        outcomes[old.pk] = new
    actions: dict[UUID, PlanAction] = {}
    for old_action in source.actions.order_by("due_on", "id"):
        new_action = PlanAction(
            version=target,
            outcome=outcomes.get(old_action.outcome_id) if old_action.outcome_id else None,
            what=old_action.what,
            owner_person_id=old_action.owner_person_id,
            owner_contact_id=old_action.owner_contact_id,
            due_on=old_action.due_on,
            status=old_action.status,
            lineage=old_action.lineage,
        )
        new_action._history_user = actor  # type: ignore[attr-defined]
        new_action.save()
        actions[old_action.pk] = new_action
    TafMember.objects.bulk_create(
        [
            TafMember(
                version=target,
                contact_id=member.contact_id,
                person_id=member.person_id,
                role_in_plan=member.role_in_plan,
                lineage=member.lineage,
            )
            for member in source.members.order_by("id")
        ]
    )
    return _Copy(version=target, outcomes=outcomes, actions=actions)


def _check_review(data: ReviewInput, version: PlanVersion) -> None:
    today = timezone.localdate()
    if data.held_on is None:
        raise InvalidInput("Enter the date the review was held.", field="held_on")
    if data.held_on > today:
        raise InvalidInput("The review date must be today or in the past.", field="held_on")
    if data.held_on < timezone.localdate(version.created_at):
        raise InvalidInput(
            "The review date cannot be before the version it reviews was agreed.",
            field="held_on",
        )
    outcome_ids = set(version.outcomes.values_list("pk", flat=True))
    rated = set()
    for index, item in enumerate(data.progress):
        if item.outcome not in outcome_ids:
            raise InvalidInput(
                "Rate the outcomes of the version being reviewed.", field=f"progress.{index}"
            )
        if item.rating not in ProgressRating.values:
            raise InvalidInput("Choose how the outcome is going.", field=f"progress.{index}.rating")
        _optional_text(item.note, field=f"progress.{index}.note")
        rated.add(item.outcome)
    if len(rated) != len(data.progress):
        raise InvalidInput("Rate each outcome once.", field="progress")
    if rated != outcome_ids:
        raise InvalidInput("Record progress on every outcome of the plan.", field="progress")
    action_ids = set(version.actions.values_list("pk", flat=True))
    for action_id, status in data.action_statuses.items():
        if action_id not in action_ids:
            raise InvalidInput("Change the actions of the version being reviewed.", field="actions")
        _check_status(status, field="actions")
    for outcome_id, description in data.outcome_descriptions.items():
        if outcome_id not in outcome_ids:
            raise InvalidInput(
                "Change the outcomes of the version being reviewed.", field="outcomes"
            )
        _text(description, field="outcomes", message="An outcome cannot be left empty.")


@transaction.atomic
def record_review(*, actor: User, plan: FamilyPlan, data: ReviewInput) -> PlanReview:
    """Record a review of the current version; it produces the next version of the plan."""
    version = current_version(plan)
    plan = _lock_current(actor, version)
    _check_review(data, version)
    assert data.held_on is not None
    summary = _text(data.summary, field="summary", message="Summarise what the review found.")
    change_summary = _text(
        data.change_summary,
        field="change_summary",
        message="Say what changed in the plan, and why.",
    )
    weeks = _weeks(
        plan.review_interval_weeks
        if data.review_interval_weeks is None
        else data.review_interval_weeks
    )
    now = timezone.now()
    review = PlanReview.objects.create(
        plan=plan,
        reviewed_version=version,
        held_on=data.held_on,
        summary=summary,
        created_by=actor,
        created_at=now,
    )
    ReviewProgress.objects.bulk_create(
        [
            ReviewProgress(
                review=review, outcome_id=item.outcome, rating=item.rating, note=item.note.strip()
            )
            for item in data.progress
        ]
    )
    copy = _copy_version(actor=actor, source=version, review=review, change_summary=change_summary)
    for outcome_id, description in data.outcome_descriptions.items():
        outcome = copy.outcomes[outcome_id]
        if outcome.description != description.strip():
            outcome.description = description.strip()
            outcome._history_user = actor  # type: ignore[attr-defined]
            outcome.save(update_fields=["description"])
    for action_id, status in data.action_statuses.items():
        action = copy.actions[action_id]
        if action.status != status:
            action.status = status
            action._history_user = actor  # type: ignore[attr-defined]
            action.save(update_fields=["status"])
    for index, new in enumerate(data.new_actions):
        if new.outcome is not None and new.outcome not in copy.outcomes:
            raise InvalidInput(
                "Choose one of this plan's outcomes.", field=f"new_actions.{index}.outcome"
            )
        _new_action(
            actor=actor,
            version=copy.version,
            data=new,
            outcome=copy.outcomes[new.outcome] if new.outcome is not None else None,
            field=f"new_actions.{index}.",
        )
    plan.review_interval_weeks = weeks
    plan.next_review_due = data.held_on + timedelta(weeks=weeks)
    plan._history_user = actor  # type: ignore[attr-defined]
    plan.save(update_fields=["review_interval_weeks", "next_review_due"])
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="plan_review",
        object_id=review.pk,
        detail={"reviewed_version": version.number, "outcomes": len(data.progress)},
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="plan_version",
        object_id=copy.version.pk,
        detail={
            "version": copy.version.number,
            "actions_changed": len(data.action_statuses),
            "actions_added": len(data.new_actions),
            "outcomes_changed": len(data.outcome_descriptions),
        },
    )
    people = _timeline_people(version)
    timeline.record_entry(
        family=plan.family,
        kind=TimelineKind.REVIEW,
        occurred_at=now,
        object_type="plan_review",
        object_id=review.pk,
        title=f"Plan review of version {version.number}",
        summary=summary,
        people=people,
        link_name=REVIEW_LINK,
        recorded_by=actor,
    )
    timeline.record_entry(
        family=plan.family,
        kind=TimelineKind.PLAN,
        occurred_at=now,
        object_type="plan_version",
        object_id=copy.version.pk,
        title=f"Family plan version {copy.version.number}",
        summary=change_summary,
        people=_timeline_people(copy.version) | people,
        link_name=VERSION_LINK,
        recorded_by=actor,
    )
    return review


# --- Objections to sharing ------------------------------------------------------------------


def active_objections(plan: FamilyPlan) -> list[PlanObjection]:
    return list(plan.objections.filter(withdrawn_on__isnull=True).select_related("objected_by"))


@transaction.atomic
def record_objection(
    *,
    actor: User,
    plan: FamilyPlan,
    objected_by: UUID,
    objected_on: date | None,
    note: str = "",
) -> PlanObjection:
    """Record a family member's objection to the plan being shared with the TAF members."""
    _require_editor(actor, plan)
    _family_people(plan.family, [objected_by], field="objected_by")
    if objected_on is None:
        raise InvalidInput("Enter the date they objected.", field="objected_on")
    if objected_on > timezone.localdate():
        raise InvalidInput("The date must be today or in the past.", field="objected_on")
    objection = PlanObjection(
        plan=plan,
        objected_on=objected_on,
        objected_by_id=objected_by,
        note=_optional_text(note, field="note"),
        recorded_by=actor,
    )
    objection._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            objection.save()
    except IntegrityError:
        raise Conflict("An objection from this person is already recorded.") from None
    record_event(
        actor=actor, action=Action.CREATE, object_type="plan_objection", object_id=objection.pk
    )
    timeline.record_entry(
        family=plan.family,
        kind=TimelineKind.PLAN,
        occurred_at=timezone.now(),
        object_type="plan",
        object_id=plan.pk,
        title="Objection to sharing the plan recorded",
        summary="The plan will not be sent to TAF members while the objection stands.",
        people=[objected_by],
        link_name=PLAN_LINK,
        recorded_by=actor,
    )
    return objection


@transaction.atomic
def withdraw_objection(
    *, actor: User, objection: PlanObjection, withdrawn_on: date | None = None
) -> PlanObjection:
    plan = objection.plan
    _require_editor(actor, plan)
    objection = PlanObjection.objects.select_for_update().get(pk=objection.pk)
    if not objection.is_active:
        raise Conflict("This objection has already been withdrawn.")
    when = withdrawn_on or timezone.localdate()
    if when > timezone.localdate():
        raise InvalidInput("The date must be today or in the past.", field="withdrawn_on")
    if when < objection.objected_on:
        raise InvalidInput(
            "The objection cannot be withdrawn before it was made.", field="withdrawn_on"
        )
    objection.withdrawn_on = when
    objection.withdrawn_recorded_by = actor
    objection._history_user = actor  # type: ignore[attr-defined]
    objection.save(update_fields=["withdrawn_on", "withdrawn_recorded_by"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="plan_objection",
        object_id=objection.pk,
        detail={"change": "withdrawn"},
    )
    timeline.record_entry(
        family=plan.family,
        kind=TimelineKind.PLAN,
        occurred_at=timezone.now(),
        object_type="plan",
        object_id=plan.pk,
        title="Objection to sharing the plan withdrawn",
        people=[objection.objected_by_id],
        link_name=PLAN_LINK,
        recorded_by=actor,
    )
    return objection


# --- Sending the plan to the TAF ------------------------------------------------------------


def sharing_refusal(plan: FamilyPlan) -> str | None:
    """Why the plan may not be sent to anyone at all just now (None when it may)."""
    if plan.objections.filter(withdrawn_on__isnull=True).exists():
        return (
            "The family has objected to the plan being shared with the TAF members. "
            "It cannot be sent while the objection stands."
        )
    return None


@dataclass(frozen=True)
class Recipients:
    """Who may receive the current version, and the professionals it cannot go to."""

    version: PlanVersion
    members: list[TafMember]
    without_email: list[TafMember]
    # TAF professionals whose organisation has no standing agreement (from everyone the plan
    # names) to receive the plan: sharing.policy refuses them.
    without_agreement: list[TafMember] = field(default_factory=list)


def _plan_check(
    plan: FamilyPlan, member: TafMember, people: list[UUID], actor: User | None
) -> SharingCheck:
    assert member.contact is not None
    arguments = {
        "family": plan.family,
        "recipient": member.contact.organisation,
        "people": people,
        "scopes": [Scope.PLAN],
        "path": OutputPath.TAF_PLAN,
    }
    if actor is None:
        return decide(**arguments)  # type: ignore[arg-type]
    return check_sharing(actor=actor, **arguments)  # type: ignore[arg-type]


def _plan_subjects(version: PlanVersion) -> list[UUID]:
    # A plan that names no one is still about the family: everyone in it must agree.
    return plan_people_ids(version) or list(
        version.plan.family.memberships.values_list("person_id", flat=True)
    )


def recipients_allowed(plan: FamilyPlan) -> Recipients:
    """Who the current version may go to, as sharing.policy decides (nothing recorded).

    Refuses (Conflict) while an objection stands. Otherwise the recipients are the
    professionals who are TAF members of the current version, have an e-mail address, and
    whose organisation has the agreement of everyone the plan names to receive it.
    """
    refusal = sharing_refusal(plan)
    if refusal is not None:
        raise Conflict(refusal)
    version = current_version(plan)
    professionals = list(
        version.members.filter(contact__isnull=False)
        .select_related("contact__organisation")
        .order_by("contact__name", "id")
    )
    usable = [
        m
        for m in professionals
        if m.contact is not None
        and m.contact.email
        and m.contact.active
        and m.contact.organisation.active
    ]
    people = _plan_subjects(version)
    agreed = [m for m in usable if _plan_check(plan, m, people, None).allowed]
    return Recipients(
        version=version,
        members=agreed,
        without_email=[m for m in professionals if m not in usable],
        without_agreement=[m for m in usable if m not in agreed],
    )


@dataclass(frozen=True)
class ShareResult:
    version_number: int
    sent_to: list[UUID]  # partner contact ids
    not_sent: int  # professionals without a usable e-mail address
    # The e-mail addresses it went to, as the directory held them when sent: shown to the
    # sender, so a changed address cannot take the plan elsewhere unseen (decision 0014).
    addresses: list[str] = field(default_factory=list)


def _message(printable_reference: str, version_number: int, email: str) -> EmailMessage:
    # Reference and version only: the personal data travels in the attachment.
    body = (
        f"The family plan for family {printable_reference} (version {version_number}) is "
        "attached. You receive it as a member of the Team Around the Family.\n\n"
        "Keep it securely and do not pass it on. It does not include anyone's address."
    )
    return EmailMessage(
        subject=f"Family plan {printable_reference}, version {version_number}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )


@transaction.atomic
def share_plan_with_taf(
    *,
    actor: User,
    plan: FamilyPlan,
    contacts: Sequence[UUID] | None = None,
    confirmed_addresses: Sequence[str] | None = None,
) -> ShareResult:
    """E-mail the current version's PDF to the TAF professionals (or the ones chosen).

    ``contacts`` narrows the recipients; any contact who is not a TAF member of the current
    version with an e-mail address, or whose organisation sharing.policy refuses, is refused.
    Each recipient passes sharing.policy.check_sharing (recorded), is audited as a share and
    written to the disclosure log of everyone the plan names. The e-mails go once the
    transaction has committed, so a rolled-back share sends nothing.

    ``confirmed_addresses`` are the e-mail addresses the sender was shown: if the directory
    now holds others for the chosen recipients, nothing is sent (Conflict), so a changed
    address never takes the plan somewhere the sender did not see (decision 0014).
    """
    _require_editor(actor, plan)
    allowed = recipients_allowed(plan)
    by_contact = {m.contact_id: m for m in allowed.members}
    refused = {m.contact_id for m in allowed.without_agreement}
    if contacts is None:
        chosen = allowed.members
    else:
        chosen = []
        for index, contact_id in enumerate(dict.fromkeys(contacts)):
            if contact_id in refused:
                raise InvalidInput(
                    "The family has not agreed to this professional's organisation receiving "
                    "the plan. Record their agreement first.",
                    field=f"recipients.{index}",
                )
            if contact_id not in by_contact:
                raise InvalidInput(
                    "The plan can only be sent to professionals who are TAF members of the "
                    "current version and have an e-mail address.",
                    field=f"recipients.{index}",
                )
            chosen.append(by_contact[contact_id])
    if not chosen:
        raise Conflict(
            "There is no one to send the plan to: the TAF needs professionals with an e-mail "
            "address whose organisation the family has agreed may receive the plan."
        )
    if confirmed_addresses is not None:
        going_to = sorted(m.contact.email for m in chosen if m.contact is not None)
        if going_to != sorted(confirmed_addresses):
            raise Conflict(
                "The e-mail addresses in the partner directory have changed since you "
                "confirmed them. Check where the plan will go and send it again."
            )
    version = allowed.version
    people = _plan_subjects(version)
    printable = printable_plan(version, objection_active=False)
    pdf = render_plan_pdf(printable)
    messages = []
    for member in chosen:
        assert member.contact is not None
        check = _plan_check(plan, member, people, actor)
        if not check.allowed:  # the state changed since recipients_allowed: refuse
            raise Conflict(check.reason)
        record_event(
            actor=actor,
            action=Action.SHARE,
            object_type="plan_version",
            object_id=version.pk,
            detail={
                "recipient": member.contact.pk,
                "organisation": member.contact.organisation_id,
                "channel": "email",
                "version": version.number,
            },
        )
        log_disclosure(
            actor=actor,
            family=plan.family,
            people=people,
            check=check,
            channel=DisclosureChannel.TAF_EMAIL,
            what=f"Family plan, version {version.number}",
            scopes=[Scope.PLAN],
            recipient=member.contact.organisation,
            contact=member.contact,
        )
        message = _message(printable.family_reference, version.number, member.contact.email)
        message.attach(printable.filename, pdf, "application/pdf")
        messages.append(message)

    def send() -> None:
        get_connection().send_messages(messages)

    transaction.on_commit(send)
    return ShareResult(
        version_number=version.number,
        sent_to=[m.contact_id for m in chosen if m.contact_id is not None],
        not_sent=len(allowed.without_email),
        addresses=[m.contact.email for m in chosen if m.contact is not None],
    )
