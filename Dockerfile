# syntax=docker/dockerfile:1
# One image recipe for all four services; pick one with the SERVICE build argument:
#   docker build --build-arg SERVICE=routing --build-arg PORT=8020 -t lotse-routing .
# docker-compose.yml builds each service this way (tests/test_deploy_files.py checks it).
FROM python:3.11-slim

ARG SERVICE
ARG PORT=8000
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=intake|routing|notify|metrics" >&2; exit 1; }

# tzdata: routing counts deadlines in the office's time zone (zoneinfo needs the system database).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/*

# uv from PyPI, pinned to the version that wrote uv.lock.
RUN pip install --no-cache-dir uv==0.13.9

# Use the image's interpreter (never download one); compile bytecode once, at build time.
ENV UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app

# 1) Third-party dependencies only, from the lock: this layer is reused until uv.lock changes.
COPY pyproject.toml uv.lock README.md ./
COPY shared/pyproject.toml shared/pyproject.toml
COPY services/intake/pyproject.toml services/intake/pyproject.toml
COPY services/routing/pyproject.toml services/routing/pyproject.toml
COPY services/notify/pyproject.toml services/notify/pyproject.toml
COPY services/metrics/pyproject.toml services/metrics/pyproject.toml
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package "lotse-${SERVICE}"

# 2) The workspace itself. Editable install on purpose: a service finds its Alembic
#    migrations (and intake its catalogue) relative to its source under services/<svc>/.
COPY . .
RUN --mount=type=cache,target=/root/.cache/uv \
    test -d "services/${SERVICE}/src/${SERVICE}" \
    && uv sync --frozen --no-dev --package "lotse-${SERVICE}"

# Unprivileged user; LOTSE_VAR_DIR (SQLite fallback, local files) is the only writable place.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home lotse \
    && mkdir -p /var/lib/lotse && chown lotse:lotse /var/lib/lotse
USER lotse

# Each Settings class reads only its own prefix, so setting all four is harmless.
ENV PATH="/app/.venv/bin:${PATH}" \
    SERVICE="${SERVICE}" \
    LOTSE_VAR_DIR=/var/lib/lotse \
    INTAKE_HOST=0.0.0.0 \
    ROUTING_HOST=0.0.0.0 \
    NOTIFY_HOST=0.0.0.0 \
    METRICS_HOST=0.0.0.0

EXPOSE ${PORT}
# No HEALTHCHECK here: docker-compose.yml (or the orchestrator) probes /readyz.
# `exec` makes Python PID 1, so SIGTERM reaches uvicorn for a graceful shutdown.
CMD ["/bin/sh", "-c", "exec python -m \"${SERVICE}\""]
