"""The OpenAPI document is true: schemathesis runs every operation of the document the API serves
against the API (`python -m registry serve` on a seeded clone, tests/live.py), anonymously, with an
editor's key and, in stateful scenarios along the document's links, an admin's, with every check on.
Any 5xx, and any answer the document does not describe, fails the operation's test with the request
that got it.

`make test` runs a few examples per operation (SCHEMATHESIS_MAX_EXAMPLES, default 6). For a
measurement, `make contract` (EXAMPLES=150 by default), i.e.

    SCHEMATHESIS_MAX_EXAMPLES=150 .venv/bin/python -m pytest -q tests/test_openapi_contract.py

The last line says how many cases ran, how many got a server error and how many an answer off the
document.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import hypothesis
import pytest
import schemathesis
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.core.failures import FailureGroup

from registry.app import create_app
from registry.auth import create_key
from registry.db import with_database
from registry.openapi import answer_components, document
from registry.settings import Settings
from tests.live import serve

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "6"))
DROP_CONTRACT = "DROP DATABASE IF EXISTS registry_contract WITH (FORCE)"
CREATE_CONTRACT = "CREATE DATABASE registry_contract TEMPLATE registry_template"

# What a schema cannot say. A request the document admits may still be refused when a value names
# something the registry does not hold (a country, region or model code, municipality ids, a cursor
# from another list), breaks a rule between values (population_min above population_max, weights
# that are all 0, a window beyond five years, a 31 February) or is a file the registry cannot read:
# 400 naming that parameter. A write's body may name a municipality, model or source that does not
# exist, or break a rule of the registry: 422 naming the field. A made-up If-Match names no version:
# 412. So positive_data_acceptance admits these statuses, and
# `refused_only_for_what_a_schema_cannot_say` below holds each refusal to exactly those reasons.
BEYOND_SCHEMA = frozenset(
    {
        "country",
        "region",
        "model",
        "ids",
        "cursor",
        "population_min",
        "weights",
        "within",
        "from",
        "to",
        "body",
    }
)
READS = ["2xx", "3xx", 400, 401, 403, 404, 409]
CONFIG = {
    "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
    "checks": {"positive_data_acceptance": {"expected-statuses": READS}},
    # stateful scenarios follow the document's own links; links guessed from names join unrelated
    # ids
    "phases": {"stateful": {"inference": {"algorithms": []}}},
    "operations": [
        {
            "include-method-regex": "(?i)^(post|put|patch|delete)$",
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [*READS, 412, 422]},
                # RFC 6585 gives a missing If-Match its own status, 428 Precondition Required
                "missing_required_header": {
                    "expected-statuses": [400, 401, 403, 406, 415, 422, 428]
                },
                # an If-Match that is no entity tag names no version: 412, as RFC 9110 13.1.1
                # compares it
                "negative_data_rejection": {
                    "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 415, 422, 428]
                },
            },
        },
    ],
}


def refused_only_for_what_a_schema_cannot_say(ctx, response, case) -> None:
    """A valid request refused with 400 names a parameter of BEYOND_SCHEMA; 422 is a write's; 412
    answers an If-Match."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if response.status_code == 400:
        names = {p.get("name") for p in response.json().get("invalid_params", [])}
        assert names and names <= BEYOND_SCHEMA, f"a valid request refused for {sorted(names)}"
    if response.status_code == 422:
        assert case.method.upper() != "GET", "a read refused with 422"
    if response.status_code == 412:
        assert "If-Match" in (case.headers or {}), "412 without If-Match"


def strict(doc: dict) -> dict:
    """The document with answers that admit no keys beyond the ones it lists, so that a key the API
    sends and the document does not name (a label decorate() adds, say) fails the test. Served
    documents stay open."""
    for name in answer_components(doc):
        component = doc["components"]["schemas"][name]
        if "properties" in component:
            component.setdefault("additionalProperties", False)
    return doc


SCHEMA = schemathesis.openapi.from_dict(
    strict(document(create_app(Settings(database_url="postgresql://unused/registry")))),
    config=schemathesis.Config.from_dict(CONFIG),
)


@dataclass
class Tally:
    """What the run saw: every case, the server errors, and the answers off the document by
    check."""

    cases: int = 0
    server_errors: int = 0
    off_document: int = 0
    by_check: Counter = field(default_factory=Counter)
    current: list[str] = field(default_factory=list)  # the failures of the test running

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.write_line(self.summary())

    def summary(self) -> str:
        checks = ", ".join(f"{name} {n}" for name, n in self.by_check.most_common())
        return (
            f"schemathesis: {self.cases} cases, {self.server_errors} server errors, "
            f"{self.off_document} "
            f"answers off the document" + (f" ({checks})" if checks else "")
        )


@dataclass
class Live:
    url: str
    keys: dict[str, str]
    tally: Tally

    def headers(self, case: schemathesis.Case, who: str | None) -> dict[str, str]:
        """The key of `who` where the case means to send a valid one: schemathesis writes a made-up
        bearer token in positive cases, leaves it out where security is optional (reads: sent
        anyway, to read as `who`), and leaves it out or mangles it in negative ones (kept: that is
        what they test)."""
        if who is None:
            return {}
        given = (case.headers or {}).get("Authorization")
        positive = case.meta is None or case.meta.generation.mode.is_positive
        if (given is not None and positive) or (given is None and case.method.upper() == "GET"):
            return {"Authorization": f"Bearer {self.keys[who]}"}
        return {}

    def check(self, case: schemathesis.Case, who: str | None) -> None:
        headers = self.headers(case, who)
        self.judge(case, case.call(base_url=self.url, headers=headers, timeout=60), headers)

    def judge(
        self, case: schemathesis.Case, response: Any, headers: dict[str, str], recorder: Any = None
    ) -> None:
        """Count the answer, run every check on it, and keep the first failures of the test
        running."""
        self.tally.cases += 1
        if response.status_code >= 500:
            self.tally.server_errors += 1
        try:
            case.validate_response(
                response,
                headers=headers,
                recorder=recorder,
                additional_checks=[refused_only_for_what_a_schema_cannot_say],
                transport_kwargs={"base_url": self.url, "headers": headers},
            )
        except FailureGroup as group:
            self.tally.off_document += 1
            self.tally.by_check.update({failure.title for failure in group.exceptions})
            if len(self.tally.current) < 3:
                self.tally.current.append(str(group))


async def _admin(server_url: str, *statements: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def live(
    server_url: str, template_url: str, request: pytest.FixtureRequest
) -> AsyncIterator[Live]:
    """The API as `make run` serves it (tests/live.py), on a seeded clone, with an editor key for SI
    and an admin key."""
    await _admin(server_url, DROP_CONTRACT, CREATE_CONTRACT)
    url = with_database(server_url, "registry_contract")
    conn = await asyncpg.connect(url)
    try:
        keys = {
            "editor": await create_key(conn, "contract-si", "editor", ["SI"]),
            "admin": await create_key(conn, "contract-admin", "admin", []),
        }
    finally:
        await conn.close()
    tally = Tally()
    # its summary ends pytest's report
    request.config.pluginmanager.register(tally, "schemathesis-tally")
    with serve(url) as base:
        yield Live(base, keys, tally)


@pytest.fixture(autouse=True)
def failures_fail_the_test(request: pytest.FixtureRequest):
    """Each case's failures are counted and the run goes on; the operation's test then fails with
    the first."""
    if "live" not in request.fixturenames:
        yield
        return
    live = request.getfixturevalue("live")
    live.tally.current.clear()
    yield
    if live.tally.current:
        pytest.fail("\n\n".join(live.tally.current), pytrace=False)


SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@SCHEMA.parametrize()
@SETTINGS
def test_anonymous(case: schemathesis.Case, live: Live) -> None:
    live.check(case, None)


@SCHEMA.parametrize()
@SETTINGS
def test_editor_of_si(case: schemathesis.Case, live: Live) -> None:
    live.check(case, "editor")


def test_the_document_served_is_the_one_tested(live: Live) -> None:
    import requests

    served = requests.get(f"{live.url}/schema/openapi.json", timeout=30).json()
    assert strict(served) == SCHEMA.raw_schema


def test_workflows_of_an_admin(live: Live) -> None:
    """Stateful: records made, read, changed with the ETag read and deleted, along the document's
    links."""

    class Workflow(SCHEMA.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": live.url, "headers": live.headers(case, "admin"), "timeout": 60}

        def validate_response(
            self,
            response: Any,
            case: schemathesis.Case,
            additional_checks: Any = None,
            **kwargs: Any,
        ) -> None:
            live.judge(
                case, response, kwargs.get("headers", {}), recorder=getattr(self, "recorder", None)
            )

    try:
        run_state_machine_as_test(
            Workflow,
            settings=hypothesis.settings(
                SETTINGS, max_examples=MAX_EXAMPLES * 5, stateful_step_count=10
            ),
        )
    except hypothesis.errors.Flaky:
        # the registry keeps what a scenario wrote, so replaying its choices meets other answers
        # (the id it created exists now: 409) and Hypothesis stops; the scenarios until then ran and
        # were judged
        pass


# ---------------------------------------------------------------- the document itself

DOC = document(create_app(Settings(database_url="postgresql://unused/registry")))
OPERATIONS = {
    op["operationId"]: (path, method, op)
    for path, item in DOC["paths"].items()
    for method, op in item.items()
    if method in ("get", "post", "put", "patch", "delete")
}


def refs(node: object) -> list[str]:
    if isinstance(node, dict):
        return [
            v if k == "$ref" else r
            for k, v in node.items()
            for r in ([v] if k == "$ref" else refs(v))
        ]
    return [r for v in node for r in refs(v)] if isinstance(node, list) else []


def test_every_reference_resolves_and_no_answer_is_anything() -> None:
    for ref in refs(DOC):
        kind, name = ref.split("/")[-2:]
        assert name in DOC["components"][kind], ref
    for path, method, op in OPERATIONS.values():
        for code, response in op["responses"].items():
            for media in (response.get("content") or {}).values():
                assert media["schema"] != {} and {} not in media["schema"].get("oneOf", []), (
                    method,
                    path,
                    code,
                )


def test_errors_are_problem_documents_where_they_can_happen() -> None:
    for name, (_path, method, op) in OPERATIONS.items():
        codes = set(op["responses"])
        assert {"400", "401", "429", "503"} <= codes, name
        for code, response in op["responses"].items():
            # /health says why in its own shape
            if int(code) >= 400 and (name, code) != ("health", "503"):
                assert list(response["content"]) == ["application/problem+json"], (name, code)
        if method != "get":
            assert {"403", "409"} <= codes and op["security"] == [{"bearerKey": []}], name
        else:
            assert op["security"] == [{}, {"bearerKey": []}], name
        if_match = [p for p in op["parameters"] if p.get("name") == "If-Match"]
        assert bool(if_match) == ({"412", "428"} <= codes), name
        assert all(p["required"] for p in if_match), name
    assert DOC["components"]["securitySchemes"]["bearerKey"]["scheme"] == "bearer"
    assert "409" in OPERATIONS["getMunicipalityByIdentifier"][2]["responses"]
    down = OPERATIONS["health"][2]["responses"]["503"]["content"]["application/json"]["schema"]
    assert down == {"$ref": "#/components/schemas/HealthDown"}
    assert "304" in OPERATIONS["getEvent"][2]["responses"]


def test_answers_list_the_labels_decorate_adds() -> None:
    schemas = DOC["components"]["schemas"]
    event = schemas["Event"]["properties"]
    assert {"type_label", "evidence_level_label", "date_display", "date_precision_label"} <= set(
        event
    )
    assert {"name", "kind_label", "population_display", "country_name"} <= set(
        schemas["MunicipalitySummary"]["properties"]
    )
    assert {"label", "description_label", "kind_label"} <= set(
        schemas["ModelSummary"]["properties"]
    )
    assert (
        "roles_labels" in schemas["Body"]["properties"]
        and "label" in schemas["Region"]["properties"]
    )
    # decorate() labels a region and names it no further
    assert "name" not in schemas["Region"]["properties"]
    assert "type_label" not in schemas["EventIn"]["properties"]  # requests are not decorated


def test_parameters_say_what_is_accepted() -> None:
    lang, script = (
        DOC["components"]["parameters"]["lang"],
        DOC["components"]["parameters"]["script"],
    )
    assert script["schema"]["enum"] == ["Latn", "Cyrl"]
    import re

    assert all(
        re.match(lang["schema"]["pattern"], t) for t in ("en", "sr-Latn", "sl-SI", "de", "de-CH")
    )
    assert not any(re.match(lang["schema"]["pattern"], t) for t in ("xx", "de-XX", ""))
    assert all(
        {"$ref": "#/components/parameters/lang"} in op["parameters"]
        for _, _, op in OPERATIONS.values()
    )
    scheme = next(
        p
        for p in OPERATIONS["getMunicipalityByIdentifier"][2]["parameters"]
        if p.get("name") == "scheme"
    )
    assert set(scheme["schema"]["enum"]) >= {"id", "iso3166_2", "teryt", "rzs", "si_obcina", "lau"}
    since = next(p for p in OPERATIONS["listChanges"][2]["parameters"] if p.get("name") == "since")
    assert since["schema"] == {
        "type": "string",
        "format": "date-time",
        "description": since["description"],
    }


def test_other_content_types_are_documented() -> None:
    for name in (
        "listMunicipalities",
        "listCountries",
        "listChanges",
        "compare",
        "getRankings",
        "getAdoptionStats",
    ):
        assert "text/csv" in OPERATIONS[name][2]["responses"]["200"]["content"], name
    assert "text/csv" not in OPERATIONS["getMunicipality"][2]["responses"]["200"]["content"]
    assert set(OPERATIONS["createImport"][2]["requestBody"]["content"]) == {
        "text/csv",
        "application/json",
        "application/x-ndjson",
    }
    assert set(OPERATIONS["export"][2]["responses"]["200"]["content"]) == {
        "application/x-ndjson",
        "application/zip",
    }
