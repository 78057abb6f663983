"""PETRARCH-2's "no code" (``[---]``) entries, read as PETRARCH-2 reads them (round 10, ev-conv2).

The converter is fed a small dictionary of our own in the PETRARCH-2 syntax; the coder
sentences are our own too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from devtools.convert_petrarch_verbs import NULL_CODE, convert
from pipeline.stages.events import code_text

PUB = date(2024, 5, 6)

OWN_DICTIONARY = """\
####### VERB PATTERNS #######

---  GREET   [040]  ---
WAVE
NOD [---]
- * HELLO                                             [041]         # WAVE
- * GOODBYE                                           [---]         # WAVE
- * TWICE                                             [---]         # WAVE
- * TWICE                                             [042]         # WAVE
"""


def _converted(tmp_path: Path) -> list[dict[str, object]]:
    source = tmp_path / "own.txt"
    source.write_text(OWN_DICTIONARY, encoding="utf-8")
    return convert(source, {"040", "041", "042"}).entries


def test_a_verbs_own_null_code_is_not_the_blocks_default(tmp_path: Path) -> None:
    bare = {str(e["id"]): e["code"] for e in _converted(tmp_path) if "L" not in str(e["id"])}
    assert bare == {"petrarch:GREET:<wave>": "040"}  # "NOD [---]": no bare entry at all


def test_a_null_code_pattern_is_kept_as_a_null_entry(tmp_path: Path) -> None:
    entries = _converted(tmp_path)
    nulls = [e for e in entries if e.get("null")]
    assert [e["patterns"] for e in nulls] == [["<wave>|<nod> ... goodbye|goodbyes"]]
    assert all(e["code"] == NULL_CODE for e in nulls)
    # the same words coded elsewhere in the block ("TWICE" [---] and [042]): the coded one
    twice = [e for e in entries if "twice" in str(e["patterns"])]
    assert [(e["code"], e.get("null")) for e in twice] == [("042", None)]


def _events(text: str) -> list[tuple[str | None, str, str | None]]:
    return [
        (e.source.code if e.source else None, e.cameo_code, e.target.code if e.target else None)
        for e in code_text(text, PUB)
    ]


def test_null_patterns_of_the_real_dictionary_code_nothing() -> None:
    # SEIZE ... DRUG [---], SUPPORT ... {CURRENCY CONTROL} [---]: no arrest, no support
    assert _events("Kenyan soldiers seized Ugandan drugs on Monday.") == []
    assert _events("Kenya supported the Ugandan currency control on Monday.") == []


def test_the_bare_verbs_of_those_blocks_still_code() -> None:
    assert ("KEN", "080", "UGA") in _events("Kenya abandoned Uganda on Monday.")
    assert ("KEN", "061", "UGA") in _events("Kenya paid Uganda on Monday.")
