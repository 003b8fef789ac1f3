"""Forms for disclosure packages: building one, and a manager's approval note.

The forms check shapes only; which items belong to the family, who may be included and
whether a gateway decision fits are the service's rules, shown against the field they name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms

from earlyhelp.core.formatting import date_uk
from earlyhelp.core.forms import set_choices
from earlyhelp.partners.selectors import contact_choices, organisation_choices
from earlyhelp.people.models import FamilyMembership
from earlyhelp.sharing.models import SharingDecision
from earlyhelp.sharing.packages.items import ITEM_ORDER, Choice, ItemType
from earlyhelp.sharing.packages.services import MAX_NOTE, MAX_PURPOSE, PackageInput

ITEM_LEGENDS: dict[ItemType, str] = {
    ItemType.PLAN_VERSION: "Family plan",
    ItemType.ASSESSMENT: "Assessments",
    ItemType.CONTACT: "Case notes",
    ItemType.ATTACHMENT: "Attachments of case notes",
}


class PackageForm(forms.Form):
    recipient_organisation = forms.ChoiceField(
        label="Recipient organisation",
        help_text="From the partner directory",
        error_messages={"required": "Choose the recipient organisation"},
    )
    recipient_contact = forms.ChoiceField(
        label="Named contact at the organisation (optional)", required=False
    )
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea,
        max_length=MAX_PURPOSE,
        help_text="Why the recipient needs this information",
        error_messages={"required": "Enter the purpose the information is shared for"},
    )
    people = forms.MultipleChoiceField(
        label="Whose information goes",
        help_text=(
            "Tick only the people whose information the recipient needs and who agreed (or a "
            "gateway covers). Everyone else is a third party: their names are replaced by "
            "their role, for example [sibling]."
        ),
        error_messages={"required": "Choose the people whose information goes"},
    )
    decision = forms.ChoiceField(
        label="Sharing without agreement (optional)",
        required=False,
        help_text=(
            "Only if the family has not agreed: a recorded sharing decision under a gateway "
            "for this recipient. Leave empty to share with the family's agreement."
        ),
    )

    def __init__(
        self,
        *args: Any,
        members: Sequence[FamilyMembership],
        choices: dict[ItemType, list[Choice]],
        decisions: Sequence[SharingDecision],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        organisations = [("", "Choose an organisation"), *organisation_choices()]
        set_choices(self, "recipient_organisation", organisations)
        set_choices(self, "recipient_contact", [("", "No named contact"), *contact_choices()])
        set_choices(self, "people", [(str(m.person_id), m.person.full_name) for m in members])
        set_choices(
            self,
            "decision",
            [
                ("", "None: share with agreement"),
                *(
                    (
                        str(d.pk),
                        f"{d.recipient_organisation.name}, decided {date_uk(d.decided_on)} "
                        f"({d.get_authorisation_display().lower()})",
                    )
                    for d in decisions
                ),
            ],
        )
        self.item_fields: list[str] = []
        for item_type in ITEM_ORDER:
            options = choices.get(item_type, [])
            if not options:
                continue
            name = f"items_{item_type.value}"
            self.fields[name] = forms.MultipleChoiceField(
                label=ITEM_LEGENDS[item_type],
                required=False,
                choices=[(c.ref.key, c.label) for c in options],
                help_text=options[0].hint,
            )
            self.item_fields.append(name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A type with nothing left to choose (its only note deleted since the page was
        # opened) has no field, so a posted choice of it would otherwise vanish unnoticed.
        gone = [
            name
            for name in (f"items_{item_type.value}" for item_type in ITEM_ORDER)
            if name not in self.fields and self.data.get(name)
        ]
        if gone:
            self.add_error(
                None,
                "Something you chose can no longer be shared (it may have been deleted): "
                "check what goes and choose again",
            )
        elif self.item_fields and not any(cleaned.get(name) for name in self.item_fields):
            self.add_error(self.item_fields[0], "Choose what goes in the package")
        return cleaned

    def to_input(self) -> PackageInput:
        data = self.cleaned_data
        items: list[dict[str, str]] = []
        for name in self.item_fields:
            for key in data.get(name, []):
                item_type, _, item_id = key.partition(":")
                items.append({"type": item_type, "id": item_id})
        contact = data["recipient_contact"]
        return PackageInput(
            recipient_organisation=UUID(data["recipient_organisation"]),
            recipient_contact=UUID(contact) if contact else None,
            purpose=data["purpose"],
            items=items,
            people=[UUID(value) for value in data["people"]],
            decision=UUID(data["decision"]) if data["decision"] else None,
        )


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you approve this package?",
        choices=[("approve", "Yes, approve it for release"), ("reject", "No, do not approve it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you approve the package"},
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        required=False,
        max_length=MAX_NOTE,
        help_text="Required if you do not approve: say why",
    )
