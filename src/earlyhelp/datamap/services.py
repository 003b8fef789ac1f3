"""Publishing a new version of the privacy notice.

Versions are append-only: a published version is never edited or deleted, because a family's
record points at the version they were shown and they may ask to read it again.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.accounts.permissions import can_manage_privacy_notice
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import Conflict, InvalidInput, PermissionDenied
from earlyhelp.datamap.models import PrivacyNotice

TITLE_MAX_LENGTH = PrivacyNotice._meta.get_field("title").max_length or 200


@transaction.atomic
def publish_notice(*, actor: User, title: str, body: str) -> PrivacyNotice:
    """Publish ``body`` as the next version (highest + 1); it becomes the current notice.

    A blank title keeps the current version's title.
    """
    if not can_manage_privacy_notice(actor):
        raise PermissionDenied("Only the data protection officer can publish the privacy notice")
    body = body.strip()
    title = title.strip()
    if not body:
        raise InvalidInput("Enter the text of the privacy notice", field="body")
    if len(title) > TITLE_MAX_LENGTH:
        raise InvalidInput(f"Title must be {TITLE_MAX_LENGTH} characters or fewer", field="title")
    # Lock the current head so two publishers queue behind each other on PostgreSQL; SQLite
    # already serialises writers. The unique version number catches anything that slips by.
    head = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    if not title:
        if head is None:
            raise InvalidInput("Enter a title", field="title")
        title = head.title
    try:
        with transaction.atomic():
            notice = PrivacyNotice.objects.create(
                version=(head.version + 1) if head else 1,
                title=title,
                body=body,
                published_at=timezone.now(),
                published_by=actor,
            )
    except IntegrityError:
        raise Conflict(
            "Another version was published at the same time. Check the list and try again."
        ) from None
    record_event(
        actor=actor,
        action=Action.CREATE,
        object_type="privacy_notice",
        object_id=notice.pk,
        detail={"version": notice.version},
    )
    return notice
