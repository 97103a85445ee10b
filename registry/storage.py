"""Uploaded evidence files: checked by content, stored outside the web root (FILE-01..03)."""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from werkzeug.utils import secure_filename

from registry.errors import ValidationFailed

log = logging.getLogger(__name__)

# The leading bytes of each allowed type (FILE-02): the name and the browser's claim are ignored.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
}
MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """Where an upload was put, what it is, and its SHA-256."""

    path: str
    sha256: str
    content_type: str
    original_name: str
    size: int


def sniff(head: bytes) -> str | None:
    """The content type from the file's first bytes, or None if it is not PDF, PNG or JPEG."""
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def stored_type(path: Path) -> str:
    """The type of a stored file, detected from its first bytes (never from its name)."""
    with path.open("rb") as stored:
        return sniff(stored.read(8)) or "application/octet-stream"


def download_name(filename: str, content_type: str) -> str:
    """The name to offer a download under: the kept name, with an extension matching its type."""
    allowed = EXTENSIONS.get(content_type)
    if not allowed or extension_matches(filename, content_type):
        return filename
    return (Path(filename).stem or "download") + allowed[0]


def extension_matches(filename: str, content_type: str) -> bool:
    """True when the file name's extension is one of those allowed for the sniffed type."""
    suffix = Path(filename).suffix.lower()
    return suffix in EXTENSIONS.get(content_type, ())


def read_upload(stream: BinaryIO, *, field: str = "file") -> tuple[bytes, str]:
    """The upload's bytes and sniffed type; raises ValidationFailed if empty, too big or wrong."""
    data = stream.read(MAX_BYTES + 1)
    if not data:
        raise ValidationFailed("The selected file is empty", field)
    if len(data) > MAX_BYTES:
        raise ValidationFailed("The selected file must be smaller than 10MB", field)
    content_type = sniff(data[:8])
    if content_type is None:
        raise ValidationFailed("The selected file must be a PDF, PNG or JPEG", field)
    return data, content_type


def store_upload(stream: BinaryIO, filename: str, root: Path, *, field: str = "file") -> StoredFile:
    """Check and store an upload under a random name; raises ValidationFailed if unacceptable."""
    data, content_type = read_upload(stream, field=field)
    return write_upload(data, content_type, filename, root)


def write_upload(
    data: bytes, content_type: str, filename: str, root: Path, *, field: str = "file"
) -> StoredFile:
    """Write checked bytes under a random name in root; the original name is kept as metadata.

    Written to a temporary name, flushed to disk and renamed, so a full disk or an unwritable
    folder leaves no partial file: the temporary file is removed and ValidationFailed says the
    file could not be saved (issue 13). The caller adds its row only after this returns.
    """
    name = uuid.uuid4().hex
    partial = root / f".{name}.part"
    try:
        root.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, root / name)
    except OSError as error:
        partial.unlink(missing_ok=True)
        log.error(
            "upload.write_failed",
            extra={"errno": errno.errorcode.get(error.errno or 0, "unknown"), "bytes": len(data)},
        )
        raise ValidationFailed(
            "The file could not be saved because the document store is full or unavailable. "
            "Try again later; if it happens again, tell the register team",
            field,
        ) from error
    return StoredFile(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        content_type=content_type,
        original_name=secure_filename(filename)[:200] or "upload",
        size=len(data),
    )


def discard_upload(root: Path, name: str) -> None:
    """Remove a stored file whose database row was not committed (no file without its row)."""
    (root / name).unlink(missing_ok=True)
