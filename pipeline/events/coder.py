"""The pure event coder: text and a publication date in, CAMEO-coded events out.

The method is deliberately shallow and explainable (see docs/events.md): dictionary look-ups
with Aho-Corasick automata for actors and trigger words, regular-expression patterns for
actions, and a handful of positional rules for who did what to whom. Precision comes first:

* an event needs a recognised action pattern; there is no fallback "make statement" code;
* one trigger gives one source and one target (one event per member of a compound actor), the
  nearest subject before it and the first actor after it within the same clause; actors are
  never paired with every verb of the sentence;
* an event without a target is emitted only for actions that have none (protests, strikes);
* a location is set only when the sentence places the action ("arrived in Beijing", "during a
  visit to Kazakhstan"), never from a place name elsewhere in the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.events import gate
from pipeline.events.dates import DateMention, find_dates
from pipeline.events.lexicon import (
    CAPITAL,
    COUNTRY,
    IGNORE,
    IGO,
    NAMED,
    ROLE,
    ActorEntry,
    Lexicon,
    Pattern,
    Term,
    load_lexicon,
    normalise,
)
from pipeline.events.sentences import Sentence, split_sentences

CODER_VERSION = "2.0.0"
CONVERTED_PREFIX = "petrarch:"  # pattern ids of the converted PETRARCH-2 layer

# how many trigger-less sentences back coreference looks (their actors are read lazily)
PENDING_SENTENCES = 6

ASSERTED, FUTURE, HYPOTHETICAL, NEGATED, REPORTED = (
    "asserted",
    "future",
    "hypothetical",
    "negated",
    "reported",
)

_TAG = re.compile(r"<[^<>]{0,300}>")
_NAME_WORDS = re.compile(r"[ \t]+((?:[A-Z][\w'’.-]*[ \t]?){1,3})")
_NAME_GAP = re.compile(r"^(?:[ \t]+[A-Z][\w'’.-]*){1,3}[ \t]+$")
_COMPOUND_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:the\s+)?$", re.IGNORECASE)
_OWN_QUALIFIER_BEFORE = re.compile(
    r"(?:\s+(?![\w'’-]*ed\b)[\w'’-]+){0,2}\s+"
)  # "Nigerian junior foreign ..."
_OF_GAP = re.compile(r"^\s+(?:of|in|from)\s+(?:the\s+)?$", re.IGNORECASE)
# "demonstrated that ...", "demonstrated considerable restraint": a protest verb with an object
_TRANSITIVE_OBJECT = re.compile(
    r"\s+(?:that|considerable|great|its|his|her|their|the|a|an|how|what|some|no|remarkable)\b"
)
_COMPLEMENTIZER = re.compile(r"\bthat\b")
# a target past one of these is in another clause: a subordinate or wh- clause, a quotation
_OTHER_CLAUSE = re.compile(
    r"\b(?:after|before|because|while|when|since|although|though|unless|until|whereas|if)\b"
    r"|\b(?:what|how|whether|why)\b|[“\"]"
)
# "denounced a drone strike on": a nominal trigger governed by another verb is that verb's
# object, not an action of the subject
_GOVERNING_VERB = re.compile(r"\b[a-z]{3,}ed\b")
_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|been|being|be)\s+"
    r"(?:(?:\w+ly|also|not|never|then|later|since|already|just|all|both)\s+){0,2}$",
)
# "moved to punish", "allowed Ukraine to strike", "wants X to attack": an infinitive under a
# verb of wanting, trying, asking or permitting is not an action that happened (a purpose
# clause, "used tear gas to disperse", and an aspect, "continued to send", are)
_INFINITIVE_BEFORE = re.compile(
    r"\b(?:want|hop|tr(?:y|ie)|seek|sought|attempt|mov|allow|permit|enabl|help|ask|urg|call|"
    r"tell|told|order|forc|encourag|invit|persuad|need|wish|prefer|aim|intend|prepar|decid|"
    r"choos|chose|offer|propos|vot|push|press|authori[sz]|able|likely|unlikely|eager|hesitant|"
    r"reluctant|struggl|fight|fought|campaign|lobb|get|got|effort|bid)\w*\b(?:\s+[^\s,;.]+){0,8}?"
    r"\s+to\s+(?:\w+ly\s+)?$"
)
_BY_AGENT = re.compile(r"^\s*(?:[^\s.;]+\s+){0,4}?by\s+(?:the\s+)?$")
_NOUN_GUARD = re.compile(
    r"\b(?:a|an|the|his|her|its|their|this|that|these|those|scheduled|official|state|planned|"
    r"first|recent|upcoming|surprise|rare|historic|brief|his|whose)\s+$"
)
_PREV_WORD = re.compile(r"([\w']+)\W*$")
# an -s form after a nationality adjective or a preposition (a word or two back) is a noun
_NOUN_PLURAL_BEFORE = re.compile(
    r"(?:\b[\w-]*(?:ian|ean|ese|ish|ani|aqi|eli|udi)\s+"
    r"|\b(?:of|by|for|amid|over|after|against|from|about|on|in|with)\s+(?:[\w'’-]+\s+){0,2}"
    r"|\bwhat\s+\w+\s+(?:calls?|called|describe[sd]?\s+as|terms?|termed)\s+(?:[\w'’-]+\s+){0,4})$"
)
_BE = frozenset(["is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re"])
_HAVE = frozenset(["has", "have", "had", "having", "'ve"])
_AUX = frozenset(
    [
        "last",
        "first",
        "recently",
        "previously",
        "already",
        "later",
        "separately",
        "will",
        "would",
        "could",
        "can",
        "might",
        "may",
        "must",
        "should",
        "shall",
        "to",
        "did",
        "does",
        "do",
        "not",
        "n't",
        "also",
        "'ll",
        "never",
        "has",
        "have",
        "had",
        "reportedly",
        "allegedly",
        "then",
        "again",
        "jointly",
    ]
)
_ROLE_PLURALS = frozenset(
    [
        "officials",
        "forces",
        "troops",
        "rebels",
        "authorities",
        "militants",
        "protesters",
        "police",
        "soldiers",
        "leaders",
        "ministers",
        "government",
        "army",
        "military",
        "militia",
        "insurgents",
        "diplomats",
        "countries",
        "states",
        "nations",
        "sides",
        "parties",
        "groups",
    ]
)
_REDUCED_PASSIVE = re.compile(r"\s+(?:by|with)\b")
# "athletes killed at the Games": a participle after a common noun, then a preposition
_REDUCED_RELATIVE = re.compile(r"\s+(?:at|in|during|near|when|while|since|after)\b")
_NEEDS_TARGET = frozenset(("04", "05", "06", "07"))
# CAMEO codes whose definition needs no target: public statements (01), protests (14),
# force posture (15), states of emergency / martial law (1724), declared ceasefires (0871)
_NO_TARGET_ROOTS = frozenset(("01", "14", "15"))
_NO_TARGET_CODES = frozenset(("1724", "0871"))


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


_LOCATIVE = re.compile(r"^\s*(?:[^\s.;]+\s+){0,6}?(?:in|at)\s+(?:the\s+)?$")
# "Blinken, who was born in New York, criticised ...": the subject is before the clause
_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which)\b[^,;]*,\s*(?:\w+ly\s+)?$")
_INFINITIVE_AFTER = re.compile(r"(?:\s+[^\s,;.]+){0,8}?\s+to\s+(?:\w+\s+){0,3}$")
_ASKING = frozenset(("02", "10", "13"))  # appeals, demands, threats name who should act
_IN_PLACE = re.compile(r"\b(?:in|during|from)\s+(?:the\s+)?$")
_AT_PLACE = re.compile(r"\b(?:in|at|during|from)\s+(?:the\s+)?$")
_NEW_PREDICATE = re.compile(
    r"\b(?:and|but)\s+(?:would|will|has|have|had|is|are|was|were|could|should|can|may|might|"
    r"must|also|then|did|does|do)\b|\b(?:before|after|while|when|since)\s+\w+ing\b"
)
_SPEAKER_AFTER = re.compile(
    r"\s+(?:\w+\s+)?(?:said|says|told|confirmed|added|announced|reported|stated)\b"
)
# "the company's owner, Iran": a short noun phrase, then the actor it names, ending the clause
_APPOSITION = re.compile(
    r"^\s+(?:the\s+|its\s+|their\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,3},\s+(?:the\s+)?$"
)
_CLAUSE_END = re.compile(r"\s*(?:[.;!?)]|$)")
# "met Alice Wells, a senior US official": a name the dictionaries lack, then what it is
_NAME_APPOSITION = re.compile(
    r"\s+(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*,\s+(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}$"
)
_PUNCT = ",;:!?()\"“”.'’‘[]"
_AGAINST = re.compile(r"\bagainst\s+(?:any\s+|all\s+|the\s+)?$")
_COMPLEMENT_AFTER = re.compile(r"\s+(?:to|that)\b")
_CLOSE_QUOTE = re.compile(r"[,.!?]?[”\"]")
_ATTRIBUTION = re.compile(
    r"[\s,]*(?P<who>[Hh]e|[Ss]he|(?:[A-Z][\w'’.-]*\s){0,4}[A-Z][\w'’.-]*)\s+(?:said|says|told|added)\b"
)


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


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    entry: ActorEntry
    term: Term | None


@dataclass(slots=True)
class _Group:
    """Adjacent mentions forming one noun phrase, or a compound ("China and Russia")."""

    start: int
    end: int
    actors: list[Actor]
    place: bool = False
    person: bool = False
    coreferent: bool = False
    bare: bool = False  # an agent with no country named ("police", "rebels"), maybe resolved


@dataclass(slots=True)
class _Trigger:
    start: int
    end: int
    head_end: int  # end of the first word: targets may sit inside a ditransitive pattern
    pattern: Pattern


@dataclass
class _Memory:
    """What cheap coreference needs from the sentences already read."""

    person: Actor | None = None
    organisation: Actor | None = None
    pair: list[Actor] = field(default_factory=list)
    countries: list[Actor] = field(default_factory=list)


def _mask_html(text: str) -> str:
    """HTML tags left in the text become spaces of the same length, so offsets stay valid."""
    if "<" not in text:
        return text
    return _TAG.sub(lambda m: " " * len(m.group(0)), text)


def _word_bounded(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1] if start > 0 else " "
    after = norm[end] if end < len(norm) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _case_ok(entry: ActorEntry, surface: str) -> bool:
    if entry.case_sensitive:
        letters = [c for c in surface if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)
    if entry.proper:
        return surface[:1].isupper() or surface[:1].isdigit()
    return True


def _find_mentions(text: str, norm: str, lx: Lexicon, day: date | None) -> list[_Mention]:
    """Dictionary phrases at word boundaries, case-checked, resolved on *day*, longest first."""
    candidates: list[_Mention] = []
    if len(lx.resolved) > 4096:  # a backfill over many dates: keep the cache bounded
        lx.resolved.clear()
    resolved = lx.resolved.setdefault(day, {})  # entries resolve the same way all day
    size = len(norm)
    for end_idx, (length, entries) in lx.actors.iter(norm):
        start, end = end_idx - length + 1, end_idx + 1
        if (start > 0 and (norm[start - 1].isalnum() or norm[start - 1] == "_")) or (
            end < size and (norm[end].isalnum() or norm[end] == "_")
        ):
            continue
        surface = text[start:end]
        for entry in entries:
            if entry.kind == IGNORE:  # "South China Sea": a longer phrase that is no actor
                candidates.append(_Mention(start, end, entry, None))
                break
            if _case_ok(entry, surface):
                key = id(entry)
                if key in resolved:
                    term = resolved[key]
                else:
                    term = resolved[key] = (
                        entry.resolve(day) if entry.kind != ROLE else entry.terms[0]
                    )
                if term is not None:
                    candidates.append(_Mention(start, end, entry, term))
                break
    candidates.sort(key=lambda m: (m.start, m.start - m.end))
    chosen: list[_Mention] = []
    last_end = -1
    for mention in candidates:
        if mention.start >= last_end:
            chosen.append(mention)
            last_end = mention.end
    return [m for m in chosen if m.entry.kind != IGNORE]


def _joinable(prev: _Mention, nxt: _Mention, gap: str) -> bool:
    if "\n" in gap:
        return False
    stripped = gap.strip()
    if stripped in ("", "'s", "’s", "-"):
        # two country names in a row are two actors unless joined by a possessive or hyphen
        return not (
            prev.entry.kind in (COUNTRY, CAPITAL, IGO)
            and nxt.entry.kind in (COUNTRY, CAPITAL, IGO)
            and stripped == ""
            and gap != ""
        )
    if prev.entry.kind == ROLE and _OF_GAP.match(gap):
        return True  # "the foreign minister of Japan", "opposition groups in Zimbabwe"
    return bool(
        _NAME_GAP.match(gap)
        and prev.entry.kind in (ROLE, COUNTRY, IGO)
        and nxt.entry.kind in (NAMED, ROLE)
    )


def _group_actor(text: str, members: list[_Mention], start: int, end: int) -> _Group | None:
    named = place = role_m = None
    for m in members:  # the first of each kind
        kind = m.entry.kind
        if kind == NAMED:
            named = named or m
        elif kind == ROLE:
            role_m = role_m or m
        else:
            place = place or m
    country: str | None = None
    role: str | None = None
    if named is not None and named.term is not None:
        country, role = named.term.country, named.term.role
        if role == "ELI" and role_m is not None and role_m.term is not None:
            role = role_m.term.role
        if place is not None and place.term is not None and place.start < named.start:
            country = place.term.country  # "Pakistan's Foreign Office": the country named wins
    elif place is not None and place.term is not None:
        country = place.term.country
        if role_m is not None and role_m.term is not None:
            role = role_m.term.role
        elif place.entry.kind == CAPITAL:
            role = place.term.role
    if not country:
        if place is None and named is None and role_m is not None and role_m.term is not None:
            # "police", "the rebels": PETRARCH's country-less agent ("---COP"), given the
            # country of its sentence or article by _resolve_bare
            role = role_m.term.role or ""
            actor = Actor(text[start:end], "---" + role, None, role or None, start, end)
            return _Group(start, end, [actor], person=end > members[-1].end, bare=True)
        return None
    code = country if country.startswith("IGO") or not role else country + role
    if country.startswith("IGO"):
        role = None
    actor = Actor(text[start:end], code, country, role, start, end)
    only_place = len(members) == 1 and members[0].entry.kind in (COUNTRY, CAPITAL)
    is_person = named is not None or (role_m is not None and end > members[-1].end)
    return _Group(start, end, [actor], place=only_place, person=is_person)


def _build_groups(text: str, mentions: list[_Mention]) -> list[_Group]:
    runs: list[list[_Mention]] = []
    for mention in mentions:
        if runs and _joinable(runs[-1][-1], mention, text[runs[-1][-1].end : mention.start]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    groups: list[_Group] = []
    for run in runs:
        start, end = run[0].start, run[-1].end
        if run[-1].entry.kind == ROLE:  # a title before a name absent from the dictionaries
            name = _NAME_WORDS.match(text, end)
            if name:
                end = name.end(1)
                while end > start and text[end - 1] in " \t.,":
                    end -= 1
        group = _group_actor(text, run, start, end)
        if group is not None:
            groups.append(group)
    # compounds: "China and Russia", "Britain, France and Germany"
    merged: list[_Group] = []
    for group in groups:
        if (
            merged
            and _COMPOUND_GAP.match(text[merged[-1].end : group.start])
            and merged[-1].actors[-1].role == group.actors[0].role
        ):
            last = merged[-1]
            last.actors.extend(group.actors)
            last.end = group.end
            last.place = False
            last.person = last.person and group.person
            last.bare = last.bare and group.bare
        else:
            merged.append(group)
    return merged


def _resolve_bare(text: str, groups: list[_Group]) -> list[_Group]:
    """Country-less agents take the country of their context, as PETRARCH codes them.

    The nearest actor or place with a country in the same sentence wins ("Kenyan officials
    said police ..."); failing that the agent stays "---" + role. The article's most named
    country is no longer a fallback: on real pages it made "officials" of whichever country the
    page had named most (a story about China made Chinese officials of American ones). Such
    actors are marked ``inferred``: the gate lets them be targets, never sources.
    """
    if not any(g.bare for g in groups):
        return groups
    known = [
        g
        for g in groups
        if not g.bare and g.actors[0].country and not g.actors[0].country.startswith("IGO")
    ]
    out: list[_Group] = []
    for group in groups:
        if not group.bare or group.actors[0].country:
            out.append(group)
            continue
        near = min(
            known,
            key=lambda g: min(abs(g.start - group.end), abs(group.start - g.end)),
            default=None,
        )
        country = near.actors[0].country if near is not None else None
        if country is None or near is None:
            out.append(group)
            continue
        # "Nigerian junior foreign minister", "Opposition groups in Zimbabwe": the country
        # qualifies the agent itself; farther away it is only a guess
        own = (
            near.end <= group.start and _OWN_QUALIFIER_BEFORE.fullmatch(text, near.end, group.start)
        ) or (group.end <= near.start and _OF_GAP.fullmatch(text, group.end, near.start))
        actors = [
            Actor(
                a.text,
                country + (a.role or ""),
                country,
                a.role,
                a.start,
                a.end,
                inferred=not own,
            )
            for a in group.actors
        ]
        out.append(_Group(group.start, group.end, actors, person=group.person, bare=True))
    return out


def _cue_regex(words: Iterable[str]) -> re.Pattern[str]:
    alts = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alts) + r")(?![\w])")


@dataclass
class _Cues:
    negation: re.Pattern[str]
    future: re.Pattern[str]
    hypothetical: re.Pattern[str]
    speech: re.Pattern[str]
    preposition_before: re.Pattern[str]
    clause_break: re.Pattern[str]
    deny_that: re.Pattern[str]
    coreference: re.Pattern[str]  # named groups pair / person / organisation


_CUE_CACHE: dict[str, _Cues] = {}


def _cues(lx: Lexicon) -> _Cues:
    cached = _CUE_CACHE.get(lx.fingerprint)
    if cached is not None:
        return cached
    c = lx.cues
    preps = "|".join(re.escape(p) for p in c.get("prepositions", []))
    breaks = "|".join(re.escape(b) for b in c.get("clause_breaks", [";"]))
    cues = _Cues(
        negation=_cue_regex(c.get("negation", ["not"])),
        future=_cue_regex(c.get("future", ["will"])),
        hypothetical=_cue_regex(c.get("hypothetical", ["if"])),
        speech=_cue_regex(c.get("speech", ["said"])),
        preposition_before=re.compile(r"\b(?:" + preps + r")\s+(?:the\s+)?$"),
        clause_break=re.compile(breaks),
        deny_that=re.compile(r"\b(?:denied|denies|deny|denying|rejected claims)\s+(?:that\s+)?"),
        coreference=re.compile(
            "|".join(
                f"(?P<{kind}>" + _cue_regex(lx.coreference.get(kind, []) or ["\x00"]).pattern + ")"
                for kind in ("pair", "person", "organisation")
            )
        ),
    )
    _CUE_CACHE[lx.fingerprint] = cues
    return cues


def _coref_groups(
    text: str, norm: str, sent: Sentence, *, memory: _Memory, cues: _Cues, groups: list[_Group]
) -> list[_Group]:
    """Pronouns and "the two countries" as actor groups, resolved cheaply.

    "he"/"she" is the nearest person earlier in the sentence, else the subject (first person)
    of the last sentence that had one; "it" likewise with countries and organisations; "the two
    countries" is the last compound actor, or the last two countries named.
    """
    out: list[_Group] = []
    segment = norm[sent.start : sent.end]

    def alias(actors: list[Actor], s: int, e: int) -> list[Actor]:
        return [Actor(text[s:e], a.code, a.country, a.role, s, e, coreferent=True) for a in actors]

    for m in cues.coreference.finditer(segment):
        s, e = sent.start + m.start(), sent.start + m.end()
        if m.lastgroup == "pair":
            if len(memory.pair) >= 2:
                out.append(_Group(s, e, alias(memory.pair, s, e), coreferent=True))
            continue
        person = m.lastgroup == "person"
        local = [
            g
            for g in groups
            if g.end <= s and g.person == person and len(g.actors) == 1 and not g.coreferent
        ]
        antecedent = (
            local[-1].actors[0] if local else (memory.person if person else memory.organisation)
        )
        if antecedent is not None:
            out.append(_Group(s, e, alias([antecedent], s, e), person=person, coreferent=True))
    return out


def _remember(memory: _Memory, groups: list[_Group]) -> None:
    real = [g for g in groups if not g.coreferent and not g.bare]
    person = next((g for g in real if g.person and len(g.actors) == 1), None)
    if person is not None:
        memory.person = person.actors[0]
    organisation = next((g for g in real if not g.person and len(g.actors) == 1), None)
    if organisation is not None:
        memory.organisation = organisation.actors[0]
    compounds = [g for g in real if len(g.actors) >= 2]
    if compounds:
        memory.pair = list(compounds[-1].actors)
        return
    for group in real:
        actor = group.actors[0]
        if not memory.countries or memory.countries[-1].country != actor.country:
            memory.countries.append(actor)
            memory.countries = memory.countries[-2:]
    if (
        len(memory.pair) < 2
        and len(memory.countries) == 2
        and memory.countries[0].country != memory.countries[1].country
    ):
        memory.pair = list(memory.countries)


def _verbal(
    text: str,
    norm: str,
    sent: Sentence,
    span: tuple[int, int],
    lx: Lexicon,
    *,
    bare: bool,
    noun_ok: bool = False,
) -> bool:
    """Whether a one-word trigger reads as a finite verb, not a noun or a participle.

    "demands", "attack", "strike" are nouns as often as verbs; "fighting" is mostly a noun;
    "civilians threatened with starvation" is a participle. A bare trigger counts when its form
    is a past tense (and not a reduced passive), a progressive after a form of "be", or a base
    form after an auxiliary, an adverb, a name or a role noun.
    """
    start, end = span
    word = norm[start:end]
    prev_match = _PREV_WORD.search(norm, max(sent.start, start - 30), start)
    prev = prev_match.group(1) if prev_match else ""
    if start > 0 and norm[start - 1] == "-":
        return False  # "Israeli-occupied": part of a compound adjective
    if noun_ok is False and _NOUN_GUARD.search(norm, max(sent.start, start - 20), start):
        return False  # "a visit", "a U.S. request", "the attack"
    if word.endswith("ing"):
        return prev in _BE  # a progressive; participle clauses are too often asides
    if word.endswith("ed") or word in lx.past_forms:
        no_aux = prev not in _BE and prev not in _HAVE
        if no_aux and _REDUCED_PASSIVE.match(norm, end) and not _named(text, prev_match):
            return False  # "civilians threatened with ...", but "Germany met with ..."
        common_noun = prev.isalpha() and prev not in _ROLE_PLURALS and prev not in _AUX
        if no_aux and common_noun and _REDUCED_RELATIVE.match(norm, end) and prev_match is not None:
            return text[prev_match.start(1)].isupper()
        return True
    if (
        word.endswith("s")
        and not word.endswith("ss")
        and _NOUN_PLURAL_BEFORE.search(norm, max(sent.start, start - 40), start)
    ):
        return False  # "Indian strikes", "months of anti-government protests": a plural noun
    if not bare:  # "opposes terrorism and calls on both sides": a coordinated verb
        return (
            not (word.endswith("s") and not word.endswith("ss"))
            or prev == "and"
            or _subject_before(text, prev, prev_match)
        )
    if prev in _AUX or prev.endswith("ly"):
        return True
    return _subject_before(text, prev, prev_match)


def _named(text: str, prev_match: re.Match[str] | None) -> bool:
    """Whether the word before is capitalised: a name, so the subject of what follows."""
    return prev_match is not None and text[prev_match.start(1)].isupper()


def _subject_before(text: str, prev: str, prev_match: re.Match[str] | None) -> bool:
    """Whether the word before a base or -s form looks like its subject (a name, a role)."""
    if prev.endswith("'s") or prev_match is None:
        return False  # "Iran's attack": a possessive makes it a noun
    original = text[prev_match.start(1) : prev_match.end(1)]
    return original[:1].isupper() or prev in _ROLE_PLURALS or prev in _AUX


def _find_triggers(
    text: str,
    norm: str,
    sent: Sentence,
    lx: Lexicon,
    *,
    tier: int = 0,
    notes: list[dict[str, Any]] | None = None,
) -> tuple[list[_Trigger], list[_Trigger]]:
    """The sentence's action and reported-speech triggers from patterns of one *tier*.

    With *notes*, every pattern that matched is recorded with why it was dropped (the
    ``--explain`` trace); kept ones are recorded by the caller once their event is decided.
    """
    found: list[_Trigger] = []
    size = len(norm)
    words: frozenset[str] | None = None
    for end_idx, (length, anchored) in lx.anchors.iter(norm, sent.start, sent.end):
        if tier not in anchored.tiers:
            continue  # a word only the other layer knows
        start = end_idx - length + 1
        if (start > 0 and norm[start - 1].isalnum()) or (
            end_idx + 1 < size and norm[end_idx + 1].isalnum()
        ):
            continue
        if words is None:
            raw = norm[sent.start : sent.end].split()
            words = frozenset(raw).union(w.strip(_PUNCT) for w in raw)
        if tier and text[start].isupper():
            continue  # converted patterns: a capitalised word is a name ("States", "Sue")
        patterns = anchored.candidates(words)
        verbal: dict[tuple[bool, bool], bool] = {}
        for pattern in patterns:
            if pattern.tier != tier:
                continue
            match = pattern.regex.match(norm, start, sent.end)
            if match is None:
                continue
            if tier and match.end() == end_idx + 1 and _COMPLEMENT_AFTER.match(norm, match.end()):
                if notes is not None:
                    notes.append(
                        _note(text, start, match.end(), pattern, "frames an embedded verb")
                    )
                continue  # a bare verb before "to"/"that" frames the verb it embeds
            if (
                pattern.code[:2] == "14"
                and match.end() == end_idx + 1
                and _TRANSITIVE_OBJECT.match(norm, match.end())
            ):
                if notes is not None:
                    notes.append(
                        _note(text, start, match.end(), pattern, "another sense: it has an object")
                    )
                continue  # "demonstrated restraint", "demonstrated that": showed, no protest
            if pattern.verb_first:
                # converted patterns get the strict (bare-verb) test: PETRARCH-2 relied on a
                # parser to know "plant", "control", "links" were verbs
                bare = pattern.tier > 0 or match.end() == end_idx + 1
                # "during a visit to Kazakhstan": the noun is what a place pattern means
                noun_ok = not bare and pattern.target == "place"
                key = (bare, noun_ok)
                if key not in verbal:
                    verbal[key] = _verbal(
                        text, norm, sent, (start, end_idx + 1), lx, bare=bare, noun_ok=noun_ok
                    )
                if not verbal[key]:
                    if notes is not None:
                        notes.append(
                            _note(text, start, match.end(), pattern, "not read as a verb here")
                        )
                    continue
            found.append(_Trigger(start, match.end(), end_idx + 1, pattern))
    if notes is not None:
        kept = {id(t) for t in _select([t for t in found if not t.pattern.complement])}
        kept |= {id(t) for t in _select([t for t in found if t.pattern.complement])}
        notes.extend(
            _note(text, t.start, t.end, t.pattern, "overlaps a preferred match")
            for t in found
            if id(t) not in kept
        )
    verbs = _select([t for t in found if not t.pattern.complement])
    # "agreed to lift sanctions": the action carries the intent (as its future code)
    verbs = [
        t
        for n, t in enumerate(verbs)
        if not (t.pattern.intent and n + 1 < len(verbs) and verbs[n + 1].start - t.end <= 16)
    ]
    complements = _select([t for t in found if t.pattern.complement])
    return verbs, complements


def _note(text: str, start: int, end: int, pattern: Pattern, outcome: str) -> dict[str, Any]:
    return {
        "pattern_id": pattern.id,
        "code": pattern.code,
        "trigger": text[start:end],
        "start": start,
        "outcome": outcome,
    }


def _select(triggers: list[_Trigger]) -> list[_Trigger]:
    """Curated before converted, then longest match first (then dictionary order), no overlaps.

    A curated pattern wins any overlap with a converted PETRARCH-2 one: the curated list is
    where the project corrects the big dictionary.
    """
    triggers.sort(key=lambda t: (t.pattern.tier, t.start - t.end, t.pattern.order, t.start))
    chosen: list[_Trigger] = []
    for trig in triggers:
        if all(trig.end <= c.start or trig.start >= c.end for c in chosen):
            chosen.append(trig)
    chosen.sort(key=lambda t: t.start)
    return chosen


def _modality(norm: str, sent: Sentence, source: _Group, trig: _Trigger, cues: _Cues) -> str:
    # cues count between the subject and the trigger, and just before the subject ("denied
    # that it ...", "if it does send ...")
    # "has not yet formally announced Xi's visit to": the cue may govern the subject's noun
    lo = max(sent.start, min(source.start, trig.start) - 40)
    window = (
        norm[lo : trig.start]
        if source.start < trig.start
        else norm[max(sent.start, trig.start - 40) : trig.start]
    )
    before_source = norm[sent.start : min(source.start, trig.start)]
    if cues.negation.search(window) or cues.deny_that.search(window):
        return NEGATED
    if cues.hypothetical.search(window):
        return HYPOTHETICAL
    if cues.future.search(window):
        return FUTURE
    if _INFINITIVE_BEFORE.search(norm, max(sent.start, trig.start - 60), trig.start):
        return HYPOTHETICAL  # "moved to punish", "allowed X to strike": not (yet) done
    if cues.speech.search(before_source):
        return REPORTED
    return ASSERTED


def _pick_date(
    dates: list[DateMention], trig: _Trigger, pub: date | None
) -> tuple[date | None, str | None, str | None]:
    if dates:
        best = min(dates, key=lambda d: min(abs(d.start - trig.end), abs(trig.start - d.end)))
        if best.value is not None:
            return best.value, best.precision, "text"
        if pub is None:  # "yesterday" with no publication date: unknown, not guessed
            return None, None, None
    if pub is not None:
        return pub, "day", "publication"
    return None, None, None


class _SentenceCoder:
    """Codes the sentences of one document in order, carrying coreference memory."""

    def __init__(
        self,
        text: str,
        pub: date | None,
        lx: Lexicon,
        trace: list[dict[str, Any]] | None = None,
    ) -> None:
        self.trace = trace  # --explain: one record per sentence with its candidates
        self.notes: list[dict[str, Any]] | None = None
        self.raw = text  # what events quote: masking tags must not change an actor's words
        self.text = _mask_html(text)
        self.norm = normalise(self.text)
        self.pub = pub
        self.lx = lx
        self.cues = _cues(lx)
        self.memory = _Memory()
        self.mentions: list[_Mention] = []
        self.pending: list[list[_Mention]] = []  # actors of trigger-less sentences, unread
        self.date_cache: dict[tuple[int, bool], list[DateMention]] = {}

    def run(self) -> list[Event]:
        sentences = split_sentences(self.text)
        mentions = self.mentions = _find_mentions(self.text, self.norm, self.lx, self.pub)
        events: list[Event] = []
        i = 0
        for sent in sentences:
            mine: list[_Mention] = []
            while i < len(mentions) and mentions[i].start < sent.end:
                if mentions[i].start >= sent.start and mentions[i].end <= sent.end:
                    mine.append(mentions[i])
                i += 1
            events.extend(self.sentence(sent, mine))
        return events

    # --- one sentence
    def sentence(self, sent: Sentence, mentions: list[_Mention]) -> list[Event]:
        """Code one sentence; sentences without a trigger only feed coreference, lazily."""
        notes = self.notes = [] if self.trace is not None else None
        if gate.clutter(sent.text):
            # link lists and menus: no clause structure to read, and no coreference either
            if self.trace is not None:
                self.trace.append(
                    {
                        "sentence_index": sent.index,
                        "start": sent.start,
                        "end": sent.end,
                        "text": sent.text,
                        "actors": [],
                        "candidates": [],
                        "skipped": "page furniture (link list, menu or unpunctuated run)",
                    }
                )
            return []
        verbs, complements = _find_triggers(self.text, self.norm, sent, self.lx, notes=notes)
        converted = False
        if not (verbs or complements) and (
            mentions or self.cues.coreference.search(self.norm, sent.start, sent.end)
        ):
            # the converted PETRARCH-2 layer only fills sentences the curated patterns miss
            # (and only those with an actor: without one no event can come of it)
            verbs, complements = _find_triggers(
                self.text, self.norm, sent, self.lx, tier=1, notes=notes
            )
            converted = True
        if self.trace is not None:
            record: dict[str, Any] = {
                "sentence_index": sent.index,
                "start": sent.start,
                "end": sent.end,
                "text": sent.text,
                "actors": [
                    {"text": a.text, "code": a.code}
                    for g in _resolve_bare(self.text, _build_groups(self.text, mentions))
                    for a in g.actors
                ],
                "candidates": notes,
            }
            self.trace.append(record)
        if not (verbs or complements):
            if mentions:  # only coreference needs its actors, maybe never
                self.pending.append(mentions)
                del self.pending[:-PENDING_SENTENCES]
            return []
        for earlier in self.pending:
            _remember(self.memory, _build_groups(self.text, earlier))
        self.pending.clear()
        groups = _build_groups(self.text, mentions)
        coref = _coref_groups(
            self.text, self.norm, sent, memory=self.memory, cues=self.cues, groups=groups
        )
        if coref:
            taken = [(g.start, g.end) for g in groups]
            coref = [c for c in coref if all(c.end <= s or c.start >= e for s, e in taken)]
            groups = sorted(groups + coref, key=lambda g: g.start)
        groups = _resolve_bare(self.text, groups)
        events = self._code(sent, groups, verbs, complements) if groups else []
        if not events and not converted and groups:
            # curated triggers that made no event (no actor, no target): the converted
            # layer may still understand the sentence
            verbs, complements = _find_triggers(self.text, self.norm, sent, self.lx, tier=1)
            if verbs or complements:
                events = self._code(sent, groups, verbs, complements)
        if self.trace is not None and coref:
            self.trace[-1]["actors"] += [
                {"text": a.text, "code": a.code, "coreferent": True}
                for g in coref
                for a in g.actors
            ]
        _remember(self.memory, groups)
        return events

    def _explain(self, trig: _Trigger, outcome: str) -> None:
        if self.notes is not None:
            self.notes.append(_note(self.text, trig.start, trig.end, trig.pattern, outcome))

    def _dates(self, sent: Sentence, *, future: bool) -> list[DateMention]:
        """The sentence's date expressions, resolved for a past or a future action (cached)."""
        key = (sent.index, future)
        if key not in self.date_cache:
            self.date_cache[key] = [
                DateMention(d.start + sent.start, d.end + sent.start, d.text, d.value, d.precision)
                for d in find_dates(sent.text, self.pub, future=future)
            ]
        return self.date_cache[key]

    def _preceded_by_preposition(self, sent: Sentence, group: _Group) -> bool:
        return bool(
            self.cues.preposition_before.search(
                self.norm, max(sent.start, group.start - 16), group.start
            )
        )

    def _clause_break(self, start: int, end: int) -> bool:
        return bool(self.cues.clause_break.search(self.norm, start, end))

    def _source(
        self, sent: Sentence, groups: list[_Group], trig: _Trigger, inherited: dict[int, _Group]
    ) -> tuple[_Group | None, bool]:
        before = self.norm[sent.start : trig.start]
        head = self.norm[trig.start : trig.head_end]
        participle = head.endswith(("ed", "en")) or head in self.lx.past_forms
        if participle and _PASSIVE.search(before):
            for group in groups:
                if group.start >= trig.end and _BY_AGENT.match(self.norm[trig.end : group.start]):
                    return group, True
            return None, False  # a passive without its agent: who acted is not said
        for group in reversed(groups):
            if group.end > trig.start:
                continue
            if trig.start - group.end > 200:
                return None, False
            if self._clause_break(group.end, trig.start) and not _RELATIVE_CLAUSE.match(
                self.norm, group.end, trig.start
            ):
                return None, False
            if _COMPLEMENTIZER.search(self.norm, group.end, trig.start):
                # "a finding that a tank had fired at": the subject of the embedded clause
                # is after "that"; an actor before it is the one who claims or finds
                return None, False
            if id(group) in inherited:
                return inherited[id(group)], False
            if self._preceded_by_preposition(sent, group):
                continue
            return group, False
        return None, False

    def _target(
        self,
        sent: Sentence,
        *,
        groups: list[_Group],
        trig: _Trigger,
        source: _Group,
        passive: bool,
        next_start: int,
    ) -> _Group | None:
        if passive:
            for group in reversed(groups):
                if group.end <= trig.start and group is not source:
                    return group
            return None
        limit = min(next_start, trig.end + 150, sent.end)
        # a bare agent noun ("artillery", "police") yields to a named actor later in the
        # clause: "fired two artillery shells at Seoul" is aimed at Seoul
        bare: _Group | None = None
        for group in groups:
            if group is source or group.start < trig.head_end or group.start >= limit:
                continue
            between = self.norm[trig.end : group.start]
            if (
                "," in between
                and _APPOSITION.match(between)
                and _CLAUSE_END.match(self.norm, group.end)
            ):
                return group  # "sanction the company's owner, Iran."
            if (
                bare is None
                and group.start > trig.end
                and _NAME_APPOSITION.fullmatch(self.text, trig.end, group.start)
                and not self._clause_break(trig.end, group.start)
            ):
                return group
            if self._clause_break(trig.end, group.start) or "," in between:
                return bare
            if _NEW_PREDICATE.search(between) or _OTHER_CLAUSE.search(
                self.text, trig.end, group.start
            ):
                # "... opposes sanctions and would protect Chinese companies", "criticised
                # allies after the US attacked Iran", "will meet to “discuss pressure on Russia"
                return bare
            gap = self.norm[trig.end : group.start] if group.start >= trig.end else ""
            if trig.pattern.target == "place":
                return group if gap.strip() in ("", "the") else bare
            if _SPEAKER_AFTER.match(self.norm, group.end):
                continue  # ", a Jordanian official confirmed": who reports it, not the target
            locative = _AT_PLACE if trig.pattern.code[:2] in ("04", "05") else _IN_PLACE
            if group.place and locative.search(
                self.norm, max(sent.start, group.start - 12), group.start
            ):
                continue  # a place the action happened in, not its target ("fired at" is one)
            if group.bare:
                bare = bare or group
                continue
            return group
        return bare

    def _location(
        self, sent: Sentence, groups: list[_Group], trig: _Trigger, target: _Group | None
    ) -> _Group | None:
        if (
            target is not None
            and target.place
            and (trig.pattern.locate or trig.pattern.target == "place")
        ):
            return target
        for group in groups:
            if group.start < trig.end or not group.place:
                continue
            if group.start - trig.end > 80:
                break
            if _LOCATIVE.match(self.norm[trig.end : group.start]) and not self._clause_break(
                trig.end, group.start
            ):
                return group
        return None

    def _code(
        self,
        sent: Sentence,
        groups: list[_Group],
        verbs: list[_Trigger],
        complements: list[_Trigger],
    ) -> list[Event]:
        out: list[Event] = []
        seen: set[tuple[str | None, str | None, str]] = set()
        inherited: dict[int, _Group] = {}
        dates: list[DateMention] | None = None  # resolved when the first event needs them
        visit_location: dict[str | None, tuple[str, str | None]] = {}
        # "urged Russia to agree to ...": the addressee is the subject of what is asked, and
        # what is asked has not happened
        addressee: _Group | None = None
        for n, trig in enumerate(verbs):
            requested = addressee is not None and bool(
                _INFINITIVE_AFTER.match(self.norm, addressee.end, trig.start)
            )
            source: _Group | None
            if requested and addressee is not None:
                source, passive = addressee, False
            else:
                source, passive = self._source(sent, groups, trig, inherited)
            if _AGAINST.search(self.norm, max(sent.start, trig.start - 12), trig.start):
                # "advised against travel to Syria", "warned against attacking": an advisory
                # about the action, not the action
                self._explain(trig, "dropped: advised or warned against")
                continue
            addressee = None
            if source is None:
                self._explain(trig, "dropped: no source actor in its clause")
                continue
            if (
                not trig.pattern.verb_first
                and not passive
                and source.end <= trig.start
                and _GOVERNING_VERB.search(self.norm, source.end, trig.start)
            ):
                self._explain(trig, "dropped: a noun governed by another verb")
                continue
            next_start = verbs[n + 1].start if n + 1 < len(verbs) else sent.end
            target = self._target(
                sent,
                groups=groups,
                trig=trig,
                source=source,
                passive=passive,
                next_start=next_start,
            )
            # a converted pattern ("joined", "give", "took over") is an event only in a tight
            # frame: its subject right before it and an actor as its direct object (PETRARCH-2
            # had a parser to say so; positions are all we have)
            if (
                trig.pattern.tier
                and not passive
                and not _tight_frame(self.norm, source, trig, target)
            ):
                self._explain(trig, "dropped: a converted pattern needs subject-verb-object")
                continue
            if target is not None and not passive:
                inherited[id(target)] = source
            pairs: list[tuple[Actor, Actor | None]]
            if target is not None:
                pairs = [(s, t) for s in source.actors for t in target.actors]
            elif trig.pattern.reciprocal and len(source.actors) >= 2:
                pairs = [(s, t) for s in source.actors for t in source.actors if s is not t]
            elif not (trig.pattern.no_target or allows_no_target(trig.pattern.code)):
                # PETRARCH's default: an event needs a dyad; only codes whose definition
                # allows none (statements, protests, strikes, force posture, emergency
                # rule) stand without a target
                self._explain(trig, "dropped: no target, and the code needs one")
                continue
            else:  # a one-sided event ("Jordan and Britain agreed to ...", "Iran protested")
                pairs = [(s, None) for s in source.actors]
            if (
                target is not None
                and target.place
                and (trig.pattern.target == "place" or trig.pattern.locate)
            ):
                pairs = [(s, _as_place(t)) for s, t in pairs]
            if target is not None and trig.pattern.code[:2] in _ASKING:
                addressee = target
            modality = _modality(self.norm, sent, source, trig, self.cues)
            if requested:
                modality = HYPOTHETICAL
            code = trig.pattern.code
            refused = (
                gate.rejection(code, self.norm[max(sent.start, trig.start - 40) : trig.start])
                if modality == NEGATED
                else None
            )
            if refused is not None:
                code, modality = refused, ASSERTED  # "refused to lift the curfew": 1241
            unreal = gate.modality_veto(modality)
            if unreal is not None:
                self._explain(trig, unreal)
                continue
            if modality == FUTURE:
                code = self.lx.future_code(code)
            location = self._location(sent, groups, trig, target)
            loc_name = self.text[location.start : location.end] if location else None
            loc_country = location.actors[0].country if location else None
            if (
                code == "040"
                and loc_country
                and target is not None
                and all(loc_country not in (s.country, t.country if t else None) for s, t in pairs)
            ):
                code = "044"
            if modality == FUTURE:
                when = self._dates(sent, future=True)
            else:
                dates = self._dates(sent, future=False) if dates is None else dates
                when = dates
            day, precision, date_source = _pick_date(when, trig, self.pub)
            confidence = trig.pattern.confidence
            if passive:
                confidence *= 0.9
            if source.coreferent:
                confidence *= 0.85
            if target is not None and target.coreferent:
                confidence *= 0.85
            if target is None and not trig.pattern.no_target:
                confidence *= 0.75
            if target is not None and allows_no_target(code):
                # a target of one's own country ("protested in Serbia") leaves a one-sided
                # event when the code needs no target
                pairs += [(s, None) for s, t in pairs if t is not None and _domestic(s, t)]
            if code in SYMMETRIC:
                # CAMEO codes talks, agreements and cooperation both ways: "A held talks with
                # B" is A->B and B->A, like "A and B held talks"
                pairs += [(t, s) for s, t in pairs if t is not None and (t, s) not in pairs]
            for src, tgt in pairs:
                if tgt is not None and (
                    tgt.code == src.code or (_domestic(src, tgt) and allows_no_target(code))
                ):
                    continue  # no self-dyads; "SRBGOV -> SRB" stays when a target is needed
                veto = gate.dyad_veto(src, tgt, code=code, converted=bool(trig.pattern.tier))
                if veto is None and trig.pattern.tier:
                    veto = gate.converted_veto(
                        phrase=trig.end > trig.head_end and not trig.pattern.weak,
                        targeted=tgt is not None,
                    )
                if veto is not None:
                    self._explain(trig, f"{veto} ({src.code} {code} {tgt.code if tgt else '-'})")
                    continue
                key = (src.code, tgt.code if tgt else None, code)
                if key in seen:
                    continue
                seen.add(key)
                self._explain(
                    trig, f"kept: {src.code} {code} {tgt.code if tgt else '-'} ({modality})"
                )
                if code == "042" and loc_name:
                    visit_location[src.code] = (loc_name, loc_country)
                out.append(
                    self._event(
                        sent,
                        (src, tgt),
                        code,
                        modality=modality,
                        trig=trig,
                        when=(day, precision, date_source),
                        where=(loc_name, loc_country),
                        confidence=confidence,
                    )
                )
        # "summoned the envoy ... to lodge a formal protest": one event, the one with a target
        directed = {(e.source.code, e.cameo_code) for e in out if e.source and e.target}
        out = [
            e
            for e in out
            if e.target is not None
            or (e.source.code if e.source else None, e.cameo_code) not in directed
        ]
        for trig in complements:
            dates = self._dates(sent, future=False) if dates is None else dates
            out.extend(self._complement(sent, groups, trig, dates, seen))
        if visit_location:  # "said ... during a visit to Kazakhstan": the visit places them
            out = [
                _with_location(e, *visit_location[e.source.code])
                if e.location_name is None
                and e.source is not None
                and e.source.code in visit_location
                else e
                for e in out
            ]
        return out

    def _complement(
        self,
        sent: Sentence,
        groups: list[_Group],
        trig: _Trigger,
        dates: list[DateMention],
        seen: set[tuple[str | None, str | None, str]],
    ) -> list[Event]:
        subject = next(
            (
                g
                for g in reversed(groups)
                if g.end <= trig.start and len(self.norm[g.end : trig.start].split()) <= 2
            ),
            None,
        )
        if subject is None:
            self._explain(trig, "dropped: no subject of the reported clause")
            return []
        speaker = (
            self._speaker_before(sent, groups, subject)
            or self._speaker_after(sent, groups, trig)
            or self._quote_attribution(trig)
        )
        if speaker is None:
            self._explain(trig, "dropped: no speaker")
            return []
        day, precision, date_source = _pick_date(dates, trig, self.pub)
        confidence = trig.pattern.confidence * (0.85 if speaker.coreferent else 1.0)
        out = []
        for src in speaker.actors:
            for tgt in subject.actors:
                if src.country == tgt.country:
                    continue
                veto = gate.dyad_veto(
                    src, tgt, code=trig.pattern.code, converted=bool(trig.pattern.tier)
                )
                if veto is not None:
                    self._explain(trig, f"{veto} ({src.code} {trig.pattern.code} {tgt.code})")
                    continue
                key = (src.code, tgt.code, trig.pattern.code)
                if key in seen:
                    continue
                seen.add(key)
                self._explain(trig, f"kept: {src.code} {trig.pattern.code} {tgt.code} (reported)")
                out.append(
                    self._event(
                        sent,
                        (src, tgt),
                        trig.pattern.code,
                        modality=ASSERTED,
                        trig=trig,
                        when=(day, precision, date_source),
                        where=(None, None),
                        confidence=confidence,
                    )
                )
        return out

    def _speaker_before(
        self, sent: Sentence, groups: list[_Group], subject: _Group
    ) -> _Group | None:
        speech = None
        for m in self.cues.speech.finditer(self.norm, sent.start, subject.start):
            speech = m
        if speech is None:
            return None
        for group in reversed(groups):
            if group.end <= speech.start():
                if self._preceded_by_preposition(sent, group):
                    continue
                return group
        return None

    def _speaker_after(self, sent: Sentence, groups: list[_Group], trig: _Trigger) -> _Group | None:
        for group in groups:
            if group.start < trig.end:
                continue
            after = self.norm[group.end : min(sent.end, group.end + 12)]
            before = self.norm[max(sent.start, group.start - 8) : group.start]
            if re.match(r"\s+(?:said|says|told|added)\b", after) or re.search(
                r"\b(?:said|says)\s+$", before
            ):
                return group
        return None

    def _quote_attribution(self, trig: _Trigger) -> _Group | None:
        """The speaker of a quotation that closes in a later sentence (``..." Blinken said``)."""
        close = _CLOSE_QUOTE.search(self.text, trig.end, min(len(self.text), trig.end + 800))
        if close is None:
            return None
        after = _ATTRIBUTION.match(self.text, close.end())
        if after is None:
            return None
        s, e = after.start("who"), after.end("who")
        if after.group("who").lower() in ("he", "she"):
            person = self.memory.person
            if person is None:
                return None
            return _Group(
                s,
                e,
                [Actor(self.text[s:e], person.code, person.country, person.role, s, e, True)],
                coreferent=True,
            )
        mentions = [m for m in self.mentions if m.start >= s and m.end <= e]
        groups = _build_groups(self.text, mentions)
        return groups[0] if groups else None

    def _event(
        self,
        sent: Sentence,
        dyad: tuple[Actor, Actor | None],
        code: str,
        *,
        modality: str,
        trig: _Trigger,
        when: tuple[date | None, str | None, str | None],
        where: tuple[str | None, str | None],
        confidence: float,
    ) -> Event:
        src, tgt = dyad
        if self.raw is not self.text:
            src = _quoted(src, self.raw)
            tgt = _quoted(tgt, self.raw) if tgt is not None else None
        day, precision, date_source = when
        loc_name, loc_country = where
        info = self.lx.cameo(code)
        span = [src.start, src.end, trig.start, trig.end]
        if tgt is not None:
            span += [tgt.start, tgt.end]
        return Event(
            sentence_index=sent.index,
            source=src,
            target=tgt,
            cameo_code=code,
            base_code=code[:3],
            root_code=info.root,
            quad_class=info.quad_class,
            goldstein=info.goldstein,
            modality=modality,
            event_date=day,
            date_precision=precision,
            date_source=date_source,
            location_name=loc_name,
            location_country=loc_country,
            trigger=self.raw[trig.start : trig.end],
            trigger_start=trig.start,
            trigger_end=trig.end,
            start=min(span),
            end=max(span),
            confidence=round(min(1.0, confidence), 2),
            pattern_id=trig.pattern.id,
        )


_TIGHT_OBJECT = re.compile(r"\s+(?:the\s+|both\s+|its\s+|their\s+)?$")
_PHRASE_OBJECT = re.compile(
    r"\s+(?:(?:on|against|to|with|from|for|into|at|over|of|toward|towards)\s+)?"
    r"(?:the\s+|both\s+|its\s+|their\s+)?$"
)
_TIGHT_SUBJECT = re.compile(r"[^,;:()\"“”]{0,40}$")


def _tight_frame(norm: str, source: _Group, trig: _Trigger, target: _Group | None) -> bool:
    """Subject within a few words before the verb, the target right after it (or none
    needed), with no punctuation in between: what a parser would call subject and object."""
    if source.end > trig.start or not _TIGHT_SUBJECT.match(norm, source.end, trig.start):
        return False
    if target is None:
        return allows_no_target(trig.pattern.code)
    phrase = trig.end > trig.head_end and not trig.pattern.weak
    if target.start < trig.end:  # the object inside the pattern ("conflict with NATO")
        return phrase or bool(_TIGHT_OBJECT.match(norm, trig.head_end, target.start))
    if phrase:  # "imposed sanctions on Iran": the phrase, then its prepositional object
        return bool(_PHRASE_OBJECT.match(norm, trig.end, target.start))
    return bool(_TIGHT_OBJECT.match(norm, trig.end, target.start))


def _quoted(actor: Actor, raw: str) -> Actor:
    """The actor with its words as the original text has them (tags included)."""
    from dataclasses import replace

    return replace(actor, text=raw[actor.start : actor.end])


def _domestic(src: Actor, tgt: Actor) -> bool:
    """A source acting on itself: same code, or the same country with no distinct role."""
    return tgt.code == src.code or (
        src.country == tgt.country and (src.role == tgt.role or not tgt.role)
    )


def _as_place(actor: Actor | None) -> Actor | None:
    """A place as the target of a visit: the country, not its government."""
    if actor is None:
        return None
    return Actor(
        actor.text, actor.country or actor.code, actor.country, None, actor.start, actor.end
    )


def _with_location(event: Event, name: str, country: str | None) -> Event:
    from dataclasses import replace

    return replace(event, location_name=name, location_country=country)


def code_text(
    text: str,
    pub_date: date | None,
    *,
    lexicon: Lexicon | None = None,
    dictionary_dirs: Iterable[Path] = (),
    trace: list[dict[str, Any]] | None = None,
) -> list[Event]:
    """Code *text* (one document) into events; relative dates resolve against *pub_date*.

    Pure: no I/O beyond the first load of the dictionaries (cached). Empty or non-English text,
    HTML remnants and text without punctuation give few or no events, never an error. With
    *trace* (a list), one record per sentence is appended: its actors and every pattern that
    matched, with why it was kept or dropped (``newswire events --explain``).
    """
    if not text or not text.strip():
        return []
    lx = lexicon if lexicon is not None else load_lexicon(dictionary_dirs)
    return _SentenceCoder(text, pub_date, lx, trace).run()
