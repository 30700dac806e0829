"""What every use case is given: catalogue, clock, secret, blob store, limits, id makers."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shared.http import UnavailableError

from intake.domain.attachments import Limits, StoredAttachment, Upload, check_uploads
from intake.domain.catalogue import Catalogue
from intake.domain.ticket import new_ticket
from intake.service_layer.ports import BlobStore, BlobStoreUnavailableError

log = logging.getLogger(__name__)
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


class UploadNotStoredError(UnavailableError):
    """An upload could not be stored; the request was not accepted (nothing of it kept)."""

    def __init__(self, upload: Upload, cause: BlobStoreUnavailableError) -> None:
        detail = (
            f"{upload.field} was not stored: the attachment store {cause.reason}; "
            "nothing of this request was kept; try again later"
        )
        super().__init__(
            detail, field=upload.field, status=cause.status, retry_after=cause.retry_after
        )


async def store_uploads(uploads: Sequence[Upload], ctx: Context) -> list[StoredAttachment]:
    """Check every upload (type by content, sizes, count), then put them in the blob store.

    All or nothing: if one cannot be stored, those already stored are removed again.
    """
    types = check_uploads(uploads, ctx.limits)
    stored: list[StoredAttachment] = []
    try:
        for upload, content_type in zip(uploads, types, strict=True):
            try:
                document_id, digest = await ctx.blobs.put(upload.data)
            except BlobStoreUnavailableError as exc:
                raise UploadNotStoredError(upload, exc) from exc
            stored.append(
                StoredAttachment(document_id, upload.kind, digest, len(upload.data), content_type)
            )
    except BaseException:
        await discard_uploads(stored, ctx)
        raise
    return stored


def outcome_unknown(error: BaseException) -> bool:
    """Whether a failed transaction may have committed all the same (its connection broke)."""
    broken = bool(getattr(error, "connection_invalidated", False))
    return broken or isinstance(error, ConnectionError | asyncio.CancelledError)


async def discard_uploads(stored: Sequence[StoredAttachment], ctx: Context) -> None:
    """Remove the blobs of a request that was not accepted; none may outlive it unreferenced."""
    for attachment in stored:
        try:
            await ctx.blobs.delete(attachment.document_id)
        except BlobStoreUnavailableError:
            # the id is random, never personal data; the operator can remove the orphan
            log.warning(
                "unreferenced upload not removed", extra={"document": attachment.document_id}
            )
