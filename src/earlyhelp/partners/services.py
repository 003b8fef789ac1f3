"""Writes to the partner directory: organisations and their professionals.

Nothing is deleted: organisations and contacts named in plans must stay, so they are
deactivated instead (and leave the choices other apps offer).
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.accounts.permissions import has_role
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.partners import validators
from earlyhelp.partners.models import Organisation, OrganisationKind, PartnerContact
from earlyhelp.partners.permissions import can_edit_directory

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.org"
URN_TAKEN = "An organisation with this URN is already in the directory"


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    kind: str
    urn: str = ""
    ods_code: str = ""
    email: str = ""
    phone: str = ""
    active: bool = True


@dataclass(frozen=True)
class ContactInput:
    name: str
    job_title: str = ""
    email: str = ""
    phone: str = ""
    active: bool = True


def _check_editor(actor: User | None) -> None:
    # ``None`` is the command line (an import run by the council's IT team).
    if actor is not None and not can_edit_directory(actor):
        raise PermissionDenied("Only administrators and team managers can change the directory.")


def _email(value: str) -> str:
    value = value.strip()
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput(EMAIL_MESSAGE, field="email") from None
    return value


def _required(value: str, field: str, label: str, missing: str, max_length: int) -> str:
    value = " ".join(value.split())
    if not value:
        raise InvalidInput(missing, field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{label} must be {max_length} characters or fewer", field=field)
    return value


def _optional(value: str, field: str, label: str, max_length: int) -> str:
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(f"{label} must be {max_length} characters or fewer", field=field)
    return value


def clean_organisation(
    data: OrganisationInput, *, exclude_pk: UUID | None = None
) -> OrganisationInput:
    """The input normalised, or InvalidInput naming the first field that is wrong."""
    name = _required(data.name, "name", "Name", "Enter the organisation's name", 200)
    if data.kind not in OrganisationKind.values:
        raise InvalidInput("Choose what kind of organisation it is", field="kind")
    kind = OrganisationKind(data.kind)
    urn = validators.compact(data.urn)
    if kind == OrganisationKind.SCHOOL and not urn:
        raise InvalidInput("Enter the school's URN", field="urn")
    if urn:
        if kind not in validators.KINDS_WITH_URN:
            raise InvalidInput(
                "Leave the URN blank: only schools and early years settings have one",
                field="urn",
            )
        if not validators.is_valid_urn(urn):
            raise InvalidInput(validators.URN_MESSAGE, field="urn")
        same_urn = Organisation.objects.filter(urn=urn)
        if exclude_pk is not None:
            same_urn = same_urn.exclude(pk=exclude_pk)
        if same_urn.exists():
            raise InvalidInput(URN_TAKEN, field="urn")
    ods_code = validators.compact(data.ods_code)
    if ods_code:
        if kind == OrganisationKind.GP_PRACTICE:
            if not validators.is_valid_gp_ods_code(ods_code):
                raise InvalidInput(validators.GP_ODS_MESSAGE, field="ods_code")
        elif not validators.is_valid_ods_code(ods_code):
            raise InvalidInput(validators.ODS_MESSAGE, field="ods_code")
    return OrganisationInput(
        name=name,
        kind=kind.value,
        urn=urn,
        ods_code=ods_code,
        email=_email(data.email),
        phone=_optional(data.phone, "phone", "Phone number", 40),
        active=data.active,
    )


def _save_organisation(organisation: Organisation, **update: object) -> None:
    try:
        # A nested block so a lost race on the URN leaves the caller's transaction usable.
        with transaction.atomic():
            organisation.save(**update)  # type: ignore[arg-type]
    except IntegrityError:
        raise InvalidInput(URN_TAKEN, field="urn") from None


@transaction.atomic
def create_organisation(*, actor: User | None, data: OrganisationInput) -> Organisation:
    _check_editor(actor)
    clean = clean_organisation(data)
    organisation = Organisation(
        name=clean.name,
        kind=clean.kind,
        urn=clean.urn,
        ods_code=clean.ods_code,
        email=clean.email,
        phone=clean.phone,
        active=clean.active,
    )
    _save_organisation(organisation)
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="organisation",
        object_id=organisation.pk,
        detail={"kind": organisation.kind},
    )
    return organisation


ORGANISATION_FIELDS = ("name", "kind", "urn", "ods_code", "email", "phone", "active")


@transaction.atomic
def update_organisation(
    *, actor: User | None, organisation: Organisation, data: OrganisationInput
) -> Organisation:
    """Correct an organisation's details, or deactivate (``active=False``) or reactivate it."""
    _check_editor(actor)
    clean = clean_organisation(data, exclude_pk=organisation.pk)
    changed = [f for f in ORGANISATION_FIELDS if getattr(organisation, f) != getattr(clean, f)]
    if not changed:
        return organisation
    for name in changed:
        setattr(organisation, name, getattr(clean, name))
    update = list(changed)
    if "kind" in changed:
        organisation.kind_changed_at = timezone.now()
        update.append("kind_changed_at")
    _save_organisation(organisation, update_fields=update)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="organisation",
        object_id=organisation.pk,
        detail={"fields": changed},
    )
    return organisation


def clean_contact(data: ContactInput) -> ContactInput:
    return ContactInput(
        name=_required(data.name, "name", "Name", "Enter the person's name", 200),
        job_title=_optional(data.job_title, "job_title", "Job title", 200),
        email=_email(data.email),
        phone=_optional(data.phone, "phone", "Phone number", 40),
        active=data.active,
    )


@transaction.atomic
def add_contact(
    *, actor: User | None, organisation: Organisation, data: ContactInput
) -> PartnerContact:
    _check_editor(actor)
    clean = clean_contact(data)
    contact = PartnerContact.objects.create(
        organisation=organisation,
        name=clean.name,
        job_title=clean.job_title,
        email=clean.email,
        phone=clean.phone,
        active=clean.active,
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="partner_contact",
        object_id=contact.pk,
    )
    return contact


CONTACT_FIELDS = ("name", "job_title", "email", "phone", "active")


@transaction.atomic
def update_contact(
    *, actor: User | None, contact: PartnerContact, data: ContactInput
) -> PartnerContact:
    """Correct a professional's details, or deactivate them when they leave the role."""
    _check_editor(actor)
    clean = clean_contact(data)
    changed = [f for f in CONTACT_FIELDS if getattr(contact, f) != getattr(clean, f)]
    if not changed:
        return contact
    for name in changed:
        setattr(contact, name, getattr(clean, name))
    contact.save(update_fields=changed)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="partner_contact",
        object_id=contact.pk,
        detail={"fields": changed},
    )
    return contact


# --- Partner sign-ins ---------------------------------------------------------------------------


@transaction.atomic
def link_partner_user(
    *, actor: User | None, contact: PartnerContact, user: User | None
) -> PartnerContact:
    """Link a professional to their own sign-in (role ``partner``), or unlink (``user=None``).

    What a partner user sees follows the plans that name their contact and the family's
    agreements with the contact's organisation (sharing.partner.access), so the link is for
    administrators only (``actor=None`` is the command line). A user is one contact at most.
    """
    if actor is not None and not has_role(actor, Role.ADMIN):
        raise PermissionDenied("Only administrators can link a partner to a sign-in.")
    if user is not None:
        if not has_role(user, Role.PARTNER):
            raise InvalidInput(
                "This user does not hold the partner role. Give them the role first.",
                field="username",
            )
        if PartnerContact.objects.filter(user=user).exclude(pk=contact.pk).exists():
            raise Conflict(
                "This user is already linked to another partner contact. Unlink them first.",
            )
        if contact.user_id is not None and contact.user_id != user.pk:
            raise Conflict("This contact already has a sign-in. Unlink it first.")
    previous = contact.user_id
    if previous == (user.pk if user is not None else None):
        return contact
    contact.user = user
    try:
        with transaction.atomic():
            contact.save(update_fields=["user"])
    except IntegrityError:  # a concurrent link of the same user
        raise Conflict(
            "This user is already linked to another partner contact. Unlink them first."
        ) from None
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="partner_contact",
        object_id=contact.pk,
        detail={
            "change": "sign_in",
            "user": user.pk if user is not None else None,
            "previous_user": previous,
        },
    )
    return contact
