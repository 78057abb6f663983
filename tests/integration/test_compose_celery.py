"""docker-compose.yml runs the Celery configuration the end-to-end test proves.

tests/e2e/test_celery_executor.py starts Airflow from :class:`AirflowLayout` with
``executor="CeleryExecutor"``; the compose file must set the same keys to the same kinds of
values (executor, Redis broker, PostgreSQL result backend through psycopg2, a default queue the
workers consume, the solo pool). ``docker-compose config -q`` validates the file where the
tool is installed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from devtools.local_airflow import AirflowLayout

ROOT = Path(__file__).resolve().parents[2]
CELERY_KEYS = (
    "AIRFLOW__CORE__EXECUTOR",
    "AIRFLOW__CELERY__BROKER_URL",
    "AIRFLOW__CELERY__RESULT_BACKEND",
    "AIRFLOW__CELERY__POOL",
    "AIRFLOW__OPERATORS__DEFAULT_QUEUE",
)


def compose_env() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return dict(compose["services"]["airflow-worker"]["environment"])


def test_compose_sets_what_the_celery_test_runs(tmp_path: Path) -> None:
    layout = AirflowLayout(
        home=tmp_path,
        metadata_url="postgresql://airflow@127.0.0.1:5432/airflow",
        article_url="postgresql://airflow@127.0.0.1:5432/newswire",
        executor="CeleryExecutor",
        dags=tmp_path,
    )
    tested, deployed = layout.env({}), compose_env()
    assert all(key in deployed for key in CELERY_KEYS)
    assert deployed["AIRFLOW__CORE__EXECUTOR"] == tested["AIRFLOW__CORE__EXECUTOR"]
    for key in ("AIRFLOW__CELERY__BROKER_URL", "AIRFLOW__CELERY__RESULT_BACKEND"):
        assert urlsplit(deployed[key]).scheme == urlsplit(tested[key]).scheme, key
    assert deployed["AIRFLOW__OPERATORS__DEFAULT_QUEUE"] == "default"
    assert deployed["AIRFLOW__CELERY__POOL"] == tested["AIRFLOW__CELERY__POOL"] == "solo"


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_config_is_valid() -> None:
    proc = subprocess.run(
        ["docker-compose", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
