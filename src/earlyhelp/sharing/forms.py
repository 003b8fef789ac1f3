"""Forms for agreements (consent), their withdrawal, sharing decisions and authorisation.

The forms check shapes (a date is a date, a choice is on the list); every rule (who may give
an agreement, a gateway when sharing without agreement, four eyes) is the services', and
their errors come back against the field they name (``show_domain_error``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.core.errors import DomainError, InvalidInput
from earlyhelp.core.forms import GovukDateField, add_domain_error, set_choices
from earlyhelp.partners.models import OrganisationKind
from earlyhelp.partners.selectors import contact_choices, organisation_choices
from earlyhelp.people.models import FamilyMembership
from earlyhelp.sharing.agreements import AgreementInput
from earlyhelp.sharing.decisions import DecisionInput
from earlyhelp.sharing.models import (
    Agreement,
    AgreementKind,
    ConsentMethod,
    ConsentStatus,
    DecisionOutcome,
    Gateway,
    Scope,
    TransferMethod,
)

TEXT_LIMIT = 5000
DATE_HINT = "For example, 27 3 2026"


def _text(label: str, *, required: bool = False, help_text: str = "", **kw: Any) -> forms.Field:
    return forms.CharField(
        label=label,
        widget=forms.Textarea,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=help_text,
        **kw,
    )


def member_choices(members: Sequence[FamilyMembership]) -> list[tuple[str, str]]:
    return [(str(m.person_id), f"{m.person.full_name} ({m.get_role_display()})") for m in members]


def _uuid(value: str) -> UUID | None:
    return UUID(value) if value else None


def show_domain_error(form: forms.Form, error: DomainError) -> None:
    """Like ``core.forms.add_domain_error``, with list fields (``people.1``) shown on the
    list's own field rather than at the top of the page."""
    if isinstance(error, InvalidInput) and error.field:
        head, _, rest = error.field.partition(".")
        if rest.isdigit() and head in form.fields:
            error = InvalidInput(error.message, field=head)
    add_domain_error(form, error)


class AgreementForm(forms.Form):
    person = forms.ChoiceField(
        label="Whose information (or whose support) is the agreement about?",
        error_messages={"required": "Choose who the agreement is about"},
    )
    given_by = forms.ChoiceField(
        label="Who gave the agreement?",
        help_text=(
            "An adult gives their own agreement. For a child: the child, if competent to "
            "decide, or a parent or carer."
        ),
        error_messages={"required": "Choose who gave the agreement"},
    )
    child_competent = forms.BooleanField(
        label="The child is competent to decide for themself (Gillick/Fraser)",
        required=False,
        help_text="Tick only if the child gave their own agreement and you judged them competent",
    )
    kind = forms.ChoiceField(
        label="What is the agreement to?",
        choices=AgreementKind.choices,
        initial=AgreementKind.SHARE,
        error_messages={"required": "Choose what the agreement is to"},
    )
    recipient_organisation = forms.ChoiceField(
        label="Organisation the information may be shared with",
        required=False,
        help_text="From the partner directory. Leave empty to choose a kind of organisation",
    )
    recipient_kind = forms.ChoiceField(
        label="Or: every organisation of this kind",
        required=False,
        help_text="For example, any school the child attends",
    )
    scopes = forms.MultipleChoiceField(
        label="What information may be shared?",
        choices=Scope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    purpose = _text(
        "Purpose", help_text="What the information is shared for, as it was explained to them"
    )
    method = forms.ChoiceField(
        label="How was the agreement given?",
        choices=ConsentMethod.choices,
        error_messages={"required": "Choose how the agreement was given"},
    )
    signed_form = forms.FileField(
        label="Upload the signed form",
        required=False,
        help_text="Only for a signed form: a PDF, an image or an Office document",
    )
    given_on = GovukDateField(
        label="Date the agreement was given",
        past_only=True,
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the agreement was given"},
    )

    def __init__(self, *args: Any, members: Sequence[FamilyMembership], **kw: Any) -> None:
        super().__init__(*args, **kw)
        choices = member_choices(members)
        set_choices(self, "person", [("", "Choose a family member"), *choices])
        set_choices(self, "given_by", [("", "Choose a family member"), *choices])
        set_choices(
            self,
            "recipient_organisation",
            [("", "Not one organisation"), *organisation_choices()],
        )
        set_choices(
            self, "recipient_kind", [("", "Not a kind of organisation"), *OrganisationKind.choices]
        )
        self.fields["given_on"].initial = timezone.localdate()

    def to_input(self) -> AgreementInput:
        data = self.cleaned_data
        return AgreementInput(
            person=_uuid(data["person"]),
            given_by=_uuid(data["given_by"]),
            kind=data["kind"],
            recipient_organisation=_uuid(data["recipient_organisation"]),
            recipient_kind=data["recipient_kind"],
            scopes=list(data["scopes"]),
            purpose=data["purpose"],
            method=data["method"],
            given_on=data["given_on"],
            child_competent=data["child_competent"],
        )


class WithdrawalForm(forms.Form):
    withdrawn_on = GovukDateField(
        label="Date the agreement was withdrawn",
        past_only=True,
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the agreement was withdrawn"},
    )
    withdrawn_by = forms.ChoiceField(
        label="Who withdrew it?", error_messages={"required": "Choose who withdrew it"}
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        required=False,
        max_length=2000,
        help_text="How they withdrew it, and anything they asked",
    )

    def __init__(self, *args: Any, members: Sequence[FamilyMembership], **kw: Any) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "withdrawn_by", member_choices(members))
        self.fields["withdrawn_on"].initial = timezone.localdate()


def agreement_label(agreement: Agreement) -> str:
    scopes = ", ".join(agreement.scope_labels).lower()
    return (
        f"{agreement.person.full_name}: to {agreement.recipient_label} ({scopes}), "
        f"given {agreement.given_on:%d/%m/%Y}"
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=DecisionOutcome.choices,
        error_messages={"required": "Choose whether to share, share in part or not share"},
    )
    decided_on = GovukDateField(
        label="Date of the decision",
        past_only=True,
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date of the decision"},
    )
    people = forms.MultipleChoiceField(
        label="Whose information is it about?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Everyone else is a third party: their details are left out",
    )
    recipient_organisation = forms.ChoiceField(
        label="Recipient organisation", help_text="From the partner directory", required=False
    )
    recipient_contact = forms.ChoiceField(
        label="Recipient person", required=False, help_text="A professional at that organisation"
    )
    purpose = _text("Purpose", help_text="Why the recipient needs the information")
    scopes = forms.MultipleChoiceField(
        label="What kinds of information?",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave empty for a decision not to share",
    )
    consent_status = forms.ChoiceField(
        label="Did the family agree?",
        choices=ConsentStatus.choices,
        error_messages={"required": "Say whether agreement was given, refused or not sought"},
    )
    consent_not_sought_reason = _text(
        "If agreement was not sought, why not?",
        help_text="For example, asking would put a child at risk of significant harm",
    )
    agreements = forms.MultipleChoiceField(
        label="Agreements this decision relies on",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Required when the family agreed. Withdrawn agreements are not listed",
    )
    gateway = forms.ChoiceField(
        label="Gateway for sharing without agreement",
        required=False,
        help_text=(
            "Required to share when agreement was refused or not sought. A team manager must "
            "authorise the sharing"
        ),
    )
    emergency = forms.BooleanField(
        label="Emergency: release now, before a manager has authorised it",
        required=False,
        help_text=(
            "Only with a gateway, when waiting would put someone at risk. The information can "
            "be released at once; a team manager must authorise it within 24 hours"
        ),
    )
    family_told = forms.ChoiceField(
        label="Has the family been told about the sharing?",
        choices=YES_NO,
        error_messages={"required": "Say whether the family was told"},
    )
    family_not_told_reason = _text(
        "If not, why not?", help_text="For example, telling them would increase the risk"
    )
    necessity = _text(
        "Why is this necessary and proportionate?",
        required=True,
        error_messages={"required": "Explain why this is necessary and proportionate"},
    )
    items_shared = _text("Exactly what is shared", help_text="The items, not their content")
    identities_protected = _text("Identities protected", help_text="Third parties removed, and how")
    onward_restrictions = _text(
        "Restrictions on onward sharing", help_text="What the recipient may not pass on"
    )
    transfer_method = forms.ChoiceField(
        label="How is it sent?", choices=TransferMethod.choices, required=False
    )

    def __init__(
        self,
        *args: Any,
        members: Sequence[FamilyMembership],
        agreements: Sequence[Agreement],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        set_choices(self, "people", member_choices(members))
        set_choices(
            self,
            "recipient_organisation",
            [("", "Choose an organisation"), *organisation_choices()],
        )
        set_choices(self, "recipient_contact", [("", "No one in particular"), *contact_choices()])
        set_choices(self, "agreements", [(str(a.pk), agreement_label(a)) for a in agreements])
        set_choices(self, "gateway", [("", "No gateway: shared with agreement"), *Gateway.choices])
        set_choices(
            self,
            "transfer_method",
            [("", "Not sent (a decision not to share)"), *TransferMethod.choices],
        )
        self.fields["decided_on"].initial = timezone.localdate()

    def to_input(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            people=[UUID(p) for p in data["people"]],
            recipient_organisation=_uuid(data["recipient_organisation"]),
            recipient_contact=_uuid(data["recipient_contact"]),
            purpose=data["purpose"],
            scopes=list(data["scopes"]),
            gateway=data["gateway"],
            consent_status=data["consent_status"],
            consent_not_sought_reason=data["consent_not_sought_reason"],
            agreements=[UUID(a) for a in data["agreements"]],
            family_told=data["family_told"] == "yes",
            family_not_told_reason=data["family_not_told_reason"],
            necessity=data["necessity"],
            items_shared=data["items_shared"],
            identities_protected=data["identities_protected"],
            onward_restrictions=data["onward_restrictions"],
            transfer_method=data["transfer_method"],
            emergency=data["emergency"],
        )


class AuthorisationForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you authorise sharing without agreement?",
        choices=[("authorise", "Authorise"), ("refuse", "Refuse")],
        error_messages={"required": "Choose whether you authorise or refuse it"},
    )
    note = forms.CharField(
        label="Reason",
        widget=forms.Textarea,
        required=False,
        max_length=TEXT_LIMIT,
        help_text="Required if you refuse",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("note") or "").strip():
            self.add_error("note", ValidationError("Say why you are refusing to authorise this"))
        return data

    @property
    def authorise(self) -> bool:
        return bool(self.cleaned_data["decision"] == "authorise")
