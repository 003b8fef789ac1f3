"""The access-log lookup: a family is found by its opaque reference, never by a name."""

from __future__ import annotations

import re

from django import forms

_REFERENCE = re.compile(r"^EH-?([23456789A-HJ-NP-Z]{6})$")


class AccessLookupForm(forms.Form):
    reference = forms.CharField(
        label="Family reference",
        max_length=20,
        help_text="For example, EH-7K2Q9",
        error_messages={"required": "Enter a family reference"},
    )

    def clean_reference(self) -> str:
        # Read out over the phone, so spaces and case do not matter; the hyphen is optional.
        value = re.sub(r"\s+", "", self.cleaned_data["reference"]).upper()
        match = _REFERENCE.match(value)
        if match is None:
            raise forms.ValidationError("Enter a family reference like EH-7K2Q9")
        return f"EH-{match.group(1)}"


class DenialReviewForm(forms.Form):
    note = forms.CharField(
        label="What you found",
        help_text="For example, a mistyped link, spoken to the member of staff, or referred "
        "to HR. About the member of staff, not a family.",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter what you found",
            "max_length": "What you found must be 2000 characters or fewer",
        },
    )
