"""Fixtures for the Airflow tests: a metadata database, an AIRFLOW_HOME, the sample corpus served.

Airflow reads its configuration when first imported, so the in-process tests (DAG parsing) get a
throw-away ``AIRFLOW_HOME`` set here, at collection time, before anything imports airflow.
Everything that runs DAGs does so in subprocesses with an environment built by
:class:`devtools.local_airflow.AirflowLayout`, the same one ``newswire airflow`` uses.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from devtools.demo import DEMO_OVERRIDES, SAMPLE_DIR, sample_feeds
from devtools.local_airflow import AirflowLayout, ensure_database, prepare
from devtools.replay import ReplayServer
from pipeline.config import PACKAGE_DIR

if "AIRFLOW_HOME" not in os.environ:
    _HOME = tempfile.mkdtemp(prefix="newswire-airflow-parse-")
    os.environ["AIRFLOW_HOME"] = _HOME
    atexit.register(shutil.rmtree, _HOME, True)
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
os.environ.setdefault("AIRFLOW__CORE__DAGS_FOLDER", str(PACKAGE_DIR.parent / "dags"))

DAG_IDS = (
    "newswire_ingest",
    "newswire_backfill",
    "newswire_maintenance",
    "newswire_stream",
    "newswire_stream_process",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def replay() -> Iterator[ReplayServer]:
    """The project's sample corpus on a loopback server, for the whole session."""
    with ReplayServer(SAMPLE_DIR) as server:
        yield server


@pytest.fixture(scope="session")
def sample_feeds_file(replay: ReplayServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A feeds file listing the sample feeds at the replay server's addresses."""
    feeds = sample_feeds(replay.base_url)
    path = tmp_path_factory.mktemp("feeds") / "feeds.yaml"
    path.write_text(yaml.safe_dump([f.model_dump(exclude_none=True) for f in feeds]))
    return path


def pipeline_env(feeds_file: Path, data_dir: Path) -> dict[str, str]:
    """NEWSWIRE_* settings for task processes: the demo's loopback politeness, one worker."""
    env = {f"NEWSWIRE_{key.upper()}": str(value) for key, value in DEMO_OVERRIDES.items()}
    env.update(
        {
            "NEWSWIRE_FEEDS_FILE": str(feeds_file),
            "NEWSWIRE_DATA_DIR": str(data_dir),
            "NEWSWIRE_WORKERS": "1",
            "NEWSWIRE_LOG_FORMAT": "json",
        }
    )
    return env


@contextmanager
def fresh_layout(
    pg_admin_url: str, database_url: str, feeds_file: Path, home: Path
) -> Iterator[AirflowLayout]:
    """A migrated Airflow metadata database of its own and an AIRFLOW_HOME, pool created.

    The metadata lives in its own database on the test server, dropped at the end.
    """
    name = f"airflow_{os.getpid()}_{free_port()}"
    layout = AirflowLayout(
        home=home,
        metadata_url=ensure_database(pg_admin_url, name),
        article_url=database_url,
        port=free_port(),
        extra_env=pipeline_env(feeds_file, home / "data"),
    )
    try:
        prepare(layout)
        yield layout
    finally:
        admin = create_engine(pg_admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def airflow_layout(
    pg_admin_url: str,
    database_url: str,
    sample_feeds_file: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[AirflowLayout]:
    """One Airflow installation shared by the ``dag.test()`` runs of this session."""
    home = tmp_path_factory.mktemp("airflow_home")
    with fresh_layout(pg_admin_url, database_url, sample_feeds_file, home) as layout:
        yield layout
