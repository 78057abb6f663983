"""Run a DAG through ``dag.test()`` in a fresh interpreter; print each run's outcome as JSON.

A separate process because Airflow fixes its configuration (metadata database, AIRFLOW_HOME)
when first imported; the caller passes it in the environment (``AirflowLayout.env()``). Several
runs share one process (``--logical-date`` repeated, or ``--runs``), because the first
``dag.test()`` of a process pays for starting Airflow's in-process execution API.

    python tests/airflow/dag_runner.py newswire_backfill \
        --logical-date 2026-11-03T00:00:00+00:00 --logical-date 2026-11-04T00:00:00+00:00
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dag_id")
    parser.add_argument(
        "--logical-date",
        action="append",
        default=[],
        help="ISO datetime, repeatable; for daily-interval DAGs a run covers the day BEFORE it "
        "(dag.test infers a manual run's interval as the last complete one)",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs at the current time")
    parser.add_argument("--conf", default=None, help="run conf as JSON, for every run")
    args = parser.parse_args()

    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import timezone

    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        print(json.dumps({"state": "import_error", "errors": bag.import_errors}))
        return 2
    dag = bag.dags[args.dag_id]
    dates = [timezone.parse(d) for d in args.logical_date] or [None] * args.runs
    failed = 0
    for date in dates:
        started = time.perf_counter()
        conf = json.loads(args.conf) if args.conf else None
        run = dag.test(logical_date=date or timezone.utcnow(), run_conf=conf)
        seconds = time.perf_counter() - started
        tasks: dict[str, list[str]] = {}
        for ti in run.get_task_instances():
            tasks.setdefault(ti.task_id, []).append(str(ti.state))
        failed += str(run.state) != "success"
        result = {
            "state": str(run.state),
            "seconds": round(seconds, 2),
            "data_interval": [str(run.data_interval_start), str(run.data_interval_end)],
            "tasks": tasks,
        }
        print(json.dumps(result), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
