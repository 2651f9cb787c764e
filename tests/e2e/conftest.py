"""The app started the README's way, driven in Debian's headless Chromium through Playwright.

Skipped where /usr/bin/chromium is missing (CI installs it: see .ci/run); driven through Debian's headless
build of it where that is installed too (``server.TEST_BROWSER``). Each test gets its own data
folder, so its store starts fresh (seeded with the shipped sample, as a new user's would be).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .server import ARGS, TEST_BROWSER, VIEWPORT, Server

# What these tests check is what the page shows, not how fast: a page that takes longer than Playwright's
# default 5 s on a busy machine (the rest of the suite runs beside them) is still right. Speed is measured
# by bench/bench_browser.py.
expect.set_options(timeout=20_000)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    app = Server(tmp_path / "data", tmp_path / "streamlit.log")
    app.start()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(TEST_BROWSER), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()
