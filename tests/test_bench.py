"""`make bench` keeps working: a tiny run writes a complete report (no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.nats, pytest.mark.journey]


def test_tiny_benchmark_writes_json_markdown_and_plot(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--tiny", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["ceiling"]["raw_publish_per_s"] > 0
    assert report["ceiling"]["lean_pipeline_per_s"] > 0
    [phase] = report["sustained"]
    assert phase["accepted"] == phase["offered"]
    assert report["burst"]["accepted"] == report["burst"]["count"]
    assert report["burst"]["lost"] == 0
    assert set(report["processes"]) == {"intake", "routing", "notify", "metrics"}
    assert "## Ceiling" in (tmp_path / "report.md").read_text()
    assert (tmp_path / "latency.svg").read_text().startswith("<svg")
