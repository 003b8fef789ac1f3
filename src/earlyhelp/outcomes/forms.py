from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.core.forms import GovukDateField
from earlyhelp.outcomes.lookup import OutcomeRow
from earlyhelp.outcomes.models import Rating, SustainResult
from earlyhelp.outcomes.services import RatingInput


class OutcomeRatingForm(forms.Form):
    """One outcome on the closure page; left blank, the outcome is left as it is."""

    rating = forms.ChoiceField(
        label="How far was this outcome achieved?",
        choices=Rating.choices,
        required=False,
    )
    achieved_on = GovukDateField(
        label="Date achieved",
        required=False,
        past_only=True,
        help_text="Only when achieved. The sustain check falls due from this date.",
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="What shows the outcome was, or was not, achieved, and who confirmed it",
    )

    def __init__(self, *args: Any, row: OutcomeRow, **kwargs: Any) -> None:
        self.row = row
        rating = row.rating
        if rating is not None:
            kwargs.setdefault(
                "initial",
                {
                    "rating": rating.rating,
                    "achieved_on": rating.achieved_on,
                    "evidence": rating.evidence,
                },
            )
        super().__init__(*args, **kwargs)
        # Each outcome's question names its headline, for people using a screen reader.
        self.fields["rating"].label = f"{row.headline_label}: how far was this outcome achieved?"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rating = data.get("rating")
        if not rating:
            if self.row.rating is not None:
                self.add_error("rating", "Choose how far this outcome was achieved")
            return data
        if not (data.get("evidence") or "").strip() and "evidence" not in self.errors:
            self.add_error("evidence", "Give the evidence for this rating")
        if (
            rating == Rating.ACHIEVED
            and data.get("achieved_on") is None
            and "achieved_on" not in self.errors
        ):
            self.add_error("achieved_on", "Enter the date the outcome was achieved")
        return data

    @property
    def is_answered(self) -> bool:
        return bool(self.cleaned_data.get("rating"))

    def to_input(self) -> RatingInput:
        return RatingInput(
            plan_outcome_id=self.row.outcome.pk,
            rating=self.cleaned_data["rating"],
            evidence=self.cleaned_data["evidence"],
            achieved_on=self.cleaned_data["achieved_on"],
        )


class SustainCheckForm(forms.Form):
    result = forms.ChoiceField(
        label="Has the outcome held?",
        choices=SustainResult.choices,
        error_messages={"required": "Choose sustained or not sustained"},
    )
    checked_on = GovukDateField(
        label="Date of the check",
        required=False,
        past_only=True,
        help_text="Leave blank for today. For example, 27 3 2027",
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea,
        max_length=5000,
        help_text="What shows the outcome has or has not held, and who confirmed it",
        error_messages={"required": "Give the evidence for the result"},
    )
