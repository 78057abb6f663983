"""`newswire dedup --jsonl FILE`: run the pipeline's dedup over a file, to tune it on your data."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli._app import app, console, load_settings
from pipeline.db import DatabaseUnavailableError, database_url


@app.command("dedup")
def dedup_command(
    jsonl: Annotated[
        Path,
        typer.Option(
            "--jsonl",
            exists=True,
            dir_okay=False,
            readable=True,
            help="One JSON object a line: id, url, title, text, optional published (ISO 8601).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON lines here instead of stdout."),
    ] = None,
) -> None:
    """Deduplicate FILE in file order with the pipeline's incremental dedup.

    Runs in a scratch database created on the configured server (the embedded one when
    NEWSWIRE_DATABASE_URL is unset) and dropped afterwards: your data are never touched. Prints
    one JSON line per document: id, pred_cluster, duplicate_of, method, score.
    """
    from devtools.scratch import (
        DedupInputError,
        parse_documents,
        run_documents,
        scratch_database,
    )

    settings = load_settings()
    try:
        admin_url = database_url(settings)
        with (
            jsonl.open(encoding="utf-8") as lines,
            scratch_database(admin_url) as engine,
        ):
            sink = output.open("w", encoding="utf-8") if output else sys.stdout
            try:
                for record in run_documents(engine, settings, parse_documents(lines)):
                    sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            finally:
                if output:
                    sink.close()
    except DedupInputError as exc:
        console.print(f"[red]error:[/red] {jsonl}: {exc}")
        raise typer.Exit(2) from None
    except DatabaseUnavailableError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from None
