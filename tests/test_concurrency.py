"""Concurrent writers against a real server: of two writers holding one ETag exactly one wins,
concurrent valid creates all succeed, and the change feed's versions chain without gaps.

Runs `python -m registry serve` on a fresh seeded clone and sends truly concurrent requests (httpx,
one event loop, a pool of connections on the server). CONCURRENCY_ROUNDS sets the rounds per record
type.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections import defaultdict

import asyncpg
import httpx
import pytest

from registry.auth import create_key
from tests.live import serve

ROUNDS = int(os.environ.get("CONCURRENCY_ROUNDS", "12"))
EVENT = {
    "municipality": "si-094",
    "model": "CAF",
    "type": "self_assessment",
    "date": "2019",
    "evidence_level": "self_declared",
    "unsourced": True,
}

# (what, how to create it or None for an existing record, its address, a field to change)
SUBJECTS = [
    ("event", ("/v1/events", EVENT), None, "note"),
    (
        "award",
        (
            "/v1/awards",
            {
                "municipality": "si-094",
                "scheme": "PNJ",
                "year": 2020,
                "level": "winner",
                "unsourced": True,
            },
        ),
        None,
        "note",
    ),
    (
        "source",
        (
            "/v1/sources",
            {
                "id": "race-src",
                "url": "https://example.org/race",
                "title": "Race",
                "language": "en",
            },
        ),
        None,
        "title",
    ),
    (
        "body",
        ("/v1/bodies", {"id": "race-body", "name": "Race body", "country": "SI"}),
        None,
        "name",
    ),
    (
        "programme",
        (
            "/v1/programmes",
            {"id": "race-cohort", "name": "Race cohort", "model": "CAF", "country": "SI"},
        ),
        None,
        "name",
    ),
    ("adoption", ("/v1/adoptions", {"municipality": "si-002", "model": "ISO14001"}), None, "note"),
    ("municipality", None, "/v1/municipalities/si-001", "note"),
]


@pytest.fixture
async def live(scratch_url):
    conn = await asyncpg.connect(scratch_url)
    secret = await create_key(conn, "racer", "admin", [])
    await conn.close()
    with serve(scratch_url, "--no-seed") as base:
        async with httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {secret}"}, timeout=30
        ) as client:
            yield client


async def _subject(
    client: httpx.AsyncClient, create: tuple | None, address: str | None
) -> tuple[str, str]:
    """The record's address and its ETag, as a client learns them (from creating it, or reading
    it)."""
    if create is None:
        return address, (await client.get(address)).headers["etag"]
    r = await client.post(create[0], json=create[1])
    assert r.status_code == 201, r.text
    return r.headers["location"], r.headers["etag"]


async def test_two_writers_with_one_etag_one_wins_the_other_gets_412(live):
    outcomes: dict[str, list[tuple[int, int]]] = {}
    for what, create, address, field in SUBJECTS:
        location, tag = await _subject(live, create, address)
        for n in range(ROUNDS):
            first, second = await asyncio.gather(
                live.patch(location, json={field: f"{what} {n} a"}, headers={"If-Match": tag}),
                live.patch(location, json={field: f"{what} {n} b"}, headers={"If-Match": tag}),
            )
            outcomes.setdefault(what, []).append(
                tuple(sorted((first.status_code, second.status_code)))
            )
            winner, loser = (second, first) if first.status_code == 412 else (first, second)
            assert loser.headers["content-type"].startswith("application/problem+json"), loser.text
            tag = winner.headers["etag"]
        if create is not None:  # a change racing a delete: one of them, never both
            changed, deleted = await asyncio.gather(
                live.patch(location, json={field: "last"}, headers={"If-Match": tag}),
                live.delete(location, headers={"If-Match": tag}),
            )
            outcomes[what].append(tuple(sorted((changed.status_code, deleted.status_code))))
    assert {what: sorted(set(pairs)) for what, pairs in outcomes.items()} == {
        what: [(200, 412)] for what, *_ in SUBJECTS
    }


def _month(n: int) -> str:
    """The n-th month from January 1950: four months a round, all within the registry's days."""
    return f"{1950 + n // 12}-{n % 12 + 1:02d}"


async def test_concurrent_valid_creates_all_succeed(live):
    for attempt in range(ROUNDS):
        events = [
            EVENT
            | {
                "municipality": "si-095",
                "model": "ISO9001",
                "type": "certification",
                "date": _month(attempt * 4 + k),
                "evidence_level": "third_party_certificate",
            }
            for k in range(4)
        ]
        answers = await asyncio.gather(*(live.post("/v1/events", json=e) for e in events))
        assert [a.status_code for a in answers] == [201] * 4, [
            a.text for a in answers if a.status_code != 201
        ]
    profile = (await live.get("/v1/municipalities/si-095")).json()
    iso = next(a for a in profile["adoptions"] if a["model"] == "ISO9001")
    assert len(iso["events"]) == 4 * ROUNDS


async def test_the_feed_versions_chain_without_gaps(live):
    await test_two_writers_with_one_etag_one_wins_the_other_gets_412(live)
    changes, cursor = [], None
    while True:
        page = (
            await live.get(
                "/v1/changes", params={"limit": 1000} | ({"cursor": cursor} if cursor else {})
            )
        ).json()
        changes += page["items"]
        if not (cursor := page["next"]):
            break
    chains: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for change in changes:
        chains[(change["entity"], change["entity_id"])].append(change)
    checked = 0
    for (entity, _), chain in chains.items():
        for previous, change in itertools.pairwise(chain):
            assert change["before"]["version"] == previous["after"]["version"], (
                entity,
                previous,
                change,
            )
            checked += 1
    assert {entity for entity, _ in chains} >= {what for what, *_ in SUBJECTS}
    assert checked >= len(SUBJECTS) * ROUNDS
