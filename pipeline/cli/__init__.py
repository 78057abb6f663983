"""Command-line interface: `newswire` and `python -m pipeline` both call :func:`main`.

Each area registers its commands on the one Typer app from its own module.
"""

from __future__ import annotations

import signal
from types import FrameType

import typer

from pipeline.cli import (
    airflow,  # noqa: F401
    db,  # noqa: F401  (registers commands)
    dedup,  # noqa: F401
    events,  # noqa: F401
    extract,  # noqa: F401
    ingest,  # noqa: F401
    replay,  # noqa: F401
    websub,  # noqa: F401
)
from pipeline.cli._app import _STATE, app, console, database_error
from pipeline.db import describe_connection_loss, is_connection_loss


def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM unwinds like Ctrl-C, so leases are released and worker pools shut down."""
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Entry point of the console script.

    A database lost mid-run ends with the same one-line message and exit code as a database
    unreachable at start-up, not a traceback through SQLAlchemy.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/yellow]: leases released, partial work kept")
        raise SystemExit(130) from None
    except Exception as exc:
        if not is_connection_loss(exc):
            raise
        try:
            database_error(describe_connection_loss(exc, _url()))
        except typer.Exit as stop:
            raise SystemExit(stop.exit_code) from None


def _url() -> str | None:
    settings = _STATE.get("settings")
    return settings.database_url if settings is not None else None


__all__ = ["app", "main"]
