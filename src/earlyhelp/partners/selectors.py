"""Reads of the partner directory.

Contacts are professionals' work details: personal data, so reads by a user are scoped by
role and audited. ``active_contacts`` and ``contact_choices`` feed other apps' forms (a plan's
TAF members, an action's owner) on pages that check and audit their own access.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import NotFound, PermissionDenied
from earlyhelp.core.ids import parse_id
from earlyhelp.partners.models import (
    ChangeStatus,
    DirectoryChange,
    DirectoryNotice,
    Organisation,
    PartnerContact,
)
from earlyhelp.partners.permissions import can_edit_directory, can_view_directory


def _check_viewer(user: AnyUser) -> None:
    if not can_view_directory(user):
        raise PermissionDenied("Your role does not give access to the partner directory.")


def directory(
    user: AnyUser, *, kind: str = "", name: str = "", include_inactive: bool = False
) -> QuerySet[Organisation]:
    """Organisations with their count of active contacts; the caller audits the page."""
    _check_viewer(user)
    organisations = Organisation.objects.annotate(
        contact_count=Count("contacts", filter=Q(contacts__active=True))
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    for word in name.split():
        organisations = organisations.filter(name__icontains=word)
    if not include_inactive:
        organisations = organisations.filter(active=True)
    return organisations.order_by("name", "pk")


def audit_directory_view(user: AnyUser, count: int) -> None:
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="organisation",
        detail={"count": count, "list": True},
    )


def get_organisation_for_user(user: AnyUser, organisation_id: UUID | str) -> Organisation:
    """The organisation with its contacts (active first) prefetched; the read is audited."""
    _check_viewer(user)
    contacts = PartnerContact.objects.order_by("-active", "name", "pk")
    organisation = (
        Organisation.objects.prefetch_related(Prefetch("contacts", queryset=contacts))
        .filter(pk=parse_id(organisation_id))
        .first()
    )
    if organisation is None:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="organisation",
        object_id=organisation.pk,
        detail={"contacts": len(organisation.contacts.all())},
    )
    return organisation


def get_contact_for_user(
    user: AnyUser, organisation_id: UUID | str, contact_id: UUID | str
) -> PartnerContact:
    _check_viewer(user)
    contact = (
        PartnerContact.objects.select_related("organisation")
        .filter(pk=parse_id(contact_id), organisation_id=parse_id(organisation_id))
        .first()
    )
    if contact is None:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="partner_contact",
        object_id=contact.pk,
    )
    return contact


def active_contacts() -> QuerySet[PartnerContact]:
    """Professionals who can be named today: active, at an active organisation."""
    return (
        PartnerContact.objects.filter(active=True, organisation__active=True)
        .select_related("organisation")
        .order_by("name", "organisation__name", "pk")
    )


def contact_label(contact: PartnerContact) -> str:
    """ "Name, Job title, Organisation" (the job title left out when not known)."""
    parts = [contact.name, contact.job_title, contact.organisation.name]
    return ", ".join(part for part in parts if part)


def contact_choices() -> list[tuple[str, str]]:
    """(contact id, "Name, Job title, Organisation") for a form's choice field."""
    return [(str(contact.pk), contact_label(contact)) for contact in active_contacts()]


def organisation_choices() -> list[tuple[str, str]]:
    """(organisation id, name) of active organisations: no one's personal data."""
    organisations = Organisation.objects.filter(active=True).order_by("name", "pk")
    return [(str(pk), name) for pk, name in organisations.values_list("pk", "name")]


def pending_changes(
    user: AnyUser, organisation: Organisation | None = None
) -> list[DirectoryChange]:
    """Directory changes awaiting a second person (for directory editors), newest first."""
    if not can_edit_directory(user):
        raise PermissionDenied("Only administrators and team managers can change the directory.")
    changes = DirectoryChange.objects.filter(status=ChangeStatus.PENDING)
    if organisation is not None:
        changes = changes.filter(organisation=organisation)
    return list(changes.select_related("organisation", "contact"))


def directory_notices(family_id: UUID) -> list[DirectoryNotice]:
    """Directory changes applied to organisations this family's sharing uses, newest first.

    For the family's own pages, which have passed the family gatekeeper already.
    """
    return list(
        DirectoryNotice.objects.filter(family_id=family_id).select_related(
            "change__organisation", "change__contact"
        )
    )
