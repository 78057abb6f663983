"""Round 10 clause rules (branch ev-clauses3): a purpose infinitive of aid takes the subject
that controls it and names the aid's recipient, aid delivered in a foreign country targets it,
the relative clause of an issued document is its issuer's act, a mediation between A and B
targets both sides, "guilty of" + a gerund is the subject's act, and a past form between a
name and an article is a verb. Our own sentences, each kind with ones that must yield nothing.
"""

from __future__ import annotations

from datetime import date

from eventkit import outcomes_at, triples_at

from pipeline.stages.events import frames
from pipeline.stages.events.syntax import parse

triples = triples_at(date(2023, 2, 28))
outcomes = outcomes_at(date(2023, 2, 28))


# --- a purpose infinitive of aid: the controller is its subject (subject control)


def test_a_purpose_infinitive_of_aid_takes_the_main_subject() -> None:
    assert triples("Canada sent a team of engineers to help Haiti rebuild its roads.") == {
        ("CAN", "070", "HTI")
    }
    assert ("NOR", "070", "HTI") in triples(
        "Norway has shipped tents and blankets to help Haitian families."
    )


def test_a_purpose_infinitive_under_a_gerund_a_modal_or_have_yields_nothing() -> None:
    # "is considering sending": the sending is itself only considered (no aid event; the
    # considering is CAMEO 014, a policy option, since round 13)
    got = triples("South Korea is considering sending aid to help North Korea.")
    assert not any(code.startswith("07") for _, code, _ in got)
    # "has the right to": no act of the subject at all
    assert triples("South Korea has the right to help North Korea.") == set()
    # "could send": hypothetical
    assert triples("South Korea could send a team to help North Korea.") == set()


def test_object_control_is_not_subject_control() -> None:
    # "allowed Kenya to help": Kenya would help, and only if allowed: no aid by the minister
    assert not any(t[1] == "070" for t in triples("The minister allowed Kenya to help Somalia."))


def test_purpose_head_needs_an_object_between_verb_and_to() -> None:
    text = "Norway sent aid to help Haiti."
    parsed = parse(text, 0, len(text))
    assert frames.purpose_head(parsed, text.index("help")) == text.index("sent")
    intent = "Norway wants to help Haiti."
    parsed = parse(intent, 0, len(intent))
    assert frames.purpose_head(parsed, intent.index("help")) is None


# --- the aid's recipient named inside its purpose infinitive


def test_an_aid_phrase_finds_its_recipient_in_the_purpose_infinitive() -> None:
    assert triples("Germany gave 35 million euros to rebuild roads in Ethiopia.") == {
        ("DEU", "071", "ETH")
    }


def test_no_recipient_across_a_clause_or_a_comma() -> None:
    assert triples("Germany gave 35 million euros to the fund, which works in Ethiopia.") == set()
    assert triples("Germany gave 35 million euros to fight corruption, Kenya said.") == set()


def test_purpose_target_reads_the_shape() -> None:
    text = "Germany gave 35 million euros this year to rebuild roads in Ethiopia."
    parsed = parse(text, 0, len(text))
    end = text.index("euros") + len("euros")
    assert frames.purpose_target(parsed, end, text.index("Ethiopia"))
    other = "Germany gave 35 million euros, and Kenya thanked it."
    parsed = parse(other, 0, len(other))
    assert not frames.purpose_target(parsed, other.index(","), other.index("Kenya"))


# --- aid delivered in a foreign country


def test_aid_delivered_abroad_targets_the_country() -> None:
    assert triples("Japan delivered food aid in Yemen.") == {("JPN", "073", "YEM")}


def test_aid_delivered_at_home_has_no_place_target() -> None:
    assert triples("Japanese troops delivered food aid in Japan.") == set()


# --- the relative clause of an issued document


def test_a_documents_relative_clause_is_the_issuers_act() -> None:
    assert ("USALEG", "0256", "RUS") in triples(
        "The US Senate issued a report that calls on Russia to withdraw its troops."
    )


def test_a_document_someone_only_read_is_not_his_act() -> None:
    assert triples("The Kenyan minister read a report that accuses Iran of spying.") == set()


# --- mediation between A and B


def test_mediation_between_two_sides_targets_both() -> None:
    assert triples("Egypt brokered a truce between Israel and Hamas.") == {
        ("EGY", "045", "ISR"),
        ("EGY", "045", "PSEREB"),
    }


def test_other_codes_keep_one_target_and_an_adjective_stays_no_verb() -> None:
    assert triples("Egypt condemned the war between Israel and Hamas.") == {("EGY", "111", "ISR")}
    # "the brokered truce": a participle adjective after the article, no mediation
    assert not any(
        t[1] == "045" for t in triples("The brokered truce between Israel and Hamas held.")
    )


# --- "guilty of" + gerund


def test_guilty_of_a_gerund_is_the_subjects_act() -> None:
    assert ("KENMIL", "190", "SOMCVL") in triples(
        "The Kenyan army was found guilty of attacking Somali civilians."
    )


def test_not_guilty_of_yields_nothing() -> None:
    assert triples("India was not guilty of attacking Pakistan.") == set()
    assert "dropped: negated, not an event" in outcomes(
        "India was not guilty of attacking Pakistan."
    )
