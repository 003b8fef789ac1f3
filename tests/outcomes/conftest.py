"""Families on the Supporting Families programme, built through the real services."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import Assessment
from earlyhelp.assessments.services import (
    AssessmentChanges,
    add_need,
    authorise_assessment,
    start_assessment,
    submit_assessment,
    update_assessment,
)
from earlyhelp.casework.models import Episode
from earlyhelp.casework.services import close_episode
from earlyhelp.outcomes.dates import add_months
from earlyhelp.outcomes.models import OutcomeRating, SustainCheck
from earlyhelp.outcomes.services import RatingInput, rate_outcome, record_sustain_check
from earlyhelp.people.models import Family
from earlyhelp.plans.models import FamilyPlan, PlanOutcome
from earlyhelp.plans.services import OutcomeInput, create_plan
from tests.factories import World

HEADLINES = (
    "getting_a_good_education",
    "improved_family_relationships",
    "secure_housing",
    "financial_stability",
)
DESCRIPTIONS = {
    "getting_a_good_education": "Ottilie goes to school every day and on time",
    "improved_family_relationships": "Calmer mornings without shouting",
    "secure_housing": "Rent arrears cleared and the tenancy kept",
    "financial_stability": "A budget the family can stick to",
}


def months_ago(months: int) -> date:
    return add_months(timezone.localdate(), -months)


@dataclass
class ProgrammeFamily:
    world: World
    family: Family
    episode: Episode
    worker: User
    manager: User
    assessment: Assessment | None = None
    plan: FamilyPlan | None = None

    @property
    def outcomes(self) -> list[PlanOutcome]:
        assert self.plan is not None
        version = self.plan.versions.order_by("-number").first()
        assert version is not None
        return list(version.outcomes.order_by("position"))

    def assess(self, headlines: Sequence[str] = HEADLINES[:3]) -> Assessment:
        assessment = start_assessment(
            actor=self.worker, family=self.family, started_on=timezone.localdate()
        )
        person_id = self.family.memberships.order_by("role").first().person_id  # type: ignore[union-attr]
        for code in headlines:
            add_need(
                actor=self.worker,
                assessment=assessment,
                person_id=person_id,
                headline_code=code,
                evidence="Synthetic evidence for the need.",
                severity="medium",
            )
        update_assessment(
            actor=self.worker,
            assessment=assessment,
            changes=AssessmentChanges(conclusion="Synthetic conclusion: support agreed."),
        )
        submit_assessment(actor=self.worker, assessment=assessment)
        authorise_assessment(actor=self.manager, assessment=assessment)
        self.assessment = assessment
        return assessment

    def make_plan(self, headlines: Sequence[str] = HEADLINES[:3]) -> FamilyPlan:
        people = list(self.family.memberships.values_list("person_id", flat=True))
        self.plan = create_plan(
            actor=self.worker,
            family=self.family,
            outcomes=[
                OutcomeInput(
                    headline_code=code,
                    description=DESCRIPTIONS[code],
                    measure="School and family report",
                    people=people[:1],
                )
                for code in headlines
            ],
        )
        return self.plan

    def rate(
        self,
        outcome: PlanOutcome,
        rating: str = "achieved",
        achieved_on: date | None = None,
        actor: User | None = None,
        evidence: str = "Attendance 98% this term; confirmed by the school.",
    ) -> OutcomeRating:
        result, _ = rate_outcome(
            actor=actor or self.worker,
            family=self.family,
            item=RatingInput(
                plan_outcome_id=outcome.pk,
                rating=rating,
                evidence=evidence,
                achieved_on=(achieved_on or months_ago(7)) if rating == "achieved" else None,
            ),
        )
        return result

    def achieve_all(self, achieved_on: date | None = None) -> list[OutcomeRating]:
        return [self.rate(o, achieved_on=achieved_on) for o in self.outcomes]

    def close(self) -> None:
        close_episode(
            actor=self.manager,
            episode=self.episode,
            reason="needs_met",
            summary="Synthetic closing summary: outcomes achieved.",
        )
        self.episode.refresh_from_db()

    def checks(self) -> list[SustainCheck]:
        return list(SustainCheck.objects.filter(family=self.family).order_by("due_on", "pk"))

    def sustain_all(self, result: str = "sustained") -> None:
        for check in self.checks():
            record_sustain_check(
                actor=self.manager, check=check, result=result, evidence="Still attending."
            )


@pytest.fixture
def programme(world: World) -> Callable[..., ProgrammeFamily]:
    """A family with an open episode (north, led by pat, unless told otherwise)."""

    def _make(team: str = "north", lead: User | bool = True, **kwargs: object) -> ProgrammeFamily:
        if team == "north":
            family, episode = world.open_family(
                lead=lead if isinstance(lead, User) else None, **kwargs
            )
            return ProgrammeFamily(world, family, episode, world.practitioner, world.manager)
        family, episode = world.open_family(
            team=world.south, lead=world.practitioner_south if lead else None, **kwargs
        )
        return ProgrammeFamily(
            world, family, episode, world.practitioner_south, world.manager_south
        )

    return _make


@pytest.fixture
def ready(programme: Callable[..., ProgrammeFamily]) -> ProgrammeFamily:
    """Assessed (3 headlines), planned (3 outcomes), nothing rated yet."""
    made = programme()
    made.assess()
    made.make_plan()
    return made
