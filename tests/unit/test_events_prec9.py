"""Precision kinds of branch ev-prec (round 9): one-way acts of symmetric codes, a name
modifying an event noun, a second predicate's object, the possessor of an event noun, "called
X <something>", appeals by "push/press for", and an infinitive under a future verb of
persuading. Our own sentences only; each kind has sentences that must yield nothing."""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

PUB = date(2024, 5, 10)

triples = triples_at(PUB)


# --- symmetric codes: both directions only for an act of both sides


def test_a_one_way_converted_act_of_a_symmetric_code_is_not_mirrored() -> None:
    got = triples("Kenya sent a letter of sympathy to the Ugandan president after the floods.")
    assert not {t for t in got if t[0] == "UGAGOV"}


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Kenya held talks with Uganda on Monday.", ("KEN", "UGA")),
        ("Finland joined NATO last year.", ("FIN", "IGOWSTNAT")),
        ("Kenya signed a trade agreement with Uganda.", ("KEN", "UGA")),
    ],
)
def test_joint_acts_stay_symmetric(text: str, pair: tuple[str, str]) -> None:
    got = triples(text)
    assert any(t[0] == pair[0] and t[2] == pair[1] for t in got)
    assert any(t[0] == pair[1] and t[2] == pair[0] for t in got)


# --- "a Nigerian request": a name modifying the noun is no subject of a verb


@pytest.mark.parametrize(
    "text",
    [
        "Ghana has rejected a Nigerian request to extradite the banker.",
        "Kenya has rejected an Ethiopian proposal for talks.",
    ],
)
def test_a_name_after_an_article_modifies_the_noun(text: str) -> None:
    got = triples(text)
    assert not {t for t in got if t[1].startswith("02")}  # no appeal by the rejecter
    assert got  # the rejection itself is coded


# --- the object of a second predicate is not the first verb's target


def test_a_target_is_not_taken_past_a_second_predicate() -> None:
    text = (
        "The Ugandan cabinet met on Monday and decided to review a law that bans"
        " opposition rallies in Kenya."
    )
    assert not {t for t in triples(text) if t[1] == "040"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Ugandan cabinet met Kenyan ministers on Monday.", ("UGAGOV", "040", "KENGOV")),
        ("Uganda attacked and killed Kenyan soldiers.", ("UGA", "190", "KENMIL")),
    ],
)
def test_a_direct_object_is_still_the_target(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


# --- the possessor of an event noun is its agent


def test_the_possessor_of_a_visit_is_the_visitor() -> None:
    got = triples(
        "Ghana expelled the Nigerian envoy to protest against Togolese President Faure"
        " Gnassingbe's visit to Burkina Faso."
    )
    assert ("TGOGOV", "042", "BFA") in got
    assert ("GHA", "042", "BFA") not in got


def test_a_visit_of_a_possessor_who_is_no_actor_yields_no_visit() -> None:
    assert not {
        t for t in triples("Ghana protested against the singer's visit to Togo.") if t[1] == "042"
    }


# --- "called X <something>" is a characterisation, not a telephone call


@pytest.mark.parametrize(
    "text",
    [
        "Ghana's president called the Nigerian president nasty.",
        "Ghana's president called the Nigerian president a liar.",
    ],
)
def test_calling_someone_something_is_no_call(text: str) -> None:
    assert not {t for t in triples(text) if t[1] == "041"}


# --- "pushed X for", "pressed X for": an appeal (the CAMEO manual's 0244 example)


@pytest.mark.parametrize(
    "text",
    [
        "Ghana has pushed the Nigerian parliament for a new border law.",
        "Ghana has pressed Togo for the release of the fishermen.",
    ],
)
def test_push_and_press_for_are_appeals(text: str) -> None:
    got = triples(text)
    assert got
    assert all(t[1].startswith("02") for t in got)


# --- "will persuade X to": the future is the persuading, the infinitive is not done


@pytest.mark.parametrize(
    "text",
    [
        "Ghana hopes Togo will persuade Benin to lift its trade ban on Nigeria.",
        "Iran hopes Japan will persuade Biden to lift sanctions on Tehran.",
    ],
)
def test_an_infinitive_under_a_future_persuading_is_not_an_intent(text: str) -> None:
    assert not {t for t in triples(text) if t[1].startswith("03")}


@pytest.mark.parametrize(
    "text",
    ["Ghana will impose sanctions on Togo.", "Ghana is prepared to impose sanctions on Togo."],
)
def test_a_plain_future_is_still_an_intent(text: str) -> None:
    assert ("GHA", "1312", "TGO") in triples(text)
