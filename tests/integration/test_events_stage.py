"""The events stage against a real PostgreSQL: what it codes, idempotence, atomic re-coding."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select, text, update
from sqlalchemy.orm import Session

from pipeline.config import get_settings
from pipeline.models import Article, ArticleStatus
from pipeline.stages.events import CODER_VERSION, code_pending
from pipeline.stages.events.models import Event, EventCoding

SEED_LIKE = (
    "Belarusian President Alexander Lukashenko arrived in Beijing on Tuesday.\n\n"
    "U.S. officials have warned the Chinese government that it will face consequences."
)
OTHER = "China and Russia condemned the United States on Monday."


def _article(session: Session, n: int, body: str | None, **extra: object) -> Article:
    values: dict[str, object] = {
        "canonical_url": f"https://news.example/{n}",
        "url": f"https://news.example/{n}",
        "status": ArticleStatus.EXTRACTED,
        "text": body,
        "published_at": datetime(2023, 2, 28, 15, tzinfo=UTC),
    }
    values.update(extra)
    article = Article(**values)
    session.add(article)
    session.flush()
    return article


def _count(engine: Engine, model: type[Event] | type[EventCoding]) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_codes_canonical_extracted_articles_once(clean_db: Engine) -> None:
    settings = get_settings()
    with Session(clean_db) as session, session.begin():
        a = _article(session, 1, SEED_LIKE)
        b = _article(session, 2, OTHER)
        _article(session, 3, None)  # no text
        _article(session, 4, OTHER, status=ArticleStatus.PENDING)
        _article(session, 5, OTHER, duplicate_of_id=b.id)
        ids = (a.id, b.id)

    first = code_pending(clean_db, settings)
    assert first.articles_coded == 2
    assert first.articles_with_events == 2
    assert first.coder_version.startswith(CODER_VERSION + "+")
    assert first.events_written == _count(clean_db, Event) >= 4

    with Session(clean_db) as session:
        rows = session.scalars(
            select(Event).where(Event.article_id == ids[0]).order_by(Event.event_index)
        ).all()
        visit = rows[0]
        assert (visit.source_code, visit.cameo_code, visit.target_country) == (
            "BLRGOV",
            "042",
            "CHN",
        )
        assert (visit.location_name, str(visit.event_date), visit.date_precision) == (
            "Beijing",
            "2023-02-28",
            "day",
        )
        stored = session.scalar(select(Article.text).where(Article.id == ids[0]))
        assert stored is not None
        assert stored[visit.trigger_start : visit.trigger_end] == visit.trigger
        assert {r.article_id for r in session.scalars(select(Event))} == set(ids)

    second = code_pending(clean_db, settings)  # idempotent: nothing is due
    assert (second.articles_coded, second.events_written) == (0, 0)
    assert _count(clean_db, Event) == first.events_written


def test_duplicates_read_the_canonical_events_through_the_view(clean_db: Engine) -> None:
    with Session(clean_db) as session, session.begin():
        canonical = _article(session, 1, OTHER)
        duplicate = _article(session, 2, OTHER, duplicate_of_id=canonical.id)
        ids = (canonical.id, duplicate.id)
    summary = code_pending(clean_db, get_settings())
    assert summary.articles_coded == 1
    with clean_db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT article_id, canonical_article_id, is_duplicate, cameo_code "
                "FROM article_events ORDER BY article_id"
            )
        ).all()
    assert {(r.article_id, r.canonical_article_id, r.is_duplicate) for r in rows} == {
        (ids[0], ids[0], False),
        (ids[1], ids[0], True),
    }
    assert len(rows) == 2 * summary.events_written


def test_an_article_that_becomes_a_duplicate_loses_its_own_events(clean_db: Engine) -> None:
    with Session(clean_db) as session, session.begin():
        first = _article(session, 1, OTHER)
        second = _article(session, 2, OTHER)
        ids = (first.id, second.id)
    code_pending(clean_db, get_settings())
    with clean_db.begin() as conn:
        conn.execute(update(Article).where(Article.id == ids[1]).values(duplicate_of_id=ids[0]))
    summary = code_pending(clean_db, get_settings())
    assert summary.duplicates_cleared == 2
    with Session(clean_db) as session:
        assert {r.article_id for r in session.scalars(select(Event))} == {ids[0]}


def test_a_new_coder_version_recodes_and_replaces_atomically(clean_db: Engine) -> None:
    with Session(clean_db) as session, session.begin():
        article_id = _article(session, 1, SEED_LIKE).id
    settings = get_settings()
    first = code_pending(clean_db, settings)
    with Session(clean_db) as session:
        old_ids = set(session.scalars(select(Event.id)))
    with clean_db.begin() as conn:  # as if an older coder had coded it
        conn.execute(update(EventCoding).values(coder_version="0.9.0+old"))
        conn.execute(update(Event).values(coder_version="0.9.0+old"))
    again = code_pending(clean_db, settings, article_ids=[article_id])
    assert again.articles_coded == 1
    assert again.events_written == first.events_written
    with Session(clean_db) as session:
        rows = session.scalars(select(Event)).all()
        assert {r.coder_version for r in rows} == {first.coder_version}
        assert not old_ids & {r.id for r in rows}  # replaced, not appended
        coding = session.get(EventCoding, article_id)
        assert coding is not None
        assert coding.coder_version == first.coder_version
        assert coding.events == len(rows)


def test_extending_the_dictionaries_changes_the_version_and_recodes(
    clean_db: Engine, tmp_path: Path
) -> None:
    with Session(clean_db) as session, session.begin():
        _article(session, 1, "Japan bamboozled South Korea on Monday.")
    plain = code_pending(clean_db, get_settings())
    assert plain.events_written == 0  # "bamboozle" is in no packaged dictionary
    (tmp_path / "verbs.yaml").write_text(
        'verbs:\n  - {code: "111", patterns: ["<bamboozle>"]}\n', encoding="utf-8"
    )
    extended = code_pending(clean_db, get_settings(events_dictionary_dirs=[tmp_path]))
    assert extended.coder_version != plain.coder_version
    assert (extended.articles_coded, extended.events_written) == (1, 1)
    with Session(clean_db) as session:
        event = session.scalars(select(Event)).one()
        assert (event.source_country, event.cameo_code, event.target_country) == (
            "JPN",
            "111",
            "KOR",
        )
        assert event.pattern_id == "verbs.yaml#1"  # the user's entry fired (0009_events_v2)
