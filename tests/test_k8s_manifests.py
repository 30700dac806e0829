"""No cluster here: check deploy/k8s (kustomize) and deploy/helm against the code.

Same rule as tests/test_deploy_files.py: every service, port, probe path, environment variable,
database and NATS user the manifests name must exist in the code. Rendered with kubectl or
kustomize when one is on PATH.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from .test_deploy_files import (
    DEPLOY,
    DOCKERFILE,
    ROOT,
    SERVICES,
    env_names,
    parse_nats_conf,
    settings_class,
)

BASE = DEPLOY / "k8s" / "base"
PRODUCTION = DEPLOY / "k8s" / "overlays" / "production"
HELM_VALUES: dict[str, Any] = yaml.safe_load((DEPLOY / "helm" / "nats-values.yaml").read_text())
PERMISSIONS = DEPLOY / "nats" / "permissions.inc"
SECRET_NAMES = re.compile(r"DATABASE_URL|NATS_URL|PASSWORD|SECRET|TOKEN")


def kustomization(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((folder / "kustomization.yaml").read_text())
    return data


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def find(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    hits = [o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name]
    assert len(hits) == 1, f"expected one {kind} {name!r}, found {len(hits)}"
    return hits[0]


BASE_OBJECTS = [doc for name in kustomization(BASE)["resources"] for doc in documents(BASE / name)]


def container(service: str, objects: list[dict[str, Any]] = BASE_OBJECTS) -> dict[str, Any]:
    containers = find(objects, "Deployment", service)["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in containers] == [service]
    result: dict[str, Any] = containers[0]
    return result


def env_file(path: Path) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text().splitlines()]
    pairs = [line.partition("=") for line in lines if line and not line.startswith("#")]
    return {key: value for key, _, value in pairs}


def generated(section: str, name: str) -> dict[str, str]:
    """The pairs the base's configMapGenerator / secretGenerator ``name`` builds."""
    entries = [g for g in kustomization(BASE)[section] if g["name"] == name]
    assert len(entries) == 1, f"base has no {section} {name!r}"
    pairs: dict[str, str] = {}
    for path in entries[0].get("envs", []):
        pairs |= env_file(BASE / path)
    return pairs


def shared_config(service: str) -> dict[str, str]:
    refs = [ref["configMapRef"]["name"] for ref in container(service).get("envFrom", [])]
    return {k: v for ref in refs for k, v in generated("configMapGenerator", ref).items()}


def patched_env(service: str) -> dict[str, str]:
    """Env entries the production overlay's patches add to ``service``'s Deployment."""
    patches = [documents(PRODUCTION / p["path"]) for p in kustomization(PRODUCTION)["patches"]]
    mine = [d for docs in patches for d in docs if d["metadata"]["name"] == service]
    return {e["name"]: e["value"] for d in mine for e in container(service, [d]).get("env", [])}


def resolved_env(service: str) -> dict[str, str]:
    """Every variable the production pod gets, Secret references resolved from the base."""
    env = shared_config(service)
    for entry in container(service)["env"]:
        if "valueFrom" in entry:
            ref = entry["valueFrom"]["secretKeyRef"]
            env[entry["name"]] = generated("secretGenerator", ref["name"])[ref["key"]]
        else:
            env[entry["name"]] = entry["value"]
    return env | patched_env(service)


def port_of(service: str, port: int | str) -> int:
    """A container port, by number or by name."""
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container(service)["ports"]}
    return int(named[port])


def test_every_deployment_is_a_service_of_the_topology() -> None:
    deployments = {o["metadata"]["name"] for o in BASE_OBJECTS if o["kind"] == "Deployment"}
    assert deployments == set(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_deployment_service_and_disruption_budget(service: str) -> None:
    deployment = find(BASE_OBJECTS, "Deployment", service)["spec"]
    selector = deployment["selector"]["matchLabels"]
    assert deployment["replicas"] == 2, "replicas share the durable consumers"
    assert selector.items() <= deployment["template"]["metadata"]["labels"].items()
    assert find(BASE_OBJECTS, "Service", service)["spec"]["selector"] == selector
    budget = find(BASE_OBJECTS, "PodDisruptionBudget", service)["spec"]
    assert (budget["minAvailable"], budget["selector"]["matchLabels"]) == (1, selector)
    assert container(service)["image"] == f"lotse/{service}"


@pytest.mark.parametrize("service", SERVICES)
def test_ports_and_probes_use_the_settings_default(service: str) -> None:
    port = settings_class(service).model_fields["port"].default
    spec = container(service)
    assert [p["containerPort"] for p in spec["ports"]] == [port]
    (service_port,) = find(BASE_OBJECTS, "Service", service)["spec"]["ports"]
    assert service_port["port"] == port_of(service, service_port["targetPort"]) == port
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert port_of(service, spec[probe]["httpGet"]["port"]) == port, probe
    assert spec["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert spec["livenessProbe"]["httpGet"]["path"] == "/healthz"


@pytest.mark.parametrize("service", SERVICES)
async def test_probe_paths_are_routes_of_the_app(service: str, tmp_path: Path) -> None:
    """Asked the way the kubelet asks (the app's router decides), without lifespan: no I/O."""
    settings = settings_class(service)(database_url=f"sqlite:///{tmp_path}/x.db", var_dir=tmp_path)
    app = importlib.import_module(f"{service}.entrypoints.app").create_app(settings)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            response = await client.get(container(service)[probe]["httpGet"]["path"])
            assert response.status_code not in (404, 405), f"{probe}: {response.status_code}"
        # liveness must not depend on NATS or the store: it answers before anything connects
        live = await client.get(container(service)["livenessProbe"]["httpGet"]["path"])
        assert live.status_code == 200


@pytest.mark.parametrize("service", SERVICES)
def test_environment_names_real_settings(service: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cls = settings_class(service)
    env = resolved_env(service)
    unknown = {k for k in env if k.upper() not in env_names(cls) and not k.startswith("OTEL_")}
    assert not unknown, f"{service} sets variables its Settings never reads: {sorted(unknown)}"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = cls()  # the values parse, too
    assert settings.database_url == env[f"{service.upper()}_DATABASE_URL"]
    assert (settings.port, settings.host) == (cls.model_fields["port"].default, "0.0.0.0")
    assert settings.stream_replicas == HELM_VALUES["config"]["cluster"]["replicas"]


@pytest.mark.parametrize("service", SERVICES)
def test_credentials_come_from_the_services_own_secret(service: str) -> None:
    assert "NATS_URL" not in shared_config(service), "NATS_URL carries a password: Secret only"
    for entry in container(service)["env"]:
        if SECRET_NAMES.search(entry["name"]):
            ref = entry["valueFrom"]["secretKeyRef"]
            assert ref == {"name": service, "key": entry["name"]}
    for entry in ("NATS_URL", f"{service.upper()}_DATABASE_URL"):
        assert entry in {e["name"] for e in container(service)["env"]}


def test_each_service_has_its_own_database_and_nats_user() -> None:
    users = {u["user"] for u in parse_nats_conf(PERMISSIONS.read_text())["authorization"]["users"]}
    databases = set()
    for service in SERVICES:
        env = resolved_env(service)
        database = urlsplit(env[f"{service.upper()}_DATABASE_URL"])
        assert (database.scheme, database.username) == ("postgresql", service), "own role"
        databases.add(database.path.lstrip("/"))
        nats = urlsplit(env["NATS_URL"])
        assert nats.username == service
        assert service in users
        assert f"{nats.hostname}:{nats.port}" == f"{HELM_VALUES['fullnameOverride']}:4222"
    assert len(databases) == len(SERVICES), "one PostgreSQL database per service"


@pytest.mark.parametrize("service", SERVICES)
def test_graceful_shutdown_and_hardening(service: str) -> None:
    pod = find(BASE_OBJECTS, "Deployment", service)["spec"]["template"]["spec"]
    spec = container(service)
    sleep = int(spec["lifecycle"]["preStop"]["exec"]["command"][-1])
    serve = (ROOT / "shared/src/shared/serve.py").read_text()
    graceful = int(re.search(r"timeout_graceful_shutdown=(\d+)", serve)[1])  # type: ignore[index]
    assert pod["terminationGracePeriodSeconds"] >= sleep + graceful + 5
    uid = int(re.search(r"--uid (\d+)", DOCKERFILE)[1])  # type: ignore[index]
    assert pod["securityContext"]["runAsNonRoot"]
    assert pod["securityContext"]["runAsUser"] == uid
    assert spec["securityContext"]["readOnlyRootFilesystem"] is True
    empty = {v["name"] for v in pod["volumes"] if "emptyDir" in v}
    mounts = {m["mountPath"] for m in spec["volumeMounts"] if m["name"] in empty}
    assert {resolved_env(service)["LOTSE_VAR_DIR"], "/tmp"} <= mounts
    assert spec["resources"]["limits"]["memory"] == "256Mi"
    assert spec["resources"]["requests"]
    # every replica migrates on start: only safe while migrations serialise on a lock
    assert resolved_env(service)[f"{service.upper()}_MIGRATE_ON_START"] == "true"
    assert "pg_advisory_lock" in (ROOT / "shared/src/shared/migrations.py").read_text()


def test_kustomization_lists_every_file_in_base() -> None:
    spec = kustomization(BASE)
    generators = spec["configMapGenerator"] + spec["secretGenerator"]
    listed = set(spec["resources"]) | {p for g in generators for p in g.get("envs", [])}
    on_disk = {str(p.relative_to(BASE)) for p in BASE.rglob("*") if p.is_file()}
    assert on_disk - {"kustomization.yaml"} == listed


def test_production_overlay() -> None:
    spec = kustomization(PRODUCTION)
    assert spec["resources"] == ["../../base"]
    assert spec["namespace"]
    assert {i["name"] for i in spec["images"]} == {f"lotse/{s}" for s in SERVICES}
    assert all(i.get("newTag") not in (None, "latest") for i in spec["images"])
    assert {"name": "intake", "count": 3} in spec["replicas"]
    replaced = {g["name"] for g in spec["secretGenerator"] if g["behavior"] == "replace"}
    assert replaced == set(SERVICES), "production never ships the placeholder secrets"
    assert "/secrets/" in (PRODUCTION / ".gitignore").read_text()


def kustomize_command() -> list[str] | None:
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    return None


@pytest.mark.skipif(kustomize_command() is None, reason="neither kubectl nor kustomize on PATH")
def test_overlay_renders(tmp_path: Path) -> None:
    tree = tmp_path / "k8s"
    shutil.copytree(DEPLOY / "k8s", tree)
    shutil.copytree(BASE / "secrets", tree / "overlays/production/secrets")  # stand-ins
    command = [*(kustomize_command() or []), str(tree / "overlays/production")]
    out = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert out.returncode == 0, out.stderr
    objects = [doc for doc in yaml.safe_load_all(out.stdout) if doc]
    secrets = {o["metadata"]["name"] for o in objects if o["kind"] == "Secret"}
    for service in SERVICES:
        deployment = find(objects, "Deployment", service)
        assert deployment["metadata"]["namespace"] == "lotse"
        assert deployment["spec"]["replicas"] == (3 if service == "intake" else 2)
        env = container(service, objects)["env"]
        refs = {e["valueFrom"]["secretKeyRef"]["name"] for e in env if "valueFrom" in e}
        assert refs
        assert refs <= secrets


def test_helm_values_cluster_fsync_and_permissions() -> None:
    config = HELM_VALUES["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    jetstream = config["jetstream"]
    assert jetstream["enabled"]
    assert jetstream["fileStore"]["pvc"]["enabled"]
    assert jetstream["merge"]["sync_interval"] == "always"
    assert config["monitor"]["enabled"]
    assert HELM_VALUES["podDisruptionBudget"]["enabled"]
    assert (DEPLOY / "nats" / config["merge"]["$include"]) == PERMISSIONS
    wanted = set(re.findall(r"\$([A-Z_]+_NATS_PASSWORD)", PERMISSIONS.read_text()))
    env = HELM_VALUES["container"]["env"]
    assert set(env) == wanted
    assert all(env[name]["valueFrom"]["secretKeyRef"]["name"] == "nats-users" for name in env)
