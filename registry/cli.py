"""`python -m registry ...`: serve, migrate, seed, openapi."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncpg
import msgspec

from registry.db import create_pool, ensure_registry_database
from registry.migrations import migrate
from registry.seed import seed_all
from registry.settings import Settings
from registry.supervise import resolve_database

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger("registry")


def server_config(app: Any, settings: Settings) -> uvicorn.Config:
    """How `serve` runs the application. The HTTP parser is httptools, named rather than left to
    uvicorn's choice: it hands headers of any size to the application, which answers 431 over its
    limit (registry/limits.py), where h11 would refuse large ones itself with a plain-text 400."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        http="httptools",
        log_level="info",
        access_log=settings.access_log,
    )


async def _prepare(url: str, *, do_migrate: bool, do_seed: bool) -> None:
    pool = await create_pool(url, 1, 2)
    try:
        async with pool.acquire() as conn:
            if do_migrate:
                applied = await migrate(conn)
                log.info("migrations: %s", f"applied {applied}" if applied else "up to date")
            if do_seed:
                counts = await seed_all(conn)
                log.info(
                    "seed data: %s",
                    ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
                    if counts
                    else "applied already, nothing changed",
                )
    finally:
        await pool.close()


async def _seed_europe(url: str, path: Path | None) -> None:
    from registry.europe import LAU_FILE, load_europe

    pool = await create_pool(url, 1, 1)
    try:
        async with pool.acquire() as conn:
            report = await load_europe(conn, path or LAU_FILE)
    finally:
        await pool.close()
    log.info(
        "Europe: %(rows)d LAU rows, %(added)d units added, %(matched)d already in the registry "
        "(matched by LAU code), "
        "%(countries)d countries",
        report,
    )
    for unit in report["unmatched_in_roster_countries"]:
        log.info("not in the national roster, left out: %s %s", unit["lau_key"], unit["name_local"])


async def _keys(url: str, args: argparse.Namespace) -> int:
    from registry.auth import create_key
    from registry.db import queries

    pool = await create_pool(url, 1, 1)
    try:
        async with pool.acquire() as conn:
            if args.keys_command == "create":
                try:
                    secret = await create_key(conn, args.name, args.role, args.country)
                except (
                    ValueError,
                    asyncpg.UniqueViolationError,
                    asyncpg.CheckViolationError,
                ) as exc:
                    sys.stderr.write(f"registry keys create: {exc}\n")
                    return 2
                sys.stdout.write(f"{secret}\n")
                countries = ", ".join(c.upper() for c in args.country) if args.country else ""
                sys.stderr.write(
                    f"key {args.name!r} ({args.role}"
                    f"{', ' + countries if countries else ''}) created;"
                    " this is the only time it is shown\n"
                )
            elif args.keys_command == "list":
                for r in await conn.fetch(queries.list_keys):
                    state = f"revoked {r['revoked_at']:%Y-%m-%d}" if r["revoked_at"] else "active"
                    sys.stdout.write(
                        f"{r['name']}\t{r['role']}\t{','.join(r['countries']) or '-'}\t"
                        f"{r['prefix']}…\t{r['created_at']:%Y-%m-%d}\t{state}\n"
                    )
            elif not await conn.fetchval(queries.revoke_key, args.name):
                sys.stderr.write(f"registry keys revoke: no active key named {args.name!r}\n")
                return 2
            else:
                sys.stderr.write(f"key {args.name!r} revoked\n")
    finally:
        await pool.close()
    return 0


async def _import(url: str, args: argparse.Namespace) -> int:
    import getpass
    import mimetypes

    from registry.auth import Principal
    from registry.curation.transfer import parse_rows, run_import
    from registry.db import queries
    from registry.errors import RegistryError
    from registry.europe import Progress

    suffix = args.file.suffix.lower()
    content_type = (
        {
            ".csv": "text/csv",
            ".json": "application/json",
            ".jsonl": "application/x-ndjson",
            ".ndjson": "application/x-ndjson",
        }.get(suffix)
        or mimetypes.guess_type(args.file.name)[0]
        or ""
    )
    pool = await create_pool(url, 1, 1)
    try:
        async with pool.acquire() as conn:
            who = Principal(f"cli:{getpass.getuser()}", "admin")
            if args.as_key:
                row = await conn.fetchrow(queries.key_by_name, args.as_key)
                if row is None:
                    sys.stderr.write(f"registry import: no active key named {args.as_key!r}\n")
                    return 2
                who = Principal(row["name"], row["role"], tuple(row["countries"]))
            try:
                rows = parse_rows(args.file.read_bytes(), content_type)
                bar = Progress(len(rows), label="rows", every=0)
                report = await run_import(
                    conn, who, rows, args.dry_run, progress=lambda n: bar.advance(1)
                )
            except RegistryError as exc:
                sys.stderr.write(f"registry import: {exc.detail}\n")
                for row in exc.extra.get("rows", []):
                    sys.stderr.write(f"  row {row['row']}: {row['reason']}\n")
                return 2
    finally:
        await pool.close()
    for error in report["errors"]:
        closest = f" (closest: {', '.join(error['closest'])})" if error.get("closest") else ""
        sys.stderr.write(f"row {error['row']}: {error['field']}: {error['reason']}{closest}\n")
    state = (
        "dry run, nothing written"
        if args.dry_run and not report["errors"]
        else "applied"
        if report["applied"]
        else "nothing written"
    )
    sys.stderr.write(
        f"{report['rows']} rows: {report['created']} created, {report['unchanged']} unchanged, "
        f"{len(report['errors'])} errors — {state} ({report['import_id']})\n"
    )
    return 0 if not report["errors"] else 1


def _database(settings: Settings):
    url, server = resolve_database(settings)
    if server is not None:
        url = asyncio.run(ensure_registry_database(url))
        log.info("embedded PostgreSQL in %s", settings.data_dir)
    return url, server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="registry", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, seed and serve the API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--no-seed", action="store_true", help="skip loading the seed data")
    sub.add_parser(
        "migrate",
        help="apply pending migrations and changed function files (also upgrades a "
        "database of the 27 migrations the baseline replaced)",
    )
    sub.add_parser("seed", help="apply migrations and load the seed data (idempotent)")
    sub.add_parser("openapi", help="print the OpenAPI document")
    keys = sub.add_parser("keys", help="create, list and revoke API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser(
        "create", help="create a key; the key is printed once and stored only as a hash"
    )
    create.add_argument("--name", required=True, help="who the key is for, e.g. mju-si")
    create.add_argument("--role", required=True, choices=["admin", "editor", "reader"])
    create.add_argument(
        "--country", action="append", default=[], help="an editor's country (repeatable)"
    )
    keys_sub.add_parser("list", help="list keys (never their secrets)")
    revoke = keys_sub.add_parser("revoke", help="revoke a key")
    revoke.add_argument("--name", required=True)
    imp = sub.add_parser(
        "import", help="import a CSV, JSON or JSON Lines file in the import format"
    )
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--dry-run", action="store_true", help="report what would happen and write nothing"
    )
    imp.add_argument(
        "--as",
        dest="as_key",
        help="record the changes under this key's name and scope (default: an admin 'cli:<user>')",
    )
    europe = sub.add_parser(
        "seed-europe", help="load every Eurostat LAU unit (~99,000 in 34 countries)"
    )
    europe.add_argument(
        "--file", type=Path, help="the LAU table (default: the one shipped in seeds/europe)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = Settings.from_env()

    if args.command == "openapi":
        from registry.app import create_app
        from registry.openapi import document

        sys.stdout.write(
            json.dumps(document(create_app(settings)), indent=2, ensure_ascii=False) + "\n"
        )
        return 0

    url, server = _database(settings)
    try:
        if args.command == "keys":
            asyncio.run(_prepare(url, do_migrate=True, do_seed=False))
            return asyncio.run(_keys(url, args))
        if args.command == "import":
            asyncio.run(_prepare(url, do_migrate=True, do_seed=False))
            return asyncio.run(_import(url, args))
        if args.command == "seed-europe":
            asyncio.run(_prepare(url, do_migrate=True, do_seed=True))
            asyncio.run(_seed_europe(url, args.file))
            return 0
        asyncio.run(
            _prepare(
                url,
                do_migrate=True,
                do_seed=args.command == "seed" or (args.command == "serve" and not args.no_seed),
            )
        )
        if args.command == "serve":
            import uvicorn

            from registry.app import create_app

            # on the embedded server the application joins it itself (settings.database_url stays
            # None): its lifespan then supervises it and stops it, also on SIGTERM, after which
            # uvicorn re-raises the signal and this process ends without reaching `finally`
            settings = msgspec.structs.replace(
                settings, host=args.host or settings.host, port=args.port or settings.port
            )
            uvicorn.Server(server_config(create_app(settings), settings)).run()
    finally:
        if server is not None:
            server.stop()
    return 0
