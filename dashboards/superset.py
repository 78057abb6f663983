"""`make dashboards`: Apache Superset on 127.0.0.1 with the newswire dashboard imported.

    .venv/bin/python dashboards/superset.py [--port 8088] [--no-wait]

Run with the project's environment (.venv); Superset itself lives in .venv-superset (installed by
`make dashboards` from dashboards/requirements.txt, cached by a stamp). Steps: upgrade the
article database (views, read-only role) and refresh its materialized views; lay out Superset's
home (var/superset: SQLite metadata, secret key, admin password); migrate and initialise Superset
once; start it on 127.0.0.1 only; then, through its REST API, point a database connection at the
views *as the read-only role* and (re)create the datasets, charts and dashboard defined in
dashboards/newswire.yaml. Prints the address and the login, and serves until Ctrl-C.

With NEWSWIRE_DATABASE_URL unset the embedded PostgreSQL is held up by this process for as long
as Superset runs (Superset reaches it on its Unix socket).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DASHBOARDS = ROOT / "dashboards"
DEFINITION = DASHBOARDS / "newswire.yaml"
SUPERSET_BIN = ROOT / ".venv-superset" / "bin" / "superset"
ADMIN = "admin"


@dataclass
class Superset:
    """A running Superset: its process, address and admin login."""

    process: subprocess.Popen[bytes] | None  # None: a Superset someone else runs
    url: str
    password: str
    log: Path
    dashboard_url: str = ""
    charts: dict[str, int] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop Superset (SIGTERM, then SIGKILL after 20 s)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)


def _env(home: Path, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SUPERSET_CONFIG_PATH=str(DASHBOARDS / "superset_config.py"),
        NEWSWIRE_SUPERSET_HOME=str(home),
        NEWSWIRE_SUPERSET_PORT=str(port),
        SUPERSET_LOAD_EXAMPLES="no",
        FLASK_DEBUG="0",
        # no update checks, analytics or telemetry from anything Python-side
        DO_NOT_TRACK="1",
        SCARF_ANALYTICS="false",
    )
    return env


def prepare_home(home: Path, port: int) -> str:
    """Secret key, admin password and Superset's metadata database (migrated once); the password."""
    home.mkdir(parents=True, exist_ok=True)
    key = home / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(48))
        key.chmod(0o600)
    pw_file = home / "admin_password"
    if not pw_file.exists():
        pw_file.write_text(secrets.token_urlsafe(12))
        pw_file.chmod(0o600)
    password = pw_file.read_text().strip()
    stamp = home / ".initialised-6.1.0"
    if not stamp.exists():
        env = _env(home, port)
        log = home / "init.log"
        with log.open("ab") as out:
            for args in (
                ["db", "upgrade"],
                ["fab", "create-admin", "--username", ADMIN, "--firstname", "newswire",
                 "--lastname", "admin", "--email", "admin@localhost", "--password", password],
                ["init"],
            ):  # fmt: skip
                done = subprocess.run(  # noqa: S603 - our own venv's superset
                    [str(SUPERSET_BIN), *args], env=env, stdout=out, stderr=out, check=False
                )
                if done.returncode != 0:
                    raise RuntimeError(f"superset {args[0]} failed; see {log}")
        stamp.write_text("ok\n")
    return password


def start(home: Path, port: int, password: str, timeout: float = 240) -> Superset:
    """Start Superset on 127.0.0.1:*port* and wait until /health answers."""
    log = home / "superset.log"
    out = log.open("ab")
    process = subprocess.Popen(  # noqa: S603 - our own venv's superset
        [str(SUPERSET_BIN), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
        env=_env(home, port),
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"Superset exited ({process.returncode}); see {log}")
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Superset did not start within {timeout:.0f} s; see {log}")
        time.sleep(1)
    return Superset(process, url, password, log)


class Api:
    """Superset's REST API as the admin (JWT + CSRF token)."""

    def __init__(self, url: str, password: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=60, headers={"Referer": url})
        token = self._ok(
            self.client.post(
                "/api/v1/security/login",
                json={"username": ADMIN, "password": password, "provider": "db", "refresh": True},
            )
        )["access_token"]
        self.client.headers["Authorization"] = f"Bearer {token}"
        csrf = self._ok(self.client.get("/api/v1/security/csrf_token/"))["result"]
        self.client.headers["X-CSRFToken"] = csrf

    @staticmethod
    def _ok(response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise RuntimeError(
                f"{response.request.method} {response.request.url.path}: "
                f"{response.status_code} {response.text[:500]}"
            )
        return response.json() if response.content else {}

    def get(self, path: str) -> Any:
        return self._ok(self.client.get(path))

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self._ok(self.client.post(path, json=body))

    def put(self, path: str, body: dict[str, Any]) -> Any:
        return self._ok(self.client.put(path, json=body))

    def delete(self, path: str) -> Any:
        return self._ok(self.client.delete(path))

    def find(self, resource: str, column: str, value: str) -> list[dict[str, Any]]:
        query = f"(filters:!((col:{column},opr:eq,value:'{value}')),page_size:100)"
        return list(self.get(f"/api/v1/{resource}/?q={query}")["result"])


def superset_uri(owner_url: str) -> str:
    """The read-only role's URL in the form Superset connects with (psycopg2 driver)."""
    from pipeline.config import get_settings
    from pipeline.db import readonly_url

    url = make_url(readonly_url(owner_url, get_settings()))
    return url.set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)


def import_dashboard(superset: Superset, owner_url: str) -> None:
    """(Re)create the connection, datasets, charts and dashboard of dashboards/newswire.yaml."""
    spec = yaml.safe_load(DEFINITION.read_text(encoding="utf-8"))
    api = Api(superset.url, superset.password)
    uri = superset_uri(owner_url)
    body = {"database_name": "newswire", "sqlalchemy_uri": uri, "expose_in_sqllab": True}
    existing = api.find("database", "database_name", "newswire")
    if existing:
        db_id = int(existing[0]["id"])
        api.put(f"/api/v1/database/{db_id}", body)
    else:
        db_id = int(api.post("/api/v1/database/", body)["id"])
    for dash in api.find("dashboard", "slug", spec["slug"]):
        api.delete(f"/api/v1/dashboard/{dash['id']}")
    datasets: dict[str, int] = {}
    for chart in spec["charts"]:
        view = chart["view"]
        if view in datasets:
            continue
        found = [d for d in api.find("dataset", "table_name", view) if d["database"]["id"] == db_id]
        if found:
            datasets[view] = int(found[0]["id"])
            api.put(f"/api/v1/dataset/{datasets[view]}/refresh", {})
        else:
            datasets[view] = int(
                api.post(
                    "/api/v1/dataset/", {"database": db_id, "schema": "public", "table_name": view}
                )["id"]
            )
    charts: dict[str, int] = {}
    for chart in spec["charts"]:
        for old in api.find("chart", "slice_name", chart["title"]):
            api.delete(f"/api/v1/chart/{old['id']}")
        ds = datasets[chart["view"]]
        params = {
            "viz_type": chart["viz_type"],
            "datasource": f"{ds}__table",
            "adhoc_filters": [],
            "time_range": "No filter",
            **chart["params"],
        }
        charts[chart["key"]] = int(
            api.post(
                "/api/v1/chart/",
                {
                    "slice_name": chart["title"],
                    "viz_type": chart["viz_type"],
                    "datasource_id": ds,
                    "datasource_type": "table",
                    "params": json.dumps(params),
                },
            )["id"]
        )
    position = _layout(spec, charts)
    dash_id = int(
        api.post(
            "/api/v1/dashboard/",
            {
                "dashboard_title": spec["title"],
                "slug": spec["slug"],
                "published": True,
                "position_json": json.dumps(position),
                "json_metadata": json.dumps({"refresh_frequency": 0, "color_scheme": ""}),
            },
        )["id"]
    )
    for chart_id in charts.values():
        api.put(f"/api/v1/chart/{chart_id}", {"dashboards": [dash_id]})
    superset.charts = charts
    superset.dashboard_url = f"{superset.url}/superset/dashboard/{spec['slug']}/"


def _layout(spec: dict[str, Any], charts: dict[str, int]) -> dict[str, Any]:
    """Superset's position_json (v2) from the definition's rows."""
    titles = {c["key"]: c["title"] for c in spec["charts"]}
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": spec["title"]}},
    }
    for r, row in enumerate(spec["layout"]):
        row_id = f"ROW-{r}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for key, width in row:
            chart_id = f"CHART-{key}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "type": "CHART",
                "id": chart_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "meta": {
                    "width": width,
                    "height": 60,
                    "chartId": charts[key],
                    "sliceName": titles[key],
                },
            }
    return position


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SUPERSET_PORT", "8088")))
    parser.add_argument("--home", type=Path, default=Path("var/superset"))
    parser.add_argument("--no-wait", action="store_true", help="import, print, stop Superset")
    parser.add_argument(
        "--external",
        metavar="URL",
        help="only import into an already running Superset (docker-compose's), as admin with "
        "the password in SUPERSET_ADMIN_PASSWORD",
    )
    args = parser.parse_args()
    if not args.external and not SUPERSET_BIN.exists():
        print("Superset is not installed: run `make dashboards`", file=sys.stderr)
        return 2

    from pipeline.config import get_settings
    from pipeline.db import database_url, make_engine, upgrade
    from pipeline.store.views import refresh_materialized

    settings = get_settings()
    owner = database_url(settings)  # holds the embedded server up while this process runs
    upgrade(owner, settings=settings)
    engine = make_engine(owner)
    refresh_materialized(engine)
    engine.dispose()
    if args.external:
        password = os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin")
        external = Superset(None, args.external.rstrip("/"), password, Path("/dev/null"))
        _wait_healthy(external.url, 600)
        import_dashboard(external, owner)
        print(f"dashboard: {external.dashboard_url}")
        return 0
    password = prepare_home(args.home.resolve(), args.port)
    superset = start(args.home.resolve(), args.port, password)
    try:
        import_dashboard(superset, owner)
        print(f"Superset: {superset.url}  (user {ADMIN}, password {password})")
        print(f"dashboard: {superset.dashboard_url}")
        if not args.no_wait:
            print("serving on 127.0.0.1 only; Ctrl-C to stop")
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
    except KeyboardInterrupt:
        pass
    finally:
        superset.stop()
    return 0


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"Superset at {url} did not answer within {timeout:.0f} s")
        time.sleep(2)


if __name__ == "__main__":
    raise SystemExit(main())
