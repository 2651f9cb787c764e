"""The app started the README's way, driven in Debian's headless Chromium through Playwright.

Skipped where /usr/bin/chromium is missing (CI installs it: see .ci/run). Each test gets its own data
folder, so its store starts fresh (seeded with the shipped sample, as a new user's would be).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
STREAMLIT = Path(sys.executable).parent / "streamlit"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``streamlit run app.py`` on a free local port, with its own data folder."""

    def __init__(self, data_dir: Path, log: Path, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> None:
        self.data_dir = data_dir
        self.log = log
        self.env = env or {}  # a team server: its database, sign-in settings ...
        self.args = args
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {**os.environ, "PIPIA_DATA_DIR": str(self.data_dir)}
        env.pop("PIPIA_DATABASE_URL", None)
        env.update(self.env)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(STREAMLIT), "run", "app.py", "--server.headless=true", "--server.address=127.0.0.1",
                 f"--server.port={self.port}", *self.args], cwd=ROOT, env=env, stdout=out,
                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited:\n{self.log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the app did not answer /_stcore/health within 60 s")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing: what a crash or a power cut leaves."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    app = Server(tmp_path / "data", tmp_path / "streamlit.log")
    app.start()
    yield app
    app.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()
