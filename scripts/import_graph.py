"""Print the imports between the folders and top-level modules of registry/, and the cycles among
them.

    python scripts/import_graph.py

A folder is one node (`curation/`), a top-level module another (`db`); imports inside one node are
not shown. tests/test_conventions.py checks that there are no cycles.
"""

from __future__ import annotations

import ast
import collections
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "registry"


def _node(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) == 1:
        return None
    return parts[1] + "/" if (ROOT / parts[1]).is_dir() else parts[1]


def edges(root: Path = ROOT) -> dict[str, set[str]]:
    """Node -> the nodes it imports (at module level, in functions or under TYPE_CHECKING alike)."""
    found: dict[str, set[str]] = collections.defaultdict(set)
    for path in root.rglob("*.py"):
        source = _node(".".join(path.relative_to(root.parent).with_suffix("").parts))
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("registry"):
                if n.module == "registry":
                    targets = ["registry." + a.name for a in n.names]
                else:
                    targets = [n.module]
            elif isinstance(n, ast.Import):
                targets = [a.name for a in n.names if a.name.startswith("registry.")]
            for target in targets:
                node = _node(target)
                if node and source and node != source:
                    found[source].add(node)
    return found


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """The pairs of nodes that reach each other."""

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for y in graph.get(stack.pop(), ()):
                if y not in seen:
                    seen.add(y)
                    stack.append(y)
        return seen

    nodes = sorted(set(graph) | {y for v in graph.values() for y in v})
    reached = {a: reach(a) for a in nodes}
    return sorted(
        {tuple(sorted((a, b))) for a in nodes for b in reached[a] if a != b and a in reached[b]}
    )


if __name__ == "__main__":
    graph = edges()
    for node in sorted(graph):
        print(node, "->", sorted(graph[node]))
    print("cycles:", cycles(graph))
