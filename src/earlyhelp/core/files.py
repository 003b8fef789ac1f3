"""Attachment storage: type checked by content, size limited, bombs and polyglots refused
(``core.upload_content``), outside the web root.

Files get random names in ``EARLYHELP_PRIVATE_FILES_DIR``; the uploaded name is kept only as
data. They are only ever served by a view that has checked the user may see the record they
belong to (a referral, a case note).

The folders are made ``0700`` and the files ``0600`` whatever the process's umask, so other
accounts on the server cannot read them (decision 0013).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
from django.conf import settings

from earlyhelp.core import upload_content
from earlyhelp.core.errors import InvalidInput, NotFound

ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG image",
    "image/png": "PNG image",
    "image/gif": "GIF image",
    "image/heic": "HEIC image",
    "image/webp": "WebP image",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.ms-excel": "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel spreadsheet",
    "application/vnd.ms-powerpoint": "PowerPoint presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint presentation"
    ),
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
}


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(name: str) -> Path:
    """``EARLYHELP_PRIVATE_FILES_DIR/name``, it and the root readable by the service only."""
    root = Path(settings.EARLYHELP_PRIVATE_FILES_DIR)
    directory = root / name
    for folder in (root, directory):
        folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        # mkdir's mode is narrowed by the umask, and a folder made before this rule kept
        # its old mode: set it outright.
        if folder.stat().st_mode & 0o777 != DIR_MODE:
            folder.chmod(DIR_MODE)
    return directory


def write_private(path: Path, data: bytes) -> None:
    """Write a new private file, ``0600`` from the moment it exists (never an overwrite)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def storage_dir() -> Path:
    return private_dir("attachments")


def path_of(stored_name: str) -> Path:
    # stored_name is always our own uuid hex; refuse anything else outright.
    if len(stored_name) != 32 or not all(c in "0123456789abcdef" for c in stored_name):
        raise ValueError("not a stored file name")
    return storage_dir() / stored_name


def store(upload: IO[bytes], *, field: str = "attachments") -> StoredFile:
    """Check and store one uploaded file; raise InvalidInput (nothing stored) if unacceptable."""
    limit = settings.EARLYHELP_MAX_UPLOAD_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            f"The file must be smaller than {limit // (1024 * 1024)} MB.", field=field
        )
    if not data:
        raise InvalidInput("The selected file is empty.", field=field)
    kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise InvalidInput(
            "The selected file must be a PDF, an image (JPEG, PNG, GIF, HEIC, WebP) "
            "or an Office document.",
            field=field,
        )
    try:
        upload_content.check(data, kind.mime)
    except upload_content.UnsafeContent as exc:
        raise InvalidInput(str(exc), field=field) from None
    stored_name = uuid.uuid4().hex
    write_private(path_of(stored_name), data)
    return StoredFile(
        stored_name=stored_name,
        content_type=kind.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def delete(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)


def open_stored(stored_name: str) -> IO[bytes]:
    """Open a stored file for serving; NotFound if the name is not ours or the file is gone.

    A tampered name in the database, or a file removed from disk (a restore without the
    files), answers 404 rather than a server error.
    """
    try:
        return path_of(stored_name).open("rb")
    except (ValueError, FileNotFoundError):
        raise NotFound() from None
