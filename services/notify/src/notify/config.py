"""Notify settings (env prefix ``NOTIFY_``); never instantiated at import time."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator
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
    smtp_ca_file: str = ""
    email_privacy_mode: bool = True
    sms_gateway_url: str = ""
    sms_token: SecretStr = SecretStr("")
    sms_sender: str = "Lotse"
    sms_region: str = "DE"
    intake_url: str = "http://127.0.0.1:8010"
    team_lead_emails: dict[str, str] = {}
    alert_email: str = ""
    status_rate_per_minute: int = Field(30, ge=1)
    survey_comment_retention_days: int = Field(90, ge=1)
    retention_sweep_s: float = Field(3600.0, gt=0)
    max_body_bytes: int = Field(32_768, ge=1024)

    @field_validator("public_url", "intake_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def status_link(self, tracking_code: str) -> str:
        """The applicant's status page; the code is a secret: never log the result."""
        return f"{self.public_url}/status/{tracking_code}"

    def survey_link(self, survey_id: str) -> str:
        return f"{self.public_url}/survey/{survey_id}"
