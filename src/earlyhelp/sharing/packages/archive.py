"""The encrypted zip of a disclosure package, its passphrase, and where it is kept.

The zip is AES-256 (WinZip AES, ``pyzipper``): the PDF plus the attachments, under generic
member names (zip member names are not encrypted, so they never carry an uploaded name).
The passphrase is 24 random base32 characters (120 bits) in groups of four; it is returned
to the caller once and never written anywhere. Zips live in ``EARLYHELP_PRIVATE_FILES_DIR``
under ``packages/`` with random names, until the purge deletes them.
"""

from __future__ import annotations

import io
import secrets
import uuid
from collections.abc import Iterable
from pathlib import Path

import pyzipper
from django.conf import settings

from earlyhelp.core import files

# RFC 4648 base32: no 0, 1, 8 or 9, so nothing is confused with O, I, L or B when read out.
PASSPHRASE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # noqa: S105  (an alphabet)
PASSPHRASE_GROUPS = 6
GROUP_LENGTH = 4
PDF_NAME = "disclosure.pdf"


def new_passphrase() -> str:
    """A fresh passphrase such as ``K7QD-M2XA-...`` (6 groups of 4: 120 random bits)."""
    groups = (
        "".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(GROUP_LENGTH))
        for _ in range(PASSPHRASE_GROUPS)
    )
    return "-".join(groups)


def build_zip(*, passphrase: str, pdf: bytes, attachments: Iterable[tuple[str, bytes]]) -> bytes:
    """The AES-256 encrypted zip holding the PDF and ``(member name, content)`` pairs."""
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(
        buffer, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(passphrase.encode("ascii"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(PDF_NAME, pdf)
        for name, content in attachments:
            archive.writestr(name, content)
    return buffer.getvalue()


def storage_dir() -> Path:
    directory = Path(settings.EARLYHELP_PRIVATE_FILES_DIR) / "packages"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def path_of(stored_name: str) -> Path:
    # Always our own uuid hex; refuse anything else outright.
    if len(stored_name) != 32 or not all(c in "0123456789abcdef" for c in stored_name):
        raise ValueError("not a stored package name")
    return storage_dir() / stored_name


def store(data: bytes) -> str:
    stored_name = uuid.uuid4().hex
    path_of(stored_name).write_bytes(data)
    return stored_name


def read(stored_name: str) -> bytes:
    return path_of(stored_name).read_bytes()


def delete(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def attachment_bytes(stored_name: str) -> bytes:
    """A case note attachment's content, from core.files storage."""
    return files.path_of(stored_name).read_bytes()
