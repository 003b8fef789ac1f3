"""Bad or missing encryption keys are reported by the system check at start-up."""

from __future__ import annotations

from earlyhelp.core.checks import check_encryption_keys
from earlyhelp.core.encryption import generate_key_line


def test_configured_keys_pass() -> None:
    assert check_encryption_keys() == []


def test_a_missing_or_malformed_key_is_a_start_up_error(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EARLYHELP_FIELD_KEYS = []
    [error] = check_encryption_keys()
    assert error.id == "earlyhelp.E002" and "No field encryption key" in error.msg

    settings.EARLYHELP_FIELD_KEYS = [generate_key_line("f1")]
    settings.EARLYHELP_BLIND_INDEX_KEYS = ["i1:too-short"]
    [error] = check_encryption_keys()
    assert "EARLYHELP_BLIND_INDEX_KEYS entry 1 (i1)" in error.msg
