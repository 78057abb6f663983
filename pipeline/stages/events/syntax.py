"""Part-of-speech tags and NP/VP/PP chunks for a sentence, at exact character offsets.

The coder's slots and triggers used to be guessed from positions and word shapes; a shallow
parse says what positions cannot: whether "Sue", "strikes" or "tortured" is a verb here, which
noun phrase heads the clause before a verb phrase, and which actors sit inside a prepositional
phrase ("in Alaska", "of Kharkiv"). The tagger and chunker are TextBlob's (the Brill-style
tagger and rule chunker of pattern.en, MIT, whose lexicon and context rules ship inside the
``textblob`` wheel): nothing is downloaded at run time and no NLTK data is read on this path.

We tokenise ourselves and hand TextBlob the token list, so every tag maps back to the exact
characters of the coder's text. The coder parses a sentence once, and only when it has a trigger
candidate, so pages full of furniture cost nothing.
"""

from __future__ import annotations

import importlib.util
import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.stages.events.chunker import find_chunks, find_pnp

# "U.S.", "don't" -> "do" "n't", "Iran's" -> "Iran" "'s", words with inner hyphens and dots;
# a number with thousands separators is one word ("20,000 civilians": its comma is no clause
# punctuation between a verb and its object)
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)"
    r"|(?:[A-Za-z]\.){2,}"
    r"|\w+(?=n['’]t\b)"
    r"|n['’]t\b"
    r"|['’](?:s|re|ve|ll|d|m)\b"
    r"|\w+(?:[-.&]\w+)*"
    r"|[^\w\s]"
)
# ``_TOKEN`` for a sentence with no apostrophe: its contraction alternatives, each needing one,
# cannot match there, and they cost a third of the tokenising (tried at every word)
_TOKEN_PLAIN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)|(?:[A-Za-z]\.){2,}|\w+(?:[-.&]\w+)*|[^\w\s]"
)
# ``_TOKEN`` for a sentence with an apostrophe but no "n't": its two negation alternatives
# (each needs "n't" or "n’t") cannot match there, and the first of them costs most (a
# greedy word run backtracked at every character for its look-ahead); the possessive and
# contraction endings stay, in their place. Dropping alternatives that cannot match leaves
# the engine's leftmost-first answer unchanged
_TOKEN_NO_NT = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)"
    r"|(?:[A-Za-z]\.){2,}"
    r"|['’](?:s|re|ve|ll|d|m)\b"
    r"|\w+(?:[-.&]\w+)*"
    r"|[^\w\s]"
)
_SPAN = re.Match.span

BE = frozenset(("is", "are", "was", "were", "be", "been", "being", "am", "'s", "'re", "’s"))

# the forms of "have" (an auxiliary or a possession, never an act of its subject)
HAVE = frozenset(("have", "has", "had", "having", "'ve"))

# tags that open another clause: WH-words
CLAUSE_TAGS = frozenset(("WDT", "WP", "WP$", "WRB"))

# an IN-tagged word that opens a clause, not a prepositional phrase ("claimed that Israel")
COMPLEMENTIZERS = frozenset(
    ("that", "whether", "if", "because", "although", "though", "while", "whereas", "unless")
)

# prepositions that also open a clause when a verb follows their noun phrase
SUBORDINATORS = frozenset(("after", "before", "since", "until", "as", "once"))

# prepositions whose object is where something happened, not whom it was done to ("in" and
# "during" right before a place are the coder's own rule; "in northern Iraq" stays a target,
# as PETRARCH and PLOVER code the territory an attack or a protest takes place in)
LOCATIVE = frozenset(("inside", "outside", "near", "across", "throughout", "around"))

# "up to 100 ethnic Albanians", "about 50 troops": a number's modifier, no preposition
# heads of a noun phrase that names a place by its "of" PP ("the town of Afrin", "the
# outskirts of Damascus"): CAMEO codes the place's country as the target of what hits it
PLACE_HEADS = frozenset(
    (
        "town", "towns", "city", "cities", "village", "villages", "enclave", "region",
        "province", "district", "capital", "port", "outskirts", "suburbs", "suburb",
        "territory", "island", "neighbourhood", "neighborhood", "area", "areas", "border",
        "positions", "stronghold", "strongholds", "camp", "camps", "home", "homes", "house",
        "houses", "headquarters", "embassy", "residence", "base", "bases", "offices",
    )
)  # fmt: skip
# degree words that grade a participle as an adjective ("the most wanted", "less tortured")
_DEGREE = frozenset(("most", "more", "least", "less"))
_QUANTIFIERS = frozenset(("up", "about", "around", "over", "nearly", "some", "almost"))

# words of a quantity before a number ("around 20,000", "more than 100", "at least 40") and
# nouns that count what their "of" PP names ("dozens of", "a number of"): a quantified noun
# phrase is still the verb's object ("held around 20,000 civilians", "killed dozens of")
QUANTITY_WORDS = frozenset(
    (
        "up", "about", "around", "over", "nearly", "some", "almost", "roughly",
        "approximately", "more", "less", "fewer", "than", "least", "as", "many",
        "close", "just", "only", "all", "another", "an", "additional", "estimated",
    )
)  # fmt: skip
COUNT_NOUNS = frozenset(
    (
        "number", "dozens", "hundreds", "thousands", "millions", "scores", "tens", "dozen",
        "hundred", "thousand", "million", "couple", "handful", "lot", "lots",
    )
)  # fmt: skip

# what the tagger reads as a pronoun or a common word: "US" is "us" to it, "2" and "4" are
# chat spellings of "to" and "for" (IN) to it (and its lexicon knows "'s", not "’s")
_TAGGER_FORMS = {
    "2": "3",
    "4": "3",
    "US": "U.S.",
    "UK": "U.K.",
    "UN": "U.N.",
    "EU": "E.U.",
    "’s": "'s",
    "’re": "'re",
    "’ve": "'ve",
    "’ll": "'ll",
    "’d": "'d",
    "’m": "'m",
    "n’t": "n't",
}

# every tag the chunker's noun phrase rule admits (and a few more: a superset is safe)
_NP_TAG_PREFIXES = ("DT", "PDT", "JJ", "NN", "CD", "PRP", "RB", "CC")
_SUBJECT_PRONOUNS = frozenset(("i", "you", "he", "she", "it", "we", "they"))
_DO = frozenset(("do", "does", "did", "will", "would", "shall", "should", "can", "could", "may"))
# adverbs the tagger reads as adjectives, when right before a verb ("have long rejected")
_ADVERBIAL_ADJECTIVES = frozenset(
    ("long", "first", "last", "later", "once", "twice", "jointly", "early", "late")
)
# adverbs of time between a subject and its verb ("authorities today release"), which the
# tagger reads as nouns ("today") or adverbs
TIME_ADVERBS = frozenset(("today", "yesterday", "tonight", "now", "once", "again", "still"))
# what may stand between an event noun and the preposition carrying its target
_BETWEEN_NOUN_AND_PP = frozenset(
    (
        "today",
        "yesterday",
        "tonight",
        "overnight",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "morning",
        "afternoon",
        "evening",
        "night",
    )
)
_FOCUS_ADVERBS = frozenset(("primarily", "mainly", "mostly", "largely", "chiefly", "mostly"))
_VERB_TAGS = frozenset(("VB", "VBD", "VBZ", "VBP", "VBN", "VBG"))
# prepositions a headline's verb never follows directly ("Calls For Probe", "Talks On Attack")
_HEADLINE_PREPOSITIONS = frozenset(
    (
        "for", "of", "over", "against", "with", "about", "on", "in", "into", "from", "by",
        "at", "amid", "after", "before", "despite", "without", "toward", "towards", "between",
        "among", "under",
    )
)  # fmt: skip
_DETERMINERS = frozenset(("DT", "PRP$", "WP$", "POS", "RBS", "RBR", "JJS", "CD"))


# the words of a subject noun phrase around its event noun (determiners, modifiers, names,
# possessives, numbers, hyphenated participles such as "Russia-backed")
_SUBJECT_NP_TAGS = frozenset(
    ("DT", "PRP$", "POS", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "HYPH")
)
# a clause these open is not asserted as it stands ("if", "unless", "whether") or is
# subordinate; its subject is left alone
_SUBORDINATORS = frozenset(
    ("if", "unless", "whether", "though", "although", "until", "lest", "once")
)
# verbs whose subject event is not asserted by them: it is judged, expected or about to come
_NOT_ASSERTING = frozenset(
    form
    for verb in ("seem", "appear", "look", "remain", "loom", "need", "require", "threaten", "risk")
    for form in (verb, verb + "s", verb + "ed")
) | frozenset(("come", "comes", "came", "become", "becomes", "became", "get", "gets", "got"))


# Verbs whose object noun names the event itself: "launched attacks on", "carried out strikes
# against", "imposed blockades around", "issued a warning to", "ordered the release of",
# "paid a visit to", "expressed concern about". CAMEO and PETRARCH-2 code the noun's action
# ("attacked", "released"); the tagger rightly reads the noun as a noun, so the verb is what
# makes it an action (``light_verb``).
LIGHT_VERBS = frozenset(
    (  # noqa: SIM905 - a word list, kept compact
        "launch launches launched launching conduct conducts conducted conducting"
        " stage stages staged staging mount mounts mounted mounting wage wages waged waging"
        " impose imposes imposed imposing reimpose reimposed unleash unleashes unleashed"
        " unleashing issue issues issued issuing order orders ordered ordering announce"
        " announces announced announcing levy levies levied levying lodge lodges lodged"
        " make makes made making pay pays paid paying resume resumes resumed resuming"
        " intensify intensifies intensified intensifying express expresses expressed"
        " expressing provide provides provided providing extend extends extended extending"
        " renew renews renewed renewing declare declares declared declaring convey conveys"
        " conveyed conveying voice voices voiced voicing lead leads led leading"
    ).split()
)  # fmt: skip
# two-word light verbs by their particle ("carried out", "stepped up")
_LIGHT_PARTICLES = {
    "out": frozenset(("carry", "carries", "carried", "carrying")),
    "up": frozenset(("step", "steps", "stepped", "stepping", "ramp", "ramped")),
}
# Verbs whose object noun names an action they ask for or agree to, not one they do: only a
# ``nominal`` pattern's noun is read under them ("demanded the withdrawal of", "called for the
# suspension of", "agreed to the lifting of"), and the code is the appeal's, demand's or
# intent's for that action (``NOMINAL_KINDS``), as CAMEO codes "demanded that X withdraw".
DEMAND_VERBS = frozenset(
    "demand demands demanded demanding".split()  # noqa: SIM905 - a word list
)
ASK_VERBS = frozenset(
    "urge urges urged urging seek seeks sought seeking".split()  # noqa: SIM905
)
_ASK_PARTICLES = {
    "for": frozenset(
        (  # noqa: SIM905 - a word list, kept compact
            "call calls called calling press presses pressed pressing push pushes pushed"
            " pushing appeal appeals appealed appealing"
        ).split()
    ),
    "to": frozenset(("agree", "agrees", "agreed", "agreeing")),
}
# the kind of a light verb: "do" (the noun's action is the subject's), "ask" (an appeal,
# 02x), "demand" (10x), "agree" (an intent, 03x)
NOMINAL_KINDS = ("do", "ask", "demand", "agree")
# what may stand between a light verb and its event noun: the noun phrase's determiners and
# modifiers ("a brazen", "air and artillery", "cyber", "numerous", "a coordinated")
_NP_MODIFIER_TAGS = frozenset(
    ("DT", "PDT", "PRP$", "JJ", "JJR", "JJS", "NN", "NNS", "CC", "CD", "VBN", "RB")
)
_LIGHT_GAP = 4  # modifier tokens at most
# nouns of verb patterns that name agents or goods, not an action: "led Syrian forces into",
# "provided arms to" are no coercion (170) or cooperation (062) by the subject
_NOT_EVENT_NOUNS = frozenset(("force", "forces", "arms", "supplies", "funds", "troops"))
# prepositions the lexicon tags as participles ("concerns regarding the casualties")
_PARTICIPLE_PREPOSITIONS = frozenset(("regarding", "concerning"))
# how the object of a recipient "to" begins ("aid to the rebels", "a visit to Japan", "to its
# allies"); a bare common noun after "to" is mostly a verb the lexicon reads as one ("to limit")
_TO_OBJECT_TAGS = frozenset(("DT", "PDT", "PRP$", "PRP", "NNP", "NNPS", "JJ", "CD"))


class Token(NamedTuple):
    """One token with its tag and chunk (``B-NP``/``I-VP``/``O``) and whether it is in a PP."""

    start: int
    end: int
    word: str
    tag: str
    chunk: str
    in_pnp: bool

    @property
    def verb(self) -> bool:
        """Tagged as a verb form (VB, VBD, VBZ, VBP, VBN, VBG)."""
        return self.tag in _VERB_TAGS

    @property
    def kind(self) -> str:
        """The chunk type without its B-/I- prefix ("NP", "VP", "PP", "" outside chunks)."""
        return self.chunk[2:] if len(self.chunk) > 2 else ""


@lru_cache(maxsize=1)
def _textblob() -> Any:
    """``textblob/_text.py`` loaded by itself (see ``_parser``)."""
    spec = importlib.util.find_spec("textblob")  # locates the package, does not import it
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("textblob is not installed (see pyproject.toml)")
    package = Path(next(iter(spec.submodule_search_locations)))
    text_spec = importlib.util.spec_from_file_location(
        "pipeline_textblob_text", package / "_text.py"
    )
    if text_spec is None or text_spec.loader is None:
        raise ImportError(f"textblob's tagger module is missing under {package}")
    module = importlib.util.module_from_spec(text_spec)
    text_spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def _parser() -> Any:
    """TextBlob's English tagger and chunker, built as ``textblob.en`` builds its ``parser``.

    ``import textblob`` imports all of NLTK first (about 4 s of CPU per process) for parts
    we do not use; the tagger and chunker live in ``textblob/_text.py``, which needs only the
    standard library. So that module is loaded from the installed package by itself, with
    the lexicon, morphology, context and entity files shipped beside it in ``textblob/en``.
    A test checks that the tags equal ``textblob.en.parser``'s.
    """
    module = _textblob()
    en = Path(module.__file__).parent / "en"
    lexicon = module.Lexicon(
        path=str(en / "en-lexicon.txt"),
        morphology=str(en / "en-morphology.txt"),
        context=str(en / "en-context.txt"),
        entities=str(en / "en-entities.txt"),
        language="en",
    )
    return module.Parser(lexicon=lexicon, default=("NN", "NNP", "CD"), language="en")


_new = tuple.__new__  # builds a Token without NamedTuple's Python-level __new__ (hot path)

# The tagger as the coder calls it (``Parser.find_tags`` with its lexicon only: no context
# rules, no entities) gives each word a tag from the word alone, and the sentence's first
# word a second chance in lower case. So a word's tag is remembered, per position class
# (first or not), from the tagger's own answer: a sentence whose words are all known again
# is not re-tagged. A test checks the memo against tagging whole sentences.
_TAG_MEMO: tuple[dict[str, str], dict[str, str]] = ({}, {})  # (later words, first word)
_TAG_MEMO_SIZE = 200_000  # words per position class before the memo starts over


def _tags(forms: list[str]) -> list[str]:
    """The tagger's tags for *forms* (one sentence), from the memo where it knows them."""
    later, first = _TAG_MEMO
    known = list(map(later.get, forms))
    known[0] = first.get(forms[0])
    if None not in known:
        return known  # type: ignore[return-value]  # no None left
    tags: list[str] = [row[1] for row in _parser().find_tags(forms)]
    if len(later) > _TAG_MEMO_SIZE:
        later.clear()
    if len(first) > _TAG_MEMO_SIZE:
        first.clear()
    first[forms[0]] = tags[0]
    later.update(zip(forms[1:], tags[1:], strict=True))
    return tags


# ``_TOKEN``'s alternatives in order, each with the kind of text it can match in: a digit
# group needs a comma before a digit, an abbreviation two dots, a contraction ending an
# apostrophe, a negation an "n't" (None: any text)
_TOKEN_PARTS = (
    (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\w)", "digits"),
    (r"(?:[A-Za-z]\.){2,}", "dots"),
    (r"\w+(?=n['’]t\b)", "nt"),
    (r"n['’]t\b", "nt"),
    (r"['’](?:s|re|ve|ll|d|m)\b", "apostrophe"),
    (r"\w+(?:[-.&]\w+)*", None),
    (r"[^\w\s]", None),
)
_TOKENISERS: dict[tuple[bool, bool, bool, bool], re.Pattern[str]] = {}


def _tokeniser(text: str) -> re.Pattern[str]:
    """The smallest tokeniser that gives ``_TOKEN``'s tokens for *text*: ``_TOKEN`` without
    the alternatives that cannot match in it (the contraction ones each need an apostrophe,
    the negation ones an "n't", the digit group a comma before a digit, the abbreviation two
    dots). Dropping alternatives that cannot match leaves the engine's leftmost-first answer
    unchanged; most sentences have one dot and no digit group, and these two alternatives,
    tried at every word, cost about a third of what remains."""
    apostrophe = "'" in text or "’" in text
    key = (
        _digit_group_possible(text),
        text.count(".") > 1,
        apostrophe,
        apostrophe and ("n't" in text or "n’t" in text),
    )
    regex = _TOKENISERS.get(key)
    if regex is None:
        kept = dict(zip(("digits", "dots", "apostrophe", "nt"), key, strict=True))
        regex = _TOKENISERS[key] = re.compile(
            "|".join(part for part, needs in _TOKEN_PARTS if needs is None or kept[needs])
        )
    return regex


def _digit_group_possible(text: str) -> bool:
    """Whether some comma of *text* has a digit right after it (what a thousands-separated
    number needs; ``isdigit`` holds for every character ``\\d`` matches)."""
    i = text.find(",")
    while i >= 0:
        if text[i + 1 : i + 2].isdigit():
            return True
        i = text.find(",", i + 1)
    return False


def _parse(text: str, offset: int) -> Parse:
    token = _tokeniser(text)
    spans = list(map(_SPAN, token.finditer(text)))
    if not spans:
        return Parse(())
    words = [text[a:b] for a, b in spans]
    forms = _TAGGER_FORMS
    tags = _tags([forms.get(w, w) for w in words])
    return Parse(
        tuple(
            [
                _new(Token, (a + offset, b + offset, w, tag, "", False))
                for (a, b), w, tag in zip(spans, words, tags, strict=True)
            ]
        )
    )


class Parse:
    """The tokens of one sentence at absolute offsets, with the questions the coder asks.

    Tagging is cheap and every trigger needs it; chunking costs five times as much, so it is
    done on the first question about phrases (``chunked``).
    """

    __slots__ = ("_chunked", "_starts", "tokens")

    def __init__(self, tokens: tuple[Token, ...]) -> None:
        self.tokens = tokens
        self._chunked = False
        self._starts = [t[0] for t in tokens]

    @property
    def title_case(self) -> bool:
        """A headline: (nearly) every longer word capitalised, where the tagger sees names."""
        words = [t.word for t in self.tokens if t.word[:1].isalpha() and len(t.word) > 3]
        return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)

    def chunked(self) -> tuple[Token, ...]:
        """The tokens with their NP/VP/PP chunks and PNP flags (chunked once)."""
        if not self._chunked:
            # TextBlob's ``Parser.find_chunks`` (chunks, then PNP flags), its bookkeeping
            # done faster (chunker.py); it reads the tags only
            module = _textblob()
            tags = [t[3] for t in self.tokens]
            chunks = find_chunks(tags, module.CHUNKS[0], module.SEPARATOR)
            if chunks is None:  # (a tag the tagger never gives): TextBlob's own chunker
                rows = _parser().find_chunks([[t[2], t[3]] for t in self.tokens])
                chunks, pnp = [r[2] for r in rows], [r[3] != "O" for r in rows]
            else:
                pnp = find_pnp(tags, chunks)
            self.tokens = tuple(
                [
                    _new(Token, (t[0], t[1], t[2], t[3], c, p))
                    for t, c, p in zip(self.tokens, chunks, pnp, strict=True)
                ]
            )
            self._chunked = True
        return self.tokens

    def index(self, offset: int) -> int | None:
        """The token that covers character *offset* (None between tokens)."""
        i = bisect_right(self._starts, offset) - 1  # the last token starting at or before it
        if i >= 0 and self.tokens[i].start <= offset < self.tokens[i].end:
            return i
        return None

    def tokens_from(self, start: int) -> tuple[Token, ...]:
        """The tokens from the first one starting at or after *start* to the sentence's end."""
        return self.tokens[bisect_left(self._starts, start) :]

    def tag_at(self, offset: int) -> str:
        """The part-of-speech tag of the word at *offset* ("" between tokens)."""
        i = self.index(offset)
        return "" if i is None else self.tokens[i].tag

    def reading(self, start: int, *, past: bool = False) -> str | None:
        """Why the word at *start* is no verb here (None: it reads as one).

        A noun, a name or an adjective is no verb ("Sue", "Indian strikes", "a visit"); a past
        participle right after a determiner or "most" is an adjective ("the most tortured"),
        also with "-ly" adverbs between ("an emotionally charged convention").
        """
        i = self.index(start)
        if i is None:
            return None
        tok = self.tokens[i]
        if tok.tag.startswith("NNP") and self.title_case:
            if i > 0 and self.tokens[i - 1].word.lower() in _HEADLINE_PREPOSITIONS:
                # "UN Calls For Probe Of ...": a preposition's object, a noun even in a
                # headline, where capitals hide the tag
                return f"syntax: a noun after '{self.tokens[i - 1].word}' in a headline"
            return None  # "U.S. Lifts Travel Ban": in a headline every word is "a name"
        if not tok.verb and not (
            (tok.tag in ("NN", "JJ") and self._after_auxiliary(i))
            or (
                tok.tag in ("NN", "NNS")
                and self._after_subject(i, past=past)
                and not self._in_object_of_preposition(i)
            )
            or self._past_before_determiner(i, past=past)
        ):
            # "to strike", "did not attack", "will supply", "is training", "it shot down",
            # "Pakistan summons": the lexicon's noun reading of a verb, which the context
            # rules miss after "to", a modal, "do", "be" (-ing), a subject pronoun or a name
            return f"syntax: tagged {tok.tag}, not a verb"
        if tok.tag in ("VBN", "VBG") and i > 0:
            j = i - 1
            # "an emotionally charged convention", "the largely destroyed city": a manner
            # adverb between the determiner and the participle keeps it an adjective
            while j > 0 and self.tokens[j].tag == "RB" and self.tokens[j].word.endswith("ly"):
                j -= 1
            prev = self.tokens[j]
            if prev.tag in _DETERMINERS or prev.word.lower() in _DEGREE:
                return f"syntax: a participle adjective after '{prev.word}'"
        if tok.tag == "VBD" and i > 0 and self.tokens[i - 1].word.lower() in _DEGREE:
            # "Colombia's most wanted", "less tortured": a degree word grades an adjective,
            # whatever tag the past form took
            return f"syntax: a participle adjective after '{self.tokens[i - 1].word}'"
        return None

    def light_verb(self, start: int) -> tuple[int, int] | None:
        """The (start, end) of the light verb whose object is the event noun at *start*.

        The noun heads its noun phrase (no other noun follows it: not "attack helicopters")
        and a preposition follows it, to carry the target ("launched attacks on", "ordered
        the release of"); before it, at most a few determiners and modifiers, then one of
        ``LIGHT_VERBS`` (or "carried out", "stepped up") read as a verb, or after "to" or a
        modal ("to issue a warning to"). None otherwise.
        """
        found = self.nominal_head(start)
        if found is None or found[2] != "do":
            return None
        return found[0], found[1]

    def nominal_head(self, start: int, *, gerund: bool = False) -> tuple[int, int, str] | None:
        """``light_verb``'s (start, end) with its kind (``NOMINAL_KINDS``): also the verbs
        that ask for, demand or agree to the noun's action ("demanded the withdrawal of",
        "called for the release of", "agreed to the suspension of"), which only a
        ``nominal`` pattern's noun may follow (the caller checks). With *gerund*, a
        determined -ing form is such a noun too ("announced the lifting of")."""
        i = self.index(start)
        if i is None or i + 1 >= len(self.tokens):
            return None
        tok = self.tokens[i]
        gerund = gerund and tok.tag == "VBG" and i > 0 and self.tokens[i - 1].tag == "DT"
        if (
            tok.tag not in ("NN", "NNS", "JJ") and not gerund
        ) or tok.word.lower() in _NOT_EVENT_NOUNS:
            return None  # (JJ: "cyber-attacks", a compound the lexicon does not know)
        k = i + 1
        # "carried out strikes Friday evening against", "attacks, primarily on": a time
        # adverbial or a focusing adverb between the noun and its preposition
        while (
            k + 1 < len(self.tokens)
            and k - i <= 3
            and (
                self.tokens[k].word.lower() in _BETWEEN_NOUN_AND_PP
                or (
                    self.tokens[k].word == "," and self.tokens[k + 1].word.lower() in _FOCUS_ADVERBS
                )
                or self.tokens[k].word.lower() in _FOCUS_ADVERBS
            )
        ):
            k += 1
        nxt = self.tokens[k]
        if (
            nxt.tag not in ("IN", "TO") or nxt.word.lower() in COMPLEMENTIZERS
        ) and nxt.word.lower() not in _PARTICIPLE_PREPOSITIONS:
            return None
        if nxt.tag == "TO" and (
            k + 1 >= len(self.tokens) or self.tokens[k + 1].tag not in _TO_OBJECT_TAGS
        ):
            return None  # "imposed blockades to limit": a purpose clause, no recipient
        j = i - 1
        while (
            j >= 0
            and i - j <= _LIGHT_GAP + 2
            and (self.tokens[j].tag in _NP_MODIFIER_TAGS or self.tokens[j].word == ",")
        ):
            if self.tokens[j].word.lower() in LIGHT_VERBS or self.tokens[j].word.lower() in (
                DEMAND_VERBS | ASK_VERBS
            ):
                break  # ("order", "issue", "demand" are nouns to the lexicon too)
            j -= 1
        if j < 0:
            return None
        gap = [t for t in self.tokens[j + 1 : i] if t.word != ","]
        if len(gap) > _LIGHT_GAP:
            return None
        commas = [k for k in range(j + 1, i) if self.tokens[k].word == ","]
        if commas and not any(t.tag == "CC" for t in self.tokens[commas[-1] + 1 : i]):
            # "artillery, mortar, and rocket fire": commas only in a coordination of modifiers
            return None
        verb = self.tokens[j]
        word = verb.word.lower()
        kind = "do"
        if word in LIGHT_VERBS:
            first = verb
        elif word in DEMAND_VERBS or word in ASK_VERBS:
            first, kind = verb, "demand" if word in DEMAND_VERBS else "ask"
        elif j > 0 and self.tokens[j - 1].word.lower() in _LIGHT_PARTICLES.get(word, ()):
            first = self.tokens[j - 1]  # "carried out", "stepped up"
            j -= 1
        elif j > 0 and self.tokens[j - 1].word.lower() in _ASK_PARTICLES.get(word, ()):
            first = self.tokens[j - 1]  # "called for", "agreed to"
            kind = "agree" if word == "to" else "ask"
            j -= 1
        else:
            return None
        if not (first.verb or self._after_auxiliary(j)):
            return None  # "the order of", "a new issue": a noun, no light verb
        if j > 0 and self.tokens[j - 1].tag in _DETERMINERS:
            return None  # "the launched attack"
        return first.start, verb.end, kind

    def subject_event_noun(self, start: int) -> tuple[int, int] | None:
        """(noun phrase start, finite verb start) when the event noun at *start* heads the
        subject of its clause's finite verb ("the Kenyan army's attack on Somalia killed",
        "clashes between A and B have left"): an event that happened, which the sentence
        asserts. None otherwise: a noun that is a preposition's object ("after the attack
        on", "the threat of an attack", "calls for talks"), a modifier ("attack
        helicopters"), the subject of a modal, of "be" or of a copula-like verb ("talks
        with X are unlikely", "will begin", "seems"), or a clause opened by a subordinator.
        Between the noun and the verb only its own PPs and noun phrases may stand.
        """
        tokens = self.chunked()
        i = self.index(start)
        if i is None or tokens[i].tag not in ("NN", "NNS") or tokens[i].in_pnp:
            return None
        if i + 1 < len(tokens) and tokens[i + 1].tag.startswith("NN"):
            return None  # "attack helicopters": a modifier
        j = i
        while j > 0 and tokens[j - 1].tag in _SUBJECT_NP_TAGS and not tokens[j - 1].in_pnp:
            j -= 1
        if j > 0:
            # only an opening adverbial before the noun phrase, closed by a comma ("On
            # Monday, ..."), with no verb and no subordinator in it
            if tokens[j - 1].word != ",":
                return None
            if any(
                t.verb or t.tag in ("MD", "WDT", "WP", "WRB") or t.word.lower() in _SUBORDINATORS
                for t in tokens[: j - 1]
            ):
                return None
        k = i + 1
        while k < len(tokens) and k - i <= 16:
            tok = tokens[k]
            if tok.verb or tok.tag == "MD":
                break
            if tok.tag not in _SUBJECT_NP_TAGS and tok.tag not in ("IN", "TO", "CC"):
                return None  # a comma, a relative pronoun, a quotation: no plain subject
            if tok.tag == "IN" and tok.word.lower() in _SUBORDINATORS:
                return None
            k += 1
        else:
            return None
        if k >= len(tokens):
            return None
        verb = tokens[k]
        word = verb.word.lower()
        if word in ("has", "have", "had"):
            n = k + 1
            while n < len(tokens) and tokens[n].tag.startswith("RB"):
                n += 1
            if n >= len(tokens) or tokens[n].tag != "VBN":
                return None
            if tokens[n].word.lower() in BE or tokens[n].word.lower() in _NOT_ASSERTING:
                return None
            return tokens[j].start, tokens[n].start
        past_with_object = (
            # "the attack on X by Y killed twelve": after a "by" PP the tagger reads a
            # passive participle; with an object after it, it is the clause's past verb
            verb.tag == "VBN"
            and k + 1 < len(tokens)
            and tokens[k + 1].tag in ("DT", "CD", "PRP", "PRP$", "NN", "NNS", "NNP", "JJ")
        )
        if verb.tag not in ("VBD", "VBZ", "VBP") and not past_with_object:
            return None
        if k + 1 < len(tokens) and tokens[k + 1].word.lower() == "by":
            return None  # "the raid on X planned by ...": a reduced relative clause
        if word in BE or word in _DO or word in _NOT_ASSERTING:
            return None
        return tokens[j].start, verb.start

    def _in_object_of_preposition(self, i: int) -> bool:
        """Whether token *i* ends a determined noun phrase that is a preposition's object
        ("rooted in the Tea Party protests."): the name before it is a modifier in that
        phrase, never a subject, so the noun reading stands ("Pakistan summons" has no PP).
        A word with a noun phrase after it may still be the verb of a subject that ends in a
        PP ("Rebels in the Donbas attack Ukraine"): that reading is left alone."""
        tokens = self.chunked()
        if not tokens[i].in_pnp or tokens[i].chunk != "I-NP":
            return False
        if i + 1 < len(tokens) and tokens[i + 1].kind == "NP":
            return False
        j = i
        while j > 0 and tokens[j].chunk == "I-NP":
            j -= 1
        return (
            tokens[j].chunk == "B-NP"
            and tokens[j].tag in ("DT", "PRP$")
            and j > 0
            and tokens[j - 1].kind == "PP"
        )

    def _after_auxiliary(self, i: int) -> bool:
        """Whether token *i* follows "to", a modal or a form of "do" (adverbs between)."""
        j = i - 1
        while j >= 0 and (
            self.tokens[j].tag.startswith("RB") or self.tokens[j].word.lower() in ("not", "n't")
        ):
            j -= 1
        if j < 0:
            return False
        prev = self.tokens[j]
        if self.tokens[i].word.lower().endswith("ing") and prev.word.lower() in BE:
            return True
        return prev.tag in ("TO", "MD") or prev.word.lower() in _DO

    def _past_before_determiner(self, i: int, *, past: bool) -> bool:
        """A past form the tagger calls an adjective between a name (or a subject pronoun)
        and an article opens a verb phrase: "Egypt brokered a truce", "Qatar mediated the
        talks". An adjective before an article is no English noun phrase, and a participle
        adjective follows the article ("a brokered truce"), so only a verb reads there."""
        if not past or self.tokens[i].tag != "JJ" or i + 1 >= len(self.tokens):
            return False
        nxt = self.tokens[i + 1]
        return (
            nxt.word.lower() in ("a", "an", "the")
            and self._after_subject(i, past=False)
            and not self._in_object_of_preposition(i)
        )

    def _after_subject(self, i: int, *, past: bool) -> bool:
        """Whether token *i* directly follows a subject pronoun or a proper name (or, for a
        past form such as "shot", any noun: "its forces shot down")."""
        if i == 0:
            return False
        prev = self.tokens[i - 1]
        if prev.word.lower() in TIME_ADVERBS and i > 1:
            # "French authorities today release": a noun before the adverb is the subject
            return self.tokens[i - 2].tag.startswith("NN") or (
                self.tokens[i - 2].word.lower() in _SUBJECT_PRONOUNS
            )
        if past and prev.tag in ("NN", "NNS"):
            return True
        return prev.word.lower() in _SUBJECT_PRONOUNS or prev.tag in ("NNP", "NNPS")

    def passive(self, start: int) -> bool | None:
        """Whether the verb at *start* is a passive (a form of "be", then a VBN in one VP).

        None when the tagger has no verb there (the caller falls back to its own reading).
        """
        i = self.index(start)
        if i is None or not self.tokens[i].verb:
            return None
        if self.tokens[i].tag != "VBN":
            return False
        j = i - 1
        while j >= 0:
            tok = self.tokens[j]
            if tok.word.lower() in BE:
                return True
            if tok.tag.startswith(("RB", "MD")) or tok.word.lower() in ("not", "n't", "also"):
                j -= 1
                continue
            return False
        return False

    def preposition(self, start: int, among: Collection[str] | None = None) -> str | None:
        """The preposition governing the noun phrase at *start* ("of", "in"), lower case.

        The word before the noun phrase chunk the token belongs to, when it is a PP chunk and
        not a complementizer ("claimed that Israel": Israel is a subject, not a PP object).
        With *among*, only a preposition in it is asked for (None for any other): the answer
        can only be the IN/TO word found before the chunker runs, since no chunk holds both
        it and the NP-tagged words after it, so a word not in *among* needs no chunking.
        """
        i = self.index(start)
        if i is None:
            return None
        # chunks are made of these tags: with no IN/TO before the run of them there is no PP,
        # and the (five times dearer) chunker need not run
        j = i - 1
        while j >= 0 and self.tokens[j].tag.startswith(_NP_TAG_PREFIXES):
            j -= 1
        if j < 0 or self.tokens[j].tag not in ("IN", "TO"):
            return None
        if (
            among is not None
            and self.tokens[i].tag not in ("IN", "TO")  # (else the chunk may start before j)
            and self.tokens[j].word.lower() not in among
        ):
            return None
        self.chunked()
        while i > 0 and self.tokens[i].chunk.startswith("I-"):
            i -= 1
        if i == 0:
            return None
        prev = self.tokens[i - 1]
        word = prev.word.lower()
        if prev.kind != "PP" or prev.tag not in ("IN", "TO") or word in COMPLEMENTIZERS:
            return None
        first = i - 1
        while first > 0 and self.tokens[first].chunk == "I-PP":
            first -= 1
        if self.tokens[i].tag == "CD" and self.tokens[first].word.lower() in _QUANTIFIERS:
            return None  # "up to 100 soldiers": a quantity
        if word in SUBORDINATORS and self.heads_clause(self.tokens[i].end):
            return None  # "after the US attacked Iran": the subject of a subordinate clause
        return word

    def clause_between(self, start: int, end: int) -> str | None:
        """A word between *start* and *end* that opens another clause (a WH-word, a
        complementizer or subordinator, a quotation mark), or None."""
        for tok in self.tokens[bisect_left(self._starts, start) :]:
            if tok.end > end:
                break
            if tok.tag in CLAUSE_TAGS or (tok.tag == "IN" and tok.word.lower() in COMPLEMENTIZERS):
                return tok.word
            if tok.word in ('"', "“", "”"):
                return tok.word
        return None

    def coordinated_verb(self, start: int, end: int) -> bool:
        """Whether a second finite verb of the subject ("and decided", "but said") opens a new
        predicate between *start* (the end of the first verb's words) and *end*, after some
        words of the first predicate ("met Sunday and decided to approve a plan on Hamas"): a
        noun phrase after it is that predicate's, not the first verb's object. A verb right
        after the first one shares its object ("attacked and killed soldiers")."""
        toks = self.tokens[bisect_left(self._starts, start) :]
        for k, tok in enumerate(toks):
            if tok.end > end:
                break
            if k == 0 or tok.tag != "CC" or tok.word.lower() not in ("and", "but"):
                continue
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is not None and nxt.tag in ("RB", "RBR") and k + 2 < len(toks):
                nxt = toks[k + 2]  # "and later said"
            if nxt is not None and nxt.end <= end and nxt.tag in ("VBD", "VBZ", "VBP"):
                return True
        return False

    def subject_frame(self, source_end: int, trigger_start: int, *, past: bool = False) -> bool:
        """The source's noun phrase heads the clause of the verb phrase at *trigger_start*:
        between them only the verb phrase itself (auxiliaries, adverbs, negation). *past*:
        the verb is a past form, read as the trigger stage reads it ("its air force shot
        down": a past form after a noun is a verb, see ``reading``)."""
        i = self.index(trigger_start)
        if i is None or self.reading(trigger_start, past=past) is not None:
            return False  # (the reading needs tags only: no chunking for it)
        self.chunked()
        j = i - 1
        # back over the verb phrase (auxiliaries, adverbs, "to") and PP adjuncts ("on Tuesday")
        while j >= 0 and self.tokens[j].end > source_end:
            tok = self.tokens[j]
            if tok.word in (",", ";", ":", "(", ")", '"', "“", "”"):
                return False
            nxt = self.tokens[j + 1]
            if tok.word.lower() in _ADVERBIAL_ADJECTIVES and (nxt.verb or nxt.kind == "PP"):
                j -= 1  # "have long rejected", "early on Monday": an adverb the tagger calls JJ
                continue
            if (
                tok.tag == "CD"
                and j > 0
                and (self.tokens[j - 1].kind == "PP" or self.tokens[j - 1].in_pnp)
            ):
                j -= 1  # "in 2019 failed", "in March 2019": a year in a PP adjunct
                continue
            if tok.kind in ("NP", "ADJP") and not tok.in_pnp:
                break  # the subject's noun phrase ("Canadian [agency]" ends in it)
            if not (
                tok.kind in ("VP", "ADVP", "PP")
                or tok.in_pnp
                or tok.tag.startswith(("RB", "MD", "TO"))
            ):
                return False
            j -= 1
        if j < 0:
            return False
        k = j
        while k > 0 and self.tokens[k].chunk.startswith("I-"):
            k -= 1
        while (
            k > 1
            and self.tokens[k - 1].tag == "CC"
            and self.tokens[k - 1].word.lower() in ("and", "or")
            and self.tokens[k - 2].kind == "NP"
            and self.tokens[k - 1].start >= source_end
        ):
            # "the Kenyan government and its allies rejected": a coordinated subject, the
            # source its first conjunct
            k -= 2
            while k > 0 and self.tokens[k].chunk.startswith("I-"):
                k -= 1
        # the source ends inside the subject's noun phrase or its PP modifiers, before the VP
        return self.tokens[k].start < source_end <= trigger_start

    def object_frame(
        self, verb_end: int, target_start: int, prepositions: bool, *, places: bool = False
    ) -> bool:
        """The target's noun phrase is the object of the verb (phrase) ending at *verb_end*:
        the first noun phrase after it, or with *prepositions* the object of a PP right there
        (not a locative one); with *places*, also the name in the "of" PP of a place noun."""
        self.chunked()
        i = self.index(target_start)
        if i is None:
            return False
        while i > 0 and self.tokens[i].chunk.startswith("I-"):
            i -= 1
        j = i - 1
        while j >= 0 and self.tokens[j].start >= verb_end:
            tok = self.tokens[j]
            if tok.tag in ("DT", "PRP$") and tok.kind in ("", "NP"):
                j -= 1
                continue
            back = self.quantity_before(j)
            if back < j:  # "around 20,000 [civilians]", "dozens of [Iraqi soldiers]"
                j = back
                continue
            if (
                prepositions
                and tok.kind == "PP"
                and tok.word.lower() not in LOCATIVE
                and tok.word.lower() not in COMPLEMENTIZERS
            ):
                j -= 1
                continue
            if places and tok.word.lower() == "of" and j > 0:
                head = self.tokens[j - 1]
                if head.tag.startswith("NN") and head.word.lower() in PLACE_HEADS:
                    # "pounded the rebel-held enclave of eastern Ghouta": through the place
                    # noun to its name; back over the rest of that noun phrase
                    j -= 2
                    while j >= 0 and self.tokens[j + 1].chunk.startswith("I-"):
                        j -= 1
                    continue
            return False
        return True

    def quantity_before(self, j: int) -> int:
        """The token before a quantity that ends at token *j* (*j* itself when none does): a
        number with its modifiers ("more than 100,000", "at least 40", "some 2,650") or a
        counting noun and its "of" ("dozens of", "a number of", "tens of thousands of")."""
        k = j
        while k >= 0:
            word = self.tokens[k].word.lower()
            if word == "of" and k > 0 and self.tokens[k - 1].word.lower() in COUNT_NOUNS:
                k -= 2
                continue
            number = self.tokens[k].tag == "CD"
            if not number and not (
                # a number's modifiers right before the noun phrase it opens ("around 20,000")
                self._quantity_word(k)
                and k + 1 < len(self.tokens)
                and self.tokens[k + 1].tag == "CD"
            ):
                break
            while k >= 0 and self.tokens[k].tag == "CD":
                k -= 1
            while k >= 0 and self._quantity_word(k):
                k -= 1
        return k

    def _quantity_word(self, k: int) -> bool:
        """Whether token *k* modifies a number after it: "around", "more than", and "to" or
        "at" only in "up to", "close to", "at least", "at most"."""
        word = self.tokens[k].word.lower()
        if word == "to":
            return k > 0 and self.tokens[k - 1].word.lower() in ("up", "close")
        if word == "at":
            nxt = self.tokens[k + 1].word.lower() if k + 1 < len(self.tokens) else ""
            return nxt in ("least", "most")
        return word in QUANTITY_WORDS

    def plain_object(self, end: int) -> bool:
        """Whether the noun phrase ending at *end* is a plain direct object: not a possessor
        ("refuted Trump's comments") and not the first of two objects ("gave Putin a
        warning", "called the envoy a liar"), where the action is about the second."""
        self.chunked()
        i = self.index(max(0, end - 1))
        if i is None:
            return False
        i += 1
        while i < len(self.tokens) and self.tokens[i].chunk == "I-NP":
            i += 1
        if i >= len(self.tokens):
            return True
        tok = self.tokens[i]
        return tok.tag not in ("POS", "DT", "PRP$", "CD") and tok.chunk != "B-NP"

    def heads_clause(self, end: int) -> bool:
        """Whether the noun phrase ending at *end* is followed by its own verb: a finite verb
        or modal ("thought Ukraine would"), or "to" and a verb ("allowed Ukraine to strike")
        make it the subject of another clause, not an object."""
        self.chunked()
        i = self.index(max(0, end - 1))
        if i is None:
            return False
        i += 1
        n = len(self.tokens)
        while i < n and (
            self.tokens[i].chunk == "I-NP"
            # "the US and Israel attacked": a coordinated noun phrase is one subject
            or (self.tokens[i].tag == "CC" and i + 1 < n and self.tokens[i + 1].kind == "NP")
            or (self.tokens[i].kind == "NP" and self.tokens[i - 1].tag == "CC")
        ):
            i += 1
        if i >= len(self.tokens):
            return False
        tok = self.tokens[i]
        if tok.tag in ("MD", "VBD", "VBZ", "VBP", "VBN"):  # (a past tense is often VBN)
            return True
        nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        return tok.tag == "TO" and nxt is not None and nxt.tag in ("VB", "NN")


def parse(text: str, start: int, end: int) -> Parse:
    """The parse of ``text[start:end]`` (one sentence) at absolute offsets.

    Not cached here: the coder keeps one parse per sentence of the document it codes.
    """
    return _parse(text[start:end], start)
