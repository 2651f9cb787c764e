"""Server-side rerun time of questionnaire sections, against a bare Streamlit page with the same widgets,
measured in the same run with Streamlit's AppTest, alternating, medians quoted.

For each section of the shipped sample assessment: a rerun in which one answer changes (the callback, the
save with its summary, and drawing the section), a rerun with no change, and a bare page holding as many
widgets of each kind as the section (text inputs, radios, data editors, popovers, ...) in which one
text changes; the bare page also holds the section's other elements (the notes under each question, its
progress bar, headings) and as many layout containers. Then the recipients section with 5 and with 50
recipients, against the browser benchmark's bare page (bench/bare_app.py), which draws what the app shows
for the same answers element for element (the same widgets with their labels, options, help, notes and
answers, the recipients' switch with every recipient, the sidebar) and keeps, saves and evaluates nothing;
both pages' census of elements is printed. The app's cost should grow with the recipients as the bare page's does
(linear), within 1.5x of it.
AppTest's own overhead is in every figure. Prints figures; asserts nothing. Run: python bench/bench_ui.py
(PIPIA_BENCH_CLOCK=cpu: by CPU time, for a machine shared with other work).
"""

from __future__ import annotations

import atexit
import functools
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from pipia.answers.format import Answers
from pipia.bank.format import Bank
from pipia.bank.loader import load_bank
from pipia.store import Store, default_url

ROOT = Path(__file__).resolve().parents[1]


def harness(module: str) -> str:
    """AppTest's main script that runs ``module.main()``.

    Every page AppTest runs here, the app's and the bare ones, is a module imported once whose main() is called
    at every run, by a main script of the same two lines: AppTest compiles its main script again at every rerun
    (a new ScriptCache per run, where a server compiles its script once), so a longer one for one side would be
    counted as that side's cost.
    """
    return f"import {module}\n{module}.main()"


# The app: app.py compiled once and run as a server runs it, in fresh globals at every run; a page can be
# opened directly (AppTest has no sidebar to click).
HARNESS = harness("pipia_bench_app")
REPEAT = int(os.environ.get("PIPIA_BENCH_RUNS", "31"))
# PIPIA_BENCH_CLOCK=cpu times each rerun by the process's CPU time (every thread: AppTest runs the script in
# its own) rather than the wall clock: on a machine others share, waiting for a core is not the app's cost.
CPU = os.environ.get("PIPIA_BENCH_CLOCK") == "cpu"
CLOCK = time.process_time if CPU else time.perf_counter
TARGET_MS = 100
RECIPIENT_GOAL = 1.5
# AppTest's element types of the widgets a section draws ("dataframe" is st.data_editor in Streamlit 1.5x+).
WIDGETS = ("text_input", "text_area", "number_input", "radio", "checkbox", "selectbox", "multiselect",
           "date_input", "button", "popover", "segmented_control", "toggle", "dataframe")
# The same widgets on a bare page, one line of Streamlit each.
BARE_WIDGET = {
    "text_input": 'st.text_input("Question {i}", key="k{i}")',
    "text_area": 'st.text_area("Question {i}", key="k{i}")',
    "number_input": 'st.number_input("Question {i}", key="k{i}")',
    "radio": 'st.radio("Question {i}", ["yes", "no"], key="k{i}", index=None)',
    "checkbox": 'st.checkbox("Option {i}", key="k{i}")',
    "selectbox": 'st.selectbox("Question {i}", ["a", "b", "c"], key="k{i}", index=None)',
    "multiselect": 'st.multiselect("Question {i}", ["a", "b", "c"], key="k{i}")',
    "date_input": 'st.date_input("Question {i}", value=None, key="k{i}")',
    "button": 'st.button("Action {i}", key="k{i}")',
    "popover": 'st.popover("More {i}", key="k{i}")',
    "segmented_control": 'st.segmented_control("Item {i}", ["a", "b", "c"], key="k{i}")',
    "toggle": 'st.toggle("Option {i}", key="k{i}")',
    "dataframe": ('st.data_editor(pd.DataFrame({{"item": ["a", "b"], "count": [1, 2]}}), key="k{i}", '
                  'num_rows="dynamic")'),
}


# What a page shows besides its widgets, one line of Streamlit each: a bare page with the widgets alone
# would leave out the notes under each question and the layout that holds them.
BARE_ELEMENT = {
    "caption": 'st.caption("A note under question {i}")',
    "markdown": 'st.markdown("**Text {i}**")',
    "progress": 'st.progress(0.5, text="1/2")',
    "divider": "st.divider()",
    "header": 'st.header("Section {i}")',
}


def census(at: AppTest) -> str:
    """The widgets and other elements a page drew, as ``kind count`` pairs: the fairness of a bare page
    can be read off it beside the app's."""
    drawn = widgets(at) + elements(at)
    return ", ".join(f"{kind} {n}" for kind, n in sorted(drawn.items()))


def widgets(at: AppTest) -> Counter[str]:
    return Counter({kind: len(at.get(kind)) for kind in WIDGETS if at.get(kind)})


def elements(at: AppTest) -> Counter[str]:
    """How many of each other element (``BARE_ELEMENT``) and layout container the page holds."""
    found: Counter[str] = Counter()
    pending: list[Any] = [at.main, at.sidebar]
    while pending:
        node = pending.pop()
        if node.type in BARE_ELEMENT or node.type == "flex_container":
            found[node.type] += 1
        pending.extend(getattr(node, "children", {}).values())
    return found


_PAGES = itertools.count()


@functools.cache
def _page_folder() -> Path:
    """A folder on the import path for the bare pages' modules, removed when the benchmark ends."""
    folder = Path(tempfile.mkdtemp(prefix="pipia-bench-pages-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    sys.path.insert(0, str(folder))
    return folder


def bare_page(counts: Counter[str], others: Counter[str] | None = None) -> Callable[[], object]:
    """A page with the same widgets; a rerun in which its first text input changes. ``others``: the page's
    other elements and layout containers (``elements``), drawn too, each container holding one element."""
    body: list[str] = []
    n = itertools.count()
    for kind, count in counts.items():
        body += [BARE_WIDGET[kind].format(i=next(n)) for _ in range(count - (kind == "text_input"))]
    others = others or Counter()
    for kind, count in others.items():
        if kind in BARE_ELEMENT:
            body += [BARE_ELEMENT[kind].format(i=next(n)) for _ in range(count)]
    lines = ["import pandas as pd", "import streamlit as st", "def main():",
             '    st.text_input("Changed", key="changed")']
    for i in range(others["flex_container"]):
        lines += [f'    with st.container(key="c{i}"):', f"        {body.pop(0) if body else 'pass'}"]
    lines += [f"    {line}" for line in body]
    # The page is a function in a module, imported once, as pipia's pages are: AppTest compiles its main
    # script again at every rerun (a new ScriptCache per run; a server compiles it once), which for a page
    # written out line by line costs about a third of its rerun and would flatter any ratio against it.
    name = f"bare_page_{next(_PAGES)}"
    (_page_folder() / f"{name}.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    bare = AppTest.from_string(harness(name), default_timeout=120)
    bare.run()
    counter = itertools.count()
    return lambda: bare.text_input(key="changed").input(f"answer {next(counter)}").run()


def drawn_bare_page(answers: Answers, section: str) -> tuple[AppTest, Callable[[], object]]:
    """The browser benchmark's bare page (bench/bare_app.py) at ``section``'s first item, drawing what the app
    shows for ``answers`` element for element: the same widgets showing the same answers, with the same labels,
    options, help and notes, the same sidebar. With a rerun in which one of the section's text answers changes."""
    import bench_browser  # noqa: PLC0415 - its Playwright is needed only here

    count = next(_PAGES)
    folder = _page_folder()
    shape = folder / f"bare_layout_{count}.json"
    shape.write_text(json.dumps(bench_browser.layout(answers), ensure_ascii=False), encoding="utf-8")
    # Imported once and called at every run, as the app's pages are (see bare_page).
    shutil.copyfile(ROOT / "bench" / "bare_app.py", folder / f"bare_app_{count}.py")
    (folder / f"bare_run_{count}.py").write_text(
        f"import bare_app_{count} as page\npage.use(page.Path({str(shape)!r}))\n\n\ndef main():\n    page.main()\n",
        encoding="utf-8")
    bare = AppTest.from_string(harness(f"bare_run_{count}"), default_timeout=120)
    bare.run()
    bare.radio(key="section").set_value(section).run()
    key = next(w.key for w in bare.text_input
               if w.key and w.key.startswith(f"{section}-") and not w.key.endswith("recipient_name"))
    counter = itertools.count()
    return bare, lambda: bare.text_input(key=key).input(f"answer {next(counter)}").run()


def answer_changer(at: AppTest, bank: Bank) -> Callable[[], object]:
    """A rerun in which one answer of the section changes, as a person's edit would."""
    counter = itertools.count()

    def text_key() -> str | None:
        # Not a recipient's name: that renames the recipient's tab too.
        return next((w.key for w in at.text_input if w.key and w.key.startswith("w-")
                     and not w.key.endswith("recipient_name")), None)

    def type_answer() -> object:
        key = text_key()
        assert key is not None
        return at.text_input(key=key).input(f"answer {next(counter)}").run()

    if text_key() is not None:
        return type_answer
    key = next(w.key for w in at.radio if w.key and w.key.startswith("w-"))
    options = [o.value for o in bank.questions[key.rsplit("-", 1)[-1]].options]
    return lambda: at.radio(key=key).set_value(options[next(counter) % 2]).run()


def alternating(actions: dict[str, Callable[[], object]]) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(REPEAT):
        for name, action in actions.items():
            start = CLOCK()
            action()
            times[name].append((CLOCK() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def open_section(at: AppTest, section: str) -> None:
    at.session_state["test.goto"] = "questionnaire"
    at.run()
    at.radio(key="pipia-section").set_value(section)
    at.run()


def with_recipients(answers: Answers, count: int) -> Answers:
    first = answers.items("recipients")[0]
    answers = Answers.model_validate({**answers.model_dump(), "repeats": {
        **answers.repeats, "recipients": answers.items("recipients")[:1]}})
    while len(answers.items("recipients")) < count:
        answers = answers.with_item("recipients")
        item = len(answers.items("recipients")) - 1
        for qid, response in first.items():
            answers = answers.with_response(qid, response, "recipients", item)
    return answers


def app_module() -> None:
    """The module HARNESS imports: app.py compiled once, run at every call of its main()."""
    (_page_folder() / "pipia_bench_app.py").write_text(
        "from pathlib import Path\n"
        "import streamlit as st\n"
        "from pipia.ui import nav, session\n"
        f"CODE = compile(Path({str(ROOT / 'app.py')!r}).read_text(encoding='utf-8'), 'app.py', 'exec')\n"
        "def main():\n"
        "    goto = st.session_state.pop('test.goto', None)\n"
        "    if goto is not None:\n"
        "        st.switch_page(nav.page(goto, session.lang()))\n"
        "    exec(CODE, {'__name__': '__main__'})\n",
        encoding="utf-8")


def main() -> None:
    app_module()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PIPIA_DATA_DIR"] = folder
        at = AppTest.from_string(HARNESS, default_timeout=120)
        at.run()
        with Store(default_url()) as store:
            sample = store.list_assessments()[0]
        at.button(key=f"open-{sample.id}").click()
        at.run()
        bank = load_bank(sample.bank_id).bank
        print(f"Shipped bank {bank.id} {bank.version}: {len(bank.questions)} questions in {len(bank.sections)} "
              f"sections; the sample assessment; medians of {REPEAT} alternating reruns ({'CPU' if CPU else 'wall'} "
              f"time); target under {TARGET_MS} ms.")
        print(f"{'section':<40} {'widgets':>7} {'answer changed':>15} {'no change':>10} {'bare page':>10}")
        worst = 0.0
        for section in bank.sections:
            open_section(at, section.id)
            counts = widgets(at)
            figures = alternating({"changed": answer_changer(at, bank), "unchanged": at.run,
                                   "bare": bare_page(counts, others=elements(at))})
            worst = max(worst, figures["changed"])
            print(f"{section.title.en[:40]:<40} {sum(counts.values()):>7} {figures['changed']:>12.1f} ms "
                  f"{figures['unchanged']:>7.1f} ms {figures['bare']:>7.1f} ms")
        print(f"Slowest section with an answer changed: {worst:.1f} ms "
              f"({'within' if worst < TARGET_MS else 'OVER'} the {TARGET_MS} ms target).")
        section = next(s for s in bank.sections if s.repeat == "recipients")
        rows = {}
        for count in (5, 50):
            with Store(default_url()) as store:
                current = store.get(sample.id)
                store.save(sample.id, with_recipients(current.answers, count), current.revision)
            at = AppTest.from_string(HARNESS, default_timeout=120)
            at.run()
            at.button(key=f"open-{sample.id}").click()
            at.run()
            open_section(at, section.id)
            bare_at, bare_rerun = drawn_bare_page(with_recipients(current.answers, count), section.id)
            figures = alternating({"changed": answer_changer(at, bank), "bare": bare_rerun})
            rows[count] = figures
            ratio = figures["changed"] / figures["bare"]
            print(f"recipient section rerun, {count} recipients: pipia {figures['changed']:6.0f} ms   bare page "
                  f"drawing the same elements {figures['bare']:6.0f} ms   ratio {ratio:4.2f}   "
                  f"goal <= {RECIPIENT_GOAL}: {'met' if ratio <= RECIPIENT_GOAL else 'NOT met'}")
            print(f"  elements drawn, pipia / bare page: {census(at)} / {census(bare_at)}")
        ours = rows[50]["changed"] / rows[5]["changed"]
        bare = rows[50]["bare"] / rows[5]["bare"]
        print(f"recipient section from 5 to 50 recipients: pipia x{ours:.2f}, bare page x{bare:.2f} "
              f"({'linear' if ours <= bare * 1.25 else 'grows faster than the bare page'})")


if __name__ == "__main__":
    main()
