"""Directory forms: the list filter, an organisation, a professional."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, ClassVar, Generic, TypeVar

from django import forms

from earlyhelp.core.forms import set_choices
from earlyhelp.partners.models import Organisation, OrganisationKind, PartnerContact
from earlyhelp.partners.services import ContactInput, OrganisationInput

EMAIL_ERRORS = {"invalid": "Enter an email address in the correct format, like name@example.org"}
ACTIVE_CHOICES = [("yes", "Yes"), ("no", "No, deactivate it")]

InputT = TypeVar("InputT", OrganisationInput, ContactInput)


class DirectoryFilterForm(forms.Form):
    name = forms.CharField(label="Name contains", required=False, max_length=200)
    kind = forms.ChoiceField(label="Kind of organisation", required=False)
    inactive = forms.MultipleChoiceField(
        label="Deactivated organisations",
        required=False,
        choices=[("yes", "Include deactivated organisations")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", [("", "All kinds"), *OrganisationKind.choices])

    def criteria(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"kind": d["kind"], "name": d["name"], "include_inactive": bool(d["inactive"])}


class _EntryForm(forms.Form, Generic[InputT]):
    """An organisation or a professional: one field for each of the service input's fields,
    ``active`` asked as yes or no so that deactivating is a deliberate answer."""

    input_class: ClassVar[type[Any]]

    @classmethod
    def initial_from(cls, entry: Organisation | PartnerContact) -> dict[str, str]:
        initial = {f.name: getattr(entry, f.name) for f in fields(cls.input_class)}
        initial["active"] = "yes" if entry.active else "no"
        return initial

    def to_input(self) -> InputT:
        values = {f.name: self.cleaned_data[f.name] for f in fields(self.input_class)}
        values["active"] = self.cleaned_data["active"] != "no"
        return self.input_class(**values)


class OrganisationForm(_EntryForm[OrganisationInput]):
    input_class = OrganisationInput

    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of organisation", choices=OrganisationKind.choices)
    urn = forms.CharField(
        label="URN (unique reference number)",
        required=False,
        max_length=20,
        help_text="Schools only: the 6-digit number from Get Information about Schools",
    )
    ods_code = forms.CharField(
        label="ODS code",
        required=False,
        max_length=20,
        help_text="Health services only. For a GP practice, a letter then 5 digits, like A81001",
    )
    email = forms.EmailField(
        label="Team email address",
        required=False,
        help_text="A secure team mailbox, not a person's",
        error_messages=EMAIL_ERRORS,
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=40)
    active = forms.ChoiceField(
        label="Is the organisation still working with the service?",
        choices=ACTIVE_CHOICES,
        initial="yes",
        required=False,
        help_text="A deactivated organisation stays on plans that name it",
    )


class ContactForm(_EntryForm[ContactInput]):
    input_class = ContactInput

    name = forms.CharField(label="Full name", max_length=200)
    job_title = forms.CharField(label="Job title", required=False, max_length=200)
    email = forms.EmailField(
        label="Work email address", required=False, error_messages=EMAIL_ERRORS
    )
    phone = forms.CharField(label="Work phone number", required=False, max_length=40)
    active = forms.ChoiceField(
        label="Is this person still in the role?",
        choices=ACTIVE_CHOICES,
        initial="yes",
        required=False,
        help_text="A deactivated contact stays on plans that name them",
    )
