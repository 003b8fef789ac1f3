"""The demo's family plans: TAF members, outcomes, actions, reviews and versions, objections;
and, at closure, the outcome ratings and the sustain checks that follow them."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from earlyhelp.demo import texts
from earlyhelp.demo.case import Case, age_on
from earlyhelp.demo.history import moment, set_fields, timeline_at
from earlyhelp.demo.partners import Directory
from earlyhelp.demo.stories import Ratings, Sustain
from earlyhelp.outcomes.models import OutcomeRating, Rating, SustainCheck, SustainResult
from earlyhelp.outcomes.services import RatingInput, rate_outcomes, record_sustain_check
from earlyhelp.partners.models import PartnerContact
from earlyhelp.plans.models import (
    ActionStatus,
    FamilyPlan,
    PlanObjection,
    PlanVersion,
    ProgressRating,
)
from earlyhelp.plans.services import (
    ActionInput,
    OutcomeInput,
    ProgressInput,
    ReviewInput,
    add_action,
    add_member,
    create_plan,
    current_version,
    record_objection,
    record_review,
    withdraw_objection,
)

_PARENT = "parent"


class PlanBuilder:
    def __init__(
        self, *, rng: random.Random, today: date, directory: Directory, counts: Counter[str]
    ) -> None:
        self.rng = rng
        self.today = today
        self.directory = directory
        self.counts = counts

    def _professional(self, case: Case, job: str) -> PartnerContact:
        if job == "safeguarding":
            return case.school_lead
        found = self.directory.find(job)
        # The same professional for the same job across a family's plan.
        return found[case.index % len(found)]

    def taf_for(self, case: Case) -> list[PartnerContact]:
        """The professionals who will own the plan's actions, the school's lead first."""
        taf = [case.school_lead]
        for code in case.needs:
            for _what, job in texts.ACTIONS[code]:
                if job != _PARENT:
                    contact = self._professional(case, job)
                    if contact not in taf:
                        taf.append(contact)
        mentor = self._professional(case, texts.NEW_ACTION[1])
        if case.story.reviews and mentor not in taf:
            taf.append(mentor)
        return taf

    def plan(self, case: Case) -> FamilyPlan | None:
        dates, story = case.dates, case.story
        if dates.plan_started is None:
            return None
        started = moment(dates.plan_started, 14)
        outcomes = [
            OutcomeInput(
                headline_code=code,
                description=texts.OUTCOMES[code][0].format(person=people[0].first_name),
                measure=texts.OUTCOMES[code][1],
                people=[p.pk for p in people],
            )
            for code, people in case.needs.items()
        ]
        with timeline_at(case.family, started):
            plan = create_plan(
                actor=case.lead,
                family=case.family,
                review_interval_weeks=story.weeks,
                outcomes=outcomes,
            )
        # Agreed at the first TAF meeting, with its first review due from then.
        set_fields(
            plan,
            created_at=started,
            next_review_due=dates.plan_started + timedelta(weeks=story.weeks),
        )
        version = current_version(plan)
        set_fields(version, created_at=started)
        case.plan = plan
        self._members_and_actions(case, version)
        self.counts["plans"] += 1
        for number, held_on in enumerate(dates.reviews, start=1):
            self._review(case, plan, held_on, number)
        if story.objection:
            self._objection(case, plan)
        return plan

    def _members_and_actions(self, case: Case, version: PlanVersion) -> None:
        case.taf = self.taf_for(case)
        for contact in case.taf:
            add_member(
                actor=case.lead, version=version, contact=contact.pk, role_in_plan=contact.job_title
            )
            self.counts["taf_professionals"] += 1
        add_member(actor=case.lead, version=version, person=case.parent.pk, role_in_plan="Parent")
        young = [c for c in case.children if age_on(c, self.today) >= 11]
        if young:
            add_member(
                actor=case.lead, version=version, person=young[0].pk, role_in_plan="Young person"
            )
        start = case.dates.plan_started
        assert start is not None
        for outcome in version.outcomes.order_by("position"):
            for what, job in texts.ACTIONS[outcome.headline_code]:
                owner_person = case.parent.pk if job == _PARENT else None
                owner_contact = None if job == _PARENT else self._professional(case, job).pk
                add_action(
                    actor=case.lead,
                    version=version,
                    data=ActionInput(
                        what=what,
                        due_on=start + timedelta(days=self.rng.randint(14, 40)),
                        owner_person=owner_person,
                        owner_contact=owner_contact,
                        outcome=outcome.pk,
                    ),
                )
                self.counts["plan_actions"] += 1

    def _rating(self, case: Case, number: int) -> str:
        final = number == len(case.dates.reviews)
        if case.story.ratings is Ratings.NOT_ACHIEVED:
            return self.rng.choice([ProgressRating.NO_PROGRESS, ProgressRating.SOME_PROGRESS])
        if final and case.story.ratings is Ratings.ACHIEVED:
            return self.rng.choice([ProgressRating.ACHIEVED, ProgressRating.ON_TRACK])
        options = [ProgressRating.SOME_PROGRESS, ProgressRating.ON_TRACK]
        if number > 1:
            options += [ProgressRating.ACHIEVED, ProgressRating.ON_TRACK]
        else:
            options.append(ProgressRating.NO_PROGRESS)
        return self.rng.choice(options)

    def _review(self, case: Case, plan: FamilyPlan, held_on: date, number: int) -> None:
        version = current_version(plan)
        words = case.words(self.rng)
        progress = []
        rewording = {}
        for outcome in version.outcomes.order_by("position"):
            rating = self._rating(case, number)
            progress.append(
                ProgressInput(outcome=outcome.pk, rating=rating, note=texts.PROGRESS_NOTES[rating])
            )
            if case.story.flagship and number == 1 and outcome.headline_code == texts.EDUCATION:
                person = outcome.people.order_by("date_of_birth").first()
                name = person.first_name if person else words["child"]
                rewording[outcome.pk] = texts.REWORDED_OUTCOME.format(person=name)
        statuses = {}
        for action in version.actions.all():
            if action.status in (ActionStatus.DONE, ActionStatus.STOPPED):
                continue
            if action.due_on <= held_on:
                done = self.rng.random() < 0.75
                statuses[action.pk] = ActionStatus.DONE if done else ActionStatus.IN_PROGRESS
            elif self.rng.random() < 0.5:
                statuses[action.pk] = ActionStatus.IN_PROGRESS
        mentor = self._professional(case, texts.NEW_ACTION[1])
        held = moment(held_on, 14)
        with timeline_at(case.family, held):
            review = record_review(
                actor=case.lead,
                plan=plan,
                data=ReviewInput(
                    held_on=held_on,
                    summary=self.rng.choice(texts.REVIEW_SUMMARIES).format(**words),
                    change_summary=texts.CHANGE_SUMMARIES[
                        (number - 1) % len(texts.CHANGE_SUMMARIES)
                    ].format(**words),
                    progress=progress,
                    action_statuses=statuses,
                    outcome_descriptions=rewording,
                    new_actions=[
                        ActionInput(
                            what=texts.NEW_ACTION[0],
                            due_on=held_on + timedelta(days=21),
                            owner_contact=mentor.pk,
                        )
                    ],
                    review_interval_weeks=case.story.weeks,
                ),
            )
        # The review and the version it produced date from the meeting (demo history only).
        set_fields(review, created_at=held)
        set_fields(current_version(plan), created_at=held)
        self.counts["plan_reviews"] += 1

    def _objection(self, case: Case, plan: FamilyPlan) -> PlanObjection:
        words = case.words(self.rng)
        start = case.dates.plan_started
        assert start is not None
        withdrawn = case.story.objection == "withdrawn"
        objected_on = start + timedelta(days=2) if withdrawn else self.today - timedelta(days=10)
        note = texts.WITHDRAWN_OBJECTION_NOTE if withdrawn else texts.OBJECTION_NOTE
        with timeline_at(case.family, moment(objected_on, 12)):
            objection = record_objection(
                actor=case.lead,
                plan=plan,
                objected_by=case.parent.pk,
                objected_on=objected_on,
                note=note.format(**words),
            )
        self.counts["objections"] += 1
        if withdrawn:
            withdrawn_on = objected_on + timedelta(days=9)
            with timeline_at(case.family, moment(withdrawn_on, 12)):
                objection = withdraw_objection(
                    actor=case.lead, objection=objection, withdrawn_on=withdrawn_on
                )
            self.counts["objections_withdrawn"] += 1
        return objection

    # --- outcomes at closure -----------------------------------------------------------

    def rate(self, case: Case) -> list[OutcomeRating]:
        story = case.story
        if story.ratings is Ratings.NONE or case.plan is None:
            return []
        achieved = case.dates.achieved or case.dates.end
        items = []
        outcomes = list(current_version(case.plan).outcomes.order_by("position"))
        for position, outcome in enumerate(outcomes):
            if story.ratings is Ratings.ACHIEVED or (
                story.ratings is Ratings.MIXED and position == 0
            ):
                rating = Rating.ACHIEVED
            elif story.ratings is Ratings.MIXED or position == 0:
                rating = Rating.PARTLY_ACHIEVED
            else:
                rating = Rating.NOT_ACHIEVED
            items.append(
                RatingInput(
                    plan_outcome_id=outcome.pk,
                    rating=rating,
                    evidence=texts.RATING_EVIDENCE[rating],
                    achieved_on=achieved if rating == Rating.ACHIEVED else None,
                )
            )
        when = moment(case.dates.end, 11)
        with timeline_at(case.family, when):
            ratings = rate_outcomes(actor=case.lead, family=case.family, items=items)
        for rated in ratings:
            # Rated at the closing meeting (demo history only).
            set_fields(rated, rated_at=when)
        self.counts["outcome_ratings"] += len(ratings)
        return ratings

    def sustain(self, case: Case) -> None:
        story, checked_on = case.story, case.dates.sustain_checked
        if story.sustain not in (Sustain.SUSTAINED, Sustain.NOT_SUSTAINED) or checked_on is None:
            return
        checks = SustainCheck.objects.filter(rating__episode=case.episode).order_by(
            "due_on", "rating__plan_outcome__position"
        )
        for position, check in enumerate(checks):
            failed = story.sustain is Sustain.NOT_SUSTAINED and position == 0
            with timeline_at(case.family, moment(checked_on, 10)):
                record_sustain_check(
                    actor=case.lead,
                    check=check,
                    result=SustainResult.NOT_SUSTAINED if failed else SustainResult.SUSTAINED,
                    evidence=(texts.NOT_SUSTAINED_EVIDENCE if failed else texts.SUSTAINED_EVIDENCE),
                    checked_on=checked_on,
                )
            self.counts[f"sustain:{'not_sustained' if failed else 'sustained'}"] += 1
