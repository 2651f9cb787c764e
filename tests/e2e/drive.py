"""Small steps a person takes in the app, written once for the browser tests.

Widgets are found by the CSS class Streamlit gives a keyed widget (``st-key-<key>``); answers are keyed
``w-<question>`` or ``w-<group>-<item>-<question>`` (see pipia.ui.widgets.Ref).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

APP = '[data-testid="stApp"]'


def settle(page: Page, timeout: float = 60_000) -> None:
    """Wait until the script runs an action started have finished and the page is drawn.

    ``timeout`` (ms) is generous on purpose: these tests run beside the rest of the suite on two cores, and
    what they check is what the page shows, not how fast (bench/bench_browser.py measures that).

    The page asks for the run at once, so it starts within moments: settling waits for it to start, or for a
    quarter of a second when the action started none. One action can take two runs (a page switch reruns on
    the new page, started as the first ends), so the app must then stay idle for a tenth of a second before it
    counts as settled.
    """
    idle = f'{APP}[data-test-script-state="notRunning"]'
    with contextlib.suppress(PlaywrightTimeout):  # no run, or one already over
        page.wait_for_selector(f'{APP}:not([data-test-script-state="notRunning"])', state="attached", timeout=250)
    for _ in range(20):
        page.wait_for_selector(idle, timeout=timeout)
        page.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout)
        page.wait_for_timeout(100)
        if page.locator(idle).count():
            return


def eventually(check: Callable[[], object], expected: object, timeout: float = 30.0) -> None:
    """Wait until ``check()`` gives ``expected`` (asked every 0.2 s), for what the page does on its own after a
    while (the keeper sends text again once the server is back): on two busy cores that while varies.
    ``timeout`` in seconds; AssertionError with the last value when it never does."""
    deadline = time.monotonic() + timeout
    while (found := check()) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout:.0f} s: {found!r}, expected {expected!r}")
        time.sleep(0.2)


def changes_at_rest(page: Page, ms: int = 250) -> list[str]:
    """What changes in a settled page during ``ms`` milliseconds of nobody doing anything: the kind of each DOM
    change and the element it changed. A page at rest should change nothing: a change that keeps coming back
    is a loop, burning the DPO's CPU (and battery) for as long as the tab is open.
    """
    return list(page.evaluate("""(ms) => new Promise((done) => {
        const seen = [];
        const observer = new MutationObserver((changes) => {
            for (const c of changes) seen.push(`${c.type} ${c.target.nodeName}#${c.target.id || ''}`);
        });
        observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
        setTimeout(() => { observer.disconnect(); done(seen); }, ms);
    })""", ms))


def widget(page: Page, key: str) -> Locator:
    return page.locator(f".st-key-{key}")


def choose(page: Page, key: str, label: str) -> None:
    """Pick a radio option (or tick a check box) by its visible label."""
    widget(page, key).get_by_text(label, exact=True).click()
    settle(page)


def tick(page: Page, key: str) -> None:
    widget(page, key).locator("label").first.click()
    settle(page)


def type_into(page: Page, key: str, text: str) -> None:
    """Type an answer and leave the field, which commits it (as Tab does for a person)."""
    field = widget(page, key).locator("input, textarea").first
    field.fill(text)
    field.press("Tab")
    settle(page)


def go_to(page: Page, title: str) -> None:
    """A page of the app, by its title in the sidebar navigation."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    settle(page)
