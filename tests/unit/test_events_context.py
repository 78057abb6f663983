"""context.py: the one country an article names, for agents their sentence leaves without one."""

from __future__ import annotations

from datetime import date

from pipeline.stages.events import load_lexicon
from pipeline.stages.events.actors import _find_mentions
from pipeline.stages.events.context import article_country
from pipeline.stages.events.lexicon import normalise


def _country(text: str) -> str | None:
    lx = load_lexicon()
    return article_country(_find_mentions(text, normalise(text), lx, date(2024, 5, 6)))


def test_one_country_named_in_several_ways() -> None:
    assert _country("Kenya's parliament met. Kenyan officials spoke in Nairobi.") == "KEN"


def test_two_countries_give_none() -> None:
    assert _country("Kenya's parliament met. Ugandan officials spoke.") is None


def test_agents_and_international_bodies_are_no_country() -> None:
    assert _country("The police met the United Nations envoy.") is None
