"""The feeds file: which feeds to poll, validated before anything touches the network.

A typo in a hand-edited YAML file should fail loudly and precisely (file, entry, field) rather
than silently skip a feed, so unknown keys and duplicate names are errors.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

LOGGER = logging.getLogger(__name__)

__all__ = ["FeedConfig", "FeedConfigError", "load_feeds"]


class FeedConfigError(ValueError):
    """The feeds file is unreadable or invalid; the message names the file, entry and field."""


class FeedConfig(BaseModel):
    """One feed as configured; mirrors the ``feeds`` table's configuration columns."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200, description="Unique name of the feed.")
    url: str = Field(description="http(s) URL of the RSS/Atom feed.")
    outlet: str = Field(min_length=1, max_length=200, description="Publisher, e.g. 'bbc'.")
    language: str | None = Field(default=None, max_length=16, description="BCP 47 language.")
    enabled: bool = Field(default=True, description="Disabled feeds are kept but not polled.")
    poll_interval_minutes: int = Field(
        default=15, ge=1, le=7 * 24 * 60, description="Minimum minutes between two polls."
    )

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL")
        if any(ch.isspace() or ord(ch) < 32 for ch in value):
            raise ValueError("must not contain spaces or control characters (percent-encode them)")
        try:
            port = parts.port
        except ValueError:
            raise ValueError("the port must be a number from 1 to 65535") from None
        if port == 0:
            raise ValueError("the port must be a number from 1 to 65535")
        if not parts.hostname:
            raise ValueError("the URL has no host")
        return value


def _entry_label(index: int, raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"entry {index}" + (f" ({name!r})" if name else "")


def load_feeds(path: Path | str) -> list[FeedConfig]:
    """Read and validate the feeds file; raise :class:`FeedConfigError` listing every problem.

    The file is a YAML list of mappings (``name``, ``url``, ``outlet``, ``language``,
    ``enabled``, ``poll_interval_minutes``).
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FeedConfigError(f"{path}: cannot read feeds file: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise FeedConfigError(
            f"{path}: not a text file (byte {exc.start} is not UTF-8); "
            "expected a YAML list of feeds"
        ) from None
    except yaml.YAMLError as exc:
        raise FeedConfigError(f"{path}: not valid YAML: {exc}") from None
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise FeedConfigError(
            f"{path}: expected a list of feeds at the top level, got {type(raw).__name__}"
        )
    feeds: list[FeedConfig] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for index, entry in enumerate(raw):
        label = _entry_label(index, entry)
        if not isinstance(entry, dict):
            problems.append(f"{path}: {label}: expected a mapping, got {entry!r}")
            continue
        try:
            feed = FeedConfig.model_validate(entry)
        except ValidationError as exc:
            problems.extend(
                f"{path}: {label}: field {'.'.join(str(p) for p in err['loc']) or '(entry)'}: "
                f"{err['msg']}"
                for err in exc.errors()
            )
            continue
        if feed.name in seen:
            problems.append(
                f"{path}: {label}: field name: duplicate name, already used by entry "
                f"{seen[feed.name]}"
            )
            continue
        seen[feed.name] = index
        feeds.append(feed)
    if problems:
        # every mistake at once: fixing a hand-edited file one error per run is tedious
        raise FeedConfigError("\n".join(problems))
    return feeds
