"""The few REST API v2 calls newswire makes to its own Airflow (tests, `newswire airflow`, bench).

Control traffic to our own local Airflow, not crawling, so it does not go through
:mod:`pipeline.http`. Split from :mod:`devtools.local_airflow` (which re-exports it) to keep
both modules small.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import httpx

LOGGER = logging.getLogger(__name__)


class AirflowStartError(RuntimeError):
    """Airflow did not come up; the message names the component and the log to read."""


class AirflowClient:
    """The few REST API v2 calls we need, authenticated with a JWT from ``POST /auth/token``."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url.rstrip("/")
        resp = httpx.post(
            f"{self.base_url}/auth/token",
            json={"username": username, "password": password},
            timeout=30,
        )
        if resp.status_code not in (200, 201):
            raise AirflowStartError(f"login failed ({resp.status_code}): {resp.text[:200]}")
        token = resp.json()["access_token"]
        self.http = httpx.Client(
            base_url=f"{self.base_url}/api/v2",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def close(self) -> None:
        self.http.close()

    def _json(self, resp: httpx.Response) -> Any:
        if resp.status_code >= 400:
            raise AirflowStartError(
                f"{resp.request.method} {resp.request.url.path}: {resp.status_code} {resp.text}"
            )
        return resp.json()

    def _poll(self, path: str, **params: Any) -> httpx.Response | None:
        """A GET made by a wait loop: a slow or busy API server (a loaded machine) is not an
        error there, the loop just asks again until its own deadline."""
        try:
            return self.http.get(path, params=params or None)
        except httpx.TransportError as exc:
            LOGGER.info("GET %s: %s; asking again", path, type(exc).__name__)
            return None

    def dag(self, dag_id: str) -> dict[str, Any]:
        result: dict[str, Any] = self._json(self.http.get(f"/dags/{dag_id}"))
        return result

    def wait_for_dag(self, dag_id: str, timeout: float = 180) -> dict[str, Any]:
        """Wait until the dag-processor has parsed *dag_id* and the API knows it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            resp = self._poll(f"/dags/{dag_id}")
            if resp is not None and resp.status_code == 200:
                result: dict[str, Any] = resp.json()
                return result
            time.sleep(2)
        raise AirflowStartError(f"DAG {dag_id} did not appear within {timeout:.0f}s")

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> str:
        """Start a manual run now; returns its run id."""
        body = {"logical_date": None, "conf": conf or {}}
        run = self._json(self.http.post(f"/dags/{dag_id}/dagRuns", json=body))
        return str(run["dag_run_id"])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 600) -> str:
        """Poll the run until it finishes; returns its final state."""
        deadline = time.monotonic() + timeout
        state = "unknown"
        while time.monotonic() < deadline:
            resp = self._poll(f"/dags/{dag_id}/dagRuns/{run_id}")
            if resp is None:
                time.sleep(2)
                continue
            state = str(self._json(resp)["state"])
            if state in {"success", "failed"}:
                return state
            time.sleep(2)
        raise AirflowStartError(f"run {run_id} of {dag_id} still {state} after {timeout:.0f}s")

    def runs(self, dag_id: str, run_type: str | None = None) -> list[dict[str, Any]]:
        """The runs of *dag_id* (of one type: scheduled, manual, backfill, asset_triggered)."""
        data = self._json(self.http.get(f"/dags/{dag_id}/dagRuns", params={"limit": 100}))
        return [r for r in data["dag_runs"] if run_type is None or r["run_type"] == run_type]

    def wait_for_runs(
        self, dag_id: str, run_type: str, count: int, timeout: float = 900
    ) -> list[dict[str, Any]]:
        """Wait until *count* runs of that type exist and all have finished."""
        deadline = time.monotonic() + timeout
        runs: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            resp = self._poll(f"/dags/{dag_id}/dagRuns", limit=100)
            if resp is None:
                time.sleep(3)
                continue
            runs = [
                r
                for r in self._json(resp)["dag_runs"]
                if run_type is None or r["run_type"] == run_type
            ]
            if len(runs) >= count and all(r["state"] in {"success", "failed"} for r in runs):
                return runs
            time.sleep(3)
        states = [r["state"] for r in runs]
        raise AirflowStartError(
            f"{dag_id} {run_type} runs not finished in {timeout:.0f}s: {states}"
        )

    def task_states(self, dag_id: str, run_id: str) -> dict[str, list[str]]:
        """Task id → the states of its (mapped) instances, for assertions and error messages."""
        data = self._json(
            self.http.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 1000})
        )
        out: dict[str, list[str]] = {}
        for ti in data["task_instances"]:
            out.setdefault(ti["task_id"], []).append(str(ti["state"]))
        return out

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        """Every task instance of a run (mapped ones included), as the API returns them."""
        out: list[dict[str, Any]] = []
        while True:
            data = self._json(
                self.http.get(
                    f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances",
                    params={"limit": 100, "offset": len(out)},
                )
            )
            out.extend(data["task_instances"])
            if not data["task_instances"] or len(out) >= data["total_entries"]:
                return out

    def set_paused(self, dag_id: str, paused: bool) -> None:
        """Pause or unpause a DAG (``PATCH /dags/{dag_id}``)."""
        self._json(self.http.patch(f"/dags/{dag_id}", json={"is_paused": paused}))
