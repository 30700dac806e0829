"""Attachment bytes in a NATS JetStream object store bucket (the BlobStore port)."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import nats.errors
from faststream.exceptions import IncorrectState
from nats.js import JetStreamContext
from nats.js.api import ObjectStoreConfig, StorageType
from nats.js.errors import (
    BucketNotFoundError,
    NotFoundError,
    ObjectDeletedError,
    ObjectNotFoundError,
)
from nats.js.object_store import ObjectStore

from intake.service_layer.ports import BlobStoreUnavailableError

_ID = re.compile(r"^[0-9a-f]{32}$")
# NATS down or reconnecting: a refused socket, a request timing out, no broker connection yet
NATS_DOWN = (OSError, TimeoutError, nats.errors.Error, IncorrectState)
T = TypeVar("T")


async def _reachable(call: Awaitable[T]) -> T:
    try:
        return await call
    except (ObjectNotFoundError, ObjectDeletedError):
        raise
    except NATS_DOWN as exc:
        raise BlobStoreUnavailableError("is unreachable (NATS)") from exc


class NatsObjectBlobStore:
    """One object per document id in ``bucket`` (file storage, ``replicas`` copies)."""

    def __init__(
        self, jetstream: Callable[[], JetStreamContext], bucket: str, replicas: int = 1
    ) -> None:
        self._jetstream = jetstream
        self.bucket = bucket
        self._replicas = replicas
        self._store: ObjectStore | None = None

    async def _bucket(self) -> ObjectStore:
        if self._store is None:
            try:
                js = self._jetstream()
                try:
                    self._store = await js.object_store(self.bucket)
                except (BucketNotFoundError, NotFoundError):
                    config = ObjectStoreConfig(
                        bucket=self.bucket, storage=StorageType.FILE, replicas=self._replicas
                    )
                    self._store = await js.create_object_store(self.bucket, config=config)
            except (*NATS_DOWN, AttributeError) as exc:
                raise BlobStoreUnavailableError("is unreachable (NATS)") from exc
        return self._store

    async def put(self, data: bytes) -> tuple[str, str]:
        document_id = uuid.uuid4().hex
        store = await self._bucket()
        try:
            await _reachable(store.put(document_id, data))
        except BlobStoreUnavailableError:
            # chunks already written must not outlive the failed upload
            await _forget(store, document_id)
            raise
        return document_id, hashlib.sha256(data).hexdigest()

    async def get(self, document_id: str) -> bytes | None:
        if not _ID.match(document_id):
            return None
        store = await self._bucket()
        try:
            result = await _reachable(store.get(document_id))
        except (ObjectNotFoundError, ObjectDeletedError):
            return None
        return result.data

    async def delete(self, document_id: str) -> None:
        if not _ID.match(document_id):
            return
        store = await self._bucket()
        try:
            await _reachable(store.delete(document_id))
        except (ObjectNotFoundError, ObjectDeletedError):
            return


async def _forget(store: ObjectStore, document_id: str) -> None:
    """Best effort: NATS may be down; the chunks then stay unreferenced until it is back."""
    try:
        await store.delete(document_id)
    except (*NATS_DOWN, ObjectNotFoundError, ObjectDeletedError):
        return
