"""Intake settings (env prefix ``INTAKE_``); never instantiated at import time."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict
from shared.settings import ServiceSettings

MIB = 1024 * 1024


class Settings(ServiceSettings):
    service: ClassVar[str] = "intake"
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore", populate_by_name=True)

    port: int = 8010
    status_base_url: str = "http://127.0.0.1:8030"
    catalogue_path: Path | None = None
    catalogue_reload_seconds: float = Field(5.0, ge=0)
    secret: SecretStr | None = None
    duplicate_window_days: int = Field(90, ge=0, le=3650)
    inbound_name: str = Field("applications", pattern=r"^[a-z][a-z0-9_]{0,40}$")
    blob_store: Literal["files", "nats"] = "files"
    blob_dir: Path | None = None
    blob_bucket: str = Field("intake_blobs", pattern=r"^[A-Za-z0-9_-]{1,64}$")
    retention_check_seconds: float = Field(3600.0, ge=0)
    max_file_bytes: int = Field(10 * MIB, ge=1)
    max_application_bytes: int = Field(25 * MIB, ge=1)
    max_files: int = Field(20, ge=0, le=200)
    smtp_port: int = Field(2525, ge=0, le=65535)
    smtp_host: str = "127.0.0.1"
    outbox_alert_pending: int = Field(1000, ge=1)
    outbox_alert_age_seconds: float = Field(300.0, gt=0)
    outbox_check_seconds: float = Field(15.0, ge=0)

    @field_validator("status_base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def blob_path(self) -> Path:
        return self.blob_dir or self.var_dir / "intake" / "blobs"
