"""Metrics settings (env prefix ``METRICS_``); never instantiated at import time."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic_settings import SettingsConfigDict
from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service: ClassVar[str] = "metrics"
    model_config = SettingsConfigDict(env_prefix="METRICS_", extra="ignore", populate_by_name=True)

    port: int = 8040
    max_period_days: int = 731
    default_period_days: int = 30
    targets_file: Path | None = None
    alert_rules_file: Path | None = None
    alert_interval_seconds: float = 300.0
    forecast_weeks: int = 8
    expiry_conversion: float = 1.0
