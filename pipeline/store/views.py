"""Dashboard views from ``sql/views`` (dbt-style staging, then marts), applied after migrations.

Views are code, not state: one mechanism owns every view (migrations hold tables only). An
upgrade recreates the whole set in one transaction when any file changed, so a changed view never
needs its own migration and dashboards never see a half-applied set; when nothing changed (the
fingerprint in each view's comment matches) nothing is dropped, so materialized views are not
recomputed on every command. A view may depend on another; those are created in dependency order
by retrying until nothing is left.

The read-only role (:func:`grant_readonly`) may SELECT these views and nothing else: views are
owned by the schema owner, so reading a view needs no grant on the tables behind it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from pipeline.config import PACKAGE_DIR
from pipeline.store import locks

LOGGER = logging.getLogger(__name__)

_CREATE_VIEW = re.compile(
    r"create\s+(?:or\s+replace\s+)?(materialized\s+)?view\s+([a-z_][a-z0-9_]*)", re.IGNORECASE
)
_STATEMENT_END = re.compile(r";[ \t]*(?:\n|$)")
LAYERS = ("staging", "marts")
COMMENT_PREFIX = "newswire sql/views "


@dataclass(frozen=True)
class ViewFile:
    """One view file: its ``create view`` and any index statements that follow it."""

    name: str
    materialized: bool
    path: Path
    sql: str

    @property
    def statements(self) -> list[str]:
        """The file's statements, split at semicolons that end a line."""
        return [part.strip() for part in _STATEMENT_END.split(self.sql) if _has_code(part)]

    @property
    def kind(self) -> str:
        """``VIEW`` or ``MATERIALIZED VIEW``, for DDL."""
        return "MATERIALIZED VIEW" if self.materialized else "VIEW"


def _has_code(part: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in part.splitlines())


def sql_dir() -> Path:
    """``sql/`` of the checkout, or the copy packaged into the wheel."""
    for candidate in (PACKAGE_DIR.parent / "sql", PACKAGE_DIR / "_sql"):
        if (candidate / "views").is_dir():
            return candidate
    raise FileNotFoundError("the sql/views folder is missing from this installation")


def load_views(root: Path | None = None) -> list[ViewFile]:
    """Every view file, staging first, each layer in name order; file name = view name."""
    base = (root or sql_dir()) / "views"
    views: list[ViewFile] = []
    for layer in LAYERS:
        for path in sorted((base / layer).glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            match = _CREATE_VIEW.search(sql)
            if not match:
                raise ValueError(f"{path}: no 'create view NAME' statement found")
            if match.group(2) != path.stem:
                raise ValueError(f"{path}: creates {match.group(2)!r}; name the file after it")
            views.append(ViewFile(match.group(2), bool(match.group(1)), path, sql))
    return views


def fingerprint(views: list[ViewFile]) -> str:
    """A hash of the whole set: any changed, added or removed file changes it."""
    digest = hashlib.sha256()
    for view in views:
        digest.update(f"{view.path.parent.name}/{view.path.name}\0{view.sql}\0".encode())
    return digest.hexdigest()[:16]


def _installed_comments(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        text(
            "SELECT c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')"
        )
    )
    return {str(name): str(comment) for name, comment in rows}


def apply_views(
    engine: Engine,
    root: Path | None = None,
    *,
    readonly_user: str | None = None,
    force: bool = False,
) -> list[str]:
    """Create the dashboard views (atomically, only when changed); returns the names in order.

    With *readonly_user* (an existing role), that role is granted SELECT on exactly these views.
    """
    views = load_views(root)
    stamp = COMMENT_PREFIX + fingerprint(views)
    created: list[str] = []
    with engine.begin() as conn:
        # the migrations' lock, held to commit: two processes starting at once on a fresh
        # database would otherwise drop and create the same views concurrently and one fail
        locks.xact_lock(conn, locks.SCHEMA, locks.MIGRATE)
        installed = _installed_comments(conn)
        if not force and all(installed.get(v.name) == stamp for v in views):
            created = [v.name for v in views]
            LOGGER.debug("dashboard views unchanged (%s)", stamp)
        else:
            created = _recreate(conn, views, stamp)
            LOGGER.info("dashboard views applied: %s", ", ".join(created))
        if readonly_user:
            _grant_views(conn, readonly_user, created)
    return created


def _recreate(conn: Connection, views: list[ViewFile], stamp: str) -> list[str]:
    installed = _installed_kinds(conn)
    for view in reversed(views):
        kind = installed.get(view.name)
        if kind:
            conn.execute(text(f"DROP {kind} IF EXISTS {view.name} CASCADE"))
    created: list[str] = []
    pending = list(views)
    while pending:
        failed: list[tuple[ViewFile, str]] = []
        for view in pending:
            try:
                with conn.begin_nested():
                    for statement in view.statements:
                        conn.exec_driver_sql(statement)
                    conn.exec_driver_sql(f"COMMENT ON {view.kind} {view.name} IS '{stamp}'")
                created.append(view.name)
            except ProgrammingError as exc:
                failed.append((view, str(exc.orig).splitlines()[0]))
        if len(failed) == len(pending):
            details = "; ".join(f"{v.path.name}: {err}" for v, err in failed)
            raise RuntimeError(f"cannot create dashboard views: {details}")
        pending = [view for view, _ in failed]
    return created


def _installed_kinds(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        text(
            "SELECT c.relname, c.relkind FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm')"
        )
    )
    return {str(n): ("MATERIALIZED VIEW" if k == "m" else "VIEW") for n, k in rows}


def _quote_ident(conn: Connection, name: str) -> str:
    return str(conn.execute(text("SELECT quote_ident(:n)"), {"n": name}).scalar_one())


def ensure_readonly_role(engine: Engine, user: str, password: str) -> bool:
    """Create (or update the password of) the read-only login role; False when not allowed.

    Roles belong to the server, not the database, so several databases on one server share it.
    The role's sessions are read-only by default; its privileges (see :func:`_grant_views`) are
    what actually keeps it from tables and writes.
    """
    with engine.connect() as conn:
        role = _quote_ident(conn, user)
        secret = conn.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
        allowed = conn.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar_one()
        exists = conn.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :u"), {"u": user}
        ).scalar_one()
        conn.commit()
        if not allowed:
            if not exists:
                LOGGER.warning("cannot create the read-only role %s: no CREATEROLE", user)
            return bool(exists)
        try:
            if exists:
                conn.exec_driver_sql(f"ALTER ROLE {role} WITH LOGIN PASSWORD {secret}")
            else:
                conn.exec_driver_sql(
                    f"CREATE ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
                    f"NOINHERIT NOREPLICATION PASSWORD {secret}"
                )
            conn.exec_driver_sql(f"ALTER ROLE {role} SET default_transaction_read_only = on")
            # dashboard queries are short: JIT compilation (~150 ms) would cost more than it saves
            conn.exec_driver_sql(f"ALTER ROLE {role} SET jit = off")
            conn.commit()
        except DBAPIError as exc:  # another database's upgrade raced us to it: fine
            conn.rollback()
            LOGGER.info("read-only role %s: %s", user, str(exc.orig).splitlines()[0])
    return True


def _grant_views(conn: Connection, user: str, names: list[str]) -> None:
    """Exactly SELECT on the views: nothing on tables or sequences, no CREATE, no TEMP."""
    role = _quote_ident(conn, user)
    if not conn.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname = :u"), {"u": user}
    ).scalar_one():
        return
    database = _quote_ident(conn, str(conn.execute(text("SELECT current_database()")).scalar()))
    schema = _quote_ident(conn, str(conn.execute(text("SELECT current_schema()")).scalar()))
    me = _quote_ident(conn, str(conn.execute(text("SELECT current_user")).scalar()))
    conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {role}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}")
    conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
    for name in names:
        conn.exec_driver_sql(f"GRANT SELECT ON {name} TO {role}")
    # Before PostgreSQL 15 every role may create in public, and any role may create temporary
    # tables: take those from PUBLIC (keeping them for ourselves) when the reader has them.
    flags = conn.execute(
        text(
            "SELECT has_schema_privilege(:u, current_schema(), 'CREATE'), "
            "has_database_privilege(:u, current_database(), 'TEMP')"
        ),
        {"u": user},
    ).one()
    if flags[0]:
        conn.exec_driver_sql(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT CREATE ON SCHEMA {schema} TO {me}")
    if flags[1]:
        conn.exec_driver_sql(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT TEMPORARY ON DATABASE {database} TO {me}")


def refresh_materialized(engine: Engine) -> list[str]:
    """Refresh the materialized views without blocking readers (REFRESH … CONCURRENTLY).

    The maintenance DAG calls this; so does ``newswire db refresh``. Each view is refreshed in
    its own transaction so a long refresh of one never holds the others' locks. A view never
    populated yet is refreshed plainly (CONCURRENTLY needs existing data); each is analysed after.
    """
    names = [v.name for v in load_views() if v.materialized]
    for name in names:
        with engine.begin() as conn:
            populated = conn.execute(
                text("SELECT ispopulated FROM pg_matviews WHERE matviewname = :n"), {"n": name}
            ).scalar()
            mode = " CONCURRENTLY" if populated else ""
            conn.execute(text(f"REFRESH MATERIALIZED VIEW{mode} {name}"))
            # fresh statistics: the planner otherwise guesses (a third of the rows for a date
            # range) and scans the whole view instead of using its index
            conn.execute(text(f"ANALYZE {name}"))
    LOGGER.info("materialized views refreshed: %s", ", ".join(names))
    return names
