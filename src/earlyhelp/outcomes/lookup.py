"""Finding what is rated: the family's current episode and the latest version of its plan."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from earlyhelp.casework.models import Episode
from earlyhelp.outcomes.models import OutcomeRating, SustainCheck
from earlyhelp.people.models import Family
from earlyhelp.plans.models import FamilyPlan, PlanOutcome, PlanStatus, PlanVersion
from earlyhelp.plans.needs import headline_labels


def current_episode(family: Family) -> Episode | None:
    """The open episode, or else the most recent closed one (outcomes are rated at closure)."""
    return (
        Episode.objects.filter(family=family)
        .select_related("team", "lead_practitioner")
        .order_by(F("closed_at").desc(nulls_first=True), "-opened_at")
        .first()
    )


def current_plan(episode: Episode) -> FamilyPlan | None:
    """The episode's active plan, or the last one if it has been closed."""
    plans = FamilyPlan.objects.filter(episode=episode)
    return plans.filter(status=PlanStatus.ACTIVE).first() or plans.order_by("-created_at").first()


def latest_version(episode: Episode) -> PlanVersion | None:
    plan = current_plan(episode)
    if plan is None:
        return None
    return plan.versions.order_by("-number").first()


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome of the plan's latest version, its rating this episode and its check."""

    outcome: PlanOutcome
    headline_label: str
    rating: OutcomeRating | None
    check: SustainCheck | None


@dataclass(frozen=True)
class OutcomesSnapshot:
    family: Family
    episode: Episode | None
    version: PlanVersion | None
    rows: list[OutcomeRow]
    labels: dict[str, str]


def snapshot(family: Family) -> OutcomesSnapshot:
    """The family's outcomes as they stand; the caller has passed the family gatekeeper.

    A fixed number of queries whatever the number of outcomes.
    """
    episode = current_episode(family)
    version = latest_version(episode) if episode is not None else None
    if episode is None or version is None:
        return OutcomesSnapshot(
            family=family, episode=episode, version=version, rows=[], labels=headline_labels()
        )
    outcomes = list(version.outcomes.prefetch_related("people").order_by("position", "id"))
    ratings = {
        r.lineage: r
        for r in OutcomeRating.objects.filter(
            episode=episode, lineage__in=[o.lineage for o in outcomes]
        )
        .select_related("rated_by")
        .prefetch_related("sustain_checks")
    }
    labels = headline_labels()
    rows = []
    for outcome in outcomes:
        rating = ratings.get(outcome.lineage)
        checks = list(rating.sustain_checks.all()) if rating is not None else []
        rows.append(
            OutcomeRow(
                outcome=outcome,
                headline_label=labels.get(outcome.headline_code, outcome.headline_code),
                rating=rating,
                check=checks[0] if checks else None,
            )
        )
    return OutcomesSnapshot(
        family=family, episode=episode, version=version, rows=rows, labels=labels
    )
