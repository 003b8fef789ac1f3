from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.apps import AppConfig

if TYPE_CHECKING:
    from earlyhelp.partners.models import Organisation


def families_with_taf_at(organisation: Organisation) -> set[UUID]:
    """Families whose active plan has a professional of this organisation in its TAF."""
    from earlyhelp.plans.models import TafMember

    return set(
        TafMember.objects.filter(
            contact__organisation=organisation, version__plan__status="active"
        ).values_list("version__plan__family_id", flat=True)
    )


class PlansConfig(AppConfig):
    name = "earlyhelp.plans"
    label = "plans"
    verbose_name = "Family plans (Team Around the Family)"

    def ready(self) -> None:
        from earlyhelp.partners.usage import register_use

        register_use("plans.taf", families_with_taf_at)
