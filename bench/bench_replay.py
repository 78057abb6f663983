"""Capacity of the replay server under parallel load, so other benchmarks know it is not their
bottleneck.

The server runs in this process on a thread, as it does in tests and benchmarks; the load comes
from a separate process (so the client does not compete for this process' GIL) speaking plain
HTTP/1.1 with keep-alive over asyncio streams — a full HTTP client library would measure itself
more than the server. It fetches the sample corpus' article pages at several concurrency
levels, with and without gzip, and prints requests/second and latency percentiles.

Usage: ``python bench/bench_replay.py [--requests N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import statistics
import time
from urllib.parse import urlsplit

from devtools.demo import SAMPLE_DIR
from devtools.replay import ReplayServer


async def _load(base_url: str, paths: list[str], total: int, conc: int, gzip: bool) -> dict:
    parts = urlsplit(base_url)
    latencies: list[float] = []
    errors = 0
    issued = 0
    accept = "gzip" if gzip else "identity"

    async def worker() -> None:
        nonlocal issued, errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        while issued < total:
            path = paths[issued % len(paths)]
            issued += 1
            started = time.perf_counter()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                f"Accept-Encoding: {accept}\r\n\r\n".encode()
            )
            await writer.drain()
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if b" 200 " not in status:
                errors += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(conc)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "errors": errors,
    }


def _client(args: tuple[str, list[str], int, int, bool]) -> dict:
    return asyncio.run(_load(*args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000, help="requests per level")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    with ReplayServer(SAMPLE_DIR) as server, ctx.Pool(1) as pool:
        rels = (
            p.relative_to(SAMPLE_DIR).as_posix()[: -len(".html")]
            for p in SAMPLE_DIR.rglob("*.html")
        )
        # pages with declared special answers (a flaky 503) would count as server errors
        paths = sorted("/" + rel for rel in rels if rel not in server.specials)
        print(
            f"replay server {server.base_url}: {len(paths)} pages, {args.requests} requests/level"
        )
        head = ("connections", "gzip", "req/s", "p50 ms", "p95 ms", "errors")
        print("{:>11} {:>5} {:>8} {:>7} {:>7} {:>6}".format(*head))
        for conc in (1, 16, 64, 256):
            for gzip in (False, True):
                r = pool.apply(_client, ((server.base_url, paths, args.requests, conc, gzip),))
                print(
                    f"{conc:>11} {gzip!s:>5} {r['rps']:>8.0f} {r['p50_ms']:>7.1f} "
                    f"{r['p95_ms']:>7.1f} {r['errors']:>6}"
                )


if __name__ == "__main__":
    main()
