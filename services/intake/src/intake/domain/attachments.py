"""Attachments: PDF, JPEG and PNG only, recognised by their first bytes, within size limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

OTHER = "other"
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


class AttachmentError(ValueError):
    """An attachment is refused; ``field`` names the part, the message says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_application_bytes: int
    max_files: int


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: the document kind it is for and its bytes."""

    field: str
    kind: str
    data: bytes


@dataclass(frozen=True)
class StoredAttachment:
    document_id: str
    kind: str
    sha256: str
    size: int
    content_type: str


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None if not PDF, JPEG or PNG."""
    for magic, content_type in _MAGIC:
        if data.startswith(magic):
            return content_type
    return None


def check_uploads(uploads: Sequence[Upload], limits: Limits) -> list[str]:
    """The content type of each upload; ``AttachmentError`` for the first one refused."""
    if len(uploads) > limits.max_files:
        raise AttachmentError("documents", f"at most {limits.max_files} files per submission")
    total = 0
    types = []
    for upload in uploads:
        if not upload.data:
            raise AttachmentError(upload.field, "the file is empty")
        if len(upload.data) > limits.max_file_bytes:
            raise AttachmentError(upload.field, f"larger than {limits.max_file_bytes} bytes")
        total += len(upload.data)
        if total > limits.max_application_bytes:
            msg = f"all files together exceed {limits.max_application_bytes} bytes"
            raise AttachmentError(upload.field, msg)
        content_type = sniff(upload.data)
        if content_type is None:
            raise AttachmentError(upload.field, "only PDF, JPEG or PNG files (checked by content)")
        types.append(content_type)
    return types
