"""A family's Supporting Families claim status, derived from configuration and records.

Nothing here is stored or set by hand: the status is worked out afresh from the episode's
authorised assessment, the family plan, the lead practitioner, the outcome ratings and the
sustain checks, against the programme rules in settings (EARLYHELP_PROGRAMME_MIN_HEADLINES,
EARLYHELP_SUSTAIN_MONTHS). It is advice to the person who makes the claim: no automated
decision is made about the family.

A claim needs (domain.md section 2): a whole-family assessment with needs under at least
the configured number of headlines, a family plan, a lead practitioner, and significant
and sustained progress on all identified needs: here, every identified headline covered by
an outcome of the plan, every outcome of the plan achieved, and every sustain check passed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from earlyhelp.assessments.models import Assessment
from earlyhelp.assessments.services import eligibility
from earlyhelp.casework.models import Episode
from earlyhelp.core.formatting import date_uk
from earlyhelp.outcomes.lookup import OutcomeRow, OutcomesSnapshot, snapshot
from earlyhelp.outcomes.models import Rating, SustainResult
from earlyhelp.people.models import Family

CLAIM_LABELS = {
    "not_assessed": "Not assessed",
    "not_eligible": "Not eligible for the programme",
    "in_progress": "In progress",
    "awaiting_sustain": "Waiting for sustain checks",
    "claimable": "Can be claimed",
    "not_claimable": "Cannot be claimed",
}
_DESCRIPTION_LENGTH = 60


@dataclass(frozen=True)
class ClaimStatus:
    code: str
    label: str
    reasons: list[str] = field(default_factory=list)

    @property
    def is_claimable(self) -> bool:
        return self.code == "claimable"


def _status(code: str, reasons: list[str]) -> ClaimStatus:
    return ClaimStatus(code=code, label=CLAIM_LABELS[code], reasons=reasons)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _name(row: OutcomeRow) -> str:
    text = " ".join(row.outcome.description.split())
    if len(text) > _DESCRIPTION_LENGTH:
        text = text[: _DESCRIPTION_LENGTH - 1].rstrip() + "…"
    return f"“{text}” ({row.headline_label})"


def authorised_assessment(episode: Episode) -> Assessment | None:
    return (
        Assessment.objects.filter(episode=episode, status=Assessment.Status.AUTHORISED)
        .prefetch_related("needs__headline")
        .order_by("-completed_on", "-authorised_at")
        .first()
    )


def claim_status(family: Family) -> ClaimStatus:
    """The claim status; the caller has already passed the family gatekeeper."""
    return claim_status_of(snapshot(family))


def claim_status_of(current: OutcomesSnapshot) -> ClaimStatus:
    episode = current.episode
    assessment = authorised_assessment(episode) if episode is not None else None
    if episode is None or assessment is None:
        return _status("not_assessed", ["No authorised whole-family assessment"])
    result = eligibility(assessment)
    if not result.eligible:
        return _status(
            "not_eligible",
            [
                f"Needs under {_plural(result.headline_count, 'headline')}; "
                f"the programme needs {result.threshold}"
            ],
        )
    failures: list[str] = []
    gaps: list[str] = []
    pending: Counter[date] = Counter()
    if current.version is None:
        gaps.append("No family plan")
    if episode.lead_practitioner_id is None:
        gaps.append("No lead practitioner")
    covered = {row.outcome.headline_code for row in current.rows}
    labels = current.labels
    needed = sorted(
        {need.headline.code for need in assessment.needs.all()},
        key=lambda code: labels.get(code, code),
    )
    if current.version is not None:
        gaps.extend(
            f"No outcome in the family plan for the need “{labels.get(code, code)}”"
            for code in needed
            if code not in covered
        )
    unrated = sum(1 for row in current.rows if row.rating is None)
    if unrated:
        gaps.append(f"{_plural(unrated, 'outcome')} not yet rated")
    for row in current.rows:
        rating = row.rating
        if rating is None:
            continue
        if rating.rating != Rating.ACHIEVED:
            # While the episode is open the outcome can still be achieved.
            target = gaps if episode.is_open else failures
            target.append(f"Outcome {_name(row)} {rating.get_rating_display().lower()}")
        elif row.check is not None and row.check.result == SustainResult.NOT_SUSTAINED:
            failures.append(f"Outcome {_name(row)} not sustained")
        elif row.check is not None and not row.check.is_recorded:
            pending[row.check.due_on] += 1
    waiting = [
        f"{_plural(count, 'sustain check')} due on {date_uk(due)}"
        for due, count in sorted(pending.items())
    ]
    reasons = failures + gaps + waiting
    if failures:
        return _status("not_claimable", reasons)
    if gaps:
        return _status("in_progress", reasons)
    if waiting:
        return _status("awaiting_sustain", reasons)
    return _status("claimable", [])
