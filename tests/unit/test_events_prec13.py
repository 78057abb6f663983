"""Round 13 (ev-prec5): other senses read as actions, on real-news shapes.

* a code that acts on persons by definition (release 084x/1243, arrest 173, expulsion 174,
  assault 18 but 181, 201/202) whose object is a thing (a text, a recording, a product) is
  another sense of its verb;
* travel advice and a boycotted, cancelled or postponed visit are no visit (04x) and no act
  toward the country;
* a home or residence before a place makes the place a locative, not the target of a use of
  force;
* a degree word ("most", "more", "less", "least") grades a past participle as an adjective;
* a one-word ruler entry that is a common first name (derived from the dictionaries) needs
  a title or the surname;
* a name before a capitalised facility noun ("... International Airport") names a place.

Sentences written here.
"""

from __future__ import annotations

from datetime import date

from pipeline.stages.events import load_lexicon
from pipeline.stages.events.senses import acts_on_persons, is_thing
from tests.unit.eventkit import outcomes_at, triples_at

PUB = date(2025, 3, 9)
coded = triples_at(PUB)
outcomes = outcomes_at(PUB)


def test_releasing_a_thing_is_no_release_of_persons() -> None:
    assert coded("The Kenyan label released a new album by a Ugandan singer.") == set()
    assert coded("The Chilean presidency released the transcript of its call with Peru.") == set()
    assert coded("Iran released a video of the captured Danish sailors.") == set()
    assert coded("The Finnish ministry released figures on Estonia's losses.") == set()
    assert coded("Norway released its most wanted list of Swedish fugitives.") == set()


def test_releasing_persons_still_codes() -> None:
    assert coded("Iran released two Danish prisoners.") == {("IRN", "0841", "DNK")}
    assert ("PSEREB", "0841", "ISR") in coded("Hamas released the Israeli hostages on Monday.")
    assert coded("The Egyptian government expelled the Danish ambassador.") == {
        ("EGYGOV", "166", "DNKGOV")
    }


def test_the_thing_class() -> None:
    for word in ("transcript", "album", "videos", "figures", "manuscript", "podcast"):
        assert is_thing(word), word
    for word in ("hostages", "prisoners", "detainees", "journalist", "hardline", "soldiers"):
        assert not is_thing(word), word
    assert acts_on_persons("0841")
    assert acts_on_persons("1243")
    assert acts_on_persons("1822")
    assert not acts_on_persons("181")
    assert not acts_on_persons("190")


def test_travel_advice_is_no_act_toward_the_country() -> None:
    assert coded("Britain advised against travel to Honduras.") == set()
    assert coded("The Danish foreign ministry issued a travel warning for Mali.") == set()
    assert coded("Sweden warned its citizens against all travel to Niger.") == set()
    # a travel ban is a sanction, no advice
    assert coded("Peru imposed a travel ban on Bolivia.") != set()


def test_a_called_off_visit_is_no_visit() -> None:
    assert coded("Germany boycotted the visit to Belarus.") == set()
    assert all(c[1] != "042" for c in coded("The Kenyan minister postponed his visit to Mali."))
    assert all(
        c[1] != "042" for c in coded("Egypt cancelled the Chilean minister's visit to Cairo.")
    )
    assert coded("The Indian prime minister visited Nepal.") == {("INDGOV", "042", "NPL")}


def test_a_home_is_where_not_whom() -> None:
    assert coded("Kenyan police said gunmen attacked him at his home in Uganda.") == set()
    assert coded("Masked men shot him outside his residence in Mali.") == set()
    # a use of force in a foreign country with no party named still takes the place
    assert coded("Ethiopian troops attacked him in Somalia.") == {("ETHMIL", "190", "SOM")}


def test_degree_word_makes_a_participle_an_adjective() -> None:
    assert coded("He is the most wanted man in Colombia.") == set()
    assert coded("Danish officials said Somalis were less attacked than others.") == set()
    assert any(
        "participle adjective after 'less'" in o
        for o in outcomes("Danish officials said Somalis were less attacked than others.")
    )


def test_a_lone_common_first_name_is_no_ruler() -> None:
    lx = load_lexicon()
    assert "abdullah" in lx.first_names
    assert "khalid" in lx.first_names
    assert "putin" not in lx.first_names
    assert coded("Abdullah condemned Iran.") == set()
    assert coded("Gunmen killed Hussein and freed his brother.") == set()
    # with a title the dictionary's ruler stays
    assert coded("Prince Khalid visited Iraq.") == {("SAUGOV", "042", "IRQ")}


def test_a_place_named_after_a_person_is_no_mention_of_the_person() -> None:
    assert coded("Rebels fired rockets at the Hamid Karzai International Airport.") == set()
    assert coded("Hamid Karzai met the Pakistani president.") == {
        ("AFGELI", "040", "PAKGOV"),
        ("PAKGOV", "040", "AFGELI"),
    }
