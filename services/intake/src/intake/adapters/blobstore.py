"""Attachment bytes as files under ``var/intake/blobs`` (the BlobStore port)."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import re
import uuid
from pathlib import Path

from intake.service_layer.ports import BlobStoreUnavailableError

_ID = re.compile(r"^[0-9a-f]{32}$")
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


class FileBlobStore:
    """One file per document id; written to a temporary name, then renamed (never half a file)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def put(self, data: bytes) -> tuple[str, str]:
        document_id = uuid.uuid4().hex
        digest = hashlib.sha256(data).hexdigest()
        try:
            await asyncio.to_thread(self._write, document_id, data)
        except OSError as exc:
            raise _unavailable(exc) from exc
        return document_id, digest

    async def get(self, document_id: str) -> bytes | None:
        if not _ID.match(document_id):
            return None
        path = self._path(document_id)
        try:
            return await asyncio.to_thread(lambda: path.read_bytes() if path.exists() else None)
        except OSError as exc:
            raise _unavailable(exc) from exc

    async def delete(self, document_id: str) -> None:
        if not _ID.match(document_id):
            return
        try:
            await asyncio.to_thread(self._path(document_id).unlink, missing_ok=True)
        except OSError as exc:
            raise _unavailable(exc) from exc

    def _path(self, document_id: str) -> Path:
        return self.root / document_id[:2] / document_id

    def _write(self, document_id: str, data: bytes) -> None:
        path = self._path(document_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        try:
            partial.write_bytes(data)
            partial.replace(path)
        except OSError:
            partial.unlink(missing_ok=True)  # a full disk leaves no half file behind
            raise


def _unavailable(error: OSError) -> BlobStoreUnavailableError:
    if error.errno in _FULL:
        return BlobStoreUnavailableError("is full", full=True)
    return BlobStoreUnavailableError(f"failed ({errno.errorcode.get(error.errno or 0, 'I/O')})")
