"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

What can be checked here: the compose file parses, has the services of Airflow's official
layout with healthchecks, and its services, environment and volumes agree with each other and
with the project; the Dockerfile builds on the Airflow version we pin and its install step — a
plain pip install of the project — yields a working ``pipeline`` package with its SQL files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW_SERVICES = {
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
    "airflow-worker": "celery worker",
}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def pinned_airflow() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = [d for d in project["dependencies"] if d.startswith("apache-airflow==")]
    assert len(pins) == 1
    return str(pins[0].split("==", 1)[1])


def test_services_follow_the_official_layout(compose: dict[str, Any]) -> None:
    services = compose["services"]
    dashboards = {"superset", "superset-import"}  # tests/e2e/test_dashboards_compose.py checks them
    assert set(services) == {"postgres", "redis", "airflow-init", *AIRFLOW_SERVICES, *dashboards}
    for name, command in AIRFLOW_SERVICES.items():
        assert services[name]["command"] == command
        assert services[name]["healthcheck"]["test"], name
        assert services[name]["depends_on"]["airflow-init"] == {
            "condition": "service_completed_successfully"
        }
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, (name, dependency)


def test_environment_is_consistent(compose: dict[str, Any]) -> None:
    services = compose["services"]
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "false"
    for key in (
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
        "AIRFLOW__CELERY__RESULT_BACKEND",
        "AIRFLOW_CONN_NEWSWIRE_DB",
    ):
        assert urlsplit(env[key]).hostname == "postgres", key
    assert urlsplit(env["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis"
    api = urlsplit(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
    assert api.hostname == "airflow-apiserver"
    published = services["airflow-apiserver"]["ports"][0].split(":")[-1]
    assert str(api.port) == published
    # every Airflow container sees the same configuration (workers too, with one addition)
    for name in AIRFLOW_SERVICES:
        service_env = services[name]["environment"]
        assert {k: v for k, v in service_env.items() if k in env} == env, name
    assert services["airflow-worker"]["environment"]["DUMB_INIT_SETSID"] == "0"


def test_volumes_and_build_context_exist(compose: dict[str, Any]) -> None:
    named = set(compose.get("volumes", {}))
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (ROOT / source).is_dir(), (name, source)
            else:
                assert source in named, (name, source)
    scheduler = compose["services"]["airflow-scheduler"]
    assert "./dags:/opt/airflow/dags" in scheduler["volumes"]
    assert (ROOT / scheduler["build"]["context"] / scheduler["build"]["dockerfile"]).is_file()


def test_init_prepares_pool_and_article_database(compose: dict[str, Any]) -> None:
    script = "\n".join(compose["services"]["airflow-init"]["command"])
    assert "airflow db migrate" in script
    assert "airflow pools set newswire_http" in script
    assert "newswire db upgrade" in script


def test_dockerfile_uses_the_pinned_airflow_image() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert f"ARG AIRFLOW_VERSION={pinned_airflow()}" in text
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}$", text, re.M)
    for source in re.findall(r"^COPY --chown=\S+ (.+) \S+$", text, re.M):
        for path in source.split():
            assert (ROOT / path).exists(), path


def test_install_step_is_a_plain_install_of_the_project(tmp_path: Path) -> None:
    """Build the project from exactly what the Dockerfile copies and install it elsewhere."""
    text = (ROOT / "Dockerfile").read_text()
    context = tmp_path / "newswire"
    context.mkdir()
    for source in re.findall(r"^COPY --chown=\S+ (.+) /opt/newswire/\S*$", text, re.M):
        for path in source.split():
            src = ROOT / path
            if src.is_dir():
                shutil.copytree(src, context / path, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(src, context / path)
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        pytest.skip("uv is not installed in this environment (it builds the wheel offline)")
    build = subprocess.run(
        [str(uv), "build", "--wheel", "--offline", "-o", str(tmp_path / "dist"), str(context)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if build.returncode != 0 and "offline" in build.stderr.lower():
        pytest.skip(f"no cached build backend to build offline: {build.stderr[-300:]}")
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "dist").glob("newswire-*.whl"))
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), wheel],
        check=True,
        timeout=300,
    )
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pipeline, pipeline.services.orchestration, pipeline.store.views as v; "
            "print(pipeline.__file__); print(v.sql_dir())",
        ],
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    module_file, sql_dir = probe.stdout.split()
    assert Path(module_file).is_relative_to(target)
    assert Path(sql_dir).is_relative_to(target)
    assert any(Path(sql_dir).rglob("*.sql"))
