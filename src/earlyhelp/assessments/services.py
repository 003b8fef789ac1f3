"""Writes and rules for assessments: start, edit a draft, needs, submit, authorise, return.

The state machine is draft -> submitted -> authorised, with a manager able to send a
submitted assessment back to draft with a comment. Authorising takes two people: a team
manager of the episode's team who did not submit it.

Every event also writes its own line on the family timeline (started, submitted, returned,
authorised): one line per event, so the timeline shows when each step happened.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import Assessment, AssessmentNeed, Headline, Severity
from earlyhelp.assessments.permissions import (
    can_configure_headlines,
    manages_episode_team,
    works_on_episode,
)
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework import timeline
from earlyhelp.casework.models import Episode, TimelineKind
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.people.models import Family, FamilyMembership

LINK_NAME = "assessments:detail"
TEXT_FIELDS = ("strengths", "child_views", "parent_views", "analysis", "conclusion")


# --- Reading for other apps -------------------------------------------------------------


@dataclass(frozen=True)
class AssessedNeed:
    person_id: UUID
    headline_code: str
    headline_label: str
    severity: str


@dataclass(frozen=True)
class Eligibility:
    headline_count: int
    threshold: int
    eligible: bool


def eligibility_for(headline_codes: Iterable[str], threshold: int) -> Eligibility:
    """Programme eligibility from the headlines with needs (each counted once)."""
    count = len(set(headline_codes))
    return Eligibility(headline_count=count, threshold=threshold, eligible=count >= threshold)


def programme_threshold() -> int:
    return int(settings.EARLYHELP_PROGRAMME_MIN_HEADLINES)


def eligibility(assessment: Assessment) -> Eligibility:
    """Needs under at least the configured number of headlines (default 3) makes a family
    eligible for the Supporting Families programme. Uses prefetched needs when present."""
    return eligibility_for(
        (str(need.headline_id) for need in assessment.needs.all()), programme_threshold()
    )


def assessed_needs(family: Family) -> list[AssessedNeed]:
    """The needs in the family's latest authorised assessment (empty if it has none).

    Internal: the caller has already passed the family gatekeeper, which audited the read.
    """
    latest = (
        Assessment.objects.filter(family=family, status=Assessment.Status.AUTHORISED)
        .order_by("-completed_on", "-authorised_at")
        .first()
    )
    if latest is None:
        return []
    needs = latest.needs.select_related("headline").order_by("headline__position", "created_at")
    return [
        AssessedNeed(
            person_id=need.person_id,
            headline_code=need.headline.code,
            headline_label=need.headline.label,
            severity=need.severity,
        )
        for need in needs
    ]


# --- Starting and editing -----------------------------------------------------------------


def _check_not_future(value: date, *, field: str, label: str) -> None:
    if value > timezone.localdate():
        raise InvalidInput(f"{label} must be today or in the past.", field=field)


def _save(instance: Assessment | AssessmentNeed, actor: User, **kwargs: object) -> None:
    instance._history_user = actor  # type: ignore[union-attr]
    instance.save(**kwargs)  # type: ignore[arg-type]


def _members(family_id: UUID) -> list[UUID]:
    return list(
        FamilyMembership.objects.filter(family_id=family_id).values_list("person_id", flat=True)
    )


def _record_timeline(assessment: Assessment, actor: User, title: str, summary: str = "") -> None:
    timeline.record_entry(
        family=assessment.family,
        kind=TimelineKind.ASSESSMENT,
        occurred_at=timezone.now(),
        object_type="assessment",
        object_id=assessment.pk,
        title=title,
        summary=summary,
        # A whole-family assessment is about every member.
        people=_members(assessment.family_id),
        link_name=LINK_NAME,
        recorded_by=actor,
    )


def _lock(assessment: Assessment) -> Assessment:
    locked = (
        Assessment.objects.select_for_update()
        .select_related("episode", "family")
        .get(pk=assessment.pk)
    )
    # Callers keep using their object: bring it up to date with the locked row.
    for field in Assessment._meta.concrete_fields:
        setattr(assessment, field.attname, getattr(locked, field.attname))
    assessment.episode = locked.episode
    assessment.family = locked.family
    # Rules about needs read them under the lock, not from a page's earlier prefetch.
    getattr(assessment, "_prefetched_objects_cache", {}).pop("needs", None)
    return locked


@transaction.atomic
def start_assessment(
    *, actor: User, family: Family, started_on: date, organisation: str = ""
) -> Assessment:
    """Start a draft assessment for the family's open episode (one in progress at a time)."""
    episode = Episode.objects.filter(family=family, closed_at__isnull=True).first()
    if episode is None:
        raise Conflict("This family has no open episode: an assessment belongs to an episode.")
    if not works_on_episode(actor, episode):
        raise PermissionDenied(
            "Only the lead practitioner or a practitioner or manager of the allocated team can "
            "start an assessment."
        )
    _check_not_future(started_on, field="started_on", label="The start date")
    assessment = Assessment(
        family=family,
        episode=episode,
        started_on=started_on,
        created_by=actor,
    )
    if organisation.strip():
        assessment.organisation = organisation.strip()
    try:
        with transaction.atomic():
            _save(assessment, actor)
    except IntegrityError:
        raise Conflict(
            "An assessment for this episode is already in progress: finish that one first."
        ) from None
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="assessment",
        object_id=assessment.pk,
        detail={"episode": episode.pk},
    )
    _record_timeline(assessment, actor, "Early Help assessment started")
    return assessment


_PAST = {
    "change": "changed",
    "submit": "submitted",
    "authorise": "authorised",
    "return": "returned",
}


def check_editable(actor: User, assessment: Assessment, *, verb: str = "change") -> None:
    """Raise unless ``actor`` may change (or submit) this assessment now."""
    if not works_on_episode(actor, assessment.episode):
        raise PermissionDenied(
            f"Only the lead practitioner or a practitioner or manager of the allocated team can "
            f"{verb} this assessment, while the episode is open."
        )
    if not assessment.is_draft:
        raise Conflict(
            f"Only a draft can be {_PAST[verb]}; this assessment is "
            f"{assessment.get_status_display().lower()}."
        )


@dataclass
class AssessmentChanges:
    """Fields to change in a draft; None leaves a field as it is (the API's PATCH)."""

    started_on: date | None = None
    organisation: str | None = None
    strengths: str | None = None
    child_views: str | None = None
    parent_views: str | None = None
    analysis: str | None = None
    conclusion: str | None = None
    no_needs_identified: bool | None = None


@transaction.atomic
def update_assessment(
    *, actor: User, assessment: Assessment, changes: AssessmentChanges
) -> Assessment:
    _lock(assessment)
    check_editable(actor, assessment)
    changed: list[str] = []
    if changes.started_on is not None:
        _check_not_future(changes.started_on, field="started_on", label="The start date")
    if changes.organisation is not None and not changes.organisation.strip():
        raise InvalidInput(
            "Enter the organisation completing the assessment.", field="organisation"
        )
    for field in fields(changes):
        value = getattr(changes, field.name)
        if value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
        if getattr(assessment, field.name) != value:
            setattr(assessment, field.name, value)
            changed.append(field.name)
    if changed:
        _save(assessment, actor, update_fields=changed)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="assessment",
            object_id=assessment.pk,
            detail={"fields": sorted(changed)},
        )
    return assessment


# --- Needs ------------------------------------------------------------------------------------


def _headline(code: str) -> Headline:
    headline = Headline.objects.filter(code=code, active=True).first()
    if headline is None:
        raise InvalidInput("Choose a headline need.", field="headline")
    return headline


def _clean_need(evidence: str, severity: str) -> str:
    if severity not in Severity.values:
        raise InvalidInput("Choose how severe the need is.", field="severity")
    if not evidence.strip():
        raise InvalidInput("Enter the evidence for this need.", field="evidence")
    return evidence.strip()


def _duplicate_need() -> InvalidInput:
    return InvalidInput(
        "This need is already recorded for this person: change that one instead.",
        field="headline",
    )


def _audit_need(actor: User, action: Action, need_id: UUID, assessment: Assessment) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="assessment_need",
        object_id=need_id,
        detail={"assessment": assessment.pk},
    )


@transaction.atomic
def add_need(
    *,
    actor: User,
    assessment: Assessment,
    person_id: UUID | str,
    headline_code: str,
    evidence: str,
    severity: str,
) -> AssessmentNeed:
    """Record a headline need for one family member, with its evidence and severity."""
    _lock(assessment)
    check_editable(actor, assessment)
    member = FamilyMembership.objects.filter(
        family_id=assessment.family_id, person_id=str(person_id)
    ).first()
    if member is None:
        raise InvalidInput("Choose a member of this family.", field="person")
    headline = _headline(headline_code)
    evidence = _clean_need(evidence, severity)
    if assessment.needs.filter(person_id=member.person_id, headline=headline).exists():
        raise _duplicate_need()
    need = AssessmentNeed(
        assessment=assessment,
        person_id=member.person_id,
        headline=headline,
        evidence=evidence,
        severity=severity,
    )
    _save(need, actor)
    _audit_need(actor, Action.CREATE, need.pk, assessment)
    return need


@transaction.atomic
def update_need(
    *,
    actor: User,
    need: AssessmentNeed,
    headline_code: str | None = None,
    evidence: str | None = None,
    severity: str | None = None,
) -> AssessmentNeed:
    assessment = need.assessment
    _lock(assessment)
    check_editable(actor, assessment)
    headline = _headline(headline_code) if headline_code is not None else need.headline
    new_evidence = _clean_need(
        need.evidence if evidence is None else evidence,
        need.severity if severity is None else severity,
    )
    if (
        headline.pk != need.headline_id
        and assessment.needs.filter(person_id=need.person_id, headline=headline).exists()
    ):
        raise _duplicate_need()
    need.headline = headline
    need.evidence = new_evidence
    need.severity = need.severity if severity is None else severity
    _save(need, actor)
    _audit_need(actor, Action.UPDATE, need.pk, assessment)
    return need


@transaction.atomic
def remove_need(*, actor: User, need: AssessmentNeed) -> None:
    assessment = need.assessment
    _lock(assessment)
    check_editable(actor, assessment)
    need_id = need.pk
    need._history_user = actor  # type: ignore[attr-defined]
    need.delete()
    _audit_need(actor, Action.DELETE, need_id, assessment)


# --- Submit, authorise, return ---------------------------------------------------------------


def _needs_summary(assessment: Assessment) -> str:
    labels = list(
        Headline.objects.filter(pk__in=assessment.needs.values("headline_id")).values_list(
            "label", flat=True
        )
    )
    if not labels:
        return "No needs identified"
    return f"Needs under {len(labels)} headlines: {', '.join(labels)}"


@transaction.atomic
def submit_assessment(
    *, actor: User, assessment: Assessment, completed_on: date | None = None
) -> Assessment:
    """Submit a draft for a manager's authorisation; the completion date is set now."""
    _lock(assessment)
    check_editable(actor, assessment, verb="submit")
    completed_on = completed_on or timezone.localdate()
    _check_not_future(completed_on, field="completed_on", label="The completion date")
    if completed_on < assessment.started_on:
        raise InvalidInput(
            "The completion date must be the same as or after the start date.",
            field="completed_on",
        )
    has_needs = assessment.needs.exists()
    if not has_needs and not assessment.no_needs_identified:
        raise InvalidInput(
            "Record at least one need, or conclude that no needs were identified.", field="needs"
        )
    if has_needs and assessment.no_needs_identified:
        raise InvalidInput(
            "Needs are recorded, so the assessment cannot conclude that there are none.",
            field="no_needs_identified",
        )
    if not assessment.conclusion.strip():
        raise InvalidInput("Enter the practitioner's conclusion.", field="conclusion")
    assessment.status = Assessment.Status.SUBMITTED
    assessment.completed_on = completed_on
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    _save(assessment, actor)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="assessment",
        object_id=assessment.pk,
        detail={"change": "submitted"},
    )
    _record_timeline(
        assessment,
        actor,
        "Early Help assessment submitted for authorisation",
        _needs_summary(assessment),
    )
    return assessment


def _check_manager(actor: User, assessment: Assessment, verb: str) -> None:
    if not manages_episode_team(actor, assessment.episode):
        raise PermissionDenied(f"Only a manager of the allocated team can {verb} an assessment.")
    if assessment.status != Assessment.Status.SUBMITTED:
        raise Conflict(
            f"Only a submitted assessment can be {_PAST[verb]}; this one is "
            f"{assessment.get_status_display().lower()}."
        )


def check_can_authorise(actor: User, assessment: Assessment) -> None:
    """Raise unless ``actor`` may authorise: a manager of the team who did not submit it."""
    _check_manager(actor, assessment, "authorise")
    if assessment.submitted_by_id == actor.pk:
        raise PermissionDenied(
            "You submitted this assessment, so another team manager must authorise it: "
            "authorisation needs two people."
        )


def check_can_return(actor: User, assessment: Assessment) -> None:
    _check_manager(actor, assessment, "return")
    if not assessment.episode.is_open:
        raise Conflict("The episode is closed, so the assessment cannot go back to draft.")


@transaction.atomic
def authorise_assessment(*, actor: User, assessment: Assessment) -> Assessment:
    """A team manager's authorisation: never by the person who submitted it."""
    _lock(assessment)
    check_can_authorise(actor, assessment)
    assessment.status = Assessment.Status.AUTHORISED
    assessment.authorised_at = timezone.now()
    assessment.authorised_by = actor
    _save(assessment, actor)
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="assessment",
        object_id=assessment.pk,
        detail={"change": "authorised"},
    )
    _record_timeline(
        assessment, actor, "Early Help assessment authorised", _needs_summary(assessment)
    )
    return assessment


@transaction.atomic
def return_assessment(*, actor: User, assessment: Assessment, comment: str) -> Assessment:
    """Send a submitted assessment back to draft with the manager's comment."""
    _lock(assessment)
    check_can_return(actor, assessment)
    if not comment.strip():
        raise InvalidInput("Say what needs to change before it can be authorised.", field="comment")
    assessment.status = Assessment.Status.DRAFT
    assessment.completed_on = None
    assessment.submitted_at = None
    assessment.submitted_by = None
    assessment.returned_at = timezone.now()
    assessment.returned_by = actor
    assessment.returned_comment = comment.strip()
    _save(assessment, actor)
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="assessment",
        object_id=assessment.pk,
        detail={"change": "returned"},
    )
    _record_timeline(
        assessment, actor, "Early Help assessment returned to draft", assessment.returned_comment
    )
    return assessment


# --- Configuration -----------------------------------------------------------------------------


@transaction.atomic
def update_headline(
    *,
    actor: User | None,
    headline: Headline,
    label: str | None = None,
    descriptor: str | None = None,
    active: bool | None = None,
) -> Headline:
    """Change a headline's label, descriptor or whether it is offered for new needs.

    ``actor`` is None only for the ``earlyhelp headlines`` command (run by whoever operates
    the server); on the page it must be an administrator.
    """
    if actor is not None and not can_configure_headlines(actor):
        raise PermissionDenied("Only an administrator can change the headline needs.")
    if label is not None and not label.strip():
        raise InvalidInput("Enter the headline's name.", field="label")
    changed: list[str] = []
    for name, value in (
        ("label", label.strip() if label is not None else None),
        ("descriptor", descriptor.strip() if descriptor is not None else None),
        ("active", active),
    ):
        if value is not None and getattr(headline, name) != value:
            setattr(headline, name, value)
            changed.append(name)
    if changed:
        headline.save(update_fields=changed)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="headline",
            object_id=headline.pk,
            detail={"code": headline.code, "fields": changed},
        )
    return headline
