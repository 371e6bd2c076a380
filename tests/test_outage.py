"""Outages of the embedded PostgreSQL, against real `python -m registry serve` processes started as
`make run` starts them (no DATABASE_URL: embedded and supervised), on one data directory in a
temporary folder:

- the postmaster killed (kill -9) under concurrent reads and writes: meanwhile every failed answer
  is a 503 problem+json with Retry-After (no 500, no hang), the API serves again within 5 s, and
  every write that got a 201 is there afterwards;
- an API process killed: the next one still stops the database when it ends;
- a client leaving an import: its database work stops.

Every process started here is ended at the end, also when a test fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import psutil
import pytest

from registry.supervise import alive, server_processes
from tests import ROOT

RECOVERY_LIMIT = 5.0  # seconds from the kill until the API serves again
REQUEST_TIMEOUT = 10.0  # an answer later than this is a hang
# the first start makes the cluster, migrates and seeds, on a loaded 2-core machine
START_TIMEOUT = 240.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Api:
    """One `python -m registry serve` on the data directory."""

    started: list[Api] = []

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / f"serve-{len(Api.started) + 1}.log"
        env = {
            k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")
        }
        env |= {
            "REGISTRY_DATA_DIR": str(data_dir),
            "REGISTRY_RATE_LIMIT": "0",
            "REGISTRY_ACCESS_LOG": "false",
        }
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "registry", "serve", "--port", str(self.port)],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        Api.started.append(self)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert self.proc.poll() is None, (
                f"serve ended with {self.proc.returncode}:\n{self.tail()}"
            )
            assert time.monotonic() < deadline, (
                f"serve did not answer /health in {START_TIMEOUT} s:\n{self.tail()}"
            )
            try:
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def end(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        """Send `sig` and wait for the process to end (killed if it does not); its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "pgdata" / "postmaster.pid").read_text().splitlines()[0])


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def create_admin_key(data_dir: Path, name: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    created = subprocess.run(
        [sys.executable, "-m", "registry", "keys", "create", "--name", name, "--role", "admin"],
        capture_output=True,
        text=True,
        env=env | {"REGISTRY_DATA_DIR": str(data_dir)},
        cwd=ROOT,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    return {"Authorization": f"Bearer {created.stdout.strip()}"}


async def database(data_dir: Path) -> asyncpg.Connection:
    """A direct connection to the embedded server's `registry` database (its socket is in the data
    directory)."""
    return await asyncpg.connect(f"postgresql://postgres:@/registry?host={data_dir / 'pgdata'}")


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    """REGISTRY_DATA_DIR for the module's servers; afterwards every API and PostgreSQL process of it
    ends."""
    path = Path(tempfile.mkdtemp(prefix="registry-outage-")).resolve()
    try:
        yield path
    finally:
        for api in Api.started:
            api.end(signal.SIGKILL)
        Api.started.clear()
        for proc in server_processes(path / "pgdata"):
            proc.kill()
        shutil.rmtree(path, ignore_errors=True)


def test_the_database_stops_with_the_last_api_also_after_an_api_was_killed(data_dir):
    first = Api(data_dir)
    postmaster = psutil.Process(postmaster_pid(data_dir))
    first.end(signal.SIGKILL)  # it never says that it stopped using the database
    assert alive(postmaster), "the database outlives a killed API (the next one joins it)"
    second = Api(data_dir)
    assert postmaster_pid(data_dir) == postmaster.pid
    assert second.end(signal.SIGINT) in (0, -signal.SIGINT, 130), second.tail()  # Ctrl-C
    assert wait_for(lambda: not server_processes(data_dir / "pgdata"), 30), (
        f"PostgreSQL processes stayed behind: "
        f"{server_processes(data_dir / 'pgdata')}\n{second.tail()}"
    )
    assert json.loads((data_dir / "pgdata" / ".handle_pids.json").read_text()) == []


async def test_health_says_the_database_is_down_when_it_does_not_answer(data_dir):
    api = Api(data_dir)
    # the postmaster first: no new backend while stopping
    frozen = server_processes(data_dir / "pgdata")
    frozen.sort(key=lambda p: p.pid != postmaster_pid(data_dir))
    try:
        for proc in frozen:
            proc.suspend()
        started = time.monotonic()
        async with httpx.AsyncClient(base_url=api.url) as client:
            down = await client.get("/health", timeout=REQUEST_TIMEOUT)
            answered = time.monotonic() - started
            for proc in frozen:
                proc.resume()
            frozen = []
            up = await client.get("/health", timeout=REQUEST_TIMEOUT)
    finally:
        for proc in frozen:
            proc.resume()
    assert down.status_code == 503, down.text
    assert (
        down.headers["content-type"].startswith("application/json")
        and down.headers["retry-after"] == "2"
    )
    assert down.json()["status"] == "unavailable" and down.json()["database"] == "down"
    assert down.json()["detail"] == "the database did not answer within 2 s"
    assert 2 <= answered < 4, answered
    assert (
        up.status_code == 200 and up.json()["status"] == "ok" and up.json()["database"] == "ok"
    ), up.text
    api.end(signal.SIGTERM)


@dataclass
class Outcome:
    kind: str  # read, write, health
    started: float
    ended: float
    status: int | str  # the HTTP status, or "timeout" / the error's name
    content_type: str = ""
    retry_after: str | None = None
    body: dict | None = None  # of a failed answer
    source_id: str | None = None

    @property
    def ok(self) -> bool:
        return isinstance(self.status, int) and self.status < 300


async def call(client: httpx.AsyncClient, kind: str, method: str, path: str, **kwargs) -> Outcome:
    started = time.monotonic()
    try:
        r = await client.request(method, path, timeout=REQUEST_TIMEOUT, **kwargs)
    except httpx.TimeoutException:
        return Outcome(kind, started, time.monotonic(), "timeout")
    except httpx.HTTPError as exc:
        return Outcome(kind, started, time.monotonic(), type(exc).__name__)
    return Outcome(
        kind,
        started,
        time.monotonic(),
        r.status_code,
        r.headers.get("content-type", ""),
        r.headers.get("retry-after"),
        r.json() if r.status_code >= 300 else None,
    )


def well_formed_503(o: Outcome) -> bool:
    """A problem document (RFC 9457) with Retry-After; /health's own JSON saying the database is
    down."""
    if o.status != 503 or not o.retry_after or not o.body:
        return False
    if o.kind == "health":
        return (
            o.content_type.startswith("application/json")
            and o.body["status"] == "unavailable"
            and o.body["database"] == "down"
            and bool(o.body["detail"])
        )
    return (
        o.content_type.startswith("application/problem+json")
        and o.body["status"] == 503
        and o.body["title"] == "Service unavailable"
        and bool(o.body["detail"])
    )


async def test_the_api_answers_503_and_serves_again_when_the_postmaster_is_killed_under_load(
    data_dir,
):
    api = Api(data_dir)
    admin = create_admin_key(data_dir, "outage")
    conn = await database(data_dir)
    try:  # PostgreSQL's durability is on: a COMMIT returns once its WAL is flushed to disk
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            assert await conn.fetchval("SELECT current_setting($1)", setting) == "on", setting
    finally:
        await conn.close()

    outcomes: list[Outcome] = []
    stop = asyncio.Event()

    async def worker(client: httpx.AsyncClient, kind: str, number: int) -> None:
        n = 0
        while not stop.is_set():
            if kind == "write":
                source_id = f"outage-{number}-{n}"
                outcome = await call(
                    client,
                    kind,
                    "POST",
                    "/v1/sources",
                    headers=admin,
                    json={
                        "id": source_id,
                        "title": f"Outage test source {number}/{n}",
                        "language": "en",
                        "url": f"https://example.org/outage/{source_id}",
                    },
                )
                outcome.source_id = source_id
            elif kind == "read":
                path = ("/v1/municipalities/pl-1261011", "/v1/models/CAF", "/v1/sources?limit=5")[
                    n % 3
                ]
                outcome = await call(client, kind, "GET", path)
            else:
                outcome = await call(client, kind, "GET", "/health")
            outcomes.append(outcome)
            n += 1
            # a failing client pauses
            await asyncio.sleep(0.05 if kind == "health" or not outcome.ok else 0)

    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    async with httpx.AsyncClient(base_url=api.url, limits=limits) as client:
        workers = [
            asyncio.create_task(worker(client, kind, i))
            for i, kind in enumerate(["write"] * 4 + ["read"] * 3 + ["health"])
        ]
        await asyncio.sleep(2)
        assert sum(o.status == 201 for o in outcomes) >= 10, (
            f"writes do not succeed before the kill:\n{api.tail()}"
        )
        victim = postmaster_pid(data_dir)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()

        def recovered() -> bool:  # failures seen, then two seconds of answers that all succeeded
            failures = [o.started for o in outcomes if not o.ok]
            return (
                bool(failures)
                and time.monotonic() - max(failures) > 2
                and any(o.ok and o.started > max(failures) for o in outcomes)
            )

        while not recovered() and time.monotonic() - killed < 30:
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.gather(*workers)

        after = [o for o in outcomes if o.ended >= killed]
        failed = [o for o in outcomes if not o.ok]
        bad = [o for o in failed if not well_formed_503(o)]
        assert failed, "the kill was never noticed: no request failed"
        assert not bad, (
            f"answers other than 503 with Retry-After: "
            f"{[(o.kind, o.status, o.content_type, o.body) for o in bad][:20]}\n{api.tail(300)}"
        )
        last_failure = max(o.started for o in failed)
        serving = [o for o in outcomes if o.ok and o.started > last_failure]
        assert serving, f"the API did not serve again within 30 s:\n{api.tail()}"
        recovery = min(o.ended for o in serving) - killed
        first_503 = min(o.ended for o in failed) - killed
        assert postmaster_pid(data_dir) != victim

        acknowledged = [o.source_id for o in outcomes if o.kind == "write" and o.status == 201]
        unanswered = [o.source_id for o in outcomes if o.kind == "write" and not o.ok]
        semaphore = asyncio.Semaphore(8)

        async def stored(source_id: str) -> bool:
            async with semaphore:
                r = await client.get(f"/v1/sources/{source_id}", timeout=REQUEST_TIMEOUT)
                assert r.status_code in (200, 404), (source_id, r.status_code, r.text[:300])
                return r.status_code == 200

        lost = [
            i
            for i, kept in zip(
                acknowledged, await asyncio.gather(*map(stored, acknowledged)), strict=True
            )
            if not kept
        ]
        applied_anyway = sum(await asyncio.gather(*map(stored, unanswered)))

    print(
        f"\noutage: postmaster {victim} killed under {len(outcomes)} requests "
        f"({len(after)} answered after the kill); first 503 after {first_503:.2f} s; serving "
        f"again after "
        f"{recovery:.2f} s (limit {RECOVERY_LIMIT:g} s); 503 answers: {len(failed)} "
        f"({sum(o.kind == 'write' for o in failed)} writes, "
        f"{sum(o.kind == 'read' for o in failed)} reads, "
        f"{sum(o.kind == 'health' for o in failed)} /health), 500s: "
        f"{sum(o.status == 500 for o in outcomes)}, "
        f"timeouts: {sum(o.status == 'timeout' for o in outcomes)}; writes acknowledged: "
        f"{len(acknowledged)}, "
        f"lost: {len(lost)}; writes answered 503: {len(unanswered)} (applied anyway: "
        f"{applied_anyway}); "
        f"slowest answer {max(o.ended - o.started for o in outcomes):.2f} s"
    )
    postgres_log = "\n".join(
        (data_dir / "pgdata" / "log").read_text(errors="replace").splitlines()[-30:]
    )
    assert recovery <= RECOVERY_LIMIT, (
        f"serving again took {recovery:.2f} s:\n{api.tail()}\n{postgres_log}"
    )
    assert not lost, f"acknowledged writes lost: {lost[:20]}"

    # the restarted server is the one the API stops when it ends (SIGTERM, as a service manager
    # sends)
    restarted = psutil.Process(postmaster_pid(data_dir))
    api.end(signal.SIGTERM)
    assert wait_for(
        lambda: not alive(restarted) and not server_processes(data_dir / "pgdata"), 30
    ), api.tail()


async def test_a_client_leaving_an_import_stops_its_database_work(data_dir):
    api = Api(data_dir)
    admin = create_admin_key(data_dir, "import")
    conn = await database(data_dir)
    try:
        units = [r["id"] for r in await conn.fetch("SELECT id FROM municipality ORDER BY id")]
        events_before = await conn.fetchval("SELECT count(*) FROM event")
        rows = [
            {
                "record": "event",
                "municipality": unit,
                "model": "CAF",
                "type": "self_assessment",
                "date": str(year),
                "evidence_level": "self_declared",
                "unsourced": True,
            }
            # ~15 s of work in the database
            for year in range(1900, 2100)
            for unit in units
        ][:100_000]
        body = "".join(json.dumps(row) + "\n" for row in rows).encode()
        busy = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'registry' AND pid <> "
            "pg_backend_pid() "
            "AND backend_type = 'client backend' AND (state = 'active' OR state LIKE 'idle in "
            "transaction%')"
        )
        # a long transaction
        importing = busy + " AND xact_start < clock_timestamp() - interval '0.5 s'"

        reader, writer = await asyncio.open_connection("127.0.0.1", api.port)
        writer.write(
            f"POST /v1/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            f"application/x-ndjson\r\n"
            f"Authorization: {admin['Authorization']}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        deadline = time.monotonic() + 60
        while not await conn.fetchval(importing):  # the import is writing in the database
            assert time.monotonic() < deadline, (
                f"the import never reached the database:\n{api.tail()}"
            )
            await asyncio.sleep(0.05)
        writer.close()  # the client goes away
        left = time.monotonic()
        while await conn.fetchval(busy) and time.monotonic() - left < 30:
            await asyncio.sleep(0.05)
        stopped_after = time.monotonic() - left
        events_after = await conn.fetchval("SELECT count(*) FROM event")
    finally:
        await conn.close()
    print(
        f"\nimport of {len(rows):,} rows: the database was idle {stopped_after:.2f} s after the "
        f"client left"
    )
    assert stopped_after < 3, (
        f"the import went on in the database for {stopped_after:.1f} s:\n{api.tail()}"
    )
    assert events_after == events_before, "the cancelled import wrote events"
    assert wait_for(lambda: "the import was cancelled" in api.tail(), 10), api.tail()
    api.end(signal.SIGTERM)
