"""Wire intake once: runtime, catalogue, unit of work, blob store, secret and clock."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.auth import Authenticator, PartnerKeys, build_authenticator
from shared.runtime import Runtime, build_runtime

from intake.adapters.audit_log import SqlAuditLog
from intake.adapters.blobstore import FileBlobStore
from intake.adapters.blobstore_nats import NatsObjectBlobStore
from intake.adapters.catalogue_file import load_catalogue
from intake.adapters.streams import NatsStreamScrubber
from intake.catalogue import DEFAULT_CATALOGUE
from intake.config import Settings
from intake.domain.attachments import Limits
from intake.domain.catalogue import Catalogue
from intake.service_layer.context import Context
from intake.service_layer.erasure import Eraser
from intake.service_layer.group_commit import GroupCommit
from intake.service_layer.ports import BlobStore, StreamScrubber, UnitOfWork
from intake.service_layer.unit_of_work import SqlIntakeUnitOfWork

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


def load_secret(settings: Settings) -> bytes:
    """``INTAKE_SECRET``, else a random one kept in ``var/intake/secret`` (mode 0600)."""
    if settings.secret is not None:
        return settings.secret.get_secret_value().encode()
    path = settings.var_dir / "intake" / "secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def blob_store(settings: Settings, runtime: Runtime) -> BlobStore:
    """Files under ``var/`` or a NATS object store bucket, by ``INTAKE_BLOB_STORE``."""
    if settings.blob_store == "nats":
        bucket = (
            f"{runtime.ns.prefix}_{settings.blob_bucket}"
            if runtime.ns.prefix
            else settings.blob_bucket
        )
        return NatsObjectBlobStore(runtime.jetstream, bucket, settings.stream_replicas)
    return FileBlobStore(settings.blob_path())


@dataclass
class Container:
    settings: Settings
    runtime: Runtime
    catalogue: Catalogue
    uow: Callable[[], UnitOfWork]
    clock: Callable[[], datetime]
    blobs: BlobStore
    secret: bytes
    auth: Authenticator
    partners: PartnerKeys
    streams: StreamScrubber
    audit_log: SqlAuditLog
    group_commit: GroupCommit = field(init=False)

    def __post_init__(self) -> None:
        self.group_commit = GroupCommit(self.uow, self.context)

    def eraser(self) -> Eraser:
        return Eraser(blobs=self.blobs, streams=self.streams, clock=self.clock)

    def catalogue_path(self) -> Path:
        return self.settings.catalogue_path or DEFAULT_CATALOGUE

    def context(self) -> Context:
        s = self.settings
        return Context(
            catalogue=self.catalogue,
            clock=self.clock,
            secret=self.secret,
            duplicate_window=timedelta(days=s.duplicate_window_days),
            blobs=self.blobs,
            limits=Limits(s.max_file_bytes, s.max_application_bytes, s.max_files),
        )


def build(settings: Settings, **overrides: Any) -> Container:
    """The container of dependencies; ``overrides`` replace any of them (tests use fakes)."""
    runtime: Runtime = overrides.pop("runtime", None) or build_runtime(
        settings, migrations=MIGRATIONS
    )
    catalogue = overrides.pop("catalogue", None) or load_catalogue(
        settings.catalogue_path or DEFAULT_CATALOGUE
    )

    def sql_uow() -> UnitOfWork:
        return SqlIntakeUnitOfWork(runtime.sessions, runtime.ns, on_commit=runtime.relay.wake)

    defaults: dict[str, Any] = {"uow": sql_uow, "clock": utc_now}
    defaults.update(overrides)
    if "blobs" not in defaults:
        defaults["blobs"] = blob_store(settings, runtime)
    if "secret" not in defaults:
        defaults["secret"] = load_secret(settings)
    defaults.setdefault("audit_log", SqlAuditLog(runtime.sessions))
    defaults.setdefault("auth", build_authenticator(settings))
    defaults.setdefault("partners", PartnerKeys.load(settings.partner_keys_file))
    if "streams" not in defaults:
        defaults["streams"] = NatsStreamScrubber(
            runtime.jetstream, runtime.ns, settings.inbound_name, defaults["secret"]
        )
    return Container(settings=settings, runtime=runtime, catalogue=catalogue, **defaults)
