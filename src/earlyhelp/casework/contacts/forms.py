"""The contact form (record and correct), and the deletion form.

One pair of fields per family member for their own words or views (a child's words for
children, views for parents and carers), so each entry says whose words they are.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django import forms
from django.utils import timezone

from earlyhelp.casework.contacts.services import (
    CONFIRM_FIELD,
    ContactInput,
    ProfessionalInput,
    VoiceInput,
)
from earlyhelp.casework.models import Contact, ContactType, RecordedAs, VoiceKind
from earlyhelp.core.errors import DomainError
from earlyhelp.core.forms import GovukDateField, add_domain_error, set_choices
from earlyhelp.people.models import FamilyMembership, FamilyRole
from earlyhelp.referrals.forms import MultipleFileField

CHILD_ROLES = {FamilyRole.CHILD, FamilyRole.SIBLING}
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")
# Where a service's field path is shown on this form.
_FIELD_FOR = {
    "occurred_at": "occurred_on",
    "professionals": "professionals_present",
    "subjects": "subjects",
    "present_members": "present_members",
}


def parse_time(value: str) -> time | None:
    """ "14:30", "2:30pm", "2.30 pm", "9am" -> a time; None if it is not a real time."""
    match = _TIME.match(value.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _professional_lines(text: str) -> list[ProfessionalInput]:
    people = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(",")]
        if not any(parts):
            continue
        people.append(
            ProfessionalInput(
                name=parts[0],
                organisation=parts[1] if len(parts) > 1 else "",
                role=", ".join(p for p in parts[2:] if p),
            )
        )
    return people


def professional_text(professionals: Sequence[dict[str, str]]) -> str:
    return "\n".join(
        ", ".join(
            p
            for p in (item.get("name", ""), item.get("organisation", ""), item.get("role", ""))
            if p
        )
        for item in professionals
    )


class VoiceSlot:
    """The pair of fields for one family member's words or views."""

    def __init__(self, form: ContactForm, membership: FamilyMembership, kind: VoiceKind) -> None:
        self.form = form
        self.person = membership.person
        self.kind = kind
        prefix = "child" if kind is VoiceKind.CHILD else "parent"
        self.text_name = f"{prefix}_{self.person.pk.hex}"
        self.recorded_as_name = f"{self.text_name}_recorded_as"

    @property
    def text(self) -> forms.BoundField:
        return self.form[self.text_name]

    @property
    def recorded_as(self) -> forms.BoundField:
        return self.form[self.recorded_as_name]


class ContactForm(forms.Form):
    contact_type = forms.ChoiceField(
        label="Type of contact",
        choices=ContactType.choices,
        error_messages={"required": "Choose the type of contact"},
    )
    occurred_on = GovukDateField(
        label="Date of the contact",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the contact"},
    )
    occurred_time = forms.CharField(
        label="Time",
        max_length=10,
        help_text="For example, 9:30am or 14:30",
        error_messages={"required": "Enter the time of the contact"},
    )
    subjects = forms.MultipleChoiceField(
        label="Who is this note about?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone the note is about. Anyone whose words you record below is "
        "included.",
    )
    present_members = forms.MultipleChoiceField(
        label="Family members present", required=False, widget=forms.CheckboxSelectMultiple
    )
    professionals_present = forms.CharField(
        label="Professionals present (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        help_text="One a line: name, organisation, role. For example: Sam Lee, Brookfield "
        "Primary School, designated safeguarding lead",
    )
    note = forms.CharField(
        label="Your note",
        widget=forms.Textarea,
        max_length=50_000,
        help_text="What happened, what you saw and your analysis. The family's own words go "
        "in their own sections below.",
        error_messages={"required": "Enter your note of the contact"},
    )
    next_contact_on = GovukDateField(
        label="Next contact planned for (optional)",
        required=False,
        help_text="For example, 3 4 2026",
    )
    attachments = MultipleFileField(
        label="Attach documents or photographs (optional)",
        required=False,
        help_text="PDF, images or Office documents, up to 10 MB each",
    )
    confirm_other_family_names = forms.BooleanField(label="Yes, save it anyway", required=False)
    # Made when the form is shown and sent back with it: the same form sent twice (a double
    # click, a resend after a slow answer) saves one note (core.idempotency).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, members: Sequence[FamilyMembership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)
        people = [(str(m.person.pk), m.person.full_name) for m in members]
        set_choices(self, "subjects", people)
        set_choices(self, "present_members", people)
        self.child_slots: list[VoiceSlot] = []
        self.parent_slots: list[VoiceSlot] = []
        for membership in members:
            kind = VoiceKind.CHILD if membership.role in CHILD_ROLES else VoiceKind.PARENT_CARER
            slot = VoiceSlot(self, membership, kind)
            name = membership.person.full_name
            if kind is VoiceKind.CHILD:
                label = f"{name}'s own words (optional)"
                hint = (
                    "Their views, wishes and feelings. Leave blank if you did not hear from them."
                )
                self.child_slots.append(slot)
            else:
                label = f"{name}'s views (optional)"
                hint = "Leave blank if you did not hear from them."
                self.parent_slots.append(slot)
            self.fields[slot.text_name] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea,
                max_length=20_000,
                help_text=hint,
            )
            self.fields[slot.recorded_as_name] = forms.ChoiceField(
                label=f"How are {name}'s words recorded?",
                required=False,
                choices=RecordedAs.choices,
            )

    @property
    def slots(self) -> list[VoiceSlot]:
        return self.child_slots + self.parent_slots

    def clean_occurred_time(self) -> time:
        parsed = parse_time(self.cleaned_data["occurred_time"])
        if parsed is None:
            raise forms.ValidationError("Enter a real time, like 9:30am or 14:30")
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for slot in self.slots:
            if data.get(slot.text_name, "").strip() and not data.get(slot.recorded_as_name):
                self.add_error(
                    slot.recorded_as_name,
                    f"Say whether {slot.person.full_name}'s words are recorded verbatim or "
                    "summarised",
                )
        return data

    def _voices(self, slots: list[VoiceSlot]) -> list[tuple[VoiceSlot, VoiceInput]]:
        entries = []
        for slot in slots:
            text = self.cleaned_data.get(slot.text_name, "")
            if text.strip():
                entries.append(
                    (
                        slot,
                        VoiceInput(
                            person_id=slot.person.pk,
                            text=text,
                            recorded_as=self.cleaned_data[slot.recorded_as_name],
                        ),
                    )
                )
        return entries

    def occurred_at(self) -> datetime:
        day: date = self.cleaned_data["occurred_on"]
        return datetime.combine(
            day, self.cleaned_data["occurred_time"], tzinfo=timezone.get_current_timezone()
        )

    def to_input(self) -> ContactInput:
        d = self.cleaned_data
        return ContactInput(
            contact_type=d["contact_type"],
            occurred_at=self.occurred_at(),
            note=d["note"],
            subjects=[UUID(pid) for pid in d["subjects"]],
            present_members=[UUID(pid) for pid in d["present_members"]],
            professionals=_professional_lines(d["professionals_present"]),
            child_words=[v for _, v in self._voices(self.child_slots)],
            parent_views=[v for _, v in self._voices(self.parent_slots)],
            next_contact_on=d["next_contact_on"],
        )

    def texts(self) -> list[str]:
        """Everything typed that the other-family name check reads."""
        d = getattr(self, "cleaned_data", {})
        return [d.get("note", ""), *(d.get(slot.text_name, "") for slot in self.slots)]

    def show_error(self, error: DomainError) -> None:
        """Put a service's refusal against the field that caused it, keeping all input."""
        parts = (error.field or "").split(".")
        head = parts[0]
        if head in ("child_words", "parent_views") and len(parts) == 3 and parts[1].isdigit():
            slots = self.child_slots if head == "child_words" else self.parent_slots
            entries = self._voices(slots)
            index = int(parts[1])
            if index < len(entries):
                slot = entries[index][0]
                target = slot.recorded_as_name if parts[2] == "recorded_as" else slot.text_name
                self.add_error(target, error.message)
                return
        if head in _FIELD_FOR:
            self.add_error(_FIELD_FOR[head], error.message)
            return
        if head == CONFIRM_FIELD:
            self.add_error(CONFIRM_FIELD, error.message)
            return
        add_domain_error(self, error)


def initial_from(contact: Contact) -> dict[str, Any]:
    """The form's starting values for correcting ``contact`` (read through the selector)."""
    local = timezone.localtime(contact.occurred_at)
    initial: dict[str, Any] = {
        "contact_type": contact.contact_type,
        "occurred_on": local.date(),
        "occurred_time": local.strftime("%H:%M"),
        "subjects": [str(p.pk) for p in contact.subjects.all()],
        "present_members": [str(p.pk) for p in contact.present_members.all()],
        "professionals_present": professional_text(contact.professionals),
        "note": contact.note,
        "next_contact_on": contact.next_contact_on,
    }
    for voice in contact.voices.all():
        prefix = "child" if voice.kind == VoiceKind.CHILD else "parent"
        initial[f"{prefix}_{voice.person_id.hex}"] = voice.text
        initial[f"{prefix}_{voice.person_id.hex}_recorded_as"] = voice.recorded_as
    return initial


class CorrectionForm(ContactForm):
    reason = forms.CharField(
        label="Why are you correcting this note?",
        widget=forms.Textarea,
        max_length=2000,
        help_text="This is kept with the earlier version, which stays in the note's history.",
        error_messages={"required": "Say why you are correcting this note"},
    )


class DeleteContactForm(forms.Form):
    reason = forms.CharField(
        label="Why are you deleting this note?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say why you are deleting this note"},
    )
