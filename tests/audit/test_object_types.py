"""Audit object types come from one list with their meanings; an unknown one is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import earlyhelp
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.audit.object_types import OBJECT_TYPES, meaning
from earlyhelp.audit.services import UnknownObjectType, record_event

SRC = Path(earlyhelp.__file__).parent
_WRITTEN = re.compile(r"object_type=\"([a-z_]+)\"")
# Timeline entries have object types of their own (casework/timeline.py), not audit codes.
_TIMELINE_CALLS = re.compile(r"timeline\.(record_entry|update_entries|remove_entries)\(")


@pytest.mark.django_db
def test_an_unknown_object_type_is_refused_and_nothing_is_written() -> None:
    message = re.escape("'case_notez' is not in audit/object_types.py")
    with pytest.raises(UnknownObjectType, match=message):
        record_event(actor=None, action=Action.VIEW, object_type="case_notez")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_listed_type_and_no_type_are_written() -> None:
    record_event(actor=None, action=Action.VIEW, object_type="assessment", object_id="x1")
    record_event(actor=None, action=Action.LOGIN)
    assert AuditEvent.objects.count() == 2


def test_every_code_has_a_meaning_and_is_a_code() -> None:
    for code, text in OBJECT_TYPES.items():
        assert re.fullmatch(r"[a-z][a-z_]{1,63}", code), code
        assert len(text) > 5, code
    assert meaning("contact") == OBJECT_TYPES["contact"]
    assert "unknown" in meaning("nothing_like_it")


def _audit_literals(path: Path) -> set[str]:
    """The object_type literals a module passes to the audit (not to the timeline)."""
    text = path.read_text()
    found: set[str] = set()
    for match in _WRITTEN.finditer(text):
        # The call this keyword belongs to: the nearest opening call before it.
        before = text[: match.start()]
        call = max(before.rfind("record_event("), before.rfind("timeline."))
        if call >= 0 and _TIMELINE_CALLS.match(text, call):
            continue
        found.add(match.group(1))
    return found


def test_every_object_type_the_code_writes_is_listed() -> None:
    written = set().union(*(_audit_literals(p) for p in SRC.rglob("*.py")))
    assert written, "the scan found nothing: the pattern is wrong"
    assert written - set(OBJECT_TYPES) == set()
