"""The pure dedup core: packaging removal, URL keys, wire attribution, matching and vetoes."""

from __future__ import annotations

import pytest
from dedup_support import ELECTION, FOLLOWUP, HARBOUR, election_sibling, wrap
from hypothesis import given
from hypothesis import strategies as st

from pipeline.stages.dedup.core import (
    MIN_NEAR_TOKENS,
    compare,
    election_rank,
    fingerprint,
)
from pipeline.stages.dedup.text import line_hash, prepare_text, wire_attribution
from pipeline.stages.dedup.urlkey import url_host, url_key


def _fp(body: str, learned: frozenset[int] = frozenset()):  # type: ignore[no-untyped-def]
    return fingerprint(prepare_text(body, host_boilerplate=learned))


def _verdict(a: str, b: str):  # type: ignore[no-untyped-def]
    fa, fb = _fp(a), _fp(b)
    return compare(
        fa.signature,
        fa.n_shingles,
        fa.slots,
        sig_b=fb.signature,
        n_b=fb.n_shingles,
        slots_b=fb.slots,
        set_a=fa.shingle_set,
        set_b=fb.shingle_set,
    )


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.example.com/world/ship-aground",
        "https://example.com/world/ship-aground/",
        "https://EXAMPLE.com:443/world/ship-aground?utm_source=rss&fbclid=abc",
        "https://example.com/amp/world/ship-aground",
        "https://amp.example.com/world/ship-aground?outputType=amp",
        "https://m.example.com/world/ship-aground.amp",
        "https://example.com/world/ship-aground?amp=1#comments",
    ],
)
def test_url_variants_share_one_key(variant: str) -> None:
    assert url_key(variant) == url_key("https://example.com/world/ship-aground")


def test_url_key_keeps_what_identifies_an_article() -> None:
    assert url_key("https://example.com/story?id=1") != url_key("https://example.com/story?id=2")
    assert url_key("https://example.com/a/Story") != url_key("https://example.com/a/story-2")
    assert url_key("not a url") is None
    assert url_key("") is None
    assert url_host("https://www.m.example.com/x") == "example.com"


@given(
    st.from_regex(r"https?://(www\.|m\.)?[a-z]{3,8}\.com(/[a-z0-9-]{1,8}){0,3}/?", fullmatch=True)
)
def test_url_key_is_idempotent(url: str) -> None:
    key = url_key(url)
    assert key is not None
    assert url_key(key) == key


def test_packaging_is_removed_but_story_kept() -> None:
    plain = prepare_text(wrap(HARBOUR))
    packaged = prepare_text(
        wrap(
            HARBOUR,
            header="Advertisement",
            footer="Copyright 2026 Marlow Daily. All rights reserved.",
            dateline="MARLOW BAY (AP) —",
        )
        + "\n\nUpdated 3:15 p.m. EST November 20, 2026"
        + "\n\nRelated: Port asks for dredging funds"
    )
    assert packaged.tokens == plain.tokens


def test_learned_host_lines_are_dropped() -> None:
    footer = "Get the Marlow Daily app for alerts on your phone, wherever you are."
    body = wrap(HARBOUR, footer=footer)
    assert prepare_text(body, host_boilerplate={line_hash(footer)}).tokens == (
        prepare_text(wrap(HARBOUR)).tokens
    )
    # digits are folded: the same footer with another year is the same line
    assert line_hash("Copyright 2025 Herald") == line_hash("Copyright 2026 Herald")


@pytest.mark.parametrize(
    ("body", "authors", "expected"),
    [
        ("WASHINGTON (AP) — The Senate voted on Tuesday.", None, "AP"),
        ("LONDON, March 3 (Reuters) - Shares fell.", None, "Reuters"),
        ("PARIS (AFP) – Talks resumed.", None, "AFP"),
        ("Talks resumed in Paris on Monday.\n\nThe talks will continue. — AFP", None, "AFP"),
        ("The council met on Monday.", ["By Jane Roe, Associated Press"], "AP"),
        ("A local council met on Monday and talked about Reuters Street.", None, None),
        ("", None, None),
    ],
)
def test_wire_attribution(body: str, authors: list[str] | None, expected: str | None) -> None:
    assert wire_attribution(body, authors) == expected


def test_syndicated_copy_matches() -> None:
    copy = list(HARBOUR)
    copy[2], copy[3] = copy[3], copy[2]  # reordered
    copy[1] = copy[1].replace("machinery", "machinary")  # a typo
    verdict = _verdict(wrap(HARBOUR), wrap(copy, dateline="MARLOW BAY (Reuters) -"))
    assert verdict.accepted
    assert verdict.jaccard > 0.6


def test_truncated_copy_matches_by_containment() -> None:
    verdict = _verdict(wrap(HARBOUR), wrap([*HARBOUR[:2], "Read the full story at Marlow Daily."]))
    assert verdict.accepted
    assert verdict.containment >= 0.65
    assert _fp(wrap([*HARBOUR[:2], "Read the full story at Marlow Daily."])).truncated


def test_template_sibling_is_vetoed() -> None:
    verdict = _verdict(wrap(ELECTION), wrap(election_sibling()))
    assert not verdict.accepted
    assert verdict.vetoed
    assert verdict.jaccard < 0.9  # similar wording; the veto, not the similarity, rejects it


def test_followup_sharing_background_is_not_merged() -> None:
    verdict = _verdict(wrap(HARBOUR), wrap(FOLLOWUP))
    assert not verdict.accepted


@pytest.mark.parametrize(
    "body",
    [
        "",
        "Ship runs aground in Marlow Bay",
        "This content is available to subscribers only. Subscribe now for unlimited access. "
        "Already a subscriber? Log in to continue reading.",
        "We use cookies to improve your experience. By continuing to browse you consent to our "
        "cookie policy and privacy policy.",
        "Advertisement\n\nSkip to main content\n\nSign up for our newsletter.",
    ],
)
def test_stubs_are_not_near_duplicate_candidates(body: str) -> None:
    fp = _fp(body)
    assert not fp.near_eligible
    assert fp.band_keys == ()


def test_non_english_and_huge_texts_fingerprint() -> None:
    arabic = "قال مسؤولون في الميناء إن سفينة شحن جنحت قرب كاسر الأمواج الشمالي " * 5
    assert _fp(arabic).near_eligible
    huge = "\n\n".join(HARBOUR) * 900  # ~5 MB
    fp = _fp(huge)
    assert fp.n_tokens > MIN_NEAR_TOKENS
    assert len(fp.signature) == 126 * 4


def test_election_rank_order() -> None:
    wire = election_rank(wire_origin=True, complete=False, n_tokens=10, seen_ts=5.0, article_id=9)
    long = election_rank(wire_origin=False, complete=True, n_tokens=500, seen_ts=1.0, article_id=1)
    short = election_rank(wire_origin=False, complete=True, n_tokens=300, seen_ts=0.0, article_id=2)
    cut = election_rank(wire_origin=False, complete=False, n_tokens=900, seen_ts=0.0, article_id=3)
    early = election_rank(
        wire_origin=False, complete=True, n_tokens=300, seen_ts=-1.0, article_id=4
    )
    assert wire > long > short
    assert long > cut
    assert early > short


@given(st.text(max_size=3000))
def test_any_text_fingerprints_deterministically(body: str) -> None:
    first, second = _fp(body), _fp(body)
    assert first == second
    assert bool(first.band_keys) == first.near_eligible
    assert (first.text_key is None) or len(first.text_key) == 64


@given(st.lists(st.sampled_from(HARBOUR), min_size=2, max_size=6, unique=True))
def test_packaging_never_changes_the_story_tokens(paras: list[str]) -> None:
    plain = prepare_text(wrap(paras))
    packaged = prepare_text(
        "Listen to this article\n\n"
        + wrap(paras, dateline="MARLOW BAY (Reuters) -")
        + "\n\nUpdated 9:41 a.m. ET November 20, 2026"
        + "\n\nSign up for the Bay Herald morning newsletter."
    )
    assert packaged.tokens == plain.tokens


def test_one_changed_figure_in_the_same_wording_is_vetoed() -> None:
    """A truncated copy of a template whose only figure differs: another brief, not a copy."""
    short = wrap([*HARBOUR[:1], HARBOUR[1]])
    sibling = wrap([*HARBOUR[:1], HARBOUR[1].replace("412", "977"), *FOLLOWUP[:2]])
    verdict = _verdict(short, sibling)
    assert verdict.vetoed
    assert verdict.reason == "numbers differ"


def test_minhash_estimate_is_the_fallback_without_shingle_sets() -> None:
    fa, fb = _fp(wrap(HARBOUR)), _fp(wrap(HARBOUR[:5]))
    exact = compare(
        fa.signature,
        fa.n_shingles,
        fa.slots,
        sig_b=fb.signature,
        n_b=fb.n_shingles,
        slots_b=fb.slots,
        set_a=fa.shingle_set,
        set_b=fb.shingle_set,
    )
    estimated = compare(
        fa.signature,
        fa.n_shingles,
        fa.slots,
        sig_b=fb.signature,
        n_b=fb.n_shingles,
        slots_b=fb.slots,
    )
    assert exact.accepted
    assert estimated.accepted
    assert exact.containment == 1.0
    assert abs(estimated.jaccard - exact.jaccard) < 0.15
