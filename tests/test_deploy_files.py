"""No Docker engine here: check docker-compose.yml, the Dockerfile and deploy/ against the code.

Every service, port, environment variable, database and NATS setting they name must exist.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import AliasChoices
from shared.messaging.topology import SUBSCRIPTIONS, StreamPolicy, stream_config
from shared.settings import ServiceSettings
from shared.subjects import DEADLETTER, PRODUCERS, Namespace
from shared.testing.nats_server import nats_server_binary

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SERVICES = sorted(SUBSCRIPTIONS)
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
NATS_CONFS = sorted(DEPLOY.glob("nats/**/*.conf"))


def compose_service(name: str) -> dict[str, Any]:
    services: dict[str, dict[str, Any]] = COMPOSE["services"]
    assert name in services, f"docker-compose.yml has no service {name!r}"
    return services[name]


def settings_class(service: str) -> type[ServiceSettings]:
    """``<service>.config.Settings``; skipped (not failed) while that module is not written yet."""
    if importlib.util.find_spec(f"{service}.config") is None:
        pytest.skip(f"{service}.config does not exist yet")
    cls: type[ServiceSettings] = importlib.import_module(f"{service}.config").Settings
    assert issubclass(cls, ServiceSettings)
    return cls


def env_names(cls: type[ServiceSettings]) -> set[str]:
    """Every environment variable a settings class reads (upper case: matching ignores case)."""
    prefix = cls.model_config.get("env_prefix", "")
    names: set[str] = set()
    for name, field in cls.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, str):
            names.add(alias.upper())
        elif isinstance(alias, AliasChoices):
            names |= {c.upper() for c in alias.choices if isinstance(c, str)}
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def parse_nats_conf(text: str) -> dict[str, Any]:
    """A small reader for the NATS config format (blocks, arrays, `key: value`), enough to check."""
    lexemes = re.findall(r'#[^\n]*|"[^"]*"|[{}\[\]]|[^\s{}\[\],"]+', text)  # commas: spaces
    tokens = [t for t in lexemes if not t.startswith("#")]

    def value(i: int) -> tuple[Any, int]:
        if tokens[i] == "{":
            return block(i + 1, "}")
        if tokens[i] == "[":
            items: list[Any] = []
            i += 1
            while tokens[i] != "]":
                item, i = value(i)
                items.append(item)
            return items, i + 1
        return tokens[i].strip('"'), i + 1

    def block(i: int, end: str | None) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        while i < len(tokens) and tokens[i] != end:
            key = tokens[i].rstrip(":=")
            i += 2 if tokens[i + 1] in {":", "="} else 1
            out[key], i = value(i)
        return out, i + 1

    return block(0, None)[0]


def test_every_consuming_or_producing_service_is_in_compose() -> None:
    for service in SERVICES:
        build = compose_service(service)["build"]
        assert (build["context"], build.get("dockerfile", "Dockerfile")) == (".", "Dockerfile")
        assert build["args"]["SERVICE"] == service


@pytest.mark.parametrize("service", SERVICES)
def test_published_port_is_the_settings_default(service: str) -> None:
    port = settings_class(service).model_fields["port"].default
    spec = compose_service(service)
    assert spec["ports"] == [f"{port}:{port}"]
    assert str(spec["build"]["args"]["PORT"]) == str(port), "the image EXPOSEs the build arg PORT"
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(spec["healthcheck"]["test"])


@pytest.mark.parametrize("service", SERVICES)
def test_environment_names_real_settings(service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cls = settings_class(service)
    env: dict[str, str] = compose_service(service)["environment"]
    unknown = {k for k in env if k.upper() not in env_names(cls) and not k.startswith("OTEL_")}
    assert not unknown, f"{service} sets variables its Settings never reads: {sorted(unknown)}"
    assert env["NATS_URL"] == "nats://nats:4222"
    assert env[f"{service.upper()}_HOST"] == "0.0.0.0"
    for key, raw in env.items():
        monkeypatch.setenv(key, str(raw))
    settings = cls()  # the values parse, too
    assert settings.database_url == env[f"{service.upper()}_DATABASE_URL"]


@pytest.mark.parametrize("service", SERVICES)
def test_database_is_created_by_init_sql(service: str) -> None:
    created = re.findall(r"CREATE DATABASE (\w+)", (DEPLOY / "postgres/init.sql").read_text())
    url = urlsplit(compose_service(service)["environment"][f"{service.upper()}_DATABASE_URL"])
    pg = compose_service("postgres")["environment"]
    assert url.scheme == "postgresql"
    assert url.hostname == "postgres"
    assert (url.username, url.password) == (pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"])
    assert url.path.lstrip("/") in created


@pytest.mark.parametrize("service", SERVICES)
def test_service_waits_for_healthy_backends(service: str) -> None:
    depends = compose_service(service)["depends_on"]
    for backend in ("nats", "postgres"):
        assert depends[backend]["condition"] == "service_healthy"
        assert compose_service(backend)["healthcheck"]["test"]
    assert "js-enabled-only=true" in " ".join(compose_service("nats")["healthcheck"]["test"])


def test_bind_mounts_exist() -> None:
    for name, spec in COMPOSE["services"].items():
        for volume in spec.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_builds_the_service_package(service: str) -> None:
    assert f"{service.upper()}_HOST=0.0.0.0" in DOCKERFILE
    project = tomllib.loads((ROOT / "services" / service / "pyproject.toml").read_text())
    assert project["project"]["name"] == f"lotse-{service}"
    package = ROOT / "services" / service / "src" / service
    assert (package / "__init__.py").exists()
    settings_class(service)
    assert (package / "__main__.py").exists(), f"`python -m {service}` needs {service}/__main__.py"


def test_dockerfile_takes_service_and_copies_every_member_before_the_first_sync() -> None:
    assert re.search(r"^ARG SERVICE$", DOCKERFILE, re.M)
    assert re.search(r"^ARG PORT\b", DOCKERFILE, re.M)
    assert "EXPOSE ${PORT}" in DOCKERFILE
    assert 'uv sync --frozen --no-dev --package "lotse-${SERVICE}"' in DOCKERFILE
    assert 'python -m \\"${SERVICE}\\"' in DOCKERFILE
    members = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]
    for pattern in members["members"]:
        for member in ROOT.glob(pattern):
            path = f"{member.relative_to(ROOT)}/pyproject.toml"
            assert f"COPY {path} {path}" in DOCKERFILE, f"uv sync --frozen needs {path}"


@pytest.mark.parametrize("conf", NATS_CONFS, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_nats_config_fsyncs_every_write(conf: Path) -> None:
    assert parse_nats_conf(conf.read_text())["jetstream"]["sync_interval"] == "always"
    command = [nats_server_binary(), "-t", "-c", str(conf)]  # the server's own parser
    check = subprocess.run(command, capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr


def test_cluster_nodes_route_to_each_other() -> None:
    nodes = {c.stem: parse_nats_conf(c.read_text()) for c in DEPLOY.glob("nats/cluster/*.conf")}
    assert len(nodes) == 3
    for name, node in nodes.items():
        assert node["server_name"] == name
        cluster = node["cluster"]
        assert cluster["name"] == nodes["nats-1"]["cluster"]["name"]
        port = cluster["listen"].rsplit(":", 1)[1]
        routes = {urlsplit(r).netloc for r in cluster["routes"]}
        assert {f"{other}:{port}" for other in nodes if other != name} <= routes


def test_deploy_readme_names_real_streams_and_settings() -> None:
    readme = (DEPLOY / "README.md").read_text()
    for producer in (*PRODUCERS, DEADLETTER):
        name = stream_config(Namespace(), producer, StreamPolicy()).name
        assert f"`{name}`" in readme, f"deploy/README.md does not mention stream {name}"
    shared_names = env_names(ServiceSettings)
    for variable in set(re.findall(r"\b(?:LOTSE|NATS)_[A-Z_]+\b", readme)):
        assert variable in shared_names, f"deploy/README.md names unknown setting {variable}"
