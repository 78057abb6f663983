"""TextBlob's phrase chunker (``Parser.find_chunks``: chunks, then PNP flags), done faster.

The same rules (``CHUNKS[0]`` of ``textblob/_text.py``, the Germanic set English uses) in the
same order over the same tag string, with the same post-corrections: only the bookkeeping
differs. TextBlob counts the separators before every rule match (``tags[:i].count("/")``, a
scan of the string per match) and tests the length of each token's list to know whether a
chunk took it; here the separators' offsets are known once (a binary search per match) and
a token's chunk is one slot of a list. The chunker reads the tags only, never the words. A
test checks the answers against TextBlob's on our own sentences and on random tag sequences.

When every tag is a Penn tag of the tagger's and the rules are TextBlob's English ones, the
rules run over one character per tag instead (``_CHAR_RULES``): the same chunks from
expressions over character classes, with a token's index its match offset, no search.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import accumulate
from typing import Any

_CONJUNCTIONS = ("CC", "CJ", "KON", "Conj(neven)")  # no chunk starts with one
_PNP_NEXT = ("NP", "PP")
_PARTICIPLES = ("VBG", "VBN")


# One character per Penn tag the tagger gives. TextBlob's rules match a tag string like
# "DT/JJ/NN/"; each of their groups is an alternation of whole tags followed by the separator,
# so within a match a group takes one whole tag from its class, and the classes below are
# those alternations. A match can *start* inside a tag only where a tag ends in another one
# that opens a rule: "PDT/" and "WDT/" hold "DT/", which opens a noun phrase ("WRB/" holds
# "RB/", but the rules' ``(?<!W)`` refuses it). So "PDT" and "WDT" (B, C) open a noun
# phrase as a determiner would and take no other part in it.
_TAG_CHARS = {
    "NN": "a", "NNS": "b", "NNP": "c", "NNPS": "d", "PRP": "e", "PRP$": "f",
    "DT": "g", "CD": "h", "CC": "i",
    "RB": "j", "RBR": "k", "RBS": "l", "JJ": "m", "JJR": "o", "JJS": "p",
    "IN": "q", "TO": "r",
    "MD": "t", "VB": "u", "VBD": "v", "VBG": "w", "VBN": "x", "VBP": "y", "VBZ": "z",
    "WRB": "A", "PDT": "B", "WDT": "C",
    "WP": "D", "WP$": "E", "EX": "F", "FW": "G", "LS": "H", "POS": "I", "RP": "J",
    "SYM": "K", "UH": "L", ",": "M", ".": "N", ":": "O", "(": "P", ")": "Q", "``": "R",
    "''": "S", "#": "T", "$": "U", '"': "V",
}  # fmt: skip
_NOUN, _DET, _MOD = "[abcdef]", "[ghi]", "[jklmop]"
# TextBlob's English rules (``CHUNKS[0]`` of textblob/_text.py) as it spells them: the
# character rules stand in for these only
_TEXTBLOB_RULES = (
    (
        "NP",
        r"((NN|NNS|NNP|NNPS|NNPS?\-[A-Z]{3,4}|PR|PRP|PRP\$)/)*((DT|CD|CC|CJ)/)*"
        r"(((?<!W)RB|RBR|RBS|JJ|JJR|JJS)/)*((NN|NNS|NNP|NNPS|NNPS?\-[A-Z]{3,4}|PR|PRP|PRP\$)/)+",
    ),
    ("PP", r"((IN|PP|TO)/)+"),
    ("VP", r"(((MD|(?<!W)RB|RBR|RBS)/)*((VB|VBD|VBG|VBN|VBP|VBZ)/)+)+"),
    ("VP", r"((MD)/)"),
    ("ADJP", r"((CC|CJ|(?<!W)RB|RBR|RBS|JJ|JJR|JJS)/)*((JJ|JJR|JJS)/)+"),
    ("ADVP", r"(((?<!W)RB|RBR|RBS|WRB)/)+"),
)
_CHAR_RULES = (
    ("NP", re.compile(f"(?:{_NOUN}*{_DET}*|[BC]{_DET}*){_MOD}*{_NOUN}+")),
    ("PP", re.compile("[qr]+")),
    ("VP", re.compile("(?:[tjkl]*[uvwxyz]+)+")),
    ("VP", re.compile("t")),
    ("ADJP", re.compile("[ijklmop]*[mop]+")),
    ("ADVP", re.compile("[jklA]+")),
)


_RULES_CHECKED: dict[tuple[int, str], tuple[object, bool]] = {}  # (id, separator) -> answer


def _char_rules(rules: list[tuple[str, Any]], separator: str) -> bool:
    """Whether *rules* and *separator* are TextBlob's English ones (``_CHAR_RULES`` apply);
    worked out once per rule list."""
    known = _RULES_CHECKED.get((id(rules), separator))
    if known is None or known[0] is not rules:
        spelled = tuple((name, getattr(rule, "pattern", None)) for name, rule in rules)
        known = _RULES_CHECKED[id(rules), separator] = (
            rules,
            separator == "/" and spelled == _TEXTBLOB_RULES,
        )
    return known[1]


def find_chunks(tags: list[str], rules: list[tuple[str, Any]], separator: str) -> list[str] | None:
    """Per token, its chunk tag (``B-NP``, ``I-VP``, ``O`` ...), as TextBlob's
    ``find_chunks`` gives it for tokens with *tags* (*rules*: its ``CHUNKS[0]``); None for
    a tag holding the separator (or a separator of more than one character), which the
    tagger never gives (TextBlob's own bookkeeping then goes wrong: leave it to TextBlob)."""
    spelled = [_TAG_CHARS.get(tag) for tag in tags]
    if None not in spelled and _char_rules(rules, separator):
        return _find_chunks_spelled(tags, "".join(spelled))  # type: ignore[arg-type]
    string = separator.join(tags) + separator
    if string.count(separator) != len(tags) or len(separator) != 1:
        return None
    # each token's separator: the matches' token indices by binary search
    seps = [end - 1 for end in accumulate(len(tag) + len(separator) for tag in tags)]
    chunk: list[str | None] = [None] * len(tags)
    for name, rule in rules:
        for m in rule.finditer(string):
            j = bisect_left(seps, m.start())
            _mark(chunk, tags, (j, bisect_left(seps, m.end())), name)
    return _corrected(tags, [c or "O" for c in chunk], "RB" in string)


def _find_chunks_spelled(tags: list[str], spelled: str) -> list[str]:
    """``find_chunks`` over the tags spelled one character each (``_TAG_CHARS``)."""
    chunk: list[str | None] = [None] * len(tags)
    for name, rule in _CHAR_RULES:
        for m in rule.finditer(spelled):
            _mark(chunk, tags, m.span(), name)
    return _corrected(tags, [c or "O" for c in chunk], any("RB" in tag for tag in tags))


def _mark(chunk: list[str | None], tags: list[str], span: tuple[int, int], name: str) -> None:
    """Label the tokens of one rule's match (*span*: token indices) as TextBlob does: tokens
    an earlier rule took keep their label, and a conjunction cannot open the chunk."""
    begin, inside = "B-" + name, "I-" + name
    j, end = span
    for k in range(j, end):
        if chunk[k] is not None:
            continue
        if k == j and tags[k] in _CONJUNCTIONS:
            j += 1
        elif k == j:
            chunk[k] = begin
        else:
            chunk[k] = inside


def _corrected(tags: list[str], out: list[str], adverbs: bool) -> list[str]:
    """TextBlob's post-correction of an adverb opening a noun phrase (*adverbs*: some tag
    holds "RB", else there is nothing to correct)."""
    if adverbs:  # (the correction is about RB* tags only)
        last = len(out) - 1
        for i, tag in enumerate(tags):
            # "Very nice work" (NP) <=> "Perhaps" (ADVP) + "you" (NP)
            if (
                out[i] == "B-NP"
                and tag.startswith("RB")
                and i < last
                and not tags[i + 1].startswith("JJ")
            ):
                out[i] = "B-ADVP"
                out[i + 1] = "B-NP"
    return out


def find_pnp(tags: list[str], chunks: list[str]) -> list[bool]:
    """Per token, whether TextBlob's ``find_prepositions`` puts it in a PNP chunk (a PP chunk
    followed by NP/PP chunks or participles)."""
    n = len(tags)
    pnp = [False] * n
    for i in [i for i, chunk in enumerate(chunks) if chunk.endswith("PP")]:
        if pnp[i] or i == n - 1:
            continue
        if not (chunks[i + 1].endswith(_PNP_NEXT) or tags[i + 1] in _PARTICIPLES):
            continue
        pnp[i] = True
        pp = True
        for c in range(i + 1, n):
            chunk = chunks[c]
            if not (chunk.endswith(_PNP_NEXT) or tags[c] in _PARTICIPLES):
                break
            if chunk.endswith("PP"):
                if pp:
                    pnp[c] = True
            else:
                pnp[c] = True
                pp = False
    return pnp
