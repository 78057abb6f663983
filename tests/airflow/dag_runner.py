"""Run one DAG through ``dag.test()`` in a fresh interpreter; print the outcome as one JSON line.

A separate process because Airflow fixes its configuration (metadata database, AIRFLOW_HOME)
when first imported; the caller passes it in the environment (``AirflowLayout.env()``).

    python tests/airflow/dag_runner.py newswire_backfill --logical-date 2026-11-03T00:00:00+00:00
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
        help="ISO datetime; for daily-interval DAGs the run covers the day BEFORE it "
        "(dag.test infers a manual run's interval as the last complete one)",
    )
    args = parser.parse_args()

    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import timezone

    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        print(json.dumps({"state": "import_error", "errors": bag.import_errors}))
        return 2
    dag = bag.dags[args.dag_id]
    logical_date = timezone.parse(args.logical_date) if args.logical_date else timezone.utcnow()
    started = time.perf_counter()
    run = dag.test(logical_date=logical_date)
    seconds = time.perf_counter() - started
    tasks: dict[str, list[str]] = {}
    for ti in run.get_task_instances():
        tasks.setdefault(ti.task_id, []).append(str(ti.state))
    print(
        json.dumps(
            {
                "state": str(run.state),
                "seconds": round(seconds, 2),
                "data_interval": [str(run.data_interval_start), str(run.data_interval_end)],
                "tasks": tasks,
            }
        )
    )
    return 0 if str(run.state) == "success" else 1


if __name__ == "__main__":
    sys.exit(main())
