"""Benchmark: the web app under 50 concurrent clients on loopback (target: p95 under 100 ms for
every route, no errors).

Run: .venv/bin/python benchmarks/web_benchmark.py [--postgres URL] [--seconds 5] [--clients 50]
     [--workers 2] [--save]

Builds a database with the five reference reports imported and the HMICFRS grades CSV loaded
from ../shared (SQLite, and PostgreSQL with --postgres, in a schema of its own dropped after),
serves it with ``peel serve`` in a separate process on a free loopback port, and sends traffic
from N concurrent clients for a bounded time to each route in turn: the force page, the home
page, /api/v1/grades and /api/v1/findings?q=... Prints requests per second and p50/p95/p99
latency in milliseconds per route and database beside web_baseline.json. Traffic goes to
127.0.0.1 only, bounded in time and in count (at most --max-requests per route).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from baselines import add_common_options, report

from peelkit import Workspace

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BASELINE = Path(__file__).with_name("web_baseline.json")
ROUTES = {
    "force_page": "/forces/metropolitan",
    "home_page": "/",
    "api_grades": "/api/v1/grades?framework=peel-2018-19&level=pillar",
    "api_findings": "/api/v1/findings?q=registered+sex+offenders&force=metropolitan",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fill(url: str) -> None:
    with Workspace(url) as ws:
        ws.initialise()
        for path in sorted((SHARED / "reference-reports").glob("*.txt")):
            ws.import_report(path)
        ws.load_grades(SHARED / "data" / "raw" / "peel-grades" / "peel_grades.csv")


@contextmanager
def postgres_schema(server: str) -> Iterator[str]:
    """A fresh schema on the server, as a URL whose connections use it; dropped afterwards."""
    import sqlalchemy

    from peelkit.record.database import normalise_url

    name = f"bench_{uuid.uuid4().hex[:8]}"
    engine = sqlalchemy.create_engine(normalise_url(server))
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text(f"CREATE SCHEMA {name}"))
    url = normalise_url(server).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(f"DROP SCHEMA {name} CASCADE"))
        engine.dispose()


@contextmanager
def served(url: str, workers: int) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            *(str(ROOT / ".venv" / "bin" / "peel"), "--db", url, "serve"),
            *("--port", str(port), "--workers", str(workers)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/api/v1/forces", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("peel serve did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


async def load(base: str, path: str, clients: int, seconds: float, limit: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = 0.0
    sent = 0

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal errors, sent
        while time.perf_counter() < stop and sent < limit:
            sent += 1
            started = time.perf_counter()
            try:
                answer = await http.get(path)
                if answer.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        # Warm-up, not counted: each worker process builds what its cache then serves (the
        # first answer of a page takes seconds), so enough concurrent requests reach every one.
        warm = await asyncio.gather(*(http.get(path, timeout=300) for _ in range(clients)))
        failed = [w.status_code for w in warm if w.status_code != 200]
        if failed:
            raise RuntimeError(f"{path} answered {failed[0]} before the run")
        began = time.perf_counter()
        stop = began + seconds
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - began
    if len(latencies) < 2:
        raise RuntimeError(f"{path}: too few requests completed to measure")
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p95_ms": round(cuts[94], 1),
        "p99_ms": round(cuts[98], 1),
        "errors": errors,
    }


def measure(url: str, label: str, args: argparse.Namespace) -> dict[str, float]:
    figures: dict[str, float] = {}
    with served(url, args.workers) as base:
        for name, path in ROUTES.items():
            found = asyncio.run(load(base, path, args.clients, args.seconds, args.max_requests))
            for key, value in found.items():
                figures[f"{label}_{name}_{key}"] = value
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL to measure too")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per route")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--max-requests", type=int, default=20_000, help="at most, per route")
    add_common_options(parser)
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        fill(sqlite)
        figures.update(measure(sqlite, "sqlite", args))
    if args.postgres:
        with postgres_schema(args.postgres) as url:
            fill(url)
            figures.update(measure(url, "postgres", args))
    report(
        figures,
        BASELINE,
        args,
        f"{args.clients} clients, {args.seconds:g} s per route, {args.workers} workers; "
        "target p95 < 100 ms, no errors",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
