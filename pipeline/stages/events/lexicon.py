"""The coder's dictionaries: loaded from data files, merged with user directories, compiled once.

Everything the coder knows about actors and actions is data (``pipeline/stages/events/data/``):
users extend it by pointing ``NEWSWIRE_EVENTS_DICTIONARY_DIRS`` at directories holding files
with the same names and schema; their entries win over the packaged ones. The compiled lexicon
is cached per set of directories, and its fingerprint (a hash of every file read) is part of
the stored coder version, so editing a dictionary makes the stage re-code the articles.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

LOGGER = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
YAML_FILES = (
    "countries.yaml",
    "igos.yaml",
    "roles.yaml",
    "office_holders.yaml",
    "verbs.yaml",
    "cues.yaml",
)
TSV_FILES = ("phoenix_actors.tsv", "phoenix_agents.tsv", "cameo_codes.tsv")
# generated from the PETRARCH-2 verb dictionary (convert_petrarch_verbs.py): below the curated
# verbs.yaml of every directory
CONVERTED_VERBS = "petrarch_verbs.json"

# kinds of actor dictionary entries
COUNTRY = "country"  # a country name or adjective: a country, and a place after a preposition
CAPITAL = "capital"  # a capital: the government as a subject, a place otherwise
NAMED = "named"  # a named actor: a person or institution with (dated) codes
IGO = "igo"
ROLE = "role"  # a role noun or title: only an actor next to a country or a name
IGNORE = "ignore"  # a phrase containing a name that is no actor ("South China Sea")


class DictionaryError(ValueError):
    """A dictionary file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Term:
    """A code an actor holds between two dates (None: open)."""

    country: str
    role: str | None
    start: date | None = None
    end: date | None = None
    title: str | None = None

    def covers(self, day: date) -> bool:
        """Whether the term is in force on *day* (the end date is exclusive)."""
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary phrase: what it is and the codes it can stand for."""

    kind: str
    phrase: str
    terms: tuple[Term, ...]
    case_sensitive: bool = False
    proper: bool = True  # must start with a capital letter in the text

    def resolve(self, day: date | None) -> Term | None:
        """The term in force on *day*; the most recent one when the date is unknown.

        A named person outside all their terms keeps their country with the role ELI (a
        political elite), which is what a former office holder is.
        """
        if not self.terms:
            return None
        if day is None:
            return max(self.terms, key=lambda t: (t.start or date.min, t.end or date.max))
        live = [t for t in self.terms if t.covers(day)]
        if live:
            return max(live, key=lambda t: (t.start is not None, t.start or date.min))
        latest = max(self.terms, key=lambda t: t.start or date.min)
        if self.kind == NAMED:
            return Term(latest.country, "ELI", title=None)
        if self.kind in (COUNTRY, CAPITAL, IGO) and len({t.country for t in self.terms}) == 1:
            return latest  # a gap in a country's dated codes (Iraq 2003-06) is still Iraq
        return None


@dataclass(frozen=True, slots=True)
class Pattern:
    """A compiled action pattern."""

    code: str
    regex: LazyRegex
    anchors: tuple[str, ...]
    source: str
    target: str = "actor"
    locate: bool = False
    reciprocal: bool = False
    no_target: bool = False
    complement: bool = False
    confidence: float = 0.8
    order: int = 0
    verb_first: bool = False  # starts with a <lemma>: guard against noun readings ("a visit")
    intent: bool = False  # a bare intent, dropped when an action pattern follows it
    id: str = ""  # which dictionary entry: "verbs.yaml#12", "petrarch:ATTACK:L3012"
    tier: int = 0  # 0 curated, 1 converted (PETRARCH-2): a curated match wins an overlap
    weak: bool = False  # the words after the verb add no evidence ("came to")
    keys: frozenset[str] = frozenset()  # one of them must be in the sentence (its 2nd word)


@dataclass(frozen=True, slots=True)
class AnchorPatterns:
    """The patterns of one anchor word: those needing no second word, and the others by it."""

    free: tuple[Pattern, ...]
    keyed: dict[str, tuple[Pattern, ...]]
    tiers: frozenset[int] = frozenset()  # the layers with a pattern on this anchor

    def candidates(self, words: frozenset[str]) -> list[Pattern]:
        """The patterns that can match a sentence made of *words*, in dictionary order."""
        out = list(self.free)
        keyed = self.keyed
        hits = [keyed[w] for w in words if w in keyed] if keyed else []
        if hits:
            seen = {id(p) for p in out}
            for group in hits:
                for p in group:
                    if id(p) not in seen:
                        seen.add(id(p))
                        out.append(p)
            out.sort(key=lambda p: p.order)
        return out


@dataclass(frozen=True, slots=True)
class CameoCode:
    """A CAMEO code's name, root, quad class and Goldstein value (the manual's)."""

    code: str
    name: str
    root: str
    quad_class: int
    goldstein: float


@dataclass
class Lexicon:
    """Everything the coder reads, compiled: automata over actor phrases and trigger anchors."""

    actors: Any  # ahocorasick.Automaton: phrase -> (length, tuple[ActorEntry, ...])
    anchors: Any  # ahocorasick.Automaton: first word -> (length, tuple[Pattern, ...])
    codes: dict[str, CameoCode]
    future_codes: dict[str, str]
    cues: dict[str, list[str]]
    coreference: dict[str, list[str]]
    fingerprint: str
    files: list[str] = field(default_factory=list)
    past_forms: frozenset[str] = frozenset()  # irregular past tenses/participles (met, sent)
    # entries resolved per date (by id); bounded: cleared when it grows past a few thousand days
    resolved: dict[date | None, dict[int, Term | None]] = field(default_factory=dict)

    def cameo(self, code: str) -> CameoCode:
        """The code's table row; unknown codes are a dictionary error, caught at load time."""
        return self.codes[code]

    def future_code(self, code: str) -> str:
        """The code for an action announced for the future ("will meet" -> 036)."""
        return self.future_codes.get(code) or self.future_codes.get(code[:2]) or code


def normalise(text: str) -> str:
    """Lower-case with typographic apostrophes folded; keeps every offset unchanged."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def _iso(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DictionaryError(f"{where}: bad date {value!r} (want YYYY-MM-DD)") from None


def _split_code(code: str) -> tuple[str, str | None]:
    """``BLRGOV`` -> (BLR, GOV); IGO codes stay whole (they are their own "country")."""
    if code.startswith(("IGO", "NGO", "IMG", "MNC")):
        return code, None
    return code[:3], (code[3:6] or None)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise DictionaryError(f"{path}: not valid YAML: {exc}") from None
    except ValueError as exc:  # YAML builds dates itself: 2030-13-01 fails here
        raise DictionaryError(f"{path}: bad date or value: {exc}") from None


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except ValueError as exc:
        raise DictionaryError(f"{path}: not valid JSON: {exc}") from None


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]
    return rows[1:]  # header


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
_SHORT_GAP = r"(?:(?!(?:that|who|which|and|but|while|after|before|when)\s)[^\s;:!?,]+\s+){0,3}?"


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

    __slots__ = ("_compiled", "_irregular", "_lazy", "source")

    def __init__(self, source: str, irregular: dict[str, list[str]], *, lazy: bool) -> None:
        self.source = source
        self._irregular = irregular
        self._lazy = lazy
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled expression (built now if it was not yet)."""
        if self._compiled is None:
            self._compiled = re.compile(_pattern_regex(self.source, self._irregular, self._lazy))
        return self._compiled

    def match(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        """``re.Pattern.match`` on the compiled expression."""
        return self.compiled().match(text, pos, endpos)


def _pattern_regex(text: str, irregular: dict[str, list[str]], short_gaps: bool) -> str:
    """The regex of a pattern, anchored at its first word.

    The first word is found by the anchor automaton, on word boundaries, so the regex only
    has to consume it (one word), not repeat the alternation of every inflected form.
    """
    regex = ""
    pending_gap = False
    for i, token in enumerate(text.split()):
        if token == GAP_TOKEN:
            pending_gap = True
            continue
        if i == 0 and "_" not in token:
            regex = r"[^\s;:!?,.\"“”]+"
            continue
        piece = "(?:" + "|".join(_alt_regex(a, irregular)[0] for a in token.split("|") if a) + ")"
        if i == 0:
            regex = piece
        else:
            regex += r"\s+" + ((_SHORT_GAP if short_gaps else _GAP) if pending_gap else "") + piece
        pending_gap = False
    return regex + r"(?![\w'])"


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


def _is_acronym(phrase: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", phrase)
    return letters.isupper() and len(letters) <= 5


class _Builder:
    """Collects entries from the packaged data and user directories, later sources winning."""

    def __init__(self) -> None:
        self.actor_layers: list[dict[str, list[ActorEntry]]] = []
        self.patterns: list[Pattern] = []
        self.vetoed: set[str] = set()
        self.codes: dict[str, CameoCode] = {}
        self.future_codes: dict[str, str] = {}
        self.cues: dict[str, list[str]] = {}
        self.coreference: dict[str, list[str]] = {}
        self.irregular: dict[str, list[str]] = {}
        self.hasher = hashlib.sha256()
        self.files: list[str] = []

    def _layer(self) -> dict[str, list[ActorEntry]]:
        layer: dict[str, list[ActorEntry]] = {}
        self.actor_layers.append(layer)
        return layer

    def _add(self, layer: dict[str, list[ActorEntry]], entry: ActorEntry) -> None:
        key = normalise(" ".join(entry.phrase.split()))
        if len(key) >= 2:
            layer.setdefault(key, []).append(entry)

    def note(self, path: Path) -> None:
        self.hasher.update(path.name.encode())
        self.hasher.update(path.read_bytes())
        self.files.append(str(path))

    # --- TSV conversions of the Phoenix lists (the oldest layer)
    def phoenix(self, directory: Path) -> None:
        actors = directory / "phoenix_actors.tsv"
        if actors.is_file():
            self.note(actors)
            grouped: dict[str, list[Term]] = {}
            for row in _read_tsv(actors):
                if len(row) < 4:
                    continue
                phrase, code, start, end = row[:4]
                country, role = _split_code(code)
                where = f"{actors.name}: {phrase}"
                grouped.setdefault(phrase, []).append(
                    Term(country, role, _iso(start, where), _iso(end, where))
                )
            layer = self._layer()
            for phrase, terms in grouped.items():
                is_country = all(len(t.country) == 3 and t.role is None for t in terms)
                if not is_country and " " not in phrase and len(phrase) < 5:
                    continue  # short one-word names collide with ordinary words
                kind = COUNTRY if is_country else NAMED
                if is_country and re.search(r"(?:AN|I)$", phrase):
                    # demonyms name the people too: "Albanians demonstrated"
                    self._add(layer, ActorEntry(COUNTRY, phrase + "S", tuple(terms)))
                if all(t.country.startswith("IGO") for t in terms) and not any(
                    t.start for t in terms
                ):
                    kind = IGO
                self._add(
                    layer,
                    ActorEntry(
                        kind,
                        phrase,
                        tuple(terms),
                        # the lists are all upper case: only very short names (US, UN) are
                        # abbreviations that must match in upper case; IRAQ, PERU are not
                        case_sensitive=len(re.sub(r"[^A-Z]", "", phrase)) <= 3,
                    ),
                )
        agents = directory / "phoenix_agents.tsv"
        if agents.is_file():
            self.note(agents)
            layer = self._layer()
            for row in _read_tsv(agents):
                if len(row) >= 2:
                    self._add_role(layer, row[0].lower(), row[1][:3])

    def _add_role(self, layer: dict[str, list[ActorEntry]], noun: str, role: str) -> None:
        forms = {noun}
        if not noun.endswith("s"):
            forms.add(noun[:-1] + "ies" if noun.endswith("y") else noun + "s")
        for form in forms:
            self._add(layer, ActorEntry(ROLE, form, (Term("", role),), proper=False))

    def cameo_codes(self, path: Path) -> None:
        self.note(path)
        for row in _read_tsv(path):
            if len(row) < 5:
                continue
            code, root, quad, goldstein, name = row[:5]
            try:
                self.codes[code] = CameoCode(code, name, root, int(quad), float(goldstein))
            except ValueError:
                raise DictionaryError(f"{path.name}: bad row for code {code!r}") from None

    # --- curated YAML
    def countries(self, path: Path) -> None:
        data = _read_yaml(path) or {}
        layer = self._layer()
        ignore = {normalise(p) for p in data.get("ignore") or []}
        for iso, names in (data.get("names") or {}).items():
            for name in names:
                self._add(
                    layer,
                    ActorEntry(
                        COUNTRY, name, (Term(str(iso), None),), case_sensitive=_is_acronym(name)
                    ),
                )
        for iso, capitals in (data.get("capitals") or {}).items():
            for name in capitals:
                self._add(layer, ActorEntry(CAPITAL, name, (Term(str(iso), "GOV"),)))
        for phrase, code in (data.get("metonyms") or {}).items():
            country, role = _split_code(str(code))
            self._add(
                layer,
                ActorEntry(
                    NAMED, phrase, (Term(country, role),), case_sensitive=_is_acronym(phrase)
                ),
            )
        for phrase in ignore:
            layer[phrase] = [ActorEntry(IGNORE, phrase, (), proper=False)]

    def igos(self, path: Path) -> None:
        data = _read_yaml(path) or {}
        layer = self._layer()
        for code, names in data.items():
            for name in names:
                self._add(
                    layer,
                    ActorEntry(
                        IGO, name, (Term(str(code), None),), case_sensitive=_is_acronym(name)
                    ),
                )

    def roles(self, path: Path) -> None:
        data = _read_yaml(path) or {}
        layer = self._layer()
        for role, nouns in data.items():
            for noun in nouns:
                self._add_role(layer, str(noun).lower(), str(role))

    def office_holders(self, path: Path) -> None:
        data = _read_yaml(path) or []
        layer = self._layer()
        for i, rec in enumerate(data):
            where = f"{path.name} entry {i + 1}"
            try:
                names, country, terms = rec["names"], str(rec["country"]), rec["terms"]
            except (KeyError, TypeError):
                raise DictionaryError(f"{where}: needs names, country and terms") from None
            built = tuple(
                Term(
                    country,
                    str(t.get("role") or "GOV"),
                    _iso(t.get("start"), where),
                    _iso(t.get("end"), where),
                    t.get("title"),
                )
                for t in terms
            )
            for name in names:
                self._add(layer, ActorEntry(NAMED, str(name), built))

    def cue_words(self, path: Path) -> None:
        data = _read_yaml(path) or {}
        for key, words in data.items():
            if key == "irregular_verbs":
                self.irregular.update({str(k): [str(f) for f in v] for k, v in words.items()})
            elif key == "coreference":
                self.coreference.update({str(k): [str(w) for w in v] for k, v in words.items()})
            else:
                self.cues[str(key)] = [str(w) for w in words]

    def verbs(self, path: Path, order_base: int, tier: int = 0) -> None:
        data = _read_json(path) if path.suffix == ".json" else (_read_yaml(path) or {})
        for lemma, forms in (data.get("irregular_verbs") or {}).items():
            # forms the converted dictionary spells out; the curated cues.yaml wins
            self.irregular.setdefault(str(lemma), [str(f) for f in forms])
        self.future_codes.update(
            {str(k): str(v) for k, v in (data.get("future_codes") or {}).items()}
        )
        # curated vetoes of converted entries ("<beat>": a game more often than an assault)
        self.vetoed.update(str(v) for v in data.get("not_converted") or [])
        entries = [(e, False) for e in data.get("verbs") or []]
        entries += [(e, True) for e in data.get("complements") or []]
        for i, (entry, complement) in enumerate(entries):
            where = f"{path.name} entry {i + 1}"
            code = str(entry.get("code", ""))
            if code not in self.codes:
                raise DictionaryError(f"{where}: unknown CAMEO code {code!r}")
            for text in entry.get("patterns") or []:
                if tier and str(text) in self.vetoed:
                    continue
                regex, anchors = compile_pattern(str(text), self.irregular, where, lazy=tier > 0)
                self.patterns.append(
                    Pattern(
                        code=code,
                        regex=regex,
                        anchors=tuple(anchors),
                        source=str(text),
                        target=str(entry.get("target", "actor")),
                        locate=bool(entry.get("locate", False)),
                        reciprocal=bool(entry.get("reciprocal", False)),
                        no_target=bool(entry.get("no_target", False)),
                        complement=complement or entry.get("frame") == "complement",
                        confidence=float(entry.get("confidence", 0.8)),
                        order=order_base + i,
                        verb_first=str(text).startswith("<"),
                        intent=bool(entry.get("intent", False)),
                        id=str(entry.get("id") or f"{path.name}#{i + 1}"),
                        tier=tier,
                        weak=bool(entry.get("weak", False)),
                        keys=pattern_keys(str(text), self.irregular),
                    )
                )

    def build(self) -> Lexicon:
        actors = ahocorasick.Automaton()
        merged: dict[str, list[ActorEntry]] = {}
        for layer in self.actor_layers:  # later layers replace earlier ones phrase by phrase
            merged.update(layer)
        for key, entries in merged.items():
            if entries:
                actors.add_word(key, (len(key), tuple(entries)))
        actors.make_automaton()
        anchors = ahocorasick.Automaton()
        by_anchor: dict[str, list[Pattern]] = {}
        for pattern in self.patterns:
            for anchor in pattern.anchors:
                by_anchor.setdefault(anchor, []).append(pattern)
        for key, pats in by_anchor.items():
            ordered = sorted(pats, key=lambda p: p.order)
            # patterns indexed by the word that must follow the verb, so a sentence only
            # tries the patterns whose second word it contains (thousands share "said")
            free = tuple(p for p in ordered if not p.keys)
            keyed: dict[str, list[Pattern]] = {}
            for p in ordered:
                for word in p.keys:
                    keyed.setdefault(word, []).append(p)
            anchors.add_word(
                key,
                (
                    len(key),
                    AnchorPatterns(
                        free,
                        {w: tuple(v) for w, v in keyed.items()},
                        frozenset(p.tier for p in ordered),
                    ),
                ),
            )
        anchors.make_automaton()
        return Lexicon(
            actors=actors,
            anchors=anchors,
            codes=self.codes,
            future_codes=self.future_codes,
            cues=self.cues,
            coreference=self.coreference,
            fingerprint=self.hasher.hexdigest()[:12],
            files=self.files,
            past_forms=frozenset(
                form
                for lemma, forms in self.irregular.items()
                for form in forms
                if form != lemma and not form.endswith(("s", "ing"))
            ),
        )


def _load(directories: Sequence[Path]) -> Lexicon:
    builder = _Builder()
    base = directories[0]
    builder.cameo_codes(base / "cameo_codes.tsv")
    for directory in directories:
        if not directory.is_dir():
            raise DictionaryError(f"events dictionary directory {directory} does not exist")
        builder.phoenix(directory)
    for directory in directories:
        path = directory / "cues.yaml"
        if path.is_file():
            builder.note(path)
            builder.cue_words(path)
    # user directories come later in `directories`; their verbs are tried first
    for rank, directory in enumerate(reversed(directories)):
        path = directory / "verbs.yaml"
        if path.is_file():
            builder.note(path)
            builder.verbs(path, order_base=rank * 100_000)
    for rank, directory in enumerate(reversed(directories)):
        path = directory / CONVERTED_VERBS
        if path.is_file():
            builder.note(path)
            builder.verbs(path, order_base=(len(directories) + rank) * 100_000, tier=1)
    for directory in directories:
        for name, load in (
            ("countries.yaml", builder.countries),
            ("igos.yaml", builder.igos),
            ("roles.yaml", builder.roles),
            ("office_holders.yaml", builder.office_holders),
        ):
            path = directory / name
            if path.is_file():
                builder.note(path)
                load(path)
    lexicon = builder.build()
    LOGGER.debug(
        "events lexicon loaded: %s files, %s patterns, fingerprint %s",
        len(builder.files),
        len(builder.patterns),
        lexicon.fingerprint,
    )
    return lexicon


@lru_cache(maxsize=8)
def _cached(directories: tuple[Path, ...]) -> Lexicon:
    return _load(directories)


def load_lexicon(extra_dirs: Iterable[Path] = ()) -> Lexicon:
    """The packaged dictionaries extended by *extra_dirs* (later directories win), cached."""
    dirs = (DATA_DIR, *(Path(d).resolve() for d in extra_dirs))
    return _cached(dirs)
