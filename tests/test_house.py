"""The shape of the house (issue 18): no import circle anywhere in ``caseintake/``, small
modules, folders a newcomer can take in at a glance."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "caseintake"
MAX_LINES = 400
MAX_MODULES = 16  # "about 15" modules a folder, __init__ included


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(p): p
        for p in PACKAGE.rglob("*.py")
        if "versions" not in p.parts  # migrations: one file per schema step, never imported
    }


def _imported(node: ast.AST, package: str, known: dict[str, Path]) -> Iterator[str]:
    """Every caseintake module an import statement names, at any depth of the file (function
    bodies and ``if TYPE_CHECKING`` blocks too: a circle hidden in a function is still one)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.name.startswith("caseintake"):
                yield alias.name
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join([*base, node.module] if node.module else base)
        else:
            module = node.module or ""
        if not module.startswith("caseintake"):
            return
        for alias in node.names:
            submodule = f"{module}.{alias.name}"
            yield submodule if submodule in known else module


def import_graph() -> dict[str, set[str]]:
    known = _modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            graph[name].update(m for m in _imported(node, package, known) if m in known)
        graph[name].discard(name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_anywhere() -> None:
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = import_graph()
    graph["caseintake.domain.errors"].add("caseintake.cli.main")  # cli.main reaches errors
    assert any(
        "caseintake.domain.errors" in c and "caseintake.cli.main" in c for c in circles(graph)
    )
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_function_level_and_type_checking_imports_count() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from caseintake.domain.errors import DomainError\n"
        "def f():\n    from caseintake.crypto import keys\n"
    )
    known = {"caseintake.crypto.keys": Path(), "caseintake.domain.errors": Path()}
    names = {m for node in ast.walk(tree) for m in _imported(node, "caseintake.x", known)}
    assert names == {"caseintake.domain.errors", "caseintake.crypto.keys"}


def test_no_module_over_400_lines() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_folder_of_more_than_about_15_modules() -> None:
    folders = [p for p in (PACKAGE, ROOT / "bench") for p in [p, *p.rglob("*")] if p.is_dir()]
    crowded = {
        str(f.relative_to(ROOT)): n
        for f in folders
        if "versions" not in f.parts and (n := len(list(f.glob("*.py")))) > MAX_MODULES
    }
    assert crowded == {}
