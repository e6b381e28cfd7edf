"""A pytest plugin (loaded by ``tests/conftest.py``): a test that checks nothing fails.

A test passes only if, while the test function ran, at least one ``assert`` passed (in the test
itself or in a helper it called: a function of its module, a conftest or a helper module under
``tests/``) or it used ``pytest.raises`` or ``pytest.warns``; asserts in fixtures' setup and
teardown do not count.

Passing asserts are counted through pytest's assertion pass hook (``enable_assertion_pass_hook``
in pyproject.toml), so every module under ``tests/`` has its asserts rewritten: test modules and
conftests always are, the helper modules are registered here. The rewritten code asks
``_pytest.assertion.rewrite._check_if_assertion_pass_impl()`` after each passing assert whether
to build its explanation for ``pytest_assertion_pass``; building it costs as much as a failure's
(a diff of the two sides of an ``==``: thousands of times the assert itself for two equal pages),
so that function is replaced by one that counts the assert and says no. Should a pytest release
drop the function, ``pytest_assertion_pass`` below still counts, only slower.

pytest keeps rewritten modules in ``__pycache__`` and does not rewrite them again when the option
changes: a module rewritten without the hook would count nothing, so such stale files are removed
before the modules are imported.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from _pytest.assertion import rewrite

TESTS = Path(__file__).resolve().parent
PASS_CHECK = "_check_if_assertion_pass_impl"


class _Checks:
    """Passing asserts, ``pytest.raises`` and ``pytest.warns`` since the running test started."""

    count = 0


def _helper_modules() -> list[str]:
    """The import names of what under ``tests/`` pytest would not rewrite by itself."""
    names = []
    for path in sorted(TESTS.iterdir()):
        if (path / "__init__.py").exists():
            names.append(f"tests.{path.name}")  # a test package: its helpers, data modules
        elif path.suffix == ".py" and path.stem not in ("__init__", "conftest"):
            names.append(f"tests.{path.stem}")
    return names


def _remove_stale_rewrites() -> None:
    """Delete cached rewrites of modules under ``tests/`` made without the pass hook."""
    for source in TESTS.rglob("*.py"):
        cache = Path(importlib.util.cache_from_source(str(source))).parent
        for pyc in cache.glob(f"{source.stem}.*-pytest-*.pyc"):
            data = pyc.read_bytes()
            if b"_format_explanation" in data and PASS_CHECK.encode() not in data:
                pyc.unlink(missing_ok=True)


def _count_and_skip_the_explanation() -> bool:
    _Checks.count += 1
    return False


def _counted(check: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(check)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _Checks.count += 1
        return check(*args, **kwargs)

    return wrapper


_remove_stale_rewrites()
pytest.register_assert_rewrite(*_helper_modules())
if hasattr(rewrite, PASS_CHECK):
    setattr(rewrite, PASS_CHECK, _count_and_skip_the_explanation)
pytest.raises = _counted(pytest.raises)  # type: ignore[assignment]
pytest.warns = _counted(pytest.warns)  # type: ignore[assignment]


def pytest_configure(config: pytest.Config) -> None:
    if not config.getini("enable_assertion_pass_hook"):
        raise pytest.UsageError(
            "tests/every_test_asserts.py counts passing asserts: it needs "
            "enable_assertion_pass_hook = true in [tool.pytest.ini_options]"
        )


def pytest_assertion_pass() -> None:
    _Checks.count += 1


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    _Checks.count = 0
    result = yield
    if _Checks.count == 0:
        pytest.fail(
            f"{item.nodeid} checked nothing: no assert passed and no pytest.raises or "
            "pytest.warns was used (a test that cannot fail is not a test)",
            pytrace=False,
        )
    return result
