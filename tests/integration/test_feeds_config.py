"""The feeds file: the shipped list loads, and every kind of mistake is named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from pipeline.config import DEFAULT_FEEDS_FILE
from pipeline.models import Feed
from pipeline.stages.feeds.feedfile import FeedConfig, FeedConfigError, load_feeds
from pipeline.store.feeds import sync_feeds


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_feeds_file_is_valid_and_covers_the_hill() -> None:
    feeds = load_feeds(DEFAULT_FEEDS_FILE)
    urls = {f.url for f in feeds}
    assert "https://thehill.com/news/feed/" in urls
    assert "https://thehill.com/policy/international/feed/" in urls
    assert len({f.outlet for f in feeds if f.outlet != "thehill"}) >= 10
    assert all(f.enabled and f.poll_interval_minutes == 15 for f in feeds)


def test_defaults_apply(tmp_path: Path) -> None:
    path = write(tmp_path, "- {name: a, url: 'https://a.example/feed', outlet: a}\n")
    assert load_feeds(path) == [
        FeedConfig(name="a", url="https://a.example/feed", outlet="a", language=None)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- {name: a, url: 'https://a.example/f', outlet: a, colour: red}\n", "field colour"),
        ("- {name: a, url: 'ftp://a.example/f', outlet: a}\n", "field url"),
        ("- {name: a, outlet: a}\n", "field url: Field required"),
        (
            "- {name: a, url: 'https://a.example/f', outlet: a, poll_interval_minutes: 0}\n",
            "field poll_interval_minutes",
        ),
        ("- {name: a, url: 'https://a.example/f', outlet: a, enabled: maybe}\n", "field enabled"),
    ],
)
def test_bad_field_names_file_entry_and_field(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FeedConfigError) as info:
        load_feeds(path)
    message = str(info.value)
    assert str(path) in message
    assert "entry 0 ('a')" in message
    assert expected in message


def test_duplicate_names_are_rejected(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "- {name: a, url: 'https://a.example/1', outlet: a}\n"
        "- {name: b, url: 'https://a.example/2', outlet: a}\n"
        "- {name: a, url: 'https://a.example/3', outlet: a}\n",
    )
    with pytest.raises(FeedConfigError, match=r"entry 2 \('a'\): field name: duplicate .* entry 0"):
        load_feeds(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("feeds: {}\n", "expected a list"),
        ("- [1, 2]\n", "entry 0: expected a mapping"),
        ("- {name: a\n", "not valid YAML"),
    ],
)
def test_structural_errors(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(FeedConfigError, match=expected):
        load_feeds(write(tmp_path, text))


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "- {name: a, url: 'nope', outlet: a}\n"
        "- {name: b, url: 'https://b.example/f', outlet: b, colour: red}\n",
    )
    with pytest.raises(FeedConfigError) as info:
        load_feeds(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert "entry 0 ('a'): field url" in lines[0]
    assert "entry 1 ('b'): field colour" in lines[1]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FeedConfigError, match="cannot read feeds file"):
        load_feeds(tmp_path / "nope.yaml")


def test_sync_feeds_upserts_by_name(clean_db: Engine) -> None:
    feeds = [
        FeedConfig(name="a", url="https://a.example/f", outlet="a"),
        FeedConfig(name="b", url="https://b.example/f", outlet="b", enabled=False),
    ]
    ids = sync_feeds(clean_db, feeds)
    assert set(ids) == {"a", "b"}
    again = sync_feeds(
        clean_db, [FeedConfig(name="a", url="https://a.example/new", outlet="a", language="en")]
    )
    assert again["a"] == ids["a"]
    with clean_db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Feed)) == 2
        row = conn.execute(select(Feed.url, Feed.language).where(Feed.name == "a")).one()
    assert tuple(row) == ("https://a.example/new", "en")
