"""`newswire extract FILE...`: run the pipeline's extraction on saved pages, no database needed.

It calls the same :func:`pipeline.stages.extract.page.extract_page` as the fetch stage, so what it
prints is what the pipeline would store. Files are extracted in a process pool (extraction is
CPU-bound) and printed in input order; a page that yields no article prints an error object and the
command goes on.
"""

from __future__ import annotations

import json
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from pipeline.cli._app import app, console, load_settings, out
from pipeline.stages.extract.page import extract_page


def extract_file(
    path: str, url: str | None, max_skew_hours: float, min_year: int
) -> dict[str, Any]:
    """Extract one saved page into the JSON object the command prints (runs in a worker)."""
    file = Path(path)
    page_url = url or file.resolve().as_uri()
    try:
        body = file.read_bytes()
    except FileNotFoundError:
        return {"file": path, "url": page_url, "error": "file not found", "reason": "missing_file"}
    except OSError as exc:  # a directory, no permission, ...
        return {"file": path, "url": page_url, "error": str(exc), "reason": "unreadable_file"}
    result = extract_page(body, page_url, max_skew_hours=max_skew_hours, min_year=min_year)
    if not result.ok:
        return {
            "file": path,
            "url": page_url,
            "error": result.detail,
            "reason": str(result.failure),
            "title": result.title,
        }
    return {
        "file": path,
        "url": page_url,
        "title": result.title,
        "authors": result.authors,
        "published": result.published_at.isoformat() if result.published_at else None,
        "date_source": result.date_source,
        "language": result.language,
        "sitename": result.sitename,
        "word_count": result.word_count,
        "text": result.text,
        # added field: the wall sign seen on a page whose text was kept (null: none)
        "wall_marker": result.wall_marker,
    }


EXTRACT_HELP = (
    "Extract article text and metadata from saved pages, in parallel, in input order.\n\n"
    "Each page prints file, url, title, authors, published, language, sitename and text; a "
    "page with no article (empty, not HTML, a paywall or consent wall, a missing file) prints "
    "an object with `error` and `reason` instead, and the command goes on. The exit status is "
    "0 unless the arguments are wrong."
)


@app.command("extract", help=EXTRACT_HELP)
def extract_command(
    files: Annotated[
        list[str],
        typer.Argument(metavar="FILE", help="Saved HTML pages (bytes as fetched; any encoding)."),
    ],
    url: Annotated[
        str | None,
        typer.Option(help="The page's original URL (only with a single FILE); default file://."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line instead of a summary.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Processes to use (default NEWSWIRE_WORKERS, 0 = one per core)."),
    ] = None,
) -> None:
    """Run the pipeline's own extraction on files, so what it prints is what a fetch stores."""
    if url is not None and len(files) > 1:
        console.print("[red]error:[/red] --url names one page; give a single FILE with it")
        raise typer.Exit(2)
    settings = load_settings()
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        # trafilatura warns "discarding data" for every page without an article; the error
        # objects already say so, once, on stdout
        logging.getLogger("trafilatura").setLevel(logging.ERROR)
        logging.getLogger("htmldate").setLevel(logging.ERROR)
    count = workers or settings.workers or os.cpu_count() or 1
    count = min(count, len(files))
    args = (
        files,
        [url] * len(files),
        [settings.max_date_skew_hours] * len(files),
        [settings.min_year] * len(files),
    )
    if count <= 1:
        results = map(extract_file, *args)
        _print(results, as_json=as_json)
        return
    with ProcessPoolExecutor(max_workers=count) as pool:
        _print(pool.map(extract_file, *args), as_json=as_json)


def _print(results: Any, *, as_json: bool) -> None:
    for item in results:
        if as_json:
            # plain stdout, not rich: JSON must pass through byte for byte (no markup, emoji)
            typer.echo(json.dumps(item, ensure_ascii=False))
        elif "error" in item:
            out.print(
                f"{escape(item['file'])}: [red]{item['reason']}[/red] ({escape(item['error'])})"
            )
        else:
            text = item["text"] or ""
            out.print(
                f"[bold]{escape(item['file'])}[/bold]: {escape(str(item['title']))} | "
                f"{item['published']} ({item['date_source']}) | {item['language']} | "
                f"{item['word_count']} words",
                highlight=False,
            )
            out.print(f"  {text[:200]}{'…' if len(text) > 200 else ''}", markup=False, emoji=False)
