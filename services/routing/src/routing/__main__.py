"""Run routing: ``python -m routing`` or ``lotse-routing``."""

from __future__ import annotations

from shared.serve import serve

from routing.config import Settings
from routing.entrypoints.app import create_app


def main() -> None:
    serve(Settings(), create_app)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
