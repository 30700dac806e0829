# Lotse — every target is one line; `make help` lists them.
.DEFAULT_GOAL := help
UV := $(shell sh scripts/uv.sh)
RUN := $(UV) run --frozen

.PHONY: help setup run test unit chaos bench deadletters lint typecheck fmt clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## install uv if missing and sync the locked environment
	@$(UV) sync --frozen --quiet

run: setup ## start embedded NATS and the four services (SQLite under var/); Ctrl-C stops all
	@$(RUN) python scripts/run.py

test: setup lint typecheck ## the whole suite: lint, types, unit, integration (real NATS), journey
	@$(RUN) python scripts/test.py

unit: setup ## only the tests that need no NATS server
	@$(RUN) python scripts/test.py -m "not nats and not journey"

chaos: setup ## fault injection (HTTP + partner events, SIGKILLs) on one NATS, then a 3-node cluster; schemathesis, every phase
	@$(RUN) python -m shared.testing.chaos --n $${N:-10000} && $(RUN) python -m shared.testing.chaos --cluster --n $${N:-10000} && LOTSE_FUZZ_EXAMPLES=$${FUZZ:-100} LOTSE_FUZZ_PHASES=examples,coverage,fuzzing,stateful $(RUN) pytest tests/test_api_fuzz.py -q

bench: setup ## benchmark the real platform against the bus's ceiling; report in var/bench/
	@$(RUN) python -m bench $(ARGS)

deadletters: setup ## list parked events with their reason (replay: make deadletters ARGS="replay --all")
	@$(RUN) python -m shared.deadletters $${ARGS:-list}

lint: setup ## ruff lint and format check
	@$(RUN) ruff check . && $(RUN) ruff format --check .

typecheck: setup ## mypy --strict over every package
	@$(RUN) mypy shared/src services/intake/src services/routing/src services/notify/src services/metrics/src bench

fmt: setup ## apply ruff's fixes and formatting
	@$(RUN) ruff check --fix . && $(RUN) ruff format .

clean: ## remove local state (var/: stores and NATS data)
	rm -rf var
