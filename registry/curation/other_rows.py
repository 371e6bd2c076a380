"""Import rows of the records facts refer to: sources, bodies, programmes and members,
municipalities, adoptions, and the catalogue's models, editions and levels. Known records are
matched by id, not rewritten."""

from __future__ import annotations

import asyncpg

from registry.auth import Principal
from registry.codes import level_code
from registry.curation import catalogue, municipalities, reference, service
from registry.curation import catalogue_in as ci
from registry.curation import schemas as c
from registry.curation.convert import convert
from registry.curation.records import ResultStatus
from registry.curation.resolve import Resolver
from registry.curation.rows import MODEL_KINDS, RECORDS, TIERS, Reader, RowError, value
from registry.db import queries

Outcome = tuple[ResultStatus, str, str]


async def import_other_row(
    conn: asyncpg.Connection,
    who: Principal,
    resolve: Resolver,
    reader: Reader,
    record: str | None,
    import_id: str,
) -> Outcome:
    row = reader.row
    if record not in RECORDS:
        raise RowError(
            "record", f"{record!r} is not a record type", value=record, allowed=list(RECORDS)
        )
    if record == "source":
        return await _source(conn, who, reader, import_id)
    if record == "body":
        return await _body(conn, who, resolve, reader, import_id)
    if record == "programme":
        return await _programme(conn, who, resolve, reader, import_id)
    if record == "municipality":
        return await _municipality(conn, who, resolve, reader, import_id)
    if record in ("model", "edition", "level"):
        return await _catalogue(conn, who, resolve, reader, record, import_id)
    municipality_id = await resolve.holder(reader, who, import_id)
    if record == "adoption":
        model = await resolve.model(reader, "model", reader.text("model", 100))
        reader.raise_problems()
        assert model is not None and municipality_id is not None
        existing = await conn.fetchval(
            queries.find_adoption, municipality_id, model["code"], reader.text("scope", 200) or ""
        )
        if existing:
            return "unchanged", "adoption", str(existing)
        result = await service.create_adoption(
            conn,
            who,
            convert(
                {
                    "municipality": municipality_id,
                    "model": model["code"],
                    "scope": reader.text("scope", 200) or "",
                    "note": reader.text("note"),
                },
                c.AdoptionIn,
            ),
        )
        return "created", "adoption", result.id
    # programme_member
    source_id = await resolve.source(reader, who, import_id)
    programme = value(row, "programme")
    if programme is None:
        reader.fail("programme", "which programme? (its id)")
    data = convert(
        {
            "joined": value(row, "joined") or value(row, "date"),
            "source_id": source_id,
            "quote": value(row, "quote"),
            "unsourced": reader.flag("unsourced", False),
        },
        c.MemberIn,
        reader,
        {"source_id": "source"},
    )
    reader.raise_problems()
    assert data is not None and municipality_id is not None
    current = await conn.fetchrow(queries.member_row, str(programme), municipality_id)
    if (
        current is not None
        and source_id is not None
        and current["row"]["source_id"] not in (None, source_id)
    ):
        added = await conn.fetchval(
            queries.add_member_citation, str(programme), municipality_id, source_id, data.quote
        )
        return (
            ("cited" if added else "unchanged"),
            "programme_member",
            f"{programme}/{municipality_id}",
        )
    result = await reference.put_member(conn, who, str(programme), municipality_id, data, import_id)
    return ("unchanged" if result.change_id is None else "created"), "programme_member", result.id


async def _source(
    conn: asyncpg.Connection, who: Principal, reader: Reader, import_id: str
) -> Outcome:
    row = reader.row
    if value(row, "source") and await conn.fetchval(queries.source_exists, str(row["source"])):
        return "unchanged", "source", str(row["source"])
    data = convert(
        {
            "id": value(row, "source"),
            "url": value(row, "source_url"),
            "document": value(row, "source_document"),
            "title": value(row, "source_title"),
            "publisher": value(row, "source_publisher"),
            "language": value(row, "source_language"),
            "published_on": value(row, "source_published"),
            "seen_on": value(row, "source_seen"),
            "note": value(row, "note"),
        },
        c.SourceIn,
        reader,
        {
            "id": "source",
            "url": "source_url",
            "document": "source_document",
            "title": "source_title",
            "publisher": "source_publisher",
            "language": "source_language",
            "published_on": "source_published",
            "seen_on": "source_seen",
        },
    )
    reader.raise_problems()
    await reference.create_source(conn, who, data, import_id)
    return "created", "source", data.id


async def _body(
    conn: asyncpg.Connection, who: Principal, resolve: Resolver, reader: Reader, import_id: str
) -> Outcome:
    row = reader.row
    if value(row, "body") and await conn.fetchval(queries.body_exists, str(row["body"])):
        return "unchanged", "body", str(row["body"])
    data = convert(
        {
            "id": value(row, "body"),
            "name": value(row, "body_name"),
            "short_name": value(row, "short_name"),
            "country": value(row, "country"),
            "roles": reader.items("roles"),
            "url": value(row, "url"),
            "source_id": value(row, "source"),
            "note": value(row, "note"),
            "aliases": reader.items("aliases"),
            "former_names": reader.items("former_names"),
        },
        c.BodyIn,
        reader,
        {"id": "body", "name": "body_name", "source_id": "source"},
    )
    reader.raise_problems()
    await reference.create_body(conn, who, data, import_id)
    resolve.bodies = None
    return "created", "body", data.id


async def _programme(
    conn: asyncpg.Connection, who: Principal, resolve: Resolver, reader: Reader, import_id: str
) -> Outcome:
    row = reader.row
    if value(row, "programme") and await conn.fetchval(
        queries.programme_exists, str(row["programme"])
    ):
        return "unchanged", "programme", str(row["programme"])
    owner = await resolve.body(reader, reader.text("owner"))
    model = await resolve.model(reader, "model", reader.text("model", 100))
    data = convert(
        {
            "id": value(row, "programme"),
            "name": value(row, "programme_name"),
            "owner": owner,
            "model": model["code"] if model else None,
            "country": value(row, "country"),
            "started": value(row, "started"),
            "note": value(row, "note"),
            "source_id": value(row, "source"),
            "quote": value(row, "quote"),
        },
        c.ProgrammeIn,
        reader,
        {"id": "programme", "name": "programme_name", "source_id": "source"},
    )
    reader.raise_problems()
    await reference.create_programme(conn, who, data, import_id)
    return "created", "programme", data.id


async def _municipality(
    conn: asyncpg.Connection, who: Principal, resolve: Resolver, reader: Reader, import_id: str
) -> Outcome:
    row = reader.row
    if value(row, "municipality") and await conn.fetchval(
        queries.municipality_version, str(row["municipality"])
    ):
        return "unchanged", "municipality", str(row["municipality"])
    identifiers = dict(item.split(":", 1) for item in reader.items("identifiers") if ":" in item)
    data = convert(
        {
            "id": value(row, "municipality"),
            "country": value(row, "country"),
            "national_code": value(row, "national_code"),
            "kind": value(row, "kind"),
            "region": value(row, "region"),
            "tier": reader.choice("tier", TIERS),
            "parent": value(row, "parent"),
            "name_local": value(row, "name_local") or value(row, "municipality_name"),
            "name_latin": value(row, "name_latin"),
            "name_variants": reader.items("name_variants"),
            "population": reader.whole("population"),
            "population_year": reader.whole("population_year"),
            "area_km2": reader.number("area_km2"),
            "identifiers": identifiers,
            "allow_similar": reader.flag("allow_similar", False),
            "note": value(row, "note"),
        },
        c.MunicipalityIn,
        reader,
        {"id": "municipality"},
    )
    reader.raise_problems()
    result = await municipalities.create_municipality(conn, who, data, import_id)
    resolve.units.pop(data.country.upper(), None)
    return "created", "municipality", result.id


async def _catalogue(
    conn: asyncpg.Connection,
    who: Principal,
    resolve: Resolver,
    reader: Reader,
    record: str,
    import_id: str,
) -> Outcome:
    """A model (its code as `model`, name `model_name`, kind `model_kind`), or an edition or level
    of one."""
    row = reader.row
    if record == "model":
        code = value(row, "model")
        found = await resolve.model(Reader({}), "model", str(code)) if code else None
        if found is not None:
            return "unchanged", "model", found["code"]
        data = convert(
            {
                "code": code,
                "name": value(row, "model_name"),
                "kind": reader.choice("model_kind", MODEL_KINDS),
                "lifecycle": value(row, "lifecycle"),
                "country": value(row, "country"),
                "owner": await resolve.body(reader, reader.text("owner")),
                "description": value(row, "description"),
                "aliases": reader.items("aliases"),
                "source_id": await resolve.source(reader, who, import_id),
                "note": None,
                **{
                    k: reader.whole(k, 0 if k == "surveillance_grace_months" else 1, 240)
                    for k in (
                        "cycle_months",
                        "surveillance_interval_months",
                        "surveillance_grace_months",
                        "label_validity_months",
                        "activity_window_months",
                    )
                },
            },
            ci.ModelIn,
            reader,
            {"code": "model", "name": "model_name", "kind": "model_kind", "source_id": "source"},
        )
        reader.raise_problems()
        await catalogue.create_model(conn, who, data, import_id)
        resolve.reload_catalogue()
        return "created", "model", data.code
    model = await resolve.model(reader, "model", reader.text("model", 100))
    reader.raise_problems()
    assert model is not None
    if record == "edition":
        data = convert(
            {
                "code": value(row, "edition"),
                "label": value(row, "label"),
                "status": value(row, "status"),
                "published": value(row, "published"),
                "withdrawn_on": value(row, "withdrawn_on"),
                "certificates_valid_until": value(row, "certificates_valid_until"),
                "aliases": reader.items("aliases"),
                "note": value(row, "note"),
            },
            ci.EditionIn,
            reader,
            {"code": "edition"},
        )
        reader.raise_problems()
        if any(e["code"] == data.code for e in model["editions"]):
            return "unchanged", "edition", f"{model['code']}/{data.code}"
        await catalogue.create_edition(conn, who, model["code"], data, import_id)
        resolve.reload_catalogue()
        return "created", "edition", f"{model['code']}/{data.code}"
    label = value(row, "label") or value(row, "level")
    data = convert(
        {
            "code": level_code(str(value(row, "level") or label)) if label else None,
            "label": label,
            "rank": reader.whole("rank", 1, 100),
            "aliases": reader.items("aliases"),
            "note": value(row, "note"),
            "source_id": value(row, "source"),
        },
        ci.LevelIn,
        reader,
        {"code": "level", "source_id": "source"},
    )
    reader.raise_problems()
    code = data.code or level_code(data.label)
    if any(lv["code"] == code for lv in model["levels"]):
        return "unchanged", "level", f"{model['code']}/{code}"
    await catalogue.create_level(conn, who, model["code"], data, import_id)
    resolve.reload_catalogue()
    return "created", "level", f"{model['code']}/{code}"
