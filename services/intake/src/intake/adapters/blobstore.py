"""Attachment bytes as files under ``var/intake/blobs`` (the BlobStore port)."""

from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from pathlib import Path

_ID = re.compile(r"^[0-9a-f]{32}$")


class FileBlobStore:
    """One file per document id; written to a temporary name, then renamed (never half a file)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def put(self, data: bytes) -> tuple[str, str]:
        document_id = uuid.uuid4().hex
        digest = hashlib.sha256(data).hexdigest()
        await asyncio.to_thread(self._write, document_id, data)
        return document_id, digest

    async def get(self, document_id: str) -> bytes | None:
        if not _ID.match(document_id):
            return None
        path = self._path(document_id)
        return await asyncio.to_thread(lambda: path.read_bytes() if path.exists() else None)

    async def delete(self, document_id: str) -> None:
        if _ID.match(document_id):
            await asyncio.to_thread(self._path(document_id).unlink, missing_ok=True)

    def _path(self, document_id: str) -> Path:
        return self.root / document_id[:2] / document_id

    def _write(self, document_id: str, data: bytes) -> None:
        path = self._path(document_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)
