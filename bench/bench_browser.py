"""What a DPO waits for, measured in a real browser: the app next to a bare Streamlit page with the same widgets.

The app is started the README's way (``streamlit run app.py``) on the shipped sample assessment, beside a
bare page (``bench/bare_app.py``) that draws what the app shows for the sample, element for element, with
no logic: per section and recipient the visible questions with the widgets, labels, options and notes
the app gives them and the section's comment button, the sidebar's switches and progress, and the results
page's summary, chart, matrix, findings and closed action plan (``layout``). Both are driven alternately in Debian's
headless Chromium (Playwright) at 1280×800, and each action is timed from the click to the page being
idle again (Streamlit's script state back to "not running"). Prints medians; asserts nothing (timings on
a shared machine are noisy). Run: python bench/bench_browser.py [repeats]
"""

from __future__ import annotations

import functools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.e2e.drive import settle
from tests.e2e.server import ARGS, CHROMIUM, ROOT, STREAMLIT, Server

from pipia.answers.format import Answers, read
from pipia.assessment.evaluation import evaluate
from pipia.bank.format import Column, Question, Section
from pipia.bank.loader import load_bank
from pipia.files.resources import samples_dir
from pipia.route.rules import route_names
from pipia.ui import results, values
from pipia.ui.text import t

REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 7
TARGETS = {"answer": "≤ 300 ms", "switch section": "≤ 1.3 × bare", "switch recipient": "≤ 1.3 × bare",
           "switch page": "≤ 1.3 × bare"}
APP = '[data-testid="stApp"]'
BARE_ANSWER = '.st-key-recipient-0-recipient_affiliation [data-testid="stRadioOption"]'
# Marks the last change to the page, in the page's own clock. A run that ends within one frame never shows
# the script state "running", so the end of a run is found as the last change before a quiet spell.
WATCH = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__last = performance.now();
  new MutationObserver(() => { window.__last = performance.now(); })
    .observe(app, {attributes: true, childList: true, subtree: true, characterData: true});
}"""
QUIET_MS = 300
# Every drawn element of the page by its kind, to show the bare page draws what the app draws.
CENSUS = """() => {
  const kinds = {};
  for (const e of document.querySelectorAll('[data-testid="stElementContainer"] > [data-testid], '
      + '[data-testid="stVerticalBlock"], [data-testid="stHorizontalBlock"]')) {
    const kind = e.getAttribute('data-testid');
    kinds[kind] = (kinds[kind] || 0) + 1;
  }
  return kinds;
}"""


def layout(answers: Answers | None = None) -> dict[str, Any]:
    """What the app shows for the shipped sample (or ``answers`` to the same bank), in Chinese, as the bare
    page (bench/bare_app.py) draws it.

    Per section and recipient the questions the sample makes visible, each with the widget the app picks for
    it (radio or drop-down, checkboxes or multi-select, as ``pipia.ui.values`` decides), its label, help and
    notes line; per table question its columns and rows; the destination profile beside the destination
    questions; and the results page's reasons, dimensions (with the app's chart of their scores), risk matrix,
    scenarios, findings, actions and unanswered questions. Shapes: JSON-ready dicts and lists of strings and counts.
    """
    loaded = load_bank("pipia-certification")
    bank = loaded.bank
    if answers is None:
        answers, _ = read(next(iter(sorted(samples_dir().glob("*.yaml")))))
    evaluation = evaluate(bank, answers)
    state, result = evaluation.state, evaluation.result
    assert result is not None
    names = route_names(bank)

    def widget(q: Question | Column) -> dict[str, Any]:
        options = [o.label("zh") for o in q.options] if q.options else ["是", "否"]
        if q.type == "yes_no":
            return {"kind": "radio", "options": options, "horizontal": True}
        if q.type == "single_choice":
            radio = isinstance(q, Question) and values.use_radio(q)
            return {"kind": "radio" if radio else "selectbox", "options": options,
                    "horizontal": values.horizontal(q.options, "zh")}
        if q.type == "multiple_choice":
            boxes = isinstance(q, Question) and values.use_checkboxes(q)
            return {"kind": "checkboxes" if boxes else "multiselect", "options": options,
                    "horizontal": values.horizontal(q.options, "zh", many=True)}
        return {"kind": q.type, "options": [], "horizontal": False}

    def shown_value(q: Question, value: Any) -> Any:
        """The answer as the app's widget shows it (``values.to_widget``), in the bare page's terms: a choice's
        index (or indices) among the options drawn, a text, a number, a date in ISO form."""
        value = values.to_widget(q, value)
        keys = [o.value for o in q.options] if q.options else ["yes", "no"]  # as ``widget`` lists them
        if q.type in ("yes_no", "single_choice"):
            return keys.index(value) if value in keys else None
        if q.type == "multiple_choice":
            return [keys.index(v) for v in value]
        if q.type == "date":
            return value.isoformat() if value is not None else None
        return value if q.type in ("text", "long_text", "number") else None

    def shown(section: Section, item: int | None) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        number = bank.sections.index(section) + 1
        for slot in state.visible:
            if slot.section.id != section.id or slot.item != item:
                continue
            q = slot.question
            notes = []  # worded as the app words them (pipia.ui.widgets._words)
            if q.cites:
                cited = values.cite_list(loaded.sources, q.cites, "zh", short=True)
                notes.append(t("zh", "legal_basis_note", cited=values.escape_markdown(cited)))
            if q.show_if is not None:
                why = q.show_if.describe("zh", names)
                notes.append(t("zh", "shown_because", why=values.escape_markdown(why)))
            tip = [q.help("zh")] if q.help is not None else []
            if q.cites:
                tip.append(values.cite_list(loaded.sources, q.cites, "zh"))
            label = f"**{number}.{section.questions.index(q) + 1}** {q.text('zh')}"
            entry = {**widget(q), "id": q.id, "label": label + (" :red[\\*]" if q.required else ""),
                     "help": "\n\n".join(tip),
                     "notes": " · ".join(notes)}
            said = answers.response(q.id, item, section.repeat)
            entry["said"] = bool(said is not None and (said.comment or said.evidence))
            entry["value"] = shown_value(q, said.value if said is not None else None)
            if q.type == "long_text":  # sized to its answer, as the app sizes it
                entry["height"] = values.text_height(entry["value"] or "")
            if q.type == "table":
                rows = said
                entry["columns"] = [{**widget(c), "label": c.label("zh")} for c in q.columns]
                entry["rows"] = len(rows.value) if rows is not None and isinstance(rows.value, list) else 0
            out.append(entry)
        return out

    sections = []
    for section in bank.sections:
        items: list[Any] = list(range(len(answers.items(section.repeat)))) if section.repeat else ["-"]
        profile: list[str] = []
        if section.destination_from is not None and loaded.destinations is not None:
            first = answers.response(section.destination_from, 0, section.repeat)
            found = loaded.destinations.by_id.get(first.value) if first is not None else None
            if found is not None:
                profile = [found.name("zh"), found.summary("zh"), *(f.text("zh") for f in found.facts)]
        done, total = state.progress(section.id, items[0] if section.repeat else None)
        sections.append({"id": section.id, "title": section.title("zh"),
                         "intro": section.intro("zh") if section.intro is not None else "",
                         "items": items, "progress": f"{done}/{total}", "profile": profile,
                         "questions": {str(i): shown(section, None if i == "-" else i) for i in items}})
    missing: dict[tuple[str, int | None], int] = {}
    for slot in state.missing:
        missing[(slot.section.title("zh"), slot.item)] = missing.get((slot.section.title("zh"), slot.item), 0) + 1
    done, required = state.progress()
    return {
        "title": answers.meta.title or answers.meta.organisation,
        "organisation": answers.meta.organisation if answers.meta.title else "", "saved": t("zh", "status_saved"),
        "sections_label": t("zh", "sections"),
        "progress": f"{done}/{required}", "sections": sections,
        "results": {
            "reasons": [reason("zh") for reason in result.reasons],
            "dimensions": [d.label("zh") for d in result.dimensions],
            "chart": results.dimension_chart(result, "zh"),  # the app's chart and matrix, drawn alike
            "matrix": results.matrix_html(result, "zh"),
            "scenarios": [(s.recipient("zh"), [x.reason("zh") for x in s.impact_steps],
                           [x.reason("zh") for x in s.likelihood_steps]) for s in result.scenarios],
            "findings": [(f.text("zh"), f.action("zh")) for f in result.findings],
            "actions": [f.text("zh")[:120] for f in result.findings],
            "missing": [(where, min(count, 12)) for (where, _), count in missing.items()],
        },
    }


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
        shape = work / "layout.json"
        shape.write_text(json.dumps(layout(), ensure_ascii=False), encoding="utf-8")
        app = Server(work / "data", work / "app.log")
        plain = Server(work / "bare-data", work / "bare.log")
        app.start()
        plain_cmd = [str(STREAMLIT), "run", str(ROOT / "bench" / "bare_app.py")]
        _start_bare(plain, plain_cmd, shape)
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
                other.locator('[data-testid="stSidebar"] label').filter(has_text="七、境外接收方").first.click()
                settle(other)
                census = {"recipient section": [mine.evaluate(CENSUS), other.evaluate(CENSUS)]}
                for page, name in ((mine, "评估结果"), (other, "评估结果")):
                    page.locator('[data-testid="stSidebarNav"]').get_by_text(name, exact=True).click()
                    settle(page)
                census["results page"] = [mine.evaluate(CENSUS), other.evaluate(CENSUS)]
                for page in (mine, other):
                    page.locator('[data-testid="stSidebarNav"]').get_by_text("问卷", exact=True).click()
                    settle(page)
                    page.evaluate(WATCH)
                drive = {
                    "app": actions(mine, ("七、境外接收方", "三、拟出境个人信息情况"), ".st-key-pipia-item-recipients",
                                   ("评估结果", "问卷"),
                                   ".st-key-w-recipients-0-recipient_affiliation [data-testid=stRadioOption]"),
                    "bare": actions(other, ("七、境外接收方", "三、拟出境个人信息情况"), ".st-key-item",
                                    ("评估结果", "问卷"), BARE_ANSWER),
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
    print("elements drawn, app / bare page (every kind that differs, then the totals)")
    for where, (app_kinds, bare_kinds) in census.items():
        differ = {k: (app_kinds.get(k, 0), bare_kinds.get(k, 0)) for k in sorted({*app_kinds, *bare_kinds})
                  if app_kinds.get(k, 0) != bare_kinds.get(k, 0)}
        print(f"  {where}: {sum(app_kinds.values())} / {sum(bare_kinds.values())}  "
              + ", ".join(f"{k} {a}/{b}" for k, (a, b) in differ.items()))
    print(f"browser timings, click to idle, median of {REPEAT * 2} (alternating app and bare page), ms")
    print(f"{'action':<18}{'app':>8}{'bare':>8}{'ratio':>8}  target")
    for name, target in TARGETS.items():
        mine_ms = statistics.median(times["app"][name])
        bare_ms = statistics.median(times["bare"][name])
        print(f"{name:<18}{mine_ms:8.0f}{bare_ms:8.0f}{mine_ms / bare_ms:8.2f}  {target}")
    return 0


def _to_section(page: Page, who: str, i: int) -> None:
    """Answer and recipient switches are timed on the recipient section: go back there if a switch left it."""
    label = "七、境外接收方"
    sidebar = page.locator('[data-testid="stSidebar"]')
    if not page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').filter(has_text="问卷").count():
        page.locator('[data-testid="stSidebarNav"]').get_by_text("问卷", exact=True).click()
        settle(page)
    checked = sidebar.locator("label").filter(has_text=label).first
    if not checked.locator("input:checked").count():
        checked.click()
        settle(page)


def _start_bare(server: Server, command: list[str], shape: Path) -> None:
    """The bare page started like the app (same flags), from its own folder, drawing ``shape``."""
    with server.log.open("ab") as out:
        server.process = subprocess.Popen(
            [*command, "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={server.port}",
             "--browser.gatherUsageStats=false", "--", str(shape)], cwd=ROOT, env=dict(os.environ), stdout=out,
            stderr=subprocess.STDOUT)
    server.wait_until_healthy()


if __name__ == "__main__":
    sys.exit(main())
