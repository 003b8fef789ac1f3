"""core.files.open_stored: a stored file opens; a tampered or missing one is a 404, not a 500."""

from __future__ import annotations

import io

import pytest

from earlyhelp.core import files
from earlyhelp.core.errors import NotFound

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_stored_file_opens(settings, tmp_path):
    settings.EARLYHELP_PRIVATE_FILES_DIR = tmp_path
    stored = files.store(io.BytesIO(PDF))
    with files.open_stored(stored.stored_name) as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize("name", ["../../etc/passwd", "", "0" * 31 + "/", "A" * 32])
def test_a_name_that_is_not_ours_is_not_found(settings, tmp_path, name):
    settings.EARLYHELP_PRIVATE_FILES_DIR = tmp_path
    with pytest.raises(NotFound):
        files.open_stored(name)


def test_a_file_gone_from_disk_is_not_found(settings, tmp_path):
    settings.EARLYHELP_PRIVATE_FILES_DIR = tmp_path
    stored = files.store(io.BytesIO(PDF))
    files.delete(stored.stored_name)
    with pytest.raises(NotFound):
        files.open_stored(stored.stored_name)
