"""The page objects are plain Python: importing every module of ``crawler.pages`` (in a fresh
interpreter) loads neither Scrapy nor Twisted, and the profile modules form no import cycle."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import crawler.pages

PAGES = Path(crawler.pages.__file__).parent
PREFIX = "crawler.pages."
IMPORT_ALL = """
import importlib, json, pkgutil, sys
import crawler.pages
names = sorted(
    f"crawler.pages.{m.name}" for m in pkgutil.iter_modules(crawler.pages.__path__)
)
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("scrapy", "twisted"))
print(json.dumps({"imported": names, "loaded": loaded}))
"""


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_page_module_imports_without_scrapy_or_twisted() -> None:
    out = json.loads(run(IMPORT_ALL))
    assert out["loaded"] == []
    wanted = {"gnuboard5", "generic", "rhymix", "profiles", "files", "login", "encoding"}
    assert {f"crawler.pages.{name}" for name in wanted} <= set(out["imported"])


def test_page_modules_import_at_top_level_and_form_no_cycle() -> None:
    graph = {path.stem: page_imports(path) for path in PAGES.glob("*.py")}
    assert {"profile", "profiles", "gnuboard5", "generic", "rhymix"} <= set(graph)
    assert "profile" in graph["rhymix"] and "generic" in graph["rhymix"]
    for name in graph:
        assert name not in reachable(graph, name), f"crawler.pages.{name} imports itself back"


def page_imports(path: Path) -> set[str]:
    """The ``crawler.pages`` modules ``path`` imports (also under ``TYPE_CHECKING``); an import
    inside a function fails the test."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
            assert not inner, f"{path.name}: import inside {node.name}()"
        if isinstance(node, ast.ImportFrom) and node.module == "crawler.pages":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PREFIX):
            found.add(node.module.removeprefix(PREFIX).split(".")[0])  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith(PREFIX)]
            found |= {name.removeprefix(PREFIX).split(".")[0] for name in names}
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(graph.get(name, ()))
    return seen
