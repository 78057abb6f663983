"""Recall on real news sentences (branch ev-recall6, round 13).

Four clause and name conventions that find a target or keep a compound whole: an
abbreviation in brackets after its name is that name (and names an unlisted name before it);
"State" ending a name ("the Islamic State") is no event-noun modifier before a past tense;
the "by" agent of the act a praise, a disapproval or a rejection judges is its target;
members named after "comprised of" are no target. Sentences are written for the test,
including ones that must yield nothing. Pure: the coder and its packaged dictionaries.
"""

from __future__ import annotations

from datetime import date

import pytest
from eventkit import triples_at

PUB = date(2023, 2, 28)

triples = triples_at(PUB)


# --- a bracketed abbreviation restates its name: the compound before it stays whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ghana and the Economic Community of West African States (ECOWAS) signed a "
            "security pact on Monday.",
            {("GHA", "057", "IGOWAFECW"), ("IGOWAFECW", "057", "GHA")},
        ),
        (
            "Peru and the Andean Trade Council (WTO) signed a customs deal.",
            {("PER", "057", "IGOBUSWTO"), ("IGOBUSWTO", "057", "PER")},
        ),
    ],
)
def test_bracketed_abbreviation_keeps_the_compound(
    text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert expected <= triples(text)


def test_bracketed_abbreviation_of_another_actor_stays_apart() -> None:
    # the brackets name a different actor (the codes disagree): two actors, as before
    got = triples("Fighters of the National Armed Forces (FARC) ambushed Colombian police.")
    assert {(s, t) for s, _, t in got} == {("COLREB", "COLCOP")}


def test_bracketed_abbreviation_is_no_second_subject() -> None:
    got = triples("The Libyan National Army (LNA) shelled Misrata on Sunday.")
    assert all(s == "LBYREB" for s, _, _ in got)


# --- "State" ending a name before a past tense


def test_named_state_before_a_past_tense_is_a_subject() -> None:
    assert ("IMGMUSISI", "190", "NGAMIL") in triples(
        "The Islamic State attacked Nigerian soldiers near the lake."
    )


def test_a_state_visit_is_still_a_noun() -> None:
    # lower-case "state" before an event noun is a modifier: no visit verb
    assert triples("The state visit of the Kenyan president was postponed.") == set()


# --- the agent of a judged act is the target


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Malian government condemned a violent protest by Ivorian traders outside "
            "the embassy.",
            ("MLIGOV", "111", "CIVBUS"),
        ),
        (
            "Chile strongly condemned the repeated and brutal abuses of detainees by Bolivia.",
            ("CHL", "111", "BOL"),
        ),
        (
            "Norway praised the decision by Sweden to reopen its consulate.",
            ("NOR", "051", "SWE"),
        ),
    ],
)
def test_by_agent_of_judged_act_is_the_target(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text)


def test_by_agent_inside_a_that_clause_is_no_target() -> None:
    # the "by" phrase inside a that-clause belongs to that clause's verb
    assert ("PER", "120", "CHL") not in triples(
        "Peru rejected claims that the raid was ordered by Chile."
    )


@pytest.mark.parametrize(
    "text",
    [
        # "by" with no actor after it: nothing to aim the judgement at, and 111/051 need one
        "The Malian government condemned the decision by a narrow margin.",
        "Norway welcomed the decision by a vote of ten to two.",
    ],
)
def test_judged_act_by_no_actor_yields_nothing(text: str) -> None:
    assert triples(text) == set()


# --- members of a noun are no target


def test_members_after_comprised_of_are_no_target() -> None:
    got = triples(
        "The African Union agreed to create a standby force comprised of Kenyan and Rwandan troops."
    )
    assert not any(t in ("KENMIL", "RWAMIL", "KEN", "RWA") for _, _, t in got)
    assert not any(s in ("KENMIL", "RWAMIL", "KEN", "RWA") for s, _, _ in got)


def test_africa_union_variant_is_the_african_union() -> None:
    assert ("IGOAFRAFU", "111", "ERI") in triples("The Africa Union condemned Eritrea.")


# --- entries read off PETRARCH-2's dictionaries (appended with their own ids)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # returning property (0842): the recipient after the thing
        (
            "Canada returned 40 looted antiquities to the government of Peru.",
            ("CAN", "0842", "PERGOV"),
        ),
        # considering a policy option (014), one-sided
        ("The Ghanaian government is considering imposing a curfew.", ("GHAGOV", "014", None)),
        ("Chile is exploring the possibility of a new port.", ("CHL", "014", None)),
        # pessimistic and optimistic comments (012, 013) with "be"
        ("The Peruvian government said it is sceptical about the plan.", ("PERGOV", "012", None)),
        ("The Ghanaian president remained optimistic.", ("GHAGOV", "013", None)),
        # humanitarian goods given (073)
        ("Norway delivered tons of food to Yemen.", ("NOR", "073", "YEM")),
        # a demand in reported speech (100)
        ("Ghana said Togo must investigate the killings.", ("GHA", "100", "TGO")),
        # force posture (152, 154, 1724), one-sided
        ("Peruvian troops remained on high alert.", ("PERMIL", "152", None)),
        ("Chile has strengthened its forces in the north.", ("CHL", "154", None)),
        ("The Bolivian government declared a state of siege.", ("BOLGOV", "1724", None)),
        # easing tariffs (085), waging war (190)
        ("Chile cut tariffs on Peruvian copper.", ("CHL", "085", "PER")),
        ("Ghana waged war against Togo.", ("GHA", "190", "TGO")),
        # withdrawing peacekeepers (1661): where they served
        ("The UN withdrew its peacekeepers from Eritrea.", ("IGOUNO", "1661", "ERI")),
    ],
)
def test_dictionary_entries(text: str, expected: tuple[str, str | None, str | None]) -> None:
    assert expected in triples(text)


@pytest.mark.parametrize(
    "text",
    [
        # returning is no property act without a thing, nor with a thing returned to no actor
        "The Peruvian delegation returned to Lima.",
        "The museum returned the paintings to storage.",
        # considering a situation is no policy option
        "Considering the weather, the match was postponed.",
        # war on no actor
        "The mayor waged war on potholes.",
        # remaining on alert needs an actor
        "Residents remained on alert after the storm.",
    ],
)
def test_dictionary_entries_yield_nothing(text: str) -> None:
    assert triples(text) == set()


def test_own_forces_are_no_target() -> None:
    # "its forces in the north" are the source's own: a one-sided 154, not aimed at them
    assert triples("Chile has strengthened its forces in Arica.") == {("CHL", "154", None)}
    # a name in the phrase ("its troops from Bolivia") keeps it: the place left is the target
    got = triples("Peru withdrew its troops from Bolivia.")
    assert any(c == "0874" and t is not None and t.startswith("BOL") for _, c, t in got)


def test_relief_goods_do_not_outrank_weapons() -> None:
    # "supplied ammunition and food": the arms make it military aid (072), not 073
    got = triples("Chile supplied ammunition and food to Peruvian rebels.")
    assert ("CHL", "072", "PERREB") in got
    assert not any(c == "073" for _, c, _ in got)


def test_as_predicative_after_an_auxiliary() -> None:
    # "were holding X as human shields": the auxiliary before the one main verb
    assert ("SOMREB", "184", "KENCVL") in triples(
        "Somali militants were holding Kenyan villagers as human shields."
    )
    # the accusation's "of using" stays the accused's act, not the accuser's
    got = triples("Ghana has accused Togolese rebels of using civilians as human shields.")
    assert not any(s == "GHA" and c == "184" for s, c, _ in got)


def test_an_institution_named_after_a_person_is_it() -> None:
    # "the Trump administration" is headed by "administration": "it" resolves to it
    assert ("USAGOV", "1312", "PRK") in triples(
        "The Trump administration said it would impose sanctions on North Korea."
    )


def test_own_forces_stationed_abroad_are_no_target() -> None:
    # "its forces in Peru": the source's forces, stationed there, no target of a build-up
    assert triples("Chile has strengthened its forces in Peru.") == {("CHL", "154", None)}


def test_time_adverbial_between_event_noun_and_its_preposition() -> None:
    assert ("PERMIL", "190", "CHLREB") in triples(
        "The Peruvian army carried out strikes Sunday morning against Chilean rebels."
    )
    # no preposition after the adverbial: no target, and 190 needs one
    assert triples("The Peruvian army carried out strikes yesterday.") == set()
