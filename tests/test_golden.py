"""Golden documents: the read API's answers on the seed data, compared with reviewed files in
tests/golden/.

Each case below is one GET request; its answer must equal `tests/golden/<name>.json` (or `.csv` for
CSV answers) byte for byte after rendering (JSON: pretty-printed, sorted keys, UTF-8, trailing
newline). The documents were reviewed once (tests/golden/REVIEW.md) and are then kept: a change to
an answer shows up here as a diff to read, not as one implementation agreeing with another (issue
21).

Regenerate after an intended change, then review the diff before committing it:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_golden.py   # or:
make golden

Every answer that depends on the day is pinned with `as_of`. The only values normalised are the time
stamp and import id of each change in a municipality's history (pin_seeding_run): they record this
session's seeding.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# Pins every status, list and statistic to one day, so that the documents do not change with the
# calendar.
AS_OF = "2026-06-30"
# Kraków's richest day in the seed data: ISO 9001, ISO/IEC 27001 and the CAF label all in force.
KRAKOW_DAY = "2016-06-01"
MAX_DIFF_LINES = 200


SEEDED_AT = "<when this session loaded the seed data>"
SEED_IMPORT = "<the id this session's seed import drew>"


def pin_seeding_run(document: dict) -> dict:
    """A municipality's history records, for every change, the moment it was written (`at`) and, for
    changes an import made, the import's random id (`import_id`, imp-<12 hex digits of a uuid4>).
    For the seed data both come from this test session's loading of it, so no two sessions share
    them: only these two fields are replaced (an absent import_id stays null). Who changed what, in
    which order and to what, is compared."""
    for change in document["items"]:
        change["at"] = SEEDED_AT
        if change["import_id"] is not None:
            change["import_id"] = SEED_IMPORT
    return document


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    csv: bool = False
    # replaces the fields of this answer that change from run to run on the same data (see
    # pin_seeding_run)
    normalise: Callable[[dict], dict] | None = None

    @property
    def file(self) -> Path:
        return GOLDEN / f"{self.name}.{'csv' if self.csv else 'json'}"


def at(**params: str) -> dict[str, str]:
    """Query parameters with the pinned day."""
    return {"as_of": AS_OF, **params}


CASES = [
    # --- profiles: four countries, five languages, both Serbian scripts, one found by another
    # identifier
    Case("municipality-koper-en", "/v1/municipalities/si-050", at()),
    Case("municipality-koper-sl", "/v1/municipalities/si-050", at(lang="sl")),
    Case("municipality-krakow-en", "/v1/municipalities/pl-1261011", {"as_of": KRAKOW_DAY}),
    Case(
        "municipality-krakow-pl",
        "/v1/municipalities/pl-1261011",
        {"as_of": KRAKOW_DAY, "lang": "pl"},
    ),
    Case("municipality-bor-sr-cyrl", "/v1/municipalities/rs-70327", at(lang="sr")),
    Case("municipality-bor-sr-latn", "/v1/municipalities/rs-70327", at(lang="sr", script="Latn")),
    Case("municipality-goygol-en", "/v1/municipalities/az-gyg", at()),
    Case(
        "municipality-goygol-az-by-iso3166", "/v1/municipalities/by/iso3166_2/AZ-GYG", at(lang="az")
    ),
    Case(
        "municipality-koper-history",
        "/v1/municipalities/si-050/history",
        {"limit": "5"},
        normalise=pin_seeding_run,
    ),
    # --- municipality lists: country, model, status with basis, name search, sort by name, paging,
    # CSV
    Case("municipalities-si-caf", "/v1/municipalities", at(country="SI", model="CAF")),
    Case(
        "municipalities-iso9001-certified-2010",
        "/v1/municipalities",
        {"model": "ISO9001", "status": "certified", "as_of": "2010-01-01"},
    ),
    Case(
        "municipalities-iso9001-self-declared-2024",
        "/v1/municipalities",
        {"model": "ISO9001", "status": "self_declared", "basis": "inferred", "as_of": "2024-01-01"},
    ),
    Case(
        "municipalities-rs-bfc-sorted-sr",
        "/v1/municipalities",
        at(country="RS", model="BFC_SEE", sort="name", lang="sr"),
    ),
    Case("municipalities-q-bor-cyrillic", "/v1/municipalities", at(q="бор", limit="5")),
    Case(
        "municipalities-pl-12-page-pl",
        "/v1/municipalities",
        at(region="PL-12", sort="name", limit="5", lang="pl"),
    ),
    Case(
        "municipalities-si-caf",
        "/v1/municipalities",
        at(country="SI", model="CAF", format="csv"),
        csv=True,
    ),
    # --- places
    Case("countries", "/v1/countries"),
    Case("country-si-sl", "/v1/countries/SI", {"lang": "sl"}),
    Case("country-rs-sr-latn", "/v1/countries/RS", {"lang": "sr-Latn"}),
    Case("languages", "/v1/languages"),
    # --- catalogue
    Case("models", "/v1/models"),
    Case("models-sl", "/v1/models", {"lang": "sl", "format": "csv"}, csv=True),
    Case("model-iso9001", "/v1/models/ISO9001"),
    Case("model-caf-pl", "/v1/models/CAF", {"lang": "pl"}),
    Case("bodies", "/v1/bodies"),
    Case(
        "bodies-certification-pl",
        "/v1/bodies",
        {"role": "certification_body", "country": "PL", "lang": "pl"},
    ),
    Case("body-tuv-rheinland-polska", "/v1/bodies/tuv-rheinland-polska"),
    # --- programmes
    Case("programmes", "/v1/programmes"),
    Case(
        "programme-si-mju-caf-2019-sl",
        "/v1/programmes/si-mju-caf-obcine",
        {"as_of": "2019-06-01", "lang": "sl"},
    ),
    Case("programme-si-mju-caf-progress", "/v1/programmes/si-mju-caf-obcine/progress", at()),
    # --- sources
    Case("sources", "/v1/sources"),
    Case("sources", "/v1/sources", {"format": "csv"}, csv=True),
    Case("source-si-mju-caf", "/v1/sources/si-mju-caf-povabilo-obcinam"),
    Case("source-krakow-pl", "/v1/sources/pl-krakow-iso-historia", {"lang": "pl"}),
    # --- benchmarking
    Case(
        "compare-koper-krakow-2016",
        "/v1/compare",
        {"ids": "si-050,pl-1261011", "as_of": KRAKOW_DAY},
    ),
    Case(
        "compare-koper-krakow-goygol",
        "/v1/compare",
        at(ids="si-050,teryt:1261011,iso3166_2:AZ-GYG", format="csv"),
        csv=True,
    ),
    Case("peers-koper-knn", "/v1/municipalities/si-050/peers", {"k": "3"}),
    Case("peers-koper-band-sl", "/v1/municipalities/si-050/peers", {"by": "band", "lang": "sl"}),
    Case("benchmark-krakow-2016", "/v1/municipalities/pl-1261011/benchmark", {"as_of": KRAKOW_DAY}),
    Case("rankings-pl-2016", "/v1/rankings", {"country": "PL", "as_of": KRAKOW_DAY, "limit": "10"}),
    Case(
        "rankings-all-continuity",
        "/v1/rankings",
        at(weights="continuity:1", limit="10", format="csv"),
        csv=True,
    ),
    Case("stats-caf-si-by-year", "/v1/stats/adoption", at(model="CAF", country="SI", by="year")),
    Case(
        "stats-iso9001-by-country",
        "/v1/stats/adoption",
        at(model="ISO9001", country="all", by="country"),
    ),
    Case(
        "stats-bfc-rs-by-region-sr",
        "/v1/stats/adoption",
        at(model="BFC_SEE", country="RS", by="region", lang="sr", format="csv"),
        csv=True,
    ),
    Case(
        "certificates-expiring-2017",
        "/v1/certificates/expiring",
        {"within": "1y", "as_of": "2017-06-01"},
    ),
]


def render(case: Case, response) -> str:
    """The answer as the golden file holds it."""
    if case.csv:
        return response.text
    document = response.json()
    if case.normalise:
        document = case.normalise(document)
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def first_lines(diff: list[str]) -> str:
    if len(diff) > MAX_DIFF_LINES:
        diff = diff[:MAX_DIFF_LINES] + [f"... {len(diff) - MAX_DIFF_LINES} more diff lines\n"]
    return "".join(diff)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.file.name)
async def test_answer_matches_golden_document(client, case: Case):
    response = await client.get(case.path, params=case.params)
    assert response.status_code == 200, (
        f"{case.path} {case.params}: {response.status_code} {response.text[:500]}"
    )
    expected_type = "text/csv" if case.csv else "application/json"
    assert response.headers["content-type"].startswith(expected_type)
    actual = render(case, response)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        case.file.write_bytes(actual.encode("utf-8"))
        return
    assert case.file.exists(), (
        f"no golden document {case.file.name}: run `make golden`, then review it"
    )
    expected = case.file.read_bytes().decode("utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"golden/{case.file.name}",
            tofile=f"GET {case.path} {case.params}",
        )
        pytest.fail(
            f"the answer differs from golden/{case.file.name}:\n{first_lines(list(diff))}",
            pytrace=False,
        )


def test_golden_names_are_unique_and_every_file_has_a_case():
    names = [case.file.name for case in CASES]
    assert len(names) == len(set(names)), "two cases write the same golden document"
    stray = {p.name for p in GOLDEN.iterdir() if p.suffix in {".json", ".csv"}} - set(names)
    assert not stray, (
        f"golden documents without a case (delete them or add the case): {sorted(stray)}"
    )
