"""Decompression bombs and polyglots are refused before anything is stored; ordinary photos,
scans and documents are not (issue 12, item 18)."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from earlyhelp.core import files
from earlyhelp.core.errors import InvalidInput

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _image(fmt: str, size: tuple[int, int] = (640, 480), **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 180, 160)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compress) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx(body: bytes) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types></Types>',
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": body,
        }
    )


def _stored_files() -> list[str]:
    return [path.name for path in files.storage_dir().iterdir()]


def _store(data: bytes) -> files.StoredFile:
    return files.store(SimpleUploadedFile("upload", data))


@pytest.fixture(autouse=True)
def _private_dir(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.EARLYHELP_PRIVATE_FILES_DIR = str(tmp_path)


@pytest.mark.parametrize(
    "data, mime",
    [
        (_image("PNG"), "image/png"),
        (_image("JPEG"), "image/jpeg"),
        (_image("GIF"), "image/gif"),
        (_image("WEBP"), "image/webp"),
        (PDF, "application/pdf"),
        (_docx(os.urandom(4000) + b"<w:document/>" * 200), None),
    ],
)
def test_ordinary_files_are_stored(data: bytes, mime: str | None) -> None:
    stored = _store(data)
    assert mime is None or stored.content_type == mime
    assert stored.stored_name in _stored_files()


def _refused(data: bytes, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as caught:
        _store(data)
    assert caught.value.field == "attachments"
    assert not _stored_files()


def test_an_image_declaring_too_many_pixels_is_refused() -> None:
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, format="PNG")  # 81 megapixels, a few kB
    assert len(buffer.getvalue()) < 200_000
    _refused(buffer.getvalue(), "too large")


def test_a_document_that_inflates_a_hundredfold_is_refused() -> None:
    bomb = _docx(b"\x00" * (30 * 1024 * 1024))  # 30 MB of zeros packs to about 30 kB
    assert len(bomb) < 100_000
    _refused(bomb, "too large")


def test_an_image_with_an_archive_appended_is_refused() -> None:
    gifar = _image("GIF") + _zip({"Payload.class": b"\xca\xfe\xba\xbe" + b"\x00" * 64})
    _refused(gifar, "archive")


def test_a_pdf_with_something_after_its_end_is_refused() -> None:
    _refused(PDF + b"<html><script>alert(1)</script></html>", "after its end")
    _refused(PDF + _zip({"a.txt": b"hello"}), "archive")


def test_an_image_carrying_web_page_code_is_refused() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>fetch('/api/v1/caseload')</script>")
    _refused(_image("PNG", pnginfo=info), "web page code")


def test_a_damaged_image_is_refused() -> None:
    png = _image("PNG")
    _refused(png[:200], "damaged")


def test_a_document_with_data_before_it_is_refused() -> None:
    # A zip that is also something else at its start (filetype still sees the zip inside).
    docx = _docx(b"<w:document/>" * 50)
    with pytest.raises(InvalidInput):
        _store(b"PK\x03\x04" + b"\x00" * 26 + docx)
    assert not _stored_files()


def test_a_password_protected_document_is_refused() -> None:
    docx = bytearray(_docx(b"<w:document/>" * 50))
    # Set the "encrypted" flag on every entry's local and central header.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := docx.find(signature, start)) != -1:
            docx[start + offset] |= 0x1
            start += 4
    _refused(bytes(docx), "password")
