"""Notify settings (env prefix ``NOTIFY_``); never instantiated at import time."""

from __future__ import annotations

from typing import ClassVar

from pydantic import SecretStr, field_validator
from pydantic_settings import SettingsConfigDict
from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service: ClassVar[str] = "notify"
    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore", populate_by_name=True)

    port: int = 8030
    public_url: str = "http://127.0.0.1:8030"
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_sender: str = "lotse@localhost"
    smtp_timeout_s: float = 10.0
    email_privacy_mode: bool = True

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def status_link(self, tracking_code: str) -> str:
        """The applicant's status page; the code is a secret: never log the result."""
        return f"{self.public_url}/status/{tracking_code}"
