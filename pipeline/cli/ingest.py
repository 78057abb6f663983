"""Ingestion commands: `feeds validate|list`, `poll`, `fetch`, `extract-pending`, `run`, `stats`,
`config`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine, text

from pipeline.cli._app import app, console, feeds_app, load_settings, open_database, out
from pipeline.config import Settings
from pipeline.stages.feeds.feedfile import FeedConfig, FeedConfigError, load_feeds

FeedsOption = Annotated[
    Path | None,
    typer.Option(
        "--feeds",
        help="Feeds YAML file to use instead of NEWSWIRE_FEEDS_FILE.",
        exists=False,
        dir_okay=False,
    ),
]
_SECRET_WORDS = ("password", "secret", "token", "key")


def _load(path: Path | None, settings: Settings) -> list[FeedConfig]:
    try:
        return load_feeds(path or settings.feeds_file)
    except FeedConfigError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


@contextmanager
def _progress() -> Iterator[Progress]:
    columns = (
        TextColumn("{task.description:>8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        yield bar


def _stage_callback(bar: Progress) -> Any:
    tasks: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total or 1)
        bar.update(tasks[stage], completed=done, total=max(total, 1))

    return update


def _failed_rows(table: Table, failed: dict[str, int]) -> None:
    for reason, n in sorted(failed.items()):
        table.add_row(f"  failed: {reason}", str(n))


# -- feeds -----------------------------------------------------------------------------------


@feeds_app.command("validate")
def feeds_validate(
    file: Annotated[
        Path | None,
        typer.Argument(help="Feeds YAML file (default: NEWSWIRE_FEEDS_FILE).", dir_okay=False),
    ] = None,
) -> None:
    """Check a feeds file: every entry, field and name; exit 2 listing each problem."""
    settings = load_settings()
    feeds = _load(file, settings)
    enabled = sum(f.enabled for f in feeds)
    out.print(f"{file or settings.feeds_file}: {len(feeds)} feeds ({enabled} enabled) OK")


@feeds_app.command("list")
def feeds_list(
    file: Annotated[
        Path | None,
        typer.Argument(help="Feeds YAML file (default: NEWSWIRE_FEEDS_FILE).", dir_okay=False),
    ] = None,
) -> None:
    """List the feeds a file configures (name, outlet, language, interval, URL)."""
    settings = load_settings()
    table = Table("name", "outlet", "lang", "enabled", "every", "url")
    for feed in _load(file, settings):
        table.add_row(
            feed.name,
            feed.outlet,
            feed.language or "",
            "yes" if feed.enabled else "no",
            f"{feed.poll_interval_minutes} min",
            feed.url,
        )
    out.print(table)


# -- stages ----------------------------------------------------------------------------------


@app.command("poll")
def poll_command(
    feeds_file: FeedsOption = None,
    due_only: Annotated[
        bool, typer.Option("--due-only", help="Skip feeds polled within their interval.")
    ] = False,
) -> None:
    """Poll the enabled feeds once (conditional GET) and queue new articles for fetching."""
    from pipeline.services import ingest

    settings = load_settings()
    feeds = _load(feeds_file, settings)
    engine = open_database(settings)
    synced = ingest.sync_feeds(engine, settings, feeds)
    summary = ingest.poll(engine, settings, synced.enabled, due_only=due_only)
    table = Table("feed", "outcome", "HTTP", "entries", "new", "error / warning")
    for r in summary.results:
        table.add_row(
            r.feed,
            r.outcome,
            str(r.http_status or ""),
            str(r.entries_seen),
            str(r.entries_new),
            (r.error or r.warning or "")[:80],
        )
    out.print(table)
    out.print(
        f"{summary.feeds_polled} feeds polled: {summary.feeds_ok} ok, {summary.feeds_partial} "
        f"partial, {summary.feeds_unchanged} unchanged, {summary.feeds_failed} failed; "
        f"{summary.articles_new} new articles"
    )


@app.command("fetch")
def fetch_command(
    limit: Annotated[int | None, typer.Option(help="Fetch at most this many articles.")] = None,
) -> None:
    """Fetch pending articles politely and extract them on every core."""
    from pipeline.services import ingest

    settings = load_settings()
    engine = open_database(settings)
    with _progress() as bar:
        update = _stage_callback(bar)
        summary = ingest.fetch(
            engine, settings, limit=limit, progress=lambda d, t: update("fetch", d, t)
        )
    table = Table("articles", "count", title="fetch")
    table.add_row("claimed", str(summary.claimed))
    table.add_row("fetched", str(summary.fetched))
    table.add_row("extracted", str(summary.extracted))
    table.add_row("failed", str(summary.failed))
    _failed_rows(table, summary.failed_by_reason)
    table.add_row("retry scheduled", str(summary.retry_scheduled))
    if summary.reclaimed:
        table.add_row("leases freed (dead owner)", str(summary.reclaimed))
    out.print(table)


@app.command("extract-pending")
def extract_pending_command(
    since: Annotated[
        datetime | None, typer.Option(help="Only pages fetched at or after this time.")
    ] = None,
    until: Annotated[datetime | None, typer.Option(help="Only pages fetched before this.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Also re-extract pages the current extractor did.")
    ] = False,
) -> None:
    """Re-extract stored raw pages with no network (after an extractor upgrade, for backfills)."""
    from pipeline.services import ingest

    settings = load_settings()
    engine = open_database(settings)
    summary = ingest.extract(engine, settings, since=since, until=until, force=force)
    out.print(
        f"{summary.selected} stored pages: {summary.extracted} extracted, {summary.failed} "
        f"failed {summary.failed_by_reason or ''}".rstrip()
    )


@app.command("run")
def run_command(feeds_file: FeedsOption = None) -> None:
    """Run every stage once: poll feeds, fetch and extract, deduplicate, code events.

    Applies migrations first (starting the embedded database if NEWSWIRE_DATABASE_URL is unset)
    and ends with a summary table.
    """
    from pipeline.services.run import run_once

    settings = load_settings()
    feeds = _load(feeds_file, settings)
    engine = open_database(settings)
    with _progress() as bar:
        summary = run_once(engine, settings, feeds=feeds, progress=_stage_callback(bar))
    poll, fetch = summary.poll, summary.fetch
    table = Table("", "count", title=f"newswire run ({summary.seconds:.1f}s)")
    table.add_row("feeds polled", str(poll.feeds_polled))
    table.add_row("  ok / partial", f"{poll.feeds_ok} / {poll.feeds_partial}")
    table.add_row("  unchanged", str(poll.feeds_unchanged))
    table.add_row("  failed", str(poll.feeds_failed))
    table.add_row("articles new", str(poll.articles_new))
    table.add_row("articles fetched", str(fetch.fetched))
    table.add_row("articles extracted", str(fetch.extracted))
    table.add_row("articles failed", str(fetch.failed))
    _failed_rows(table, fetch.failed_by_reason)
    if fetch.reclaimed:
        table.add_row("leases freed (dead owner)", str(fetch.reclaimed))
    for name in ("dedup", "events"):
        result = getattr(summary, name)
        shown = ", ".join(f"{k}={v}" for k, v in result.items() if isinstance(v, int | float))
        table.add_row(name, shown)
    out.print(table)
    failing = [r for r in poll.results if r.outcome == "failed"]
    for r in failing:
        console.print(f"[yellow]feed {r.feed} failed:[/yellow] {r.error}")


# -- reporting -------------------------------------------------------------------------------


def _query(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


@app.command("stats")
def stats_command() -> None:
    """Counts of articles by status and failure reason, and the health of every feed."""
    settings = load_settings()
    engine = open_database(settings)
    by_status = Table("status", "reason", "articles", title="articles")
    for row in _query(
        engine,
        "SELECT status, coalesce(failure_reason, '') AS reason, count(*) AS n FROM articles"
        " GROUP BY 1, 2 ORDER BY 1, 2",
    ):
        by_status.add_row(row.status, row.reason, str(row.n))
    out.print(by_status)
    from datetime import UTC

    from pipeline.store.health import feed_states

    feeds = Table(
        "feed", "enabled", "last poll", "last outcome", "failures in a row", "articles", "health",
        title="feeds",
    )  # fmt: skip
    for state in feed_states(engine, as_of=datetime.now(UTC)):
        feeds.add_row(
            state.name,
            "yes" if state.enabled else "no",
            state.last_polled_at.strftime("%Y-%m-%d %H:%M") if state.last_polled_at else "never",
            state.last_outcome or "",
            str(state.consecutive_failures),
            str(state.articles),
            state.status,
        )
    out.print(feeds)
    leases = Table("owner (host:pid:start)", "alive", "articles", "lease ends", title="leases")
    from pipeline.store.leases import is_alive

    for row in _query(
        engine,
        "SELECT claimed_by, count(*) AS n, max(claimed_until) AS until FROM articles"
        " WHERE claimed_until > now() GROUP BY 1 ORDER BY 1",
    ):
        alive = is_alive(row.claimed_by) if row.claimed_by else None
        leases.add_row(
            row.claimed_by or "(unknown: claimed before owners were recorded)",
            {True: "yes", False: "no (freed by the next fetch)", None: "unknown"}[alive],
            str(row.n),
            row.until.strftime("%Y-%m-%d %H:%M:%S"),
        )
    if leases.row_count:
        out.print(leases)
    else:
        out.print("leases: no article is claimed")


@app.command("config")
def config_command() -> None:
    """Every setting with its value, environment variable and description (secrets hidden)."""
    from pipeline.db import redact

    settings = load_settings()
    table = Table("variable", "value", "description")
    for name, info in type(settings).model_fields.items():
        value: Any = getattr(settings, name)
        shown = "" if value is None else str(value)
        if name == "database_url" and value:
            shown = redact(str(value))
        elif any(word in name for word in _SECRET_WORDS) and value:
            shown = "********"
        table.add_row(f"NEWSWIRE_{name.upper()}", shown, info.description or "")
    out.print(table)
    out.print(f"User-Agent sent: {settings.user_agent_header}")


__all__ = [
    "config_command",
    "fetch_command",
    "poll_command",
    "run_command",
    "stats_command",
]
