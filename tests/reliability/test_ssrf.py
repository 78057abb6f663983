"""Why 2: no request to internal addresses — every spelling, every redirect hop, no rebinding.

No test here connects anywhere but 127.0.0.1: private and link-local targets are refused before
any connection is attempted (the resolver seam says what a name "resolves" to), and a canary
listener on loopback proves that nothing arrived where a connection could have.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from reliability_harness import (
    Canary,
    Server,
    article_html,
    cli_env,
    redirect,
    rows,
    rss,
    run_cli,
    serving,
    static,
    write_feeds,
)

from pipeline.config import get_settings
from pipeline.http.client import FetchError, HttpClient
from pipeline.http.netguard import parse_allowed_hosts
from pipeline.models import FailureReason

# every way of writing a loopback, unspecified or mapped address that the resolver accepts
LOOPBACK_SPELLINGS = [
    "localhost",
    "127.0.0.1",
    "127.0.0.2",
    "127.1",
    "0x7f000001",
    "0x7f.0.0.1",
    "2130706433",
    "017700000001",
    "0177.0.0.01",
    "0",
    "0.0.0.0",
    "[::1]",
    "[::]",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:127.0.0.1]",
]
# what names may resolve to on a cloud worker: refused before any connection is attempted
INTERNAL_ADDRESSES = [
    "10.0.0.7",
    "172.16.3.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata service
    "100.64.0.1",  # shared address space (CGNAT)
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:10.0.0.7",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:7::",  # 6to4 of 10.0.0.7
]


def _settings(allowed: str) -> object:
    return get_settings(
        allowed_hosts=allowed, retries=0, respect_robots=False, per_host_delay=0, request_deadline=5
    )


async def _reason(url: str, allowed: str, resolve: object = None) -> str:
    async with HttpClient(_settings(allowed), resolve=resolve) as client:  # type: ignore[arg-type]
        try:
            await client.get(url)
        except FetchError as exc:
            return exc.reason.value
    return "fetched"


def test_every_loopback_spelling_is_refused_without_a_connection() -> None:
    canary = Canary()
    with serving(Server()) as allowed_server:
        allowed_server.add("/ok", static(b"ok", "text/plain"))
        allowed = f"127.0.0.1:{allowed_server.port}"  # only this server, not the canary's port
        try:
            results = {
                spelling: asyncio.run(_reason(f"http://{spelling}:{canary.port}/x", allowed))
                for spelling in LOOPBACK_SPELLINGS
            }
            # the allowed server itself still works: the guard is not simply "refuse all"
            assert asyncio.run(_reason(f"{allowed_server.base}/ok", allowed)) == "fetched"
        finally:
            canary.close()
    refused = {s: r for s, r in results.items() if r == FailureReason.BLOCKED_ADDRESS.value}
    # "0177.0.0.01"-style octal is rejected by the URL parser already (invalid_url): never sent
    others = {s: r for s, r in results.items() if s not in refused}
    assert all(r == FailureReason.INVALID_URL.value for r in others.values()), others
    assert len(refused) >= len(LOOPBACK_SPELLINGS) - 2, results
    assert canary.connections == 0
    print(json.dumps({"loopback_spellings_refused": len(refused), "invalid_url": len(others)}))


@pytest.mark.parametrize("address", INTERNAL_ADDRESSES)
def test_names_resolving_to_internal_addresses_are_refused(address: str) -> None:
    canary = Canary()
    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return [address]

    try:
        reason = asyncio.run(_reason(f"http://internal.test:{canary.port}/", "", resolve))
        reason_443 = asyncio.run(_reason("https://internal.test/", "", resolve))
    finally:
        canary.close()
    assert (reason, reason_443) == ("blocked_address", "blocked_address")
    assert calls == ["internal.test", "internal.test"]
    assert canary.connections == 0


def test_a_mixed_answer_is_refused_and_the_checked_address_is_the_one_connected() -> None:
    canary = Canary()
    with serving(Server()) as server:
        server.add("/page", static(b"ok", "text/plain"))
        answers = iter([["127.0.0.1", "10.0.0.7"], ["127.0.0.1"], ["10.9.9.9"]])
        calls: list[str] = []

        async def resolve(host: str, port: int) -> list[str]:
            calls.append(host)
            return next(answers)

        allowed = f"127.0.0.1:{server.port}"
        try:
            mixed = asyncio.run(_reason(f"http://rebind.test:{server.port}/page", allowed, resolve))

            # rebinding: the first (checked) answer is used to connect; a later, different
            # answer for the same name is never asked for during that request
            async def two_requests() -> tuple[int, str]:
                async with HttpClient(_settings(allowed), resolve=resolve) as client:  # type: ignore[arg-type]
                    first = await client.get(f"http://rebind.test:{server.port}/page")
                    return first.status, first.body.decode()

            status, body = asyncio.run(two_requests())
        finally:
            canary.close()
    assert mixed == "blocked_address"
    assert (status, body) == (200, "ok")
    assert calls == ["rebind.test", "rebind.test"]
    assert canary.connections == 0


def test_ports_other_than_80_443_and_unix_sockets_need_an_explicit_entry() -> None:
    allow = parse_allowed_hosts("127.0.0.1:8765,feeds.internal,10.1.0.0/16,[::1]:9000")
    assert allow.allows("127.0.0.1", 8765)
    assert not allow.allows("127.0.0.1", 8766)
    assert allow.allows("feeds.internal", 1234)
    assert allow.allows("10.1.200.3", 5432)
    assert not allow.allows("10.2.0.1", 80)
    assert allow.allows("::1", 9000)
    for bad in ("127.0.0.1:99999", "a b", "10.0.0.0/99"):
        with pytest.raises(ValueError, match=r"is not|port"):
            parse_allowed_hosts(bad)


def test_the_pipeline_records_refusals_and_never_reaches_internal_services(
    own_pg, tmp_path: Path
) -> None:
    """A feed (on an allowed server) whose entries and redirects point inside: all refused."""
    canary = Canary()
    url = own_pg.fresh_database()
    with serving(Server()) as server:
        q = canary.port
        targets = {
            "localhost": f"http://localhost:{q}/a",
            "other_port": f"http://127.0.0.1:{q}/b",
            "loopback_2": f"http://127.0.0.2:{q}/c",
            "hex": f"http://0x7f000001:{q}/d",
            "decimal": f"http://2130706433:{q}/e",
            "v6": f"http://[::1]:{q}/f",
            "mapped": f"http://[::ffff:127.0.0.1]:{q}/g",
            "redirect": server.add("/hop", redirect(f"http://127.0.0.1:{q}/secret")),
            "redirect_2": server.add("/hop2", redirect(f"http://localhost:{q}/latest/meta-data/")),
            "database": f"http://127.0.0.1:{own_pg_port_placeholder()}/",
        }
        server.add("/fine", static(article_html("Fine article"), "text/html"))
        items = [{"title": name, "link": link} for name, link in targets.items()]
        items.append({"title": "fine", "link": f"{server.base}/fine"})
        feeds = {
            "inside": server.add("/feed.xml", static(rss(items))),
            "feed_itself": f"http://localhost:{q}/feed.xml",
        }
        feeds_file = write_feeds(tmp_path / "feeds.yaml", feeds)
        env = cli_env(url, tmp_path, allowed_hosts=f"127.0.0.1:{server.port}")
        try:
            done = run_cli(["run", "--feeds", str(feeds_file)], env)
        finally:
            canary.close()
    assert done.returncode == 0, done.stderr[-3000:]
    by_title = {
        r.feed_title: (r.status, r.failure_reason)
        for r in rows(url, "SELECT feed_title, status, failure_reason FROM articles")
    }
    refused = {t for t, (_, reason) in by_title.items() if reason == "blocked_address"}
    assert by_title["fine"] == ("extracted", None)
    assert refused == set(targets), by_title
    polls = dict(
        rows(
            url,
            "SELECT f.name, p.error FROM feed_polls p JOIN feeds f ON f.id = p.feed_id",
        )
    )
    assert polls["feed_itself"].startswith("blocked_address"), polls
    assert canary.connections == 0
    raw = rows(url, "SELECT count(*) FROM raw_pages")[0][0]
    assert raw == 1  # only the allowed article's page was stored
    print(json.dumps({"pipeline_ssrf_cases_refused": len(refused) + 1}))


def own_pg_port_placeholder() -> int:
    """Port 5432 (where PostgreSQL usually listens): refused before any connection is made."""
    return 5432
