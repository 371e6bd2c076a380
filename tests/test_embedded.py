"""The embedded server keeps its data between runs, as `make run` promises."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import asyncpg

from registry.db import ensure_registry_database
from registry.migrations import migrate
from registry.supervise import EmbeddedServer


async def test_records_survive_a_restart_of_the_embedded_server():
    data_dir = Path(tempfile.mkdtemp(prefix="registry-restart-")) / "pgdata"

    async def write() -> None:
        url = await ensure_registry_database(server.start())
        conn = await asyncpg.connect(url)
        await migrate(conn)
        await conn.execute(
            "INSERT INTO source (id, document, title, language) VALUES ('kept', 'x', 'Kept', 'en')"
        )
        await conn.close()

    async def read() -> str | None:
        url = await ensure_registry_database(server.start())
        conn = await asyncpg.connect(url)
        title = await conn.fetchval("SELECT title FROM source WHERE id = 'kept'")
        applied = await migrate(conn)
        await conn.close()
        assert applied == []
        return title

    server = EmbeddedServer(data_dir, cleanup_mode="stop")
    await write()
    await asyncio.to_thread(server.stop)
    assert await read() == "Kept"
    server.stop()
