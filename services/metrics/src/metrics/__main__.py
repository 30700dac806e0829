"""Run metrics: ``python -m metrics`` or ``lotse-metrics``."""

from __future__ import annotations

from shared.serve import serve

from metrics.config import Settings
from metrics.entrypoints.app import create_app


def main() -> None:
    serve(Settings(), create_app)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
