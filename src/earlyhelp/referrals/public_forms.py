"""Question pages of the public referral form, and turning the finished draft into input.

Each page's answers are kept in the session as JSON (dates as ISO strings) until the referral
is submitted. ``DraftForm`` does that conversion in both directions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final, Self, cast

from django import forms

from earlyhelp.core import codelists
from earlyhelp.core.forms import GovukDateField
from earlyhelp.core.identifiers import IdentifierError, normalise_nhs_number, normalise_postcode
from earlyhelp.people.models import FamilyRole, Sex
from earlyhelp.referrals.models import Channel
from earlyhelp.referrals.services import PersonInput, ReferralInput

MAX_PEOPLE: Final = 8

PROFESSIONAL: Final = "professional"
SELF: Final = "self"
OTHER: Final = "other"
REFERRER_TYPES = [
    (PROFESSIONAL, "A professional, for example from a school, health service or charity"),
    (SELF, "A parent, carer or young person referring my own family"),
    (OTHER, "Someone else, for example a relative, friend or neighbour"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]
# Sources a professional cannot pick for themself: self-referral is the family's own route.
_NOT_PROFESSIONAL_SOURCES = {"self_or_family"}


def _required(message: str) -> dict[str, str]:
    return {"required": message}


class DraftForm(forms.Form):
    """A form whose cleaned answers round-trip through the session's JSON."""

    def to_draft(self) -> dict[str, Any]:
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in self.cleaned_data.items()
        }

    @staticmethod
    def parse_date(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    @classmethod
    def initial_from(cls, stored: dict[str, Any]) -> dict[str, Any]:
        initial = dict(stored)
        for name, field in cls.base_fields.items():
            if isinstance(field, GovukDateField) and initial.get(name):
                initial[name] = date.fromisoformat(initial[name])
        return initial

    @classmethod
    def bound_from(cls, stored: dict[str, Any], **kwargs: Any) -> Self:
        """The form as if the stored answers had just been posted (to show a late error)."""
        data: dict[str, Any] = {}
        for name, value in stored.items():
            field = cls.base_fields.get(name)
            if isinstance(field, GovukDateField):
                born = DraftForm.parse_date(value)
                parts = [str(born.day), str(born.month), str(born.year)] if born else ["", "", ""]
                data.update(
                    zip((f"{name}-day", f"{name}-month", f"{name}-year"), parts, strict=True)
                )
            else:
                data[name] = value
        return cls(data, **kwargs)


class WhoForm(DraftForm):
    referrer_type = forms.ChoiceField(
        label="Who are you?",
        choices=REFERRER_TYPES,
        widget=forms.RadioSelect,
        error_messages=_required("Select who you are"),
    )


class ReferrerForm(DraftForm):
    """The referrer's details; organisation questions only for professionals."""

    referrer_name = forms.CharField(
        label="Your full name", max_length=200, error_messages=_required("Enter your full name")
    )
    organisation_type = forms.ChoiceField(
        label="What type of organisation do you work for?",
        error_messages=_required("Select the type of organisation you work for"),
    )
    organisation = forms.CharField(
        label="Name of your organisation",
        max_length=200,
        error_messages=_required("Enter the name of your organisation"),
    )
    role = forms.CharField(
        label="Your job title or role",
        max_length=200,
        error_messages=_required("Enter your job title or role"),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        help_text="For international numbers include the country code",
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )

    def __init__(self, *args: Any, referrer_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referrer_type = referrer_type
        if referrer_type == PROFESSIONAL:
            cast(forms.ChoiceField, self.fields["organisation_type"]).choices = [
                (code, label)
                for code, label in codelists.choices("referral_sources")
                if code not in _NOT_PROFESSIONAL_SOURCES
            ]
        else:
            del self.fields["organisation_type"]
            del self.fields["organisation"]
            if referrer_type == OTHER:
                role = self.fields["role"]
                role.label = "How do you know the family?"
                role.required = False
                role.help_text = "For example, grandparent, neighbour or family friend"
            else:
                del self.fields["role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone", "").strip() or data.get("email") or self.has_error("email")):
            self.add_error("phone", "Enter a phone number or email address so we can contact you")
        return data


class PersonForm(DraftForm):
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages=_required("Enter their first name")
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages=_required("Enter their last name")
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        past_only=True,
        help_text="For example, 27 3 2015. Leave this blank if you do not know it.",
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=[(Sex.FEMALE, "Female"), (Sex.MALE, "Male"), (Sex.UNKNOWN, "Not known")],
        widget=forms.RadioSelect,
        error_messages=_required("Select their sex, or 'Not known'"),
    )
    role = forms.ChoiceField(
        label="Their role in the family",
        choices=FamilyRole.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select their role in the family"),
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        max_length=14,
        required=False,
        help_text="A 10 digit number, like 999 123 4560",
    )

    def clean_nhs_number(self) -> str:
        value: str = self.cleaned_data["nhs_number"]
        try:
            return normalise_nhs_number(value) if value.strip() else ""
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message) from None


class AddAnotherForm(forms.Form):
    add_another = forms.ChoiceField(
        label="Do you need to add another person?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=_required("Select yes if you need to add another person"),
    )


class AddressForm(DraftForm):
    address_line1 = forms.CharField(
        label="Address line 1",
        max_length=200,
        error_messages=_required("Enter address line 1, typically the building and street"),
    )
    address_town = forms.CharField(
        label="Town or city",
        max_length=100,
        error_messages=_required("Enter the town or city"),
    )
    address_postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages=_required("Enter the postcode")
    )

    def clean_address_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["address_postcode"])
        except IdentifierError as exc:
            # The shared message names the field: "Enter a full UK postcode, ...".
            raise forms.ValidationError(exc.message) from None


class ConcernForm(DraftForm):
    reasons = forms.MultipleChoiceField(
        label="What does the family need help with?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    summary = forms.CharField(
        label="Tell us about your concern",
        widget=forms.Textarea,
        max_length=5000,
        help_text="What is happening for the family, and what help they might need",
        error_messages=_required("Enter your concern"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reasons = cast(forms.MultipleChoiceField, self.fields["reasons"])
        reasons.choices = codelists.choices("referral_reasons")


class AgreementForm(DraftForm):
    family_aware = forms.ChoiceField(
        label="Does the family know you are making this referral?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=_required("Select yes if the family knows about this referral"),
    )
    family_consents = forms.ChoiceField(
        label="Does the family agree to being referred for Early Help support?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Early Help is voluntary: a family can say no",
        error_messages=_required("Select yes if the family agrees to this referral"),
    )

    def __init__(self, *args: Any, referrer_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if referrer_type == SELF:
            # Someone referring their own family knows about it; only agreement is asked.
            del self.fields["family_aware"]
            self.fields[
                "family_consents"
            ].label = "Does your family agree to being contacted about Early Help support?"
            self.fields["family_consents"].error_messages["required"] = (
                "Select yes if your family agrees to being contacted"
            )


# --- The finished draft ----------------------------------------------------------------------

STEPS: Final = ("who", "referrer", "people", "address", "concern", "agreement")


def first_missing_step(draft: dict[str, Any]) -> str | None:
    for step in STEPS:
        if not draft.get(step):
            return step
    return None


def source_code(draft: dict[str, Any]) -> str:
    """The referral_sources code: the family themselves, a professional's kind, or other."""
    referrer_type = draft["who"]["referrer_type"]
    if referrer_type == SELF:
        return "self_or_family"
    if referrer_type == PROFESSIONAL:
        code = draft["referrer"].get("organisation_type") or "other"
        known = {c for c, _ in codelists.choices("referral_sources")}
        return code if code in known - _NOT_PROFESSIONAL_SOURCES else "other"
    return "other"


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def to_referral_input(draft: dict[str, Any], *, received_at: datetime) -> ReferralInput:
    referrer = draft["referrer"]
    address = draft["address"]
    concern = draft["concern"]
    agreement = draft["agreement"]
    self_referral = draft["who"]["referrer_type"] == SELF
    return ReferralInput(
        channel=Channel.ONLINE_FORM,
        source=source_code(draft),
        received_at=received_at,
        referrer_name=referrer["referrer_name"],
        referrer_organisation=referrer.get("organisation", ""),
        referrer_role=referrer.get("role", ""),
        referrer_phone=referrer.get("phone", ""),
        referrer_email=referrer.get("email", ""),
        family_aware=True if self_referral else _yes_no(agreement.get("family_aware")),
        family_consents=_yes_no(agreement.get("family_consents")),
        address_line1=address["address_line1"],
        address_town=address["address_town"],
        address_postcode=address["address_postcode"],
        people=[
            PersonInput(
                first_name=p["first_name"],
                last_name=p["last_name"],
                date_of_birth=DraftForm.parse_date(p.get("date_of_birth")),
                sex=p["sex"],
                role=p["role"],
                nhs_number=p.get("nhs_number", ""),
            )
            for p in draft["people"]
        ],
        reasons=list(concern.get("reasons", [])),
        summary=concern["summary"],
    )
