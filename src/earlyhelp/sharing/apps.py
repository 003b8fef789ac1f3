from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.apps import AppConfig

if TYPE_CHECKING:
    from earlyhelp.partners.models import Organisation


def families_agreeing_to_share_with(organisation: Organisation) -> set[UUID]:
    """Families with a standing agreement to share that names this organisation."""
    from earlyhelp.sharing.models import Agreement, AgreementKind

    return set(
        Agreement.objects.filter(
            recipient_organisation=organisation,
            kind=AgreementKind.SHARE,
            withdrawn_on__isnull=True,
        ).values_list("family_id", flat=True)
    )


class SharingConfig(AppConfig):
    name = "earlyhelp.sharing"
    label = "sharing"
    verbose_name = "Agreements, sharing decisions and disclosures"

    def ready(self) -> None:
        from earlyhelp.partners.usage import register_use

        register_use("sharing.agreements", families_agreeing_to_share_with)
