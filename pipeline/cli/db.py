"""`newswire db …`: schema migrations."""

from __future__ import annotations

from pipeline.cli._app import db_app, load_settings, open_database, out
from pipeline.db import current_revisions, redact


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all pending migrations (the run command does this itself)."""
    settings = load_settings()
    engine = open_database(settings, migrate=True)
    out.print(
        f"database {redact(str(engine.url.render_as_string(hide_password=False)))} at "
        f"{', '.join(sorted(current_revisions(engine))) or 'no revision'}"
    )


@db_app.command("url")
def db_url() -> None:
    """Print the database URL in use (password hidden); starts the embedded server if needed."""
    settings = load_settings()
    engine = open_database(settings, migrate=False)
    out.print(engine.url.render_as_string(hide_password=True))
