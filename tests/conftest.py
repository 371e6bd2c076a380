"""Test fixtures on a real PostgreSQL: the embedded server (or TEST_DATABASE_URL), a migrated and
seeded template database, and clones of it. Nothing here mocks the database."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from registry.app import create_app
from registry.db import FairPool, create_pool, queries, with_database
from registry.migrations import migrate
from registry.seed import seed_all
from registry.settings import Settings
from registry.supervise import EmbeddedServer

# SQL only the tests use, out of the production schema
TESTS_SQL = Path(__file__).resolve().parent / "sql"
queries.extend(TESTS_SQL / "queries.sql")

# Database names are constants: CREATE/DROP DATABASE take no parameters.
DROP_TEMPLATE = "DROP DATABASE IF EXISTS registry_template"
CREATE_TEMPLATE = "CREATE DATABASE registry_template"
DROP_READ = "DROP DATABASE IF EXISTS registry_read"
CREATE_READ = "CREATE DATABASE registry_read TEMPLATE registry_template"
DROP_SCRATCH = "DROP DATABASE IF EXISTS registry_scratch WITH (FORCE)"
CREATE_SCRATCH = "CREATE DATABASE registry_scratch TEMPLATE registry_template"
DROP_FIXTURE = "DROP DATABASE IF EXISTS registry_fixture WITH (FORCE)"
CREATE_FIXTURE = "CREATE DATABASE registry_fixture TEMPLATE registry_template"
DROP_EMPTY = "DROP DATABASE IF EXISTS registry_empty WITH (FORCE)"
CREATE_EMPTY = "CREATE DATABASE registry_empty"


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The maintenance URL of a PostgreSQL server that the tests may create databases on."""
    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    server = EmbeddedServer(
        Path(tempfile.mkdtemp(prefix="registry-test-")) / "pgdata", cleanup_mode="delete"
    )
    url = server.start()
    try:
        yield url
    finally:
        server.stop()


async def _admin(server_url: str, *statements: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def template_url(server_url: str) -> str:
    """A database with every migration applied and the seed data loaded, used as a template."""
    await _admin(server_url, DROP_READ, DROP_SCRATCH, DROP_FIXTURE, DROP_TEMPLATE, CREATE_TEMPLATE)
    url = with_database(server_url, "registry_template")
    pool = await create_pool(url, 1, 1)
    async with pool.acquire() as conn:
        await migrate(conn)
        await seed_all(conn)
    await pool.close()
    return url


@pytest.fixture(scope="session")
async def read_url(server_url: str, template_url: str) -> str:
    """A seeded clone shared by tests that only read."""
    await _admin(server_url, DROP_READ, CREATE_READ)
    return with_database(server_url, "registry_read")


@pytest.fixture
async def scratch_url(server_url: str, template_url: str) -> str:
    """A fresh seeded clone for one test that writes."""
    await _admin(server_url, DROP_SCRATCH, CREATE_SCRATCH)
    return with_database(server_url, "registry_scratch")


@pytest.fixture
async def empty_url(server_url: str) -> str:
    """A new empty database."""
    await _admin(server_url, DROP_EMPTY, CREATE_EMPTY)
    return with_database(server_url, "registry_empty")


@pytest.fixture(scope="session")
async def client(read_url: str) -> AsyncIterator[AsyncTestClient]:
    """An HTTP client on the app, served from the shared seeded database."""
    app = create_app(Settings(database_url=read_url, pool_min=1, pool_max=4))
    async with AsyncTestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def db(read_url: str) -> AsyncIterator[FairPool]:
    """A pool on the shared seeded database, for SQL-level checks."""
    pool = await create_pool(read_url, 1, 2)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def fixture_client(server_url: str, template_url: str) -> AsyncIterator[AsyncTestClient]:
    """An HTTP client on a seeded clone plus the synthetic fixture of tests/synthetic.py."""
    from tests import synthetic

    await _admin(server_url, DROP_FIXTURE, CREATE_FIXTURE)
    url = with_database(server_url, "registry_fixture")
    conn = await asyncpg.connect(url)
    try:
        await synthetic.load(conn)
    finally:
        await conn.close()
    async with AsyncTestClient(
        create_app(Settings(database_url=url, pool_min=1, pool_max=4))
    ) as test_client:
        yield test_client
