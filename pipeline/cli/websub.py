"""WebSub commands: `websub serve` (the receiver hubs push to), `websub maintain`, `websub list`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from pipeline.cli._app import app, console, load_settings, open_database, out

websub_app = typer.Typer(
    help="WebSub push: the receiver hubs deliver to, subscriptions and their state.",
    no_args_is_help=True,
)
app.add_typer(websub_app, name="websub")


@websub_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8088,
    process: Annotated[
        bool,
        typer.Option(
            help="Fetch, extract, dedup and code pushed articles here at once (else the "
            "15-minute ingest picks them up)."
        ),
    ] = True,
) -> None:
    """Receive hubs' verifications and pushes at /websub/<feed id>/<token> until
    interrupted.

    Hubs reach it at NEWSWIRE_WEBSUB_CALLBACK_URL (put a TLS-terminating proxy in front);
    subscriptions are requested by the stream dispatcher or `newswire websub maintain`.
    """
    from pipeline.services.websub import Receiver

    settings = load_settings()
    engine = open_database(settings)
    receiver = Receiver(engine, settings, host, port, process=process)
    bound = receiver.address
    if not settings.websub_callback_url:
        console.print(
            "[yellow]warning:[/yellow] NEWSWIRE_WEBSUB_CALLBACK_URL is not set: no subscription "
            "will be requested, so no hub will push here."
        )
    console.print(f"websub receiver on http://{bound[0]}:{bound[1]}/websub/<feed id>/<token>")
    try:
        receiver.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        receiver.close()
        engine.dispose()


@websub_app.command("maintain")
def maintain() -> None:
    """Expire lapsed subscriptions; request new ones and renewals (needs the callback URL)."""
    from pipeline.stages.feeds.websub_io import maintain_subscriptions

    settings = load_settings()
    engine = open_database(settings)
    summary = maintain_subscriptions(engine, settings)
    out.print(f"lapsed {summary.lapsed}, requested {summary.requested}, failed {summary.failed}")


@websub_app.command("list")
def list_subscriptions() -> None:
    """Every feed that announced a hub, and where its subscription stands."""
    from pipeline.models import Feed, WebSubSubscription

    settings = load_settings()
    engine = open_database(settings)
    table = Table("feed", "state", "hub", "topic", "lease expires", "last push", "error")
    with engine.connect() as conn:
        rows = conn.execute(
            select(Feed.name, WebSubSubscription)
            .join(Feed, Feed.id == WebSubSubscription.feed_id)
            .order_by(Feed.name)
        ).all()
    for name, sub in rows:
        table.add_row(
            name,
            sub.state,
            sub.hub,
            sub.topic,
            str(sub.lease_expires_at or ""),
            str(sub.last_push_at or ""),
            (sub.error or "")[:60],
        )
    out.print(table)
