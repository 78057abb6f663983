"""`newswire events`: code plain text (a file, stdin, or JSON lines) or the pending articles."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.cli._app import app, console, load_settings, open_database


def _parse_date(raw: str | None, what: str) -> date | None:
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        raise ValueError(f"{what}: {raw!r} is not a date (want YYYY-MM-DD)") from None


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command("events")
def events_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="Plain-text article to code; stdin when omitted.", show_default=False),
    ] = None,
    pub_date: Annotated[
        str | None,
        typer.Option("--date", help="Publication date (YYYY-MM-DD) relative dates resolve to."),
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl", help="Code many documents: one JSON object a line with id, text, date."
        ),
    ] = None,
    pending: Annotated[
        bool,
        typer.Option("--pending", help="Code the pending articles in the database instead."),
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Per sentence: the actors found, the patterns tried, why each was kept or "
            "dropped (a readable trace on stdout instead of JSON).",
        ),
    ] = False,
) -> None:
    """Code diplomatic events (CAMEO): prints one JSON object per event and line."""
    from pipeline.stages.events import DictionaryError, code_pending, code_text, load_lexicon

    settings = load_settings()
    try:
        lexicon = load_lexicon(settings.events_dictionary_dirs)
    except DictionaryError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if pending:
        import dataclasses

        engine = open_database(settings)
        _emit(dataclasses.asdict(code_pending(engine, settings)))
        return
    if jsonl is not None:
        bad = 0
        try:
            lines = jsonl.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            console.print(f"[red]error:[/red] cannot read {jsonl}: {exc.strerror}")
            raise typer.Exit(2) from None
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                doc = json.loads(line)
                if not isinstance(doc, dict) or not isinstance(doc.get("text"), str):
                    raise ValueError("needs an object with a text string")
                day = _parse_date(doc.get("date"), "date")
            except ValueError as exc:
                console.print(f"[yellow]skipped[/yellow] {jsonl}:{number}: {exc}")
                bad += 1
                continue
            for event in code_text(doc["text"], day, lexicon=lexicon):
                _emit({"id": doc.get("id"), **event.as_dict()})
        if bad:
            raise typer.Exit(1)
        return
    try:
        day = _parse_date(pub_date, "--date")
    except ValueError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            console.print(f"[red]error:[/red] cannot read {file}: {exc.strerror}")
            raise typer.Exit(2) from None
    else:
        text = sys.stdin.read()
    if explain:
        _explain(text, day, lexicon)
        return
    for event in code_text(text, day, lexicon=lexicon):
        _emit(event.as_dict())


def _explain(text: str, day: date | None, lexicon: Any) -> None:
    """The ``--explain`` trace: why each sentence did or did not give events."""
    from pipeline.stages.events import code_text

    trace: list[dict[str, Any]] = []
    events = code_text(text, day, lexicon=lexicon, trace=trace)
    out = sys.stdout
    for record in trace:
        out.write(f"[{record['sentence_index']}] {' '.join(str(record['text']).split())}\n")
        actors = ", ".join(
            f"{a['text']} ({a['code']}{', coreferent' if a.get('coreferent') else ''})"
            for a in record["actors"]
        )
        if record.get("skipped"):
            out.write(f"  skipped: {record['skipped']}\n")
            continue
        out.write(f"  actors: {actors or 'none'}\n")
        for note in record["candidates"] or []:
            out.write(
                f"  {note['pattern_id']} [{note['code']}] {note['trigger']!r}: {note['outcome']}\n"
            )
    out.write(f"{len(events)} events; sentences without any matching pattern are not listed\n")
