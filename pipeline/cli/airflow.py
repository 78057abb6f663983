"""`newswire airflow`: Airflow on this machine, scheduling the project's DAGs."""

from __future__ import annotations

import signal
import time
from contextlib import ExitStack
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
import yaml
from sqlalchemy import func, select, text

from devtools.local_airflow import (
    COMPONENTS,
    AirflowClient,
    AirflowLayout,
    AirflowStartError,
    LocalAirflow,
    become_subreaper,
    ensure_database,
    prepare,
)
from pipeline.cli._app import app, console, load_settings, open_database, out
from pipeline.db import make_engine
from pipeline.models import Article


@app.command("airflow")
def airflow_command(  # noqa: PLR0917 - Typer maps each option to a parameter
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
    wait_first_run: Annotated[
        bool,
        typer.Option(
            "--wait-first-run/--no-wait-first-run",
            help="Wait for the first scheduled newswire_ingest run and print what it stored.",
        ),
    ] = True,
    sample: Annotated[
        bool,
        typer.Option(
            "--sample",
            help="Offline: serve the bundled sample corpus on loopback and schedule its feeds "
            "instead of NEWSWIRE_FEEDS_FILE.",
        ),
    ] = False,
) -> None:
    """Start Airflow (api-server, scheduler, dag-processor, triggerer) with newswire's DAGs.

    The article database (NEWSWIRE_DATABASE_URL, or the embedded PostgreSQL) is migrated and
    passed to tasks as the connection `newswire_db`; Airflow's own tables go into a separate
    database on the same server. DAGs start unpaused. Ctrl-C stops every Airflow process.
    """
    settings = load_settings()
    airflow_home = (home or settings.data_dir / "airflow").resolve()
    with ExitStack() as stack:
        extra_env = _serve_sample(stack, airflow_home) if sample else {}
        engine = open_database(settings, migrate=True)
        article_url = engine.url.render_as_string(hide_password=False)
        engine.dispose()
        try:
            layout = AirflowLayout(
                home=airflow_home,
                metadata_url=ensure_database(article_url, metadata_db),
                article_url=article_url,
                port=port,
                host=host,
                pool_slots=pool_slots,
                extra_env=extra_env,
            )
            console.print(
                f"preparing Airflow in {airflow_home} (metadata database {metadata_db!r})"
            )
            prepare(layout)
            _serve_airflow(layout, article_url if wait_first_run else None)
        except AirflowStartError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(4) from None


def _serve_sample(stack: ExitStack, airflow_home: Path) -> dict[str, str]:
    """Start the replay server for the sample corpus; return the task settings pointing at it."""
    from devtools.demo import DEMO_OVERRIDES, DEMO_PORT, SAMPLE_DIR, served_feeds
    from devtools.replay import ReplayServer

    server = stack.enter_context(ReplayServer(SAMPLE_DIR, port=DEMO_PORT))
    airflow_home.mkdir(parents=True, exist_ok=True)
    feeds_file = airflow_home / "sample_feeds.yaml"
    feeds = [f.model_dump(exclude_none=True) for f in served_feeds(server)]
    feeds_file.write_text(yaml.safe_dump(feeds, sort_keys=False))
    console.print(f"sample corpus served at {server.base_url}; feeds in {feeds_file}")
    env = {f"NEWSWIRE_{key.upper()}": str(value) for key, value in DEMO_OVERRIDES.items()}
    env["NEWSWIRE_FEEDS_FILE"] = str(feeds_file)
    env["NEWSWIRE_ALLOWED_HOSTS"] = server.allowed_hosts  # the replay server's port, nothing else
    return env


def _serve_airflow(layout: AirflowLayout, report_to: str | None) -> None:
    """Run the components until Ctrl-C, printing where the UI is and how to log in.

    With *report_to* (the article database URL), first wait for the first ingest run and say
    what it stored.
    """
    user, password = layout.login()
    become_subreaper()  # task processes orphaned by a dying supervisor stay ours to stop
    with LocalAirflow(layout, COMPONENTS) as airflow:
        console.print("starting " + ", ".join(COMPONENTS) + " (about a minute)…")
        airflow.wait_healthy()
        out.print(f"Airflow UI   {layout.base_url}")
        out.print(f"login        {user} / {password}")
        out.print(f"REST API     {layout.base_url}/api/v2  (token: POST /auth/token)")
        out.print(f"logs         {airflow.log_dir}")
        out.print(
            f"airflow CLI  source {layout.home / 'env.sh'}  (then e.g. airflow backfill create …)"
        )
        out.print("DAGs         newswire_ingest, newswire_backfill, newswire_maintenance")
        out.print("Ctrl-C stops Airflow.")
        if report_to:
            previous = signal.signal(signal.SIGTERM, _raise_interrupt)
            try:
                _report_first_ingest(layout, user, password, report_to)
            except KeyboardInterrupt:
                console.print("stopping Airflow…")
                return
            finally:
                signal.signal(signal.SIGTERM, previous)
        _wait_for_signal(airflow)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM while waiting: unwind like Ctrl-C so every Airflow process is stopped."""
    raise KeyboardInterrupt


def _report_first_ingest(layout: AirflowLayout, user: str, password: str, article_url: str) -> None:
    """Wait for the first scheduled ingest (DAGs start unpaused) and show what it stored.

    The main job then visibly runs to completion from the one command; a slow or failed run is
    reported, never fatal: Airflow keeps serving so the user can look at the task logs.
    """
    console.print("waiting for the first newswire_ingest run (the DAG starts unpaused)…")
    client = AirflowClient(layout.base_url, user, password)
    try:
        client.wait_for_dag("newswire_ingest", timeout=300)
        runs = client.wait_for_runs("newswire_ingest", "scheduled", 1, timeout=1800)
    except AirflowStartError as exc:
        console.print(f"[yellow]first ingest run not finished:[/yellow] {exc}")
        return
    finally:
        client.close()
    run = runs[0]
    engine = make_engine(article_url)
    try:
        with engine.connect() as conn:
            by_status = dict(
                conn.execute(select(Article.status, func.count()).group_by(Article.status)).all()
            )
            events = conn.execute(text("SELECT count(*) FROM events")).scalar_one()
            polls: dict[str, int] = dict(
                conn.execute(
                    text("SELECT outcome, count(*) FROM feed_polls GROUP BY outcome")
                ).all()
            )
    finally:
        engine.dispose()
    articles = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items())) or "none"
    out.print(f"first ingest {run['dag_run_id']}: {run['state']}")
    feed_polls = ", ".join(f"{n} {outcome}" for outcome, n in sorted(polls.items())) or "none"
    out.print(f"feed polls   {feed_polls}  (failures and their reasons: `newswire stats`)")
    out.print(f"articles     {articles}; events {events}")
    out.print("details      `newswire stats`, the UI's task logs, or the dashboard views")


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
