"""The feeds table: sync the configured feeds into it, and read them back as configurations.

Syncing happens once per run (the CLI's ``run``, the DAG's ``feeds`` task); everything after
that — the mapped poll tasks included — reads the feeds from this table, never the YAML again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert

from pipeline.models import Feed
from pipeline.stages.feeds.feedfile import FeedConfig

LOGGER = logging.getLogger(__name__)


def sync_feeds(engine: Engine, feeds: list[FeedConfig]) -> dict[str, int]:
    """Upsert the configured feeds by name and return their ids.

    Configuration columns follow the file; HTTP validators and health columns are left alone,
    so re-syncing never forgets what the last poll learned. Feeds absent from the file are kept
    (their history matters) but nothing polls them unless they are listed.
    """
    if not feeds:
        return {}
    rows = [
        {
            "name": f.name,
            "url": f.url,
            "outlet": f.outlet,
            "language": f.language,
            "enabled": f.enabled,
            "poll_interval_minutes": f.poll_interval_minutes,
        }
        for f in sorted(feeds, key=lambda f: f.name)
    ]
    stmt = insert(Feed).values(rows)
    changed = (
        (Feed.url.is_distinct_from(stmt.excluded.url))
        | (Feed.outlet.is_distinct_from(stmt.excluded.outlet))
        | (Feed.language.is_distinct_from(stmt.excluded.language))
        | (Feed.enabled.is_distinct_from(stmt.excluded.enabled))
        | (Feed.poll_interval_minutes.is_distinct_from(stmt.excluded.poll_interval_minutes))
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=[Feed.name],
        set_={
            "url": stmt.excluded.url,
            "outlet": stmt.excluded.outlet,
            "language": stmt.excluded.language,
            "enabled": stmt.excluded.enabled,
            "poll_interval_minutes": stmt.excluded.poll_interval_minutes,
            "updated_at": func.now(),
        },
        where=changed,
    )
    with engine.begin() as conn:
        conn.execute(stmt)
        ids = conn.execute(
            select(Feed.name, Feed.id).where(Feed.name.in_([f.name for f in feeds]))
        ).all()
    LOGGER.info("synced %s feeds", len(rows))
    return {row.name: row.id for row in ids}


def feed_configs(engine: Engine, names: Sequence[str]) -> list[FeedConfig]:
    """The stored feeds named *names* as configurations (in *names* order).

    Raises :class:`KeyError` naming any feed the table does not have: a mapped task asked to
    poll a feed that was never synced is a planning error, not an empty poll.
    """
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    with engine.connect() as conn:
        rows = {row.name: row for row in conn.execute(select(Feed).where(Feed.name.in_(wanted)))}
    missing = [name for name in wanted if name not in rows]
    if missing:
        raise KeyError(f"feeds not in the feeds table (sync the feeds file first): {missing}")
    return [
        FeedConfig(
            name=row.name,
            url=row.url,
            outlet=row.outlet,
            language=row.language,
            enabled=row.enabled,
            poll_interval_minutes=row.poll_interval_minutes,
        )
        for row in (rows[name] for name in wanted)
    ]
