"""Shared fixtures: small banks written inline, so each test shows the YAML it is about; the store's and
the app's fixtures come from their support modules (registered below for every test module)."""

from __future__ import annotations

import gc
import os
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import settings

from .bank_support import SOURCES, WriteBank
from .browser_support import BROWSER_GROUPS, browser_groups

# Support modules whose fixtures every test module may use (their asserts are rewritten, as in tests).
pytest_plugins = ["tests.app_support", "tests.store_support", "tests.spy_support"]

DATA = Path(__file__).parent / "data"

# No property test is about speed: on a loaded machine an example may take seconds, which hypothesis's
# default 200 ms deadline would report as a failure. Tests that set their own settings inherit this.
settings.register_profile("pipia", deadline=None)
settings.load_profile("pipia")

# A test process keeps what its tests loaded (banks, compiled templates, Streamlit and its pages) for the
# rest of the run, so each full pass of the cyclic collector walks a large and growing heap. With Python's
# default thresholds (700, 10, 10) the older generations were walked often enough to cost about a fifth of
# the suite's CPU: collected half as often, the tests other than the browser's used 117-122 CPU-s instead of
# 157-160 (2 workers, alternate runs). Nothing here relies on garbage being collected promptly.
gc.set_threshold(10_000, 20, 20)

# The tests load hundreds of banks from temporary folders: their cache entries go to a folder of the tests' own
# (shared by every test process and run, and bounded as any cache folder is), never the user's ~/.cache/pipia.
# The apps and commands the tests start inherit it.
os.environ.setdefault("PIPIA_CACHE_DIR", str(Path(tempfile.gettempdir()) / f"pipia-test-cache-{os.getuid()}"))


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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--browser-group", type=int, metavar="N", choices=range(BROWSER_GROUPS),
                     help=f"run only the browser tests of group N (0 to {BROWSER_GROUPS - 1}); make test runs "
                     "each group in a process of its own")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "seconds(n): how long a browser test takes, setup and teardown "
                            "included, as --durations measures it; balances their groups (tests/browser_support.py)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--browser-group N``, only the browser tests (marker e2e) of group N run (``browser_groups``).
    ``make test`` runs the two groups side by side, each in a pytest process of its own, one test after
    another, with the rest of the suite beside them at a lower priority. Each group has its app and its
    browser: more at once on a 2-core machine make the tests' timeouts flaky, one group alone takes twice as
    long. (pytest-xdist's ``--dist loadgroup`` would do the same, but with pytest 9.2 it silently stopped
    grouping: pytest-xdist#1386.)
    """
    chosen = config.getoption("browser_group")
    if chosen is None:
        return
    group_of = browser_groups({item.nodeid: _seconds(item) for item in items
                               if item.get_closest_marker("e2e") is not None})
    config.hook.pytest_deselected(items=[item for item in items if group_of.get(item.nodeid) != chosen])
    items[:] = [item for item in items if group_of.get(item.nodeid) == chosen]


def _seconds(item: pytest.Item) -> float:
    marker = item.get_closest_marker("seconds")
    if marker is None:
        raise pytest.UsageError(f"{item.nodeid}: a browser test says how long it takes with "
                                "@pytest.mark.seconds(N) (see tests/browser_support.py)")
    return float(marker.args[0])
