"""Run notify: ``python -m notify`` or ``lotse-notify``."""

from __future__ import annotations

from shared.serve import serve

from notify.config import Settings
from notify.entrypoints.app import create_app


def main() -> None:
    serve(Settings(), create_app)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
