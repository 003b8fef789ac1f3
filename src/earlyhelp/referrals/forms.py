"""Duty-desk forms: recording a referral from any staff channel, and the triage decision."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from earlyhelp.casework.forms import lead_practitioner_choices, team_choices
from earlyhelp.core import codelists
from earlyhelp.core.forms import GovukDateField, set_choices
from earlyhelp.core.identifiers import (
    IdentifierError,
    normalise_nhs_number,
    normalise_postcode,
)
from earlyhelp.people.models import FamilyRole, Sex
from earlyhelp.referrals.models import Channel, Outcome
from earlyhelp.referrals.services import PersonInput, ReferralInput

YES_NO = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
STAFF_CHANNELS = [(c.value, c.label) for c in Channel if c is not Channel.ONLINE_FORM]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class StaffReferralForm(forms.Form):
    channel = forms.ChoiceField(label="How was the referral received?", choices=STAFF_CHANNELS)
    source = forms.ChoiceField(label="Who is referring?")
    received_on = GovukDateField(
        label="Date received", past_only=True, help_text="For example, 27 3 2026"
    )
    referrer_name = forms.CharField(label="Referrer's name", max_length=200)
    referrer_organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    referrer_role = forms.CharField(label="Role", max_length=200, required=False)
    referrer_phone = forms.CharField(label="Phone number", max_length=40, required=False)
    referrer_email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    family_aware = forms.ChoiceField(
        label="Does the family know about this referral?", choices=YES_NO
    )
    family_consents = forms.ChoiceField(
        label="Has the family agreed to Early Help support?", choices=YES_NO
    )
    address_line1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    address_town = forms.CharField(label="Town or city", max_length=100, required=False)
    address_postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    reasons = forms.MultipleChoiceField(
        label="What are the needs?", required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label="Summary of the concern",
        widget=forms.Textarea,
        max_length=10000,
        help_text="In the referrer's words where possible",
    )
    attachments = MultipleFileField(
        label="Attach documents",
        required=False,
        help_text="PDF, images or Office documents, up to 10 MB each",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "source", codelists.choices("referral_sources"))
        set_choices(self, "reasons", codelists.choices("referral_reasons"))

    def clean_address_postcode(self) -> str:
        value: str = self.cleaned_data["address_postcode"]
        try:
            return normalise_postcode(value) if value.strip() else ""
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from None

    def to_input(self, people: list[PersonInput]) -> ReferralInput:
        d = self.cleaned_data
        received: date = d["received_on"]
        received_at = datetime.combine(received, time(9, 0), tzinfo=timezone.get_current_timezone())
        return ReferralInput(
            channel=d["channel"],
            source=d["source"],
            received_at=min(received_at, timezone.now()),
            referrer_name=d["referrer_name"],
            referrer_organisation=d["referrer_organisation"],
            referrer_role=d["referrer_role"],
            referrer_phone=d["referrer_phone"],
            referrer_email=d["referrer_email"],
            family_aware=_yes_no(d["family_aware"]),
            family_consents=_yes_no(d["family_consents"]),
            address_line1=d["address_line1"],
            address_town=d["address_town"],
            address_postcode=d["address_postcode"],
            people=people,
            reasons=list(d["reasons"]),
            summary=d["summary"],
        )


class ReferralPersonForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False, past_only=True)
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN)
    role = forms.ChoiceField(
        label="Role in the family", choices=FamilyRole.choices, initial=FamilyRole.CHILD
    )
    nhs_number = forms.CharField(label="NHS number (optional)", max_length=14, required=False)

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"]
        try:
            return normalise_nhs_number(value) if value.strip() else ""
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from None

    @property
    def is_blank(self) -> bool:
        d = getattr(self, "cleaned_data", {})
        return not (
            d.get("first_name")
            or d.get("last_name")
            or d.get("date_of_birth")
            or d.get("nhs_number")
        )

    def to_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            first_name=d["first_name"],
            last_name=d["last_name"],
            date_of_birth=d["date_of_birth"],
            sex=d["sex"],
            role=d["role"],
            nhs_number=d["nhs_number"],
        )


PEOPLE_SLOTS = 4


def person_forms(data: Any = None) -> list[ReferralPersonForm]:
    return [ReferralPersonForm(data, prefix=f"person{i}") for i in range(PEOPLE_SLOTS)]


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome of triage", choices=Outcome.choices)
    team = forms.ChoiceField(
        label="Allocate to team", required=False, help_text="Needed when the referral is accepted"
    )
    lead_practitioner = forms.ChoiceField(label="Lead practitioner (optional)", required=False)
    signposted_to = forms.CharField(
        label="Services the family was signposted to",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
    )

    def __init__(self, *args: Any, link_choices: dict[int, list[tuple[str, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "team", [("", "Choose a team"), *team_choices()])
        set_choices(self, "lead_practitioner", lead_practitioner_choices())
        self.link_fields: list[str] = []
        for referral_person_id, choices in link_choices.items():
            name = f"link_{referral_person_id}"
            self.fields[name] = forms.ChoiceField(
                label="Existing record",
                choices=[("", "Create a new record"), *choices],
                required=False,
            )
            self.link_fields.append(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.ACCEPTED and not data.get("team"):
            self.add_error("team", "Choose the team to allocate the family to")
        if data.get("outcome") == Outcome.SIGNPOSTED and not data.get("signposted_to", "").strip():
            self.add_error("signposted_to", "Name the services the family was signposted to")
        return data

    def links(self) -> dict[int, str]:
        return {
            int(name.removeprefix("link_")): self.cleaned_data[name]
            for name in self.link_fields
            if self.cleaned_data.get(name)
        }
