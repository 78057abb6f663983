"""The specific CAMEO code of a trigger once the rest of its sentence is read.

Two causes made the root right and the full code wrong (tune half of the reference data):

* **a generic curated verb over a specific converted phrase**: the curated layer is tried
  first and wins, and its bare verbs carry their root's default ("<call> for" 020, "<reject>"
  120, "<lift> ... curfew" 081); the PETRARCH-2 entry of the same verb often names the
  sub-code by the words after it ("CALL (FOR WITHDRAWAL)" 025, "LIFT ... CURFEW" 0813,
  "ASK ... (FOR) MILITARY AID" 0232). So a converted phrase pattern starting on the same
  verb, covering at least the curated match, refines the curated code when its code is a
  sub-code of it (023 -> 0232, 081 -> 0813), or, for an appeal or a demand left at its
  default (020, 100), any code of the root: CAMEO names those sub-codes by what is asked
  for, the object noun these phrases read ("DEMAND ... CEASEFIRE" 1056, "CALL (FOR
  RESIGNATION)" 0241). Not for other defaults: on the tune half "<reject>" 120 ->
  "REJECT ... CHANGES" 123 turned the CAMEO manual's own 120 example wrong, and a rejection's
  sub-code is what was asked of the rejecter, which the phrase does not say. Which sentences
  get events, with which dyad, is unchanged.
* **an appeal, intent, demand or threat whose action is coded apart**: CAMEO's 02x and 10x
  sub-codes mirror the cooperative action asked for (0241/1041 change of leadership, 0253/1053
  release, 0256/1056 de-escalation, 026/106 meeting ...), and 03x and 13x are the action
  announced, as ``verbs.yaml``'s ``future_codes`` code "will <act>" (0354 lift sanctions,
  1312 sanctions, 1324 martial law, 1384 a conventional attack). When such a trigger has its
  root's default code and the action it asks for is another trigger of the sentence in its
  complement ("called on X to <act>", "demanded that X <act>", "threatened to <act>", "is
  willing to <act>", "X must <act>"), the default becomes the family's code of that action.
  An action of no mapped kind leaves the default (CAMEO's "0X0" when no sub-code is named).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Sequence
from typing import Protocol

from pipeline.stages.events.entries import Pattern

# what an appeal (02) or a demand (10) asks for, by the code of the action asked: the digits
# after the root ("02" + "53" = 0253 appeal for release, "10" + "53" = 1053 demand release);
# the longest prefix of the action's code decides
_ASKED: dict[str, str] = {
    "06": "1",  # material cooperation
    "061": "11",
    "062": "12",
    "063": "13",
    "064": "14",
    "05": "2",  # diplomatic cooperation
    "07": "3",  # aid
    "071": "31",
    "072": "32",
    "073": "33",
    "074": "34",
    "083": "4",  # political reform
    "0831": "41",
    "0832": "42",
    "0833": "43",
    "0834": "44",
    "08": "5",  # yield
    "081": "51",
    "082": "52",
    "084": "53",
    "085": "54",
    "086": "55",
    "087": "56",
    "04": "6",  # meet or negotiate
    "045": "8",  # mediation
}

_FAMILIES = frozenset(("02", "03", "10", "13"))
# roots whose sub-codes name what is asked for: a phrase's object noun decides them
_BY_OBJECT = frozenset(("02", "10"))
# the asking verbs themselves: not the action asked for ("urged ... to demand")
_ASKING = frozenset(("02", "10", "13"))

# the complement that holds the asked action, between the asking trigger and the action:
# "to", an addressee and "to" ("called on Israel to"), or a "that" clause's subject with
# an optional modal ("demanded that Hamas", "said that Sudan must"); no clause punctuation
_COMPLEMENT = re.compile(
    r"\s+(?:(?:[^\s,;:.]+\s+){0,6}?to\s+(?:\w+ly\s+)?"
    r"|that\s+(?:[^\s,;:.]+\s+){1,6}?(?:must\s+|should\s+|will\s+|would\s+)?(?:\w+ly\s+)?)"
)

_OPENED = re.compile(r"\b(?:to|that)$")
_ADVERB = re.compile(r"\s+(?:\w+ly\s+)?")


# aid named humanitarian right after the giving verb's phrase ("provided $3 million in
# humanitarian funding", "sent tonnes of humanitarian supplies"), or inside it: CAMEO's
# humanitarian aid (073), not the economic aid (071) or the generic aid (070) the verb gives
_HUMANITARIAN = re.compile(
    r"(?:\s+(?:in|of|as|for|worth\s+of))?\s+(?:(?:urgent|emergency|additional|new|more|vital)\s+)*"
    r"humanitarian\s+(?:aid|assistance|funding|funds|relief|supplies|help|support)\b"
)
_HUMANITARIAN_IN = re.compile(
    r"\bhumanitarian\s+(?:aid|assistance|funding|funds|relief|supplies)\b"
)
_AID_CODES = {"070": "073", "071": "073", "033": "0333", "0331": "0333"}


def humanitarian(code: str, norm: str, start: int, end: int) -> str | None:
    """073 (0333 for an intent) for a generic or economic aid trigger whose phrase, or the
    words right after it, name the aid humanitarian; None otherwise. Aid named of two kinds
    ("military and humanitarian aid") is left as it is."""
    aid = _AID_CODES.get(code)
    if aid is None:
        return None
    inside = _HUMANITARIAN_IN.search(norm, start, end)
    if inside is not None and not re.search(
        r"\band\s+$", norm[max(start, inside.start() - 5) : inside.start()]
    ):
        return aid
    return aid if _HUMANITARIAN.match(norm, end) else None


class Span(Protocol):
    """A trigger as the coder keeps it (``triggers._Trigger``)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def head_end(self) -> int: ...
    @property
    def pattern(self) -> Pattern: ...


def _default(code: str) -> bool:
    """A root's default code ("020", "100", "130"): CAMEO's code when no sub-code is named."""
    return len(code) == 3 and code.endswith("0")


def refines(code: str, other: Pattern) -> bool:
    """Whether a converted pattern's code can name *code* more specifically (``by_phrase``'s
    test on the pattern alone): a sub-code of it, or, for an appeal's or a demand's default,
    any code of its root; weak and swapped patterns never refine."""
    return (
        not other.weak
        and not other.swap
        and other.code != code
        and (
            other.code.startswith(code)
            or (_default(code) and code[:2] in _BY_OBJECT and other.code[:2] == code[:2])
        )
    )


def asks_for_action(code: str) -> bool:
    """Whether ``by_asked_action`` can refine *code* at all (its root's default, of a family
    that asks for or announces an action): else it answers None without reading triggers."""
    return code[:2] in _FAMILIES and _default(code)


def by_phrase(trig: Span, converted: Sequence[Span], text: str) -> Span | None:
    """The converted phrase pattern that names *trig*'s code more specifically, if any.

    It starts on the same verb, is a phrase (words after the verb that are not only
    function words) covering at least *trig*'s match, and its code is a sub-code of
    *trig*'s, or of *trig*'s root when that is an appeal's or a demand's default (020,
    100). Its last word, the object noun, must not be capitalised in *text*: "requested an
    urgent Security Council meeting" names a council, not security (0234). Of several, the
    longest match (the most words read) wins.
    """
    code = trig.pattern.code
    best: Span | None = None
    for c in converted:
        if (
            c.start != trig.start
            or c.end < trig.end
            or c.end <= c.head_end
            or not refines(code, c.pattern)
        ):
            continue
        if text[c.start : c.end].rsplit(maxsplit=1)[-1][:1].isupper():
            continue  # the object noun is part of a name
        if best is None or c.end > best.end:
            best = c
    return best


def asked_code(
    code: str, action: str, known: Container[str], future: Callable[[str], str]
) -> str | None:
    """The code of an appeal/intent/demand/threat default *code* asking for an *action*.

    An intent (03) or a threat (13) is the action announced: its code is the action's
    ``future_codes`` entry (*future*: "will impose sanctions" and "threatened to impose
    sanctions" are both 1312), when that is of the same root. An appeal or a demand takes
    the digits of ``_ASKED``, or of the intent's own sub-code when what is asked is itself
    an intent ("demanded that Russia agree to a ceasefire": 0356 -> 1056).
    """
    root = code[:2]
    refined: str | None = None
    if root in ("03", "13"):
        refined = future(action)
        if refined[:2] != root:
            return None
    elif root in _BY_OBJECT:
        if action[:2] == "03":
            refined = root + action[2:]
        else:
            digits = next(
                (_ASKED[p] for p in (action[:4], action[:3], action[:2]) if p in _ASKED), None
            )
            refined = root + digits if digits is not None else None
    return refined if refined is not None and refined in known and refined != code else None


def by_asked_action(
    trig: Span,
    norm: str,
    others: Sequence[Span],
    known: Container[str],
    future: Callable[[str], str],
) -> tuple[str, Span] | None:
    """(code, action): the family code of the action an appeal/intent/demand/threat asks
    for ("agreed to <act>", "called on X to <act>", "threatened to <act>").

    Only for a trigger with its root's default code. The action is the first other trigger
    that starts inside *trig*'s own words after its head ("must return": the pattern names
    the verb) or right after a complement that introduces it (``_COMPLEMENT``): a curated
    pattern, or a converted phrase (a converted bare verb is skipped, its sense unknown).
    """
    code = trig.pattern.code
    if not asks_for_action(code):
        return None
    for other in sorted(others, key=lambda t: t.start):
        asked = other.pattern.code[:2]
        if other is trig or other.start < trig.head_end or asked in _ASKING:
            continue
        if asked == "03" and code[:2] not in _BY_OBJECT:
            continue  # "threatened to agree", "agreed to pledge": no code of its own
        if other.pattern.tier and (other.end <= other.head_end or other.pattern.weak):
            # a converted bare verb is no evidence of its sense (the gate emits none outside
            # a sound frame): "call for Biden to withdraw from the race" is no appeal for a
            # military retreat (RETREAT's bare "withdraw", 0874)
            continue
        inside = other.start < trig.end
        if not inside:
            # "is willing to <act>", "agreed that": the trigger's own words open the
            # complement, only an adverb may stand before the action
            gap = _COMPLEMENT.fullmatch(norm, trig.end, other.start)
            if gap is None and _OPENED.search(norm, trig.start, trig.end) is not None:
                gap = _ADVERB.fullmatch(norm, trig.end, other.start)
            if gap is None:
                if other.start > trig.end:
                    break  # the first trigger after it is not its complement
                continue
        refined = asked_code(code, other.pattern.code, known, future)
        return (refined, other) if refined is not None else None
    return None
