"""The page objects are plain Python: importing every module of ``crawler.pages`` (in a fresh
interpreter) loads neither Scrapy nor Twisted. (Cycles and imports inside functions are checked
for the whole project by tests/architecture.)"""

from __future__ import annotations

import json
import subprocess
import sys

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
