from __future__ import annotations

from django import forms

from earlyhelp.restricted.models import ReviewOutcome
from earlyhelp.restricted.services import MIN_REASON_LENGTH


class RestrictionForm(forms.Form):
    reason = forms.CharField(
        label="Why is this family restricted?",
        help_text=(
            f"At least {MIN_REASON_LENGTH} characters. For example, a member of staff's own "
            "family. Only the DPO and the team's managers see this."
        ),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why this family is restricted"},
    )
    allowed = forms.CharField(
        label="Who may open the family",
        help_text=(
            "Usernames, one a line: the lead practitioner and anyone else who works on the "
            "family. Everyone else has to break the glass."
        ),
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )

    def usernames(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["allowed"].splitlines() if line.strip()]


class FindFamilyForm(forms.Form):
    reference = forms.CharField(
        label="Family reference",
        help_text="For example, EH-7K2Q9X",
        max_length=12,
        error_messages={"required": "Enter the family reference"},
    )


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this family's record?",
        help_text=(
            f"At least {MIN_REASON_LENGTH} characters. The data protection officer and the "
            "team manager are told, and will review your reason."
        ),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why you need to open this record"},
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the access appropriate?",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the access was appropriate"},
    )
    escalated = forms.BooleanField(
        label="Escalated (for example to HR or as a data breach)", required=False
    )
    note = forms.CharField(
        label="Note",
        help_text="Required if the access was inappropriate: what happened and what you did.",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
    )


class PersonRestrictionForm(RestrictionForm):
    """The same restriction for one person: their families close with them."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason"].label = "Why is this person restricted?"
        self.fields["reason"].help_text = (
            f"At least {MIN_REASON_LENGTH} characters. For example, a member of staff, or a "
            "high-profile case. Only the DPO and the team's managers see this."
        )
        self.fields["reason"].error_messages["required"] = "Enter why this person is restricted"
        self.fields["allowed"].label = "Who may open this person's record"
        self.fields["allowed"].help_text = (
            "Usernames, one a line: the lead practitioner and anyone else who works with the "
            "person. Everyone else has to break the glass into each of the person's families."
        )
