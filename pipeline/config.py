"""Settings from `NEWSWIRE_*` environment variables (and an optional `.env` file).

Every knob a user may turn lives here so that the CLI, the DAGs and the tests read one object;
nothing reads the environment at import time — call :func:`get_settings`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_FEEDS_FILE = PACKAGE_DIR / "data" / "feeds.yaml"
ENV_PREFIX = "NEWSWIRE_"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# NEWSWIRE_* variables read by something other than Settings (tests, benchmarks)
_OTHER_VARIABLES = frozenset(
    {
        "NEWSWIRE_TEST_DATABASE_URL",
        "NEWSWIRE_ADMIN_DATABASE_URL",
        "NEWSWIRE_BENCH_DATABASE_URL",
        "NEWSWIRE_DB",
        "NEWSWIRE_HTTP_POOL_SLOTS",
        "NEWSWIRE_IMAGE",
        "NEWSWIRE_INGEST_SCHEDULE",
    }
)


class Settings(BaseSettings):
    """All runtime configuration; field docs are shown by `newswire config`."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSWIRE_", env_file=".env", extra="ignore", validate_default=True
    )

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the article database. Unset: an embedded PostgreSQL "
        "(pgserver) is started under NEWSWIRE_DATA_DIR/pgdata.",
    )
    data_dir: Path = Field(
        default=Path("var"), description="Where the embedded database and caches live."
    )
    feeds_file: Path = Field(default=DEFAULT_FEEDS_FILE, description="YAML list of feeds to poll.")
    user_agent: str = Field(
        default="newswire/0.1 (+{contact_url})",
        description="User-Agent sent with every request; {contact_url} is filled in.",
    )
    contact_url: str = Field(
        default="https://github.com/newswire/newswire",
        description="Where site owners can reach whoever runs this crawler.",
    )
    http_timeout: float = Field(
        default=20.0, gt=0, description="Seconds to connect, or between two reads of a body."
    )
    request_deadline: float = Field(
        default=60.0,
        gt=0,
        description="Total seconds one request may take (connect + headers + body, redirects "
        "and robots.txt included): a server trickling bytes cannot hold a run longer.",
    )
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated host:port, host or CIDR entries the SSRF guard lets "
        "through (by default loopback, private, link-local and other internal addresses, "
        "and ports other than 80/443, are refused).",
    )
    max_page_bytes: int = Field(
        default=5_000_000, gt=0, description="Pages or feeds larger than this are refused."
    )
    max_redirects: int = Field(default=10, ge=0, description="Redirects followed per request.")
    per_host_concurrency: int = Field(
        default=2, ge=1, description="Simultaneous requests to one host."
    )
    per_host_delay: float = Field(
        default=1.0, ge=0, description="Seconds between two requests to the same host."
    )
    global_concurrency: int = Field(default=16, ge=1, description="Simultaneous requests overall.")
    retries: int = Field(
        default=3, ge=0, description="Retries on timeouts, 5xx and 429 (exponential backoff)."
    )
    backoff_base: float = Field(
        default=1.0, ge=0, description="First backoff delay in seconds; doubles each retry."
    )
    max_retry_after: float = Field(
        default=120.0, ge=0, description="Longest Retry-After honoured, in seconds."
    )
    respect_robots: bool = Field(default=True, description="Honour robots.txt.")
    workers: int = Field(
        default=0,
        ge=0,
        description="Extraction and feed-parsing processes; 0 means one per CPU core.",
    )
    fetch_batch_size: int = Field(
        default=500, ge=1, description="Articles fetched per batch in one run."
    )
    max_fetch_attempts: int = Field(
        default=5,
        ge=1,
        description="Runs that may try a page with a transient failure (timeout, 5xx, 429) "
        "before it is given up; retries are spaced 15 min, 30 min, 1 h, ... apart.",
    )
    max_date_skew_hours: float = Field(
        default=24.0, ge=0, description="Publication dates this far in the future are refused."
    )
    min_year: int = Field(default=1995, description="Publication dates before this are refused.")
    min_poll_seconds: float = Field(
        default=60.0, gt=0, description="Shortest interval between two polls of one feed."
    )
    max_poll_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="Longest interval between two polls of a healthy feed (failing feeds back "
        "off up to 6 h); publisher hints (max-age, ttl, sy:updatePeriod) are capped at it.",
    )
    poll_entries_per_poll: float = Field(
        default=0.1,
        gt=0,
        description="Adaptive polling: new entries expected between two polls of a feed "
        "(interval = this / learned rate). Smaller is fresher and costs more requests.",
    )
    poll_rate_window_seconds: float = Field(
        default=21600.0,
        gt=0,
        description="Adaptive polling: seconds over which a feed's learned publication rate "
        "forgets (EWMA time constant).",
    )
    poll_budget_per_minute: int = Field(
        default=0,
        ge=0,
        description="Feed requests allowed per minute over all feeds and workers (0: no limit); "
        "the most overdue feeds go first.",
    )
    websub_callback_url: str = Field(
        default="",
        description="WebSub: the public base URL at which `newswire websub serve` is reachable "
        "from the hubs (e.g. https://push.example.org); empty: no subscriptions are requested, "
        "announced hubs are only recorded.",
    )
    websub_lease_seconds: int = Field(
        default=864000,
        gt=0,
        description="WebSub: lease asked of the hubs (they may grant another); renewed when "
        "four fifths of it have passed.",
    )
    websub_verify_timeout_seconds: float = Field(
        default=600.0,
        gt=0,
        description="WebSub: a subscription the hub has not verified after this long has "
        "failed (the feed goes back to adaptive polling; retried after the same time).",
    )
    websub_max_body_bytes: int = Field(
        default=5_000_000,
        gt=0,
        description="WebSub receiver: pushed bodies larger than this are refused (413).",
    )
    parse_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds one feed body may take to parse; a parse that takes longer is "
        "killed (on the parsing pool) and the poll recorded as failed.",
    )
    parse_memory_mb: int = Field(
        default=2048,
        ge=0,
        description="Address-space limit of each feed-parsing worker process in MB (0: none); "
        "a hostile body that needs more fails alone.",
    )
    dedup_window_days: int = Field(
        default=30, ge=1, description="Near-duplicate search window in days."
    )
    events_dictionary_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Extra event-coder dictionary directories (comma-separated), read after "
        "the packaged ones; files named like pipeline/stages/events/data/*.yaml extend or "
        "override them.",
    )

    @field_validator("events_dictionary_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("events_dictionary_dirs")
    @classmethod
    def _dirs_exist(cls, value: list[Path]) -> list[Path]:
        # checked at start-up: a typo must not surface only after every other stage has run
        missing = [str(p) for p in value if not p.is_dir()]
        if missing:
            raise ValueError(f"not a directory: {', '.join(missing)}")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        from sqlalchemy.engine import make_url

        try:
            url = make_url(value)
        except Exception:
            raise ValueError(
                "not a database URL; expected e.g. postgresql://user:password@host:5432/dbname"
            ) from None
        if not url.drivername.startswith(("postgresql", "postgres")):
            raise ValueError(f"newswire needs PostgreSQL, not {url.drivername!r}")
        if url.port is not None and not 0 < url.port < 65536:
            raise ValueError(f"port {url.port} is out of range (1-65535)")
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _check_allowed_hosts(cls, value: str) -> str:
        from pipeline.http.netguard import parse_allowed_hosts

        parse_allowed_hosts(value)  # raises ValueError naming the bad entry
        return value

    readonly_user: str = Field(
        default="newswire_reader",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="Read-only database role for dashboards: may read the sql/views views and "
        "nothing else; created or updated by `newswire db upgrade`.",
    )
    readonly_password: str = Field(
        default="newswire_reader",
        description="Password of the read-only role (`newswire db url --read-only` prints it).",
    )
    raw_retention_days: int = Field(
        default=90, ge=0, description="Raw HTML older than this is pruned by maintenance (0: keep)."
    )
    log_format: str = Field(
        default="auto", description="'console', 'json', or 'auto' (json when not a terminal)."
    )
    log_level: str = Field(default="INFO", description="Python logging level.")

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        if value not in {"auto", "console", "json"}:
            raise ValueError("must be one of: auto, console, json")
        return value

    @field_validator("log_level")
    @classmethod
    def _check_log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(f"must be one of: {', '.join(_LOG_LEVELS)}")
        return level

    @property
    def user_agent_header(self) -> str:
        """The User-Agent with the contact URL filled in."""
        return self.user_agent.replace("{contact_url}", self.contact_url)


def get_settings(**overrides: object) -> Settings:
    """Read settings now (never at import time); keyword overrides win over the environment."""
    return Settings(**overrides)  # type: ignore[arg-type]


def env_name(field: str) -> str:
    """The environment variable that sets settings field *field*."""
    return f"{ENV_PREFIX}{field.upper()}"


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """Warnings for ``NEWSWIRE_*`` variables no setting reads, with a did-you-mean.

    pydantic-settings ignores unknown variables, so ``NEWSWIRE_DATABSE_URL`` would silently
    leave the embedded database in use.
    """
    environ = os.environ if environ is None else environ
    known = {env_name(name) for name in Settings.model_fields}
    warnings = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known or upper in _OTHER_VARIABLES:
            continue
        close = difflib.get_close_matches(upper, sorted(known), n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else ""
        warnings.append(f"{name} is not a newswire setting and is ignored{hint}")
    return warnings


def describe_error(exc: ValidationError) -> str:
    """A settings validation error naming environment variables rather than field names."""
    lines = []
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else ""
        name = env_name(field) if field in Settings.model_fields else field or "settings"
        message = str(err["msg"]).removeprefix("Value error, ")
        shown = err.get("input")
        value = f" (got {shown!r})" if isinstance(shown, str | int | float) and shown != "" else ""
        if field == "database_url":
            value = ""  # may hold a password
        lines.append(f"{name}: {message}{value}")
    return "\n".join(lines)
