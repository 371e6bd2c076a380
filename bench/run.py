"""`make bench`: the API against the direct-SQL limit on synthetic European data; writes
bench/RESULTS.md.

1. Starts an embedded PostgreSQL under bench/.pgdata (never the registry's own data) and, the first
   time, generates two SYNTHETIC databases with bench/generate.py: bench_full (every Eurostat LAU
   unit, ~300k adoptions, ~2M events) and bench_small (1,000 municipalities).
2. For each, starts the API (one uvicorn process, production settings, rate limit off) and measures
   every endpoint with bench/load.py in its own process at concurrency 32, after one unmeasured pass
   over its paths and a second of load (the server's steady state); then runs the same SQL through
   an asyncpg pool of the same size at the same concurrency (the limit); records the server's peak
   RSS. The profile, whose target is a share of its limit, is measured in three back-to-back pairs
   of API and limit, their order alternating, and judged by the median pair.
3. Times an import of 100,000 synthetic events through POST /v1/imports.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from bench.load import summarize  # noqa: E402
from registry.auth import create_key  # noqa: E402
from registry.db import (  # noqa: E402
    create_pool,
    fetch_planned,  # noqa: E402
    queries,
    with_database,
)
from registry.migrations import migrate  # noqa: E402
from registry.places.repo import BASES, status_scope  # noqa: E402
from registry.settings import Settings  # noqa: E402
from registry.supervise import EmbeddedServer  # noqa: E402

HOST = "127.0.0.1"


def _free_port() -> int:
    """A port nothing listens on, so that a development server on a usual port is never measured
    instead."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


PORT = _free_port()
CONCURRENCY = 32
IMPORT_TIMEOUT = 300  # seconds: an import slower than this is reported as "more than"
POOL = Settings().pool_max  # the server's default pool size, used for the direct-SQL limit too
TODAY = dt.date.today()
TARGETS_50MS = {
    "profile",
    "list",
    "compare",
    "peers",
    "country ranking",
    "country statistics",
    "cohort progress",
}
TARGETS_250MS = {"Europe ranking", "Europe statistics"}
TARGETS_100MS = {"municipality page"}  # a web page (registry/web/), measured at PAGE_CONCURRENCY
PAGE_CONCURRENCY = 8


def endpoints(sample: list[str], country: str, programme: str) -> list[dict]:
    """Each endpoint: a name, request paths, and the same SQL run directly."""
    rng = random.Random(3)
    ids = sample[:2000]
    served = ids[:500]  # the profiles and peers asked for, through HTTP and directly alike
    compare_sets = [",".join(rng.sample(ids, 10)) for _ in range(200)]
    as_of = TODAY

    async def profile(conn, i):  # the statement the API runs for an anonymous reader
        await conn.fetchval(
            queries.get_municipality_profile, served[i % len(served)], as_of, False, "k"
        )

    async def listing(conn, i):
        # the statement the API runs for a status filter ordered by id
        low, high = status_scope(country)
        await conn.fetch(
            queries.list_municipalities_by_status,
            low,
            high,
            "",
            "ISO9001",
            "certified",
            as_of,
            None,
            None,
            False,
            51,
            "k",
            BASES["confirmed"],
            "municipality",
        )

    async def compare(conn, i):
        chosen = compare_sets[i % len(compare_sets)].split(",")
        await conn.fetch(queries.compare_municipalities, chosen, as_of, "k")

    async def peers(conn, i):
        target = served[i % len(served)]
        await conn.fetchrow(queries.peers_knn_of, target, True, 10)

    def ranking(scope):
        async def run(conn, i):  # planned per call, as the API plans it
            await fetch_planned(
                conn,
                queries.rankings,
                scope,
                None,
                None,
                None,
                None,
                as_of,
                10,
                0.4,
                0.3,
                0.15,
                0.15,
                50,
                0,
                "k",
                "municipality",
            )

        return run

    def stats(scope):
        async def run(conn, i):  # the statistics planned per call, as the API plans them
            first = await conn.fetchval(
                queries.adoption_first_year, "ISO9001", scope, as_of, "municipality"
            )
            await fetch_planned(
                conn,
                queries.adoption_stats_by_year,
                "ISO9001",
                scope,
                first or 1995,
                as_of.year,
                as_of,
                "k",
                "municipality",
            )

        return run

    async def progress(conn, i):
        await conn.fetchval(queries.programme_exists, programme)
        await conn.fetch(queries.programme_progress, programme, as_of, "k")

    # the statements the page runs: profile, spans, peers, benchmark
    async def municipality_page(conn, i):
        target = served[i % len(served)]
        await conn.fetchval(queries.get_municipality_profile, target, as_of, False, "k")
        await conn.fetch(queries.web_status_spans, [target], "k")
        found = await conn.fetchrow(queries.peers_knn_of, target, True, 10)
        peers = [p["id"] for p in (found["result"] or {}).get("peers", [])] if found else []
        await conn.fetch(queries.benchmark_models, target, peers, as_of, "k")

    return [
        {
            "name": "profile",
            "paths": [f"/v1/municipalities/{m}" for m in served],
            "direct": profile,
            "pairs": 3,
        },
        {
            "name": "list",
            "paths": [f"/v1/municipalities?country={country}&model=ISO9001&status=certified"],
            "direct": listing,
        },
        {
            "name": "compare",
            "paths": [f"/v1/compare?ids={s}" for s in compare_sets],
            "direct": compare,
        },
        {
            "name": "peers",
            "paths": [f"/v1/municipalities/{m}/peers?k=10" for m in served],
            "direct": peers,
        },
        {
            "name": "country ranking",
            "paths": [f"/v1/rankings?country={country}"],
            "direct": ranking([country][0]),
        },
        {"name": "Europe ranking", "paths": ["/v1/rankings"], "direct": ranking(None)},
        {
            "name": "country statistics",
            "paths": [f"/v1/stats/adoption?model=ISO9001&country={country}&by=year"],
            "direct": stats([country]),
        },
        {
            "name": "Europe statistics",
            "paths": ["/v1/stats/adoption?model=ISO9001&by=year"],
            "direct": stats(None),
        },
        {
            "name": "cohort progress",
            "paths": [f"/v1/programmes/{programme}/progress"],
            "direct": progress,
        },
        # the HTML page of a municipality (registry/web/places.py): its SQL, timelines, benchmark,
        # template
        {
            "name": "municipality page",
            "paths": [f"/municipalities/{m}" for m in served],
            "direct": municipality_page,
            "concurrency": PAGE_CONCURRENCY,
        },
    ]


async def direct_limit(url: str, run, seconds: float, concurrency: int = CONCURRENCY) -> dict:
    pool = await create_pool(url, POOL, POOL)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def worker() -> None:
        while time.perf_counter() < deadline:
            i = next(counter)
            started = time.perf_counter()
            async with pool.acquire() as conn:
                await run(conn, i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await pool.close()
    return summarize(latencies, elapsed)


def http_load(paths: list[str], seconds: float, concurrency: int = CONCURRENCY) -> dict:
    """Load from another process: wrk if the machine has it (`make bench` installs it when it can),
    else bench/load.py. wrk runs 2 threads and keeps the 32 connections busy at a fraction of the
    CPU."""
    if shutil.which("wrk"):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
            listing.write("\n".join(paths) + "\n")
        try:
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{concurrency}",
                    f"-d{max(1, round(seconds))}s",
                    "--timeout",
                    "30s",
                    "-s",
                    str(ROOT / "bench" / "wrk.lua"),
                    f"http://{HOST}:{PORT}",
                ],
                env={**os.environ, "WRK_PATHS": listing.name},
                capture_output=True,
                text=True,
                check=True,
                timeout=seconds * 20 + 120,
            )
        finally:
            os.unlink(listing.name)
        return json.loads(out.stdout.strip().splitlines()[-1])
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load.py"),
            "--host",
            HOST,
            "--port",
            str(PORT),
            "--concurrency",
            str(concurrency),
            "--seconds",
            str(seconds),
            *paths,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds * 20 + 120,
    )
    return {**json.loads(out.stdout), "tool": "bench/load.py"}


class ApiServer:
    """The registry on the benchmark database: one process, production settings, no rate limit."""

    def __init__(self, url: str) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "REGISTRY_RATE_LIMIT": "0",
            "REGISTRY_ACCESS_LOG": "off",
            "PYTHONOPTIMIZE": "1",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "registry",
                "serve",
                "--no-seed",
                "--host",
                HOST,
                "--port",
                str(PORT),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                if httpx.get(f"http://{HOST}:{PORT}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the API did not start")

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still busy (e.g. an import past its timeout)
            self.process.kill()
            self.process.wait(timeout=30)


async def _prepare(
    base: str, name: str, municipalities: int | None, europe: bool
) -> tuple[str, dict | None]:
    import asyncpg

    admin = await asyncpg.connect(base)
    exists = await admin.fetchval(queries.bench_database_exists, name)
    if not exists:
        await admin.execute(
            {
                "bench_full": "CREATE DATABASE bench_full",
                "bench_small": "CREATE DATABASE bench_small",
            }[name]
        )
    await admin.close()
    url = with_database(base, name)
    conn = await asyncpg.connect(url)
    has = await conn.fetchval(queries.bench_has_schema) and await conn.fetchval(
        queries.bench_has_data
    )
    # data generated by an earlier release: brought to this release's schema before anything reads
    # it
    if has:
        await migrate(conn)
    await conn.close()
    if has:
        # a generation interrupted before its spans were all computed
        await generate.complete_spans(url)
        return url, None
    print(f"generating {name} (synthetic) …", file=sys.stderr)
    return url, await generate.generate(url, municipalities, 7, europe)


async def _context(url: str) -> tuple[list[str], str, str, str]:
    pool = await create_pool(url, 1, 1)
    async with pool.acquire() as conn:
        sample = [r["municipality_id"] for r in await conn.fetch(queries.bench_sample_ids, 5000)]
        random.Random(5).shuffle(sample)
        country = await conn.fetchval(queries.bench_busiest_country)
        programme = await conn.fetchval(queries.bench_a_programme)
        key = await create_key(conn, f"bench-{int(time.time())}", "admin", [])
        sizes = dict(await conn.fetchrow(queries.bench_sizes))
    await pool.close()
    return sample, country, programme, key, sizes


async def _import_rows(url: str, count: int) -> tuple[list[dict], dict]:
    """`count` SYNTHETIC events: whole adoption histories (the generator's lifecycle rules) of
    models the municipalities have not adopted yet, as a ministry importing another registry's
    records would send them. Also returns where the data stood, so the import can be taken out again
    afterwards."""
    rng = random.Random(11)
    pool = await create_pool(url, 1, 1)
    async with pool.acquire() as conn:
        editions = generate.Editions(await conn.fetch(queries.bench_editions))
        held = {
            (r["municipality_id"], r["model_code"])
            for r in await conn.fetch(queries.bench_adopted_pairs)
        }
        units = [r["id"] for r in await conn.fetch(queries.bench_municipalities, None)]
        marks = dict(await conn.fetchrow(queries.bench_high_water))
    await pool.close()
    names, weights = zip(*generate.ALL_MODELS, strict=True)
    rows: list[dict] = []
    while len(rows) < count:
        municipality, model = rng.choice(units), rng.choices(names, weights)[0]
        if (municipality, model) in held:
            continue
        held.add((municipality, model))
        history = (
            generate.caf_history(rng, 0)
            if model == "CAF"
            else generate.certification_history(rng, 0, model, editions)
        )
        for _, kind, start, _end, precision, edition, _model, _body, evidence, score in history:
            row = {
                "record": "event",
                "municipality": municipality,
                "model": model,
                "type": kind,
                "date": str(start.year) if precision == "year" else start.isoformat(),
                "edition": edition,
                "evidence_level": evidence,
                "score": score,
                "source": "synthetic-benchmark",
                "note": "SYNTHETIC import",
            }
            rows.append({k: v for k, v in row.items() if v is not None})
    return rows[:count], marks


async def _forget_import(url: str, marks: dict) -> None:
    """Take the benchmark's import out again, so every run imports into the same data."""
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            await conn.execute(queries.bench_forget_events, marks["event"])
            await conn.execute(queries.bench_forget_adoptions, marks["adoption"])
            await conn.execute(queries.bench_forget_changes, marks["change"])
    finally:
        await conn.close()


def import_events(url: str, url_key: str, count: int) -> dict:
    rows, marks = asyncio.run(_import_rows(url, count))
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    started = time.perf_counter()
    try:
        response = httpx.post(
            f"http://{HOST}:{PORT}/v1/imports",
            content=body,
            timeout=IMPORT_TIMEOUT,
            headers={"Authorization": f"Bearer {url_key}", "Content-Type": "application/x-ndjson"},
        )
    except httpx.TimeoutException:
        return {"status": "timeout", "seconds": IMPORT_TIMEOUT, "created": None, "rows": count}
    elapsed = time.perf_counter() - started
    report = response.json()
    if response.status_code == 200:
        asyncio.run(_forget_import(url, marks))
    else:
        print(f"  import refused: {json.dumps(report)[:2000]}", file=sys.stderr)
    return {
        "status": response.status_code,
        "seconds": round(elapsed, 1),
        "created": report.get("created"),
        "rows": count,
    }


async def _vacuum(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(queries.bench_vacuum)
    finally:
        await conn.close()


def measure(url: str, seconds: float, import_events_count: int) -> dict:
    asyncio.run(_vacuum(url))
    sample, country, programme, key, sizes = asyncio.run(_context(url))
    results = {"country": country, "programme": programme, "sizes": sizes, "endpoints": {}}
    server = ApiServer(url)
    try:
        for spec in endpoints(sample, country, programme):
            # warm up to the steady state a running server is in: every path once, so that
            # PostgreSQL's buffers hold what the load reads and cached answers are computed, then a
            # second of load on all of them. Measured from the first pass instead, buffer reads set
            # the p99 (ANALYSIS.md, "Warming up").
            with httpx.Client(base_url=f"http://{HOST}:{PORT}", timeout=IMPORT_TIMEOUT) as client:
                for path in spec["paths"]:
                    client.get(path).raise_for_status()
            concurrency = spec.get("concurrency", CONCURRENCY)
            http_load(spec["paths"], 1, concurrency)
            api = http_load(spec["paths"], seconds, concurrency)
            direct = asyncio.run(direct_limit(url, spec["direct"], seconds, concurrency))
            results["endpoints"][spec["name"]] = {"api": api, "direct": direct}
            if spec.get("pairs", 1) > 1:
                # the machine's speed drifts by a third between minutes, so a target set on a ratio
                # is read from several back-to-back pairs (the first one above), their order
                # alternating
                pairs = [(api["rps"], direct["rps"])]
                for n in range(1, spec["pairs"]):
                    if n % 2:
                        later_direct = asyncio.run(direct_limit(url, spec["direct"], seconds))
                        later_api = http_load(spec["paths"], seconds)
                    else:
                        later_api = http_load(spec["paths"], seconds)
                        later_direct = asyncio.run(direct_limit(url, spec["direct"], seconds))
                    pairs.append((later_api["rps"], later_direct["rps"]))
                results["endpoints"][spec["name"]]["pairs"] = pairs
                print(
                    f"  {spec['name']:20} API/direct in pairs: "
                    + ", ".join(f"{a / d:.1%}" for a, d in pairs),
                    file=sys.stderr,
                )
            print(
                f"  {spec['name']:20} api {api['rps']:8.1f} rps p99 {api['p99_ms']} ms | "
                f"direct {direct['rps']:8.1f} rps p99 {direct['p99_ms']} ms",
                file=sys.stderr,
            )
        if import_events_count:
            results["import"] = import_events(url, key, import_events_count)
            print(f"  import: {results['import']}", file=sys.stderr)
        results["peak_rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    return results


def write_results(full: dict, small: dict, generated: dict, seconds: float) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC. Machine: "
        f"{platform.node()}, "
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}, "
        f"PostgreSQL embedded (pgserver). Data: SYNTHETIC (bench/generate.py), never the "
        f"registry's real facts.",
        "",
        f"Load: {CONCURRENCY} concurrent keep-alive connections from a separate process "
        f"({full['endpoints']['profile']['api'].get('tool', 'bench/load.py')}), "
        f"{seconds:g} s per endpoint, measured after each of its paths was requested once and a "
        f"second of load (the "
        f"steady state of a running server); the API is one uvicorn process with a pool of "
        f"{POOL}. The limit is the same "
        f"SQL through an asyncpg pool of {POOL} at the same concurrency, without HTTP.",
        "",
    ]
    for label, data in (
        ("~100k municipalities (all Eurostat LAU units)", full),
        ("1,000 municipalities with histories (national rosters loaded: ~2,900 units)", small),
    ):
        meta = generated.get(label, {})
        sizes = data.get("sizes")
        lines += [
            f"## {label}",
            "",
            (
                f"Data: {sizes['municipalities']:,} municipalities, {sizes['adoptions']:,} "
                f"adoptions, {sizes['events']:,} events, {sizes['awards']:,} awards. "
                if sizes
                else ""
            )
            + f"Country for country-level endpoints: {data['country']}; "
            f"programme: {data['programme']}. " + (f"Generated: {meta}." if meta else ""),
            "",
            "| endpoint | API req/s | API p50 ms | API p99 ms | direct req/s | direct p99 ms | "
            "API/direct | target |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for name, r in data["endpoints"].items():
            api, direct = r["api"], r["direct"]
            ratio = api["rps"] / direct["rps"] if direct["rps"] else float("nan")
            limit = (
                50
                if name in TARGETS_50MS
                else 250
                if name in TARGETS_250MS
                else 100
                if name in TARGETS_100MS
                else None
            )
            verdict = (
                ""
                if limit is None
                else (
                    "met"
                    if api["p99_ms"] is not None and api["p99_ms"] <= limit
                    else f"missed: p99 {api['p99_ms']} ms > {limit} ms"
                )
            )
            if name in TARGETS_100MS:
                verdict += f" (HTML, {PAGE_CONCURRENCY} concurrent connections)"
            if name == "profile":
                # one decimal: 49.9 % is written as missed and not rounded up to a "50 %" that reads
                # as met
                ratios = sorted(
                    a / d for a, d in r.get("pairs", [(api["rps"], direct["rps"])]) if d
                )
                median = ratios[len(ratios) // 2] if ratios else float("nan")
                pairs = (
                    (
                        f", the median of {len(ratios)} back-to-back pairs ("
                        + ", ".join(f"{x:.1%}" for x in ratios)
                        + "; the table's columns are the first)"
                    )
                    if len(ratios) > 1
                    else ""
                )
                met = "met" if median >= 0.5 else "missed"
                verdict += f"; throughput {median:.1%} of the limit{pairs}: {met} (≥ 50%)"
            lines.append(
                f"| {name} | {api['rps']} | {api['p50_ms']} | {api['p99_ms']} | {direct['rps']} | "
                f"{direct['p99_ms']} | {ratio:.3f} | {verdict} |"
            )
        lines += [
            "",
            f"Server peak RSS: {data.get('peak_rss_mb')} MB (target ≤ 300 MB: "
            f"{'met' if data.get('peak_rss_mb', 1e9) <= 300 else 'missed'}).",
            "",
        ]
        if "import" in data:
            imp = data["import"]
            took = f"more than {imp['seconds']}" if imp["status"] == "timeout" else imp["seconds"]
            rate = (
                (
                    f"; {imp['rows'] / imp['seconds']:.0f} rows/s, so 100,000 rows take about "
                    f"{100_000 / (imp['rows'] / imp['seconds']):.0f} s"
                )
                if imp["status"] == 200
                else ""
            )
            fast = imp["status"] == 200 and 100_000 / (imp["rows"] / imp["seconds"]) <= 30
            lines += [
                f"Import of {imp['rows']:,} events through POST /v1/imports: {took} s, status "
                f"{imp['status']}, created {imp['created']}{rate} (target: 100,000 in ≤ 30 s: "
                f"{'met' if fast else 'missed'}).",
                "",
            ]
    lines += [
        "## Growth from 1,000 to ~100,000 municipalities",
        "",
        "| endpoint | p50 ms at 1k | p50 ms at 100k | ratio | target (≤ 2×) |",
        "|---|---|---|---|---|",
    ]
    for name in ("profile", "compare", "peers"):
        a, b = small["endpoints"][name]["api"]["p50_ms"], full["endpoints"][name]["api"]["p50_ms"]
        ratio = b / a if a else float("nan")
        lines.append(f"| {name} | {a} | {b} | {ratio:.2f} | {'met' if ratio <= 2 else 'missed'} |")
    # the short hand-written reading below the tables ("## Reading" to the end) is kept from the
    # previous RESULTS.md, so the file holds only the latest run; the decisions behind the figures
    # are in docs/performance.md
    previous = ROOT / "bench" / "RESULTS.md"
    reading = (
        previous.read_text(encoding="utf-8").partition("\n## Reading")[2]
        if previous.exists()
        else ""
    )
    if reading:
        lines += ["", "## Reading" + reading.rstrip()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="measurement time per endpoint")
    parser.add_argument(
        "--import-events", type=int, default=100_000, help="events in the timed import (0 skips it)"
    )
    args = parser.parse_args()
    server = EmbeddedServer(ROOT / "bench" / ".pgdata")
    base = server.start()
    try:
        generated = {}
        full_url, made = asyncio.run(_prepare(base, "bench_full", None, True))
        if made:
            generated["~100k municipalities (all Eurostat LAU units)"] = made
        small_url, made = asyncio.run(_prepare(base, "bench_small", 1000, False))
        if made:
            generated[
                "1,000 municipalities with histories (national rosters loaded: ~2,900 units)"
            ] = made
        print("measuring ~100k municipalities …", file=sys.stderr)
        full = measure(full_url, args.seconds, args.import_events)
        (ROOT / "bench" / ".work").mkdir(exist_ok=True)
        (ROOT / "bench" / ".work" / "full.json").write_text(json.dumps(full, indent=1))
        print("measuring 1,000 municipalities …", file=sys.stderr)
        small = measure(small_url, args.seconds, 0)
        text = write_results(full, small, generated, args.seconds)
        (ROOT / "bench" / "RESULTS.md").write_text(text, encoding="utf-8")
        (ROOT / "bench" / ".work").mkdir(exist_ok=True)
        (ROOT / "bench" / ".work" / "results.json").write_text(
            json.dumps({"full": full, "small": small}, indent=1)
        )
        print(text)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
