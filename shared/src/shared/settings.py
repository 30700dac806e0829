"""Settings every service shares; each service subclasses with its own env prefix and port."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.messaging.topology import DeliveryPolicy, StreamPolicy
from shared.subjects import Namespace


class ServiceSettings(BaseSettings):
    """Shared by all services: ``NATS_URL``, ``LOTSE_*``; the rest comes with the service prefix."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)
    service: ClassVar[str] = "lotse"

    nats_url: str = Field("nats://127.0.0.1:4222", validation_alias="NATS_URL")
    namespace: str = Field("", validation_alias="LOTSE_NAMESPACE")
    var_dir: Path = Field(Path("var"), validation_alias="LOTSE_VAR_DIR")
    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")
    stream_replicas: int = Field(1, ge=1, le=5, validation_alias="LOTSE_STREAM_REPLICAS")
    max_deliver: int = Field(6, ge=1, le=100, validation_alias="LOTSE_MAX_DELIVER")
    ack_wait_s: float = Field(30.0, gt=0, le=3600, validation_alias="LOTSE_ACK_WAIT_SECONDS")
    public_base_url: str = Field("", validation_alias="LOTSE_PUBLIC_BASE_URL")
    timezone: str = Field("Europe/Berlin", validation_alias="LOTSE_TIMEZONE")
    auth_mode: Literal["dev", "oidc"] = Field("dev", validation_alias="LOTSE_AUTH")
    oidc_issuer: str = Field("", validation_alias="LOTSE_OIDC_ISSUER")
    oidc_audience: str = Field("", validation_alias="LOTSE_OIDC_AUDIENCE")
    oidc_jwks_url: str = Field("", validation_alias="LOTSE_OIDC_JWKS_URL")
    oidc_public_key: str = Field("", validation_alias="LOTSE_OIDC_PUBLIC_KEY")
    partner_keys_file: Path | None = Field(None, validation_alias="LOTSE_PARTNER_KEYS_FILE")

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = ""
    migrate_on_start: bool = True

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            msg = f"unknown time zone {value!r}"
            raise ValueError(msg) from exc
        return value

    def zone(self) -> ZoneInfo:
        """The office's time zone: its calendar days, deadlines and opening hours."""
        return ZoneInfo(self.timezone)

    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file under ``var/`` named after the service."""
        return self.database_url or f"sqlite:///{self.var_dir / (self.service + '.db')}"

    def nats_servers(self) -> list[str]:
        """``NATS_URL`` may name several cluster nodes, comma-separated."""
        return [url.strip() for url in self.nats_url.split(",") if url.strip()]

    def ns(self) -> Namespace:
        return Namespace(self.namespace)

    def stream_policy(self) -> StreamPolicy:
        return StreamPolicy(replicas=self.stream_replicas)

    def delivery_policy(self) -> DeliveryPolicy:
        return DeliveryPolicy(max_deliver=self.max_deliver, ack_wait_s=self.ack_wait_s)

    def base_url(self) -> str:
        return self.public_base_url or f"http://{self.host}:{self.port}"
