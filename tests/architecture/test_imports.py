"""The arrows between the packages point one way, as docs/architecture.md declares them.

The document's ``arrows`` block lists every component and the components it may import; the
code's module-level imports must give exactly those arrows (an undeclared arrow fails, and so
does a declared one the code no longer has, so the document stays true). Besides: no import
cycle between modules, no project import inside a function, and no Scrapy or Twisted import
on the archive's side or in the page objects (their loading no Scrapy at run time:
tests/pages/test_no_scrapy.py).
"""

from __future__ import annotations

import re

from tests.architecture.graph import ROOT, component, cycles, edges, modules, resolve

DOC = ROOT / "docs" / "architecture.md"
#: Third-party packages a component must not import (at any depth).
FORBIDDEN = {
    "archive": ("scrapy", "twisted", "scrapy_playwright", "playwright"),
    "crawler.pages": ("scrapy", "twisted", "scrapy_playwright", "playwright"),
    "board_archive.demoboard": ("scrapy", "twisted", "sqlalchemy"),
}


def declared_arrows() -> dict[str, set[str]]:
    block = re.search(r"```arrows\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, f"{DOC} has no ```arrows block"
    arrows: dict[str, set[str]] = {}
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        source, _, targets = line.partition("->")
        arrows[source.strip()] = {t.strip() for t in targets.split(",") if t.strip()}
    return arrows


def actual_arrows(names: list[str]) -> dict[str, set[str]]:
    known = modules()
    arrows: dict[str, set[str]] = {name: set() for name in names}
    for source, targets in edges(known).items():
        a = component(source, names)
        arrows[a] |= {component(t, names) for t in targets} - {a}
    return arrows


def test_the_code_has_exactly_the_arrows_the_document_declares() -> None:
    declared = declared_arrows()
    actual = actual_arrows(sorted(declared))
    undeclared = {f"{a} -> {b}" for a, bs in actual.items() for b in bs - declared[a]}
    missing = {f"{a} -> {b}" for a, bs in declared.items() for b in bs - actual[a]}
    assert not undeclared, f"imports {DOC.name} does not allow: {sorted(undeclared)}"
    assert not missing, f"arrows {DOC.name} declares that the code no longer has: {missing}"


def test_no_import_cycles() -> None:
    assert cycles(edges(modules())) == []


def test_no_project_import_inside_a_function() -> None:
    known = modules()
    deferred = {
        f"{m.path.relative_to(ROOT)}:{line} imports {resolve(name, known)}"
        for m in known.values()
        for line, name in m.deferred
        if resolve(name, known) is not None
    }
    assert sorted(deferred) == []


def test_forbidden_third_party_imports() -> None:
    names = sorted(declared_arrows())
    wrong = []
    for m in modules().values():
        banned = FORBIDDEN.get(component(m.name, names), ())
        imported = m.top | {n for _, n in m.deferred}
        wrong += [f"{m.name} imports {n}" for n in imported if n.split(".")[0] in banned]
    assert wrong == []
