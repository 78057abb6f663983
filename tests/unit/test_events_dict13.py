"""Acts the dictionaries lacked for tune sentences with no candidate of their root (branch
ev-dict13, round 13).

Extending a curfew keeps it in force: PETRARCH-2 codes MAINTAIN, TIGHTEN and DECLARE * CURFEW
as imposing one (1723) and EXTEND * BAN / STATE (OF EMERGENCY) as imposing those, but has no
EXTEND * CURFEW. Handing over relief goods is giving them (CAMEO 073). Sentences are written
for the test. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from eventkit import outcomes_at, triples_at

from pipeline.stages.events.event import allows_no_target
from pipeline.stages.events.lexicon import DATA_DIR

PUB = date(2023, 2, 28)

triples = triples_at(PUB)
outcomes = outcomes_at(PUB)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Chilean interior ministry has extended the curfew in Santiago for another week.",
            {("CHLGOV", "1723", None)},
        ),
        (
            "The Chilean army extended the current nightly curfew by two days.",
            {("CHLMIL", "1723", None)},
        ),
        # announced for the future, the curfew is threatened (CAMEO 1323)
        (
            "The Chilean government said it will extend the overnight curfews.",
            {("CHLGOV", "1323", None)},
        ),
        ("Chile will extend curfew in Santiago.", {("CHL", "1323", None)}),
    ],
)
def test_extending_a_curfew_imposes_it(text: str, expected: set[tuple[str, str, None]]) -> None:
    assert triples(text) == expected


def test_the_curfew_codes_may_be_targetless() -> None:
    # the entry is one-sided: the code's definition bears on the population
    assert allows_no_target("1723")
    assert allows_no_target("1323")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Japanese government handed over 20 tonnes of food to Sudan.",
            {("JPNGOV", "073", "SDN")},
        ),
        ("Norway is handing over vaccines to Malawi this week.", {("NOR", "073", "MWI")}),
    ],
)
def test_handing_over_relief_goods_is_humanitarian_aid(
    text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a deadline about a curfew is no curfew extended
        "Chile has extended the deadline for the curfew talks.",
        # condolences extended are a comment (018), not a curfew
        "Chile extended its condolences to Peru over the curfew deaths.",
        # negated
        "Peru did not extend the curfew.",
        # handing over a city or documents is no relief
        "Kenya handed over the city to the rebels.",
        "Peru handed over the documents to Chile.",
    ],
)
def test_no_curfew_and_no_relief_event(text: str) -> None:
    assert not {c for _, c, _ in triples(text) if c in ("1723", "1323", "073")}


def test_the_new_entries_have_their_own_ids_and_name_their_source() -> None:
    text = (DATA_DIR / "verbs.yaml").read_text(encoding="utf-8")
    entries = yaml.safe_load(text)["verbs"]
    ids = [e.get("id") for e in entries if isinstance(e, dict)]
    assert "verbs.yaml#extend-curfew" in ids
    assert "verbs.yaml#hand-over-relief" in ids
    # the curfew entry says which PETRARCH-2 entries it comes from
    assert "MAINTAIN, TIGHTEN and DECLARE" in text


def test_a_dropped_negated_extension_is_traced() -> None:
    assert "dropped: negated, not an event" in outcomes("Peru did not extend the curfew.")
