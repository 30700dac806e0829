"""``python -m metrics.replay``: rebuild the projection from the streams into a fresh store."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

from metrics.config import Settings
from metrics.entrypoints.replay import ReplayReport, StoreNotEmptyError, replay

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    """uvloop when installed (it comes with uvicorn[standard]), else asyncio's loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    return uvloop.run(main)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m metrics.replay", description=__doc__)
    parser.add_argument("--database-url", help="target store (default: METRICS_DATABASE_URL)")
    parser.add_argument("--batch", type=int, default=10_000, help="events per transaction")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    settings = Settings()
    if args.database_url:
        settings = settings.model_copy(update={"database_url": args.database_url})
    try:
        report: ReplayReport = run(replay(settings, batch=args.batch, progress=not args.quiet))
    except StoreNotEmptyError as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 2
    print(
        f"replayed {report.events} events ({report.skipped} skipped as invalid) "
        f"in {report.seconds:.2f} s: {report.rate:,.0f} events/s"
    )
    for name, count in sorted(report.per_event.items()):
        print(f"  {name}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
