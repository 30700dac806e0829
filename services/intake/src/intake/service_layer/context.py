"""What every use case is given: catalogue, clock, secret, blob store, limits, id makers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from intake.domain.attachments import Limits, StoredAttachment, Upload, check_uploads
from intake.domain.catalogue import Catalogue
from intake.domain.ticket import new_ticket
from intake.service_layer.ports import BlobStore

DEFAULT_LIMITS = Limits(max_file_bytes=10 << 20, max_application_bytes=25 << 20, max_files=20)


class _NoBlobs:
    async def put(self, data: bytes) -> tuple[str, str]:
        msg = "no blob store configured"
        raise RuntimeError(msg)

    async def get(self, document_id: str) -> bytes | None:
        return None

    async def delete(self, document_id: str) -> None:
        return None


def _new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Context:
    """Real collaborators from bootstrap, fixed ones in tests."""

    catalogue: Catalogue
    clock: Callable[[], datetime]
    new_ticket: Callable[[], str] = new_ticket
    new_case_id: Callable[[], str] = _new_id
    secret: bytes = b"test-secret"
    duplicate_window: timedelta = timedelta(days=90)
    blobs: BlobStore = field(default_factory=_NoBlobs)
    limits: Limits = DEFAULT_LIMITS


async def store_uploads(uploads: Sequence[Upload], ctx: Context) -> list[StoredAttachment]:
    """Check every upload (type by content, sizes, count), then put them in the blob store."""
    types = check_uploads(uploads, ctx.limits)
    stored = []
    for upload, content_type in zip(uploads, types, strict=True):
        document_id, digest = await ctx.blobs.put(upload.data)
        stored.append(
            StoredAttachment(document_id, upload.kind, digest, len(upload.data), content_type)
        )
    return stored
