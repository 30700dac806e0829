"""Schemathesis against every service's OpenAPI: 0 server errors, 0 schema violations.

A small budget in `make test` (LOTSE_FUZZ_EXAMPLES, default 15 per operation): the fuzzing
phase in-process, and schemathesis' own engine over each service for the phases that need
no budget to be thorough (LOTSE_FUZZ_PHASES, default examples,coverage,stateful: every
boundary value, every undocumented method). `make chaos` raises the budget and runs every
phase there (examples,coverage,fuzzing,stateful). The services run as real
processes — the session's platform (tests/conftest.py), fuzzed after the other tests used
it; requests carry a head-of-office identity (dev auth) so staff endpoints are exercised too,
not only refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from shared.testing.processes import SERVICES, Platform

pytestmark = [pytest.mark.nats, pytest.mark.journey]

EXAMPLES = int(os.environ.get("LOTSE_FUZZ_EXAMPLES", "15"))
PHASES = os.environ.get("LOTSE_FUZZ_PHASES", "examples,coverage,stateful")
STAFF = {"X-Lotse-Staff": "sb-fuzz", "X-Lotse-Role": "head_of_office", "X-Lotse-Team": "residence"}
BUDGET = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


# Checked: no 5xx, status codes, content types, response schemas and headers as documented,
# invalid input refused. Not checked: that every schema-valid request is *accepted* — some
# are refused for reasons no schema can state (a period over two years, an unknown ticket).
EXCLUDED = [positive_data_acceptance]


def streams(operation: Any) -> bool:
    """Server-sent event streams never end; they are tested in their own integration tests."""
    responses = operation.definition.raw.get("responses", {})
    return any("text/event-stream" in r.get("content", {}) for r in responses.values())


def fuzz_operation(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @BUDGET
    def run(case: Any) -> None:
        case.call_and_validate(headers=STAFF, timeout=30, excluded_checks=EXCLUDED)

    run()


@pytest.mark.parametrize("service", SERVICES)
def test_api_answers_every_generated_request_within_its_contract(
    platform: Platform, service: str
) -> None:
    schema = schemathesis.openapi.from_url(f"{platform.url(service)}/openapi.json")
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if streams(operation) or operation.path.endswith("/stream"):
            continue
        operations += 1
        try:
            fuzz_operation(operation)
        except Exception as failure:  # collect every operation's failure, then report all
            failures.append(f"{operation.label}: {str(failure)[:1500]}")
    assert operations > 0
    assert failures == [], "\n\n".join(failures)


def stream_paths(schema: Any) -> list[str]:
    return sorted(
        {
            op.path
            for op in (r.ok() for r in schema.get_all_operations())
            if streams(op) or op.path.endswith("/stream")
        }
    )


@pytest.mark.timeout(3600)
@pytest.mark.parametrize("service", SERVICES)
def test_api_holds_its_contract_in_every_schemathesis_phase(
    platform: Platform, service: str
) -> None:
    url = f"{platform.url(service)}/openapi.json"
    skipped = stream_paths(schemathesis.openapi.from_url(url))
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "run", url, "--phases", PHASES),
        *("--max-examples", str(EXAMPLES), "--request-timeout", "30", "--seed", "7"),
        *("--exclude-checks", "positive_data_acceptance", "--workers", "1", "--no-color"),
        *(arg for name, value in STAFF.items() for arg in ("-H", f"{name}: {value}")),
        *(arg for path in skipped for arg in ("--exclude-path", path)),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3500, check=False)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
