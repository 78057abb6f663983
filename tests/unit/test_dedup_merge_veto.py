"""The merge veto: two stories merge only when their canonical articles agree.

Pure: fingerprints of our own texts (fictional stories), judged by
:func:`pipeline.stages.dedup.matching.merge_allowed` as the dedup stage judges a bridging article.
A full copy bridging the two pieces of a split story (a truncated lede, a write-through) merges
them; a short text made of background sentences that two unrelated stories share is contained
in both and passes the pair test with each, yet vouches for neither.
"""

from __future__ import annotations

from pipeline.stages.dedup.core import Fingerprint, fingerprint
from pipeline.stages.dedup.matching import Canonical, covers, merge_allowed
from pipeline.stages.dedup.text import prepare_text

BACKGROUND = [
    "The river basin has flooded in most springs since the old levees were built, and the "
    "regional government has promised a new flood plan every few years without finishing one.",
    "Insurers stopped covering houses on the lower terraces after the floods of the last decade, "
    "and many families moved to the hills above the valley towns.",
]
STORY_A = [
    "The water authority opened the western sluice gates early on Saturday morning after the "
    "river rose faster than forecast overnight.",
    "Farm land downstream of the gates was flooded on purpose to spare the market town, whose "
    "mayor thanked the farmers for accepting the loss of their winter crops.",
    "Engineers said the gates would stay open until the river fell below the warning mark, "
    "which they expected by the middle of the week.",
    "Emergency crews moved cattle from the low pastures and the army sent trucks to carry feed "
    "to the farms that were cut off by the water.",
    "The authority said it would pay the farmers for the flooded fields from a fund set up for "
    "such releases, and that claims could be filed from Monday.",
]
STORY_B = [
    "Students at the agricultural college presented a model of a floating greenhouse on "
    "Thursday, built to keep growing vegetables when the fields are under water.",
    "The greenhouse rests on empty barrels lashed to a timber frame and rises with the water, "
    "its designers said, so that seedlings survive a flood of several days.",
    "The college hopes to test a full-size version on the lake next to its campus over the "
    "summer, with money from a foundation that supports rural inventions.",
    "Teachers said that several farmers had already asked to buy the first greenhouses, though "
    "the students warned that the design still needed work against strong winds.",
    "The project began as a class assignment two years ago and has since won a national prize "
    "for young engineers.",
]


def _fp(paragraphs: list[str]) -> Fingerprint:
    return fingerprint(prepare_text("\n\n".join(paragraphs)))


def _canon(article_id: int, fp: Fingerprint) -> Canonical:
    return Canonical.of(article_id, fp)


def _accepted(a: Fingerprint, b: Fingerprint) -> bool:
    return Canonical.of(1, a).judge(Canonical.of(2, b)).accepted


def test_full_copy_merges_the_pieces_of_a_split_story() -> None:
    full = _fp([*STORY_A, *BACKGROUND])
    lede = _fp(STORY_A[:2])  # a truncated copy: the first two paragraphs
    rewritten = [
        *STORY_A[1:],
        "Late on Saturday the authority said the river had crested at the second gauge.",
        *BACKGROUND,
    ]  # a write-through: a new top, the opening paragraph dropped
    writethru = _fp(rewritten)
    assert not _accepted(lede, writethru)  # the two pieces do not match each other
    assert _accepted(full, lede)
    assert _accepted(full, writethru)
    assert covers(full, _canon(1, lede))
    assert merge_allowed(full, 3, _canon(1, lede), _canon(2, writethru)) is None


def test_short_shared_background_does_not_bridge_two_stories() -> None:
    a = _fp([*STORY_A, *BACKGROUND])
    b = _fp([*STORY_B, *BACKGROUND])
    bridge = _fp(BACKGROUND)  # a brief made only of the shared background
    # the bridge passes the pair test with both (it is contained in each) ...
    assert _accepted(bridge, a)
    assert _accepted(bridge, b)
    assert not _accepted(a, b)
    # ... but covers neither canonical, so the stories stay apart
    assert not covers(bridge, _canon(1, a))
    assert merge_allowed(bridge, 3, _canon(1, a), _canon(2, b)) == (
        "bridge does not cover both canonicals"
    )


def test_canonicals_that_match_each_other_merge_whatever_the_bridge() -> None:
    a = _fp([*STORY_A, *BACKGROUND])
    b = _fp([*STORY_A[:4], *BACKGROUND])  # the same story, a paragraph dropped
    bridge = _fp(BACKGROUND)
    assert merge_allowed(bridge, 3, _canon(1, a), _canon(2, b)) is None


def test_canonicals_with_different_figures_never_merge() -> None:
    base = "Shares of Norland Mining rose {pct} percent on Tuesday after the company reported"
    tail = (
        " a quarterly profit of {profit} million crowns, above what analysts had expected, and "
        "raised its dividend for the third year running, the company said in a statement."
    )
    a = _fp([base.format(pct=4) + tail.format(profit=212), *BACKGROUND])
    b = _fp([base.format(pct=9) + tail.format(profit=388), *BACKGROUND])
    assert merge_allowed(a, 1, _canon(1, a), _canon(2, b)) == "canonicals veto each other"
