"""Airflow's overhead: one ``newswire_ingest`` run next to ``newswire run`` over the same work.

Both go over the project's sample corpus (``devtools/sample``, four feeds, served on loopback by
:class:`devtools.replay.ReplayServer`) into a fresh article database each, on the same
PostgreSQL server (``NEWSWIRE_BENCH_DATABASE_URL``, an admin URL; else an embedded pgserver in
a temp dir), with the demo's loopback politeness settings.

1. ``newswire run``: the CLI in a subprocess (start-up, migrations, every stage), wall time.
2. ``newswire_ingest`` on a real local Airflow (api-server, scheduler, dag-processor;
   LocalExecutor), started as ``newswire airflow`` does: the DAGs are created paused, the
   ingest DAG is unpaused and triggered through the REST API; the figure is the wall time from
   the trigger to the run's success (Airflow's start-up is reported separately, not counted).
3. The same DAG through ``dag.test()`` (no scheduler: one process runs every task).

Printed: the three wall times, the stored article counts (they must agree) and the ratios
Airflow / CLI. Timings vary with load; nothing is asserted.

    python bench/bench_airflow.py [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devtools.demo import DEMO_OVERRIDES, SAMPLE_DIR, served_feeds  # noqa: E402
from devtools.local_airflow import (  # noqa: E402
    AirflowClient,
    AirflowLayout,
    LocalAirflow,
    ensure_database,
    prepare,
)
from devtools.replay import ReplayServer  # noqa: E402
from pipeline.db import normalise_url, upgrade  # noqa: E402

RUNNER = ROOT / "tests" / "airflow" / "dag_runner.py"


@contextmanager
def admin_url() -> Iterator[str]:
    env = os.environ.get("NEWSWIRE_BENCH_DATABASE_URL")
    if env:
        yield normalise_url(env)
        return
    import pgserver

    with tempfile.TemporaryDirectory(prefix="newswire-bench-af-") as tmp:
        server = pgserver.get_server(Path(tmp), cleanup_mode="delete")
        try:
            yield normalise_url(str(server.get_uri()))
        finally:
            server.cleanup()


def fresh_db(admin: str, prefix: str, created: list[str]) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = ensure_database(admin, name)
    created.append(name)
    return url


def counts(url: str) -> dict[str, int]:
    engine = create_engine(normalise_url(url), poolclass=NullPool)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, count(*) FROM articles GROUP BY 1")).all()
        events = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
    engine.dispose()
    out = {str(status): int(n) for status, n in rows}
    out["events"] = int(events)
    return out


def task_env(feeds_file: Path, data_dir: Path) -> dict[str, str]:
    env = {f"NEWSWIRE_{k.upper()}": str(v) for k, v in DEMO_OVERRIDES.items()}
    env.update(
        {
            "NEWSWIRE_FEEDS_FILE": str(feeds_file),
            "NEWSWIRE_DATA_DIR": str(data_dir),
            "NEWSWIRE_LOG_FORMAT": "json",
        }
    )
    return env


def bench_cli(url: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("newswire")), "run"],
        env={**os.environ, **env, "NEWSWIRE_DATABASE_URL": url},
        check=True,
        capture_output=True,
        timeout=900,
    )
    return time.perf_counter() - started


def bench_airflow(admin: str, url: str, env: dict[str, str], home: Path, created: list[str]) -> Any:
    layout = AirflowLayout(
        home=home,
        metadata_url=fresh_db(admin, "bench_af_meta", created),
        article_url=url,
        port=18000 + os.getpid() % 1000,
        extra_env={**env, "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True"},
    )
    started = time.perf_counter()
    prepare(layout)
    with LocalAirflow(layout, ("api-server", "scheduler", "dag-processor")) as airflow:
        airflow.wait_healthy(timeout=600)
        client = AirflowClient(layout.base_url, *layout.login())
        try:
            client.wait_for_dag("newswire_ingest")
            startup = time.perf_counter() - started
            client.http.patch("/dags/newswire_ingest", json={"is_paused": False})
            triggered = time.perf_counter()
            run_id = client.trigger("newswire_ingest")
            state = client.wait_for_run("newswire_ingest", run_id, timeout=900)
            wall = time.perf_counter() - triggered
            run = client.http.get(f"/dags/newswire_ingest/dagRuns/{run_id}").json()
            runs = client.http.get("/dags/newswire_ingest/dagRuns").json()["total_entries"]
        finally:
            client.close()
    return {
        "state": state,
        "startup_s": round(startup, 1),
        "trigger_to_success_s": round(wall, 1),
        "run_start": run["start_date"],
        "run_end": run["end_date"],
        "ingest_runs": runs,
    }


def bench_dag_test(
    admin: str, url: str, env: dict[str, str], home: Path, created: list[str]
) -> Any:
    layout = AirflowLayout(
        home=home,
        metadata_url=fresh_db(admin, "bench_dt_meta", created),
        article_url=url,
        extra_env=env,
    )
    prepare(layout)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "newswire_ingest"],
        env=layout.env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    wall = time.perf_counter() - started
    results = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith('{"state"')]
    return {
        "state": results[-1]["state"] if results else "no result",
        "process_s": round(wall, 1),
        "dag_test_s": results[-1]["seconds"] if results else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    created: list[str] = []
    with admin_url() as admin, tempfile.TemporaryDirectory(prefix="newswire-bench-") as tmp:
        tmp_path = Path(tmp)
        try:
            with ReplayServer(SAMPLE_DIR) as server:
                feeds_file = tmp_path / "feeds.yaml"
                feeds = [f.model_dump(exclude_none=True) for f in served_feeds(server)]
                feeds_file.write_text(yaml.safe_dump(feeds))
                env = task_env(feeds_file, tmp_path / "data")
                env["NEWSWIRE_ALLOWED_HOSTS"] = server.allowed_hosts
                urls = {k: fresh_db(admin, f"bench_{k}", created) for k in ("cli", "af", "dt")}
                for url in urls.values():
                    upgrade(url)
                cli_s = bench_cli(urls["cli"], env)
                airflow = bench_airflow(admin, urls["af"], env, tmp_path / "af_home", created)
                dag_test = bench_dag_test(admin, urls["dt"], env, tmp_path / "dt_home", created)
                result = {
                    "newswire_run_s": round(cli_s, 1),
                    "airflow": airflow,
                    "dag_test": dag_test,
                    "ratio_airflow_vs_cli": round(airflow["trigger_to_success_s"] / cli_s, 2),
                    "ratio_dag_test_vs_cli": round(dag_test["process_s"] / cli_s, 2),
                    "articles": {k: counts(u) for k, u in urls.items()},
                }
        finally:
            engine = create_engine(admin, poolclass=NullPool, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                for name in created:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            engine.dispose()
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"newswire run (CLI, one process)       {result['newswire_run_s']:>7.1f} s")
    print(
        f"newswire_ingest on Airflow (trigger→ok) {airflow['trigger_to_success_s']:>7.1f} s"
        f"   (Airflow start-up, not counted: {airflow['startup_s']} s)"
    )
    print(f"newswire_ingest via dag.test()          {dag_test['process_s']:>7.1f} s")
    print(f"ratio Airflow / CLI                     {result['ratio_airflow_vs_cli']:>7.2f}")
    print(f"ratio dag.test / CLI                    {result['ratio_dag_test_vs_cli']:>7.2f}")
    for name, c in result["articles"].items():
        print(f"  {name:3} articles {c}")


if __name__ == "__main__":
    main()
