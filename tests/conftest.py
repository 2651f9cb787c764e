"""Shared fixtures: small banks written inline, so each test shows the YAML it is about; the store's and
the app's fixtures come from their support modules (registered below for every test module)."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

from .bank_support import SOURCES, WriteBank

# Support modules whose fixtures every test module may use (their asserts are rewritten, as in tests).
pytest_plugins = ["tests.app_support", "tests.store_support"]

DATA = Path(__file__).parent / "data"

# No property test is about speed: on a loaded machine an example may take seconds, which hypothesis's
# default 200 ms deadline would report as a failure. Tests that set their own settings inherit this.
settings.register_profile("pipia", deadline=None)
settings.load_profile("pipia")


@pytest.fixture
def write_bank(tmp_path: Path) -> WriteBank:
    """Write bank YAML (dedented) next to a small sources registry; returns the bank's path."""
    (tmp_path / "library").mkdir(exist_ok=True)
    (tmp_path / "library" / "sources.yaml").write_text(SOURCES, encoding="utf-8")

    def write(text: str, name: str = "bank.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def tiny_bank_path() -> Path:
    return DATA / "banks" / "tiny.yaml"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests (marker e2e) run in two groups side by side, each in one worker process, one test
    after another (``make test`` runs the rest of the suite beside them at a lower priority). Each group has
    its app and its browser: more at once on a 2-core machine make the tests' timeouts flaky, one group alone
    takes twice as long.

    The groups are balanced by the tests' length in lines, which stands for their length in time (a line is
    about one step in the page): the longest test goes first, each to the group with the fewest lines yet.
    """
    browser = [item for item in items if item.get_closest_marker("e2e") is not None]
    lines = [0] * BROWSER_GROUPS
    for length, item in sorted(((_length(item), item) for item in browser), key=lambda pair: -pair[0]):
        group = lines.index(min(lines))
        lines[group] += length
        item.add_marker(pytest.mark.xdist_group(f"browser-{group}"))


BROWSER_GROUPS = 2


def _length(item: pytest.Item) -> int:
    return len(inspect.getsourcelines(item.obj)[0]) if isinstance(item, pytest.Function) else 1
