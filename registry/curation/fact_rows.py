"""Event and award rows of an import: the research wording read as the registry's codes, the
evidence a fact is when a row does not say, and each row resolved to what the registry holds
(registry/curation/transfer.py runs the import).
"""

from __future__ import annotations

import asyncpg

from registry.auth import Principal
from registry.curation import awards, bulk, checks, service
from registry.curation import schemas as c
from registry.curation.convert import convert
from registry.curation.records import ResultStatus
from registry.curation.resolve import Resolver
from registry.curation.rows import (
    BODY_ROLES,
    DATE_KINDS,
    EVIDENCE_LEVELS,
    MODEL_KINDS,
    PRECISIONS,
    TYPES,
    Reader,
    RowError,
    RowErrors,
    stated,
    value,
)
from registry.vocab import EvidenceLevel

# the evidence a fact is when a row does not say (docs/curation.md): by the type, then by the
# model's kind
EVIDENCE_BY_TYPE: dict[str, EvidenceLevel] = {
    "self_assessment": "self_declared",
    "improvement_plan": "self_declared",
    "declaration": "self_declared",
    "decision": "self_declared",
    "implementation_start": "self_declared",
    "management_review": "self_declared",
    "label_granted": "third_party_label",
    "external_feedback": "external_assessment",
}
EVIDENCE_BY_KIND: dict[str, EvidenceLevel] = {
    "certifiable_standard": "third_party_certificate",
    "label": "third_party_label",
    "regional_certification": "scheme_specific_attestation",
    "guidance_standard": "scheme_specific_attestation",
    "programme": "official_programme_record",
    "self_assessment_framework": "self_declared",
    "award_scheme": "third_party_label",
    "quality_mark": "third_party_label",
}


def record_of(reader: Reader) -> str | None:
    """The row's record type: its `record`, or for a fact row without one, what its `type` says (an
    award type is an award, any other an event)."""
    record = value(reader.row, "record")
    if record is not None:
        return str(record)
    kind = reader.row.get("type")
    if kind is not None:
        found = TYPES.get(str(kind).strip().lower().replace(" ", "_").replace("-", "_"))
        return found[0] if found else "event"
    return None


def fact_note(reader: Reader, *remarks: str | None) -> str | None:
    """The row's note, with what the row says that has no column of its own (the source's wording of
    the event, a remark on a date) kept beside it, never dropped."""
    detail = reader.text("detail")
    parts = [reader.text("note"), f"Detail: {detail}" if detail else None, *remarks]
    text = " | ".join(p for p in parts if p)
    return text[:2000] if text else None


def read_dates(reader: Reader) -> tuple[str | None, str | None, str | None, list[str]]:
    """(date, precision, date_kind, remarks) of a row: `date_precision` may carry what the date is
    in brackets ('day (publication date)') or words of research spreadsheets (day_month_only,
    recurring_annual)."""
    row, remarks = reader.row, []
    date = reader.text("date", 40)
    written, remark = stated(value(row, "date_precision"))
    precision = kind = None
    if written is not None:
        precision = PRECISIONS.get(written.strip().lower().replace(" ", "_").replace("-", "_"))
        if precision is None:
            reader.fail(
                "date_precision",
                f"{written!r} is not a precision",
                row.get("date_precision"),
                sorted(PRECISIONS),
            )
        elif written.strip().lower() not in PRECISIONS or precision != written.strip().lower():
            remarks.append(f"Date precision as stated: {row.get('date_precision')}")
    if remark:
        kind = DATE_KINDS.get(remark.lower())
        if kind is None:
            remarks.append(f"Date as stated: {row.get('date_precision')}")
    if precision == "unknown" and date is None:
        precision = None
    return date, precision, kind, [r for r in remarks if r not in remarks[: remarks.index(r)]]


def read_until(reader: Reader) -> tuple[str | None, str | None]:
    """A validity as stated; '2024-02-15 (approx., …)' is kept at the month and its remark in the
    note."""
    until, remark = stated(value(reader.row, "valid_until"))
    if remark is None:
        return until, None
    if until and "approx" in remark.lower() and len(until) == 10:
        until = until[:7]
    return until, f"Valid until as stated: {reader.row.get('valid_until')}"


# ---------------------------------------------------------------- event rows


def read_event_rows(number: int, reader: Reader) -> list[bulk.Pending]:
    """What an event row gives without asking the database, one item per model ('ISO9001+ISO14001'
    is two facts); names, the body, a new source, editions and levels are resolved later
    (resolve_event_row)."""
    row = reader.row
    mapped = reader.choice("type", {k: v for k, v in TYPES.items() if v[0] == "event"})
    date, precision, date_kind, remarks = read_dates(reader)
    until, until_remark = read_until(reader)
    explicit_kind = reader.choice("date_kind", DATE_KINDS)
    evidence = reader.choice("evidence_level", EVIDENCE_LEVELS)
    values = {
        "scope": reader.text("scope", 200) or "",
        "type": mapped[1] if mapped else None,
        "date": date,
        "date_precision": precision,
        "date_kind": explicit_kind or date_kind or (mapped[2] if mapped else None) or "event",
        "certificate_number": reader.text("certificate_number", 100),
        "valid_until": until,
        "major_nonconformities": reader.whole("major_nonconformities", 0, 10_000),
        "minor_nonconformities": reader.whole("minor_nonconformities", 0, 10_000),
        "evidence_level": evidence,
        "score": reader.number("score", 0, 100),
        "public": reader.flag("public", True),
        "note": fact_note(reader, *remarks, until_remark),
        "source_id": None if value(row, "source") is None else str(value(row, "source")),
        "quote": reader.text("quote", 5000),
        "unsourced": reader.flag("unsourced", False),
    }
    if value(row, "body_role") is not None:
        reader.choice("body_role", BODY_ROLES)
    token = value(row, "municipality")
    models: list[str | None] = [
        m.strip() for m in str(value(row, "model") or "").split("+") if m.strip()
    ] or [None]
    items = []
    for model in models:
        item = bulk.Pending(number)
        item.reference = reader.text("reference", 200)
        if token is not None:
            item.token_text = str(token)
            scheme, sep, rest = item.token_text.partition(":")
            item.token = (scheme.lower(), rest.strip()) if sep else ("id", item.token_text.strip())
        needs = ("body", "edition", "level", "recognition_level", "municipality_name")
        item.writes = (
            token is None
            or value(row, "body") is not None
            or (
                values["source_id"] is None
                and (value(row, "source_url") or value(row, "source_title")) is not None
            )
        )
        item.resolve = (
            item.writes or any(value(row, k) is not None for k in needs) or evidence is None
        )
        try:
            item.data = convert(
                {
                    **values,
                    "municipality": item.token_text or "-",
                    "model": model or "-",
                    "evidence_level": evidence or "self_declared",
                },
                c.EventIn,
                reader,
            )
        except Exception as exc:  # noqa: BLE001 - reported with the row's other problems
            reader.problems += _as_problems(exc, row)
        # the dates are checked even when another field failed: every problem of the row at once
        try:
            item.when, item.undated_day = checks.stated_date(date, "date", precision)
            item.until = checks.checked_date(until, "valid_until")
        except Exception as exc:  # noqa: BLE001 - reported with the row's other problems
            reader.problems += [
                p
                for p in _as_problems(exc, row)
                if all(q.field != p.field for q in reader.problems)
            ]
        if model is None:
            reader.fail("model", "which model? (model: a code such as ISO9001, CAF, BFC-SEE)")
        items.append(item)
    return items


def _as_problems(exc: Exception, row: dict | None = None) -> list[RowError]:
    """An exception's problems as row problems, each with the value the row gave its field."""
    if isinstance(exc, RowErrors):
        return exc.problems
    if isinstance(exc, RowError):
        return [exc]
    params = getattr(exc, "extra", {}).get("invalid_params")
    if params:
        return [RowError(p["name"], p["reason"], value=(row or {}).get(p["name"])) for p in params]
    raise exc


async def resolve_event_row(
    conn: asyncpg.Connection, who: Principal, resolve: Resolver, item: bulk.Pending, import_id: str
) -> None:
    """Holder, source, body, model's edition and level of an event row (after the file's other rows,
    which may create them). Every problem found is raised together."""
    reader = Reader(item.row())
    row = reader.row
    if item.error is not None:
        reader.problems += _as_problems(item.error, row)
        item.error = None
    if item.token is None:
        item.municipality = await resolve.holder(reader, who, import_id)
    source_id = await resolve.source(reader, who, import_id)
    model = await _model(resolve, reader, item.data.model if item.data else value(row, "model"))
    item.body = await resolve.body(
        reader,
        reader.text("body"),
        reader.choice("body_role", BODY_ROLES),
        value(row, "country"),
        source_id,
        who,
        import_id,
    )
    if item.data is not None:
        if source_id is not None:
            item.data.source_id = source_id
        if model is not None:
            item.data.model = model["code"]
            item.data.edition, item.data.edition_stated = resolve.edition(
                reader, model, reader.text("edition", 300)
            )
            item.data.level = _level(reader, resolve, model)
            if value(row, "evidence_level") is None:
                item.data.evidence_level = EVIDENCE_BY_TYPE.get(
                    item.data.type
                ) or EVIDENCE_BY_KIND.get(model["kind"], "third_party_certificate")
    reader.raise_problems()


async def _model(
    resolve: Resolver, reader: Reader, text: str | None, field: str = "model"
) -> dict | None:
    """The model a row names by code (`model`), else by its name (`model_name`); `model_kind` is
    checked."""
    if value(reader.row, "model_kind") is not None:
        reader.choice("model_kind", MODEL_KINDS)
    name = reader.text("model_name", 300)
    if name is not None and text is not None:
        quiet = Reader(reader.row)
        found = await resolve.model(quiet, field, text)
        return found or await resolve.model(reader, "model_name", name)
    return await resolve.model(reader, field if text is not None else "model_name", text or name)


def _level(reader: Reader, resolve: Resolver, model: dict, *fields: str) -> str | None:
    """The scheme level of `level` or `recognition_level` ('Začetnik CAF (first self-assessment in
    2019)': the bracket is a remark); both given and different is a problem."""
    found = {}
    for field in fields or ("level", "recognition_level"):
        text, _remark = stated(reader.text(field, 300))
        if text is not None:
            found[field] = resolve.level(reader, field, model, text)
    codes = {v for v in found.values() if v}
    if len(codes) > 1:
        reader.fail(
            "recognition_level",
            f"level and recognition_level name two levels: {', '.join(sorted(codes))}",
        )
    return codes.pop() if len(codes) == 1 else None


# ---------------------------------------------------------------- award rows


def restated(candidates: list) -> int | None:
    """The award an imported award row restates, which then gains the row's source instead of a
    second award: one of the same municipality, scheme, level, year and category; or, for a row
    that states no year (or no category), the only award of that scheme and level the municipality
    has that fits what the row does state (with two or more it cannot tell which, and records the
    row as an award of its own)."""
    if candidates and candidates[0]["exact"]:
        return int(candidates[0]["id"])
    return int(candidates[0]["id"]) if len(candidates) == 1 else None


async def import_award(
    conn: asyncpg.Connection, who: Principal, resolve: Resolver, reader: Reader, import_id: str
) -> tuple[ResultStatus, str, str]:
    """An award row: the scheme (`scheme` or `model`), its level among the award levels or the
    scheme's levels, the year (stated, or the date's; none when the source states none), the edition
    as stated."""
    row = reader.row
    mapped = reader.choice("type", {k: v for k, v in TYPES.items() if v[0] == "award"})
    municipality_id = await resolve.holder(reader, who, import_id)
    source_id = await resolve.source(reader, who, import_id)
    scheme = await _model(
        resolve,
        reader,
        reader.text("scheme", 100) or reader.text("model", 100),
        "scheme" if value(row, "scheme") else "model",
    )
    date, _precision, _kind, remarks = read_dates(reader)
    award_level = value(row, "level")
    level = str(award_level).strip().lower() if award_level is not None else None
    if level not in ("winner", "laureate", "distinction", "nomination", "medal"):
        level = mapped[3] if mapped else None
        if level is None:
            reader.fail(
                "level",
                "an award's level: winner, laureate, distinction, nomination or medal (or type "
                "award / award_nomination)",
                award_level,
                ["winner", "laureate", "distinction", "nomination", "medal"],
            )
    scheme_level = None
    if scheme is not None:
        fields = [f for f in ("scheme_level", "recognition_level") if value(row, f) is not None]
        if award_level is not None and str(award_level).strip().lower() != level:
            fields.append("level")
        scheme_level = _level(reader, resolve, scheme, *fields) if fields else None
    body = await resolve.body(
        reader,
        reader.text("body"),
        reader.choice("body_role", BODY_ROLES),
        value(row, "country"),
        source_id,
        who,
        import_id,
    )
    values = {
        "municipality": municipality_id or "-",
        "scheme": scheme["code"] if scheme else "-",
        "year": reader.whole("year", 1900, 2100),
        "edition": reader.text("edition", 300),
        "category": reader.text("category", 300),
        "level": level or "laureate",
        "scheme_level": scheme_level,
        "date": date,
        "body": body,
        "public": reader.flag("public", True),
        "note": fact_note(reader, *remarks),
        "source_id": source_id,
        "quote": reader.text("quote", 5000),
        "unsourced": reader.flag("unsourced", False),
    }
    data = convert(values, c.AwardIn, reader)
    reader.raise_problems()
    when = checks.checked_date(data.date, "date")
    year = (
        data.year
        if data.year is not None
        else (when.start.year if when.start and when.precision != "range" else None)
    )
    existing = restated(
        await conn.fetch(
            service.queries.same_award,
            municipality_id,
            data.scheme,
            year,
            data.category,
            data.level,
        )
    )
    if existing:
        cited = source_id is not None and await service.add_citation(
            conn, who, "award", existing, source_id, data.quote, import_id
        )
        return ("cited" if cited else "unchanged"), "award", str(existing)
    result = await awards.create_award(conn, who, data, import_id)
    return "created", "award", result.id
