"""The recipient of a sharing decision or a disclosure package, from the partner directory."""

from __future__ import annotations

from uuid import UUID

from earlyhelp.core.errors import InvalidInput
from earlyhelp.partners.models import Organisation, PartnerContact


def resolve_recipient(
    organisation_id: UUID | None, contact_id: UUID | None
) -> tuple[Organisation, PartnerContact | None]:
    """An active organisation and, optionally, an active contact who works there."""
    organisation = (
        Organisation.objects.filter(pk=organisation_id, active=True).first()
        if organisation_id is not None
        else None
    )
    if organisation is None:
        raise InvalidInput(
            "Choose the recipient organisation from the partner directory.",
            field="recipient_organisation",
        )
    contact = None
    if contact_id is not None:
        contact = PartnerContact.objects.filter(
            pk=contact_id, organisation=organisation, active=True
        ).first()
        if contact is None:
            raise InvalidInput(
                "Choose a contact at the recipient organisation, or leave it empty.",
                field="recipient_contact",
            )
    return organisation, contact
