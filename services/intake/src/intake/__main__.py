"""Run intake: ``python -m intake`` or ``lotse-intake``."""

from __future__ import annotations

from shared.serve import serve

from intake.config import Settings
from intake.entrypoints.app import create_app


def main() -> None:
    serve(Settings(), create_app)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
