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
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.stages.events import gate, senses, subcodes
from pipeline.stages.events.actors import (
    _as_place,
    _build_groups,
    _coref_groups,
    _cues,
    _domestic,
    _find_mentions,
    _Group,
    _mask_html,
    _Memory,
    _Mention,
    _remember,
    _with_location,
)
from pipeline.stages.events.clauses import no_addressee, pp_object, unasserted
from pipeline.stages.events.context import article_country, dateline_country, resolve_agents
from pipeline.stages.events.dates import DateMention
from pipeline.stages.events.discards import discard_reason
from pipeline.stages.events.entries import spell_bounded
from pipeline.stages.events.event import (
    ASSERTED,
    CLAIMED,
    CONVERTED_PREFIX,
    FUTURE,
    HYPOTHETICAL,
    NEGATED,
    REPORTED,
    SYMMETRIC,
    Actor,
    Event,
    allows_no_target,
    evidence_confidence,
)
from pipeline.stages.events.lexicon import (
    Lexicon,
    load_lexicon,
    normalise,
)
from pipeline.stages.events.sentences import Sentence, split_sentences
from pipeline.stages.events.slots import PURPOSE_ROOTS, _Slots
from pipeline.stages.events.swapped import agent_named
from pipeline.stages.events.syntax import Parse
from pipeline.stages.events.triggers import (
    AnchorScan,
    ConvertedReading,
    _find_triggers,
    _modality,
    _pick_date,
    _Trigger,
    participle_clause,
    scan_anchors,
)

__all__ = [
    "ASSERTED",
    "CLAIMED",
    "CONVERTED_PREFIX",
    "FUTURE",
    "HYPOTHETICAL",
    "NEGATED",
    "REPORTED",
    "SYMMETRIC",
    "Actor",
    "Event",
    "allows_no_target",
    "code_text",
]


# a complementizer: the actor after it is the subject of the clause it opens
_THAT = re.compile(r"\bthat\b")


CODER_VERSION = "3.12.0"  # round 13: senses, roles, direction, recall, gate, event nouns


# how many trigger-less sentences back coreference looks (their actors are read lazily)
PENDING_SENTENCES = 6


# "denounced a drone strike on": a nominal trigger governed by another verb is that verb's
# object, not an action of the subject
_GOVERNING_VERB = re.compile(r"\b[a-z]{3,}ed\b")
# a possessive right before a nominal trigger, with at most two modifiers between ("Pelosi's
# visit to", "the minister's planned visit to"): the possessor is who acts
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])\s+(?:[a-z-]+\s+){0,2}$")


_INFINITIVE_AFTER = re.compile(r"(?:\s+[^\s,;.]+){0,8}?\s+to\s+(?:\w+\s+){0,3}$")


_ASKING = frozenset(("02", "10", "13"))  # appeals, demands, threats name who should act


# "talks between A and B began": the verb the noun phrase is the subject of, in the present
# or past (not "will begin", "are due to", "were unlikely to"), right after its last actor
_BETWEEN_VERB = re.compile(
    r"(?:\s+(?:have|has|had)(?:\s+(?:also|finally|formally|officially|already))?)?"
    r"(?:\s+(?:also|finally|formally|officially|already))?"
    r"\s+(?:began|begun|begin|begins|opened|open|opens|resumed|resume|resumes|ended|end|ends"
    r"|concluded|concludes|continued|continue|continues|started|start|starts|lasted"
    r"|took\s+place|take\s+place|takes\s+place|(?:were|was|are|is)\s+held"
    r"|(?:have|has|had)\s+been\s+held|(?:are|is)\s+being\s+held)\b"
)
# the preposition that governs an actor after an event noun ("the attack on", "the arrest
# of ... by"): the last one before the actor, with at most a few modifiers between
_NOUN_PREPOSITION = re.compile(
    r".*\b(on|against|of|into|with|upon|by|between)\s+(?:[\w’'-]+\s+){0,4}$", re.S
)
# between the two sides of "between": "and", a determiner
_BETWEEN_AND = re.compile(r"\s+and\s+")
_BETWEEN_GAP = re.compile(r"\s+(?:the\s+)?")
# a mediation's parties: "between" right before the first ("a truce between the two ...")
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+(?:the\s+)?$")
_SIDES_AND = re.compile(r"\s+and\s+(?:the\s+)?")
MEDIATION = "045"
_AGAINST = re.compile(r"\bagainst\s+(?:any\s+|all\s+|the\s+)?$")


# a participle clause after a coded main clause restates it or names its consequences
# ("shelled Juba, killing 20 people"), except a verbal act of another kind: "suspended aid
# to Yemen, accusing the rebels of theft" is an accusation besides the suspension, made by
# the same subject (CAMEO's verbal roots: statements, appeals, demands, disapproval,
# rejection, threats)
_VERBAL_ROOTS = frozenset(("01", "02", "10", "11", "12", "13"))


class _SentenceCoder(_Slots):
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
        self.starts: list[int] = [0]  # each sentence's start, for the pronouns' horizon
        self.parses: dict[int, Parse] = {}  # the syntax layer's parse per sentence start
        self.country: str | None = None
        self.last_read: tuple[Sentence, list[_Mention]] | None = None
        self.spaced: str | None = None  # spell_bounded(norm), made by run()
        # the sentence's converted-layer triggers, read (lazily) for the specific code of
        # curated ones (``subcodes``): set per sentence before ``_code``; None when the
        # sentence's triggers are the converted ones already
        self.converted_reading: ConvertedReading | None = None
        # where the sentence's aid triggers start: an aid phrase's purpose infinitive that is
        # itself one ("provided aid to help Haiti") names its recipient there, not twice
        self.aid_starts: frozenset[int] = frozenset()

    def run(self) -> list[Event]:
        sentences = split_sentences(self.text)
        self.starts = [s.start for s in sentences] or [0]
        # the document spelled once for both bounded automata (actors here, anchors per
        # sentence: a slice of it)
        self.spaced = spell_bounded(self.norm)
        mentions = self.mentions = _find_mentions(
            self.text, self.norm, self.lx, self.pub, self.spaced
        )
        # the one country the article names, else its dateline's when it names that most
        self.country = article_country(mentions) or dateline_country(self.text, mentions)
        # PETRARCH's discard list: a sports story, a historical aside (discards.py)
        hits = (
            self.lx.discards.find(self.text, self.norm, self.spaced)
            if self.lx.discards is not None
            else []
        )
        if self.trace is None and any(h.story for h in hits):
            return []
        events: list[Event] = []
        i = 0
        for sent in sentences:
            mine: list[_Mention] = []
            while i < len(mentions) and mentions[i].start < sent.end:
                if mentions[i].start >= sent.start and mentions[i].end <= sent.end:
                    mine.append(mentions[i])
                i += 1
            discarded = discard_reason(hits, sent.start, sent.end) if hits else None
            if discarded:
                self._skip(sent, discarded)
                continue
            events.extend(self.sentence(sent, mine))
        return events

    def _skip(self, sent: Sentence, reason: str) -> None:
        """A sentence not coded at all: in the --explain trace, with *reason*."""
        if self.trace is not None:
            self.trace.append(
                {
                    "sentence_index": sent.index,
                    "start": sent.start,
                    "end": sent.end,
                    "text": sent.text,
                    "actors": [],
                    "candidates": [],
                    "skipped": reason,
                }
            )

    def _infinitive_of_noun(self, sent: Sentence, trig: _Trigger, *, targeted: bool) -> bool:
        """A one-sided act in a to-infinitive that a noun governs, or a "for"-subject's
        infinitive: "given a last chance to resign", "calls for the premier to step down",
        "has no plans to step down" name an act asked for or possible, not one done. A
        *targeted* act keeps the purpose infinitive of its object noun ("began a strike to
        protest the ban"); only the nouns of a chance, a demand or a plan stop it."""
        if not allows_no_target(trig.pattern.code):
            return False
        m = _INFINITIVE_OF.search(self.norm, max(sent.start, trig.start - 40), trig.start)
        if m is None:
            return False
        if m.group(1) in _CHANCE_OR_DEMAND:
            return True
        before = self.norm[max(sent.start, trig.start - 80) : m.start(1)]
        if re.search(r"\bfor\s+(?:\S+\s+){0,5}$", before):
            return True  # "calls for the prime minister to step down"
        return not targeted and self._syntax(sent).tag_at(m.start(1)) in ("NN", "NNS")

    # --- one sentence
    def sentence(self, sent: Sentence, mentions: list[_Mention]) -> list[Event]:
        """Code one sentence; sentences without a trigger only feed coreference, lazily."""
        notes = self.notes = [] if self.trace is not None else None
        if gate.clutter(sent.text):
            # link lists and menus: no clause structure to read, and no coreference either
            self._skip(sent, "page furniture (link list, menu or unpunctuated run)")
            self.last_read = None
            return []
        # the sentence before this one, for "they" (its plural subject, parsed only if asked)
        self.memory.previous, self.last_read = self.last_read, (sent, mentions)
        scan = scan_anchors(self.norm, sent, self.lx, self.spaced)
        if self.trace is None and not self._worth_reading(sent, mentions, scan):
            return []
        # without an actor (named, or a pronoun to resolve) no event can come of the
        # sentence: it is not parsed, and the converted layer is not tried
        actors = bool(mentions) or bool(
            self.cues.coreference.search(self.norm, sent.start, sent.end)
        )
        syntax = self._syntax if actors else None
        verbs, complements = _find_triggers(
            self.text, self.norm, sent, self.lx, notes=notes, scan=scan, syntax=syntax
        )
        converted = False
        if not (verbs or complements) and actors:
            # the converted PETRARCH-2 layer only fills sentences the curated patterns miss
            # (and only those with an actor: without one no event can come of it)
            verbs, complements = _find_triggers(
                self.text,
                self.norm,
                sent,
                self.lx,
                tier=1,
                notes=notes,
                scan=scan,
                syntax=syntax,
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
                    for g in resolve_agents(
                        self.text, _build_groups(self.text, mentions), self.country
                    )
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
            _remember(self.memory, _build_groups(self.text, earlier), self._governed)
        self.pending.clear()
        groups = _build_groups(self.text, mentions)
        coref = _coref_groups(
            self.text,
            self.norm,
            sent,
            memory=self.memory,
            cues=self.cues,
            groups=groups,
            horizon=self.starts[max(0, min(sent.index, len(self.starts) - 1) - 2)],
            governed=self._governed,
            plural=lambda at: self._plural_antecedent(sent, groups, at),
            plural_object=lambda at: self._object_antecedent(sent, groups, at),
            singular=lambda at: self._singular_antecedent(sent, groups, at),
            speaker=lambda at: self._first_person_speaker(sent, at),
        )
        if coref:
            taken = [(g.start, g.end) for g in groups]
            coref = [c for c in coref if all(c.end <= s or c.start >= e for s, e in taken)]
            groups = sorted(groups + coref, key=lambda g: g.start)
        groups = resolve_agents(self.text, groups, self.country)
        # the converted layer's reading of the same sentence names sub-codes the curated
        # verbs leave at their default ("called for the withdrawal": 025, not 020); it is
        # found only if a curated trigger's code can use it (``_refiners``)
        reading = self.converted_reading = (
            ConvertedReading(self.text, self.norm, sent, self.lx, scan=scan, syntax=self._syntax)
            if groups and not converted
            else None
        )
        events = self._code(sent, groups, verbs, complements) if groups else []
        if not events and reading is not None:
            # curated triggers that made no event (no actor, no target): the converted
            # layer may still understand the sentence (the same reading: it is pure)
            verbs, complements = reading.triggers()
            self.converted_reading = None
            if verbs or complements:
                events = self._code(sent, groups, verbs, complements)
        if self.trace is not None and coref:
            self.trace[-1]["actors"] += [
                {"text": a.text, "code": a.code, "coreferent": True}
                for g in coref
                for a in g.actors
            ]
        _remember(self.memory, groups, self._governed)
        return events

    def _possessor(
        self, sent: Sentence, groups: list[_Group], trig: _Trigger
    ) -> tuple[bool, _Group | None]:
        """Whether a nominal trigger has a possessor ("House Speaker Pelosi's visit to Taiwan"),
        and the actor it names (None when the possessor is no actor: "the singer's visit").

        The possessor of an event noun is its agent; the subject of the sentence ("China
        summoned the ambassador to protest against Pelosi's visit to Taiwan") did not visit."""
        if not self._syntax(sent).tag_at(trig.start).startswith("NN"):
            return False, None
        m = _POSSESSIVE.search(self.norm, max(sent.start, trig.start - 40), trig.start)
        if m is None:
            return False, None
        for group in groups:
            if m.start() - 2 <= group.end <= m.end() and group.start < m.start():
                return True, group
        return True, None

    def _groups(self, mentions: list[_Mention]) -> list[_Group]:
        """The actor groups of a sentence's *mentions*, as coding builds them."""
        return resolve_agents(self.text, _build_groups(self.text, mentions), self.country)

    def _governed(self, group: _Group) -> bool:
        return pp_object(self.norm, self.cues.preposition_before, group.start)

    def _worth_reading(self, sent: Sentence, mentions: list[_Mention], scan: AnchorScan) -> bool:
        """Whether a sentence needs its triggers read (False: skip to the next one).

        The cheap prefilter in front of the expensive work (pattern matching, and whatever a
        later layer does per candidate trigger): without an anchor word no pattern of any
        layer can match, and without an actor (a dictionary mention or a coreference cue) no
        event can be built. Its answer never changes the output: a skipped sentence with
        mentions is kept for coreference exactly as a sentence without triggers is, and an
        actorless one is read only when earlier sentences wait to be remembered (a trigger
        there is what commits them to memory).
        """
        if not scan.hits:
            if mentions:  # as for any sentence without a trigger: kept for coreference
                self.pending.append(mentions)
                del self.pending[:-PENDING_SENTENCES]
            return False
        if mentions or self.pending:
            return True
        # the coreference groups come from the sentence alone (no look-behind past its start)
        return self.cues.coreference.search(self.norm[sent.start : sent.end]) is not None

    def _specific_code(self, trig: _Trigger, verbs: list[_Trigger]) -> str:
        """*trig*'s code, made specific by the rest of the sentence (``subcodes``): a
        converted phrase of the same verb that names the sub-code, or the action an appeal,
        demand or threat asks for."""
        code = trig.pattern.code
        refiners = self._refiners(code)
        if not trig.pattern.tier:
            phrase = subcodes.by_phrase(trig, refiners, self.text)
            if phrase is not None:
                self._explain(trig, f"code {code} -> {phrase.pattern.code} by {phrase.pattern.id}")
                return phrase.pattern.code
        asked = subcodes.by_asked_action(
            trig, self.norm, [*verbs, *refiners], self.lx.codes, self.lx.future_code
        )
        if asked is not None:
            refined, action = asked
            asks = f"{action.pattern.code} ({action.pattern.id})"
            self._explain(trig, f"code {code} -> {refined}: asks for {asks}")
            return refined
        aid = subcodes.humanitarian(code, self.norm, trig.start, trig.end)
        if aid is not None:
            self._explain(trig, f"code {code} -> {aid}: the aid is humanitarian")
            return aid
        return code

    def _refiners(self, code: str) -> list[_Trigger]:
        """The sentence's converted verb triggers for refining *code* (``subcodes``), found
        now if not yet; none when no converted pattern of the sentence could refine it and
        it asks for no action, which is what ``by_phrase`` and ``by_asked_action`` would
        conclude from the full list."""
        reading = self.converted_reading
        if reading is None:
            return []
        if subcodes.asks_for_action(code) or reading.may_refine(code):
            return reading.triggers()[0]
        return []

    def _between(self, groups: list[_Group], trig: _Trigger) -> tuple[_Group, _Group | None] | None:
        """(source, target) of "talks/meeting between A and B" when that noun phrase is the
        subject of an event verb in the present or past ("began", "took place", "were held").

        The sides are the compound right after "between" (one group: the target is None and
        the reciprocal pairs are its members) or two groups joined by "and". A noun phrase
        that is no subject of such a verb ("said talks between A and B were unlikely",
        "talks between A and B will begin") is background or unrealised: None.
        """
        after = [g for g in groups if g.start >= trig.end]
        if not after or not _BETWEEN_GAP.fullmatch(self.norm, trig.end, after[0].start):
            return None
        first = after[0]
        if len(after) > 1 and _BETWEEN_AND.fullmatch(self.norm, first.end, after[1].start):
            second: _Group | None = after[1]
            last = after[1]
        elif len(first.actors) > 1:
            second, last = None, first
        else:
            return None
        if _BETWEEN_VERB.match(self.norm, last.end) is None:
            return None
        return first, second

    def _noun_sides(
        self, groups: list[_Group], trig: _Trigger
    ) -> tuple[_Group, _Group | None] | None:
        """(source, target) of an event noun heading its clause's subject, read off its noun
        phrase (``Parse.subject_event_noun``): the source is an actor before the noun in
        the phrase ("the Kenyan army's attack", "Ethiopian raids") or after "by"; the
        target the first actor after "on", "against", "of", "into", "with" or "upon" ("the
        attack on X", "the arrest of X by Y"); "between A and B" gives both sides. Only
        actors before the verb count, and only actors whose country the text names (a
        common noun's inferred country is no side). None without a source."""
        assert trig.subject_noun is not None
        phrase_start, verb_start = trig.subject_noun
        before = [g for g in groups if g.start >= phrase_start and g.end <= trig.start]
        after = [g for g in groups if g.start >= trig.end and g.end <= verb_start]
        source = before[-1] if before else None
        target: _Group | None = None
        last = trig.end
        for n, group in enumerate(after):
            m = _NOUN_PREPOSITION.search(self.norm, last, group.start)
            last = group.end
            prep = m.group(1) if m is not None else None
            if prep == "between":
                if n + 1 < len(after) and _BETWEEN_AND.fullmatch(
                    self.norm, group.end, after[n + 1].start
                ):
                    return group, after[n + 1]
                if len(group.actors) > 1 and source is None:
                    return group, None
                return None
            if prep == "by":
                if source is None:
                    source = group
            elif prep is not None and target is None:
                target = group
        if source is None or all(a.inferred for a in source.actors):
            return None
        countries = {a.country for a in source.actors}
        if target is not None and all(
            a.inferred or (a.country in countries and a.text.islower()) for a in target.actors
        ):
            # "Iran's attack on the tanker": whose tanker is not said (the country a common
            # noun took from the sentence is the source's own)
            target = None
        return source, target

    def _name_modifier(self, sent: Sentence, groups: list[_Group], target: _Group) -> bool:
        """Whether the target's name only modifies a noun whose owner an "of" phrase names.

        In "attacked the Afghanistan office of a US aid group" and "criticized the Syria policy
        of the United States" the proper name before the noun is a noun modifier (a place or a
        topic); what was attacked or criticised is the noun, and whose it is the "of" phrase
        says. A name with a noun and no owner ("struck Gaza hospitals") stays: the place is
        the noun's. A demonym (an adjective: "Ukrainian towns of the east") is another matter
        and stays too.
        """
        m = _OWNED_NOUN.match(self.norm, target.end)
        if m is None or m.end() > sent.end:
            return False
        parse = self._syntax(sent)
        if parse.tag_at(target.start) != "NNP" or not parse.tag_at(m.start(1)).startswith("NN"):
            return False
        return any(m.end() <= g.start <= m.end() + 4 for g in groups)

    def _other_side(self, groups: list[_Group], trig: _Trigger, target: _Group) -> _Group | None:
        """The second party of a mediation whose target opens "between A and B" ("brokered
        a truce between A and B", "mediation between A and B"): B. Only for mediation (045),
        whose CAMEO definition is an act on both sides; None elsewhere."""
        if not trig.pattern.code.startswith(MEDIATION) or target.start < trig.end:
            return None
        # ("between" may end the pattern itself: "mediated talks between")
        if not _BETWEEN_BEFORE.search(self.norm, max(trig.start, target.start - 40), target.start):
            return None
        after = [g for g in groups if g.start >= target.end]
        if after and _SIDES_AND.fullmatch(self.norm, target.end, after[0].start):
            return after[0]
        return None

    def _joint(self, trig: _Trigger, target: _Group | None) -> bool:
        """Whether *trig* names an act its target shares, so that a symmetric code is coded
        both ways (``senses.mutual_act`` then reads its verb).

        An action pattern does. A bare intent ("agreed to <an act not coded>") is shared
        only with an actor it names after "with" ("agreed to work with B", "agreed to ...
        with B"): in "A agreed to lift sanctions on B" or "A agreed to open its borders to
        B" B agreed to nothing. The one-sided intents ("offered to", "is ready to") never
        are shared.
        """
        pattern = trig.pattern
        if not pattern.intent:
            return True
        return (
            pattern.reciprocal
            and target is not None
            and target.start >= trig.end
            and _WITH_BEFORE.search(self.norm, trig.end, target.start) is not None
        )

    def _fall_back(self, verbs: list[_Trigger], n: int, trig: _Trigger) -> None:
        """*trig* (``verbs[n]``) is dropped for want of a structure (no source, no target, no
        frame): the best candidate it won its span from is tried next in its place ("violated
        the ceasefire agreement": the violation, when the agreement has no target).

        One step only: a fallback that is dropped in turn hands on nothing. Each step down is
        a less specific reading of the same words, the last the bare verb ("approved an
        extradition request" 051, then "approved an extradition" 063, then "approved" 080),
        whose code the phrases above it had already refused (a tune page judged it partly).
        """
        if not trig.overlapped:
            return
        alt = replace(trig.overlapped[0], overlapped=())
        self._explain(alt, f"tried in place of the dropped {trig.pattern.id}")
        verbs.insert(n + 1, alt)

    def _code(
        self,
        sent: Sentence,
        groups: list[_Group],
        verbs: list[_Trigger],
        complements: list[_Trigger],
    ) -> list[Event]:
        out: list[Event] = []
        seen: set[tuple[str | None, str | None, str]] = set()
        self.aid_starts = frozenset(t.start for t in verbs if t.pattern.code[:2] in PURPOSE_ROOTS)
        inherited: dict[int, _Group] = {}
        # a source's counterpart in a symmetric act ("held talks with South Korea"): the
        # implicit other party of its next symmetric act ("... and signed a deal")
        counterpart: dict[int, _Group] = {}
        dates: list[DateMention] | None = None  # resolved when the first event needs them
        visit_location: dict[str | None, tuple[str, str | None]] = {}
        # "urged Russia to agree to ...": the addressee is the subject of what is asked, and
        # what is asked has not happened
        addressee: _Group | None = None
        # the subject of the main clause, for a participle clause after it (", killing ...")
        main_source: tuple[_Group | None, bool] | None = None
        verbs = list(verbs)  # (a dropped match's overlapped candidate joins the list)
        for n, trig in enumerate(verbs):
            requested = addressee is not None and bool(
                _INFINITIVE_AFTER.match(self.norm, addressee.end, trig.start)
            )
            source: _Group | None
            participle = participle_clause(self.norm, trig.start)
            between = self._between(groups, trig) if trig.pattern.between else None
            if trig.subject_noun is not None:
                between = self._noun_sides(groups, trig)
                if between is None:
                    self._explain(trig, "dropped: an event noun's phrase names no source")
                    continue
            elif between is None and not trig.pattern.tier:
                between = self._as_predicative(sent, groups, trig)
            if trig.pattern.between and between is None:
                self._explain(trig, "dropped: 'talks between A and B' heads no event verb")
                continue
            if between is not None:
                source, passive = between[0], False
            elif requested and addressee is not None:
                source, passive = addressee, False
            elif participle:
                # "the army cracked down on dissent, arresting opposition leaders": the
                # participle's subject is the main clause's (without a main-clause verb it is
                # not known); when the main clause is coded, the participle mostly restates
                # it or its consequences ("shelled Juba, killing 20 people"), one event
                if out and not (
                    trig.pattern.code[:2] in _VERBAL_ROOTS
                    and all(e.root_code != trig.pattern.code[:2] for e in out)
                ):
                    self._explain(trig, "dropped: a participle clause of a coded main clause")
                    continue
                if main_source is not None:
                    source = main_source[0]
                else:
                    source = self._main_subject(sent, groups, trig)
                passive = False
            else:
                source, passive = self._source(sent, groups, trig, inherited)
                main_source = (source, passive)
            if _AGAINST.search(self.norm, max(sent.start, trig.start - 12), trig.start):
                # "advised against travel to Syria", "warned against attacking": an advisory
                # about the action, not the action
                self._explain(trig, "dropped: advised or warned against")
                continue
            # only a correction of the subject found: a nominal event with no subject of its
            # own is mostly a background mention ("ahead of Xi's visit to India, which is
            # expected ..."), which the tune pages judged right only half the time
            possessive, owner = (
                self._possessor(sent, groups, trig) if source is not None else (False, None)
            )
            if possessive:
                if owner is None:
                    self._explain(trig, "dropped: the act of a possessor who is no actor")
                    continue
                source, passive = owner, False
            addressee = None
            if source is None:
                self._explain(trig, "dropped: no source actor in its clause")
                self._fall_back(verbs, n, trig)
                continue
            if len(source.actors) == 1 and gate.public_opinion(
                self.norm, sent.start, source.actors[0], (source.start, source.end)
            ):
                self._explain(trig, "dropped: a share of a population (an opinion poll)")
                continue
            if no_addressee(trig.pattern.source, self.norm, trig.head_end, trig.end):
                self._explain(trig, "dropped: 'wants ... to' with no addressee")
                continue
            if (
                not trig.pattern.verb_first
                and not passive
                and source.end <= trig.start
                and _GOVERNING_VERB.search(
                    self.norm, source.end, self._verb_phrase_start(sent, trig)
                )
            ):
                self._explain(trig, "dropped: a noun governed by another verb")
                continue
            next_start = verbs[n + 1].start if n + 1 < len(verbs) else sent.end
            if between is not None:
                target = between[1]
            else:
                target = self._target(
                    sent,
                    groups=groups,
                    trig=trig,
                    source=source,
                    passive=passive,
                    next_start=next_start,
                )
            # a converted pattern of a code CAMEO codes both ways ("A and B agreed", "signed
            # an agreement") is reciprocal, as the curated ones of those codes are marked
            reciprocal = trig.pattern.reciprocal or (
                bool(trig.pattern.tier) and trig.pattern.code in SYMMETRIC
            )
            if trig.pattern.code in SYMMETRIC and not passive and not trig.pattern.swap:
                if target is None and not (reciprocal and len(source.actors) > 1):
                    target = counterpart.get(id(source))
                elif target is not None:
                    counterpart[id(source)] = target
            if trig.pattern.swap and (
                target is None or passive or not agent_named(self.norm, trig.end, target.start)
            ):
                # "Kenya faced pressure (over Somalia)": done to the subject, by whom not said
                self._explain(trig, "dropped: an action on the subject by no named actor")
                continue
            # a converted pattern ("joined", "give", "took over") is an event only in a frame
            # the parse calls sound: its subject's noun phrase heading the verb phrase and an
            # actor as its object (PETRARCH-2 read the same from its parser)
            # (an event noun's sides are read off its own noun phrase: no verb frame)
            framed = bool(trig.pattern.tier) and not passive and trig.subject_noun is None
            if framed:
                framed = self._frame(sent, source, trig, target, groups, mutual=reciprocal)
                if (
                    not framed
                    and target is not None
                    and allows_no_target(trig.pattern.code)
                    and self._frame(sent, source, trig, None, groups)
                ):
                    # "expressed concern about the impact on allies such as Japan": the actor
                    # after the phrase is no object of its verb, and a code whose definition
                    # needs no target (a statement, a protest) stands on its subject alone
                    self._explain(trig, "the actor after it is no object: no target")
                    target, framed = None, True
            if trig.pattern.tier and not passive and not framed and trig.subject_noun is None:
                self._explain(
                    trig, "dropped: syntax: a converted pattern needs subject-verb-object"
                )
                self._fall_back(verbs, n, trig)
                continue
            if trig.pattern.tier and gate.say_complement(
                self.norm, trig.start, trig.head_end, trig.end
            ):
                self._explain(trig, "dropped: the noun after 'say' heads a clause of its own")
                continue
            if target is not None and not passive and self._name_modifier(sent, groups, target):
                self._explain(trig, "dropped: the target's name modifies a noun another owns")
                continue
            if (
                participle
                and target is not None
                and all(a.inferred for a in target.actors)
                and all(a.role is None for a in source.actors)
            ):
                # "India attacked six sites, killing eight people": the victims took the bare
                # country's name by inference, but whose people they were is not said
                self._explain(trig, "dropped: a participle's victims of unknown country")
                continue
            if (
                target is not None
                and not passive
                and not trig.pattern.swap
                # (an event noun's target is a PP object of its subject, no verb's subject)
                and trig.subject_noun is None
                and not _THAT.search(self.norm, trig.start, target.start)
            ):
                # "entered Syria and attacked ...": Syria's verb is the source's; not the
                # subject of a "that"-clause ("alleged that Ukraine had attacked"): its own
                inherited[id(target)] = source
            pairs: list[tuple[Actor, Actor | None]]
            if target is not None and trig.pattern.swap:
                # "Kenya faced pressure from the US": the actor after the verb did it
                pairs = [(t, s) for s in source.actors for t in target.actors]
            elif target is not None:
                pairs = [(s, t) for s in source.actors for t in target.actors]
                other = self._other_side(groups, trig, target)
                if other is not None:
                    # "mediated a truce between Israel and Hamas": CAMEO's mediation is done
                    # to both parties, one event per side
                    pairs += [(s, t) for s in source.actors for t in other.actors]
            elif reciprocal and len(source.actors) >= 2:
                pairs = [(s, t) for s in source.actors for t in source.actors if s is not t]
            elif not (trig.pattern.no_target or allows_no_target(trig.pattern.code)):
                # PETRARCH's default: an event needs a dyad; only codes whose definition
                # allows none (statements, protests, strikes, force posture, emergency
                # rule) stand without a target
                self._explain(trig, "dropped: no target, and the code needs one")
                self._fall_back(verbs, n, trig)
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
            if self._infinitive_of_noun(sent, trig, targeted=target is not None):
                self._explain(trig, "dropped: the infinitive of a noun (a chance, a call), no act")
                continue
            open_question = unasserted(
                self.norm, sent.start, sent.end, source.start
            ) or senses.reported_only(self.norm, sent.start, source.start)
            if open_question is None and not passive:
                span = (target.start, target.end) if target is not None else None
                open_question = senses.sense_veto(
                    self.norm, trig.pattern.code, (trig.start, trig.head_end), span
                )
            if open_question is not None:
                self._explain(trig, open_question)
                continue
            modality = _modality(
                self.norm,
                sent,
                source,
                trig,
                self.cues,
                claimer=lambda at: next(
                    (g for g in reversed(groups) if sent.start <= g.start and g.end <= at), None
                ),
            )
            if requested:
                modality = HYPOTHETICAL
            code = self._specific_code(trig, verbs)
            if (
                trig.pattern.igo_code
                and target is not None
                and all(a.code.startswith("IGO") for a in target.actors)
            ):
                code = trig.pattern.igo_code  # "Finland joined NATO": membership, not a meeting
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
            confidence = evidence_confidence(trig.pattern.confidence, trig.pattern.tier)
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
            if (
                code in SYMMETRIC
                and self._joint(trig, target)
                and senses.mutual_act(
                    trig.pattern.id, self.norm[trig.start : trig.end], trig.pattern.regex.source
                )
            ):
                # CAMEO codes talks, agreements and cooperation both ways: "A held talks with
                # B" is A->B and B->A, like "A and B held talks"; not a one-sided intent
                # ("A offered to", "A is ready to": B offered nothing)
                pairs += [(t, s) for s, t in pairs if t is not None and (t, s) not in pairs]
            # "Chad says it will not accept ...": the pronoun is the reporting verb's
            # subject, as sure as the name for the rules that want actors named
            said = source.coreferent and _says_of_itself(self.norm, groups, source)
            for src, tgt in pairs:
                if tgt is not None and (
                    tgt.code == src.code or (_domestic(src, tgt) and allows_no_target(code))
                ):
                    continue  # no self-dyads; "SRBGOV -> SRB" stays when a target is needed
                judged = (
                    replace(src, coreferent=False)
                    if said
                    and any(src is a for a in source.actors)
                    and (tgt is None or not gate.domestic(src, tgt))
                    else src
                )  # (a dyad inside one country still wants both named: its target is the
                # weak side, "said it will return arms taken in army raids")
                veto = gate.dyad_veto(
                    judged, tgt, code=code, converted=bool(trig.pattern.tier), passive=passive
                )
                if veto is None and trig.pattern.tier:
                    veto = gate.converted_veto(
                        code,
                        phrase=trig.end > trig.head_end and not trig.pattern.weak,
                        targeted=tgt is not None,
                        framed=not passive and self._plain_object(sent, trig, target),
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


# "with" and up to three words before an actor ("agreed to ... with the ruling council")
_WITH_BEFORE = re.compile(r"\bwith\s+(?:[^\s,;:]+\s+){0,3}$")


def _says_of_itself(norm: str, groups: list[_Group], pronoun: _Group) -> bool:
    """Whether a pronoun source opens the clause of a reporting verb whose subject, named
    right before the verb, is the pronoun's antecedent ("Peru's government has said it
    would allow", "militia groups said Thursday they will return")."""
    codes = sorted(a.code for a in pronoun.actors)
    antecedent = next(
        (g for g in reversed(groups) if g.end <= pronoun.start and not g.coreferent), None
    )
    return (
        antecedent is not None
        and sorted(a.code for a in antecedent.actors) == codes
        and gate.says_of_itself(norm, antecedent.end, pronoun.start)
    )


# "to" right before a trigger, and the word before it ("chance to resign", "calls for her to")
_INFINITIVE_OF = re.compile(r"([a-z]+)\s+to\s+$")
# nouns whose to-infinitive is an act possible, asked for or planned, never one done
_CHANCE_OR_DEMAND = frozenset(
    [
        "chance",
        "chances",
        "opportunity",
        "call",
        "calls",
        "demand",
        "demands",
        "pressure",
        "plan",
        "plans",
        "ultimatum",
        "deadline",
        "hours",
        "days",
        "time",
        "bid",
        "attempt",
        "right",
    ]
)


# a lowercase noun (and one more) right after a name, then "of": "office of", "aid policy of"
_OWNED_NOUN = re.compile(r"\s+([a-z][a-z-]+)(?:\s+[a-z][a-z-]+)?\s+of\s+(?:the\s+|an?\s+)?")


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
