"""The Typer application and the helpers every command shares."""

from __future__ import annotations

from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy import Engine

from pipeline.config import Settings, describe_error, get_settings, unknown_variables
from pipeline.db import DatabaseUnavailableError, database_url, make_engine, upgrade
from pipeline.logs import configure_logging

app = typer.Typer(
    name="newswire",
    help=(
        "Wire-news ingestion: poll RSS/Atom feeds, fetch and extract articles, deduplicate "
        "syndicated copies, code diplomatic events (CAMEO) and store it all in PostgreSQL.\n\n"
        "With NEWSWIRE_DATABASE_URL unset, an embedded PostgreSQL is started under "
        "NEWSWIRE_DATA_DIR (default ./var). Run `newswire config` to see every setting."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema: migrations and status.", no_args_is_help=True)
feeds_app = typer.Typer(
    help="The feeds file: check it and list what it holds.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(feeds_app, name="feeds")

console = Console(stderr=True)
out = Console(soft_wrap=True)

_STATE: dict[str, Settings] = {}


@app.callback()
def _root(
    log_level: Annotated[
        str | None, typer.Option(help="Logging level (env NEWSWIRE_LOG_LEVEL).")
    ] = None,
    log_format: Annotated[
        str | None, typer.Option(help="auto, console or json (env NEWSWIRE_LOG_FORMAT).")
    ] = None,
) -> None:
    overrides: dict[str, object] = {}
    if log_level:
        overrides["log_level"] = log_level
    if log_format:
        overrides["log_format"] = log_format
    settings = load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)


def load_settings(**overrides: object) -> Settings:
    """Settings for this invocation, or a clean exit naming the bad variable."""
    if "settings" in _STATE and not overrides:
        return _STATE["settings"]
    try:
        settings = get_settings(**overrides)
    except ValidationError as exc:
        for line in describe_error(exc).splitlines():
            console.print(f"[red]error:[/red] invalid configuration: {line}", highlight=False)
        raise typer.Exit(2) from None
    except (OSError, UnicodeDecodeError) as exc:  # an unreadable .env file
        console.print(f"[red]error:[/red] cannot read the configuration: {exc}", highlight=False)
        raise typer.Exit(2) from None
    if "warned" not in _STATE:
        for warning in unknown_variables():
            console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
        _STATE["warned"] = settings
    _STATE["settings"] = settings
    return settings


def open_database(settings: Settings, *, migrate: bool = True) -> Engine:
    """Connect (starting the embedded server if needed) and apply migrations, or exit cleanly."""
    try:
        url = database_url(settings)
        engine = make_engine(url)
        if migrate:
            upgrade(url)
    except DatabaseUnavailableError as exc:
        database_error(exc)
    return engine


DATABASE_EXIT_CODE = 3


def database_error(exc: BaseException | str) -> NoReturn:
    """Print the one clean message for an unreachable database (at start-up or mid-run), exit 3."""
    console.print(f"[red]error:[/red] {exc}", highlight=False)
    console.print("Check NEWSWIRE_DATABASE_URL, or unset it to use the embedded database.")
    raise typer.Exit(DATABASE_EXIT_CODE)
