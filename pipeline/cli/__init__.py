"""Command-line interface: `newswire` and `python -m pipeline` both call :func:`main`.

Each area registers its commands on the one Typer app from its own module.
"""

from __future__ import annotations

from pipeline.cli import (
    airflow,  # noqa: F401
    db,  # noqa: F401  (registers commands)
    dedup,  # noqa: F401
    events,  # noqa: F401
    extract,  # noqa: F401
    ingest,  # noqa: F401
    replay,  # noqa: F401
)
from pipeline.cli._app import app


def main() -> None:
    """Entry point of the console script."""
    app()


__all__ = ["app", "main"]
