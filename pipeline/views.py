"""Dashboard views from ``sql/views`` (dbt-style staging, then marts), applied after migrations.

Views are code, not state: every upgrade drops and recreates them in one transaction, so a changed
view never needs its own migration and dashboards never see a half-applied set. A view may
depend on another; those are created in dependency order by retrying until nothing is left.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

from pipeline.config import PACKAGE_DIR

LOGGER = logging.getLogger(__name__)

_CREATE_VIEW = re.compile(
    r"create\s+(?:or\s+replace\s+)?(materialized\s+)?view\s+([a-z_][a-z0-9_]*)", re.IGNORECASE
)
LAYERS = ("staging", "marts")
# shared with pipeline/migrations/env.py: migrations and view creation serialise on one lock
MIGRATION_LOCK_KEY = 7_351_220_014


@dataclass(frozen=True)
class ViewFile:
    """One ``create view`` statement and where it came from."""

    name: str
    materialized: bool
    path: Path
    sql: str


def sql_dir() -> Path:
    """``sql/`` of the checkout, or the copy packaged into the wheel."""
    for candidate in (PACKAGE_DIR.parent / "sql", PACKAGE_DIR / "_sql"):
        if (candidate / "views").is_dir():
            return candidate
    raise FileNotFoundError("the sql/views folder is missing from this installation")


def load_views(root: Path | None = None) -> list[ViewFile]:
    """Every view file, staging first, each layer in name order."""
    base = (root or sql_dir()) / "views"
    views: list[ViewFile] = []
    for layer in LAYERS:
        for path in sorted((base / layer).glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            match = _CREATE_VIEW.search(sql)
            if not match:
                raise ValueError(f"{path}: no 'create view NAME' statement found")
            views.append(ViewFile(match.group(2), bool(match.group(1)), path, sql))
    return views


def apply_views(engine: Engine, root: Path | None = None) -> list[str]:
    """Drop and recreate all dashboard views atomically; returns the names in creation order."""
    views = load_views(root)
    created: list[str] = []
    with engine.begin() as conn:
        # the migrations' lock, held to commit: two processes starting at once on a fresh
        # database would otherwise drop and create the same views concurrently and one fail
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        for view in reversed(views):
            kind = "MATERIALIZED VIEW" if view.materialized else "VIEW"
            conn.execute(text(f"DROP {kind} IF EXISTS {view.name} CASCADE"))
        pending = list(views)
        while pending:
            failed: list[tuple[ViewFile, str]] = []
            for view in pending:
                try:
                    with conn.begin_nested():
                        conn.exec_driver_sql(view.sql)
                    created.append(view.name)
                except ProgrammingError as exc:
                    failed.append((view, str(exc.orig).splitlines()[0]))
            if len(failed) == len(pending):
                details = "; ".join(f"{v.path.name}: {err}" for v, err in failed)
                raise RuntimeError(f"cannot create dashboard views: {details}")
            pending = [view for view, _ in failed]
    LOGGER.info("dashboard views applied: %s", ", ".join(created))
    return created


def refresh_materialized(engine: Engine) -> list[str]:
    """Refresh materialized views (the maintenance DAG calls this daily)."""
    names = [v.name for v in load_views() if v.materialized]
    with engine.begin() as conn:
        for name in names:
            conn.execute(text(f"REFRESH MATERIALIZED VIEW {name}"))
    return names
