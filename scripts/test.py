"""`make test`'s runner: one pytest process per test root, one combined summary.

Every service keeps its tests in a package named ``tests`` (style.md), so the roots
cannot share an interpreter; each runs on its own and the totals are added up.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_ROOTS = (
    "shared/tests",
    "services/intake/tests",
    "services/routing/tests",
    "services/notify/tests",
    "services/metrics/tests",
    "tests",
)


def totals(report: Path) -> dict[str, int]:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if not report.exists():
        return counts
    for suite in ET.parse(report).getroot().iter("testsuite"):  # noqa: S314 - our own file
        for key in counts:
            counts[key] += int(suite.get(key, 0))
    return counts


def main(extra: list[str]) -> int:
    results = ROOT / "var" / "test-results"
    results.mkdir(parents=True, exist_ok=True)
    summary = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    failed_roots = []
    for root in TEST_ROOTS:
        if not any((ROOT / root).rglob("test_*.py")):
            continue
        report = results / (root.replace("/", "_") + ".xml")
        report.unlink(missing_ok=True)
        print(f"\n=== {root}", flush=True)
        code = subprocess.call(  # noqa: S603 - fixed interpreter and arguments
            [sys.executable, "-m", "pytest", root, f"--junitxml={report}", *extra], cwd=ROOT
        )
        if code not in (0, 5):
            failed_roots.append(root)
        for key, value in totals(report).items():
            summary[key] += value
    bad = summary["failures"] + summary["errors"]
    passed = summary["tests"] - bad - summary["skipped"]
    if failed_roots:
        print(f"\nfailing test roots: {', '.join(failed_roots)}")
    print(f"\n{passed} passed, {bad} failed, {summary['skipped']} skipped")
    return 1 if failed_roots or bad or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
