"""Routing settings (env prefix ``ROUTING_``); never instantiated at import time."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import SettingsConfigDict
from shared.settings import ServiceSettings

DEFAULT_RULES = Path(__file__).resolve().parent / "rules" / "priority.yaml"


class Settings(ServiceSettings):
    service: ClassVar[str] = "routing"
    model_config = SettingsConfigDict(env_prefix="ROUTING_", extra="ignore", populate_by_name=True)

    port: int = 8020
    rules_path: Path = DEFAULT_RULES
    timezone: str = "Europe/Berlin"

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
        """The office's time zone: 'within N days' counts the office's calendar days."""
        return ZoneInfo(self.timezone)
