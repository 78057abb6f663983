"""Office holders by date: the lists' horizon, later roles, former holders, no date.

Our own sentences and our own dictionary-shaped fixtures (fictional people), not the Phoenix
rows themselves.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.stages.events.coder import code_text
from pipeline.stages.events.entries import NAMED, ActorEntry, Term
from pipeline.stages.events.lexicon import close_at_horizon

HORIZON = date(2015, 2, 17)


def _codes(text: str, day: date | None, dirs: list[Path] | None = None) -> list[tuple]:
    return [
        (e.source.code if e.source else None, e.cameo_code, e.target.code if e.target else None)
        for e in code_text(text, day, dictionary_dirs=dirs or [])
    ]


# --- the horizon closes open-ended offices, not organisations


def test_an_open_office_is_closed_at_the_lists_horizon() -> None:
    office = Term("KEN", "GOV", date(2008, 4, 1), None)
    assert close_at_horizon([office], HORIZON) == [Term("KEN", "GOV", date(2008, 4, 1), HORIZON)]


def test_open_terms_of_other_roles_and_undated_terms_stay_open() -> None:
    army = Term("SSD", "MIL", date(2011, 7, 11), None)  # an army, not a tenure
    default = Term("KEN", "GOV", None, None)
    ended = Term("KEN", "GOV", date(2003, 1, 1), date(2005, 1, 1))
    assert close_at_horizon([army, default, ended], HORIZON) == [army, default, ended]
    assert close_at_horizon([Term("KEN", "GOV", date(2008, 1, 1))], None) == [
        Term("KEN", "GOV", date(2008, 1, 1))
    ]


# --- resolving a person on a date


def _person(*terms: Term) -> ActorEntry:
    return ActorEntry(NAMED, "Zoran Veliki", terms)


def test_a_holder_whose_office_ended_keeps_only_the_country_as_elite() -> None:
    entry = _person(Term("KEN", "GOV", date(2008, 4, 1), HORIZON))
    assert entry.resolve(date(2012, 5, 1)) == Term("KEN", "GOV", date(2008, 4, 1), HORIZON)
    stale = entry.resolve(date(2023, 2, 28))
    assert stale is not None
    assert (stale.country, stale.role) == ("KEN", "ELI")


def test_the_later_role_wins_when_two_are_live() -> None:
    entry = _person(
        Term("KEN", "GOVMIL", date(2004, 1, 1), date(2012, 1, 1)),
        Term("KEN", "GOV", date(2010, 1, 1), date(2014, 1, 1)),
    )
    live = entry.resolve(date(2011, 1, 1))
    assert live is not None
    assert live.role == "GOV"


def test_among_undated_defaults_the_code_of_the_latest_dated_term_wins() -> None:
    entry = _person(
        Term("KEN", "ELI", None, None),
        Term("KEN", "GOV", None, None),
        Term("KEN", "ELI", date(1990, 1, 1), date(2000, 1, 1)),
        Term("KEN", "GOV", date(2000, 7, 1), HORIZON),
    )
    resolved = entry.resolve(date(2020, 1, 1))
    assert resolved is not None
    assert resolved.role == "GOV"
    only_elite = _person(
        Term("KEN", "ELI", None, None), Term("KEN", "GOV", date(2001, 1, 1), HORIZON)
    )
    resolved = only_elite.resolve(date(2020, 1, 1))
    assert resolved is not None
    assert resolved.role == "ELI"


def test_after_an_international_office_the_national_country_returns() -> None:
    entry = _person(
        Term("CHL", "GOV", date(2006, 3, 11), date(2010, 3, 11)),
        Term("IGOUNO", "GOV", date(2018, 9, 1), date(2022, 9, 1)),
    )
    at_un = entry.resolve(date(2019, 6, 1))
    assert at_un is not None
    assert at_un.country == "IGOUNO"
    after = entry.resolve(date(2024, 1, 1))
    assert after is not None
    assert (after.country, after.role) == ("CHL", "ELI")


def test_with_no_date_the_most_recent_term_is_used() -> None:
    entry = _person(
        Term("KEN", "ELI", date(1990, 1, 1), date(2008, 4, 1)),
        Term("KEN", "GOV", date(2008, 4, 1), HORIZON),
    )
    assert entry.resolve(None) == Term("KEN", "GOV", date(2008, 4, 1), HORIZON)


# --- through the coder, with a dictionary directory of our own


@pytest.fixture
def lists(tmp_path: Path) -> Path:
    (tmp_path / "phoenix_actors.tsv").write_text(
        "# our own rows, shaped like the converted Phoenix lists\n"
        "phrase\tcode\tstart\tend\n"
        "ZORAN VELIKI\tKENGOV\t2008-04-01\t\n"
        "ZORAN VELIKI\tKENELI\t1970-01-01\t2008-04-01\n"
        "PRESIDENT MARA OKOTH\tUGAGOV\t2009-01-01\t\n"
        "VELIKI RIVER MILITIA\tKENMIL\t2012-01-01\t\n"
        "LAST SEEN\tKENBUS\t2014-06-01\t2014-06-01\n",
        encoding="utf-8",
    )
    (tmp_path / "office_holders.yaml").write_text(
        "- names: [Mara Okoth, Okoth]\n"
        "  country: UGA\n"
        "  terms:\n"
        "    - {role: GOV, title: President, start: 2009-01-01, end: 2016-01-01}\n"
        "    - {country: IGOUNO, role: GOV, title: UN envoy, start: 2020-01-01}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_the_open_office_holds_until_the_horizon_then_the_holder_is_elite(lists: Path) -> None:
    text = "Zoran Veliki criticized Tanzania on Monday."
    assert _codes(text, date(2012, 3, 1), [lists]) == [("KENGOV", "111", "TZA")]
    assert _codes(text, date(2023, 3, 1), [lists]) == [("KENELI", "111", "TZA")]


def test_an_organisations_open_code_survives_the_horizon(lists: Path) -> None:
    text = "The Veliki River Militia attacked Tanzania on Monday."
    assert [c[0] for c in _codes(text, date(2023, 3, 1), [lists])] == ["KENMIL"]


def test_a_title_phrase_of_the_lists_gives_way_to_the_curated_holder(lists: Path) -> None:
    # "PRESIDENT MARA OKOTH [UGAGOV >2009]" would keep her Uganda's government in 2021
    text = "President Mara Okoth criticized Tanzania on Monday."
    assert _codes(text, date(2012, 3, 1), [lists]) == [("UGAGOV", "111", "TZA")]
    assert [c[0] for c in _codes(text, date(2021, 3, 1), [lists])] == ["IGOUNO"]


# --- "former" and "ex-" before a title


@pytest.mark.parametrize(
    "text",
    [
        "Japan's former foreign minister condemned North Korea on Tuesday.",
        "The former defence minister of Japan condemned North Korea on Tuesday.",
        "A former Japanese army chief condemned North Korea on Tuesday.",
        "The ex-minister of Japan condemned North Korea on Tuesday.",
    ],
)
def test_a_former_office_is_elite_not_the_state(text: str) -> None:
    assert _codes(text, date(2023, 2, 28)) == [("JPNELI", "111", "PRK")]


def test_the_same_title_without_former_is_the_state() -> None:
    got = _codes("Japan's foreign minister condemned North Korea on Tuesday.", date(2023, 2, 28))
    assert got == [("JPNGOV", "111", "PRK")]


def test_a_former_title_of_someone_now_in_another_office_keeps_the_office(lists: Path) -> None:
    # Okoth's dated UN term is live in 2021: "former President" names her old office
    text = "Former President Mara Okoth criticized Tanzania on Monday."
    assert [c[0] for c in _codes(text, date(2021, 3, 1), [lists])] == ["IGOUNO"]
    assert [c[0] for c in _codes(text, date(2018, 3, 1), [lists])] == ["UGAELI"]


@pytest.mark.parametrize(
    "text",
    [
        "The former Soviet state of Georgia condemned Russia on Friday.",
        "Georgia, a former Soviet republic, condemned Russia on Friday.",
    ],
)
def test_a_former_part_of_a_country_is_no_actor(text: str) -> None:
    assert _codes(text, date(2023, 2, 28)) == [("GEO", "111", "RUS")]


def test_a_former_leader_of_a_former_country_is_its_elite() -> None:
    got = _codes("Former Soviet leader Mikhail Gorbachev criticized NATO.", date(2023, 2, 28))
    assert got == [("SUNELI", "111", "IGOWSTNAT")]


# --- the curated list keeps long-serving leaders in office past the lists' horizon


@pytest.mark.parametrize(
    ("text", "day", "source"),
    [
        ("Paul Kagame criticized Burundi.", date(2023, 3, 1), "RWAGOV"),
        ("Ilham Aliyev criticized Armenia.", date(2024, 5, 1), "AZEGOV"),
        ("Hun Sen criticized Thailand.", date(2020, 5, 1), "KHMGOV"),
        # after his term ended (2023-08-22) the same name is a former office holder
        ("Hun Sen criticized Thailand.", date(2024, 5, 1), "KHMELI"),
    ],
)
def test_a_curated_long_serving_leader_survives_the_horizon(
    text: str, day: date, source: str
) -> None:
    assert [s for s, _, _ in _codes(text, day)] == [source]


# --- every Phoenix spelling of a curated office holder follows the curated terms


@pytest.mark.parametrize(
    "text",
    [
        "Mr Obama criticized Kenya.",
        "Barack Hussein Obama criticized Kenya.",
        "The Obama administration criticized Kenya.",
    ],
)
def test_a_phoenix_spelling_of_a_curated_holder_follows_the_curated_terms(text: str) -> None:
    # in office on 2015-07-24 (after the lists' horizon), a former office holder in 2019
    assert [s for s, _, _ in _codes(text, date(2015, 7, 24))] == ["USAGOV"]
    assert [s for s, _, _ in _codes(text, date(2019, 5, 1))] == ["USAELI"]
