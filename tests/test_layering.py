"""The package's own layering: each sub-package builds only on the ones below it, and no modules import each other.

Lowest first. A module may import from its own layer and the layers below, never from above, so the route check
cannot reach into the report and the pure core cannot reach into the app. See ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pipia"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"pipia", "errors", "model", "i18n"}),  # the base every part shares
    frozenset({"files"}),  # every file in and out
    frozenset({"bank"}),  # the question-bank format
    frozenset({"answers"}),  # answers to a bank and which questions are shown
    frozenset({"route"}),  # the route check
    frozenset({"assessment"}),  # the one evaluation: scoring, consistency, findings
    frozenset({"team"}),  # actions, review, tracking, sign-in
    frozenset({"report"}),  # the Word report
    frozenset({"exports"}),  # spreadsheets and calendars for the team's tools
    frozenset({"store"}),  # the database
    frozenset({"ui", "cli"}),  # the two shells
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part(module: str) -> str:
    """The layer name of a module: its sub-package, or its own name for a top-level module."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "pipia"


def layer(module: str) -> int:
    name = part(module)
    return next(i for i, names in enumerate(LAYERS) if name in names)


def imports(module: str) -> Iterator[tuple[int, str]]:
    """The pipia modules ``module`` imports, at any depth of its code, with the line of each import."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "pipia":
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            if base.split(".")[0] != "pipia":
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                yield node.lineno, target if target in MODULES else base


def test_every_part_of_the_package_has_a_layer() -> None:
    for module in MODULES:
        assert any(part(module) in names for names in LAYERS), f"{module}: add its sub-package to LAYERS"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_from_its_layer_or_below(module: str) -> None:
    upward = [f"line {line}: {target}" for line, target in imports(module) if layer(target) > layer(module)]
    assert not upward, f"{module} reaches up to a higher layer: {upward}"


def test_no_two_modules_import_each_other_even_indirectly() -> None:
    graph = {m: {t for _, t in imports(m) if t in MODULES and t != m} for m in MODULES}
    # A package's __init__ is imported by each of its modules anyway; it is not an edge of a design cycle.
    graph = {m: {t for t in ts if MODULES[t].name != "__init__.py"} for m, ts in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)
