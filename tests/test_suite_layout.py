"""The test suite's own rules: helpers are shared through support modules, no property test fails for
taking its time (timing is never what one of them checks), and no test sees what another wrote."""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipia.store import Store
from pipia.store.schema import MIGRATIONS

from .browser_support import BROWSER_GROUPS, browser_groups
from .store_support import POSTGRES_VAR, Migrated, answers

TESTS = Path(__file__).resolve().parent
TEST_MODULES = sorted(p for p in TESTS.rglob("test_*.py"))


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute (``tests.test_x``) or relative (``.test_x``), as written."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            found.add(base)
            if not node.module:  # from . import test_x
                found.update(f"{base}{alias.name}" for alias in node.names)
    # Source a test runs in a child process imports the same way.
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "import" in node.value:
            for line in node.value.splitlines():
                words = line.split()
                if len(words) >= 2 and words[0] in ("from", "import"):
                    found.add(words[1])
    return found


@pytest.mark.parametrize("module", [*TEST_MODULES, *sorted(TESTS.rglob("*_support.py"))],
                         ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_module_imports_another_test_module_or_a_conftest(module: Path) -> None:
    leaks = {m for m in imported_modules(module) if m.rpartition(".")[2].startswith("test_")
             or m.rpartition(".")[2] == "conftest"}
    assert not leaks, f"{module.name} imports {sorted(leaks)}: move what it needs into a *_support module"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def property_tests() -> list[tuple[str, Any]]:
    found = []
    for path in TEST_MODULES:
        module = importlib.import_module(module_name(path))  # already imported by the collection: no cost
        for name, member in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("test_") and getattr(member, "is_hypothesis_test", False):
                found.append((f"{path.name}::{name}", member))
    return found


def test_every_property_test_runs_without_a_deadline() -> None:
    tests = property_tests()
    assert len(tests) >= 8, "the property tests were not found: is_hypothesis_test is how hypothesis marks them"
    timed = [name for name, test in tests
             if test._hypothesis_internal_use_settings.deadline is not None]
    assert not timed, f"{timed} would fail on a loaded machine: leave deadline to the profile in tests/conftest.py"


def test_a_test_database_holds_nothing_an_earlier_test_wrote(migrated: Migrated, tmp_path: Path) -> None:
    """Store tests get databases copied from one migrated per process (``db_url``): what one test saves, a
    later test never sees, while what the migrations wrote is there each time."""
    sqlite = tmp_path / "first.db"
    shutil.copyfile(migrated.sqlite_file(), sqlite)
    with Store(f"sqlite:///{sqlite}") as store:
        store.create(answers())
    urls = [f"sqlite:///{sqlite}", _copy(migrated, tmp_path / "second.db")]
    if os.environ.get(POSTGRES_VAR):
        with migrated.postgres_schema() as first, Store(first) as store:
            store.create(answers())
        with migrated.postgres_schema() as second:  # the same schema, handed out again
            assert second == first
            urls.append(second)
            _check_fresh(second, expect_empty=True)
    _check_fresh(urls[1], expect_empty=True)
    _check_fresh(urls[0], expect_empty=False)


def _copy(migrated: Migrated, path: Path) -> str:
    shutil.copyfile(migrated.sqlite_file(), path)
    return f"sqlite:///{path}"


def _check_fresh(url: str, expect_empty: bool) -> None:
    with Store(url) as store:
        assert (store.list_assessments() == []) is expect_empty
        assert store.schema_version == len(MIGRATIONS)



def test_the_browser_groups_take_about_as_long_and_every_browser_test_says_how_long_it_takes() -> None:
    """``make test`` runs ``--browser-group 0`` and ``1`` side by side: it is as quick as the longer one."""
    seconds: dict[str, float] = {}
    for path in sorted((TESTS / "e2e").glob("test_*.py")):
        module = importlib.import_module(module_name(path))  # already imported by the collection: no cost
        for name, test in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("test_"):
                marks = {m.name: m for m in getattr(test, "pytestmark", [])}
                assert "seconds" in marks, f"{path.name}::{name} needs @pytest.mark.seconds(N)"
                seconds[f"{path.name}::{name}"] = float(marks["seconds"].args[0])
    assert len(seconds) > 5, "the browser tests were not found"
    group_of = browser_groups(seconds)
    lengths = [sum(s for test, s in seconds.items() if group_of[test] == group) for group in range(BROWSER_GROUPS)]
    assert max(lengths) - min(lengths) <= min(seconds.values()), lengths
