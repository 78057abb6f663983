"""`newswire replay DIR` and `newswire demo`: recorded material served offline, and the demo."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from devtools.demo import DEMO_PORT
from devtools.replay import ReplayConfigError, ReplayServer
from pipeline.cli._app import app, console, load_settings, open_database, out

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@app.command("replay")
def replay(
    directory: Annotated[
        Path,
        typer.Argument(
            exists=True, file_okay=False, dir_okay=True, help="Folder laid out as <host>/<path>."
        ),
    ],
    *,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1; 0 picks a free one.")] = 0,
    host: Annotated[str, typer.Option(help="Loopback address to bind.")] = "127.0.0.1",
    rewrite_html: Annotated[
        bool, typer.Option(help="Also point links inside HTML pages at this server.")
    ] = False,
    per_host_ports: Annotated[
        bool,
        typer.Option(
            help="Give each recorded host its own port (PORT+1, PORT+2, … when PORT is fixed), "
            "so every outlet is a separate origin."
        ),
    ] = False,
    write_feeds: Annotated[
        Path | None,
        typer.Option(
            help="Also write a feeds YAML file listing the served feeds (for NEWSWIRE_FEEDS_FILE)."
        ),
    ] = None,
) -> None:
    """Serve a folder of recorded feeds and pages on 127.0.0.1, rewriting feed links to itself.

    Feeds, sitemaps and robots.txt come back with every link to a recorded host pointing at this
    server, so a pipeline fed from it never leaves loopback. Special answers (errors, redirects,
    slowness) come from DIR/_responses.yaml; see docs/demo.md. Stop with Ctrl-C.
    """
    try:
        server = ReplayServer(
            directory,
            host=host,
            port=port,
            rewrite_html=rewrite_html,
            per_host_ports=per_host_ports,
        )
        server.start()
    except (ReplayConfigError, ValueError, OSError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    # Ctrl-C (SIGINT) and SIGTERM (service managers, `kill`) both only set this event: a
    # KeyboardInterrupt raised wherever the main thread happens to be (inside a print, a lock)
    # left the SIGINT case hanging now and then on a loaded CI host, while SIGTERM never did
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOP_SIGNALS}
    try:
        out.print(f"replaying {server.root} at {server.base_url}")
        for name, host_port in server.host_ports.items():
            out.print(f"  host  {name} -> {server.origin_for(name)} (port {host_port})")
        feeds = server.feed_paths()
        for rel in feeds:
            out.print(f"  feed  {server.url_for(rel)}")
        if not feeds:
            out.print("  (no RSS/Atom feeds found)")
        out.print(f"  robots {server.base_url}/robots.txt")
        # the SSRF guard refuses loopback unless told: exactly this server's ports
        out.print(f"pipeline env NEWSWIRE_ALLOWED_HOSTS={server.allowed_hosts}")
        if write_feeds is not None:
            from devtools.demo import served_feeds, write_feeds_file

            write_feeds_file(served_feeds(server), write_feeds)
            out.print(f"feeds file written: {write_feeds}")
        out.print("press Ctrl-C to stop")
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    out.print("stopped")


@app.command("demo")
def demo(
    port: Annotated[
        int,
        typer.Option(
            help="Port of the replay server on 127.0.0.1 (fixed so a second run adds nothing; "
            "0 picks a free one)."
        ),
    ] = DEMO_PORT,
    show: Annotated[int, typer.Option(help="How many stored articles to list.")] = 12,
) -> None:
    """Run the whole pipeline offline over the bundled sample corpus (fictional wire stories).

    Serves devtools/sample on 127.0.0.1 through the replay server, polls its feeds, fetches and
    extracts the pages, deduplicates and codes events into the configured database (the
    embedded one unless NEWSWIRE_DATABASE_URL is set), then lists what landed. Run it twice:
    the second run finds the feeds unchanged and adds nothing. See docs/demo.md.
    """
    from devtools.demo import run_demo, stored_articles
    from pipeline.cli.ingest import _progress, _stage_callback

    settings = load_settings()
    engine = open_database(settings)
    try:
        with _progress() as bar:
            summary = run_demo(engine, settings, progress=_stage_callback(bar), port=port)
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot serve the sample corpus on port {port}: {exc}")
        console.print("Pick another with --port (0 for any free port).")
        raise typer.Exit(2) from None
    poll, fetch = summary.poll, summary.fetch
    table = Table("", "count", title=f"newswire demo ({summary.seconds:.1f}s)")
    table.add_row("feeds polled", str(poll.feeds_polled))
    table.add_row("  unchanged since last run", str(poll.feeds_unchanged))
    table.add_row("  failed", str(poll.feeds_failed))
    table.add_row("feed entries seen / new", f"{poll.entries_seen} / {poll.entries_new}")
    table.add_row("articles new", str(poll.articles_new))
    table.add_row("articles fetched", str(fetch.fetched))
    table.add_row("articles extracted", str(fetch.extracted))
    table.add_row("articles failed", str(fetch.failed))
    for reason, count in sorted(fetch.failed_by_reason.items()):
        table.add_row(f"  {reason}", str(count))
    if fetch.retry_scheduled:
        table.add_row("  retry scheduled", str(fetch.retry_scheduled))
    for name in ("dedup", "events"):
        result = getattr(summary, name)
        shown = (
            "not available"
            if result is None
            else ", ".join(f"{k}={v}" for k, v in result.items() if isinstance(v, int | float))
        )
        table.add_row(name, shown)
    out.print(table)

    articles = Table("outlet", "published", "title", "status", title="stored sample articles")
    for art in stored_articles(engine, limit=show):
        status = art.status if not art.failure_reason else f"{art.status}: {art.failure_reason}"
        when = art.published_at.date().isoformat() if art.published_at else "-"
        articles.add_row(art.outlet or "-", when, art.title or art.url, status)
    out.print(articles)
    out.print(
        "The rows are in PostgreSQL: `newswire db url` prints where, e.g.\n"
        "  psql \"$(newswire db url | sed 's/+psycopg//')\" -c "
        "'select outlet, published_at, title, status, failure_reason from articles'\n"
        "`newswire stats` summarises them. Everything in the sample corpus is fictional "
        "(devtools/sample/README.md)."
    )
