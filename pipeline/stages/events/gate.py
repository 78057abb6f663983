"""The precision gate: which candidate events the coder emits, and why the others are dropped.

The coder finds candidates with positional rules; on whole articles most of what those rules
get wrong is a pairing no analyst would code: two private parties ("the doctor prescribed the
man"), an actor the dictionaries could not place in any country ("---MIL"), an action that did
not happen ("could hear", "refused to condemn"), or a PETRARCH-2 verb whose reading the
original coder took from a parser we do not have ("thought", "found out", "involved"). The
gate drops those instead of guessing; each rule returns the reason ``--explain`` prints.

The rules are about the *kind* of candidate, never about particular sentences:

* unreal modality: negated and hypothetical actions are not events (CAMEO codes what
  happened, or an explicit intent / threat / appeal, which have codes of their own);
* a dyad needs a political actor on at least one side (a state, its government, military,
  legislature, courts, police, intelligence, an IGO, a rebel or opposition group or a named
  political person), and a one-sided event needs one as its source;
* an actor without a country ("---COP") is no actor for a dyad, and an agent whose country is
  only inferred from another actor of the sentence ("police" near "Nairobi") is no source,
  except against another political agent of that country ("police fired on protesters");
* a dyad inside one country needs both actors named in the sentence (no pronouns), a
  political source, and a political target too unless the action is coercion or force;
* the converted PETRARCH-2 layer, whose frames come from a shallow parse here rather than
  PETRARCH's full one, only codes state-level actors on both sides, named in the sentence,
  from two different countries, and without a target only in a statement phrase ("expressed
  concern": CAMEO 01 needs no addressee).
"""

from __future__ import annotations

import re
from typing import Protocol

UNREAL = frozenset(("negated", "hypothetical"))
# roles (first three letters of the actor's role) that make an actor political
POLITICAL_ROLES = frozenset(
    # ... and PTY, CAMEO's political parties
    (
        "GOV",
        "MIL",
        "LEG",
        "JUD",
        "COP",
        "SPY",
        "REB",
        "OPP",
        "UAF",
        "INS",
        "SEP",
        "ELI",
        "IGO",
        "PTY",
    )
)
FORCEFUL_ROOTS = frozenset(("17", "18", "19", "20"))  # coerce, assault, fight, mass violence
STATE_ROLES = frozenset(("GOV", "MIL", "LEG", "JUD", "COP", "SPY", "ELI", "IGO"))
# political actors that are no organ of a state: CAMEO's rebels, opposition, unidentified armed
# forces, insurgents and separatists; a domestic dyad between one of them and the state is the
# core of domestic conflict coding (AFGREB 190 AFGGOV)
NONSTATE_ROLES = frozenset(("REB", "OPP", "UAF", "INS", "SEP"))
# roots in which a state acting on a private party of its own country is an event: investigate,
# demand, disapprove, reject, threaten, and coerce / assault / fight (not cooperation: "South
# Korea hosts manufacturers")
COERCIVE_ROOTS = frozenset(("09", "10", "11", "12", "13")) | FORCEFUL_ROOTS
# ... and in which it may yield to one (08: "freed the activists", "eased restrictions on
# foreign workers"), which the converted layer does not read well enough to code
DOMESTIC_PRIVATE_ROOTS = COERCIVE_ROOTS | {"08"}
REDUCE_ROOT = "16"  # CAMEO 16: reduce relations, aid or ties with the target
PROTEST_ROOT = "14"  # CAMEO 14: protests by anyone, civilians and workers included
# headline, navigation and link-list text run together into one "sentence"
_CLUTTER = re.compile(r"\s\|\s|\s•\s|\s»\s")
_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*\s*$")
# a label opening a link to another article ("Read more: ...", "Related: ..."): its headline
# reports that article, not this one
_TEASER = re.compile(
    r"\s*(?:read more|read also|also read|related(?: stories| articles| news| content)?|"
    r"see also|more on this(?: story)?|recommended(?: stories)?|most read|trending|"
    r"top stories|you may also like|further reading|more from \w+)\s*[:>»|]",
    re.IGNORECASE,
)
LONG_UNPUNCTUATED = 30  # words: a "sentence" this long without a full stop is page furniture


class ActorLike(Protocol):
    """What the gate reads of an actor (``coder.Actor``)."""

    @property
    def code(self) -> str: ...

    @property
    def country(self) -> str | None: ...

    @property
    def role(self) -> str | None: ...

    @property
    def coreferent(self) -> bool: ...

    @property
    def inferred(self) -> bool: ...

    @property
    def sole(self) -> bool: ...

    @property
    def placed(self) -> bool: ...


# organisations that are no state: companies, NGOs, media (their "country" is their own code)
PRIVATE_PREFIXES = ("MNC", "NGO", "MED", "BUS", "CVL", "EDU", "HLH", "REL")


def _holds(actor: ActorLike, roles: frozenset[str]) -> bool:
    """A state or an IGO, or an actor of that country whose role is one of *roles*."""
    if actor.code.startswith(("---", *PRIVATE_PREFIXES)) or actor.country is None:
        return False
    if actor.code.startswith("IGO"):
        return True
    return actor.role is None or actor.role[:3] in roles


def political(actor: ActorLike) -> bool:
    """A state, an IGO, or an actor with a political role (government, military, rebels ...)."""
    return _holds(actor, POLITICAL_ROLES)


def state_level(actor: ActorLike) -> bool:
    """A state, an IGO or an organ of a state (no rebels, no opposition, no private actors)."""
    return _holds(actor, STATE_ROLES)


def home(actor: ActorLike) -> str | None:
    """The country an actor belongs to: "MNCUSA" (a US company) belongs to the USA."""
    if actor.code.startswith("IGO"):
        return None
    if actor.code.startswith(PRIVATE_PREFIXES) and len(actor.code) >= 6:
        return actor.code[3:6]
    return actor.country


def domestic(src: ActorLike, tgt: ActorLike) -> bool:
    """Both sides of the same country (an IGO is no country)."""
    return home(src) is not None and home(src) == home(tgt)


def _agents_of_one_country(src: ActorLike, tgt: ActorLike | None, *, converted: bool) -> bool:
    """A domestic dyad of two political agents: "security forces fired on protesters",
    "rebels surrendered to the police" (CAMEO gives such agents the country of their
    sentence). The target must be an agent with a role of the source's inferred country, not
    that country itself: "the Korean government agreed to provide Sri Lanka" made LKAGOV of a
    government the dictionaries could not place, and a country as its own agent's target is
    what such a guess looks like."""
    return (
        not converted
        and tgt is not None
        and tgt.role is not None
        and home(src) == home(tgt)
        and political(src)
        and political(tgt)
    )


def _sole_agent(src: ActorLike, tgt: ActorLike | None) -> bool:
    """Whether an inferred source keeps its sentence's one country, as PETRARCH codes it.

    One-sided: "workers at a mine in Peru went on strike". In a dyad only against an
    international body, and only when the sentence names that country as a state or a place
    ("rebels attacked a UN convoy in northern Mali"): when the one country is the target or
    one of its people ("officials accused Iran", "federal police investigated an Australian
    soldier"), an agent from abroad is as likely, and on the tune half such guesses were
    wrong six times in nine; a country named through its media or ministry ("Kenyan media
    reported") says who speaks, not where the agent is."""
    if not src.sole:
        return False
    return tgt is None or (src.placed and tgt.code.startswith("IGO"))


def sector(actor: ActorLike) -> str:
    """The actor's CAMEO sector (first three letters of its role); "" for a state itself."""
    return (actor.role or "")[:3]


def state_vs_nonstate(src: ActorLike, tgt: ActorLike) -> bool:
    """One side an organ of the state (or the state), the other a rebel, opposition or armed
    group: "Taliban militants stormed a base" (AFGREB -> AFGMIL), "the court freed opposition
    members" (ZWEJUD -> ZWEOPP)."""
    return (sector(src) in NONSTATE_ROLES and state_level(tgt) and tgt.role is not None) or (
        state_level(src) and sector(tgt) in NONSTATE_ROLES
    )


def _fights_in_its_country(src: ActorLike, tgt: ActorLike, code: str) -> bool:
    """A rebel or armed group using force in its own country, named as the target: PETRARCH
    codes the country an attack happens in as its target ("Boko Haram overran a base in
    Nigeria": NGAREB 192 NGA)."""
    return (
        sector(src) in NONSTATE_ROLES
        and tgt.role is None
        and domestic(src, tgt)
        and code[:2] in FORCEFUL_ROOTS
    )


def _own_means(src: ActorLike, tgt: ActorLike, code: str, *, passive: bool) -> bool:
    """Whether an inferred target of the source's own country is the source's own means or
    part: "Pakistan fired artillery" (PAKMIL), "reduced military aid" (USAMIL), the victims of
    a passive ("civilians were killed by Pakistani shelling"), or an agent of the source's own
    sector. A rebel, opposition or armed group against the state is not ("Taliban militants
    stormed an Afghan base, killing soldiers"), nor the people or rebels a state coerces."""
    if passive or sector(tgt) == sector(src):
        return True
    if state_level(src) and sector(tgt) in NONSTATE_ROLES and code[:2] == REDUCE_ROOT:
        # "cut its aid to the country's rebels": what is cut off is the
        # rebels', not the state's own means (cooperating "with" a militant stays a guess)
        return False
    if sector(src) in NONSTATE_ROLES and state_level(tgt) and tgt.role is not None:
        return False  # "Taliban militants stormed a base, killing soldiers"
    if code[:2] in DOMESTIC_PRIVATE_ROOTS and not state_level(tgt):
        # the state coercing or yielding to its people or rebels: "investigated the
        # newspaper", "freed the activists"; not "an appeal to extradite a militant" (063)
        return False
    return code[:2] not in FORCEFUL_ROOTS or sector(tgt) in ("MIL", "GOV")


def modality_veto(modality: str) -> str | None:
    """Why an action of this modality is no event (None: it is one)."""
    if modality in UNREAL:
        return f"dropped: {modality}, not an event"
    return None


_REFUSAL = re.compile(
    r"\b(?:refus\w*|declin\w*|reject\w*|would\s+not|will\s+not|won[’']t|wouldn[’']t|"
    r"not\s+(?:be\s+)?(?:willing|ready|prepared)\s+to|unwilling\s+to)\b"
)
# a refused cooperative action is a rejection (CAMEO 12x), by what was refused
_REJECTION = {"04": "125", "06": "121", "07": "122", "03": "120", "05": "120", "08": "124"}
_REJECTION_BASE = {
    "031": "121",
    "033": "122",
    "035": "124",
    "036": "125",
    "081": "1241",
    "084": "1243",
    "085": "1244",
    "086": "1245",
    "087": "1246",
}
# refusing to give up one's own office ("refused to resign"): CAMEO's mirror of 0831
_REJECTION_CODE = {"0831": "1231"}


def rejection(code: str, window: str) -> str | None:
    """The rejection code of a refused cooperative action, or None.

    "would not provide support", "refused to lift the curfew", "declined to meet": CAMEO codes
    the refusal (12x) rather than nothing; a negated conflictual action ("did not attack") or a
    plain negation ("has not met") is no event at all.
    """
    if code[:2] not in _REJECTION or not _REFUSAL.search(window):
        return None
    return _REJECTION_CODE.get(code) or _REJECTION_BASE.get(code[:3]) or _REJECTION[code[:2]]


def dyad_veto(
    src: ActorLike, tgt: ActorLike | None, *, code: str, converted: bool, passive: bool = False
) -> str | None:
    """Why this source and target make no event (None: they do)."""
    if src.code.startswith("---") or (tgt is not None and tgt.code.startswith("---")):
        return "dropped: an actor without a country"
    if (
        src.inferred
        and not _sole_agent(src, tgt)
        and not _agents_of_one_country(src, tgt, converted=converted)
    ):
        return "dropped: the source's country is only inferred from another actor"
    if tgt is None:
        if code[:2] == PROTEST_ROOT and home(src) is not None and not src.coreferent:
            return None  # "workers in Mexico went on strike": CAMEO 14 is anyone's protest
        if not political(src) or (converted and not state_level(src)):
            return "dropped: a one-sided event needs a political source"
        if converted and src.coreferent:
            return "dropped: a converted pattern needs its actors named"
        return None
    if not (political(src) or political(tgt)):
        return "dropped: no political actor on either side"
    if converted:
        return _converted_dyad_veto(src, tgt, code)
    if domestic(src, tgt) and (not political(src) or src.coreferent or tgt.coreferent):
        return "dropped: a domestic dyad needs named actors and a political source"
    if domestic(src, tgt) and not political(tgt) and code[:2] not in DOMESTIC_PRIVATE_ROOTS:
        # "South Korea hosts manufacturers", "Trump shared his expertise with Boeing": inside
        # one country, a state and a private party make an event when the state coerces,
        # threatens, investigates or uses force (arrests, attacks) or yields (frees, eases),
        # not when it "cooperates"
        return "dropped: a domestic dyad with a private party needs a coercive code"
    if domestic(src, tgt) and tgt.inferred and _own_means(src, tgt, code, passive=passive):
        # "Pakistan fired artillery" made PAKMIL of the weapon: an agent noun whose only
        # country is the source's is the source's own means, unless it is the people or
        # rebels the source coerces or fights ("Ugandan soldiers clashed with rebels"), or the
        # state a rebel group fights
        return "dropped: the target's country is only the source's"
    return None


# roots in which a state acts on another country's people as CAMEO codes it: aid to them
# (07: "sent aid to help people in Chad"), yielding to them (08: "released two British
# nationals", "paid compensation to"), and coercion or force against them (17-20: "troops
# detained a Nepali man", "demolished the house of a Syrian farmer")
FOREIGN_PEOPLE_ROOTS = frozenset(("07", "08")) | FORCEFUL_ROOTS
REFUSED_AID = "122"  # ... and aid refused them, 07's mirror ("will not accept refugees")


def _foreign_people(src: ActorLike, tgt: ActorLike, code: str) -> bool:
    """A state-level source acting on the named private people of another country with aid,
    coercion or force: the people are the target (ISRMIL 173 LBNCVL), as PETRARCH codes
    them. Not inside one country (the domestic rules decide there), not a country the
    dictionaries only inferred for the people, and not cooperation or talk, whose converted
    readings of private objects were other senses ("supported girls going to school")."""
    return (
        (code[:2] in FOREIGN_PEOPLE_ROOTS or code[:3] == REFUSED_AID)
        and state_level(src)
        and not tgt.inferred
        and home(tgt) is not None
        and home(src) != home(tgt)
        and not political(tgt)
    )


def _foreign_protest(src: ActorLike, tgt: ActorLike, code: str) -> bool:
    """CAMEO 14 is anyone's protest: people of one country protesting against another
    state ("protesters burned the Croatian flag": SRBOPP 141 HRV)."""
    return (
        code[:2] == PROTEST_ROOT
        and not src.inferred
        and home(src) is not None
        and state_level(tgt)
        and home(src) != home(tgt)
    )


def _converted_dyad_veto(src: ActorLike, tgt: ActorLike, code: str) -> str | None:
    """The converted PETRARCH-2 layer, whose frames come from a shallow parse: two
    state-level actors of two countries, named in the sentence, or inside one country the
    state against a rebel, opposition or armed group (AFGREB 125 AFGGOV, "Taliban militants
    stormed an Afghan base"). Never two organs of one state ("withheld US military aid":
    USAGOV -> USAMIL is the state and its own means) and never a private target: on real
    pages "fired the civilian defense minister", "issued warnings to residents" and "passing
    a ban on televisions" were such readings."""
    if src.coreferent or tgt.coreferent:
        return "dropped: a converted pattern needs its actors named"
    if tgt.inferred and not (domestic(src, tgt) and state_vs_nonstate(src, tgt)):
        return "dropped: a converted pattern needs its actors named"
    dyad = (
        state_vs_nonstate(src, tgt)
        or _fights_in_its_country(src, tgt, code)
        or _foreign_people(src, tgt, code)
        or _foreign_protest(src, tgt, code)
    )
    if not (state_level(src) and state_level(tgt)) and not dyad:
        return "dropped: a converted pattern needs state-level actors"
    if domestic(src, tgt) and not dyad:
        return "dropped: a converted pattern needs two countries"
    return None


# roots whose converted bare verbs ("bombarded", "recognized", "condemned") take the target as
# their direct object in nearly every sense; for the others ("wants", "joined", "allowed",
# "thought") the direct object is another kind of thing, or the event is in an embedded clause
BARE_VERB_ROOTS = frozenset(("05", "11", "12", "16", "17", "18", "19", "20"))


# CAMEO 01, public statements: a comment needs no addressee (PETRARCH codes it without one)
STATEMENT_ROOT = "01"


# what may stand between a reporting verb's subject and the pronoun that opens its clause:
# "Chad says it", "the government has said it", "X announced on Wednesday that it",
# "militia groups said Thursday they"
_SAYS_OF_ITSELF = re.compile(
    r"\s*(?:,\s*)?(?:(?:has|have|had)\s+)?(?:also\s+)?"
    r"(?:say|says|said|announce|announces|announced|state|states|stated|declare|declares|"
    r"declared|confirm|confirms|confirmed|insist|insists|insisted|add|adds|added|vow|vows|"
    r"vowed|pledge|pledges|pledged|warn|warns|warned)"
    r"(?:\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
    r"yesterday))?(?:\s*,)?(?:\s+that)?\s+$"
)


def says_of_itself(norm: str, antecedent_end: int, pronoun_start: int) -> bool:
    """Whether a pronoun opens the clause of a reporting verb whose subject ends at
    *antecedent_end*: "Chad says it will not accept refugees". The pronoun is then
    that subject, as sure as a name (what one says one will do is one's own act), so the
    rules that want actors named take it as named."""
    return _SAYS_OF_ITSELF.fullmatch(norm, antecedent_end, pronoun_start) is not None


def converted_veto(code: str, *, phrase: bool, targeted: bool, framed: bool) -> str | None:
    """Why a converted PETRARCH-2 match is no event: one-sided but no statement phrase, or a
    bare verb of a weak root outside a sound subject-verb-object frame.

    PETRARCH-2 took each verb's subject, object and sense from its parser. The converted
    one-sided bare verbs are mostly statements ("worried", "acknowledged", "involved") in
    another sense; a statement phrase ("expressed concern", "claimed victory", "offered his
    condolences") names its own sense, and a comment is an event without an addressee, so a
    one-sided phrase of CAMEO 01 stays (its source must still be a named state-level actor,
    ``dyad_veto``). One-sided phrases of other roots stay dropped: on tune pages the protest
    and force-posture ones ("set himself on fire") missed the target the sentence names.
    Bare cooperation verbs ("wants", "joined", "allowed") mostly frame another clause;
    a phrase pattern ("imposed sanctions on") carries its own evidence, and so does a bare
    verb whose subject and direct object the parse confirms (*framed*: the subject's noun
    phrase heads the verb phrase, the target is its object and no clause of its own).
    """
    if not targeted:
        if phrase and code[:2] == STATEMENT_ROOT:
            return None  # "expressed concern", "claimed victory": the phrase is the statement
        return "dropped: a converted pattern without a target"
    if not phrase and not framed and code[:2] not in BARE_VERB_ROOTS:
        return "dropped: a converted bare verb of a code whose object is rarely its target"
    return None


# a share of a population ("most Americans", "44 percent of Britons", "a majority of
# Iranians"): what they say or want is an opinion poll, not an act of their state
_SHARE_OF = re.compile(
    r"\b(?:most|many|some|few|all|half|majority|minority|plurality|third|thirds|quarter|"
    r"quarters|fifth|fifths|number|percent|per\s+cent|\d+\s*%)\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+)?$"
)

_PLURAL_WORD = re.compile(r"[a-z]+s")
_SAY = re.compile(r"(?:say|says|said|saying)")
_GAP_WORD = re.compile(r"\S+")
_SUBJECT_PRONOUNS = frozenset(("he", "she", "they", "we", "i", "it"))


def say_complement(norm: str, start: int, head_end: int, end: int) -> bool:
    """Whether a converted "<say> ... noun" match runs into the clause "say" introduces.

    "Say" takes no noun phrase as its object (one says words, not "Putin's threat"): what
    follows it without "that" is the subject of a clause of its own ("says Putin's threat
    cannot stand", "said the threats were ..."), so the pattern's noun is not what was said.
    A lone subject pronoun is the one gap that keeps the pattern: its verb is the pattern's
    word ("said he hopes", "said it regrets").
    """
    if not _SAY.fullmatch(norm, start, head_end):
        return False
    words = _GAP_WORD.findall(norm, head_end, end)[:-1]
    return bool(words) and not (len(words) == 1 and words[0] in _SUBJECT_PRONOUNS)


def public_opinion(
    norm: str, sentence_start: int, source: ActorLike, span: tuple[int, int]
) -> bool:
    """Whether the source (at *span* of *norm*) is a share of a country's people, the
    subject of a poll.

    CAMEO codes acts of states, organisations and named people; "most Americans want
    Congress to investigate" reports survey answers. Only a plural demonym with no role of its
    own ("Americans", "Britons") after a quantifier counts: "most lawmakers" is still the
    legislature, and "in the second half of 2023 Iran ..." names the state itself.
    """
    start, end = span
    if source.role is not None or not _PLURAL_WORD.fullmatch(norm, start, end):
        return False
    return _SHARE_OF.search(norm, max(sentence_start, start - 40), start) is not None


def clutter(sentence: str) -> bool:
    """Whether a "sentence" is page furniture: link lists, menus, teasers, headline runs.

    Asked of every sentence, so the two searches go behind what their matches need: a
    separator character for ``_CLUTTER``, and for ``_TERMINAL`` (``ends_terminal``) the
    text's end read by ``rstrip``.
    """
    if (
        ("|" in sentence or "•" in sentence or "»" in sentence) and _CLUTTER.search(sentence)
    ) or _TEASER.match(sentence):
        return True
    return not ends_terminal(sentence) and len(sentence.split()) > LONG_UNPUNCTUATED


_CLOSERS = "\"”’')]"  # the closing characters ``_TERMINAL`` allows after the punctuation


def ends_terminal(sentence: str) -> bool:
    """Whether ``_TERMINAL.search(sentence)`` matches: whitespace (``str.isspace`` is
    ``\\s``) stripped from the end, then closing quotes and brackets, what is left ends in
    terminal punctuation (the search tries the expression at every character)."""
    return sentence.rstrip().rstrip(_CLOSERS).endswith((".", "!", "?", "…"))
