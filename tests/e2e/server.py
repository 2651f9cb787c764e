"""The app started the README's way (``streamlit run app.py`` on a free local port, with its own data
folder) for the browser tests, and what they need to find Debian's Chromium.

Free ports make the servers of tests running side by side in separate processes independent.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import ViewportSize

CHROMIUM = Path("/usr/bin/chromium")  # Debian's browser, as a DPO runs it: what bench/bench_browser.py times
# What the tests drive: Debian's headless build of the same Chromium where it is installed (package
# chromium-headless-shell, as .ci/run installs; Playwright's own choice for headless runs). It draws the
# same pages with the same engine, without the desktop browser's machinery around them, and the browser
# tests used a quarter less CPU with it (191 -> 138 CPU-s of Chromium), the scarce thing in `make test`.
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
TEST_BROWSER = HEADLESS_SHELL if HEADLESS_SHELL.exists() else CHROMIUM
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
        self.wait_until_healthy()

    def wait_until_healthy(self) -> None:
        """Wait (up to 60 s) until the started process answers Streamlit's health check; RuntimeError, with
        its log, when it exits first or never answers."""
        assert self.process is not None, "start the process first"
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

