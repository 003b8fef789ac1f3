"""Who may do what to a disclosure package (pure predicates over the package and the user).

- Build, submit and release: the person who created it (who must still work on the case).
- Approve or reject: a team manager of the family's team who is not the creator (four eyes,
  ``sharing.permissions.can_authorise``).
- Download the released zip while it is kept: the creator, the approver, or a practitioner
  or manager of the allocated team.
"""

from __future__ import annotations

from django.utils import timezone

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.sharing.models import DisclosurePackage, PackageStatus
from earlyhelp.sharing.permissions import can_authorise, can_record_sharing


def is_creator(user: AnyUser, package: DisclosurePackage) -> bool:
    return user.is_authenticated and package.created_by_id == user.pk


def can_submit(user: AnyUser, package: DisclosurePackage) -> bool:
    return (
        package.status == PackageStatus.DRAFT
        and is_creator(user, package)
        and can_record_sharing(user, package.family)
    )


def can_decide(user: AnyUser, package: DisclosurePackage) -> bool:
    return package.status == PackageStatus.AWAITING_APPROVAL and can_authorise(
        user, package.family, package.created_by_id
    )


def can_release(user: AnyUser, package: DisclosurePackage) -> bool:
    return (
        package.status == PackageStatus.APPROVED
        and is_creator(user, package)
        and can_record_sharing(user, package.family)
    )


def is_downloadable(package: DisclosurePackage) -> bool:
    return (
        package.status == PackageStatus.RELEASED
        and bool(package.stored_file)
        and package.file_deleted_at is None
        and package.expires_at is not None
        and package.expires_at > timezone.now()
    )


def can_download(user: AnyUser, package: DisclosurePackage) -> bool:
    if not user.is_authenticated:
        return False
    return (
        is_creator(user, package)
        or package.approved_by_id == user.pk
        or can_record_sharing(user, package.family)
    )
