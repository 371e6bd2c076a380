"""Conventions that keep a class of bug from coming back."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

REGISTRY = Path(__file__).resolve().parent.parent / "registry"


def test_underscore_is_only_ever_a_throwaway() -> None:
    """gettext is `gettext`, never `_`: a throwaway `_` once shadowed it and turned a forged cursor
    into a 500."""
    offenders = []
    for path in sorted(REGISTRY.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "_":
                offenders.append(f"{path.name}:{node.lineno} defines _()")
            if isinstance(node, ast.ImportFrom) and any(
                (a.asname or a.name) == "_" for a in node.names
            ):
                offenders.append(f"{path.name}:{node.lineno} imports _")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
            ):
                offenders.append(f"{path.name}:{node.lineno} calls _()")
    assert offenders == []


def test_the_folders_of_the_package_import_each_other_without_cycles() -> None:
    """Areas call curation/, curation/ calls what is below it, nothing calls back up
    (docs/architecture.md)."""
    spec = importlib.util.spec_from_file_location(
        "import_graph", REGISTRY.parent / "scripts" / "import_graph.py"
    )
    assert spec and spec.loader
    graph = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(graph)
    assert graph.cycles(graph.edges()) == []


def test_the_benchmark_passes_each_statement_every_argument_it_takes() -> None:
    """bench/run.py runs the API's statements directly for the limit it compares with; a parameter
    added to a statement (a tier, a basis) must reach the benchmark too, or `make bench` fails
    after its data is built."""
    import re

    from registry.db import queries

    queries.extend(REGISTRY.parent / "bench" / "queries.sql")
    tree = ast.parse((REGISTRY.parent / "bench" / "run.py").read_text(encoding="utf-8"))

    def statement(arg: ast.expr) -> str | None:
        named = isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name)
        return arg.attr if named and arg.value.id == "queries" else None  # type: ignore[union-attr,attr-defined]

    # conn.fetch(queries.x, ...) and fetch_planned(conn, queries.x, ...): the arguments after it
    calls = [
        (node, at, name)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for at, arg in enumerate(node.args[:2])
        if (name := statement(arg))
    ]
    assert len(calls) > 10
    wrong = []
    for call, at, name in calls:
        sql = re.sub(r"--[^\n]*", "", getattr(queries, name))
        takes = max((int(n) for n in re.findall(r"\$(\d+)", sql)), default=0)
        given = len(call.args) - at - 1
        if not any(isinstance(a, ast.Starred) for a in call.args) and given != takes:
            wrong.append(f"{name} (line {call.lineno}): {given} of {takes}")
    assert wrong == []
