"""Short agency briefs (< 100 words): copies are caught, short hard negatives stay apart."""

from __future__ import annotations

from dedup_support import (
    BRIEF,
    BRIEF_COPY,
    BRIEF_FOLLOWUP,
    BRIEF_SIBLING,
    COOKIE_FOOTER,
    PROMO_FOOTER,
    add_article,
    article,
    wrap,
)
from sqlalchemy import Engine

from pipeline.config import get_settings
from pipeline.stages.dedup import dedup_pending
from pipeline.stages.dedup.core import fingerprint
from pipeline.stages.dedup.text import prepare_text

SETTINGS = get_settings(database_url="postgresql://unused")


def test_a_brief_with_a_cookie_banner_is_not_an_access_wall() -> None:
    """Outlets print cookie banners and subscription promotions under real articles too."""
    for footer in (COOKIE_FOOTER, PROMO_FOOTER):
        prepared = prepare_text(wrap(BRIEF, footer=footer))
        assert len(prepared.tokens) < 100
        assert not prepared.paywall
        assert fingerprint(prepared).near_eligible
    # ... while a page that is nothing but the banner, or a real wall, still is one
    assert prepare_text(COOKIE_FOOTER + "\n\nAccept all cookies to continue.").paywall
    wall = "Already a subscriber? Log in to continue reading."
    assert prepare_text(wrap(BRIEF[:1], footer=wall)).paywall


def test_short_brief_pair_is_one_story(clean_db: Engine) -> None:
    first = add_article(
        clean_db, "https://valley.example/bridge", wrap(BRIEF, footer=COOKIE_FOOTER)
    )
    copy = add_article(
        clean_db,
        "https://post.example/news/bridge-closed",
        wrap(BRIEF_COPY, dateline="BRACKENFORD (Reuters) -", footer=PROMO_FOOTER),
    )
    dedup_pending(clean_db, SETTINGS)
    row = article(clean_db, copy)
    assert row["story_id"] == article(clean_db, first)["story_id"]
    assert row["dedup_method"] == "near"
    assert row["duplicate_of_id"] == first


def test_short_hard_negatives_stay_apart(clean_db: Engine) -> None:
    """Another town's brief on the same template, and a follow-up naming the same mayor."""
    first = add_article(
        clean_db, "https://valley.example/bridge", wrap(BRIEF, footer=COOKIE_FOOTER)
    )
    sibling = add_article(
        clean_db, "https://valley.example/ashwick-bridge", wrap(BRIEF_SIBLING, footer=COOKIE_FOOTER)
    )
    followup = add_article(clean_db, "https://post.example/footbridge", wrap(BRIEF_FOLLOWUP))
    copy = add_article(
        clean_db, "https://post.example/news/bridge-closed", wrap(BRIEF_COPY, footer=PROMO_FOOTER)
    )
    dedup_pending(clean_db, SETTINGS)
    story = {a: article(clean_db, a)["story_id"] for a in (first, sibling, followup, copy)}
    assert story[copy] == story[first]  # the copy still joins: the negatives are not just misses
    assert story[sibling] != story[first]
    assert story[followup] != story[first]
    assert story[sibling] != story[followup]
