"""What is inside an uploaded file, beyond its first bytes (issue 12, item 18).

``core.files`` names a file's type from its opening bytes; that alone let two kinds of file
through. A **decompression bomb** is small on the wire and huge once opened: an image that
declares a billion pixels, an Office document (a zip) that inflates to gigabytes. It harms
whoever opens it later: the service's PDF rendering, a practitioner's laptop, a partner's
viewer. A **polyglot** is two files in one: a valid image or PDF that is also a zip (a GIFAR,
a PDF with an archive after its end) or that carries markup a browser may run. Both are
refused here, before anything is stored. Formats this code cannot inspect (HEIC, the old
binary Office formats) pass on the size limit alone.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile

from PIL import Image

# An image bigger than this is not a photo or a scan of a letter (a 48-megapixel phone photo
# is 8000 x 6000).
MAX_IMAGE_PIXELS = 64_000_000
# An Office document that opens to more than this, or inflates more than MAX_RATIO times
# overall, is refused; real documents inflate 2 to 20 times.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_ENTRIES = 5_000

ZIP_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
    }
)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})

# The end-of-central-directory record that ends every zip (and so every JAR or APK): found
# near the end of a file that is not a zip, something was appended to it.
_ZIP_END = b"PK\x05\x06"
_ZIP_END_WINDOW = 22 + 65_535
# Markup a browser would run if it ever sniffed the file as HTML or SVG.
_MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed)\b|<\?php", re.I)
_PDF_END = re.compile(rb"%%EOF\s*\Z")


class UnsafeContent(ValueError):
    """The file is refused; the message is safe to show (it never quotes the file)."""


def check(data: bytes, mime: str) -> None:
    """Raise UnsafeContent if the file of type ``mime`` is a bomb or a polyglot."""
    if mime in ZIP_TYPES:
        _check_office_container(data)
        return
    if _ZIP_END in data[-_ZIP_END_WINDOW:]:
        raise UnsafeContent("The file has an archive hidden inside it.")
    if mime in IMAGE_TYPES:
        _check_image(data)
    elif mime == "application/pdf" and not _PDF_END.search(data[-1024:]):
        raise UnsafeContent("The PDF has something added after its end.")


def _check_image(data: bytes) -> None:
    if _MARKUP.search(data):
        raise UnsafeContent("The image contains web page code.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UnsafeContent("The image is too large to open safely.")
                image.verify()
    except UnsafeContent:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsafeContent("The image is too large to open safely.") from None
    except Exception:  # Pillow raises many types for a damaged file
        raise UnsafeContent("The image is damaged and cannot be opened.") from None


def _check_office_container(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeContent("The document is damaged and cannot be opened.") from None
    if len(entries) > MAX_ENTRIES:
        raise UnsafeContent("The document has too many parts to open safely.")
    if min((entry.header_offset for entry in entries), default=0) != 0:
        raise UnsafeContent("The document has something hidden before it.")
    unpacked = sum(entry.file_size for entry in entries)
    packed = max(1, sum(entry.compress_size for entry in entries))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise UnsafeContent("The document is too large to open safely.")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise UnsafeContent("The document is password-protected; send it without a password.")
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names and "mimetype" not in names:
        raise UnsafeContent("The document is damaged and cannot be opened.")
