"""Clause-aware frames (``events/frames.py``): bridges between a subject and its verb, subjects
shared by coordinated verbs, recipient PPs after a verb-object phrase, a participle clause that
carries the target, and the cases that must stay without an event. Our own sentences.
"""

from __future__ import annotations

from datetime import date

from eventkit import triples_at

from pipeline.stages.events import frames
from pipeline.stages.events.lexicon import load_lexicon
from pipeline.stages.events.syntax import parse

triples = triples_at(date(2023, 2, 28))


# --- bridges between the subject and its verb


def test_an_appositive_name_between_subject_and_verb_is_bridged() -> None:
    assert ("KENGOV", "043", "TZAGOV") in triples(
        "The Kenyan Foreign Minister, Mary Wanjiru, has welcomed the visit by the Tanzanian "
        "Foreign Minister."
    )


def test_a_relative_clause_and_a_temporal_noun_are_bridged() -> None:
    text = (
        "The Ugandan army, which controls the border region, yesterday deported dozens of "
        "Congolese traders."
    )
    assert ("UGAMIL", "174", "CODBUS") in triples(text)
    assert ("UGAMIL", "174", "CODBUS") in triples(
        "The Ugandan army (UPDF) on Monday deported dozens of Congolese traders."
    )


def test_bridged_end_passes_only_bridges() -> None:
    text = "The army, which holds the region, yesterday left."
    src_end = text.index(",")
    end = frames.bridged_end(text, src_end, text.index("left"))
    assert text[end:].strip().startswith("left")
    assert frames.only_bridges(text, src_end, text.index("left"))
    other = "The army and the police left."
    assert not frames.only_bridges(other, other.index(" and"), other.index("left"))


# --- recipient PPs after a verb-object phrase


def test_a_message_sent_to_someone_names_its_recipient() -> None:
    got = triples(
        "The Dutch prime minister has sent a letter of sympathy to the Turkish president."
    )
    assert ("NLDGOV", "040", "TURGOV") in got


def test_aid_given_in_a_pp_to_a_country() -> None:
    assert ("EGYGOV", "070", "SDN") in triples(
        "The Egyptian government gave $5 million in aid to Sudan."
    )


def test_recipient_pp_needs_the_pp_right_after_the_object() -> None:
    text = "They sent a letter in Ottawa to Kenya."
    parsed = parse(text, 0, len(text))
    end = text.index("letter") + len("letter")
    # an "in" PP of place, then "to": one PP of the object is allowed before the recipient
    assert frames.recipient_pp(parsed, end, text.index("Kenya"))
    far = "They sent a letter about the war and the flood to Kenya."
    parsed = parse(far, 0, len(far))
    end = far.index("letter") + len("letter")
    assert not frames.recipient_pp(parsed, end, far.index("Kenya"))


# --- shared subjects: coordinated verbs


def test_the_second_of_two_coordinated_verbs_has_the_first_ones_subject() -> None:
    got = triples("Turkish forces entered northern Syria on Monday and attacked Kurdish fighters.")
    assert {s for s, _, _ in got} == {"TURMIL"}
    assert not any(s == "SYR" for s, _, _ in got)  # the first verb's object is no subject


def test_a_new_subject_after_and_keeps_its_own_clause() -> None:
    got = triples("Russia shelled Kyiv and Ukraine attacked Belgorod.")
    assert ("UKR", "190", "RUS") in got
    assert not any(s == "RUS" and c == "190" for s, c, _ in got)


def test_coordination_after_a_relative_clause_is_not_guessed() -> None:
    got = triples(
        "Indian police arrested two Pakistani nationals who had crossed the border and "
        "accused them of spying."
    )
    assert not any(s and s.startswith("PAK") for s, _, _ in got)


# --- a participle clause carrying the target


def test_participle_target_after_an_event_noun() -> None:
    norm = "the rebels carried out attacks, mainly targeting the army"
    after = norm.index("attacks") + len("attacks")
    assert frames.participle_target(norm, after, norm.index("army"))
    other = "the rebels carried out attacks, mainly killing the army"
    # a participle that does not name what the action is aimed at carries no target
    assert not frames.participle_target(other, after, other.index("army"))


def test_participle_target_reaches_the_gate_with_its_target() -> None:
    # the frame accepts it; the dyad gate then decides (a rebel source is not state level)
    from eventkit import outcomes_at

    got = outcomes_at(date(2023, 2, 28))(
        "Chadian rebels have carried out deadly raids, mainly targeting the Sudanese army."
    )
    assert any("TCDREB 190 SDNMIL" in o for o in got)
    assert not any("subject-verb-object" in o for o in got)


# --- what must yield nothing


def test_a_pp_object_is_no_subject() -> None:
    # "on" was lost from the prepositions (YAML read it as True): China is a topic here
    assert "on" in load_lexicon(()).cues["prepositions"]
    got = triples("The Senate committee on China sent a letter to the Japanese ambassador.")
    assert not any(s == "CHN" for s, _, _ in got)


def test_a_place_antecedent_is_no_relative_clause_subject() -> None:
    got = triples("Modi praised the Chinese city of Wuhan which hosted a summit with Xi.")
    assert not any(c.startswith("04") and s == "CHN" for s, c, _ in got)


def test_rejected_accusations_deny_the_attack() -> None:
    assert not any(
        c.startswith("19")
        for _, c, _ in triples("Russia rejected accusations that it had attacked Ukraine.")
    )


def test_a_direct_object_before_an_infinitive_is_still_another_clause() -> None:
    got = triples("Washington allowed Kyiv to use its missiles to strike inside Russia.")
    assert not any(s and s.startswith("USA") and t == "UKR" for s, _, t in got)


# --- coordinated verb phrases and conjoined clauses


def test_the_first_conjunct_is_no_verb_governing_the_second() -> None:
    assert ("NOR", "054", "IRN") in triples(
        "Norway has restored diplomatic ties with Iran and opened an embassy in Tehran."
    )


def test_a_noun_object_of_another_verb_stays_governed() -> None:
    got = triples("Norway denounced the raid on Iranian vessels.")
    assert not any(c.startswith("19") for _, c, _ in got)  # the raid is not Norway's


def test_a_conjoined_clauses_subject_is_no_target() -> None:
    got = triples("Kenya condemned the attack and Ethiopia welcomed it.")
    assert ("KEN", "111", "ETH") not in got
    assert ("KEN", "111", "ETH") in triples("Kenya condemned Ethiopia and Somalia.")


# --- restrictive relative clauses between the subject and the main verb


def test_a_restrictive_relative_clause_leaves_its_antecedent_the_subject() -> None:
    assert ("SDNCVL", "051", "TCDGOV") in triples(
        "Sudanese refugees who fled the fighting thanked the Chadian government."
    )


def test_a_relative_clause_with_a_complement_or_coordination_is_not_bridged() -> None:
    text = "Kenyan farmers who said the drought was severe blocked roads."
    parsed = parse(text, 0, len(text))
    end = text.index(" who")
    assert not frames.restrictive_relative(parsed, end, text.index("blocked"))
    text = "Kenyan farmers who fled and the police attacked Ugandan traders."
    parsed = parse(text, 0, len(text))
    assert not frames.restrictive_relative(parsed, text.index(" who"), text.index("attacked"))
