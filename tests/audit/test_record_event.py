"""record_event keeps personal data out of the trail: codes and counts only."""

from __future__ import annotations

import uuid

import pytest

from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.services import UnsafeAuditDetail, record_event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "detail",
    [
        {"name": "Zoë Quillfeather"},
        {"terms": ["quillfeather", "Zoë"]},
        {"postcode": "AB1 2XY"},
        {"Family Name": "x"},
        {"note": 3.5},
    ],
)
def test_free_text_in_detail_is_refused(detail: dict[str, object]) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(UnsafeAuditDetail):
        record_event(actor=None, action=Action.SEARCH, object_type="person", detail=detail)
    assert AuditEvent.objects.count() == before


def test_free_text_purpose_is_refused() -> None:
    with pytest.raises(UnsafeAuditDetail):
        record_event(actor=None, action=Action.VIEW, purpose="Checking on Zoë Quillfeather")


def test_codes_counts_and_ids_are_accepted() -> None:
    family_id = uuid.uuid4()
    event = record_event(
        actor=None,
        action=Action.SEARCH,
        object_type="person",
        purpose="intake_match",
        detail={"count": 3, "by": ["name", "postcode"], "family": family_id, "exact": True},
    )
    event.refresh_from_db()
    assert event.detail == {
        "count": 3,
        "by": ["name", "postcode"],
        "family": str(family_id),
        "exact": True,
    }
