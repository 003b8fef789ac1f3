"""Reads of referrals, scoped by role and audited."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, QuerySet

from earlyhelp.accounts.permissions import AnyUser
from earlyhelp.audit.denials import record_denial
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import record_event
from earlyhelp.core.errors import NotFound
from earlyhelp.core.ids import parse_id
from earlyhelp.referrals.models import Referral, ReferralAttachment, Status
from earlyhelp.referrals.permissions import visible_referrals


def awaiting_triage_count(user: AnyUser) -> int:
    return visible_referrals(user).filter(status=Status.AWAITING_TRIAGE).count()


def referral_queue(user: AnyUser, *, status: str = Status.AWAITING_TRIAGE) -> QuerySet[Referral]:
    """The front-door list; names are shown, so the caller audits the page view."""
    return (
        visible_referrals(user)
        .filter(status=status)
        .annotate(people_count=Count("people", distinct=True))
        .prefetch_related("people")
        .order_by("received_at" if status == Status.AWAITING_TRIAGE else "-decided_at")
    )


def get_referral_for_user(user: AnyUser, referral_id: UUID | str, *, purpose: str = "") -> Referral:
    pk = parse_id(referral_id)
    referral = (
        visible_referrals(user)
        .select_related("privacy_notice", "recorded_by", "decided_by", "family", "episode")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        if Referral.objects.filter(pk=pk).exists():
            # The same 404 as for no such referral, but audited: a burst alerts the DPO.
            record_denial(actor=user, object_type="referral", object_id=pk)
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.VIEW,
        object_type="referral",
        object_id=referral.pk,
        purpose=purpose,
    )
    return referral


def get_attachment_for_user(
    user: AnyUser, referral_id: UUID | str, attachment_id: UUID | str
) -> ReferralAttachment:
    referral = get_referral_for_user(user, referral_id, purpose="attachment")
    pk = parse_id(attachment_id)
    attachment = referral.attachments.filter(pk=pk).first()
    if attachment is None:
        raise NotFound()
    record_event(
        actor=user,  # type: ignore[arg-type]
        action=Action.DOWNLOAD,
        object_type="referral_attachment",
        object_id=attachment.pk,
    )
    return attachment
