"""The project's import graph, read from the source with ``ast`` (nothing is imported).

A module's imports are split into those at module level (what runs when it is imported) and
those inside a function or class body (deferred imports); ``if TYPE_CHECKING:`` blocks are
neither: they are read by the type checker only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("archive", "crawler", "board_archive", "migrations")
SCRIPTS = ("scheduler.py",)


@dataclass
class Module:
    name: str
    path: Path
    top: set[str] = field(default_factory=set)  # modules imported at module level
    deferred: list[tuple[int, str]] = field(default_factory=list)  # (line, module) in a body


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    if node.level:  # relative: from the module's package
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        # a submodule of ``base``, or a name defined in it: resolved against the known modules
        # (the parent packages every import runs first are not counted as arrows)
        yield f"{base}.{alias.name}"


def _walk(node: ast.AST, module: Module, is_package: bool, nested: bool) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            names = set(_imported(child, module.name, is_package))
            if nested:
                module.deferred += [(child.lineno, n) for n in sorted(names)]
            else:
                module.top |= names
            continue
        inner = nested or isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
        )
        _walk(child, module, is_package, inner)


def modules() -> dict[str, Module]:
    paths = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    paths += [ROOT / s for s in SCRIPTS]
    found: dict[str, Module] = {}
    for path in paths:
        module = Module(_module_name(path), path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _walk(tree, module, path.name == "__init__.py", nested=False)
        found[module.name] = module
    return found


def resolve(name: str, known: dict[str, Module]) -> str | None:
    """The project module ``name`` refers to (itself or its nearest known parent), or None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def edges(known: dict[str, Module]) -> dict[str, set[str]]:
    """Module-level imports between project modules (a package's ``__init__`` included)."""
    graph: dict[str, set[str]] = {}
    for name, module in known.items():
        targets = {resolve(n, known) for n in module.top}
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def component(module: str, components: list[str]) -> str:
    """The longest listed component that ``module`` belongs to."""
    matches = [c for c in components if module == c or module.startswith(c + ".")]
    if not matches:
        raise KeyError(f"{module} belongs to no component listed in docs/architecture.md")
    return max(matches, key=len)
