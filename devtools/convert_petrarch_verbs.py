"""Convert the MIT-licensed PETRARCH-2 verb dictionary (``CAMEO.2.0.txt``) into coder patterns.

Run once by a maintainer (``python -m devtools.convert_petrarch_verbs REFERENCE_DIR``,
where REFERENCE_DIR holds ``phoenix-dictionaries/CAMEO.2.0.txt``); the output,
``data/petrarch_verbs.json`` (JSON: it loads in milliseconds, YAML of this size in seconds),
is committed with the attribution in ``data/ATTRIBUTION.md``, like the Phoenix actor conversion
(``convert_phoenix.py``). The coder never reads the original.

How the PETRARCH-2 syntax is read (after ``PETRreader.read_verb_dictionary`` and the
dictionary's own header notes):

* ``--- NAME [code] ---`` opens a verb block; its code (``---``: none) is the code of a bare
  verb of the block that has no code of its own. A verb's own ``[---]`` is a code of its own
  (none): "COME [---]" in ARRIVE [040] is no arrival by itself, only in the block's patterns.
* Verb lines: ``WORD {FORMS} [code]``. ``{...}`` lists the irregular forms (then they are all
  given); without it the regular forms are generated. ``+BEEF_UP`` / ``RE_+ARREST`` are
  multi-word verbs whose ``+`` word inflects.
* ``&NAME`` synonym sets: ``+phrase`` lines; noun plurals are generated unless the label or
  the phrase ends in ``_`` (a word that already is plural keeps its form). The last literal
  word of a pattern's phrase (its head noun: ``ATTACK``, ``RAID``) matches its regular plural
  too.
* Patterns ``- PRE * POST [code]`` apply to every verb of the block. ``*`` is the verb; ``$``
  the source and ``+`` the target slot; ``^`` skips a noun phrase; ``(PREP ...)`` is a
  prepositional phrase; ``{A B}`` and ``A_B`` need consecutive words, a blank allows words in
  between (here: up to five, our ``...``); ``%`` (a compound-actor slot) is not supported.
* A code ``[a:b]`` is read as ``a``; a ``[---]`` pattern codes nothing, and is converted
  (``"null": true``) because its match takes its words from the block's shorter patterns and
  bare verbs, as PETRARCH-2's longest match does ("KILL" [190] but "KILLED IN ... ACCIDENT"
  [---]). ``[:b]`` (nothing before the
  colon) codes an action done TO the subject ("FACES PRESSURE (FROM)", "RECEIVED AN
  INVITATION", "CAME UNDER ATTACK"): the entry gets ``"swap": true`` and the coder swaps the
  dyad, the actor after the verb (the ``+`` slot or the PP object) being the source and the
  subject the target; with no such actor it codes nothing, as who acted is unknown.
  Multi-word verbs without a code ("STRIKE_DOWN", "SET_UP", "ROUND_UP") are listed as
  ``null_phrasal_verbs``: their head word alone ("struck") is another verb, so a one-word
  trigger that begins one of them is no event of its head's sense.

What is left out, on purpose: patterns with words before the verb other than the ``$``/``+``
slots (our coder matches from the verb onwards; the subject is found by position), patterns
whose source slot follows the verb, ``%`` slots, and codes that are not in the CAMEO table.
Synonym sets are expanded into alternatives, so the output is plain coder syntax
(``<lemma>``, ``a|b``, ``a_b``, ``...``) and one more layer of ``verbs.yaml`` entries that the
curated patterns override.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.stages.events.lexicon import DATA_DIR, NULL_CODE

OUTPUT = DATA_DIR / "petrarch_verbs.json"
SOURCE_NAME = "CAMEO.2.0.txt"

GAP = "..."
# a bare "said", "told", "announced" coded 010 is the catch-all that floods event tables
CATCH_ALL = frozenset({"010"})

# words that add no evidence to a verb: a pattern made only of them is as weak as the verb
FUNCTION_WORDS = frozenset(
    (  # noqa: SIM905 - a word list, kept compact
        "a an the to with at in on of for from by into onto"
        " over out up down off about against back away through toward towards under upon"
        " as it its their this that these those letter message report statement"
    ).split()
)

# Converted codes the CAMEO codebook gives otherwise, as (block, verb) -> (dictionary's code,
# ours, why); ours applies when the verb's object is an organisation (an IGO actor), the
# dictionary's otherwise. The dictionary's code is checked, so a changed source shows here.
CODE_OVERRIDES: dict[tuple[str, str], tuple[str, str, str]] = {
    # "Finland joined the alliance", "joined the bloc": becoming a member is diplomatic
    # cooperation (050, "initiate or expand diplomatic cooperation"), as the dictionary itself
    # codes JOIN COALITION; joining a person ("joined his counterpart") stays a meeting (040),
    # and a treaty joined is JOIN &TREATY [057]
    ("ASSEMBLE", "<join>"): ("040", "050", "joining an organisation or alliance is 050"),
    ("ASSEMBLE", "<conjoin>"): ("040", "050", "joining an organisation or alliance is 050"),
}

_CODE = re.compile(r"\[([^\]]*)\]")
_WORD = re.compile(r"^[A-Z][A-Z'-]*$")

LICENSE = [
    "Generated by devtools/convert_petrarch_verbs.py from the PETRARCH-2 verb dictionary",
    "CAMEO.2.0.txt (openeventdata, MIT; see ATTRIBUTION.md). Do not edit by hand: put corrections",
    "in verbs.yaml (curated, tried first, winning) or a NEWSWIRE_EVENTS_DICTIONARY_DIRS layer.",
    "The MIT License (MIT) - Copyright (c) 2015 Open Event Data Alliance",
    "Permission is hereby granted, free of charge, to any person obtaining a copy of this software"
    " and associated documentation files (the 'Software'), to deal in the Software without"
    " restriction, including without limitation the rights to use, copy, modify, merge, publish,"
    " distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom"
    " the Software is furnished to do so, subject to the following conditions: The above"
    " copyright notice and this permission notice shall be included in all copies or substantial"
    " portions of the Software.",
    "THE SOFTWARE IS PROVIDED 'AS IS', WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,"
    " INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR"
    " PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE"
    " FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR"
    " OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER"
    " DEALINGS IN THE SOFTWARE.",
]


@dataclass
class Verb:
    """One verb of a block: its pattern token and its own code (None: the block's)."""

    token: str  # "<give>" or a literal multi-word alternative list
    code: str | None
    lemma: str | None  # set for one-word verbs (irregular forms are keyed by it)
    # its own ``[---]``: the verb alone codes nothing, whatever the block's code ("COME [---]"
    # in ARRIVE [040], "HOLD [---]" in CONFINE [170]); only the block's patterns code it
    uncoded: bool = False


@dataclass
class Block:
    """A verb block: a name, a default code, its verbs and its patterns (post-verb, code)."""

    name: str
    code: str | None
    line: int
    verbs: list[Verb] = field(default_factory=list)
    # (post, code, line, swapped): swapped for a ``[:code]`` (an action done to the subject);
    # code NULL_CODE for a ``[---]`` pattern
    patterns: list[tuple[str, str, int, bool]] = field(default_factory=list)


@dataclass
class Conversion:
    """The converter's result: pattern entries, irregular forms and what was skipped, why."""

    entries: list[dict[str, object]] = field(default_factory=list)
    irregular: dict[str, list[str]] = field(default_factory=dict)
    phrasal: list[str] = field(default_factory=list)  # multi-word verbs with no code
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _code(raw: str) -> str | None:
    """``042`` -> 042, ``042:043`` -> 042, ``:173`` -> 173, ``---`` / empty -> None."""
    parts = [p.strip() for p in raw.split(":")]
    for part in parts:
        if part and part != "---" and part.isdigit():
            return part
    return None


def _target_side(raw: str) -> bool:
    """``:100`` (no code before the colon): the subject undergoes the action (PETRARCH's
    second code is for the reversed dyad)."""
    head, colon, tail = raw.partition(":")
    return bool(colon) and not head.strip() and bool(tail.strip())


def _plural(word: str) -> str:
    """The regular plural; a word that already is one ("TROOPS", "FORCES") stays as it is."""
    if word.endswith("S") and not word.endswith(("SS", "US", "IS")):
        return word
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return word[:-1] + "IES"
    if word.endswith(("S", "X", "CH", "SH")):
        return word + "ES"
    return word + "S"


def read_synsets(lines: list[str]) -> dict[str, list[str]]:
    """Every ``&NAME`` set: lower-cased phrases with words joined by ``_`` (plurals added)."""
    sets: dict[str, list[str]] = {}
    current: str | None = None
    no_plural = False
    for raw in lines:
        if raw.lstrip().startswith("#"):
            # a comment line inside a set ("&CURRENCY" opens with one) does not end it
            continue
        line = raw.split("#", 1)[0].rstrip()
        if line.startswith("&"):
            label = line.strip()
            no_plural = label.endswith("_")
            current = label.rstrip("_")
            sets.setdefault(current, [])
            continue
        if current is None:
            continue
        if line.startswith("+"):
            phrase = line[1:].strip()
            words = re.split(r"[\s_]+", phrase.strip("_"))
            words = [w for w in words if w]
            if not words:
                continue
            forms = ["_".join(words)]
            if not (no_plural or phrase.endswith("_")):
                plural = "_".join([*words[:-1], _plural(words[-1])])
                if plural != forms[0]:
                    forms.append(plural)
            for form in forms:
                if form.lower() not in sets[current]:
                    sets[current].append(form.lower())
        elif line.strip() == "" or line.startswith(("-", "---")):
            current = None
        else:
            current = None
    return sets


def _verb_line(line: str, block: Block, conv: Conversion) -> None:
    text = line.split("#", 1)[0]
    m = _CODE.search(text)
    code = _code(m.group(1)) if m else None
    uncoded = m is not None and code is None  # "[---]": not the block's code, none at all
    head = _CODE.sub("", text).strip()
    forms: list[str] = []
    listed = "{" in head  # "{}" lists no other forms: the verb has only the one written
    if listed:
        head, _, rest = head.partition("{")
        forms = rest.split("}", 1)[0].split()
        head = head.strip()
    if not head:
        return
    if "+" in head or "_" in head:  # a multi-word verb: its '+' word inflects
        words = head.split("_")
        if forms or listed:
            phrases = [head, *forms]
        else:
            plus = next((i for i, w in enumerate(words) if w.startswith("+")), None)
            if plus is None:
                conv.skip("multi-word verb without +")
                return
            root = words[plus][1:]
            phrases = []
            for form in _regular_forms(root):
                phrases.append("_".join([*words[:plus], "+" + form, *words[plus + 1 :]]))
        alts = []
        for phrase in phrases:
            clean = [w.lstrip("+").lower() for w in phrase.split("_") if w.strip("+")]
            if clean and all(_WORD.match(w.upper()) for w in clean):
                alts.append("_".join(clean))
        if alts:
            block.verbs.append(Verb("|".join(dict.fromkeys(alts)), code, None, uncoded))
        return
    if not _WORD.match(head):
        conv.skip("verb line not understood")
        return
    lemma = head.lower()
    if forms:
        conv.irregular[lemma] = [f.lower() for f in forms if f.lower() != lemma]
    block.verbs.append(Verb(f"<{lemma}>", code, lemma, uncoded))


def _regular_forms(root: str) -> list[str]:
    if root.endswith("E"):
        return [root, root + "S", root + "D", root[:-1] + "ING"]
    return [root, root + "S", root + "ED", root + "ING"]


def read_blocks(lines: list[str], conv: Conversion) -> list[Block]:
    """The verb blocks after the ``VERB PATTERNS`` marker, in file order."""
    blocks: list[Block] = []
    block: Block | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        stripped = line.strip()
        if stripped.startswith("---"):
            m = _CODE.search(stripped)
            name = _CODE.sub("", stripped).strip("- ").strip()
            block = Block(name, _code(m.group(1)) if m else None, number)
            blocks.append(block)
            continue
        if block is None or not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("-"):
            body = stripped[1:].split("#", 1)[0]
            m = _CODE.search(body)
            if m is None:
                conv.skip("pattern without a code")
                continue
            # "[---]": the words are no event, and the match keeps the bare verb (its span's
            # shorter match) from coding the block's default ("KILLED IN ... ACCIDENT")
            code = _code(m.group(1))
            if code is None and m.group(1).strip() == NULL_CODE:
                code = NULL_CODE
            if code is None:  # "[080!]" (BACK DOWN FROM): no code PETRARCH-2 reads either
                conv.skip("pattern code not understood")
                continue
            # "FACE PRESSURE (FROM) [:100]", "RECEIVE INVITATION [:026]": the code is of an
            # action done TO the sentence's subject by the actor after the verb; the entry
            # is converted with ``swap`` (the coder makes the subject the target)
            swapped = _target_side(m.group(1))
            block.patterns.append((_CODE.sub("", body).strip(), code, number, swapped))
        elif stripped.startswith("&"):
            block = None  # a synset defined between blocks
        else:
            _verb_line(stripped, block, conv)
    return blocks


def _phrase_tokens(text: str, synsets: dict[str, list[str]]) -> list[str] | None:
    """One pattern part to coder tokens (``...`` between words that need not be adjacent)."""
    out: list[str] = []
    text = text.replace("_ ", " ")
    pieces = re.findall(r"\{[^}]*\}|\([^)]*\)|[^\s{}()]+", text)
    for piece in pieces:
        sub: list[str] | None
        if piece.startswith("{"):
            sub = _words(piece[1:-1].split(), synsets)
        elif piece.startswith("("):
            inner = piece[1:-1].strip()
            sub = _phrase_tokens(inner, synsets)
        else:
            sub = _words(piece.split("_"), synsets)
        if sub is None:
            return None
        if out and sub and out[-1] != "..." and sub[0] != "...":
            out.append("...")
        out.extend(sub)
    return out


def _words(words: list[str], synsets: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    for word in words:
        if not word:
            continue
        if word in ("+", "$"):
            out.append("...")  # the slot: an actor found by position
            continue
        if word == "^":
            out.append("...")
            continue
        if word.startswith("&"):
            members = synsets.get(word.rstrip("_"))
            if not members:
                raise KeyError(word)
            out.append("|".join(members))
            continue
        clean = re.sub(r"[^A-Za-z0-9'-]", "", word).lower()
        if clean:
            out.append(clean)
    # the head noun of a literal phrase in its plural too, as the synonym sets have it: the
    # dictionary writes "CARRIED_OUT ... ATTACK", wire copy "carried out several attacks"
    if out and out[-1] != GAP and "|" not in out[-1] and _pluralisable(out[-1]):
        out[-1] = f"{out[-1]}|{_plural(out[-1].upper()).lower()}"
    return out


def _pluralisable(word: str) -> bool:
    """A content word whose regular plural is another surface form of the same noun."""
    return (
        word.isalpha()
        and len(word) > 3
        and word not in FUNCTION_WORDS
        and _plural(word.upper()).lower() != word
    )


def _tidy(tokens: list[str]) -> list[str]:
    """Collapse gaps and drop trailing ones (a leading one follows the verb)."""
    out: list[str] = []
    for token in tokens:
        if token == GAP and out and out[-1] == GAP:
            continue
        out.append(token)
    while out and out[-1] == GAP:
        out.pop()
    return out


def convert(source: Path, codes: set[str]) -> Conversion:
    """Read ``CAMEO.2.0.txt`` into pattern entries (see the module docstring)."""
    lines = source.read_text(encoding="utf-8", errors="replace").splitlines()
    marker = next((i for i, line in enumerate(lines) if "VERB PATTERNS" in line), len(lines))
    conv = Conversion()
    synsets = read_synsets(lines)
    blocks = read_blocks(lines[marker:], conv)
    offset = marker
    for block in blocks:
        if not block.verbs:
            conv.skip("block without verbs")
            continue
        slug = re.sub(r"[^A-Z0-9]+", "_", block.name.upper()).strip("_")
        for verb in block.verbs:  # bare verbs
            code = None if verb.uncoded else verb.code or block.code
            if code is None:
                if verb.lemma is None:  # "STRIKE_DOWN" (FELL [---]): not its head's sense
                    conv.phrasal.extend(a for a in verb.token.split("|") if a)
                continue
            if code not in codes:
                conv.skip("code not in the CAMEO table")
                continue
            if code in CATCH_ALL:
                conv.skip("bare statement verb (no catch-all)")
                continue
            entry: dict[str, object] = {
                "code": code,
                "id": f"petrarch:{slug}:{verb.token}",
                "patterns": [verb.token],
            }
            igo_code = _override(slug, verb.token, code)
            if igo_code != code:
                entry["igo_code"] = igo_code
            conv.entries.append(entry)
        head = "|".join(v.token for v in block.verbs)
        speech = block.code in CATCH_ALL
        for post, code, number, swapped in block.patterns:
            if speech and code != NULL_CODE and code[:2] not in ("01", "02"):
                # "said the attack", "announced ... assistance": the noun after a speech verb
                # names what was talked about, not what the speaker did
                conv.skip("speech-verb pattern coding another action")
                continue
            found = _pattern_entry(post, code, head, synsets, conv, codes)
            if found is not None and swapped:
                found["swap"] = True
            if found is not None:
                found["id"] = f"petrarch:{slug}:L{number + offset}"
                conv.entries.append(found)
    # "- * ACCESS [---]" and "- * ACCESS [060]" in one block (GIVE): the same words both ways;
    # which PETRARCH-2 keeps depends on its tree's insertion order, so the coded reading stays
    coded = {str(e["patterns"][0]) for e in conv.entries if not e.get("null")}  # type: ignore[index]
    kept = []
    for entry in conv.entries:
        if entry.get("null") and str(entry["patterns"][0]) in coded:  # type: ignore[index]
            conv.skip("[---] pattern with the words of a coded one")
            continue
        kept.append(entry)
    conv.entries = kept
    return conv


def _override(block: str, verb: str, code: str) -> str:
    """The code of a bare verb with an organisation as its object, after ``CODE_OVERRIDES``
    (*code* when it has none; a stale override is an error)."""
    override = CODE_OVERRIDES.get((block, verb))
    if override is None:
        return code
    theirs, ours, _ = override
    if theirs != code:
        raise ValueError(f"override of {block} {verb}: the dictionary now codes {code}")
    return ours


def _pattern_entry(  # noqa: PLR0917 - one call site, all needed
    body: str,
    code: str,
    head: str,
    synsets: dict[str, list[str]],
    conv: Conversion,
    codes: set[str],
) -> dict[str, object] | None:
    null = code == NULL_CODE
    if code not in codes and not null:
        conv.skip("code not in the CAMEO table")
        return None
    if "*" not in body:
        conv.skip("pattern without a verb slot")
        return None
    if "%" in body:
        conv.skip("compound-actor slot (%)")
        return None
    pre, _, post = body.partition("*")
    if any(w not in ("$", "+") for w in pre.split()):
        conv.skip("words before the verb")
        return None
    if "$" in post:
        conv.skip("source slot after the verb")
        return None
    try:
        tokens = _phrase_tokens(post.strip(), synsets)
    except KeyError:
        conv.skip("undefined synset")
        return None
    if tokens is None:
        conv.skip("pattern not understood")
        return None
    # a blank after the verb lets words intervene ("rushed emergency aid"), like any blank
    tokens = _tidy(["...", *tokens]) if tokens else []
    entry: dict[str, object] = {"code": code, "patterns": [" ".join([head, *tokens])]}
    if null:
        entry["null"] = True
    words = [t for t in tokens if t != "..."]
    if all(w in FUNCTION_WORDS for w in words):
        # "came to", "conflict with", "receive a letter": no more evidence than the verb
        entry["weak"] = True
    if "+" in pre:  # "+ BEEN * BY $": the target is before the verb (a passive frame)
        conv.skip("target slot before the verb")
        return None
    return entry


def _codes_table(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]
    return {r[0] for r in rows[1:]}


def render(conv: Conversion, origin: str) -> str:
    """The JSON text of a conversion (stable: regenerating gives the same bytes)."""
    merged: dict[tuple[str, str], dict[str, object]] = {}
    for entry in conv.entries:
        pattern = str(entry["patterns"][0])  # type: ignore[index]
        key = (str(entry["code"]), pattern)
        kept = merged.setdefault(key, entry)
        if entry.get("swap") and not kept.get("swap"):
            # "GAIN BACKING [051]" and "RECEIVE BACKING [:051]" in one block: the same words
            # coded both ways; the [:code] reading (the subject gets the backing) is CAMEO's
            merged[key] = entry
    body = {
        "_license": LICENSE,
        "_source": origin,
        "_skipped": dict(sorted(conv.skipped.items())),
        "irregular_verbs": {k: conv.irregular[k] for k in sorted(conv.irregular)},
        "null_phrasal_verbs": sorted(set(conv.phrasal)),
        "verbs": list(merged.values()),
    }
    return json.dumps(body, ensure_ascii=False, indent=0) + "\n"


def iter_source(reference: Path) -> Iterator[Path]:
    """The dictionary file inside a reference directory (``phoenix-dictionaries/``)."""
    path = reference / "phoenix-dictionaries" / SOURCE_NAME
    if path.is_file():
        yield path


def generate(reference: Path) -> str:
    """The text of ``petrarch_verbs.yaml`` generated from *reference* (the shared events dir)."""
    source = next(iter_source(reference), None)
    if source is None:
        raise FileNotFoundError(f"{SOURCE_NAME} not found under {reference}")
    origin_file = source.parent / "ORIGIN_COMMIT"
    commit = origin_file.read_text(encoding="utf-8").split()[0] if origin_file.is_file() else "?"
    codes = _codes_table(DATA_DIR / "cameo_codes.tsv")
    conv = convert(source, codes)
    return render(conv, f"openeventdata {SOURCE_NAME}, commit {commit}")


def main(argv: list[str] | None = None) -> int:
    """``python -m devtools.convert_petrarch_verbs REFERENCE_DIR [OUTPUT]``."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__)
        return 2
    out = Path(args[1]) if len(args) > 1 else OUTPUT
    out.write_text(generate(Path(args[0])), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
