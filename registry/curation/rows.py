"""Reading import rows: the file formats, the columns, and each value checked with every problem
kept.

A row's problems are collected, not raised one at a time: `Reader` reads a value, records what is
wrong with it (the field, the value, the reason and, for coded values, the allowed ones) and goes
on, so a curator sees every problem of every row in one report. Coded columns take the registry's
codes and the words research spreadsheets use for them (`event_type` `certificate_issued` is type
`certification`; docs/curation.md, "From a research spreadsheet").
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from typing import Any, get_args

from registry.csvout import restore
from registry.errors import BadParameter, InvalidBody
from registry.payload import decode_json
from registry.vocab import AwardLevel, BodyRole, EventType, EvidenceLevel, Kind, ModelKind, Tier

BOM = b"\xef\xbb\xbf"
RECORDS = (
    "source",
    "body",
    "programme",
    "municipality",
    "adoption",
    "event",
    "award",
    "programme_member",
    "model",
    "edition",
    "level",
)
# every column an import row may have (docs/curation.md, "Import format")
COLUMNS = frozenset(
    (
        "record",
        "reference",
        "municipality",
        "country",
        "municipality_name",
        "name_latin",
        "name_ascii",
        "tier",
        "kind",
        "region",
        "parent",
        "create_municipality",
        "allow_similar",
        "name_local",
        "name_variants",
        "national_code",
        "population",
        "population_year",
        "area_km2",
        "identifiers",
        "model",
        "model_name",
        "model_kind",
        "edition",
        "level",
        "recognition_level",
        "scope",
        "type",
        "detail",
        "date",
        "date_precision",
        "date_kind",
        "body",
        "body_role",
        "certificate_number",
        "valid_until",
        "major_nonconformities",
        "minor_nonconformities",
        "evidence_level",
        "score",
        "public",
        "scheme",
        "scheme_level",
        "year",
        "category",
        "programme",
        "programme_name",
        "owner",
        "started",
        "joined",
        "source",
        "source_url",
        "source_document",
        "source_title",
        "source_publisher",
        "source_language",
        "source_published",
        "source_seen",
        "quote",
        "note",
        "unsourced",
        "body_name",
        "short_name",
        "roles",
        "url",
        "aliases",
        "former_names",
        "label",
        "rank",
        "lifecycle",
        "description",
        "status",
        "published",
        "withdrawn_on",
        "certificates_valid_until",
        "cycle_months",
        "surveillance_interval_months",
        "surveillance_grace_months",
        "label_validity_months",
        "activity_window_months",
    )
)
BOOLEAN = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

# research wording -> (record, type, date_kind, award level)
TYPES: dict[str, tuple[str, str | None, str | None, str | None]] = {
    **{t: ("event", t, None, None) for t in get_args(EventType)},
    "certificate_issued": ("event", "certification", None, None),
    "certificate_renewed": ("event", "recertification", None, None),
    "certificate_status_observed": ("event", "certificate_observed", "observed", None),
    "audit_initial_certification": ("event", "stage2_audit", None, None),
    "audit_stage1": ("event", "stage1_audit", None, None),
    "audit_surveillance": ("event", "surveillance", None, None),
    "audit_recertification": ("event", "recertification", None, None),
    "audit_transition": ("event", "edition_transition", None, None),
    "audit_unspecified_certification": ("event", "certification_audit", None, None),
    "implementation_started": ("event", "implementation_start", None, None),
    "implementation_observed": ("event", "implementation_start", "observed", None),
    "external_feedback_visit": ("event", "external_feedback", None, None),
    "recognition_label": ("event", "label_granted", None, None),
    "certificate_suspended": ("event", "suspension", None, None),
    "certificate_withdrawn": ("event", "withdrawal", None, None),
    "award": ("award", None, None, "laureate"),
    "award_nomination": ("award", None, None, "nomination"),
    **{f"award_{level}": ("award", None, None, level) for level in get_args(AwardLevel)},
}
TIERS = {
    **{t: t for t in get_args(Tier)},
    "regional_government": "region",
    "city_agency": "agency",
    "municipal_agency": "agency",
    "municipal_company": "agency",
    "district": "county",
    "powiat": "county",
    "voivodeship": "region",
    "local_government": "municipality",
}
MODEL_KINDS = {
    **{k: k for k in get_args(ModelKind)},
    "certifiable_management_system_standard": "certifiable_standard",
    "management_system_standard": "certifiable_standard",
    "self_assessment_model": "self_assessment_framework",
    "quality_award": "award_scheme",
    "award": "award_scheme",
    "municipal_rating": "award_scheme",
    "transparency_programme": "programme",
    "regional_municipal_certification": "regional_certification",
    "city_indicator_standard": "guidance_standard",
    "indicator_standard": "guidance_standard",
}
BODY_ROLES = {
    **{r: r for r in get_args(BodyRole)},
    "award_organizer": "award_organiser",
    "organiser": "award_organiser",
    "organizer": "award_organiser",
    "certification_scheme_owner": "model_owner",
    "scheme_owner": "model_owner",
    "indicator_certification_registry": "registry",
    "programme_operator": "programme_operator",
    "program_operator": "programme_operator",
    "national_caf_organizer": "national_caf_organiser",
}
PRECISIONS = {
    "day": "day",
    "month": "month",
    "year": "year",
    "range": "range",
    "unknown": "unknown",
    "month_day": "month_day",
    "day_month": "month_day",
    "day_month_only": "month_day",
    "recurring_annual": "unknown",
    "undated": "unknown",
}
DATE_KINDS = {
    "event": "event",
    "published": "published",
    "publication date": "published",
    "publication": "published",
    "observed": "observed",
    "status as of": "observed",
    "seen": "observed",
    "as of": "observed",
}
KINDS = {k: k for k in get_args(Kind)}
EVIDENCE_LEVELS = {e: e for e in get_args(EvidenceLevel)}
AWARD_LEVELS = {a: a for a in get_args(AwardLevel)}


class RowError(Exception):
    """One problem of one row: the field, the reason, the value as given, the allowed values of a
    coded field, the closest known names."""

    def __init__(
        self,
        field: str,
        reason: str,
        closest: list[str] | None = None,
        value: Any = None,
        allowed: list[str] | None = None,
    ) -> None:
        super().__init__(reason)
        self.field, self.reason, self.closest, self.value, self.allowed = (
            field,
            reason,
            closest or [],
            value,
            allowed,
        )


class RowErrors(Exception):
    """Every problem found in one row."""

    def __init__(self, problems: list[RowError]) -> None:
        super().__init__("; ".join(p.reason for p in problems))
        self.problems = problems


def parse_rows(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """Rows from CSV (header row), JSON (an array, or {"rows": [...]}) or JSON Lines."""
    return list(iter_rows(body, content_type))


SHARED_LENGTH = 200  # longer texts (a quote, a note) are rarely repeated


def iter_rows(body: bytes, content_type: str) -> Iterator[dict[str, Any]]:
    """The rows of a file one at a time; 400 naming the line for what cannot be read. A text that
    rows repeat (a model, a type, a source, a note) is one string, not one a row: of an import of
    100,000 events, that was ~30 MB."""
    shared: dict[str, str] = {}
    for row in _read_rows(body, content_type):
        yield (
            {
                k: shared.setdefault(v, v) if type(v) is str and len(v) <= SHARED_LENGTH else v
                for k, v in row.items()
            }
            if isinstance(row, dict)
            else row
        )


def _read_rows(body: bytes, content_type: str) -> Iterator[Any]:
    kind = content_type.split(";")[0].strip().lower()
    if kind not in (
        "text/csv",
        "application/csv",
        "application/x-ndjson",
        "application/jsonl",
        "application/json-lines",
        "application/json",
    ):
        raise BadParameter(
            "Content-Type", "send text/csv, application/json or application/x-ndjson"
        )
    try:
        if kind in ("text/csv", "application/csv"):
            for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig"))):
                yield {
                    k.strip(): (restore(v.strip()) if isinstance(v, str) else v)
                    for k, v in row.items()
                    if k
                }
        elif kind == "application/json":
            data = decode_json(body.removeprefix(BOM))
            rows = data.get("rows") if isinstance(data, dict) else data
            if not isinstance(rows, list):
                raise InvalidBody("body", 'JSON imports are an array of rows or {"rows": [...]}')
            yield from rows
        else:
            for number, line in enumerate(io.BytesIO(body.removeprefix(BOM)), start=1):
                if line.strip():
                    yield decode_json(line, number)
    except UnicodeDecodeError as exc:
        raise InvalidBody(
            "body", f"it is not UTF-8 text (byte {exc.start:,} is no part of a character)"
        ) from None
    except csv.Error as exc:
        raise InvalidBody("body", f"cannot read the CSV: {exc}") from None


def unknown_columns(row: dict) -> list[RowError]:
    """A problem for each column the format does not have, naming the closest known ones."""
    return [
        RowError(
            str(key),
            f"unknown column {key!r}",
            difflib.get_close_matches(str(key), sorted(COLUMNS), n=3, cutoff=0.5),
            value=row[key],
        )
        for key in row
        if key not in COLUMNS and key is not None
    ]


def value(row: dict, key: str) -> Any:
    found = row.get(key)
    if isinstance(found, str):
        found = found.strip()
    return None if found in ("", None) else found


def stated(text: Any) -> tuple[str | None, str | None]:
    """A value and the remark in brackets after it: '2024-02-15 (approx.)' -> ('2024-02-15',
    'approx.')."""
    if text is None:
        return None, None
    text = str(text).strip()
    found = re.fullmatch(r"(.*?)\s*\((.*)\)\s*", text)
    if found and found.group(1):
        return found.group(1), found.group(2).strip() or None
    return text or None, None


class Reader:
    """Reads a row's values, keeping every problem (`problems`) instead of stopping at the first."""

    def __init__(self, row: dict) -> None:
        self.row = row
        self.problems: list[RowError] = []

    def fail(
        self,
        field: str,
        reason: str,
        value_given: Any = None,
        allowed: list[str] | None = None,
        closest: list[str] | None = None,
    ) -> None:
        self.problems.append(RowError(field, reason, closest, value_given, allowed))

    def raise_problems(self) -> None:
        if self.problems:
            raise RowErrors(self.problems)

    def text(self, key: str, limit: int = 2000) -> str | None:
        found = value(self.row, key)
        if found is None:
            return None
        if isinstance(found, (dict, list, bool)):
            self.fail(key, "is text, not " + type(found).__name__, found)
            return None
        found = str(found)
        if len(found) > limit:
            self.fail(
                key, f"is {len(found):,} characters long; at most {limit:,}", found[:80] + "…"
            )
            return None
        return found

    def flag(self, key: str, default: bool) -> bool:
        found = self.row.get(key)
        if isinstance(found, bool):
            return found
        if found in (None, ""):
            return default
        parsed = BOOLEAN.get(str(found).strip().lower())
        if parsed is None:
            self.fail(key, f"{found!r} is not true or false", found, ["true", "false"])
            return default
        return parsed

    def whole(self, key: str, low: int | None = None, high: int | None = None) -> int | None:
        found = value(self.row, key)
        if found is None:
            return None
        try:
            number = int(str(found).replace(" ", "")) if not isinstance(found, bool) else None
        except ValueError:
            number = None
        if number is None:
            self.fail(key, f"{found!r} is not a whole number", found)
        elif (low is not None and number < low) or (high is not None and number > high):
            self.fail(key, f"{number} lies outside {low}–{high}", found)
            return None
        return number

    def number(self, key: str, low: float | None = None, high: float | None = None) -> float | None:
        """A number as written: '84.4 %', '84,4' and 84.4 alike."""
        found = value(self.row, key)
        if found is None:
            return None
        text = str(found).replace("%", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text) if not isinstance(found, bool) else None
        except ValueError:
            number = None
        if number is None:
            self.fail(key, f"{found!r} is not a number", found)
        elif (low is not None and number < low) or (high is not None and number > high):
            self.fail(key, f"{number:g} lies outside {low:g}–{high:g}", found)
            return None
        return number

    def choice(self, key: str, words: dict[str, Any]) -> Any:
        """A coded value: one of the registry's codes or the research wording for one (case, spaces,
        hyphens ignored); a problem listing the allowed values otherwise."""
        found = value(self.row, key)
        if found is None:
            return None
        normal = re.sub(r"[\s-]+", "_", str(found).strip().lower())
        if normal in words:
            return words[normal]
        if str(found).strip().lower() in words:
            return words[str(found).strip().lower()]
        allowed = sorted({k for k in words})
        self.fail(
            key,
            f"{found!r} is not one of the allowed values",
            found,
            allowed,
            difflib.get_close_matches(normal, allowed, n=3, cutoff=0.5),
        )
        return None

    def items(self, key: str) -> list[str]:
        found = self.row.get(key)
        if isinstance(found, list):
            return [str(v) for v in found]
        return [v.strip() for v in str(found or "").split("|") if v.strip()]
