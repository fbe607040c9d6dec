"""The layout holds: imports run web -> search -> index, no import cycles (function-level imports
included), no ``except ImportError`` around our own modules, and only ``index/engine/`` imports Whoosh."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import REPO

PACKAGES = ("index", "search", "web")
ORDER = {"web": 2, "search": 1, "index": 0}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> list[tuple[str, ast.AST]]:
    """(module imported, node) for every import in the file, at any level, relative ones resolved;
    ``from pkg import sub`` names the submodule when ``sub`` is one."""
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    package = parts[:-1]  # (for a package's __init__, the package itself)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or node.level):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            subs = [f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in MODULES]
            found += [(name, node) for name in subs] or [(module, node)]
    return found


def _graph() -> dict[str, set[str]]:
    return {
        name: {target for target, _ in _imports(path) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }


def test_imports_run_one_way() -> None:
    wrong = [
        f"{name} imports {target}"
        for name, targets in _graph().items()
        for target in targets
        if ORDER[target.split(".")[0]] > ORDER[name.split(".")[0]]
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_only_the_engine_imports_whoosh() -> None:
    outside = [
        name for name, path in MODULES.items()
        if not name.startswith("index.engine") and any(t.split(".")[0] == "whoosh" for t, _ in _imports(path))
    ]
    assert outside == []


def test_no_import_error_guards_around_our_modules() -> None:
    guarded = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Try) and any(
                isinstance(handler.type, ast.Name) and handler.type.id in ("ImportError", "ModuleNotFoundError")
                for handler in node.handlers
            ):
                guarded.append(f"{name}:{node.lineno}")
    assert guarded == []


def test_the_fast_paths_name_the_whoosh_release_they_need() -> None:
    from index.engine.accel import SUPPORTED_WHOOSH, UnsupportedWhoosh, check_whoosh_version

    check_whoosh_version(SUPPORTED_WHOOSH)
    with pytest.raises(UnsupportedWhoosh, match=r"pip install 'whoosh-reloaded==2\.7\.5'") as caught:
        check_whoosh_version((2, 7, 6))
    assert "Whoosh 2.7.6 is installed" in str(caught.value)
