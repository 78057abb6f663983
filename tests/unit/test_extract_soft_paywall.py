"""Soft paywalls: the article hidden in the markup is stored, flagged; anything else is not.

Our own fixture pages (fictional stories). Plain trafilatura stores only the teaser of a page
whose remaining paragraphs sit, hidden, in a wall container; we store the whole article, marked
with ``wall_marker``, and only when the longer text is the teaser's article. A hard paywall (the
container holds only the prompt) still fails as ``blocked_or_paywall``, with its teaser.
"""

from __future__ import annotations

import json
from pathlib import Path

import trafilatura
from trafilatura.utils import load_html

from pipeline.models import FailureReason
from pipeline.stages.extract.page import TRAFILATURA_OPTIONS, extract_page
from pipeline.stages.extract.unwrap import GAIN_FACTOR, MIN_UNWRAPPED_WORDS, article_behind_wall

PAGES = Path(__file__).parents[1] / "fixtures" / "pages"

LEDE = (
    "The council of Varnholm voted on Monday to close the old ferry pier after divers found "
    "that its timber piles had rotted through."
)
REST = [
    "The pier, built in 1911, carried the island's only car ferry until a new terminal opened "
    "on the northern shore four years ago, and has since served fishing boats and tourists.",
    "Repairing it would cost about 6 million crowns, the harbour master told the council, "
    "roughly twice what the town spends on its whole harbour in a year.",
    "A group of residents has collected 2,400 signatures to keep the pier open, saying that "
    "the summer boat service to the outer islands cannot dock anywhere else.",
    "The council said the boats would use a floating pontoon next to the fish market from "
    "June, and that a decision on demolition would be taken in the autumn.",
    "Local fishermen said they welcomed the pontoon but worried that it would not withstand "
    "the winter storms that regularly flood the lower harbour.",
]


def _page(hidden_block: str, json_ld: dict[str, object] | None = None) -> bytes:
    ld = f'<script type="application/ld+json">{json.dumps(json_ld)}</script>' if json_ld else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Varnholm to close old ferry pier | Island Post</title>{ld}</head><body>"
        '<nav><a href="/news">News</a> <a href="/sport">Sport</a></nav>'
        "<main><article><h1>Varnholm to close old ferry pier</h1>"
        f'<p class="lede">{LEDE}</p>{hidden_block}</article></main>'
        "<footer><p>&copy; 2026 Island Post</p></footer></body></html>"
    ).encode()


def test_soft_paywall_fixture_is_stored_whole_and_flagged() -> None:
    body = (PAGES / "soft_paywall.html").read_bytes()
    url = "https://courier.example/kessel"
    plain = trafilatura.extract(body, url=url, **TRAFILATURA_OPTIONS) or ""
    result = extract_page(body, url)
    assert result.ok, result.detail
    assert result.text is not None
    assert result.wall_marker == "soft paywall (markup)"
    # plain trafilatura has the teaser only; ours holds it and the hidden paragraphs
    assert "inspection twice since 2019" not in plain
    for line in plain.splitlines():
        assert line in result.text
    assert "inspection twice since 2019" in result.text
    assert result.text.rstrip().endswith("before the draining begins on 1 July.")
    assert result.word_count >= GAIN_FACTOR * len(plain.split())
    # the wall's own prompt is not stored as article text
    assert "Subscribe to continue reading" not in result.text


def _fixture_variant(hidden: list[str]) -> bytes:
    """soft_paywall.html with other hidden paragraphs."""
    html = (PAGES / "soft_paywall.html").read_text(encoding="utf-8")
    if hidden:
        start = html.index('aria-hidden="true">') + len('aria-hidden="true">')
        end = html.index("</div>", start)
        html = html[:start] + "".join(f"<p>{p}</p>" for p in hidden) + html[end:]
    return html.encode()


def test_hidden_text_of_another_story_is_not_taken() -> None:
    # the hidden container holds something else (a promotion): the teaser's words are not in
    # it, so trafilatura's text stands
    promo = [
        "Our winter sale gives new readers twelve months of unlimited digital access, the "
        "crossword, the archive since 1890 and the weekend magazine delivered to the door, "
        "for the price of a single printed edition a week, with no commitment at all.",
    ] * 6
    body = _fixture_variant(hidden=promo)
    plain = trafilatura.extract(body, **TRAFILATURA_OPTIONS) or ""
    assert "winter sale" not in plain
    result = extract_page(body, "https://courier.example/kessel")
    assert result.ok, result.detail
    assert result.text == plain
    assert result.wall_marker is None


def test_hard_paywall_still_fails_with_its_teaser() -> None:
    body = (PAGES / "paywall.html").read_bytes()
    result = extract_page(body, "https://meridian.example/paywall")
    assert not result.ok
    assert result.failure == FailureReason.BLOCKED_OR_PAYWALL
    assert result.text is not None
    assert "Bosphorus" in result.text


def test_article_body_in_json_ld_behind_a_wall_is_used() -> None:
    article = "\n\n".join([LEDE, *REST])
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Island Post"},
            {"@type": "NewsArticle", "isAccessibleForFree": False, "articleBody": article},
        ],
    }
    prompt = (
        '<div class="paywall-prompt"><h2>Subscribe to continue reading</h2>'
        "<p>Already a subscriber? Log in.</p></div>"
    )
    result = extract_page(_page(prompt, ld), "https://post.example/pier")
    assert result.ok, result.detail
    assert result.wall_marker is not None
    assert result.text is not None
    assert result.text.splitlines()[0] == LEDE
    assert all(p in result.text for p in REST)
    assert result.word_count >= MIN_UNWRAPPED_WORDS


def test_article_body_in_json_ld_without_any_wall_is_ignored() -> None:
    # no wall sign: trafilatura's text is the floor and stays, even when JSON-LD has more
    article = "\n\n".join([LEDE, *REST])
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": article}
    body = _page("", ld)
    plain = trafilatura.extract(body, **TRAFILATURA_OPTIONS)
    result = extract_page(body, "https://post.example/pier")
    assert result.ok, result.detail
    assert result.text == plain
    assert result.wall_marker is None


def test_wall_container_holding_the_article_is_recognised() -> None:
    # when the article cannot be unwrapped cleanly, a wall container that holds it still shows
    # that the page is not a stub (its teaser is stored, flagged); an offer does not
    title = "Kessel reservoir to be drained after cracks found in dam"
    article = load_html((PAGES / "soft_paywall.html").read_bytes())
    assert article_behind_wall(article, title)
    offer = [
        "Our winter sale gives new readers twelve months of unlimited digital access, the "
        "crossword, the archive since 1890 and the weekend magazine delivered to the door.",
    ] * 6
    assert not article_behind_wall(load_html(_fixture_variant(hidden=offer)), title)
    assert not article_behind_wall(load_html((PAGES / "paywall.html").read_bytes()), title)
