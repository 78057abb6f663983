"""Clause structure for precision (round 7): relative-clause subjects, reduced passives and
clauses that assert nothing.

Each rule is stated in terms of the sentence's clause structure, not of particular words of an
article:

* **Relative clauses.** In "X, which considers Y hostile and has rejected Z, called for ..."
  the subject of "rejected" (inside the clause, whose relative pronoun is its subject) and of
  "called" (right after the clause closes) is the antecedent X, never an actor inside the
  clause. When the antecedent is no actor ("the deal, which angered Russia", "the attacks on
  Israel, which killed ...": the head noun, not the PP's object) the subject is not an actor
  and nothing is coded for it. An object relative ("the deal, which Uganda rejected") leaves
  the subject to the ordinary search.
* **Reduced passives.** "Ukraine, attacked by Russia in 2022, asked ..." is a passive without
  "be": a past participle right after a comma with a "by" agent.
* **Unasserted clauses.** A clause opened by "whether" (an indirect question: "Whether A will
  agree to ... remains unclear") and a yes/no question ("Will A attack B?") assert no event.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from pipeline.stages.events.syntax import Token


class _Span(Protocol):
    start: int
    end: int


G = TypeVar("G", bound=_Span)

# ", which" / " - who" / "—which": a relative clause on the noun phrase before it
_REL_OPEN = re.compile(r"(?:,|\s?[-–—]{1,2})\s*(?P<pron>who|which)\s+")

# a restrictive subject relative right before its verb, with no comma ("the attack on a church
# in Quetta which killed nine people", "the militants who have shelled"): the pronoun and
# the verb group's auxiliaries and adverbs

# what closes a relative clause opened by a comma or a dash
_REL_CLOSE = re.compile(r",|\s[-–—]{1,2}\s|[-–—]{2}|—|;|\(|\)")

# the verb group of the relative pronoun itself: auxiliaries and adverbs only
_AUX = (
    r"(?:(?:has|have|had|is|are|was|were|been|will|would|can|could|may|might|must|should|"
    r"shall|does|did|do|also|then|now|still|already|later|repeatedly|recently|just|not|"
    r"never|long|since|\w+ly)\s+)*"
)
_DIRECT = re.compile(rf"\s*{_AUX}$")
_REL_RESTRICTIVE = re.compile(rf"(?<=[^\s,;:–—-])\s+(?P<pron>who|which)\s+{_AUX}$")

# a coordinated predicate of the same subject: "... and has rejected", "..., and then sent"
_COORDINATED = re.compile(rf"(?:,\s*)?\b(?:and|but|or)\s+{_AUX}$")

# right after the relative clause closes: adverbs and auxiliaries before the main verb
_AFTER_CLOSE = re.compile(rf"^\s*(?:,\s*)?{_AUX}$")

# "whether A will ...": an indirect question
_WHETHER = re.compile(r"\bwhether\b")

_PUNCT = re.compile(r"[,;:]")

# a past participle right after a comma (or a dash): "Ukraine, attacked by Russia, ..."
_COMMA_BEFORE = re.compile(r"(?:,|\s[-–—])\s*(?:\w+ly\s+)?$")

_BY_AGENT_GAP = re.compile(r"^\s*(?:[^\s.,;]+\s+){0,4}?by\s+(?:the\s+)?$")

# a yes/no question: an auxiliary or modal opens the sentence, a question mark ends it
_YES_NO = re.compile(
    r"^\W*(?:will|would|can|could|should|shall|may|might|must|is|are|was|were|does|do|did|"
    r"has|have|had)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Relative:
    """A subject relative clause the trigger is in (or right after): where it opens, and
    where the noun phrase before it (its antecedent) ends."""

    opener: int  # the comma or dash before the relative pronoun
    inside: bool  # the trigger is inside the clause (else right after its close)


def relative_subject(
    norm: str, sent_start: int, trig_start: int, tag_at: Callable[[int], str]
) -> Relative | None:
    """The subject relative clause whose subject the trigger at *trig_start* shares, or None.

    *tag_at* gives the part-of-speech tag of the word at an offset ("" when unknown): the
    relative pronoun is the clause's subject when a verb, a modal or an adverb follows it.
    """
    last: re.Match[str] | None = None
    before = norm[sent_start:trig_start]
    if "who" not in before and "which" not in before:
        return None  # (every opener holds its pronoun: most sentences have neither)
    restrictive = _REL_RESTRICTIVE.search(norm, max(sent_start, trig_start - 80), trig_start)
    if restrictive is not None and tag_at(restrictive.end("pron") + 1).startswith(
        ("VB", "MD", "RB")
    ):
        # the trigger is the verb of a relative pronoun with no comma before it: its subject
        # is the noun right before the pronoun, never the main clause's
        return Relative(restrictive.start(), inside=True)
    for m in _REL_OPEN.finditer(norm, sent_start, trig_start):
        last = m
    if last is None:
        return None
    between = norm[last.end() : trig_start]
    close = _REL_CLOSE.search(between)
    if close is None:
        if not tag_at(last.end()).startswith(("VB", "MD", "RB")):
            return None  # "the deal, which Uganda rejected": the ordinary search decides
        # the trigger is the relative pronoun's own verb, or coordinated with it
        if _DIRECT.fullmatch(between) or _COORDINATED.search(between):
            return Relative(last.start(), inside=True)
        return None
    # the clause closed before the trigger: the trigger is the main clause's verb when only
    # auxiliaries and adverbs stand between the close and it
    rest = between[close.end() :]
    if _AFTER_CLOSE.match(rest) and _REL_CLOSE.search(rest) is None:
        return Relative(last.start(), inside=False)
    return None


def reduced_passive(
    norm: str, sent_start: int, trig_start: int, head_end: int, agent_gap: str | None
) -> bool:
    """A passive without "be": a participle after a comma with a "by" agent ("Ukraine,
    attacked by Russia, asked"), or a verb whose object must come before its "of"/"with"
    complement directly followed by it ("a man accused of threatening the FBI", "Kenyan
    officer charged with bribery": the one accused, not the accuser).

    *agent_gap* is the text between the trigger's end and the first actor after it (None
    without one)."""
    head = norm[trig_start:head_end]
    if not head.endswith(("ed", "en", "wn", "ne", "ht", "ck")):
        return False
    if _OBJECT_FIRST.fullmatch(head) and _OF_WITH.match(norm, head_end):
        return not _HAVE_BEFORE.search(norm, max(sent_start, trig_start - 30), trig_start)
    return (
        agent_gap is not None
        and bool(_COMMA_BEFORE.search(norm, sent_start, trig_start))
        and bool(_BY_AGENT_GAP.match(agent_gap))
    )


# verbs whose object comes before their "of"/"with" complement: "accused Iran of", "charged
# the envoy with"; directly followed by "of"/"with" they are passive participles
_OBJECT_FIRST = re.compile(r"(?:accus|convict|suspect|charg|indict|strip|clear)ed")
_OF_WITH = re.compile(r"\s+(?:of|with)\b")
_HAVE_BEFORE = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+)?$")


def unasserted(norm: str, sent_start: int, sent_end: int, source_start: int) -> str | None:
    """Why the clause of a subject starting at *source_start* asserts nothing, or None.

    "Whether" before the subject in the same sentence opens an indirect question; a sentence
    that opens with an auxiliary and ends with a question mark is a yes/no question.
    """
    lo = max(sent_start, source_start - 40)
    whether = _WHETHER.search(norm, lo, source_start)
    if whether is not None and not _PUNCT.search(norm, whether.end(), source_start):
        return "dropped: in a whether-clause (an open question, not an event)"
    text = norm[sent_start:sent_end].rstrip()
    if text.endswith("?") and _YES_NO.match(text):
        return "dropped: a yes/no question, not an event"
    return None


# the deepest prepositional chain a target may sit in after its verb: "condemned the attack
# on Israel" (1), "expressed concern over the attack on Israel" (2); past that the actor
# modifies a noun of the object ("charged Assange with espionage over files about the wars in
# Iraq": the wars are in Iraq, the charge is not against it)
MAX_PP_DEPTH = 3


def pp_depth(tokens: Sequence[Token], start: int, end: int) -> int:
    """How many prepositions (IN or TO before a non-verb) stand between *start* and *end*
    among the sentence's *tokens*."""
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.start < start:
            continue
        if tok.start >= end:
            break
        tag = tok.tag
        if tag not in ("IN", "TO") or tok.word.lower() in _NOT_PREPOSITIONS:
            continue
        nxt = tokens[i + 1].tag if i + 1 < len(tokens) else ""
        if tag == "TO" and nxt.startswith("VB"):
            continue  # an infinitive's "to"
        if nxt == "CD" or (i + 1 < len(tokens) and tokens[i + 1].word == "$"):
            continue  # "about $162 billion", "over 300": a quantity, not a preposition
        depth += 1
    return depth


# "of" belongs to the noun before it ("the family of", "parts of the city of"): no new level
_NOT_PREPOSITIONS = frozenset(("of", "that", "whether", "if", "because", "while", "as", "than"))


def pp_object(norm: str, preposition_before: re.Pattern[str], start: int) -> bool:
    """Whether the actor at *start* is a preposition's object ("in Paris", "with Iran"): such
    an actor names a place or a partner, and is no antecedent for "it"."""
    return preposition_before.search(norm, max(0, start - 16), start) is not None


_CONTROL_PATTERN = re.compile(r"\.\.\.\s+to$")
_EMPTY_GAP = re.compile(r"\s+to")


def no_addressee(pattern_source: str, norm: str, head_end: int, end: int) -> bool:
    """An appeal pattern "<want> ... to" / "<ask> ... to" whose gap is empty: "want to speak
    to her" is the wanter's own aim, not an appeal to anyone (the addressee is the noun
    phrase between the verb and "to")."""
    return bool(_CONTROL_PATTERN.search(pattern_source)) and bool(
        _EMPTY_GAP.fullmatch(norm, head_end, end)
    )


# "... and is warning", "..., but later sent": a predicate with no subject of its own
_COORDINATED_PREDICATE = re.compile(rf"(?:,\s*)?\b(?:and|but)\s+{_AUX}$")


def coordinated_predicate(norm: str, sent_start: int, trig_start: int) -> int | None:
    """Where the "and"/"but" of a subjectless coordinated predicate before the trigger is
    ("The US has technology inside Ukraine and is warning Russia": the US warns), or None."""
    lo = max(sent_start, trig_start - 60)
    if norm.find("and", lo, trig_start) < 0 and norm.find("but", lo, trig_start) < 0:
        return None  # every match holds one of them (most windows neither)
    m = _COORDINATED_PREDICATE.search(norm, lo, trig_start)
    return m.start() if m is not None else None


def first_conjunct_subject(
    groups: Sequence[G], before: int, heads_verb: Callable[[G], bool]
) -> G | None:
    """The subject of the first conjunct: the nearest actor before *before* whose noun phrase
    heads a finite verb (*heads_verb*), or None (the ordinary search decides)."""
    for group in reversed(groups):
        if group.end <= before and heads_verb(group):
            return group
    return None


# a clause of its own opens here: the conjunct before "and" may be its predicate
_CLAUSE_OPENER = re.compile(
    r"\b(?:after|before|because|while|when|since|although|though|unless|until|whereas|if|"
    r"as|that|who|which|whom|whose|where|what|how|whether|why)\b|[“\"]"
)


def clause_opens(norm: str, start: int, end: int) -> bool:
    """Whether a subordinate, relative or complement clause opens between *start* and *end*
    ("after Palestinian gunmen shot and killed": the conjuncts are that clause's)."""
    return _CLAUSE_OPENER.search(norm, start, end) is not None


_NP_TAGS = ("DT", "JJ", "NN", "PRP", "CD", "POS")


def as_clause(
    tokens: Sequence[Token], heads_clause: Callable[[int], bool], start: int, end: int
) -> bool:
    """Whether a subordinate "as" clause ("as analysts reported that ...", "as Russia
    advanced") opens between *start* and *end*: "as", a noun phrase, and its own verb. An
    actor past it is that clause's, not the target ("as a mediator" is no clause)."""
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.start < start:
            continue
        if tok.start >= end:
            break
        if tok.word.lower() != "as" or tok.tag != "IN":
            continue
        j = i + 1
        while j < n and tokens[j].tag.startswith(_NP_TAGS):
            j += 1
        if j > i + 1 and heads_clause(tokens[j - 1].end):
            return True
    return False


# a noun phrase's "of"/"from" complement is part of it: "rebels of Yemen", "officials from Kansas"
_NP_COMPLEMENT = frozenset(("of", "from"))


@dataclass(frozen=True, slots=True)
class Subject:
    """A noun phrase that heads a finite verb: its span, whether it is plural (a plural
    head noun, or nouns joined by "and"), and the part of it that names its referent."""

    start: int
    end: int
    plural: bool
    head_start: int  # the noun phrase that names who it is ("the leaders" of "a group of
    head_end: int  # the leaders"; else the first one: "rebels" of "rebels of Yemen")


def subjects_before(
    tokens: Sequence[Token], heads_clause: Callable[[int], bool], before: int
) -> list[Subject]:
    """The noun phrases ending before *before* that head a verb of their own, nearest first.

    The chunker's NP runs, each widened over an "of"/"from" complement ("rebels of Yemen
    has claimed": the subject is plural by "rebels", not singular by "Yemen"), are kept when
    *heads_clause* says a verb follows the widened phrase. A pronoun antecedent must be such
    a subject, and the nearest subject of the right number decides who the pronoun is
    (also when it is no actor: "Israeli troops raided the camp and residents said they were
    beaten" - they are the residents, and nothing is coded for them).
    """
    spans: list[tuple[int, int]] = []  # token index ranges of the NP runs
    i, n = 0, len(tokens)
    while i < n and tokens[i].start < before:
        if tokens[i].kind != "NP":
            i += 1
            continue
        j = i + 1
        while j < n and tokens[j].chunk == "I-NP" and tokens[j].start < before:
            j += 1
        spans.append((i, j))
        i = j
    out: list[Subject] = []
    inner: set[int] = set()  # spans that are another one's "of" complement
    for k, (i, j) in enumerate(spans):
        if k in inner:
            continue
        end_i = j
        # widen over "of"/"from" and the next NP run: "Leaders of the Union of Teachers"
        m = k
        while (
            end_i < n
            and tokens[end_i].word.lower() in _NP_COMPLEMENT
            and m + 1 < len(spans)
            and spans[m + 1][0] == end_i + 1
        ):
            m += 1
            inner.add(m)
            end_i = spans[m][1]
        last = tokens[end_i - 1]
        if last.end > before or not (heads_clause(last.end) or _verb_past_adjunct(tokens, end_i)):
            continue
        # (a time word the chunker joined to the phrase is no head: "African states today")
        head = [
            t for t in tokens[i:j] if t.tag.startswith("NN") and t.word.lower() not in _TIME_WORDS
        ]
        if not head or tokens[i].tag == "PRP":
            continue  # a pronoun ("he said", "they said") is no antecedent of its own
        # nouns joined by "and" (not a phrase cut off at the pronoun: "Kharkiv and they")
        joined = any(
            tokens[t].tag == "CC" and tokens[t + 1].tag.startswith(_NP_TAGS[:3])
            for t in range(i, j - 1)
        )
        head_span = (tokens[i].start, tokens[j - 1].end)
        if head[-1].word.lower() in _PARTITIVE_HEADS and m > k:
            # "a group of Yoruba leaders announced": the leaders, and their number
            a, b = spans[k + 1]
            head = [t for t in tokens[a:b] if t.tag.startswith("NN")]
            if not head:
                continue
            head_span = (tokens[a].start, tokens[b - 1].end)
        plural = joined or head[-1].tag in ("NNS", "NNPS")
        out.append(Subject(tokens[i].start, last.end, plural, head_span[0], head_span[1]))
    out.reverse()
    return out


# a time adjunct between a subject and its verb: "the rebels on Friday rejected", "Iraqi
# officials said Thursday", "African states today announced"
_TIME_WORDS = frozenset(
    (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "today", "yesterday", "tonight", "earlier", "later", "again", "also", "on", "last",
        "this", "week", "month", "year", "morning", "evening", "night",
    )
)  # fmt: skip
# a noun that counts or collects its "of" complement, which gives the phrase its number
_PARTITIVE_HEADS = frozenset(
    (
        "group", "number", "delegation", "team", "unit", "contingent", "faction", "majority",
        "third", "half", "band", "batch", "patch", "handful", "dozen", "couple",
    )
)  # fmt: skip
_FINITE = frozenset(("MD", "VBD", "VBZ", "VBP", "VBN"))


def _verb_past_adjunct(tokens: Sequence[Token], i: int) -> bool:
    """Whether a finite verb follows token *i* past at most four words of a time adjunct
    or adverbs ("on Friday again rejected"); no adjunct at all is ``heads_clause``'s case."""
    for tok in tokens[i : i + 5]:
        if tok.tag in _FINITE:
            return tok is not tokens[i]
        if tok.word.lower() not in _TIME_WORDS and not tok.tag.startswith("RB"):
            return False
    return False


def verb_after(tokens: Sequence[Token], end: int) -> str:
    """The tag of the first verb or modal after *end* ("" when none): "VBZ" marks a
    singular subject ("Hamas says", "FARC has")."""
    for tok in tokens:
        if tok.start >= end and (tok.verb or tok.tag == "MD"):
            return tok.tag
    return ""
