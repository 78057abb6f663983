"""Round 12b (ev-attach): actors attached from phrases that are no argument of the verb.

- a participle phrase modifying the subject noun ("the alliance battling Kurdish militants
  has announced"): its object is not the main verb's subject; the noun before it is;
- "on behalf of X" names for whom an act is done, not its target;
- a "that" clause of the direct object noun ("denied claims that ... officials ...") and a
  gerund clause after "against" ("warned against isolating X"): their actors belong to that
  clause; a prepositional object's clause ("comment on a report that X ...") still names the
  topic.

Sentences written here.
"""

from __future__ import annotations

from datetime import date

from pipeline.stages.events import code_text

PUB = date(2024, 5, 14)


def coded(text: str) -> list[tuple[str | None, str, str | None]]:
    return [
        (e.source.code if e.source else None, e.cameo_code, e.target.code if e.target else None)
        for e in code_text(text, PUB)
    ]


def test_object_of_a_participle_modifier_is_not_the_subject() -> None:
    assert coded("The alliance battling Kurdish militants in Syria has announced a truce.") == []
    assert coded("A task force hunting Somali pirates has declared a ceasefire.") == []


def test_the_noun_a_participle_modifies_is_the_subject() -> None:
    assert coded("Russian troops fighting Ukrainian forces have declared a ceasefire.") == [
        ("RUSMIL", "0871", None)
    ]


def test_prepositional_participles_open_no_modifier_clause() -> None:
    assert coded("Soviet aircraft including helicopter gunships killed 46 Afghan civilians.") == [
        ("SUNMIL", "190", "AFGCVL")
    ]


def test_on_behalf_of_names_no_target() -> None:
    assert coded(
        "The Kenyan foreign minister expressed sympathy on behalf of the government of Kenya."
    ) == [("KENGOV", "018", None)]
    assert coded(
        "The Kenyan foreign minister expressed condolences to Ethiopia on behalf of the "
        "government of Kenya."
    ) == [("KENGOV", "018", "ETH")]


def test_actor_in_the_content_clause_of_the_object_is_no_target() -> None:
    assert coded(
        "The Egyptian government denied claims that a deal allowing Sudanese officials to "
        "enter the country harmed refugees."
    ) == [("EGYGOV", "016", None)]
    assert coded("The Egyptian government rejected the Sudanese proposal.") == [
        ("EGYGOV", "120", "SDN")
    ]


def test_a_prepositional_objects_clause_still_names_the_topic() -> None:
    assert coded(
        "The German government declined to comment on a report that Russian agents had "
        "hacked its network."
    ) == [("DEUGOV", "011", "RUS")]


def test_actor_in_a_gerund_clause_after_against_is_no_target() -> None:
    assert (
        coded("The Brazilian president warned against isolating the government of Venezuela.") == []
    )
    assert coded("The Brazilian president warned Venezuela against holding the vote.") == [
        ("BRAGOV", "130", "VEN")
    ]


def test_own_country_modifying_the_object_is_no_target() -> None:
    assert coded("The Kenyan president eased the Kenyan embargo on arms sales to Somalia.") == [
        ("KENGOV", "085", "SOM")
    ]
    assert ("KENGOV", "081", "KEN") not in coded(
        "The Kenyan president lifted the Kenyan ban on imports from Uganda."
    )


def test_another_countrys_modifier_is_still_the_target() -> None:
    assert coded("The Kenyan president lifted the Ugandan embargo.") == [("KENGOV", "085", "UGA")]
