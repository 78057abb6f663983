"""The dedup stage on a real PostgreSQL: every level, revisions, re-election, bad input, reruns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dedup_support import (
    ELECTION,
    FOLLOWUP,
    HARBOUR,
    add_article,
    article,
    election_sibling,
    wrap,
)
from sqlalchemy import Engine, text

from pipeline.config import get_settings
from pipeline.services.run import run_once
from pipeline.stages.dedup import dedup_pending, prune_index

SETTINGS = get_settings(database_url="postgresql://unused")


def _snapshot(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, story_id, duplicate_of_id, dedup_method, dedup_score, wire_source, "
                "deduped_at FROM articles ORDER BY id"
            )
        ).all()
        stories = conn.execute(
            text("SELECT id, canonical_article_id, updated_at FROM stories ORDER BY id")
        ).all()
    return [tuple(r) for r in rows] + [tuple(s) for s in stories]


def test_url_level_catches_variants_and_redirects(clean_db: Engine) -> None:
    first = add_article(clean_db, "https://www.herald.example/world/ship-aground", wrap(HARBOUR))
    amp = add_article(
        clean_db, "http://herald.example/amp/world/ship-aground?utm_source=x", wrap(HARBOUR[:3])
    )
    redirected = add_article(
        clean_db,
        "https://short.example/abc123",
        wrap(HARBOUR[:2]),
        final_url="https://m.herald.example/world/ship-aground/",
    )
    summary = dedup_pending(clean_db, SETTINGS)
    assert summary.processed == 3
    assert summary.new_stories == 1
    assert summary.url == 2
    for dup in (amp, redirected):
        row = article(clean_db, dup)
        assert row["story_id"] == article(clean_db, first)["story_id"]
        assert row["dedup_method"] == "url"
        assert row["duplicate_of_id"] == first


def test_text_level_catches_the_same_text_elsewhere(clean_db: Engine) -> None:
    a = add_article(clean_db, "https://one.example/a", wrap(HARBOUR, header="Advertisement"))
    b = add_article(clean_db, "https://two.example/b", wrap(HARBOUR, footer="Subscribe now!"))
    dedup_pending(clean_db, SETTINGS)
    row = article(clean_db, b)
    assert row["dedup_method"] == "text"
    assert row["duplicate_of_id"] == a
    assert row["dedup_score"] == 1.0


def test_near_level_and_hard_negatives(clean_db: Engine) -> None:
    original = add_article(clean_db, "https://wire.example/harbour", wrap(HARBOUR))
    copy = list(HARBOUR[:5])
    copy[0] = copy[0].replace("Tuesday", "Tuesday,")
    copy[3] = copy[3].replace("reporters", "reportres")
    near = add_article(
        clean_db,
        "https://gazette.example/ship",
        wrap(copy, dateline="MARLOW BAY (AP) —", footer="Follow the Gazette on social media."),
    )
    followup = add_article(clean_db, "https://wire.example/harbour-rudder", wrap(FOLLOWUP))
    election = add_article(clean_db, "https://wire.example/westmarch", wrap(ELECTION))
    sibling = add_article(clean_db, "https://wire.example/eastvale", wrap(election_sibling()))
    summary = dedup_pending(clean_db, SETTINGS)
    assert summary.near == 1
    assert summary.new_stories == 4
    assert article(clean_db, near)["story_id"] == article(clean_db, original)["story_id"]
    assert article(clean_db, near)["dedup_method"] == "near"
    assert 0.5 <= float(article(clean_db, near)["dedup_score"]) <= 1.0  # type: ignore[arg-type]
    assert article(clean_db, near)["wire_source"] == "AP"
    stories = {article(clean_db, i)["story_id"] for i in (original, followup, election, sibling)}
    assert len(stories) == 4


def test_window_limits_near_matching(clean_db: Engine) -> None:
    old = datetime(2026, 1, 1, tzinfo=UTC)
    add_article(clean_db, "https://a.example/1", wrap(HARBOUR), published=old)
    later = add_article(
        clean_db,
        "https://b.example/2",
        wrap(HARBOUR[:5], dateline="MARLOW BAY (AP) —"),
        published=old + timedelta(days=SETTINGS.dedup_window_days + 5),
    )
    dedup_pending(clean_db, SETTINGS)
    assert article(clean_db, later)["duplicate_of_id"] is None


def test_revision_keeps_story_and_links(clean_db: Engine) -> None:
    first = add_article(clean_db, "https://wire.example/harbour", wrap(HARBOUR[:4]))
    copy = add_article(clean_db, "https://daily.example/harbour", wrap(HARBOUR[:4]) + "\n\nEnd.")
    dedup_pending(clean_db, SETTINGS)
    before = article(clean_db, copy)
    with clean_db.begin() as conn:  # the page at the same URL changed and was re-extracted
        conn.execute(
            text("UPDATE articles SET text = :t, extracted_at = clock_timestamp() WHERE id = :id"),
            {"t": wrap(HARBOUR), "id": first},
        )
    summary = dedup_pending(clean_db, SETTINGS)
    assert summary.revisions == 1
    assert summary.new_stories == 0
    assert article(clean_db, first)["story_id"] == before["story_id"]
    assert article(clean_db, copy) == before
    with clean_db.connect() as conn:
        versions = conn.execute(
            text(
                "SELECT count(*), count(jaccard_to_previous) FROM article_revisions "
                "WHERE article_id = :id"
            ),
            {"id": first},
        ).one()
    assert tuple(versions) == (2, 1)


def test_canonical_reelection_keeps_every_link(clean_db: Engine) -> None:
    short = add_article(clean_db, "https://daily.example/a", wrap(HARBOUR[:3]))
    longer = add_article(clean_db, "https://herald.example/b", wrap(HARBOUR[:5]))
    dedup_pending(clean_db, SETTINGS)
    story = article(clean_db, short)["story_id"]
    with clean_db.connect() as conn:
        assert (
            conn.execute(
                text("SELECT canonical_article_id FROM stories WHERE id = :s"), {"s": story}
            ).scalar()
            == longer
        )
    assert article(clean_db, longer)["duplicate_of_id"] is None
    assert article(clean_db, short)["duplicate_of_id"] == longer
    # the agency's own copy arrives: it wins over the longer one
    wire = add_article(clean_db, "https://apnews.com/article/harbour", wrap(HARBOUR[:4]))
    dedup_pending(clean_db, SETTINGS)
    with clean_db.connect() as conn:
        canonical = conn.execute(
            text("SELECT canonical_article_id FROM stories WHERE id = :s"), {"s": story}
        ).scalar()
        members = conn.execute(
            text("SELECT id, duplicate_of_id FROM articles WHERE story_id = :s ORDER BY id"),
            {"s": story},
        ).all()
    assert canonical == wire
    links = dict(members)
    assert links[wire] is None
    assert links[longer] == wire
    assert links[short] is not None
    assert all(links[d] in links for d in links if links[d] is not None)  # no link leaves


def test_story_counts_view(clean_db: Engine) -> None:
    add_article(clean_db, "https://a.example/1", wrap(HARBOUR), outlet="Marlow Daily")
    add_article(clean_db, "https://b.example/2", wrap(HARBOUR[:5]), outlet="Bay Herald")
    add_article(
        clean_db, "https://b.example/2?utm_source=x", wrap(HARBOUR[:5]), outlet="Bay Herald"
    )
    add_article(clean_db, "https://c.example/3", wrap(ELECTION), outlet="Bay Herald")
    dedup_pending(clean_db, SETTINGS)
    with clean_db.connect() as conn:
        counts = conn.execute(
            text("SELECT article_count, outlet_count FROM story_counts ORDER BY article_count")
        ).all()
    assert [tuple(c) for c in counts] == [(1, 1), (3, 2)]


def test_bad_input_no_crash_no_merge(clean_db: Engine) -> None:
    paywall = (
        "This content is available to subscribers only. Subscribe now to {o} for unlimited "
        "access. Already a subscriber? Log in to continue reading."
    )
    bodies = {
        "empty-1": "",
        "empty-2": None,
        "headline-1": "Ship runs aground",
        "headline-2": "Election results are in",
        "wall-1": "Ship runs aground in Marlow Bay.\n\n" + paywall.format(o="Herald"),
        "wall-2": "Governor re-elected in Westmarch.\n\n" + paywall.format(o="Gazette"),
        "consent-1": "We use cookies to improve your experience. Accept all cookies to continue.",
        "consent-2": "We use cookies to improve your experience. Accept all cookies to continue.",
        "boiler-1": "Advertisement\n\nSkip to main content\n\nSign up for our newsletter.",
        "boiler-2": "Advertisement\n\nSkip to main content\n\nSign up for our newsletter.",
        "arabic": "قال مسؤولون في الميناء إن سفينة شحن جنحت قرب كاسر الأمواج الشمالي " * 6,
        "huge": "\n\n".join(HARBOUR) * 3600,  # about 5 MB
    }
    ids = {
        name: add_article(clean_db, f"https://{name}.example/x", b) for name, b in bodies.items()
    }
    summary = dedup_pending(clean_db, SETTINGS)
    assert summary.processed == len(bodies)
    stories = {name: article(clean_db, i)["story_id"] for name, i in ids.items()}
    assert len(set(stories.values())) == len(bodies)  # nothing merged with anything


def test_rerun_changes_nothing(clean_db: Engine) -> None:
    add_article(clean_db, "https://a.example/1", wrap(HARBOUR))
    add_article(clean_db, "https://b.example/2", wrap(HARBOUR[:4], dateline="MARLOW BAY (AP) —"))
    add_article(clean_db, "https://a.example/1?utm_medium=rss", wrap(HARBOUR))
    add_article(clean_db, "https://c.example/3", wrap(ELECTION))
    dedup_pending(clean_db, SETTINGS)
    before = _snapshot(clean_db)
    again = dedup_pending(clean_db, SETTINGS)
    assert again.processed == 0
    assert _snapshot(clean_db) == before


def test_article_ids_limit_the_run(clean_db: Engine) -> None:
    a = add_article(clean_db, "https://a.example/1", wrap(HARBOUR))
    b = add_article(clean_db, "https://c.example/3", wrap(ELECTION))
    summary = dedup_pending(clean_db, SETTINGS, article_ids=[b])
    assert summary.processed == 1
    assert article(clean_db, a)["deduped_at"] is None
    assert article(clean_db, b)["deduped_at"] is not None


def test_prune_drops_bands_outside_the_window(clean_db: Engine) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    old = add_article(clean_db, "https://a.example/1", wrap(HARBOUR), published=start)
    new = add_article(
        clean_db,
        "https://c.example/3",
        wrap(ELECTION),
        published=start + timedelta(days=SETTINGS.dedup_window_days + 1),
    )
    dedup_pending(clean_db, SETTINGS)
    assert prune_index(clean_db, SETTINGS) > 0
    with clean_db.connect() as conn:
        owners = set(conn.execute(text("SELECT DISTINCT article_id FROM dedup_bands")).scalars())
    assert owners == {new}
    assert article(clean_db, old)["story_id"] is not None  # the article and its story stay


def test_dedup_runs_inside_newswire_run(clean_db: Engine) -> None:
    a = add_article(clean_db, "https://a.example/1", wrap(HARBOUR))
    b = add_article(
        clean_db, "https://b.example/2", wrap(HARBOUR[:5], dateline="MARLOW BAY (AP) —")
    )
    summary = run_once(clean_db, SETTINGS, feeds=[])
    assert summary.dedup is not None
    assert summary.dedup["processed"] == 2
    assert article(clean_db, b)["duplicate_of_id"] == a
    again = run_once(clean_db, SETTINGS, feeds=[])
    assert again.dedup is not None
    assert again.dedup["processed"] == 0


def test_truncated_member_cannot_let_a_template_sibling_in(clean_db: Engine) -> None:
    """The sibling contains a truncated copy (no figures of it changed) but not the full story."""
    full = add_article(clean_db, "https://wire.example/westmarch", wrap(ELECTION))
    cut = add_article(
        clean_db,
        "https://daily.example/westmarch",
        wrap([*ELECTION[:1], "Read the full story at the Daily."]),
    )
    sibling_text = wrap([ELECTION[0], *election_sibling()[1:]])
    sibling = add_article(clean_db, "https://wire.example/eastvale", sibling_text)
    dedup_pending(clean_db, SETTINGS)
    assert article(clean_db, cut)["story_id"] == article(clean_db, full)["story_id"]
    assert article(clean_db, sibling)["story_id"] != article(clean_db, full)["story_id"]
