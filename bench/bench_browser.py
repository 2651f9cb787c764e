"""What a DPO waits for, measured in a real browser: the app next to a bare Streamlit page with the same widgets.

The app is started the README's way (``streamlit run app.py``) on the shipped sample assessment, and a
bare page is generated with, per section of the shipped bank, the same kinds and number of widgets, a
sidebar list of the sections, a recipient switch and five pages. Both are driven alternately in Debian's
headless Chromium (Playwright) at 1280×800, and each action is timed from the click to the page being
idle again (Streamlit's script state back to "not running"). Prints medians; asserts nothing (timings on
a shared machine are noisy). Run: python bench/bench_browser.py [repeats]
"""

from __future__ import annotations

import functools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.drive import settle
from tests.e2e.server import ARGS, CHROMIUM, ROOT, STREAMLIT, Server

from pipia.bank.loader import load_bank

REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 7
TARGETS = {"answer": "≤ 300 ms", "switch section": "≤ 1.3 × bare", "switch recipient": "≤ 1.3 × bare",
           "switch page": "≤ 1.3 × bare"}
APP = '[data-testid="stApp"]'
BARE_ANSWER = '[data-testid="stMain"] [data-testid="stRadioOption"]'
# Marks the last change to the page, in the page's own clock. A run that ends within one frame never shows
# the script state "running", so the end of a run is found as the last change before a quiet spell.
WATCH = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__last = performance.now();
  new MutationObserver(() => { window.__last = performance.now(); })
    .observe(app, {attributes: true, childList: true, subtree: true, characterData: true});
}"""
QUIET_MS = 300


def bare_script() -> str:
    """A plain Streamlit app with the shipped bank's sections as plain widgets, no saving, no logic."""
    bank = load_bank("pipia-certification").bank
    kinds = {s.id: [q.type for q in s.questions] for s in bank.sections}
    return textwrap.dedent(f"""
        import streamlit as st
        KINDS = {kinds!r}
        def questionnaire():
            ids = list(KINDS)
            with st.sidebar:
                section = st.radio("Sections", ids, key="section")
            if section in ("recipient", "destination_law"):
                st.segmented_control("Recipients", [0, 1], key="item", default=0)
            for i, kind in enumerate(KINDS[section]):
                key = f"{{section}}-{{st.session_state.get('item', 0)}}-{{i}}"
                if kind in ("single_choice", "yes_no"):
                    st.radio(f"Q{{i}}", ["a", "b", "c"], index=None, key=key, horizontal=True)
                elif kind == "multiple_choice":
                    st.multiselect(f"Q{{i}}", ["a", "b", "c"], key=key)
                elif kind == "long_text":
                    st.text_area(f"Q{{i}}", key=key)
                elif kind == "number":
                    st.number_input(f"Q{{i}}", value=None, key=key)
                elif kind == "date":
                    st.date_input(f"Q{{i}}", value=None, key=key)
                elif kind == "table":
                    st.dataframe([{{"a": j, "b": "x"}} for j in range(10)])
                else:
                    st.text_input(f"Q{{i}}", key=key)
        def other():
            st.title("Results")
            st.dataframe([{{"a": j}} for j in range(10)])
        pages = [st.Page(other, title="Assessments", url_path="assessments"),
                 st.Page(other, title="Route", url_path="route"),
                 st.Page(questionnaire, title="Questionnaire", url_path="questionnaire", default=True),
                 st.Page(other, title="Results", url_path="results"),
                 st.Page(other, title="Report", url_path="report")]
        st.navigation(pages).run()
    """)


def timed(page: Page, action: Callable[[], None]) -> float:
    """Milliseconds from the click to the page's last change before it was idle for QUIET_MS (a second run,
    such as a page switch, counts too)."""
    start = page.evaluate("performance.now()")
    action()
    page.wait_for_function(f"() => window.__last > {start} && performance.now() - window.__last > {QUIET_MS}"
                           f" && document.querySelector('{APP}').getAttribute('data-test-script-state')"
                           " === 'notRunning'", timeout=60_000, polling=50)
    return float(page.evaluate("window.__last")) - float(start)


def actions(page: Page, sections: tuple[str, str], recipients: str, pages: tuple[str, str],
            answer: str) -> dict[str, Callable[[int], None]]:
    sidebar = page.locator('[data-testid="stSidebar"]')
    nav = page.locator('[data-testid="stSidebarNav"]')
    return {
        # Always the option, section or recipient not shown now, so every click starts a run.
        "answer": lambda i: page.locator(answer).filter(has_not=page.locator("input:checked")).first.click(),
        "switch section": lambda i: sidebar.locator("label").filter(has_text=sections[(i + 1) % 2]).first.click(),
        "switch recipient": lambda i: page.locator(recipients).locator("button").nth((i + 1) % 2).click(),
        "switch page": lambda i: nav.get_by_text(pages[i % 2], exact=True).click(),
    }


def main() -> int:
    if not CHROMIUM.exists():
        print(f"browser benchmark skipped: needs Debian's chromium at {CHROMIUM}")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        bare = work / "bare.py"
        bare.write_text(bare_script(), encoding="utf-8")
        app = Server(work / "data", work / "app.log")
        plain = Server(work / "bare-data", work / "bare.log")
        app.start()
        plain_cmd = [str(STREAMLIT), "run", str(bare)]
        _start_bare(plain, plain_cmd)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                mine = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN").new_page()
                other = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
                mine.goto(app.url)
                settle(mine)
                mine.locator('[class*="st-key-open-"] button').first.click()
                settle(mine)
                assessment = re.search(r"[?&]a=([0-9a-f]+)", mine.url)
                assert assessment
                mine.goto(f"{app.url}/questionnaire?a={assessment.group(1)}&s=recipient")
                other.goto(plain.url)  # the bare page's default page is the questionnaire
                settle(mine)
                settle(other)
                other.locator('[data-testid="stSidebar"] label').filter(has_text="recipient").first.click()
                settle(other)
                for page in (mine, other):
                    page.evaluate(WATCH)
                drive = {
                    "app": actions(mine, ("七、境外接收方", "三、拟出境个人信息情况"), ".st-key-pipia-item-recipients",
                                   ("评估结果", "问卷"),
                                   ".st-key-w-recipients-0-recipient_affiliation [data-testid=stRadioOption]"),
                    "bare": actions(other, ("recipient", "data_inventory"), ".st-key-item",
                                    ("Results", "Questionnaire"), BARE_ANSWER),
                }
                times: dict[str, dict[str, list[float]]] = {k: {a: [] for a in TARGETS} for k in drive}
                for name in TARGETS:
                    for i in range(REPEAT * 2):
                        for who in (("app", "bare") if i % 2 == 0 else ("bare", "app")):
                            page = mine if who == "app" else other
                            if name in {"answer", "switch recipient"}:
                                _to_section(page, who, i)
                            step = drive[who][name]
                            times[who][name].append(timed(page, functools.partial(step, i)))
                browser.close()
        finally:
            app.stop()
            plain.stop()
    print(f"browser timings, click to idle, median of {REPEAT * 2} (alternating app and bare page), ms")
    print(f"{'action':<18}{'app':>8}{'bare':>8}{'ratio':>8}  target")
    for name, target in TARGETS.items():
        mine_ms = statistics.median(times["app"][name])
        bare_ms = statistics.median(times["bare"][name])
        print(f"{name:<18}{mine_ms:8.0f}{bare_ms:8.0f}{mine_ms / bare_ms:8.2f}  {target}")
    return 0


def _to_section(page: Page, who: str, i: int) -> None:
    """Answer and recipient switches are timed on the recipient section: go back there if a switch left it."""
    label = "七、境外接收方" if who == "app" else "recipient"
    sidebar = page.locator('[data-testid="stSidebar"]')
    if not page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').filter(
            has_text=re.compile("问卷|Questionnaire")).count():
        page.locator('[data-testid="stSidebarNav"]').get_by_text(
            "问卷" if who == "app" else "Questionnaire", exact=True).click()
        settle(page)
    checked = sidebar.locator("label").filter(has_text=label).first
    if not checked.locator("input:checked").count():
        checked.click()
        settle(page)


def _start_bare(server: Server, command: list[str]) -> None:
    """The bare page started like the app (same flags), from its own folder."""
    with server.log.open("ab") as out:
        server.process = subprocess.Popen(
            [*command, "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={server.port}",
             "--browser.gatherUsageStats=false"], cwd=ROOT, env=dict(os.environ), stdout=out,
            stderr=subprocess.STDOUT)
    server.wait_until_healthy()


if __name__ == "__main__":
    sys.exit(main())
