"""Keeps the embedded PostgreSQL serving, and stops it when the last process using it ends.

pgserver starts the server with `pg_ctl` and leaves it running on its own: nothing restarts it when
it crashes or is killed, and pgserver cannot even notice, because a killed postmaster becomes a
zombie where no init process reaps it (a container's), and psutil counts a zombie as running. Three
things here:

- `Supervisor` (started by the application's lifespan when it runs on the embedded server) looks at
  the postmaster every 0.2 s; when it is gone it stops what is left of the old server, starts a new
  one on the same data directory (PostgreSQL replays its write-ahead log, so every committed
  transaction is there) and expires the pool's connections, so the API serves again without being
  restarted: ~0.3 s after a kill -9 under load (tests/test_outage.py). Requests meanwhile answer 503
  with Retry-After (registry/errors.py). It locks the data directory, not with pgserver's lock,
  which is one for every pgserver on the machine and is held for seconds by any of them running
  initdb or pg_ctl.
- `shorten_recovery` (at start) sets `recovery_init_sync_method = syncfs`: PostgreSQL then makes the
  data directory durable before replaying its log with one syncfs() instead of an fsync per file
  (1.4-4.5 s on a busy 2-core machine, now ~25 ms), and takes a checkpoint so that little is left to
  replay.
- `clear_dead_postmaster` removes what a killed postmaster leaves behind: its still-running children
  (they hold its shared memory, and PostgreSQL refuses to start while they do) and the lock files
  naming its pid, which a zombie keeps "alive" for PostgreSQL's own check and for pgserver's.
- `forget_dead_handles`: pgserver counts the processes using a server in
  `<pgdata>/.handle_pids.json` and stops the server only when the last one leaves. A process that
  was killed never leaves, so from then on no run ever stopped the server. Dead pids are dropped
  before a process joins and before it leaves.

Durability is PostgreSQL's own: pgserver runs `initdb` without `--no-sync` and sets nothing, so
fsync, synchronous_commit and full_page_writes are on (tests/test_outage.py checks them on a live
server) and a transaction is on disk before its COMMIT returns, hence before the API answers 2xx.
syncfs gives the same guarantee as the per-file fsync (it syncs the whole file system; on Linux
before 5.8 it may not report a write error, PostgreSQL's documentation says).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
import fasteners
import psutil

from registry.settings import Settings

if TYPE_CHECKING:
    from registry.db import FairPool

log = logging.getLogger("registry.supervise")

HANDLES = ".handle_pids.json"  # pgserver's list of the processes using a server


def alive(proc: psutil.Process | None) -> bool:
    """Whether a process is running: not gone, not a zombie, and not another process that reused its
    pid."""
    try:
        return proc is not None and proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _process(pid: int) -> psutil.Process | None:
    try:
        proc = psutil.Process(pid)
    except psutil.Error:
        return None
    return proc if alive(proc) else None


def server_processes(pgdata: Path) -> list[psutil.Process]:
    """Every live PostgreSQL process of this data directory (they all run in it: postgres chdirs
    there)."""
    found = []
    for proc in psutil.process_iter(["name"]):
        try:
            if proc.info["name"] == "postgres" and alive(proc) and Path(proc.cwd()) == pgdata:
                found.append(proc)
        except psutil.Error:  # gone meanwhile, or not ours to look at
            continue
    return found


def _postmaster_lines(pgdata: Path) -> list[str]:
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return []


def postmaster(pgdata: Path) -> psutil.Process | None:
    """The running postmaster named by `postmaster.pid`, or None."""
    lines = _postmaster_lines(pgdata)
    proc = _process(int(lines[0])) if lines and lines[0].strip().isdigit() else None
    try:
        return proc if proc is not None and proc.name() == "postgres" else None
    except psutil.Error:
        return None


def _signal_all(procs: list[psutil.Process], sig: int, wait: float) -> list[psutil.Process]:
    """Send `sig` and wait up to `wait` s for them to end; return those still running."""
    for proc in procs:
        try:
            proc.send_signal(sig)
        except psutil.Error:
            pass
    deadline = time.monotonic() + wait
    while True:
        procs = [p for p in procs if alive(p)]
        if not procs or time.monotonic() >= deadline:
            return procs
        time.sleep(0.02)


def clear_dead_postmaster(pgdata: Path) -> bool:
    """If `postmaster.pid` names a postmaster that is not running: end its leftover processes
    (SIGQUIT, as an immediate shutdown does, then SIGKILL) and remove the lock files naming it. True
    if there was one."""
    lines = _postmaster_lines(pgdata)
    if not lines or postmaster(pgdata) is not None:
        return False
    left = server_processes(pgdata)
    if left:
        log.warning("ending %d processes left by the dead postmaster", len(left))
        left = _signal_all(_signal_all(left, signal.SIGQUIT, 1.0), signal.SIGKILL, 3.0)
        if left:
            raise RuntimeError(
                f"processes of the dead postmaster do not end: {[p.pid for p in left]}"
            )
    # postmaster.pid lines: pid, data directory, start time, port, socket directory, ...
    if len(lines) >= 5 and lines[3].strip().isdigit() and lines[4].strip():
        (Path(lines[4].strip()) / f".s.PGSQL.{lines[3].strip()}.lock").unlink(missing_ok=True)
    (pgdata / "postmaster.pid").unlink(missing_ok=True)
    return True


def forget_dead_handles(pgdata: Path) -> None:
    """Drop the pids of ended processes from pgserver's list of the server's users (with pgserver's
    lock)."""
    from pgserver import PostgresServer

    path = pgdata / HANDLES
    with PostgresServer._lock:
        try:
            pids = json.loads(path.read_text())
        except (FileNotFoundError, ValueError):
            return
        living = [pid for pid in pids if pid == os.getpid() or _process(pid) is not None]
        if living != pids:
            log.info(
                "forgetting ended users of the embedded server: %s", sorted(set(pids) - set(living))
            )
            path.write_text(json.dumps(living))


def restart_lock(pgdata: Path) -> fasteners.InterProcessLock:
    """Held while clearing or restarting the server of this data directory (pgserver's own lock is
    one for all its servers on the machine, held by any of them for seconds while it runs initdb or
    pg_ctl)."""
    return fasteners.InterProcessLock(pgdata / ".registry-restart.lock")


def prepare(pgdata: Path) -> None:
    """Before pgserver starts (or joins) the server: forget ended users and clear a dead
    postmaster."""
    if not (pgdata / "PG_VERSION").exists():
        return
    forget_dead_handles(pgdata)
    with restart_lock(pgdata):
        clear_dead_postmaster(pgdata)


async def shorten_recovery(conn: asyncpg.Connection) -> None:
    """Make a restart after a crash take a fraction of a second instead of seconds (embedded server
    only).

    Before replaying its log, PostgreSQL fsyncs every file of the data directory one by one: 1.4-4.5
    s for the ~1,500 files of a seeded registry on a busy 2-core machine. On Linux one syncfs() call
    per file system does the same in ~25 ms (`recovery_init_sync_method = syncfs`, kept in
    postgresql.auto.conf). A checkpoint now leaves little to replay and write back after a crash
    soon after the start (the seed load is ~20 MB of log)."""
    if (
        sys.platform.startswith("linux")
        and await conn.fetchval("SELECT current_setting('recovery_init_sync_method')") != "syncfs"
    ):
        await conn.execute("ALTER SYSTEM SET recovery_init_sync_method = 'syncfs'")
        await conn.execute("SELECT pg_reload_conf()")
    await conn.execute("CHECKPOINT")


# ---------------------------------------------------------------- the server and its supervisor


@dataclass
class EmbeddedServer:
    """A pgserver-managed PostgreSQL in a data directory; stopped (not deleted) when the last
    process using it ends. Processes that ended without saying so (killed) and a postmaster that
    died are cleared first (below)."""

    data_dir: Path
    cleanup_mode: str = "stop"
    _server: Any = field(default=None, repr=False)

    def start(self) -> str:
        import pgserver  # imported late: only the embedded mode needs it

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = self.data_dir.resolve()  # as pgserver and the server's processes name it
        prepare(self.data_dir)
        self._server = pgserver.get_server(self.data_dir, cleanup_mode=self.cleanup_mode)
        return self._server.get_uri()

    @property
    def handle(self) -> Any:
        """pgserver's PostgresServer for this data directory."""
        return self._server

    def stop(self) -> None:
        if self._server is not None:
            forget_dead_handles(self.data_dir)  # else a killed process keeps the server running
            self._server.cleanup()
            self._server = None


def resolve_database(settings: Settings) -> tuple[str, EmbeddedServer | None]:
    """The server URL to use: DATABASE_URL, or a started embedded server."""
    if settings.database_url:
        return settings.database_url, None
    server = EmbeddedServer(settings.data_dir / "pgdata")
    return server.start(), server  # the caller moves to the `registry` database


class Supervisor:
    """Restarts the embedded server when its postmaster ends, while the application runs."""

    def __init__(self, server: EmbeddedServer, pool: FairPool, interval: float = 0.2) -> None:
        self.server = server
        self.pool = pool
        self.interval = interval
        self.restarts = 0
        self._task: asyncio.Task | None = None
        self._postmaster = postmaster(server.data_dir)

    async def start(self) -> None:
        try:
            async with self.pool.acquire() as conn:
                await shorten_recovery(conn)
        except (asyncpg.PostgresError, OSError) as exc:  # only slower to recover: serve anyway
            log.warning("could not shorten the embedded server's crash recovery: %s", exc)
        self._task = asyncio.get_running_loop().create_task(
            self._watch(), name="postgres-supervisor"
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _watch(self) -> None:
        delay = self.interval
        while True:
            await asyncio.sleep(delay)
            if alive(self._postmaster):
                delay = self.interval
                continue
            started = time.monotonic()
            log.warning(
                "the embedded PostgreSQL (pid %s) is not running: restarting it",
                self._postmaster.pid if self._postmaster else "?",
            )
            try:
                await asyncio.to_thread(self._restart)
            except Exception:  # noqa: BLE001 - logged; tried again, less often, until it works
                log.exception("restarting the embedded PostgreSQL failed; trying again")
                delay = min(max(delay * 2, 1.0), 10.0)
                continue
            # connections to the old server are replaced as they are next used
            await self.pool.expire()
            self.restarts += 1
            log.warning(
                "the embedded PostgreSQL serves again (pid %s) after %.1f s",
                self._postmaster.pid if self._postmaster else "?",
                time.monotonic() - started,
            )

    def _restart(self) -> None:
        """In a thread: clear the dead server and start a new one (or adopt one another process
        started). PostgreSQL itself refuses a second postmaster on the data directory, so a race
        with another process starting it fails one of the two, and this one tries again."""
        pgdata = self.server.data_dir
        with restart_lock(pgdata):
            clear_dead_postmaster(pgdata)
            # pgserver's start: pg_ctl -w start, or adopts one
            self.server.handle.ensure_postgres_running()
        self._postmaster = postmaster(pgdata)
        if self._postmaster is None:
            raise RuntimeError("pg_ctl started no postmaster")
