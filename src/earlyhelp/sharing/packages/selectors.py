"""Reads of disclosure packages: behind the family gatekeeper, audited."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from earlyhelp.accounts.models import Role
from earlyhelp.accounts.permissions import AnyUser, team_ids_with_role
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.casework.models import Episode
from earlyhelp.casework.selectors import get_family_for_user
from earlyhelp.core.errors import Conflict, NotFound, PermissionDenied
from earlyhelp.core.ids import parse_id
from earlyhelp.people.models import Family
from earlyhelp.sharing.models import DisclosurePackage, PackageStatus, SharingDecision
from earlyhelp.sharing.packages import archive, rules, services
from earlyhelp.sharing.packages.render import PackageContent, build_content
from earlyhelp.sharing.policy import SharingCheck


def _packages() -> QuerySet[DisclosurePackage]:
    return DisclosurePackage.objects.select_related(
        "recipient_organisation", "created_by", "approved_by"
    )


def family_packages(
    user: AnyUser, family_id: UUID | str
) -> tuple[Family, QuerySet[DisclosurePackage]]:
    """The family (through the gatekeeper) and its packages, newest first. Audit the page
    with ``audit.services.record_list_view(user, "disclosure_package", count)``."""
    family = get_family_for_user(user, family_id, purpose="disclosure_packages")
    return family, _packages().filter(family=family).order_by("-created_at", "-pk")


def get_package_for_user(
    user: AnyUser, family_id: UUID | str, package_id: UUID | str, *, purpose: str = ""
) -> DisclosurePackage:
    family = get_family_for_user(user, family_id, purpose=purpose)
    package = (
        _packages()
        .select_related("family", "recipient_contact", "decision", "released_by")
        .filter(family=family, pk=parse_id(package_id))
        .first()
    )
    if package is None:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="disclosure_package",
        object_id=package.pk,
        purpose=purpose,
    )
    return package


@dataclass(frozen=True)
class Preview:
    """Exactly what would go, and what the sharing check says about it now."""

    content: PackageContent
    check: SharingCheck
    scopes: list[str]


def preview(package: DisclosurePackage) -> Preview:
    """For a package read through ``get_package_for_user`` (which audited the read)."""
    return Preview(
        content=build_content(package),
        check=services.preview_check(package),
        scopes=services.scopes_of(package),
    )


def gateway_decisions(family: Family) -> list[SharingDecision]:
    """The family's sharing decisions under a gateway, for a caller that passed the
    gatekeeper: a package may rest on one of them instead of agreement."""
    return list(
        SharingDecision.objects.filter(family=family)
        .exclude(gateway="")
        .select_related("recipient_organisation")
        .order_by("-decided_on", "-recorded_at")
    )


def included_names(package: DisclosurePackage) -> list[str]:
    return [p.full_name for p in package.included_people.order_by("date_of_birth", "pk")]


def awaiting_my_approval(user: AnyUser) -> QuerySet[DisclosurePackage]:
    """Packages of this manager's teams' open cases waiting for approval, not their own."""
    team_ids = team_ids_with_role(user, Role.TEAM_MANAGER)
    if not team_ids:
        return DisclosurePackage.objects.none()
    families = Episode.objects.filter(closed_at__isnull=True, team_id__in=team_ids).values(
        "family_id"
    )
    return (
        _packages()
        .select_related("family")
        .filter(status=PackageStatus.AWAITING_APPROVAL, family_id__in=families)
        .exclude(created_by_id=user.pk)
        .order_by("submitted_at", "pk")
    )


def package_file_for_user(
    user: AnyUser, family_id: UUID | str, package_id: UUID | str
) -> tuple[DisclosurePackage, bytes]:
    """The released zip, for the creator, the approver or the team, while it is kept."""
    package = get_package_for_user(user, family_id, package_id, purpose="download")
    if not rules.can_download(user, package):
        raise PermissionDenied(
            "Only the sender, the approver or the allocated team can download it."
        )
    if not rules.is_downloadable(package):
        raise Conflict("The package file is not available: it was not released, or it has expired.")
    data = archive.read(package.stored_file)
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.DOWNLOAD,
        object_type="disclosure_package",
        object_id=package.pk,
    )
    return package, data


def zip_filename(package: DisclosurePackage) -> str:
    released = package.released_at.date().isoformat() if package.released_at else "draft"
    return f"disclosure-{package.family.reference}-{released}.zip"
