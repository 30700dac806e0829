"""Metrics settings (env prefix ``METRICS_``); never instantiated at import time."""

from __future__ import annotations

from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import SettingsConfigDict
from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service: ClassVar[str] = "metrics"
    model_config = SettingsConfigDict(env_prefix="METRICS_", extra="ignore", populate_by_name=True)

    port: int = 8040
    timezone: str = "Europe/Berlin"
    max_period_days: int = 731
    default_period_days: int = 30

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
        """The office's time zone: a KPI day is the office's calendar day."""
        return ZoneInfo(self.timezone)
