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
