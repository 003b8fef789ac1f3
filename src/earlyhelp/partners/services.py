"""Writes to the partner directory: organisations and their professionals.

Nothing is deleted: organisations and contacts named in plans must stay, so they are
deactivated instead (and leave the choices other apps offer).

A change to where shared information goes (an organisation's kind or mailbox, a
professional's e-mail address) for an organisation that families' agreements or TAFs use is
not applied at once: it waits as a :class:`DirectoryChange` until a second editor approves
it, and when applied the lead practitioners of those families are told (decision 0014).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.accounts.permissions import has_role
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from earlyhelp.partners import validators
from earlyhelp.partners.models import (
    ChangeStatus,
    DirectoryChange,
    DirectoryNotice,
    Organisation,
    OrganisationKind,
    PartnerContact,
)
from earlyhelp.partners.permissions import can_edit_directory
from earlyhelp.partners.usage import families_using

T = TypeVar("T")

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


# Fields whose change alters where shared information goes, or who an agreement covers.
ORGANISATION_GUARDED = ("kind", "email")
CONTACT_GUARDED = ("email",)


@dataclass(frozen=True)
class Edit(Generic[T]):
    """What an edit did: the object as it now is, and the change held for a second person."""

    obj: T
    pending: DirectoryChange | None = None


def _hold_back(
    actor: User | None,
    organisation: Organisation,
    contact: PartnerContact | None,
    current: object,
    clean: object,
    changed: list[str],
    guarded: tuple[str, ...],
) -> tuple[list[str], DirectoryChange | None]:
    """Split ``changed`` into what applies now and a pending change for a second person.

    The command line (``actor=None``, the council's IT team) applies at once; it is audited
    and its changes are told to the lead practitioners all the same.
    """
    held = [f for f in changed if f in guarded]
    if actor is None or not held or not families_using(organisation):
        return changed, None
    change = DirectoryChange.objects.create(
        organisation=organisation,
        contact=contact,
        previous={f: getattr(current, f) for f in held},
        proposed={f: getattr(clean, f) for f in held},
        proposed_by=actor,
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="directory_change",
        object_id=change.pk,
        detail={
            "organisation": organisation.pk,
            "contact": contact.pk if contact is not None else None,
            "fields": sorted(held),
        },
    )
    return [f for f in changed if f not in held], change


def _notify_leads(change: DirectoryChange | None, organisation: Organisation) -> int:
    """Tell the families' lead practitioners (a notice on their family's plan page)."""
    families = families_using(organisation)
    if change is None or not families:
        return 0
    DirectoryNotice.objects.bulk_create(
        [DirectoryNotice(change=change, family_id=f) for f in sorted(families)],
        ignore_conflicts=True,
    )
    return len(families)


def _apply_organisation(
    actor: User | None, organisation: Organisation, clean: OrganisationInput, changed: list[str]
) -> None:
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


def _record_applied(
    actor: User | None,
    organisation: Organisation,
    contact: PartnerContact | None,
    held: dict[str, object],
) -> DirectoryChange:
    """A guarded change applied at once (nothing uses the organisation, or the command line)."""
    return DirectoryChange.objects.create(
        organisation=organisation,
        contact=contact,
        previous={},
        proposed=held,
        proposed_by=actor,
        status=ChangeStatus.APPLIED,
        decided_by=actor,
        decided_at=timezone.now(),
    )


@transaction.atomic
def edit_organisation(
    *, actor: User | None, organisation: Organisation, data: OrganisationInput
) -> Edit[Organisation]:
    """Correct an organisation's details, or deactivate (``active=False``) or reactivate it.

    A change of kind or mailbox for an organisation in use waits for a second person.
    """
    _check_editor(actor)
    clean = clean_organisation(data, exclude_pk=organisation.pk)
    changed = [f for f in ORGANISATION_FIELDS if getattr(organisation, f) != getattr(clean, f)]
    if not changed:
        return Edit(organisation)
    now, pending = _hold_back(
        actor, organisation, None, organisation, clean, changed, ORGANISATION_GUARDED
    )
    if now:
        held = {f: getattr(clean, f) for f in now if f in ORGANISATION_GUARDED}
        _apply_organisation(actor, organisation, clean, now)
        if held and families_using(organisation):
            _notify_leads(_record_applied(actor, organisation, None, held), organisation)
    return Edit(organisation, pending)


def update_organisation(
    *, actor: User | None, organisation: Organisation, data: OrganisationInput
) -> Organisation:
    """:func:`edit_organisation`, for callers that do not show what waits."""
    return edit_organisation(actor=actor, organisation=organisation, data=data).obj


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


def _apply_contact(actor: User | None, contact: PartnerContact, values: dict[str, object]) -> None:
    for name, value in values.items():
        setattr(contact, name, value)
    contact.save(update_fields=list(values))
    record_event(
        actor=actor,
        action=Action.UPDATE,
        object_type="partner_contact",
        object_id=contact.pk,
        detail={"fields": list(values)},
    )


@transaction.atomic
def edit_contact(
    *, actor: User | None, contact: PartnerContact, data: ContactInput
) -> Edit[PartnerContact]:
    """Correct a professional's details, or deactivate them when they leave the role.

    A change of e-mail address at an organisation in use waits for a second person.
    """
    _check_editor(actor)
    clean = clean_contact(data)
    changed = [f for f in CONTACT_FIELDS if getattr(contact, f) != getattr(clean, f)]
    if not changed:
        return Edit(contact)
    organisation = contact.organisation
    now, pending = _hold_back(
        actor, organisation, contact, contact, clean, changed, CONTACT_GUARDED
    )
    if now:
        held = {f: getattr(clean, f) for f in now if f in CONTACT_GUARDED}
        _apply_contact(actor, contact, {f: getattr(clean, f) for f in now})
        if held and families_using(organisation):
            _notify_leads(_record_applied(actor, organisation, contact, held), organisation)
    return Edit(contact, pending)


def update_contact(
    *, actor: User | None, contact: PartnerContact, data: ContactInput
) -> PartnerContact:
    """:func:`edit_contact`, for callers that do not show what waits."""
    return edit_contact(actor=actor, contact=contact, data=data).obj


# --- Changes waiting for a second person ----------------------------------------------------


def _pending(change_id: UUID) -> DirectoryChange:
    change = (
        # Lock only the change row: PostgreSQL cannot lock the nullable side of the outer join
        # to the contact, and the row lock is what stops two approvals racing.
        DirectoryChange.objects.select_for_update(of=("self",))
        .select_related("organisation", "contact")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        raise NotFound("There is no such directory change.")
    if not change.is_pending:
        raise Conflict("This change has already been approved or rejected.")
    return change


@transaction.atomic
def approve_directory_change(*, actor: User, change_id: UUID) -> DirectoryChange:
    """Apply a pending change: a second editor, not the one who proposed it (four eyes).

    Refused if what it changes has been changed since it was proposed. On applying, the lead
    practitioners of the families using the organisation are told.
    """
    change = _pending(change_id)
    _check_editor(actor)
    if change.proposed_by_id == actor.pk:
        raise PermissionDenied(
            "A second person must approve this change: you proposed it yourself."
        )
    target: Organisation | PartnerContact = change.contact or change.organisation
    if any(getattr(target, f) != v for f, v in change.previous.items()):
        raise Conflict(
            "The details have changed since this change was proposed. Reject it and propose "
            "it again."
        )
    if change.contact is not None:
        _apply_contact(actor, change.contact, dict(change.proposed))
    else:
        organisation = change.organisation
        current = OrganisationInput(**{f: getattr(organisation, f) for f in ORGANISATION_FIELDS})
        clean = clean_organisation(
            OrganisationInput(**{**current.__dict__, **change.proposed}),
            exclude_pk=organisation.pk,
        )
        _apply_organisation(actor, organisation, clean, list(change.proposed))
    change.status = ChangeStatus.APPLIED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    told = _notify_leads(change, change.organisation)
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="directory_change",
        object_id=change.pk,
        detail={"outcome": "applied", "families_told": told},
    )
    return change


@transaction.atomic
def reject_directory_change(*, actor: User, change_id: UUID) -> DirectoryChange:
    """Drop a pending change (any editor, including the one who proposed it)."""
    change = _pending(change_id)
    _check_editor(actor)
    change.status = ChangeStatus.REJECTED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action=Action.DECISION,
        object_type="directory_change",
        object_id=change.pk,
        detail={"outcome": "rejected"},
    )
    return change


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
