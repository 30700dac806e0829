"""Routing settings (env prefix ``ROUTING_``); never instantiated at import time."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict
from shared.settings import ServiceSettings

DEFAULT_RULES = Path(__file__).resolve().parent / "rules" / "priority.yaml"
DEFAULT_OFFICE = Path(__file__).resolve().parent / "rules" / "office.yaml"


class Settings(ServiceSettings):
    service: ClassVar[str] = "routing"
    model_config = SettingsConfigDict(env_prefix="ROUTING_", extra="ignore", populate_by_name=True)

    port: int = 8020
    rules_path: Path = DEFAULT_RULES
    office_path: Path = Field(DEFAULT_OFFICE, description="appointment calendars and roster")
    land: str = Field("BW", pattern=r"^[A-Z]{2}$", description="German Land of the office")
    timer_interval_s: float = Field(1.0, gt=0, le=300, description="clock alarm scan period")
    stream_interval_s: float = Field(0.5, gt=0, le=10, description="live queue poll period")
    stream_key: SecretStr | None = Field(
        None,
        min_length=32,
        description="signs live-queue stream tickets; replicas behind one address need the "
        "same key (unset: a random key per process)",
    )
