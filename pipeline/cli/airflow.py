"""`newswire airflow`: Airflow on this machine, scheduling the project's DAGs."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from pipeline.cli._app import app, console, load_settings, open_database, out
from pipeline.local_airflow import (
    COMPONENTS,
    AirflowLayout,
    AirflowStartError,
    LocalAirflow,
    ensure_database,
    prepare,
)


@app.command("airflow")
def airflow_command(
    port: Annotated[int, typer.Option(help="Port of the UI and REST API.")] = 8080,
    host: Annotated[str, typer.Option(help="Interface the API server listens on.")] = "127.0.0.1",
    metadata_db: Annotated[
        str,
        typer.Option(help="Name of Airflow's metadata database, on the article database's server."),
    ] = "airflow",
    pool_slots: Annotated[
        int, typer.Option(min=1, help="Slots of the newswire_http pool (concurrent HTTP tasks).")
    ] = 4,
    home: Annotated[
        Path | None,
        typer.Option(help="AIRFLOW_HOME; default NEWSWIRE_DATA_DIR/airflow."),
    ] = None,
) -> None:
    """Start Airflow (api-server, scheduler, dag-processor, triggerer) with newswire's DAGs.

    The article database (NEWSWIRE_DATABASE_URL, or the embedded PostgreSQL) is migrated and
    passed to tasks as the connection `newswire_db`; Airflow's own tables go into a separate
    database on the same server. DAGs start unpaused. Ctrl-C stops every Airflow process.
    """
    settings = load_settings()
    engine = open_database(settings, migrate=True)
    article_url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    airflow_home = (home or settings.data_dir / "airflow").resolve()
    try:
        meta_url = ensure_database(article_url, metadata_db)
        layout = AirflowLayout(
            home=airflow_home,
            metadata_url=meta_url,
            article_url=article_url,
            port=port,
            host=host,
            pool_slots=pool_slots,
        )
        console.print(f"preparing Airflow in {airflow_home} (metadata database {metadata_db!r})")
        prepare(layout)
        user, password = layout.login()
        with LocalAirflow(layout, COMPONENTS) as airflow:
            console.print("starting " + ", ".join(COMPONENTS) + " (about a minute)…")
            airflow.wait_healthy()
            out.print(f"Airflow UI   {layout.base_url}")
            out.print(f"login        {user} / {password}")
            out.print(f"REST API     {layout.base_url}/api/v2  (token: POST /auth/token)")
            out.print(f"logs         {airflow.log_dir}")
            out.print("DAGs         newswire_ingest, newswire_backfill, newswire_maintenance")
            out.print("Ctrl-C stops Airflow.")
            _wait_for_signal(airflow)
    except AirflowStartError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(4) from None


def _wait_for_signal(airflow: LocalAirflow) -> None:
    """Block until Ctrl-C or SIGTERM, or until a component dies (then say which)."""
    stop = {"now": False}

    def _handler(signum: int, frame: FrameType | None) -> None:
        stop["now"] = True

    previous = signal.signal(signal.SIGTERM, _handler)
    try:
        while not stop["now"]:
            airflow.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        console.print("stopping Airflow…")
