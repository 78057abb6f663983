"""Who did what to whom: the source and target slots of a trigger, found by clause structure.

The slots come from positions bounded by clause structure: the subject is
the nearest actor before the trigger in its clause (not behind a preposition, a complementizer
"that", or a clause break; through a ", who ..., " relative clause; the agent of a passive);
the target is the first actor after it before a new predicate, a subordinate or wh- clause or
a quotation. The shallow parse (``syntax.py``) decides prepositional objects, passives and
clause openers, and whether a converted PETRARCH-2 pattern has a sound subject-verb-object
frame.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from pipeline.stages.events import frames, gate
from pipeline.stages.events.actors import _build_groups, _Cues, _Group, _Memory, _Mention, _quoted
from pipeline.stages.events.clauses import MAX_PP_DEPTH, as_clause, pp_depth
from pipeline.stages.events.dates import DateMention, find_dates
from pipeline.stages.events.event import (
    ASSERTED,
    Actor,
    Event,
    allows_no_target,
    evidence_confidence,
)
from pipeline.stages.events.lexicon import Lexicon
from pipeline.stages.events.sentences import Sentence
from pipeline.stages.events.subjects import _ClauseSubjects
from pipeline.stages.events.swapped import agent_named
from pipeline.stages.events.syntax import BE, HAVE, LOCATIVE, Parse, parse
from pipeline.stages.events.triggers import _note, _pick_date, _Trigger, document_relative

_COMPLEMENTIZER = re.compile(r"\bthat\b")


# a personal pronoun in subject position: the clause's subject, whoever it is
_SUBJECT_PRONOUN = re.compile(r"\b(?:he|she|they|we|it)\b")


# an actor, a speech verb and a few words ("said on Wednesday"), then the pronoun: the speaker
_SPEAKER_PRONOUN = re.compile(
    r"\s+(?:\w+ly\s+)?(?:said|says|say|told\s+\w+|added|stated|insisted|announced)"
    r"(?:\s+[\w'’-]+){0,3}?,?\s+"
)


# a target past one of these is in another clause: a subordinate or wh- clause, a quotation
_OTHER_CLAUSE = re.compile(
    r"\b(?:after|before|because|while|when|since|although|though|unless|until|whereas|if)\b"
    r"|\b(?:what|how|whether|why)\b|[“\"]"
)


_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|been|being|be)\s+"
    r"(?:(?:\w+ly|also|not|never|then|later|since|already|just|all|both)\s+){0,2}$",
)


_BY_AGENT = re.compile(r"^\s*(?:[^\s.;]+\s+){0,4}?by\s+(?:the\s+)?$")


# an event noun and "by" right before an actor: that actor is the event's agent
_EVENT_BY = re.compile(
    r"\b(?:attacks?|assaults?|bombings?|raids?|(?:air|drone|missile)?\s?strikes?|shelling|"
    r"offensives?|ambush(?:es)?|incursions?|invasion|rocket\s+fire|gunfire|fire)\s+"
    r"by\s+(?:the\s+)?$"
)
_BY_RIGHT_AFTER = re.compile(r"\s+by\s+(?:the\s+)?")
# the roots of acts of force whose subject may be an event noun ("an attack by X killed")
_HARM_ROOTS = frozenset(("18", "19", "20"))


_LOCATIVE = re.compile(
    r"^\s*(?:[^\s.;]+\s+){0,6}?(?:in|at)\s+(?:the\s+)?"
    r"(?:(?:(?:north|south|east|west)(?:-?(?:east|west))?ern|central)\s+"
    r"|(?:north|south|east|west)(?:-?(?:east|west))?\s+of\s+(?:the\s+)?)?$"
)


# "Blinken, who was born in New York, criticised ...": the subject is before the clause
_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which)\b[^,;]*,\s*(?:\w+ly\s+)?$")


# roots whose events CAMEO codes against the country they happen in when no party is named:
# conventional military force (19) and mass violence (20); aid (07) delivered in a foreign
# country ("deployed peacekeepers in Mali", "delivered food aid in Yemen") is aid to it
_PLACE_TARGET_ROOTS = frozenset(("07", "19", "20"))


# a home or residence before a place: the place says where the person was ("at his home in")
_AT_HOME = re.compile(
    r"\b(?:homes?|house|houses|residences?|apartment|flat|villa|farm|hotel(?:\s+room)?)"
    r"\s+(?:in|at|near|outside|on\s+the\s+outskirts\s+of)\s+(?:the\s+)?$"
)

_IN_PLACE = re.compile(r"\b(?:in|during|from)\s+(?:the\s+)?$")


_AT_PLACE = re.compile(r"\b(?:in|at|during|from)\s+(?:the\s+)?$")


# a compass region of a country: "in eastern Ukraine", "in north-western Syria", "in the south
# of Lebanon" (not a place's own name: "East Jerusalem", "West Bank"); for the verbal and
# cooperative roots (01-05, 09-13) the place an act concerns is where it is, not whom it is
# aimed at ("agreed to a ceasefire in eastern Ukraine"); a use of force keeps the territory it
# hits as its target, as PETRARCH and PLOVER code it
_COMPASS = r"(?:north|south|east|west)(?:-?(?:east|west))?"
_COMPASS_PLACE = re.compile(
    r"\b(?:in|at|during|from|across|throughout)\s+(?:the\s+)?"
    rf"(?:(?:{_COMPASS}ern|central)\s+|{_COMPASS}\s+of\s+(?:the\s+)?)$"
)
_COMPASS_ROOTS = frozenset(("01", "02", "03", "04", "05", "09", "10", "11", "12", "13"))

# the premodifiers a place takes inside a locative PP: a compass region and who holds it ("in
# Syrian-controlled eastern Lebanon", "in rebel-held northern Syria"); the place is still where
# the act is, as it is without them. Matched on the text as written: a compass word in lower
# case only, since a capital one is part of a name ("in Northern Ireland", "in South Sudan")
_HELD = r"[A-Za-z]+-(?:controlled|held|occupied|run)"
_MODIFIED_PLACE = re.compile(
    r"\b(?:in|during|from|across|throughout)\s+(?:the\s+)?"
    rf"(?:(?:(?:{_COMPASS}ern|central|{_HELD})\s+)+"
    # or a place noun's "of" PP inside the locative one ("in Pakistan's restive southwestern
    # city of Quetta", "in the northern town of Gao")
    r"|(?:[A-Z][\w.-]*(?:'s|’s)\s+)?(?:[a-z][\w-]*\s+){0,3}?"
    r"(?:city|town|village|province|region|district|capital|county)\s+of\s+)$"
)
# the holder before "-controlled"/"-held" in such a PP ("in Russian-held eastern Ukraine"): a
# modifier of the place, not a party to a verbal or cooperative act
_HOLDER_IN_PLACE = re.compile(
    rf"\b(?:in|during|from|across|throughout)\s+(?:the\s+)?(?:(?:{_COMPASS}ern|central)\s+)*$"
)
_HELD_AFTER = re.compile(r"-(?:controlled|held|occupied|run)\b")
# the roots for which such a place is only where the act is: the verbal and cooperative ones
# (as for a compass region) and yielding ("lay down their arms in ...")
_REGION_ROOTS = _COMPASS_ROOTS | {"08"}
# a state and its agencies, for whom a region of their own country is only where they act
_STATE_ROLES = frozenset(("GOV", "MIL", "COP", "SPY", "JUD", "LEG"))


# the author of a request, a proposal or a demand ("rejected a proposal from Uganda",
# "conceded to demands from the opposition"): whose it is, not where it came from; the act
# that answers it (a rejection, a yielding) is directed at its author
_AUTHOR_PP = re.compile(
    r"\b(?:requests?|proposals?|demands?|offers?|calls?|pleas?|appeals?|invitations?|"
    r"ultimatums?|overtures?|bids?)\s+(?:made\s+|issued\s+)?(?:from|by)\s+(?:the\s+)?$"
)
# an act (an event noun, a few words of modifier or of-phrase after it) and "by" right
# before an actor: the act that a praise, a disapproval or a rejection judges, and its agent
_JUDGED_ACT_BY = re.compile(
    r"\b(?:attacks?|assaults?|bombings?|raids?|(?:air|drone|missile)?\s?strikes?|shelling|"
    r"offensives?|incursions?|invasion|killings?|murders?|abductions?|kidnappings?|"
    r"violations?|abuses?|atrocities|crimes|protests?|crackdowns?|arrests?|detentions?|"
    r"executions?|aggression|provocations?|occupation|annexation|interference|"
    r"decisions?|moves?|actions?|remarks?|comments?|statements?|threats?|"
    r"efforts?|steps?|measures?|policies|policy)\b"
    r"(?:\s+(?!(?:by|that|which|who|whom|was|were|is|are|been|being|has|have|had)\b)"
    r"[^\s,;.]+){0,6}?\s+(?:and\s+)?by\s+(?:the\s+)?$"
)
_JUDGING_ROOTS = frozenset(("05", "11", "12"))
# "its forces", "their troops": a common agent noun the subject owns, with no name in it or
# only where it is stationed: for a code that needs no target, the act bears on the source's
# own forces or people
_OWN_POSSESSIVE = re.compile(r"\b(?:its|their)\s+$")
# "its forces in Lebanon": the forces are the source's, stationed there ("its troops from
# Moldova" names the place left, which a withdrawal is aimed at)
_IN_QUALIFIER = re.compile(r"[a-z]+\s+in\s")
# what a noun is made of ("a force comprised of Ethiopian and Kenyan troops"): its members,
# named inside the object, not the party the act is directed at
_MADE_UP_OF = re.compile(
    r"\b(?:compris(?:ed|ing)|compos(?:ed|ing)|made\s+up|consist(?:ed|ing)|drawn)\s+(?:of|from)\s+"
    r"(?:[^\s,;.]+\s+){0,3}$"
)
# the roots whose act answers a request: yielding to it (08), rejecting it (12); an approval
# (PETRARCH-2's "approved a request" 051) is left to the patterns' own targets
_ANSWER_ROOTS = frozenset(("08", "12"))
# the owner of what force hit, named in a reduced relative on the object: "hit three depots used
# by the militia", "shelled positions held by the rebels" (CAMEO's target is the owner)
_OWNER_PP = re.compile(
    r"(?:\s+[a-z0-9$%.-]+){0,3}?\s+(?:used|held|controlled|occupied|manned|operated|run|owned)"
    r"\s+by\s+(?:the\s+)?\s*$"
)


_NEW_PREDICATE = re.compile(
    r"\b(?:and|but)\s+(?:would|will|has|have|had|is|are|was|were|could|should|can|may|might|"
    r"must|also|then|did|does|do)\b|\b(?:before|after|while|when|since)\s+\w+ing\b"
)


# (not after "and": "rejected the call of the EU and told ..." is the subject's second verb)
_SPEAKER_AFTER = re.compile(
    r"\s+(?:(?!(?:and|but|or)\b)\w+\s+)?(?:said|says|told|confirmed|added|announced|reported|"
    r"stated)\b"
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


_CLOSE_QUOTE = re.compile(r"[,.!?]?[”\"]")


_ATTRIBUTION = re.compile(
    r"[\s,]*(?P<who>[Hh]e|[Ss]he|(?:[A-Z][\w'’.-]*\s){0,4}[A-Z][\w'’.-]*)\s+(?:said|says|told|added)\b"
)


# "..., the Ukrainian foreign minister said": a short noun phrase, then the speech verb
_ATTRIBUTION_PHRASE = re.compile(
    r"[\s,]*(?P<who>[Hh]e|[Ss]he|(?:[\w'’.-]+[ \t]){0,5}[\w'’.-]+)\s+(?:said|says|told|added)\b"
)


# "Zelensky said: “...", "the minister told reporters, “...": an attribution before a quotation
_SPEAKER_BEFORE_QUOTE = re.compile(
    r"\s+(?:\w+ly\s+)?(?:said|says|told\s+\w+|added|stated)(?:\s+[\w'’-]+){0,3}?\s*[:,]?\s*"
)


_DIGIT_GROUP = re.compile(r"(?<=\d),(?=\d{3})")


_LOCATIVE_OR_AT = LOCATIVE | {"at"}  # what _locative_pp asks the parse about
_WORD = re.compile(r"[a-z]+")
_NEXT_WORD = re.compile(r"\s*([A-Za-z]+)")
_FUNCTION_WORDS = frozenset(
    ("of", "with", "to", "for", "on", "in", "against", "over", "from", "about", "at", "into")
)


# a "that" clause after the trigger's direct object noun, before any preposition ("rejected
# accusations that ..."), and a gerund clause after "against" ("warned against scrapping")
_INNER_CLAUSE = re.compile(
    r"^(?:(?!\b(?:on|of|in|into|about|for|to|with|over|from|at|by)\b)[^,;])*?\b[a-z]+\s+that\b"
)
_ENDS_IN_PREPOSITION = re.compile(r"\b(?:on|of|in|into|about|for|to|with|over|from|at|by)$")
_AGAINST_ING = re.compile(r"\bagainst\s+(?:\w+ly\s+)?\w+ing\b")


# "on behalf of the people of Taiwan": for whom the act is done, not its target
_ON_BEHALF = re.compile(r"\bon\s+behalf\s+of\s+(?:[\w'’-]+\s+){0,6}?$")


# the words a participle phrase may start with before its object ("fighting the Houthi")
_PARTICIPLE_GAP = frozenset(("DT", "JJ", "CD", "PRP$"))
# participles used as prepositions ("aircraft including gunships"): no modifier clause
_PREPOSITION_PARTICIPLES = frozenset(
    ("including", "excluding", "regarding", "concerning", "following", "according", "given")
)


_PARENTHETICAL = re.compile(r"\s*,[^,;:]*,\s*(?:\w+ly\s+)?")
_RELATIVE_WORD = re.compile(r"\b(?:who|which|that)\b")
_RELATIVE_FIRST = re.compile(r"\s*(?:who|which|that)\b")


def _speaker_gap(gap: str) -> bool:
    """Whether an actor followed by *gap* can be the subject of the speech verb after it.

    Words of its own verb phrase ("on Tuesday", "has repeatedly") or a parenthetical between
    commas (", in a statement,", ", which ..., ") can sit between them; a comma that opens a
    new clause or a relative clause of another noun cannot ("... with the Taliban, the attack
    will fuel the concerns of critics who say": the critics say it, not the negotiators).
    """
    if _PARENTHETICAL.fullmatch(gap):
        return True
    if any(c in gap for c in ",;:"):
        return False
    return not (_RELATIVE_WORD.search(gap) and not _RELATIVE_FIRST.match(gap))


def _part_of_action(pattern_source: str, text: str, group: _Group, trigger_end: int) -> bool:
    """Whether *group*, inside the trigger's span, is a word of the action itself, not an
    actor it acts on: every word of it a literal word of the pattern ("military" in "joint
    military exercises"), or an agent noun of no named country modifying a pattern noun right
    after it ("began joint military exercises", "military" in the "..." gap). A group before
    a preposition of the pattern stays a target ("accused police of")."""
    pattern_words = set(_WORD.findall(pattern_source.lower()))
    words = _WORD.findall(text[group.start : group.end].lower())
    if words and set(words) <= pattern_words:
        return True
    after = _NEXT_WORD.match(text, group.end, trigger_end)
    return (
        group.bare
        and after is not None
        and after[1].lower() in pattern_words
        and after[1].lower() not in _FUNCTION_WORDS
    )


def _agrees(norm: str, pronoun: int, speaker: _Group) -> bool:
    """Whether an unresolved subject pronoun at *pronoun* may be its *speaker*: "he"/"she"
    only a single person ("Russian officials said he would ..." is someone else), "it" only
    a single organisation or country ("the president said it would ..."); "they"
    never, since its resolution (the nearest plural subject) already failed ("Minister X
    said they would ...", "Hamas says they ..."); "we" anyone (one speaks for one's side)."""
    word = norm[pronoun : pronoun + 4]
    if word.startswith("they"):
        return False
    if word.startswith(("he", "she")):
        return speaker.person and len(speaker.actors) == 1
    if word.startswith("it"):
        return not speaker.person and len(speaker.actors) == 1
    return True


# the codes a purpose infinitive is read for (``frames.purpose_head``): providing aid, where
# "X sent / gave / earmarked ... to help Y" is how wire copy names the recipient of the aid
PURPOSE_ROOTS = frozenset(("07",))


# a "that"-clause or a to-infinitive after a verb, past a time adverbial ("agreed on Monday
# that ...", "agreed to cooperate"): the act agreed on is another clause's, not the mutual act
_COMPLEMENT_CLAUSE = re.compile(
    r"(?:\s+(?:on|last|this|next|early|late|in)\s+[\w-]+)*\s*,?\s+"
    r"(?:that\b|to\s+(?!the\b|an?\b|its\b|their\b|his\b|her\b|this\b)[a-z]+\b)"
)


# "as" right before a nominal trigger ("used civilians as human shields")
_AS_BEFORE = re.compile(r"\bas\s+$")


class _Slots(_ClauseSubjects):
    """Source, target, place and speaker finding, and building an event; mixed into the coder."""

    raw: str
    text: str
    norm: str
    pub: date | None
    lx: Lexicon
    cues: _Cues
    memory: _Memory
    mentions: list[_Mention]
    notes: list[dict[str, Any]] | None
    date_cache: dict[tuple[int, bool], list[DateMention]]
    parses: dict[int, Parse]
    aid_starts: frozenset[int]

    def _syntax(self, sent: Sentence) -> Parse:
        """The sentence's tags and chunks, parsed once per sentence of the document."""
        parsed = self.parses.get(sent.start)
        if parsed is None:
            parsed = self.parses[sent.start] = parse(self.text, sent.start, sent.end)
        return parsed

    def _groups(self, mentions: list[_Mention]) -> list[_Group]:  # pragma: no cover - coder
        raise NotImplementedError

    def _preceded_by_preposition(self, sent: Sentence, group: _Group) -> bool:
        """Whether the actor is the object of a preposition ("of Kharkiv", "with Iran"): the
        chunker's PP before its noun phrase; the cue list where the tagger has no token. A
        quantity or part before "of" ("thousands of Iraqi Kurds demonstrated") is the actor."""
        parsed = self._syntax(sent)
        if parsed.index(group.start) is not None:
            among = self.lx.cues.get("prepositions", ())
            prep = parsed.preposition(group.start, among)
            governed = prep is not None and prep in among
        else:
            governed = bool(
                self.cues.preposition_before.search(
                    self.norm, max(sent.start, group.start - 16), group.start
                )
            )
        if not governed:
            return False
        window = max(sent.start, group.start - 30)
        if self.cues.partitive_of.search(self.norm, window, group.start):
            return False
        gap = self.cues.partitive_gap.search(
            self.norm, max(sent.start, group.start - 50), group.start
        )
        if gap is None:
            return True
        # with words between "of" and the actor the part must itself open its clause: after
        # a verb or a preposition it is an object ("holding thousands of Tamil refugees")
        i = parsed.index(gap.start()) if parsed.index(group.start) is not None else None
        before = parsed.tokens[i - 1] if i else None
        return before is not None and (before.tag.startswith(("VB", "IN", "TO")) or before.verb)

    def _clause_break(self, start: int, end: int) -> bool:
        return bool(self.cues.clause_break.search(self.norm, start, end))

    def _source(
        self, sent: Sentence, groups: list[_Group], trig: _Trigger, inherited: dict[int, _Group]
    ) -> tuple[_Group | None, bool]:
        before = self.norm[sent.start : trig.start]
        head = self.norm[trig.start : trig.head_end]
        # passive: a form of "be", then a past participle in one verb phrase (the tagger's
        # reading; the word shape where it has none)
        is_passive = self._syntax(sent).passive(trig.start)
        if is_passive is None:
            participle = head.endswith(("ed", "en")) or head in self.lx.past_forms
            is_passive = participle and bool(_PASSIVE.search(before))
        if not is_passive:
            is_passive = self._reduced_passive(sent, groups, trig)
        if is_passive:
            for group in groups:
                if group.start >= trig.end and _BY_AGENT.match(self.norm[trig.end : group.start]):
                    return group, True
            return None, False  # a passive without its agent: who acted is not said
        agent = self._noun_agent(sent, groups, trig)
        if agent is not None:
            return agent, False
        issued = document_relative(self.norm, trig.start)
        if issued is not None:
            # "the committee issued a report that calls on ...": the relative clause's subject
            # is the document, whose act is its issuer's: the subject of the issuing verb
            return self._main_subject(sent, groups, trig), False
        decided, subject = self._clause_subject(sent, groups, trig, inherited)
        if decided:
            return subject, False
        # "Turkish forces entered Syria and attacked Kurdish fighters": the second verb of a
        # coordinated verb phrase has the first one's subject, before that verb
        limit = self._verb_phrase_start(sent, trig)
        for group in reversed(groups):
            if group.end > limit:
                continue
            if trig.start - group.end > 200:
                return None, False
            if not group.place and frames.relative_subject(self.norm, group.end, limit):
                # "a protest by farmers who stormed": the antecedent (a place "which hosted"
                # is a setting, not an agent)
                return group, False
            relative = (
                _RELATIVE_CLAUSE.match(self.norm, group.end, limit)
                or frames.only_bridges(self.text, group.end, limit)
                or frames.restrictive_relative(self._syntax(sent), group.end, limit)
            )
            if not relative and (
                self._clause_break(group.end, limit)
                or self._syntax(sent).clause_between(group.end, limit)
            ):
                # another clause opens between them (a WH-word, a subordinator, a quote)
                return None, False
            if _COMPLEMENTIZER.search(self.norm, group.end, limit):
                # "a finding that a tank had fired at": the subject of the embedded clause
                # is after "that"; an actor before it is the one who claims or finds
                return None, False
            if id(group) in inherited:
                return inherited[id(group)], False
            pronoun = self._unresolved_pronoun(groups, group.end, trig.start)
            if pronoun is not None:
                # a subject pronoun the coreference could not resolve: right after a speech
                # verb it is the speaker ("rebel leaders said on Wednesday they would meet",
                # "44 percent of Americans say they want"); otherwise an actor before it is
                # someone else, and who acts is not said
                if _SPEAKER_PRONOUN.fullmatch(self.norm, group.end, pronoun) and _agrees(
                    self.norm, pronoun, group
                ):
                    return group, False
                return None, False
            if self._preceded_by_preposition(sent, group):
                if trig.pattern.code[:2] in _HARM_ROOTS and _EVENT_BY.search(
                    self.norm, max(sent.start, group.start - 40), group.start
                ):
                    # "an attack by Somali rebels killed 20 soldiers": the agent of the
                    # subject's event noun is the one who killed
                    return group, False
                continue
            modified_at = self._participle_modifier(sent, group)
            if modified_at is not None:
                # "the coalition fighting Houthi rebels has declared": the actor is the object
                # of a participle modifying the subject noun; the subject is that noun
                modifies = next((g for g in reversed(groups) if g.end <= modified_at), None)
                if modifies is not None and not self.norm[modifies.end : modified_at].strip():
                    return modifies, False
                return None, False
            return group, False
        return None, False

    def _participle_modifier(self, sent: Sentence, group: _Group) -> int | None:
        """Where the participle starts when *group* is its object and the participle
        modifies a noun right before it ("the coalition fighting Houthi rebels")."""
        parsed = self._syntax(sent)
        i = parsed.index(group.start)
        if i is None:
            return None
        tokens = parsed.tokens
        j = i - 1
        while j >= 0 and i - j <= 2 and tokens[j].tag in _PARTICIPLE_GAP:
            j -= 1
        if (
            j < 1
            or tokens[j].tag != "VBG"
            or tokens[j].word.lower() in _PREPOSITION_PARTICIPLES
            or not tokens[j - 1].tag.startswith("NN")
        ):
            return None
        return tokens[j].start

    def _noun_agent(self, sent: Sentence, groups: list[_Group], trig: _Trigger) -> _Group | None:
        """The agent of an event noun, named in the "by" phrase right after it ("a car
        bombing by the Islamic State group", "a visit by Kenyan officials to")."""
        if not self._syntax(sent).tag_at(trig.start).startswith("NN"):
            return None
        after = next((g for g in groups if g.start >= trig.end), None)
        if after is None or not _BY_RIGHT_AFTER.fullmatch(self.norm, trig.end, after.start):
            return None
        return after

    def _verb_phrase_start(self, sent: Sentence, trig: _Trigger) -> int:
        """Where the trigger's verb phrase starts: at the first verb when the trigger is the
        second of two coordinated verbs ("has established ties with and opened an embassy":
        "established" is no verb governing "opened"), else at the trigger."""
        return frames.coordinated_head(self._syntax(sent), trig.start) or trig.start

    def _main_subject(self, sent: Sentence, groups: list[_Group], trig: _Trigger) -> _Group | None:
        """The subject of the main clause a participle clause (", killing ...") hangs on, when
        no verb pattern matched there: the last actor before the trigger whose noun phrase
        the parse shows heading a finite verb ("Taliban fighters stormed a base, killing"),
        when it is an agent rather than a bare place. For the relative clause of an issued
        document ("issued a report that calls on") the search starts at the issuing verb."""
        parsed = self._syntax(sent)
        issued = document_relative(self.norm, trig.start)
        before = trig.start if issued is None else issued
        for group in reversed(groups):
            if group.end > before:
                continue
            if self._clause_break(group.end, before) or parsed.clause_between(group.end, before):
                return None
            if parsed.heads_clause(group.end) and not self._preceded_by_preposition(sent, group):
                # an agent acts; a bare country as subject is mostly what it underwent or has
                # ("Nepal suffered its worst crash, killing 72 people")
                return None if group.place else group
        return None

    def _locative_pp(self, sent: Sentence, trig: _Trigger, group: _Group) -> bool:
        """The actor is the object of a locative preposition ("in", "near", "during"; "at"
        for meetings) that is not part of the pattern itself ("intervened in")."""
        prep = self._syntax(sent).preposition(group.start, _LOCATIVE_OR_AT)
        if prep is None or trig.pattern.target == "place" or trig.pattern.locate:
            return False
        return prep in LOCATIVE or (prep == "at" and trig.pattern.code[:2] in ("04", "05"))

    def _frame(
        self,
        sent: Sentence,
        source: _Group,
        trig: _Trigger,
        target: _Group | None,
        groups: Sequence[_Group] = (),
        *,
        mutual: bool = False,
    ) -> bool:
        """Whether the parse puts *source* as the subject and *target* as the object (or the
        PP object a phrase pattern names) of the trigger: a syntactically sound frame.
        *groups* (the sentence's actors) tell a purpose infinitive's object control apart.
        Without a target the frame needs a code that allows none, or a *mutual* action whose
        compound subject gives each member the other as target ("A and B agreed")."""
        if source.end > trig.start or (
            target is None
            and not allows_no_target(trig.pattern.code)
            and not (
                mutual
                and len(source.actors) >= 2
                and not _COMPLEMENT_CLAUSE.match(self.norm, trig.end)
            )
        ):
            return False  # (decided before the parse's subject test, which may chunk)
        parsed = self._syntax(sent)
        head = self.norm[trig.start : trig.head_end].split(" ", 1)[0]
        past = head.endswith("ed") or head in self.lx.past_forms  # as the trigger was read
        if not parsed.subject_frame(
            frames.bridged_end(self.text, source.end, trig.start), trig.start, past=past
        ) and not any(  # "Pakistan's ruler, Gen. Ann Lee, has given": the apposition's comma;
            # "the army, the largest in the region, rejected": the aside's closing comma
            end is not None
            and end <= trig.start
            and parsed.subject_frame(
                frames.bridged_end(self.text, end, trig.start), trig.start, past=past
            )
            for end in (
                frames.apposition_end(parsed, source.start, source.end),
                frames.aside_end(parsed, source.end),
            )
        ):
            # a participle clause or a second conjunct: the subject of the verb it hangs on;
            # a purpose infinitive of aid ("sent a team to help Haiti"): the subject that
            # controls it, unless an actor is the verb's object ("allowed Kenya to help")
            verb = frames.head_verb(parsed, trig.start)
            if verb is None and trig.pattern.code[:2] in PURPOSE_ROOTS:
                verb = frames.purpose_head(parsed, trig.start)
                if verb is not None and any(
                    verb < g.start < trig.start and not all(a.inferred for a in g.actors)
                    for g in groups
                ):  # (a country-less agent, "a team of engineers", is the subject's own)
                    verb = None
            if (
                verb is None
                or verb <= source.end
                or parsed.reading(trig.start) is not None
                or not parsed.subject_frame(frames.bridged_end(self.text, source.end, verb), verb)
            ):
                return False
        if target is None:
            return True
        if target.start < trig.end:  # the object inside the pattern ("conflict with NATO")
            return True
        if parsed.heads_clause(target.end) and not (
            frames.pp_object(parsed, target.start)
            and (
                frames.infinitive_after(parsed, target.end)
                or frames.reduced_relative_after(parsed, target.end)
            )
        ):
            # "allowed Ukraine to strike", "thought Iran would": another clause (a PP object
            # before an infinitive is none: "gave rifles to the army to help"; nor before a
            # participle: "the extradition of a militant wanted in France")
            return False
        phrase = trig.end > trig.head_end and not trig.pattern.weak
        if parsed.object_frame(trig.end, target.start, prepositions=phrase, places=target.place):
            return True
        if self._judged_agent(sent, trig, target, None):
            return True  # "condemned the protest by white farmers": the protest's agent
        author = _AUTHOR_PP.search(self.norm, max(trig.end, target.start - 30), target.start)
        if (
            author is not None
            and trig.pattern.code[:2] in _ANSWER_ROOTS
            and (author.start() <= trig.end or parsed.object_frame(trig.end, author.start(), False))
        ):
            return True  # "refused a request from Uganda": the request's author
        if trig.pattern.code[:2] in gate.FORCEFUL_ROOTS and _OWNER_PP.fullmatch(
            self.norm, trig.end, target.start
        ):
            return True  # "hit three depots used by the militia": the depots' owner
        if trig.pattern.code[:2] in PURPOSE_ROOTS and frames.purpose_target(
            parsed, trig.end, target.start
        ):
            return True  # "provided $5 million to rebuild schools in Haiti"
        # "sent a message to", "carried out attacks on": the PP after a verb-object phrase;
        # "carried out attacks, mainly targeting the army": a participle clause carrying it
        if (
            trig.end == trig.head_end
            and trig.pattern.code[:2] in ("06", "07")
            and frames.dative_verb(head)
            and frames.object_recipient(parsed, trig.end, target.start)
        ):
            return True  # "provided their donations to Kenya": a verb of giving's recipient
        return trig.end > trig.head_end and (
            frames.recipient_pp(parsed, trig.end, target.start)
            or (
                frames.participle_target(self.norm, trig.end, target.start)
                and frames.ends_in_noun(parsed, trig.end)
            )
        )

    def _judged_agent(
        self, sent: Sentence, trig: _Trigger, group: _Group, bare: _Group | None
    ) -> bool:
        """*group* is the "by" agent of the act a verb of judging has as its object: "condemned
        an anarchic protest by farmers", "denounced violations of rights by the regime",
        "praised the decision by Kenya". Whom a praise (05), a disapproval (11) or a rejection
        (12) is aimed at is who did the act judged, as the "from"/"by" author of a request is
        the target of its answer. Only in the verb's own clause, with no comma between the act
        noun and the actor, and only while no bare agent came first."""
        if (
            bare is not None
            or trig.pattern.code[:2] not in _JUDGING_ROOTS
            or group.start <= trig.end
            or group.start - trig.end > 120
            or self._clause_break(trig.end, group.start)
        ):
            return False
        act = _JUDGED_ACT_BY.search(self.norm, max(trig.end, group.start - 70), group.start)
        # commas only in the adjectives before the act noun ("systematic, widespread and gross
        # violations ... by"), none between it and the actor
        return act is not None and "," not in self.norm[act.start() : group.start]

    def _plain_object(self, sent: Sentence, trig: _Trigger, target: _Group | None) -> bool:
        """The target is the verb's only, plain direct object (see ``Parse.plain_object``)."""
        if target is None or target.start < trig.end:
            return False
        return self._syntax(sent).plain_object(target.end)

    def _unresolved_pronoun(self, groups: list[_Group], start: int, end: int) -> int | None:
        """Where a subject pronoun no actor group covers sits between *start* and *end*."""
        for m in _SUBJECT_PRONOUN.finditer(self.norm, start, end):
            if not any(g.start <= m.start() < g.end for g in groups):
                return m.start()
        return None

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
        """The actor the action is done to; for a use of force with none named, the foreign
        country it was done in ("clashes in Syria"), as CAMEO codes the place of a military
        act. Only a foreign place: in the source's own country it names where, not whom."""
        target = self._named_target(
            sent, groups=groups, trig=trig, source=source, passive=passive, next_start=next_start
        )
        if target is None and not passive and trig.pattern.code[:2] in PURPOSE_ROOTS:
            # "provided $5 million to rebuild schools in Haiti": the aid's recipient named in
            # its purpose infinitive ("to help Haiti", an aid trigger itself, is its own event)
            for group in groups:
                if group is not source and trig.end <= group.start < sent.end:
                    if not any(trig.end <= a < group.start for a in self.aid_starts) and (
                        frames.purpose_target(self._syntax(sent), trig.end, group.start)
                    ):
                        return group
                    break  # only the first actor after the phrase
        if target is not None or passive or trig.pattern.code[:2] not in _PLACE_TARGET_ROOTS:
            return target
        if self._syntax(sent).title_case:
            # a headline drops "were": "2 Americans Killed In Somalia" names the victims and
            # the place, and its past form cannot be told from the active one
            return None
        place = self._location(sent, groups, trig, None)
        own = {a.country for a in source.actors}
        if place is None or any(a.country is None or a.country in own for a in place.actors):
            return None
        if _AT_HOME.search(self.norm, max(trig.end, place.start - 40), place.start):
            # "attacked him at his home in Kenya": where a private person was, not a military
            # act against the country
            return None
        return place

    def _as_predicative(
        self, sent: Sentence, groups: list[_Group], trig: _Trigger
    ) -> tuple[_Group, _Group] | None:
        """The subject and object of a verb that an event noun after "as" predicates of the
        object: "used civilians as human shields", "held three traders as hostages" (what
        was done to the object, by the verb's subject). The object is the actor right before
        "as"; the subject the actor before the verb, in the same clause."""
        if not _AS_BEFORE.search(self.norm, max(sent.start, trig.start - 6), trig.start):
            return None
        parsed = self._syntax(sent)
        if parsed.reading(trig.start) is None:
            return None  # a verb after "as" ("as attacked"): no event noun
        as_start = self.norm.rfind("as", sent.start, trig.start)
        before = [g for g in groups if g.end <= as_start]
        if len(before) < 2 or self.norm[before[-1].end : as_start].strip():
            return None
        obj, subject = before[-1], before[-2]
        verbs = [
            t
            for t in parsed.tokens_from(subject.end)
            if t.start < obj.start and parsed.tag_at(t.start).startswith("VB")
        ]
        # "is holding civilians as human shields": auxiliaries before the one main verb
        aux = [v for v in verbs[:-1] if v.word.lower() in BE or v.word.lower() in HAVE]
        if (
            len(verbs) - len(aux) != 1
            or (not aux and parsed.tag_at(verbs[0].start) == "VBG")  # "accused X of using"
            or self._clause_break(subject.end, obj.start)
            or parsed.clause_between(subject.end, obj.start)
            or not parsed.subject_frame(
                frames.bridged_end(self.text, subject.end, verbs[0].start), verbs[0].start
            )
        ):
            return None
        return subject, obj

    def _named_target(
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
            if group.end < trig.end and _part_of_action(
                trig.pattern.regex.source, self.text, group, trig.end
            ):
                continue
            # "deported 1,086 migrants", "more than 16,000 Syrians": a digit group is no comma
            between = self.norm[trig.end : group.start]
            if "," in between:  # (the expression removes commas only)
                between = _DIGIT_GROUP.sub("", between)
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
            if (
                bare is None
                and trig.end > trig.head_end
                and frames.participle_target(self.norm, trig.end, group.start)
                and frames.ends_in_noun(self._syntax(sent), trig.end)
            ):
                return group  # "carried out attacks, mainly targeting the army"
            if self._judged_agent(sent, trig, group, bare):
                return group  # "condemned the protest by farmers": whose act is judged
            if self._clause_break(trig.end, group.start) or "," in between:
                return bare
            if group.start > trig.end and (
                _AGAINST_ING.search(between)
                or (
                    _INNER_CLAUSE.search(between)
                    and not _ENDS_IN_PREPOSITION.search(self.norm, trig.start, trig.end)
                )
            ):
                # "warned against scrapping the deal with Iran", "rejected accusations that a
                # deal let Chinese officials in": the actor is inside the complement clause of
                # "against" or of the direct object noun, an argument of that clause's verb (a
                # prepositional object's clause, "comment on a report that US agencies ...",
                # names the topic, as the patterns' targets do)
                return bare
            if _ON_BEHALF.search(self.norm, max(sent.start, group.start - 80), group.start):
                continue  # "on behalf of X": for whom, not to whom
            if (
                allows_no_target(trig.pattern.code)
                and _OWN_POSSESSIVE.search(self.norm, max(sent.start, group.start - 8), group.start)
                and (
                    self.text[group.start : group.end].islower()
                    or _IN_QUALIFIER.match(self.text, group.start, group.end) is not None
                )
            ):
                continue  # "strengthened its forces", "withdrew its troops": the source's own
            if group.start > trig.end and _MADE_UP_OF.search(
                self.norm, max(trig.end, group.start - 40), group.start
            ):
                return bare  # "a force comprised of Ethiopian troops": its members, no target
            if group.start > trig.end and self._syntax(sent).coordinated_verb(
                trig.end, group.start
            ):
                return bare  # "met Sunday and decided to ban Hamas": the second verb's
            if group.start > trig.end and (
                pp_depth(self._syntax(sent).tokens_from(trig.head_end), trig.head_end, group.start)
                > MAX_PP_DEPTH
            ):
                return bare  # an actor deep in the object's PP chain modifies a noun of it
            if group.start > trig.end and as_clause(
                self._syntax(sent).tokens_from(trig.end),
                self._syntax(sent).heads_clause,
                trig.end,
                group.start,
            ):
                return bare  # "declared an emergency as analysts reported that ... forces"
            if frames.conjoined_clause(self._syntax(sent), between, group.end):
                return bare  # "condemned the attack and Ethiopia welcomed it": a new clause
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
            if trig.pattern.code[:2] in _ANSWER_ROOTS and _AUTHOR_PP.search(
                self.norm, max(sent.start, group.start - 30), group.start
            ):
                return group  # "rejected a proposal from Uganda": its author
            locative = _AT_PLACE if trig.pattern.code[:2] in ("04", "05") else _IN_PLACE
            if (
                group.place
                and locative.search(self.norm, max(sent.start, group.start - 12), group.start)
                and not (trig.pattern.swap and agent_named(self.norm, trig.end, group.start))
            ):
                continue  # a place the action happened in, not its target ("fired at" is one)
            if (
                group.place
                and trig.pattern.code[:2] in _COMPASS_ROOTS
                and trig.pattern.target != "place"
                and _COMPASS_PLACE.search(self.norm, max(sent.start, group.start - 24), group.start)
            ):
                continue  # "a ceasefire in eastern Ukraine": where, not with whom
            if (
                group.place
                and trig.pattern.target != "place"
                and not trig.pattern.locate
                and self._modified_locative(sent, group)
                and (trig.pattern.code[:2] in _REGION_ROOTS or self._own_place(group, source))
            ):
                # "laid down their arms in Syrian-controlled eastern Lebanon": where, as "in
                # Lebanon" is; for the other roots (aid, protest, coercion, force: CAMEO and
                # PLOVER code the place they reach) only in the source's own country ("beat a
                # prisoner to death in western Venezuela" by Venezuelan police)
                continue
            if group.place and group.start > trig.end and self._locative_pp(sent, trig, group):
                continue  # "exercises in Alaska": a locative PP names where, not whom
            if group.bare:
                bare = bare or group
                continue
            if self._own_country_modifier(sent, group, source, trig):
                continue  # "Obama lifted the US embargo on ...": whose embargo, not at whom
            return group
        return bare

    def _modified_locative(self, sent: Sentence, group: _Group) -> bool:
        """*group* is a place in a locative PP behind premodifiers ("in Syrian-controlled
        eastern Lebanon", "in north-western Syria"), or the holder in such a PP ("in
        Russian-held eastern Ukraine")."""
        if _MODIFIED_PLACE.search(self.text, max(sent.start, group.start - 60), group.start):
            return True
        return bool(
            _HELD_AFTER.match(self.norm, group.end)
            and _HOLDER_IN_PLACE.search(self.text, max(sent.start, group.start - 40), group.start)
        )

    @staticmethod
    def _own_place(group: _Group, source: _Group) -> bool:
        """*group* names only the source's own country (or places in it) and the source is
        that state or one of its agencies: an armed group fighting in its own country
        ("Boko Haram fighters overran a village in northern Nigeria") targets the state, as
        PETRARCH codes it."""
        own = {a.country for a in source.actors if a.country}
        return (
            bool(own)
            and all(a.role is None or a.role in _STATE_ROLES for a in source.actors)
            and all(a.country in own for a in group.actors)
        )

    def _own_country_modifier(
        self, sent: Sentence, group: _Group, source: _Group, trig: _Trigger
    ) -> bool:
        """*group* is the source's own country, premodifying the head noun of the object
        right after the verb ("lifts US embargo", "lifted the Kenyan ban"): whose the object
        is, no target."""
        own = {a.country for a in source.actors if a.country}
        if not own or not group.place or any(a.country not in own for a in group.actors):
            return False
        gap = self.norm[trig.head_end : group.start] if group.start >= trig.head_end else " "
        if gap.strip() not in ("", "the", "a", "an", "its", "their", "his", "her"):
            return False
        parsed = self._syntax(sent)
        i = parsed.index(max(group.start, group.end - 1))
        if i is None or i + 1 >= len(parsed.tokens):
            return False
        nxt = parsed.tokens[i + 1]
        return nxt.start <= group.end + 1 and nxt.tag in ("NN", "NNS")

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

    def _speaker_before(
        self, sent: Sentence, groups: list[_Group], subject: _Group
    ) -> _Group | None:
        speech = None
        for m in self.cues.speaker.finditer(self.norm, sent.start, subject.start):
            speech = m
        if speech is None:
            return None
        for group in reversed(groups):
            if group.end <= speech.start():
                if self._preceded_by_preposition(sent, group):
                    continue
                return group if _speaker_gap(self.norm[group.end : speech.start()]) else None
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
        return self._attribution_after(trig.end)

    def _first_person_speaker(self, sent: Sentence, at: int) -> list[Actor] | None:
        """Who "we" at *at* is: the speaker of the quotation it stands in, named in the
        attribution right after the quotation closes ("“We will not negotiate,” the
        Ukrainian president said"); None outside a quotation or without an attribution (the
        pronoun stays unresolved)."""
        before = self.text[sent.start : at]
        curly = before.rfind("“")
        opened = curly > before.rfind("”") or before.count('"') % 2 == 1
        if not opened:
            return None
        speaker = self._attribution_after(at, phrase=True)
        if speaker is None:
            # "Zelensky said: “We ...": the speaker before the opening quotation mark
            quote = sent.start + (curly if curly >= 0 else before.rfind('"'))
            speaker = next(
                (
                    g
                    for g in reversed(self._groups(self.mentions_in(sent)))
                    if g.end <= quote and _SPEAKER_BEFORE_QUOTE.fullmatch(self.text, g.end, quote)
                ),
                None,
            )
        return list(speaker.actors) if speaker is not None else None

    def mentions_in(self, sent: Sentence) -> list[_Mention]:
        """The dictionary mentions inside *sent*."""
        return [m for m in self.mentions if m.start >= sent.start and m.end <= sent.end]

    def _attribution_after(self, start: int, *, phrase: bool = False) -> _Group | None:
        """The speaker named right after the first closing quotation mark after *start*: a
        name or "he"/"she", or with *phrase* any short noun phrase ("the Ukrainian foreign
        minister said") whose actor is the speaker."""
        close = _CLOSE_QUOTE.search(self.text, start, min(len(self.text), start + 800))
        if close is None:
            return None
        after = (_ATTRIBUTION_PHRASE if phrase else _ATTRIBUTION).match(self.text, close.end())
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
        confidence = evidence_confidence(trig.pattern.confidence, trig.pattern.tier) * (
            0.85 if speaker.coreferent else 1.0
        )
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
