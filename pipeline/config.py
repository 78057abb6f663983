"""Settings from `NEWSWIRE_*` environment variables (and an optional `.env` file).

Every knob a user may turn lives here so that the CLI, the DAGs and the tests read one object;
nothing reads the environment at import time — call :func:`get_settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_FEEDS_FILE = PACKAGE_DIR / "data" / "feeds.yaml"


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
    http_timeout: float = Field(default=20.0, gt=0, description="Seconds per request.")
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
        default=0, ge=0, description="Extraction processes; 0 means one per CPU core."
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
    dedup_window_days: int = Field(
        default=30, ge=1, description="Near-duplicate search window in days."
    )
    events_dictionary_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Extra event-coder dictionary directories (comma-separated), read after "
        "the packaged ones; files named like pipeline/events/data/*.yaml extend or override them.",
    )

    @field_validator("events_dictionary_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
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

    @property
    def user_agent_header(self) -> str:
        """The User-Agent with the contact URL filled in."""
        return self.user_agent.replace("{contact_url}", self.contact_url)


def get_settings(**overrides: object) -> Settings:
    """Read settings now (never at import time); keyword overrides win over the environment."""
    return Settings(**overrides)  # type: ignore[arg-type]
