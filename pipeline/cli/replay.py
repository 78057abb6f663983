"""`newswire replay DIR` and `newswire demo`: offline serving of recorded material."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli._app import app, console, out
from pipeline.replay import ReplayConfigError, ReplayServer


@app.command("replay")
def replay(
    directory: Annotated[
        Path,
        typer.Argument(
            exists=True, file_okay=False, dir_okay=True, help="Folder laid out as <host>/<path>."
        ),
    ],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1; 0 picks a free one.")] = 0,
    host: Annotated[str, typer.Option(help="Loopback address to bind.")] = "127.0.0.1",
    rewrite_html: Annotated[
        bool, typer.Option(help="Also point links inside HTML pages at this server.")
    ] = False,
) -> None:
    """Serve a folder of recorded feeds and pages on 127.0.0.1, rewriting feed links to itself.

    Feeds, sitemaps and robots.txt come back with every link to a recorded host pointing at this
    server, so a pipeline fed from it never leaves loopback. Special answers (errors, redirects,
    slowness) come from DIR/_responses.yaml; see docs/demo.md. Stop with Ctrl-C.
    """
    try:
        server = ReplayServer(directory, host=host, port=port, rewrite_html=rewrite_html)
        server.start()
    except (ReplayConfigError, ValueError, OSError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    try:
        out.print(f"replaying {server.root} at {server.base_url}")
        feeds = server.feed_paths()
        for rel in feeds:
            out.print(f"  feed  {server.url_for(rel)}")
        if not feeds:
            out.print("  (no RSS/Atom feeds found)")
        out.print(f"  robots {server.base_url}/robots.txt")
        out.print("press Ctrl-C to stop")
        stop = threading.Event()
        # SIGTERM (service managers, `kill`) stops as cleanly as Ctrl-C does
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    out.print("stopped")
