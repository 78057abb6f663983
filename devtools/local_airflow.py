"""Run Airflow on this machine with the project's DAGs, for `newswire airflow` and the tests.

Airflow 3 is several processes (api-server, scheduler, dag-processor, triggerer) sharing one
metadata database and one JWT secret. This module lays out an ``AIRFLOW_HOME``, puts the
metadata in its own ``airflow`` database on the same PostgreSQL server as the articles (the
embedded one by default), hands the article database to tasks as the connection
``newswire_db``, creates the HTTP pool, and starts the components in one process group so that
stopping them — even after a crash of the caller — is a single ``killpg``.

Talking to the API server here is control traffic to our own local Airflow, not crawling, so it
does not go through :mod:`pipeline.http`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from devtools.airflow_client import AirflowClient, AirflowStartError
from pipeline.config import PACKAGE_DIR
from pipeline.db import normalise_url
from pipeline.services.orchestration import CONN_ID, HTTP_POOL

LOGGER = logging.getLogger(__name__)

__all__ = [
    "AirflowClient",
    "AirflowLayout",
    "AirflowStartError",
    "LocalAirflow",
    "drop_database",
    "ensure_database",
    "prepare",
    "run_airflow",
]

DAGS_FOLDER = PACKAGE_DIR.parent / "dags"
ADMIN_USER = "admin"
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
CELERY_WORKER_PREFIX = "celery-worker-"
"""Components ``celery-worker-1``, ``celery-worker-2``, …: Celery workers (CeleryExecutor)."""
WORKER_NAME_ENV = "NEWSWIRE_WORKER_NAME"


def worker_hostname() -> str:
    """The host name a task reports (``[core] hostname_callable`` of the local Celery workers).

    Several workers on one machine would all report the machine's name; each local worker gets
    its own (``celery-worker-1@host``) so task instances show which worker ran them.
    """
    import socket

    name = os.environ.get(WORKER_NAME_ENV)
    return f"{name}@{socket.getfqdn()}" if name else socket.getfqdn()


def dags_folder() -> Path:
    """The project's ``dags/`` (a checkout); Airflow needs it as a real folder to parse."""
    if not DAGS_FOLDER.is_dir():
        raise AirflowStartError(
            f"no dags folder at {DAGS_FOLDER}: run from a checkout of newswire "
            "(the wheel ships the pipeline package, not the DAG files)"
        )
    return DAGS_FOLDER


def airflow_bin() -> str:
    """The ``airflow`` executable next to this interpreter (Airflow spawns it by name)."""
    candidate = Path(sys.executable).parent / "airflow"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("airflow")
    if not found:
        raise AirflowStartError("the `airflow` command is not installed in this environment")
    return found


def ensure_database(admin_url: str, name: str) -> str:
    """Create database *name* on the server of *admin_url* if missing; return its URL."""
    admin = create_engine(
        normalise_url(admin_url), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            exists = conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
            if not exists:
                LOGGER.info("creating database %s", name)
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return make_url(normalise_url(admin_url)).set(database=name).render_as_string(False)


def drop_database(admin_url: str, name: str) -> None:
    """Drop database *name* on the server of *admin_url* (sessions on it are ended first)."""
    admin = create_engine(
        normalise_url(admin_url), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def metadata_url(url: str) -> str:
    """*url* with the psycopg2 driver, the one Airflow's metadata layer is tested with."""
    return (
        make_url(normalise_url(url)).set(drivername="postgresql+psycopg2").render_as_string(False)
    )


def connection_json(url: str) -> str:
    """*url* as an Airflow connection in JSON form (keeps a socket directory host intact)."""
    parsed = make_url(normalise_url(url))
    extra = {k: v for k, v in parsed.query.items() if k != "host" and isinstance(v, str)}
    host = parsed.host or parsed.query.get("host")
    conn: dict[str, Any] = {
        "conn_type": "postgres",
        "host": host if isinstance(host, str) else None,
        "login": parsed.username,
        "password": parsed.password,
        "schema": parsed.database,
        "port": parsed.port,
    }
    if extra:
        conn["extra"] = extra
    return json.dumps({k: v for k, v in conn.items() if v is not None})


@dataclass(frozen=True)
class AirflowLayout:
    """Everything that makes one local Airflow installation."""

    home: Path
    metadata_url: str
    article_url: str
    port: int = 8080
    host: str = "127.0.0.1"
    dags: Path = field(default_factory=dags_folder)
    pool_slots: int = 4
    parallelism: int = 8
    extra_env: dict[str, str] = field(default_factory=dict)
    """Set last in every process's environment (e.g. ``NEWSWIRE_*`` settings for the tasks)."""
    executor: str = "LocalExecutor"
    """``LocalExecutor``, or ``CeleryExecutor`` (then start ``celery-worker-N`` components)."""
    broker_url: str = "redis://127.0.0.1:6379/0"
    """The Celery broker (CeleryExecutor only); the result backend is the metadata database."""
    queue: str = "default"
    """The Celery queue tasks go to and the local workers consume: a queue of its own keeps
    two Airflows sharing one Redis from running each other's tasks."""
    celery_pool: str = "solo"
    """Celery's pool in each worker. ``solo`` runs one task at a time in the worker's main
    process: the default ``prefork`` pool runs tasks in daemonic processes, and a daemonic
    process may not start the process pools newswire parses and extracts on ("daemonic
    processes are not allowed to have children"). Scale out with more workers instead."""

    @property
    def base_url(self) -> str:
        """Where the UI and the REST API answer."""
        return f"http://{self.host}:{self.port}"

    @property
    def passwords_file(self) -> Path:
        return self.home / "simple_auth_manager_passwords.json"

    def secret(self, name: str) -> str:
        """A random secret kept in AIRFLOW_HOME, so every component (and restart) shares it."""
        path = self.home / f".{name}"
        if not path.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment every Airflow process of this layout runs with."""
        env = dict(os.environ if base is None else base)
        bin_dir = str(Path(sys.executable).parent)
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
        env.update(
            {
                "AIRFLOW_HOME": str(self.home),
                "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
                "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
                "AIRFLOW__CORE__PARALLELISM": str(self.parallelism),
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(self.passwords_file),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url(self.metadata_url),
                "AIRFLOW__API__HOST": self.host,
                "AIRFLOW__API__PORT": str(self.port),
                "AIRFLOW__API__BASE_URL": self.base_url,
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__API__SECRET_KEY": self.secret("api_secret_key"),
                "AIRFLOW__API_AUTH__JWT_SECRET": self.secret("jwt_secret"),
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
                "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
                "AIRFLOW__LOGGING__COLORED_CONSOLE_LOG": "False",
                f"AIRFLOW_CONN_{CONN_ID.upper()}": connection_json(self.article_url),
                "NEWSWIRE_DATABASE_URL": normalise_url(self.article_url),
            }
        )
        if self.executor == "CeleryExecutor":
            env.update(
                {
                    "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
                    "AIRFLOW__CELERY__BROKER_URL": self.broker_url,
                    "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_url(self.metadata_url),
                    "AIRFLOW__CELERY__POOL": self.celery_pool,
                    "AIRFLOW__OPERATORS__DEFAULT_QUEUE": self.queue,
                    "AIRFLOW__CORE__HOSTNAME_CALLABLE": "devtools.local_airflow.worker_hostname",
                }
            )
        env.update(self.extra_env)
        return env

    def login(self) -> tuple[str, str]:
        """The admin user and its password, generated once and kept in AIRFLOW_HOME.

        The simple auth manager keeps any password already in its file, so writing it first
        lets us print the login instead of asking the user to dig it out of the logs.
        """
        passwords: dict[str, str] = {}
        if self.passwords_file.exists():
            try:
                passwords = json.loads(self.passwords_file.read_text() or "{}")
            except json.JSONDecodeError:
                passwords = {}
        if ADMIN_USER not in passwords:
            passwords[ADMIN_USER] = secrets.token_urlsafe(12)
            self.home.mkdir(parents=True, exist_ok=True)
            self.passwords_file.write_text(json.dumps(passwords) + "\n")
            self.passwords_file.chmod(0o600)
        return ADMIN_USER, passwords[ADMIN_USER]


def write_env_file(layout: AirflowLayout) -> Path:
    """``AIRFLOW_HOME/env.sh``: ``source`` it to run ``airflow …`` commands against this Airflow.

    Holds the metadata database URL and secrets, so it is readable by the owner only.
    """
    wanted = ("AIRFLOW", "NEWSWIRE_")
    env = layout.env()
    lines = [
        f"export {key}={shlex.quote(value)}"
        for key, value in sorted(env.items())
        if key.startswith(wanted)
    ]
    lines.append(f'export PATH={shlex.quote(str(Path(sys.executable).parent))}:"$PATH"')
    path = layout.home / "env.sh"
    layout.home.mkdir(parents=True, exist_ok=True)
    path.write_text("# written by `newswire airflow`\n" + "\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def run_airflow(
    layout: AirflowLayout, args: Sequence[str], *, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run one ``airflow`` CLI command with the layout's environment; raise with its output."""
    proc = subprocess.run(  # noqa: S603 - fixed executable, arguments from our own code
        [airflow_bin(), *args],
        env=layout.env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-25:])
        raise AirflowStartError(f"`airflow {' '.join(args)}` failed ({proc.returncode}):\n{tail}")
    return proc


def prepare(layout: AirflowLayout) -> None:
    """Migrate the metadata database and create the HTTP pool; safe to repeat."""
    layout.home.mkdir(parents=True, exist_ok=True)
    layout.login()
    write_env_file(layout)
    LOGGER.info("migrating the Airflow metadata database")
    run_airflow(layout, ["db", "migrate"])
    run_airflow(
        layout,
        [
            "pools",
            "set",
            HTTP_POOL,
            str(layout.pool_slots),
            "Bounds concurrent HTTP from newswire tasks (feed polls, page fetches, sitemaps)",
        ],
    )


_PR_SET_CHILD_SUBREAPER = 36  # from <linux/prctl.h>


def become_subreaper() -> bool:
    """Adopt orphaned descendants (Linux), so a task process whose supervisor died is still ours
    to find and stop instead of being reparented to init and forgotten."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
        return False


def stop_tree(roots: Sequence[int], *, grace: float = 20, pgid: int | None = None) -> int:
    """SIGTERM *roots* and all their descendants (and process group *pgid*), SIGKILL whatever
    is still alive after *grace* seconds; return how many had to be killed.

    Descendants are looked up before signalling and again while waiting: once a parent exits
    its children are reparented and can no longer be found through it.
    """
    import psutil

    def tree() -> dict[int, psutil.Process]:
        found: dict[int, psutil.Process] = {}
        for pid in roots:
            try:
                proc = psutil.Process(pid)
                found[pid] = proc
                found.update((c.pid, c) for c in proc.children(recursive=True))
            except psutil.Error:
                continue
        return found

    known = tree()
    if pgid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGTERM)
    for proc in known.values():
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for pid, proc in tree().items():  # processes forked after the first look
            if pid not in known:
                known[pid] = proc
                with contextlib.suppress(psutil.Error):
                    proc.terminate()
        alive = [p for p in known.values() if _running(p)]
        if not alive:
            return 0
        psutil.wait_procs(alive, timeout=min(0.5, max(0.05, deadline - time.monotonic())))
    known.update(tree())
    survivors = [p for p in known.values() if _running(p)]
    if pgid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    for proc in survivors:
        LOGGER.warning("pid %s ignored SIGTERM for %ss: killing it", proc.pid, grace)
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(survivors, timeout=5)
    return len(survivors)


def _is_worker(name: str) -> bool:
    return name.startswith(CELERY_WORKER_PREFIX) and name[len(CELERY_WORKER_PREFIX) :].isdigit()


def _running(proc: Any) -> bool:
    import psutil

    try:
        return bool(proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


class LocalAirflow:
    """Airflow's components as child processes in one process group.

    Use as a context manager: leaving it (normally, on error or on Ctrl-C) terminates the
    whole group, so no scheduler or task process outlives the caller's ``with`` block.
    """

    def __init__(self, layout: AirflowLayout, components: Sequence[str] = COMPONENTS) -> None:
        unknown = {c for c in components if c not in COMPONENTS and not _is_worker(c)}
        if any(_is_worker(c) for c in components) and layout.executor != "CeleryExecutor":
            raise ValueError("Celery workers need a layout with executor='CeleryExecutor'")
        if unknown:
            raise ValueError(f"unknown Airflow components: {sorted(unknown)}")
        self.layout = layout
        self.components = tuple(components)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.pgid: int | None = None
        self.log_dir = layout.home / "logs" / "components"

    def start(self, api_timeout: float = 300) -> None:
        """Spawn every component; the first one leads the new process group.

        The API server goes first and must answer before the others start: task processes
        report to its execution API, and a task started against a server still booting fails
        before it has run (Airflow then sees "finished with state failed" while queued).
        """
        self.log_dir.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.components, key=lambda c: c != "api-server")
        for name in ordered:
            self._spawn(name)
            if name == "api-server":
                self._wait_api(api_timeout)

    def _spawn(self, name: str) -> None:
        args = [airflow_bin(), name]
        env = self.layout.env()
        if name == "api-server":
            args += ["--port", str(self.layout.port), "--host", self.layout.host]
        if _is_worker(name):
            # logs are files under AIRFLOW_HOME on this machine: no log server (port clashes)
            args = [airflow_bin(), "celery", "worker", "--celery-hostname", f"{name}@%h"]
            args += ["--queues", self.layout.queue, "--skip-serve-logs"]
            env[WORKER_NAME_ENV] = name
        with (self.log_dir / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(  # noqa: S603 - fixed executable
                args,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                process_group=0 if self.pgid is None else self.pgid,
            )
        if self.pgid is None:
            self.pgid = proc.pid
        self.procs[name] = proc
        LOGGER.info("started airflow %s (pid %s)", name, proc.pid)

    def _wait_api(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if httpx.get(f"{self.layout.base_url}/api/v2/version", timeout=5).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        raise AirflowStartError(f"the API server did not answer within {timeout:.0f}s")

    def check_alive(self) -> None:
        """Raise, naming the component and its log, if one has exited."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                tail = self.log_tail(name)
                raise AirflowStartError(
                    f"airflow {name} exited with {proc.returncode}; "
                    f"log {self.log_dir / (name + '.log')}:\n{tail}"
                )

    def log_tail(self, name: str, lines: int = 30) -> str:
        path = self.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def wait_healthy(self, timeout: float = 300) -> dict[str, Any]:
        """Poll ``/api/v2/monitor/health`` until every started component reports healthy."""
        wanted = {
            "scheduler": "scheduler",
            "dag-processor": "dag_processor",
            "triggerer": "triggerer",
        }
        deadline = time.monotonic() + timeout
        last: dict[str, Any] | str = "no answer yet"
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                resp = httpx.get(f"{self.layout.base_url}/api/v2/monitor/health", timeout=5)
                if resp.status_code == 200:
                    health = resp.json()
                    last = health
                    states = [health.get("metadatabase", {}).get("status")] + [
                        (health.get(key) or {}).get("status")
                        for comp, key in wanted.items()
                        if comp in self.components
                    ]
                    if all(s == "healthy" for s in states):
                        return dict(health)
            except httpx.HTTPError as exc:
                last = str(exc)
            time.sleep(2)
        raise AirflowStartError(f"Airflow not healthy after {timeout:.0f}s: {last}")

    def stop(self, grace: float = 20) -> None:
        """Stop every process Airflow started, task processes included.

        The components share one process group, but Airflow's task supervisor puts each task
        process in a group of its own (``setpgid``), so ``killpg`` alone leaves running tasks
        behind. The whole process tree is therefore collected first and signalled as a tree
        (see :func:`stop_tree`).
        """
        if self.pgid is None:
            return
        pgid, self.pgid = self.pgid, None
        roots = [proc.pid for proc in self.procs.values() if proc.poll() is None]
        survivors = stop_tree(roots, grace=grace, pgid=pgid)
        for proc in self.procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)
        LOGGER.info(
            "airflow stopped%s", f" ({survivors} killed after {grace}s)" if survivors else ""
        )

    def __enter__(self) -> LocalAirflow:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
