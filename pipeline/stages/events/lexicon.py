"""The coder's dictionaries: loaded from data files, merged with user directories, compiled once.

Everything the coder knows about actors and actions is data (``pipeline/stages/events/data/``):
users extend it by pointing ``NEWSWIRE_EVENTS_DICTIONARY_DIRS`` at directories holding files
with the same names and schema; their entries win over the packaged ones. The compiled lexicon
is cached per set of directories, and its fingerprint (a hash of every file read) is part of
the stored coder version, so editing a dictionary makes the stage re-code the articles.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from pipeline.stages.events.cache import cached_build
from pipeline.stages.events.discards import DISCARDS_FILE, DiscardIndex, read_discards
from pipeline.stages.events.entries import (
    CAPITAL,
    COUNTRY,
    IGNORE,
    IGO,
    NAMED,
    NOT_ALNUM,
    ROLE,
    ActorEntry,
    ActorIndex,
    AnchorPatterns,
    CameoCode,
    Lexicon,
    Pattern,
    Term,
    normalise,
    pattern_rank,
)
from pipeline.stages.events.patterns import (
    GAP_TOKEN,
    DictionaryError,
    LazyRegex,
    compile_pattern,
    inflections,
    pattern_keys,
)

__all__ = [
    "CAPITAL",
    "COUNTRY",
    "GAP_TOKEN",
    "IGNORE",
    "IGO",
    "NAMED",
    "ROLE",
    "ActorEntry",
    "DictionaryError",
    "LazyRegex",
    "Lexicon",
    "Pattern",
    "Term",
    "compile_pattern",
    "inflections",
    "load_lexicon",
    "normalise",
    "pattern_keys",
]

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
TSV_FILES = ("phoenix_actors.tsv", "phoenix_agents.tsv", "cameo_codes.tsv", DISCARDS_FILE)
# generated from the PETRARCH-2 verb dictionary (convert_petrarch_verbs.py): below the curated
# verbs.yaml of every directory
CONVERTED_VERBS = "petrarch_verbs.json"
# the code of a converted PETRARCH-2 "[---]" pattern (``"null": true``): a match that codes nothing
NULL_CODE = "---"


def _iso(value: object, where: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DictionaryError(f"{where}: bad date {value!r} (want YYYY-MM-DD)") from None


def _plurals(noun: str) -> list[str]:
    """The regular plural PETRARCH generates for an agent noun (the Phoenix agents file lists
    only irregular ones): "envoy" -> "envoys" (not "envoies"), "witness" -> "witnesses",
    "coach" -> "coaches", "deputy" -> "deputies", "militiaman" -> "militiamen"; a noun already
    ending in a single "s" ("forces", "troops") is taken as plural."""
    if re.search(r"(?:ss|x|z|ch|sh)$", noun):
        return [noun + "es"]
    if noun.endswith("s"):
        return []
    if re.search(r"[^aeiou]y$", noun):
        return [noun[:-1] + "ies"]
    if noun.endswith("man") and not noun.endswith("human"):
        return [noun[:-3] + "men"]
    return [noun + "s"]


def close_stale_terms(terms: Sequence[Term]) -> list[Term]:
    """A person's terms with open-ended ones closed where the list itself dates that code.

    The Phoenix lists often give a holder an open-ended term from taking office ("MICHELLE
    BACHELET CHLGOV 2006-03-11") next to dated rows of the same code from that day on, whose
    last end is when the list last saw them in office: left open, the first would keep a
    former president in government for ever (in office a decade later, while at the UN). An
    open-ended term is closed at the latest end among the dated terms of its code that start
    on or after it; one with no such dated term stays open.
    """
    out: list[Term] = []
    for term in terms:
        if term.start is not None and term.end is None:
            ends = [
                t.end
                for t in terms
                if t.end is not None
                and t.start is not None
                and t.start >= term.start
                and (t.country, t.role) == (term.country, term.role)
            ]
            if ends:
                out.append(dataclasses.replace(term, end=max(ends)))
                continue
        out.append(term)
    return out


# the role whose open-ended Phoenix terms are offices held "as of the list": see close_at_horizon
OFFICE_ROLE = "GOV"


def close_at_horizon(terms: Sequence[Term], horizon: date | None) -> list[Term]:
    """A person's terms with open-ended government offices closed at the list's horizon.

    The Phoenix lists were last revised in early 2015 (*horizon*: the latest date anywhere in
    the list). An open-ended office there (``[POLGOV >100901]``) says the holder was still in
    office when the list was written, not that they are now: a decade on it coded a former
    president as the government. The list's own horizon is the last day it attests the
    office; after it the holder resolves as a former office holder (``ActorEntry.resolve``:
    the country with ELI), unless the curated ``office_holders.yaml`` gives their current
    term. Only the government role is closed: the other open-ended dated rows are
    organisations (an army, a rebel group, a council) whose code does not end with a person's
    tenure.
    """
    if horizon is None:
        return list(terms)
    return [
        dataclasses.replace(t, end=horizon)
        if t.role == OFFICE_ROLE and t.end is None and t.start is not None and t.start < horizon
        else t
        for t in terms
    ]


def first_names(grouped: dict[str, list[Term]]) -> set[str]:
    """The one-word person entries of the actor lists that are a common first name: a ruler
    known by his first name ("ABDULLAH" [SAUGOV]) whose word also begins the full names of
    persons of 3 or more other countries in the same lists ("ABDULLAH ABDULLAH" [AFG], ...).
    Alone in a text such a word is as likely anyone's first name; with a title ("King
    Abdullah") or a surname (a longer entry) it stays. Normalised phrases.

    A person entry: every term carries a role (an office, ELI) of a country that the lists
    name as a country (not an armed group, an IGO or a company). Derived from the
    dictionaries themselves, never a hand list."""
    states = {
        t.country
        for terms in grouped.values()
        if all(len(t.country) == 3 and t.role is None for t in terms)
        for t in terms
    }

    def person(terms: list[Term]) -> bool:
        return bool(terms) and all(t.role and t.country in states for t in terms)

    begins: dict[str, set[str]] = {}
    for phrase, terms in grouped.items():
        words = phrase.split()
        if len(words) > 1 and person(terms):
            begins.setdefault(words[0], set()).update(t.country for t in terms)
    out: set[str] = set()
    for phrase, terms in grouped.items():
        if " " in phrase or not person(terms):
            continue
        others = begins.get(phrase, set()) - {t.country for t in terms}
        if len(others) >= 3:
            out.add(normalise(phrase))
    return out


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


def _is_acronym(phrase: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", phrase)
    return letters.isupper() and len(letters) <= 5


class _Builder:
    """Collects entries from the packaged data and user directories, later sources winning."""

    def __init__(self) -> None:
        self.actor_layers: list[dict[str, list[ActorEntry]]] = []
        self.metonyms: dict[str, list[ActorEntry]] = {}  # curated, kept before role nouns
        self.patterns: list[Pattern] = []
        self.vetoed: set[str] = set()
        self.phrasal: set[str] = set()
        self.codes: dict[str, CameoCode] = {}
        self.future_codes: dict[str, str] = {}
        self.cues: dict[str, list[str]] = {}
        self.coreference: dict[str, list[str]] = {}
        self.irregular: dict[str, list[str]] = {}
        self.hasher = hashlib.sha256()
        self.files: list[str] = []
        self.discards: list[tuple[str, bool]] = []  # PETRARCH discard phrases (discards.py)
        self.phoenix_layers: list[dict[str, list[ActorEntry]]] = []
        self.first_names: set[str] = set()  # one-word person entries that are first names
        self.curated_people: set[str] = set()  # office_holders.yaml names, normalised
        self.curated_terms: dict[str, tuple[Term, ...]] = {}  # the same names: their terms

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
            # the last day the list attests anything: its open-ended offices end there
            horizon = max(
                (d for ts in grouped.values() for t in ts for d in (t.start, t.end) if d),
                default=None,
            )
            self.first_names |= first_names(grouped)
            layer = self._layer()
            self.phoenix_layers.append(layer)
            for phrase, raw_terms in grouped.items():
                terms = close_at_horizon(close_stale_terms(raw_terms), horizon)
                is_country = all(len(t.country) == 3 and t.role is None for t in terms)
                # short one-word names collide with ordinary words ("Sue", "Male"): they are
                # kept as abbreviations (ISIL, FARC, PKK, CIA, MSF) that must be upper case
                acronym = not is_country and " " not in phrase and len(phrase) < 5
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
                        case_sensitive=acronym or len(re.sub(r"[^A-Z]", "", phrase)) <= 3,
                    ),
                )
        discards = directory / DISCARDS_FILE
        if discards.is_file():
            self.note(discards)
            self.discards.extend(read_discards(discards))
        agents = directory / "phoenix_agents.tsv"
        if agents.is_file():
            self.note(agents)
            layer = self._layer()
            for row in _read_tsv(agents):
                if len(row) >= 2:
                    self._add_role(layer, row[0].lower(), row[1][:3])

    def _add_role(self, layer: dict[str, list[ActorEntry]], noun: str, role: str) -> None:
        forms = {noun, *_plurals(noun)}
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
            key = normalise(" ".join(str(phrase).split()))
            self.metonyms[key] = list(layer.get(key, []))
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
        for key, entries in layer.items():
            if self.metonyms.get(key):
                # "Congress" is the curated metonym (USALEG) when capitalised, and the role
                # noun only in lower case ("the party congress"): a role must not erase it
                layer[key] = [*self.metonyms[key], *entries]

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
                    str(t.get("country") or country),  # a term abroad: a UN office
                    str(t.get("role") or "GOV"),
                    _iso(t.get("start"), where),
                    _iso(t.get("end"), where),
                    t.get("title"),
                )
                for t in terms
            )
            for name in names:
                self._add(layer, ActorEntry(NAMED, str(name), built))
                self.curated_people.add(normalise(" ".join(str(name).split())))
                self.curated_terms[normalise(" ".join(str(name).split()))] = built

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
        # "struck down", "set up", "rounded up": a phrasal verb whose head alone means else
        self.phrasal.update(str(v).replace("_", " ") for v in data.get("null_phrasal_verbs") or [])
        entries = [(e, False) for e in data.get("verbs") or []]
        entries += [(e, True) for e in data.get("complements") or []]
        for i, (entry, complement) in enumerate(entries):
            where = f"{path.name} entry {i + 1}"
            code = str(entry.get("code", ""))
            null = bool(entry.get("null", False))
            if code not in self.codes and not (null and code == NULL_CODE):
                raise DictionaryError(f"{where}: unknown CAMEO code {code!r}")
            if entry.get("igo_code") and str(entry["igo_code"]) not in self.codes:
                raise DictionaryError(f"{where}: unknown CAMEO code {entry['igo_code']!r}")
            for text in entry.get("patterns") or []:
                if tier and str(text) in self.vetoed:
                    continue
                regex, anchors = compile_pattern(str(text), self.irregular, where, lazy=tier > 0)
                keys = pattern_keys(str(text), self.irregular)
                seq = len(self.patterns)
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
                        swap=bool(entry.get("swap", False)),
                        igo_code=str(entry.get("igo_code", "")),
                        null=null,
                        nominal=bool(entry.get("nominal", False)),
                        between=bool(entry.get("between", False)),
                        keys=keys,
                        seq=seq,
                        rank=pattern_rank(order_base + i, keys, seq),
                    )
                )

    def _titled_stale(self, merged: dict[str, list[ActorEntry]]) -> list[str]:
        """Phoenix phrases that are a title before a curated office holder's name.

        "PRESIDENT XI JINPING [CHNGOV >121115]" is the longest match in "Chinese President
        Xi Jinping", so it would hide the curated entry for Xi Jinping (and, its office
        closed at the list's horizon, code him a former holder). The curated name wins:
        such a phrase is dropped when the words before the name are a role noun, a country
        or a country and a role ("Chinese president"), and the text is read as the role
        and the curated name.
        """

        def describes(words: str) -> bool:
            if any(e.kind in (ROLE, COUNTRY) for e in merged.get(words, ())):
                return True
            parts = words.split(" ")
            return any(
                describes(" ".join(parts[:i])) and describes(" ".join(parts[i:]))
                for i in range(1, len(parts))
            )

        out = []
        for layer in self.phoenix_layers:
            for key in layer:
                if merged.get(key) is not layer[key] or key in self.curated_people:
                    continue  # replaced by a later layer, or a curated name itself
                words = key.split(" ")
                for i in range(1, len(words)):
                    if " ".join(words[i:]) in self.curated_people and describes(
                        " ".join(words[:i])
                    ):
                        out.append(key)
                        break
        return out

    def _curated_variants(self, merged: dict[str, list[ActorEntry]]) -> None:
        """Phoenix phrases that name a curated office holder take the curated terms.

        The Phoenix lists spell one person many ways ("BARACK_OBAMA", "+MR_OBAMA_", "BARACK
        HUSSEIN OBAMA", "OBAMA ADMINISTRATION"), each with the list's own open-ended office,
        which the horizon closes. The curated entry covers only the spellings it lists, so
        "Mr Obama" on a 2015 date would be a former office holder while "Obama" is the
        president. A Phoenix phrase that contains a curated name as whole words, and whose
        codes are all of that person's countries, is the same person: it resolves by the
        curated terms. A namesake of another country ("Alphonse Obama") keeps its own.
        """
        for layer in self.phoenix_layers:
            for key, entries in layer.items():
                if merged.get(key) is not entries or key in self.curated_people:
                    continue
                words = key.split(" ")
                spans = (
                    " ".join(words[i:j])
                    for i in range(len(words))
                    for j in range(i + 1, len(words) + 1)
                    if (i, j) != (0, len(words))
                )
                name = next((w for w in spans if w in self.curated_terms), None)
                if name is None:
                    continue
                terms = self.curated_terms[name]
                countries = {t.country for t in terms}
                if not all(t.country in countries for e in entries for t in e.terms):
                    continue
                merged[key] = [
                    dataclasses.replace(e, terms=terms) if e.kind == NAMED else e for e in entries
                ]

    def build(self) -> Lexicon:
        actors = ahocorasick.Automaton()
        merged: dict[str, list[ActorEntry]] = {}
        for layer in self.actor_layers:  # later layers replace earlier ones phrase by phrase
            merged.update(layer)
        for key in self._titled_stale(merged):
            del merged[key]
        self._curated_variants(merged)
        table: list[tuple[ActorEntry, ...]] = []
        for key, entries in merged.items():
            if entries:
                actors.add_word(key, (len(key), len(table)))
                table.append(tuple(entries))
        actors.make_automaton()
        anchors = ahocorasick.Automaton()
        by_anchor: dict[str, list[Pattern]] = {}
        for pattern in self.patterns:
            for anchor in pattern.anchors:
                by_anchor.setdefault(anchor, []).append(pattern)
        # the forms of one verb block ("kick", "kicked", "kicks" ...) anchor the same
        # patterns: one index serves them all (a fraction of the build time and memory)
        shared: dict[tuple[int, ...], AnchorPatterns] = {}
        for key, pats in by_anchor.items():
            signature = tuple(p.seq for p in pats)
            index = shared.get(signature)
            if index is None:
                index = shared[signature] = _anchor_index(pats)
            anchors.add_word(key, (len(key), index))
        anchors.make_automaton()
        return Lexicon(
            actors=ActorIndex(actors, table),
            anchors=anchors,
            anchor_words=bounded_anchors(anchors),
            codes=self.codes,
            future_codes=self.future_codes,
            cues=self.cues,
            coreference=self.coreference,
            fingerprint=self.hasher.hexdigest()[:12],
            files=self.files,
            discards=DiscardIndex(self.discards),
            first_names=frozenset(self.first_names),
            phrasal_verbs=frozenset(self.phrasal),
            past_forms=frozenset(
                form
                for lemma, forms in self.irregular.items()
                for form in forms
                if form != lemma and not form.endswith(("s", "ing"))
            ),
        )


def bounded_anchors(anchors: Any) -> Any:
    """The anchor automaton again, each word between two spaces and with its non-alphanumeric
    characters as spaces (``triggers.scan_anchors`` searches the sentence spelled that way):
    it only finds words with no letter or digit on either side. A value lists the words
    spelled alike (``cease-fire``, ``cease'fire``), each with its patterns, and None for a
    word of letters and digits only (nothing to check)."""
    spelled: dict[str, list[tuple[str | None, AnchorPatterns]]] = {}
    for key, (_length, index) in anchors.items():
        plain = NOT_ALNUM.sub(" ", key)
        exact = NOT_ALNUM.search(key) is None  # letters and digits only: found is found
        spelled.setdefault(f" {plain} ", []).append((None if exact else key, index))
    automaton = ahocorasick.Automaton()
    for word, found in spelled.items():
        automaton.add_word(word, (len(word) - 2, tuple(found)))
    automaton.make_automaton()
    return automaton


def _anchor_index(pats: list[Pattern]) -> AnchorPatterns:
    """The patterns of one anchor word, indexed by the word that must follow the verb, so a
    sentence only tries the patterns whose second word it contains (thousands share "said")."""
    ordered = sorted(pats, key=lambda p: (p.order, p.seq))
    free = tuple(p for p in ordered if not p.keys)
    keyed: dict[str, list[Pattern]] = {}
    for p in ordered:
        for word in p.keys:
            group = keyed.setdefault(word, [])
            if not group or group[-1] is not p:  # a verb whose forms repeat ("hit")
                group.append(p)
    return AnchorPatterns(
        free, {w: tuple(v) for w, v in keyed.items()}, frozenset(p.tier for p in ordered)
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
    # in memory per process; across processes through the user's cache (cache.py)
    lexicon = cached_build(directories, (*YAML_FILES, *TSV_FILES, CONVERTED_VERBS), _load)
    # the lexicon lives as long as the process: out of the cyclic garbage collector's way,
    # whose full collections would otherwise walk its ~250,000 objects again and again
    # (9% of the coder's CPU time on the dense bench, 2% frozen). Frozen objects are still
    # freed by reference counting; only cycles already garbage now would outlive it.
    gc.freeze()
    return lexicon


def load_lexicon(extra_dirs: Iterable[Path] = ()) -> Lexicon:
    """The packaged dictionaries extended by *extra_dirs* (later directories win), cached."""
    dirs = (DATA_DIR, *(Path(d).resolve() for d in extra_dirs))
    return _cached(dirs)
