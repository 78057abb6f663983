"""Dashboard views over real data: the sample corpus run through every stage, then read back."""

from __future__ import annotations

from sqlalchemy import Engine, text

from pipeline.config import get_settings
from pipeline.demo import SAMPLE_DIR, run_demo
from pipeline.replay import ReplayServer


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_views_agree_with_the_tables_after_a_sample_run(clean_db: Engine) -> None:
    with ReplayServer(SAMPLE_DIR, per_host_ports=True) as server:
        run_demo(clean_db, get_settings(), server=server)

    events = _scalar(clean_db, "SELECT count(*) FROM events")
    assert events > 0
    assert _scalar(clean_db, "SELECT count(*) FROM events_gdelt") == events
    assert _scalar(clean_db, "SELECT count(*) FROM stories_overview") == _scalar(
        clean_db, "SELECT count(*) FROM stories"
    )
    # the sample has wire stories carried by several outlets: the GDELT-style counts show it
    assert _scalar(clean_db, "SELECT max(num_sources) FROM events_gdelt") >= 2
    assert _scalar(clean_db, "SELECT max(outlet_count) FROM stories_overview") >= 2
    # daily roll-up: every asserted/future/reported event counted once
    assert _scalar(clean_db, "SELECT coalesce(sum(events), 0) FROM events_daily") == _scalar(
        clean_db,
        "SELECT count(*) FROM events WHERE modality NOT IN ('negated', 'hypothetical')",
    )
    assert _scalar(clean_db, "SELECT sum(articles) FROM articles_daily") == _scalar(
        clean_db, "SELECT count(*) FROM articles"
    )
    assert _scalar(clean_db, "SELECT count(*) FROM fetch_failures") > 0  # declared failures
    assert _scalar(clean_db, "SELECT count(*) FROM feed_health") == _scalar(
        clean_db, "SELECT count(*) FROM feeds"
    )
