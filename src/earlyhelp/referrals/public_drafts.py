"""Drafts of online referrals: kept encrypted only while the referrer is answering.

A draft holds what a member of the public has typed into /refer/ so far (children's names,
dates of birth, the address, the concern). It is kept only as long as needed: deleted when
the referral is sent, refused once it has been left alone for ``EARLYHELP_PUBLIC_DRAFT_HOURS``
(3 by default), and deleted then by ``earlyhelp purge_public_drafts``. The referrer's session
holds the draft's random id and nothing else about it (decision 0011).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.referrals.models import PublicReferralDraft

DEFAULT_DRAFT_HOURS = 3


def draft_hours() -> int:
    return int(getattr(settings, "EARLYHELP_PUBLIC_DRAFT_HOURS", DEFAULT_DRAFT_HOURS))


def _expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(hours=draft_hours())


def open_draft(draft_id: object, *, now: datetime | None = None) -> PublicReferralDraft | None:
    """The unexpired draft with this id, or None (no id, a malformed one, gone or expired)."""
    if not isinstance(draft_id, str):
        return None
    try:
        pk = UUID(draft_id)
    except ValueError:
        return None
    return PublicReferralDraft.objects.filter(pk=pk, expires_at__gt=now or timezone.now()).first()


def answers_of(draft: PublicReferralDraft | None) -> dict[str, Any]:
    if draft is None or not draft.answers:
        return {}
    answers: dict[str, Any] = json.loads(draft.answers)
    return answers


def save_draft(
    draft: PublicReferralDraft | None, answers: dict[str, Any] | None = None
) -> PublicReferralDraft:
    """Store the answers (a new draft if there is none yet); every save restarts the clock."""
    if draft is None:
        draft = PublicReferralDraft()
    if answers is not None:
        draft.answers = json.dumps(answers, ensure_ascii=False)
    draft.expires_at = _expiry()
    draft.save()
    return draft


def discard_draft(draft: PublicReferralDraft | None) -> None:
    """The referral was sent: its draft goes at once."""
    if draft is not None and draft.pk is not None:
        PublicReferralDraft.objects.filter(pk=draft.pk).delete()


@transaction.atomic
def purge_expired_drafts(*, now: datetime | None = None) -> int:
    """Delete every draft past its expiry; one audit event with the count. Idempotent."""
    deleted, _ = PublicReferralDraft.objects.filter(expires_at__lte=now or timezone.now()).delete()
    if deleted:
        record_event(
            actor=None,
            action=Action.DELETE,
            object_type="public_referral_draft",
            detail={"count": deleted, "purge": True},
        )
    return deleted
