"""All stages once against a loopback newsroom; running twice changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import Engine, func, select, text
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import Settings, get_settings
from pipeline.models import Article, FeedEntry, FeedPoll, RawPage
from pipeline.services.run import run_once
from pipeline.stages.feeds.feedfile import FeedConfig

STORY = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><article><h1>{title}</h1>{body}</article></body></html>"
)
SENTENCES = [
    "Delegations from {a} and {b} met in Oslo on Monday to discuss a ceasefire along the border.",
    "The talks were mediated by Norway and lasted more than six hours, officials said.",
    "A spokesman for the {a} foreign ministry said the two sides agreed to meet again next week.",
    "Observers said the meeting was the most serious attempt at a settlement in two years.",
    "Neither side commented on reports that prisoners could be exchanged before the winter.",
]


def story(title: str, a: str, b: str) -> str:
    body = "".join(f"<p>{s.format(a=a, b=b)} {s.format(a=a, b=b)}</p>" for s in SENTENCES)
    return STORY.format(title=title, body=body)


@pytest.fixture
def newsroom() -> Iterator[HTTPServer]:
    with HTTPServer(host="127.0.0.1", threaded=True) as srv:
        srv.expect_request("/robots.txt").respond_with_data("", status=404)
        items = "".join(
            f"<item><title>Story {i}</title><link>{srv.url_for(f'/news/{i}')}?utm_source=rss</link>"
            f"<guid>story-{i}</guid><pubDate>Mon, 04 Mar 2024 0{i}:00:00 GMT</pubDate></item>"
            for i in range(3)
        )
        srv.expect_request("/feed.xml").respond_with_data(
            f'<rss version="2.0"><channel><title>Newsroom</title>{items}</channel></rss>',
            content_type="application/rss+xml",
        )
        pairs = [("Arvenia", "Coldmark"), ("Lusitra", "Vendmoor"), ("Ostria", "Kalden")]
        for i, (a, b) in enumerate(pairs):
            srv.expect_request(f"/news/{i}").respond_with_data(
                story(f"Talks between {a} and {b}", a, b), content_type="text/html"
            )
        yield srv


@pytest.fixture
def settings() -> Settings:
    return get_settings(per_host_delay=0.0, retries=0, workers=2)


def counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(
            int(conn.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Article, FeedEntry, RawPage)
        )


def test_run_once_end_to_end_and_idempotent(
    clean_db: Engine, newsroom: HTTPServer, settings: Settings
) -> None:
    feeds = [FeedConfig(name="newsroom", url=newsroom.url_for("/feed.xml"), outlet="newsroom")]
    stages: list[str] = []

    first = run_once(clean_db, settings, feeds=feeds, progress=lambda s, d, t: stages.append(s))

    assert first.feeds_synced == 1
    assert (first.poll.feeds_polled, first.poll.feeds_ok, first.poll.articles_new) == (1, 1, 3)
    assert (first.fetch.fetched, first.fetch.extracted, first.fetch.failed) == (3, 3, 0)
    assert sorted(first.fetch.extracted_ids) == sorted(first.poll.new_article_ids)
    assert "poll" in stages
    assert "fetch" in stages
    for name in ("dedup", "events"):
        assert getattr(first, name), f"{name} ran (a stage is never optional)"
    after_first = counts(clean_db)
    assert after_first == (3, 3, 3)

    second = run_once(clean_db, settings, feeds=feeds)

    assert second.poll.feeds_unchanged == 1
    assert second.poll.articles_new == 0
    assert second.fetch.claimed == 0
    assert counts(clean_db) == after_first
    with clean_db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(FeedPoll)) == 2
        statuses = set(conn.scalars(text("SELECT DISTINCT status FROM articles")))
    assert statuses == {"extracted"}


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[CliRunner]:
    from pipeline.cli import _app

    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", database_url)
    monkeypatch.setenv("NEWSWIRE_PER_HOST_DELAY", "0")
    monkeypatch.setenv("NEWSWIRE_RETRIES", "0")
    monkeypatch.setenv("NEWSWIRE_WORKERS", "1")
    _app._STATE.clear()
    yield CliRunner()
    _app._STATE.clear()


def test_cli_run_then_stats(
    clean_db: Engine, newsroom: HTTPServer, cli_env: CliRunner, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        f"- name: newsroom\n  url: {newsroom.url_for('/feed.xml')}\n  outlet: newsroom\n"
    )
    result = cli_env.invoke(app, ["run", "--feeds", str(feeds)])
    assert result.exit_code == 0, result.output
    assert "articles extracted" in result.output
    assert "feeds polled" in result.output
    stats = cli_env.invoke(app, ["stats"])
    assert stats.exit_code == 0, stats.output
    assert "extracted" in stats.output
    assert "newsroom" in stats.output


def test_cli_feeds_validate_reports_the_bad_field(cli_env: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text("- {name: a, url: 'https://a.example/f', outlet: a, colour: red}\n")
    result = cli_env.invoke(app, ["feeds", "validate", str(bad)])
    assert result.exit_code == 2
    assert "field colour" in result.output
    ok = cli_env.invoke(app, ["feeds", "list"])
    assert ok.exit_code == 0
    assert "thehill" in ok.output


def test_cli_config_hides_the_database_password(
    cli_env: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", "postgresql://u:hunter2@db.invalid/x")
    result = cli_env.invoke(app, ["config"])
    assert result.exit_code == 0
    assert "hunter2" not in result.output
    assert "NEWSWIRE_PER_HOST_DELAY" in result.output


def test_cli_unreachable_database_is_a_clear_error(
    cli_env: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSWIRE_DATABASE_URL", "postgresql://u:pw@127.0.0.1:1/none")
    result = cli_env.invoke(app, ["fetch"])
    assert result.exit_code == 3
    assert "cannot reach the database" in result.output
    assert "Traceback" not in result.output


def test_cli_poll_fetch_and_reextract(
    clean_db: Engine, newsroom: HTTPServer, cli_env: CliRunner, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        f"- name: newsroom\n  url: {newsroom.url_for('/feed.xml')}\n  outlet: newsroom\n"
    )
    polled = cli_env.invoke(app, ["poll", "--feeds", str(feeds)])
    assert polled.exit_code == 0, polled.output
    assert "3 new articles" in polled.output
    fetched = cli_env.invoke(app, ["fetch", "--limit", "2"])
    assert fetched.exit_code == 0, fetched.output
    assert counts(clean_db)[2] == 2
    again = cli_env.invoke(app, ["extract-pending", "--force"])
    assert again.exit_code == 0, again.output
    assert "2 stored pages: 2 extracted" in again.output
