"""The layout shows the flow: each stage imports only the stages before it, and no module
imports itself back through a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

GUARD = Path(__file__).resolve().parent.parent / "guard"

# The flow, left to right. A module may import its own stage and the stages before it.
STAGES = (
    ("guard", "guard.model", "guard.errors", "guard.aws", "guard.config", "guard.input_limits"),
    # The type declarations: every stage reads what a type is through them.
    (
        "guard.live.types",
        "guard.live.resources",
        "guard.live.shape",
        "guard.live.policy",
        "guard.live.events",
    ),
    ("guard.state",),
    ("guard.live",),
    ("guard.reconcile",),
    ("guard.rules",),
    ("guard.enrich",),
    ("guard.remedy",),
    ("guard.pipeline",),
    ("guard.plan",),
    ("guard.render",),
    ("guard.alerting",),
    ("guard.cli", "guard.demo", "guard.deploy", "guard.__main__"),
)


def stage_of(module: str) -> int:
    best, rank = -1, 0
    for index, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    assert best >= 0, f"{module} belongs to no stage: add its package to STAGES"
    return rank


def module_name(path: Path) -> str:
    parts = path.relative_to(GUARD.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, top_level_only: bool) -> set[str]:
    """Modules of guard this file imports at run time (TYPE_CHECKING blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(nodes: list[ast.stmt], nested: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and _type_checking(node):
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.startswith("guard") and not (top_level_only and nested):
                    # `from guard.live import resources` imports the submodule, not the package
                    subs = {f"{node.module}.{alias.name}" for alias in node.names}
                    found.update(subs & KNOWN or {node.module})
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("guard") and not (top_level_only and nested):
                        found.add(alias.name)
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    inner = nested or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                    visit([c for c in children if isinstance(c, ast.stmt)] + _handler_bodies(children), inner)

    visit(tree.body, False)
    return found


def _handler_bodies(children: list[object]) -> list[ast.stmt]:
    return [stmt for child in children if isinstance(child, ast.ExceptHandler) for stmt in child.body]


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(GUARD.rglob("*.py"))}


KNOWN = set(modules())


def test_no_import_runs_back_up_the_flow():
    backwards = []
    for name, path in modules().items():
        for imported in imports(path, top_level_only=False):
            if stage_of(imported) > stage_of(name):
                backwards.append(f"{name} imports {imported}")
    assert backwards == []


def test_no_import_cycles():
    known = modules()
    graph = {
        name: {m for m in imports(path, top_level_only=True) if m in known} for name, path in known.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            walk(name)
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles)
