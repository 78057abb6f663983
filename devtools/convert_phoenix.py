"""Convert the MIT-licensed Phoenix/PETRARCH dictionaries into the project's own TSV files.

Run once by a maintainer (``python -m devtools.convert_phoenix REFERENCE_DIR``) where
REFERENCE_DIR holds ``phoenix-dictionaries/`` and ``cameo_codes.tsv``; the output is committed
under ``pipeline/stages/events/data/`` with the attribution kept in ``data/ATTRIBUTION.md``.
The coder never reads the originals: the TABARI bracket syntax is parsed here, once, so the
runtime loads plain tab-separated rows.

The Phoenix lists date from 2014; the curated YAML files next to the output (office holders,
capitals, IGOs) override them at load time, which is how the data is brought up to date.
"""

from __future__ import annotations

import csv
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.stages.events.discards import DISCARDS_FILE, parse_discards
from pipeline.stages.events.lexicon import DATA_DIR

LOGGER = logging.getLogger(__name__)


_CODE_RE = re.compile(r"\[([A-Z~][A-Z]*)\s*([<>]?\d{6,8})?(?:-(\d{6,8}))?\s*\]")
_SUBST_RE = re.compile(r"^!(\w+)!\s*=\s*(.+)$")


@dataclass(frozen=True)
class ActorRow:
    """One phrase → code row, with the dates (ISO, empty when open) the code holds for."""

    phrase: str
    code: str
    start: str
    end: str


def _phoenix_date(raw: str) -> str:
    """TABARI dates are YYMMDD (two-digit years pivot at 30) or YYYYMMDD; returns ISO.

    Malformed dates (a few rows have seven digits) become "" (open), not a guess.
    """
    digits = raw.lstrip("<>")
    if len(digits) not in (6, 8):
        return ""
    if len(digits) == 6:
        year = int(digits[:2])
        year += 1900 if year >= 30 else 2000
        month, day = digits[2:4], digits[4:6]
    else:
        year, month, day = int(digits[:4]), digits[4:6], digits[6:8]
    month = month if "01" <= month <= "12" else "01"
    day = day if "01" <= day <= "31" else "01"
    try:
        return date(year, int(month), int(day)).isoformat()
    except ValueError:
        return date(year, int(month), 1).isoformat()


def _phrase(raw: str) -> str:
    text = raw.split("#", 1)[0].strip().rstrip("_").replace("_", " ")
    return re.sub(r"\s+", " ", text).strip()


def _codes(line: str) -> list[tuple[str, str, str]]:
    out = []
    for code, first, second in _CODE_RE.findall(line.split("#", 1)[0]):
        if code.startswith("~") or code == "---":
            continue
        start = end = ""
        if first.startswith(">"):
            start = _phoenix_date(first)
        elif first.startswith("<"):
            end = _phoenix_date(first)
        elif first and second:
            start, end = _phoenix_date(first), _phoenix_date(second)
        out.append((code, start, end))
    return out


def parse_actor_file(path: Path) -> Iterator[ActorRow]:
    """Blocks of a head phrase, ``+`` synonyms and bracketed (dated) codes, as flat rows."""
    names: list[str] = []
    codes: list[tuple[str, str, str]] = []
    in_codes = False

    def flush() -> Iterator[ActorRow]:
        for name in names:
            for code, start, end in codes:
                if name:
                    yield ActorRow(name, code, start, end)

    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("+"):
            if in_codes:  # a synonym after codes belongs to a new block; TABARI never does this
                continue
            names.append(_phrase(line[1:].split("[", 1)[0]))
            codes.extend(_codes(line))
            continue
        if line[0] in " \t" or line.startswith("["):
            codes.extend(_codes(line))
            in_codes = True
            continue
        yield from flush()
        names = [_phrase(line.split("[", 1)[0])]
        codes = _codes(line)
        in_codes = False  # an inline code on the head line may still be followed by synonyms
    yield from flush()


# CAMEO writes an agent's role before its religion or ethnicity (PSEREBMUS: rebels, Muslim); a
# few Phoenix agents put the religion first ("ISLAMIC MILITANT [~MUSUAF]"), which would make
# the religion their role. These are the religious segments moved behind a role.
_RELIGIONS = frozenset(
    # religions, then denominations
    (
        *("MUS", "CHR", "REL", "JEW", "HIN", "BUD", "SIK", "JAN"),
        *("CTH", "PRO", "ORT", "MAR", "SHI", "SUN", "ALE", "DRZ", "SFI"),
    )
)


def cameo_order(code: str) -> str:
    """An agent code with its first role segment before any religious one: MUSUAF -> UAFMUS;
    a code of religious segments only (CHRCTH) or already in order (REBMUS) is unchanged."""
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    if parts[0] not in _RELIGIONS:
        return code
    role = next((p for p in parts if p not in _RELIGIONS), None)
    if role is None:
        return code
    parts.remove(role)
    return "".join([role, *parts])


def parse_agents(path: Path) -> Iterator[tuple[str, str]]:
    """Agent nouns (``PRESIDENT [~GOV]``) as (phrase, role) with substitution sets expanded."""
    subst: dict[str, list[str]] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _SUBST_RE.match(line)
        if match:
            subst[match.group(1)] = [w.strip() for w in match.group(2).split(",")]
            continue
        role_match = re.search(r"\[~(\w+)\]", line)
        if not role_match:
            continue
        role = cameo_order(role_match.group(1))
        head = line[: role_match.start()]
        plurals = re.search(r"\{([^}]*)\}", head)
        head = re.sub(r"\{[^}]*\}", "", head).strip()
        variants = [head]
        for key, words in subst.items():
            if f"!{key}!" in head:
                variants = [v.replace(f"!{key}!", w) for v in variants for w in words]
        if plurals:
            variants += plurals.group(1).split()
        for variant in variants:
            phrase = _phrase(variant)
            if phrase and "!" not in phrase:
                yield phrase, role


def convert(reference_dir: Path, out_dir: Path = DATA_DIR) -> dict[str, int]:
    """Write the converted TSV files; returns row counts per file."""
    phoenix = reference_dir / "phoenix-dictionaries"
    counts: dict[str, int] = {}
    rows: dict[tuple[str, str, str, str], None] = {}
    for name in (
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ):
        for row in parse_actor_file(phoenix / name):
            if len(row.phrase) < 2 or not re.search(r"[A-Z]", row.phrase):
                continue
            rows[(row.phrase, row.code, row.start, row.end)] = None
    with (out_dir / "phoenix_actors.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Converted from the Phoenix dictionaries (MIT, (c) 2014 Open Event Data Alliance);\n"
            "# see ATTRIBUTION.md. Curated files (office_holders.yaml, ...) override these rows.\n"
        )
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["phrase", "code", "start", "end"])
        writer.writerows(sorted(rows))
    counts["phoenix_actors.tsv"] = len(rows)

    agents = dict.fromkeys(sorted(set(parse_agents(phoenix / "Phoenix.agents.txt"))))
    with (out_dir / "phoenix_agents.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Converted from Phoenix.agents.txt (MIT); see ATTRIBUTION.md.\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["phrase", "role"])
        writer.writerows(agents)
    counts["phoenix_agents.tsv"] = len(agents)

    discards = sorted(parse_discards(phoenix / "Phoenix.discards.txt"))
    with (out_dir / DISCARDS_FILE).open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# Converted from Phoenix.discards.txt (MIT); see ATTRIBUTION.md. scope: story (the\n"
            "# original's '+': the whole document gives no events) or sentence.\n"
        )
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["phrase", "scope"])
        writer.writerows(discards)
    counts[DISCARDS_FILE] = len(discards)

    with (reference_dir / "cameo_codes.tsv").open(encoding="utf-8") as src:
        table = list(csv.DictReader(src, delimiter="\t"))
    with (out_dir / "cameo_codes.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write(
            "# CAMEO codes (Gerner, Schrodt et al., CAMEO manual 1.1b3): name, root, quad class\n"
            "# and the manual's Goldstein value; see ATTRIBUTION.md.\n"
        )
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["code", "root", "quad_class", "goldstein", "name"])
        for rec in table:
            writer.writerow(
                [
                    rec["code"],
                    rec["root_code"],
                    rec["quad_class"],
                    rec["goldstein_cameo_manual_icews"],
                    rec["name_cameo_manual"],
                ]
            )
    counts["cameo_codes.tsv"] = len(table)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: convert from the reference directory given as the one argument."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        sys.stderr.write("usage: python -m devtools.convert_phoenix REFERENCE_DIR\n")
        return 2
    for name, count in convert(Path(args[0])).items():
        sys.stdout.write(f"{name}: {count} rows\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
