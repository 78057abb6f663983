"""Action pattern syntax: a pattern string to a (lazily compiled) regular expression.

``<lemma>`` is a verb in any inflection (regular rules plus the irregular forms of
``cues.yaml``), ``a|b`` alternatives, ``a_b`` a multi-word alternative, a trailing ``?`` an
optional last letter, ``...`` a gap of up to five words (a short gap, which stays in one
phrase, for the converted layer). The expressions are built on first use: most of the 5,300
converted patterns never match a given corpus, and compiling them all costs seconds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# distinct restricted expressions a converted pattern compiles before its full one (a
# pattern met with that many different sets of words is common enough to build in full)
RESTRICTED_MAX = 8
# matches tried with some alternative of each word present before the full expression: a
# restricted try costs a few microseconds more than a full one, a full compilation a
# millisecond or two, so a pattern pays for it once it has been tried a few hundred times
HOT_USES = 256


class DictionaryError(ValueError):
    """A dictionary file is malformed; the message names the file and the entry."""


def inflections(lemma: str, irregular: dict[str, list[str]]) -> list[str]:
    """The forms of a verb: base, third person, past (participle) and gerund."""
    if lemma in irregular:
        return [lemma, *irregular[lemma]]
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "x", "z", "ch", "sh")):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    if _DOUBLING.search(lemma) and len(_VOWEL_GROUPS.findall(lemma)) == 1:
        # one syllable ending consonant-vowel-consonant: snub -> snubbed, ban -> banned
        return [lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


_DOUBLING = re.compile(r"[^aeiou][aeiou][^aeiouwxy]$")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
GAP_TOKEN = "..."  # noqa: S105 - the gap token of the pattern syntax, not a secret
_GAP = r"(?:[^\s;:!?]+\s+){0,5}?"  # sentences are split already: dots are abbreviations
# the converted dictionary's gaps stay inside one phrase: no commas, no new clause
# (PETRARCH-2 read "<say> ... threats" off a parse: the noun is the verb's own object). A
# subject pronoun opens a clause of its own ("said he received death threats": the threats
# are the object of "received", not of "said"), so one may only end the gap, right before
# a pattern word that is that clause's verb ("said he hopes", "said they regret").
_SUBJECT_PRONOUN = r"(?:he|she|they|we|i)\s"
_SHORT_GAP = (
    r"(?:(?!(?:that|who|which|and|but|while|after|before|when)\s|" + _SUBJECT_PRONOUN + r")"
    r"[^\s;:!?,]+\s+){0,3}?(?:" + _SUBJECT_PRONOUN + r"\s*)?"
)


def _alt_regex(alt: str, irregular: dict[str, list[str]]) -> tuple[str, list[str]]:
    """One alternative of a token: a ``<lemma>`` or literal words (``_`` joins words)."""
    if alt.startswith("<") and alt.endswith(">"):
        forms = inflections(alt[1:-1], irregular)
        return "(?:" + "|".join(re.escape(f) for f in forms) + ")", forms
    words = alt.split("_")
    parts = [re.escape(w).replace(r"\?", "?") for w in words]
    anchor = words[0].rstrip("?")
    anchors = [anchor, anchor[:-1]] if words[0].endswith("?") else [anchor]
    return r"\s+".join(parts), anchors


class LazyRegex:
    """A pattern's regular expression, built and compiled on its first use.

    The converted PETRARCH-2 layer has thousands of patterns with long synonym alternations;
    most never meet their anchor word in a given run, so building them all up front would
    cost seconds per process for nothing. Curated patterns are built at load time, so a bad
    curated file still fails loudly there.
    """

    __slots__ = (
        "_by_head",
        "_by_kept",
        "_compiled",
        "_head_len",
        "_heads",
        "_irregular",
        "_later",
        "_lazy",
        "_required",
        "_uses",
        "source",
    )

    def __init__(self, source: str, irregular: dict[str, list[str]], *, lazy: bool) -> None:
        self.source = source
        self._irregular = irregular
        self._lazy = lazy
        self._compiled: re.Pattern[str] | None = None
        self._required: tuple[tuple[str, ...], ...] | None = None
        self._later: tuple[tuple[tuple[str, tuple[str, ...] | None], ...], ...] | None = None
        self._uses = 0
        self._reset_heads()

    def _reset_heads(self) -> None:
        # a converted pattern whose first token lists multi-word verbs ("fight_back|...|
        # <attack>|<strike>") is compiled per set of first alternatives that can start
        # where it is tried: a small expression each instead of the whole alternation
        self._heads: tuple[tuple[str, tuple[str, ...]], ...] | None = None
        self._head_len = -1 if self._lazy and "_" in self.source.split(maxsplit=1)[0] else 0
        self._by_head: dict[str, tuple[str, ...]] = {}
        # the restricted expressions compiled so far, by the alternatives they keep
        self._by_kept: dict[tuple[tuple[str, ...] | None, tuple[tuple[str, ...], ...]], Any] = {}

    def __getstate__(self) -> tuple[str, dict[str, list[str]], bool]:
        # a pickled lexicon (the cache) carries the source, not the compiled expression:
        # unpickling an ``re.Pattern`` recompiles it, which is what the cache avoids
        return self.source, self._irregular, self._lazy

    def __setstate__(self, state: tuple[str, dict[str, list[str]], bool]) -> None:
        self.source, self._irregular, self._lazy = state
        self._compiled = None
        self._required = None
        self._later = None
        self._uses = 0
        self._reset_heads()

    def compiled(self) -> re.Pattern[str]:
        """The compiled expression (built now if it was not yet)."""
        if self._compiled is None:
            self._compiled = re.compile(_pattern_regex(self.source, self._irregular, self._lazy))
        return self._compiled

    def match(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        """``re.Pattern.match`` of the pattern's expression.

        A converted pattern's synonym alternations make its full expression long (thousands
        of characters: a millisecond or more to compile), and most candidate patterns fail
        on a word after the verb. So until the full expression is built, a match is tried
        with an expression restricted to the alternatives that can match in
        ``text[pos:endpos]`` (each needs one of its strings there, see
        ``later_alternatives``): none left for a word, no match; else a small expression,
        compiled once per set of alternatives kept. Dropping alternatives that cannot match
        anywhere in the text leaves the regex engine's answer unchanged (it tries the others
        in the same order), so the result is the full expression's. A pattern met with many
        different sets (``RESTRICTED_MAX``) or tried often (``HOT_USES``) gets its full
        expression, as before: then a match is one call into the regex engine.
        """
        compiled = self._compiled
        if compiled is None:
            return self._match_restricted(text, pos, endpos)
        return compiled.match(text, pos, endpos)

    def _match_restricted(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        # the quick test first, ``possible`` inlined (one call fewer for each of the ~10,000
        # candidate patterns a round of the dense documents tries): most candidates fail on
        # a later word
        required = self._required
        if required is None:
            required = self._required = rarest_first(required_words(self.source, self._irregular))
        span = text[pos:endpos]
        for needed in required:
            for alternative in needed:
                if alternative in span:
                    break
            else:
                return None
        later = self._later
        if later is None:
            later = self._later = later_alternatives(self.source, self._irregular)
        contains = span.__contains__
        kept_later = []
        for alternatives in later:
            kept = tuple(
                [alt for alt, needs in alternatives if needs is None or any(map(contains, needs))]
            )
            if not kept:
                return None  # no alternative of this word occurs: no match
            kept_later.append(kept)
        first = self._first_kept(text, pos) if self._head_len else None
        if first == ():
            return None  # no multi-word verb of the first token starts here
        self._uses += 1
        key = (first, tuple(kept_later))
        regex = self._by_kept.get(key)
        if regex is None or self._uses > HOT_USES:
            if len(self._by_kept) >= RESTRICTED_MAX or self._uses > HOT_USES:
                # met in many shapes, or often: the full expression (cheaper per match
                # than working out which alternatives to keep)
                self._by_kept.clear()
                self._by_head.clear()
                return self.compiled().match(text, pos, endpos)
            source = _pattern_regex(
                self.source, self._irregular, self._lazy, first=first, later=kept_later
            )
            regex = self._by_kept[key] = re.compile(source)
        return regex.match(text, pos, endpos)

    def _first_kept(self, text: str, pos: int) -> tuple[str, ...]:
        """The first-token alternatives (multi-word verbs and ``<lemma>``s) whose first word
        can start at *pos*, in their order (so the same alternative wins)."""
        heads = self._heads
        if heads is None:
            heads = self._heads = _heads(self.source.split(maxsplit=1)[0], self._irregular)
            self._head_len = max((len(p) for _, ps in heads for p in ps), default=0) or 1
        # which alternatives can start at pos depends on the next few characters only
        key = text[pos : pos + self._head_len]
        kept = self._by_head.get(key)
        if kept is None:
            kept = tuple(
                alt for alt, prefixes in heads if any(text.startswith(p, pos) for p in prefixes)
            )
            if len(self._by_head) > 512:  # bounded: the texts seen at this anchor vary
                self._by_head.clear()
            self._by_head[key] = kept
        return kept

    def possible(self, text: str, pos: int, endpos: int) -> bool:
        """Whether ``text[pos:endpos]`` holds, for every word after the first, one of its
        alternatives (False: the expression cannot match there)."""
        required = self._required
        if required is None:
            required = self._required = rarest_first(required_words(self.source, self._irregular))
        if not required:
            return True
        # (``all(any(...))`` spelled as loops: asked for every candidate pattern of every
        # anchor, it is cheaper without the generator's frame)
        span = text[pos:endpos]
        for alternatives in required:
            for alternative in alternatives:
                if alternative in span:
                    break
            else:
                return False
        return True


def _heads(token: str, irregular: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each alternative of a first token with the strings one of which starts any match of it
    (an empty string: it could start anywhere)."""
    out = []
    for alt in token.split("|"):
        if not alt:
            continue
        if alt.startswith("<") and alt.endswith(">"):
            out.append((alt, tuple(inflections(alt[1:-1], irregular))))
            continue
        first = alt.split("_")[0]
        if "?" in first:
            first = first[: max(0, first.index("?") - 1)]
        out.append((alt, (first,)))
    return tuple(out)


def _pattern_regex(
    text: str,
    irregular: dict[str, list[str]],
    short_gaps: bool,
    first: tuple[str, ...] | None = None,
    later: list[tuple[str, ...]] | None = None,
) -> str:
    """The regex of a pattern, anchored at its first word.

    The first word is found by the anchor automaton, on word boundaries, so the regex only
    has to consume it (one word), not repeat the alternation of every inflected form. A
    first token with multi-word alternatives is spelled out: only *first* of them when given.
    *later* gives, per token after the first (gaps aside), the alternatives to keep.
    """
    regex = ""
    pending_gap = False
    n_later = 0
    for i, token in enumerate(text.split()):
        if token == GAP_TOKEN:
            pending_gap = True
            continue
        if i == 0 and "_" not in token:
            regex = r"[^\s;:!?,.\"“”]+"
            continue
        if i == 0:
            alternatives: Sequence[str] = first if first is not None else token.split("|")
        elif later is not None:
            alternatives = later[n_later]
            n_later += 1
        else:
            alternatives = token.split("|")
        piece = "(?:" + "|".join(_alt_regex(a, irregular)[0] for a in alternatives if a) + ")"
        if i == 0:
            regex = piece
        else:
            regex += r"\s+" + ((_SHORT_GAP if short_gaps else _GAP) if pending_gap else "") + piece
        pending_gap = False
    return regex + r"(?![\w'])"


def required_words(text: str, irregular: dict[str, list[str]]) -> tuple[tuple[str, ...], ...]:
    """Per token after the first, strings one of which any match of the pattern contains.

    A ``<lemma>`` contributes its forms, a literal alternative its first word up to the letter
    a ``?`` makes optional; a token with an alternative that gives no such string (a bare
    ``?`` word) imposes nothing. Used to skip patterns before their expression is built.
    """
    out: list[tuple[str, ...]] = []
    for token in text.split()[1:]:
        if token == GAP_TOKEN:
            continue
        words: list[str] = []
        for alt in token.split("|"):
            if not alt:
                continue
            if alt.startswith("<") and alt.endswith(">"):
                words.extend(inflections(alt[1:-1], irregular))
                continue
            first = alt.split("_")[0]
            if "?" in first:
                first = first[: max(0, first.index("?") - 1)]
            if not first:
                words = []
                break
            words.append(first)
        if words:
            out.append(tuple(dict.fromkeys(words)))
    return tuple(out)


def rarest_first(required: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """``required_words`` in the order its tests fail soonest: the tokens whose strings are
    few and long (rare in a text) first. Every token must hold one of its strings, so the
    order changes what a test costs, not its answer (on the dense documents: 21 % fewer
    substring tests than in pattern order, whose first token after the verb is the word
    ``AnchorPatterns.candidates`` found in the sentence already, so it seldom fails)."""
    return tuple(sorted(required, key=lambda strings: -min(map(len, strings)) / len(strings)))


def later_alternatives(
    text: str, irregular: dict[str, list[str]]
) -> tuple[tuple[tuple[str, tuple[str, ...] | None], ...], ...]:
    """Per token after the first (gaps aside), its alternatives in order, each with the
    strings one of which any match of it contains (None: it could match anything there),
    as ``required_words`` reads them: a ``<lemma>`` its forms, a literal its first word up to
    the letter a ``?`` makes optional."""
    out = []
    for token in text.split()[1:]:
        if token == GAP_TOKEN:
            continue
        alternatives: list[tuple[str, tuple[str, ...] | None]] = []
        for alt in token.split("|"):
            if not alt:
                continue
            if alt.startswith("<") and alt.endswith(">"):
                alternatives.append((alt, tuple(inflections(alt[1:-1], irregular))))
                continue
            first = alt.split("_")[0]
            if "?" in first:
                first = first[: max(0, first.index("?") - 1)]
            alternatives.append((alt, (first,) if first else None))
        out.append(tuple(alternatives))
    return tuple(out)


def pattern_keys(text: str, irregular: dict[str, list[str]]) -> frozenset[str]:
    """The words one of which must occur in a sentence for the pattern to match: the forms
    of its second word (empty for a one-word pattern)."""
    tokens = [t for t in text.split()[1:] if t != GAP_TOKEN]
    if not tokens:
        return frozenset()
    keys: set[str] = set()
    for alt in tokens[0].split("|"):
        if not alt:
            continue
        if alt.startswith("<") and alt.endswith(">"):
            keys.update(inflections(alt[1:-1], irregular))
            continue
        first = alt.split("_")[0]
        if first.endswith("?"):
            keys.update((first[:-1], first[:-2]))
        else:
            keys.add(first)
    return frozenset(k for k in keys if k)


def compile_pattern(
    text: str, irregular: dict[str, list[str]], where: str, *, lazy: bool = False
) -> tuple[LazyRegex, list[str]]:
    """A pattern string to its (lazily built) regex and the forms of its first word.

    ``lazy`` (the converted layer) also gives the pattern short gaps that stay in one phrase.
    """
    tokens = text.split()
    if not tokens or GAP_TOKEN in (tokens[0], tokens[-1]):
        raise DictionaryError(f"{where}: pattern {text!r} must start and end with a word")
    if any(not [a for a in t.split("|") if a] for t in tokens):
        raise DictionaryError(f"{where}: empty token in pattern {text!r}")
    anchors = [f for a in tokens[0].split("|") if a for f in _alt_regex(a, irregular)[1]]
    compiled = LazyRegex(text, irregular, lazy=lazy)
    if not lazy:
        try:
            compiled.compiled()
        except re.error as exc:
            raise DictionaryError(f"{where}: pattern {text!r} does not compile: {exc}") from None
    return compiled, anchors
