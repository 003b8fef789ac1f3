"""Writes for episodes: open (on acceptance), re-allocate, close."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import Role, Team, User
from earlyhelp.accounts.permissions import team_ids_with_role
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Allocation, Episode, OnwardReferral, TimelineKind
from earlyhelp.casework.permissions import can_close_episode, can_manage_episode
from earlyhelp.core import codelists
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.people.models import Family
from earlyhelp.plans.services import close_plans_for_episode


def check_lead_practitioner(lead: User | None, team: Team) -> None:
    if lead is not None and team.pk not in team_ids_with_role(
        lead, Role.PRACTITIONER, Role.TEAM_MANAGER
    ):
        raise InvalidInput(
            "The lead practitioner must be a practitioner or manager in the allocated team.",
            field="lead_practitioner",
        )


@transaction.atomic
def open_episode(*, actor: User, family: Family, team: Team, lead: User | None) -> Episode:
    """Open an episode; the database refuses a second open one for the family."""
    check_lead_practitioner(lead, team)
    now = timezone.now()
    try:
        with transaction.atomic():
            episode = Episode.objects.create(
                family=family, team=team, lead_practitioner=lead, opened_at=now
            )
    except IntegrityError:
        raise Conflict(
            "This family already has an open episode: link the referral to it instead."
        ) from None
    Allocation.objects.create(
        episode=episode, team=team, lead_practitioner=lead, allocated_at=now, allocated_by=actor
    )
    record_event(actor=actor, action=Action.CREATE, object_type="episode", object_id=episode.pk)
    timeline.record_entry(
        family=family,
        kind=TimelineKind.EPISODE,
        occurred_at=now,
        object_type="episode",
        object_id=episode.pk,
        title=f"Episode opened, allocated to {team.name}",
        recorded_by=actor,
    )
    return episode


@transaction.atomic
def reallocate_episode(*, actor: User, episode: Episode, team: Team, lead: User | None) -> Episode:
    if not can_manage_episode(actor, episode):
        raise PermissionDenied("Only a manager of the allocated team can re-allocate this family.")
    check_lead_practitioner(lead, team)
    episode.team = team
    episode.lead_practitioner = lead
    episode.save(update_fields=["team", "lead_practitioner"])
    Allocation.objects.create(
        episode=episode,
        team=team,
        lead_practitioner=lead,
        allocated_at=timezone.now(),
        allocated_by=actor,
    )
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="episode",
        object_id=episode.pk,
        detail={"change": "reallocated", "team": team.slug},
    )
    return episode


# Closure reasons that hand the family on, and the direction of the referral they need.
ONWARD_DIRECTIONS = {
    "stepped_up_to_social_care": OnwardReferral.Direction.STEP_UP,
    "stepped_down_to_universal": OnwardReferral.Direction.STEP_DOWN,
}


@transaction.atomic
def close_episode(
    *,
    actor: User,
    episode: Episode,
    reason: str,
    note: str = "",
    summary: str = "",
    onward_destination: str = "",
    onward_reason: str = "",
) -> Episode:
    """Close the episode with its reason and closing summary.

    A step-up or step-down also records the onward referral (where to, and why), so the
    receiving service's referral is part of the family's record.
    """
    if not can_close_episode(actor, episode):
        raise PermissionDenied("You cannot close this episode.")
    codelists.validate_code("closure_reasons", reason, field="reason")
    if reason == "other" and not note.strip():
        raise InvalidInput("Say why the episode is closing.", field="note")
    if not summary.strip():
        raise InvalidInput(
            "Write a closing summary: what changed for the family and what happens next.",
            field="summary",
        )
    direction = ONWARD_DIRECTIONS.get(reason)
    if direction is not None:
        if not onward_destination.strip():
            raise InvalidInput("Name the service the family is referred to.", field="destination")
        if not onward_reason.strip():
            raise InvalidInput(
                "Say why, and what the receiving service needs to know.", field="onward_reason"
            )
    now = timezone.now()
    episode.closed_at = now
    episode.closure_reason = reason
    episode.closure_note = note.strip()
    episode.closing_summary = summary.strip()
    episode.save(update_fields=["closed_at", "closure_reason", "closure_note", "closing_summary"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="episode",
        object_id=episode.pk,
        detail={"change": "closed", "reason": reason},
    )
    # The episode's plan closes with it: no more reviews fall due, nothing more is shared.
    close_plans_for_episode(actor=actor, episode=episode)
    reason_label = codelists.labels("closure_reasons").get(reason, reason)
    timeline.record_entry(
        family=episode.family,
        kind=TimelineKind.EPISODE,
        occurred_at=now,
        object_type="episode",
        object_id=episode.pk,
        title=f"Episode closed: {reason_label}",
        summary=episode.closing_summary,
        recorded_by=actor,
    )
    if direction is not None:
        onward = OnwardReferral.objects.create(
            episode=episode,
            direction=direction,
            destination=onward_destination.strip(),
            reason=onward_reason.strip(),
            made_at=now,
            made_by=actor,
        )
        record_event(
            actor=actor,
            action=Action.CREATE,
            object_type="onward_referral",
            object_id=onward.pk,
            detail={"direction": direction.value},
        )
        timeline.record_entry(
            family=episode.family,
            kind=TimelineKind.REFERRAL,
            occurred_at=now,
            object_type="onward_referral",
            object_id=onward.pk,
            title=f"{onward.get_direction_display()}: {onward.destination}",
            summary=onward.reason,
            recorded_by=actor,
        )
    return episode
