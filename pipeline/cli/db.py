"""`newswire db …`: schema migrations, URLs for dashboards, serving the embedded database."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from pipeline.cli._app import console, db_app, load_settings, open_database, out
from pipeline.db import current_revisions, readonly_url, redact


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all pending migrations and the views; create the read-only dashboard role."""
    settings = load_settings()
    engine = open_database(settings, migrate=True)
    out.print(
        f"database {redact(str(engine.url.render_as_string(hide_password=False)))} at "
        f"{', '.join(sorted(current_revisions(engine))) or 'no revision'}; "
        f"read-only role {settings.readonly_user}"
    )


def _libpq(url: str) -> str:
    """The URL without the SQLAlchemy driver suffix, as psql and other libpq clients want it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@db_app.command("url")
def db_url(
    read_only: Annotated[
        bool,
        typer.Option(
            "--read-only",
            help="The read-only dashboard role's URL (with its password): SELECT on the views.",
        ),
    ] = False,
    libpq: Annotated[
        bool, typer.Option("--libpq", help="postgresql:// form for psql and dashboards.")
    ] = False,
) -> None:
    """Print the database URL in use (owner's password hidden); starts the embedded server if
    needed. Run `newswire db serve` to keep the embedded server up between commands."""
    settings = load_settings()
    engine = open_database(settings, migrate=read_only)
    full = engine.url.render_as_string(hide_password=False)
    if read_only:
        url = readonly_url(full, settings)
    else:
        url = engine.url.render_as_string(hide_password=True)
    out.print(_libpq(url) if libpq else url, highlight=False)


@db_app.command("refresh")
def db_refresh() -> None:
    """Refresh the materialized dashboard views now (without blocking readers)."""
    from pipeline.store.views import refresh_materialized

    settings = load_settings()
    engine = open_database(settings, migrate=True)
    names = refresh_materialized(engine)
    out.print(f"refreshed {len(names)} materialized views: {', '.join(names)}")


@db_app.command("serve")
def db_serve(
    port: Annotated[
        int | None,
        typer.Option(help="Also listen on 127.0.0.1:PORT (TCP) for dashboard tools; 0 = any."),
    ] = None,
) -> None:
    """Keep the embedded PostgreSQL up (until Ctrl-C or SIGTERM) and print its URLs."""
    from devtools.dbserve import relay, socket_address, tcp_url, wait_for_signal

    settings = load_settings()
    if settings.database_url:
        console.print(
            "[red]error:[/red] NEWSWIRE_DATABASE_URL is set: that server is already up; "
            "`newswire db url` prints its URL."
        )
        raise typer.Exit(2)
    engine = open_database(settings, migrate=True)
    owner = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    reader = readonly_url(owner, settings)
    out.print(f"owner:     {_libpq(owner)}", highlight=False)
    out.print(f"read-only: {_libpq(reader)}", highlight=False)
    if port is None:
        out.print("serving the embedded database; Ctrl-C to stop", highlight=False)
        wait_for_signal()
        out.print("stopped", highlight=False)
        return
    try:
        tcp = relay(socket_address(owner).path, port)
        running = tcp.__enter__()
    except OSError as exc:
        console.print(f"[red]error:[/red] cannot listen on 127.0.0.1:{port}: {exc}")
        raise typer.Exit(3) from None
    try:
        out.print(f"owner tcp:     {tcp_url(owner, running.port)}", highlight=False)
        out.print(
            "read-only tcp: "
            + tcp_url(
                owner,
                running.port,
                username=settings.readonly_user,
                password=settings.readonly_password,
            ),
            highlight=False,
        )
        out.print("serving the embedded database; Ctrl-C to stop", highlight=False)
        wait_for_signal()
    finally:
        tcp.__exit__(None, None, None)
    out.print("stopped", highlight=False)
