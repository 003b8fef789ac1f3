"""What happens to each accepted family in the demo, and on which days.

A story is written backwards from the day it ends (today for an open episode, the closure day
for a closed one): how long since the plan started or was last reviewed, how many reviews
came before, and so the day the plan started, the assessment before it, and the day the
referral arrived. That keeps every date in the past and every rule of the services (a review
after the version it reviews, a sustain check only once due) true on whichever day the demo
is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.conf import settings

from earlyhelp.outcomes.dates import add_months


class Stage(StrEnum):
    NEW = "new"  # accepted, visited, no assessment yet
    DRAFT = "draft"
    RETURNED = "returned"  # submitted, sent back to draft by the manager
    SUBMITTED = "submitted"  # awaiting a manager's authorisation
    AUTHORISED = "authorised"  # assessment authorised and a family plan in place


class Sustain(StrEnum):
    NONE = ""
    SUSTAINED = "sustained"  # checked and held: the claim can be made
    NOT_SUSTAINED = "not_sustained"
    DUE = "due"  # due in the last week, not yet recorded
    SOON = "soon"  # due within the caseload's fortnight of notice
    LATER = "later"  # due in a few months


class Ratings(StrEnum):
    NONE = ""
    ACHIEVED = "achieved"
    MIXED = "mixed"
    NOT_ACHIEVED = "not_achieved"


@dataclass(frozen=True)
class Story:
    stage: Stage
    # Before a plan: how long ago the episode opened.
    opened_days_ago: int = 0
    # With a plan: days since it started or was last reviewed, reviews so far, interval.
    since_last: int = 0
    reviews: int = 0
    weeks: int = 6
    headlines: int = 4
    objection: str = ""  # "active" or "withdrawn"
    flagship: bool = False
    # Closed episodes.
    closure_reason: str = ""
    closed_days_ago: int = 0
    ratings: Ratings = Ratings.NONE
    sustain: Sustain = Sustain.NONE

    @property
    def closed(self) -> bool:
        return bool(self.closure_reason)


@dataclass(frozen=True)
class Dates:
    """The days a story's events happened on."""

    received: date
    opened: date
    end: date  # today, or the closure day
    assessment_started: date | None = None
    submitted: date | None = None
    decided: date | None = None  # authorised, or returned to draft
    plan_started: date | None = None
    reviews: list[date] = field(default_factory=list)
    achieved: date | None = None
    sustain_checked: date | None = None


A = Stage.AUTHORISED

# One story per open family, in the order the generator accepts them (leads alternate
# North and South; see generator._allocation). Index 6 is the family to show first.
OPEN_STORIES: list[Story] = [
    Story(A, since_last=50, reviews=1),  # review overdue
    Story(A, since_last=20, reviews=2, weeks=8),
    Story(Stage.SUBMITTED, opened_days_ago=38),
    Story(A, since_last=12, headlines=2),  # not eligible for the programme
    Story(A, since_last=30, reviews=1),
    Story(Stage.SUBMITTED, opened_days_ago=33),
    Story(A, since_last=37, reviews=2, headlines=5, objection="active", flagship=True),
    Story(Stage.DRAFT, opened_days_ago=21),
    Story(A, since_last=55, reviews=1),  # review overdue
    Story(A, since_last=52),  # first review overdue
    Story(Stage.RETURNED, opened_days_ago=44),
    Story(A, since_last=25, reviews=1, weeks=8, objection="withdrawn"),
    Story(Stage.SUBMITTED, opened_days_ago=29),
    Story(Stage.NEW, opened_days_ago=8),
    Story(A, since_last=9, headlines=3),
    Story(A, since_last=60, reviews=2),  # review overdue
    Story(Stage.DRAFT, opened_days_ago=17),
    Story(A, since_last=14, reviews=1),
    Story(A, since_last=20, weeks=8),
    Story(Stage.SUBMITTED, opened_days_ago=26),
    Story(Stage.NEW, opened_days_ago=3),
    Story(Stage.DRAFT, opened_days_ago=16),
    Story(A, since_last=47, reviews=1),  # review overdue
    Story(Stage.NEW, opened_days_ago=6),
    Story(Stage.DRAFT, opened_days_ago=12),
    Story(A, since_last=30, headlines=2),  # not eligible
    Story(A, since_last=18, headlines=3),
    Story(A, since_last=10, reviews=1),
]


def _closed(
    reason: str,
    *,
    since_last: int,
    reviews: int,
    headlines: int = 3,
    weeks: int = 6,
    closed_days_ago: int = 0,
    ratings: Ratings = Ratings.NONE,
    sustain: Sustain = Sustain.NONE,
) -> Story:
    return Story(
        A,
        since_last=since_last,
        reviews=reviews,
        weeks=weeks,
        headlines=headlines,
        closure_reason=reason,
        closed_days_ago=closed_days_ago,
        ratings=ratings,
        sustain=sustain,
    )


_ACHIEVED = Ratings.ACHIEVED

# One story per closed family. The first two are referred again later (a new episode).
CLOSED_STORIES: list[Story] = [
    _closed(
        "needs_met", since_last=20, reviews=1, ratings=_ACHIEVED, sustain=Sustain.NOT_SUSTAINED
    ),
    _closed("family_disengaged", since_last=25, reviews=0, closed_days_ago=150),
    _closed(
        "needs_met", since_last=14, reviews=1, headlines=4, ratings=_ACHIEVED, sustain=Sustain.DUE
    ),
    _closed(
        "stepped_up_to_social_care",
        since_last=10,
        reviews=1,
        headlines=4,
        closed_days_ago=75,
        ratings=Ratings.NOT_ACHIEVED,
    ),
    _closed(
        "stepped_down_to_universal",
        since_last=21,
        reviews=2,
        headlines=4,
        ratings=_ACHIEVED,
        sustain=Sustain.SUSTAINED,
    ),
    _closed("needs_met", since_last=18, reviews=1, weeks=8, ratings=_ACHIEVED, sustain=Sustain.DUE),
    _closed("moved_out_of_area", since_last=30, reviews=0, closed_days_ago=40),
    _closed(
        "stepped_down_to_universal",
        since_last=12,
        reviews=1,
        ratings=_ACHIEVED,
        sustain=Sustain.SOON,
    ),
    _closed(
        "stepped_down_to_universal",
        since_last=16,
        reviews=1,
        ratings=Ratings.MIXED,
        sustain=Sustain.LATER,
    ),
    _closed(
        "family_declined_further_support",
        since_last=20,
        reviews=0,
        headlines=2,
        closed_days_ago=100,
    ),
    _closed("stepped_up_to_social_care", since_last=9, reviews=1, headlines=4, closed_days_ago=20),
    _closed("needs_met", since_last=15, reviews=1, ratings=_ACHIEVED, sustain=Sustain.LATER),
    _closed("other", since_last=22, reviews=0, closed_days_ago=60),
    _closed("family_disengaged", since_last=28, reviews=1, closed_days_ago=130),
]


def sustain_months() -> int:
    return int(settings.EARLYHELP_SUSTAIN_MONTHS)


def achieved_on(sustain: Sustain, today: date) -> date | None:
    """When the outcomes were achieved, so that the sustain check falls due as the story says."""
    months_ago = add_months(today, -sustain_months())
    return {
        Sustain.SUSTAINED: months_ago - timedelta(days=50),
        Sustain.NOT_SUSTAINED: months_ago - timedelta(days=30),
        Sustain.DUE: months_ago - timedelta(days=6),
        Sustain.SOON: months_ago + timedelta(days=9),
        Sustain.LATER: today - timedelta(days=80),
    }.get(sustain)


def dates_for(story: Story, today: date) -> Dates:
    """Work the story's days out backwards from the day it ends."""
    achieved = achieved_on(story.sustain, today)
    if achieved is not None:
        end = achieved + timedelta(days=4)
    elif story.closed:
        end = today - timedelta(days=story.closed_days_ago)
    else:
        end = today
    if story.stage is not Stage.AUTHORISED:
        opened = today - timedelta(days=story.opened_days_ago)
        started = opened + timedelta(days=5)
        submitted = started + timedelta(days=14)
        decided = submitted + timedelta(days=3)
        return Dates(
            received=opened - timedelta(days=3),
            opened=opened,
            end=end,
            assessment_started=started if story.stage is not Stage.NEW else None,
            submitted=submitted if story.stage in (Stage.SUBMITTED, Stage.RETURNED) else None,
            decided=decided if story.stage is Stage.RETURNED else None,
        )
    last = end - timedelta(days=story.since_last)
    plan_started = last - timedelta(weeks=story.weeks * story.reviews)
    decided = plan_started - timedelta(days=4)
    submitted = decided - timedelta(days=3)
    started = submitted - timedelta(days=18)
    opened = started - timedelta(days=5)
    checked = None
    if story.sustain in (Sustain.SUSTAINED, Sustain.NOT_SUSTAINED) and achieved is not None:
        checked = add_months(achieved, sustain_months()) + timedelta(days=7)
    return Dates(
        received=opened - timedelta(days=3),
        opened=opened,
        end=end,
        assessment_started=started,
        submitted=submitted,
        decided=decided,
        plan_started=plan_started,
        reviews=[
            plan_started + timedelta(weeks=story.weeks * k) for k in range(1, story.reviews + 1)
        ],
        achieved=achieved,
        sustain_checked=checked,
    )
