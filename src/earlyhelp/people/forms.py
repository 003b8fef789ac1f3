from __future__ import annotations

from typing import Any

from django import forms

from earlyhelp.core.forms import GovukDateField
from earlyhelp.core.identifiers import (
    IdentifierError,
    normalise_nhs_number,
    normalise_postcode,
)


class PersonSearchForm(forms.Form):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="Any part of a first name, surname or known-as name",
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, past_only=True, help_text="For example, 27 3 2015"
    )
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=14)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"]
        try:
            return normalise_nhs_number(value) if value.strip() else ""
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_postcode(self) -> str:
        value: str = self.cleaned_data["postcode"]
        try:
            return normalise_postcode(value) if value.strip() else ""
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(
            data.get(key) for key in ("name", "date_of_birth", "nhs_number", "postcode")
        ):
            raise forms.ValidationError("Enter a name, date of birth, NHS number or postcode")
        return data
