"""What the coder emits: actors, events, modalities, and which codes stand without a target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

CONVERTED_PREFIX = "petrarch:"  # pattern ids of the converted PETRARCH-2 layer

# the share of a converted PETRARCH-2 match's confidence kept, against a curated pattern's:
# on the tune halves of whole articles the converted layer's events were right 9 times in 18
# (round 11; 9 in 20 at round 9) against 76 in 83 for curated patterns, so an event of the
# converted layer states about half the evidence (0.8 x 0.6 = 0.48; docs/events.md, round 11)
CONVERTED_CONFIDENCE = 0.6


def evidence_confidence(pattern_confidence: float, tier: int) -> float:
    """A pattern's confidence, scaled down for the converted layer (*tier* above 0)."""
    return pattern_confidence * (CONVERTED_CONFIDENCE if tier else 1.0)


ASSERTED, FUTURE, HYPOTHETICAL, NEGATED, REPORTED = (
    "asserted",
    "future",
    "hypothetical",
    "negated",
    "reported",
)
# an action inside what someone claims, alleges or accuses another of ("Iran claimed that
# Israel had attacked Syria", "accused India of attacking"): CAMEO codes the claim (the
# accusation, 112, where the dictionaries have it), not the act claimed. The event is still
# emitted, so the trace and the store show what was claimed, but it is no event that happened:
# the marts and the benches leave it out like negated and hypothetical ones.
CLAIMED = "claimed"


_NEEDS_TARGET = frozenset(("04", "05", "06", "07"))


# CAMEO codes whose definition needs no target: public statements (01), protests (14),
# force posture (15), states of emergency / martial law (1724), declared ceasefires (0871) and
# their violation (196: the breach is the event; the other party is often left unnamed)
_NO_TARGET_ROOTS = frozenset(("01", "14", "15"))


# Codes whose CAMEO definition names no other party, taken from the manual's definitions rather
# than from sentences: the act bears on the source's own population, forces, office or dissent.
# A code enters with its mirrors across the roots (impose 172x / ease 081x / intend to ease 0351
# / refuse to ease 1241 / threaten 132x), so one definition is never targetless in one tense
# only. Codes aimed at a named party stay out: banning a party (1722 and its mirrors 0812,
# 1322), arrests and releases (173, 084x: the persons held are the target), rejections (12x:
# what is rejected has an author).
_NO_TARGET_CODES = frozenset(
    (
        # curbs on civilians' rights, curfews, emergency rule: the population is the object
        "172",
        "1721",
        "1723",
        "1724",
        "081",
        "0811",
        "0813",
        "0814",
        "0351",
        "1241",
        "132",
        "1321",
        "1323",
        "1324",
        # calling off, promising to call off, refusing to end or threatening dissent (as 14)
        "082",
        "0352",
        "1242",
        "133",
        # one's own forces: de-escalating, truces, demobilising, retreat or surrender, and the
        # refusal to stop fighting; a ceasefire's breach (196)
        "087",
        "0871",
        "0873",
        "0874",
        "0356",
        "1246",
        "196",
        # giving up, promising to give up or refusing to give up one's own office
        "0831",
        "0341",
        "1231",
    )
)


# symmetric actions (consultations, negotiations, agreements, cooperation and its intent):
# one event per direction
SYMMETRIC = frozenset(
    [
        "030",
        "031",
        "0311",
        "0312",
        "0313",
        "0314",
        "036",
        "040",
        "044",
        "046",
        "050",
        "057",
        "060",
        "061",
        "062",
        "063",
        "064",
    ]
)


def allows_no_target(code: str) -> bool:
    """Whether a CAMEO code may be emitted without a target actor."""
    return code[:2] in _NO_TARGET_ROOTS or code in _NO_TARGET_CODES


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor: the words in the text and the CAMEO code they stand for."""

    text: str
    code: str
    country: str | None  # ISO 3166-1 alpha-3, or the IGO code for an organisation
    role: str | None
    start: int
    end: int
    coreferent: bool = False
    inferred: bool = False  # an agent ("police") whose country came from another actor
    # an inferred agent that is no person and whose sentence names no other country ("workers
    # at a mine in Peru"): its country is the sentence's, not a pick among several
    sole: bool = False
    # a sole agent whose sentence names that country only as a state or a place ("near the
    # Syrian border", "in Mali"), never through an agent of it ("Kenyan media reported" names
    # who speaks, not where the agent is)
    placed: bool = False


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event, with the evidence that produced it (offsets into the coded text)."""

    sentence_index: int
    source: Actor | None
    target: Actor | None
    cameo_code: str
    base_code: str
    root_code: str
    quad_class: int
    goldstein: float
    modality: str
    event_date: date | None
    date_precision: str | None
    date_source: str | None  # "text" (resolved from the sentence) or "publication"
    location_name: str | None
    location_country: str | None
    trigger: str
    trigger_start: int
    trigger_end: int
    start: int
    end: int
    confidence: float
    pattern_id: str = ""  # the dictionary entry that fired ("verbs.yaml#12", "petrarch:...")

    def as_dict(self) -> dict[str, Any]:
        """A flat JSON-ready mapping (the CLI's output and the stage's row)."""
        src, tgt = self.source, self.target
        return {
            "source_text": src.text if src else None,
            "source_code": src.code if src else None,
            "source_country": src.country if src else None,
            "source_role": src.role if src else None,
            "target_text": tgt.text if tgt else None,
            "target_code": tgt.code if tgt else None,
            "target_country": tgt.country if tgt else None,
            "target_role": tgt.role if tgt else None,
            "cameo_code": self.cameo_code,
            "base_code": self.base_code,
            "root_code": self.root_code,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "modality": self.modality,
            "event_date": self.event_date.isoformat() if self.event_date else None,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
            "location_name": self.location_name,
            "location_country": self.location_country,
            "sentence_index": self.sentence_index,
            "trigger": self.trigger,
            "trigger_start": self.trigger_start,
            "trigger_end": self.trigger_end,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
            "pattern_id": self.pattern_id,
        }
