"""Server-side rerun time of each questionnaire section of the shipped bank, next to a bare Streamlit page
with the same number of plain widgets, measured in the same run with Streamlit's AppTest.

For each section of the shipped sample assessment: a rerun in which one answer changes (the callback,
the save to SQLite with its scoring, and drawing the section), a rerun with no change, and a bare page of
as many plain text inputs in which one value changes. AppTest's own overhead is in every figure.
Prints the figures; asserts nothing (timings on shared machines are noisy). Run: python bench/bench_ui.py
"""

from __future__ import annotations

import itertools
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pipia.bank import Bank
from pipia.loader import load_bank

ROOT = Path(__file__).resolve().parents[1]
HARNESS = f"""
from pathlib import Path
import streamlit as st
exec(compile(Path({str(ROOT / "app.py")!r}).read_text(encoding="utf-8"), "app.py", "exec"))
"""
BARE = """
import streamlit as st
for i in range({count}):
    st.text_input(f"Question {{i}}", key=f"q{{i}}")
"""
REPEAT = 15
TARGET_MS = 100
WIDGETS = ("text_input", "text_area", "number_input", "radio", "checkbox", "selectbox", "multiselect",
           "date_input", "button", "popover", "segmented_control", "toggle", "arrow_data_frame")


def median_ms(action: Callable[[], object]) -> float:
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def answer_changer(at: AppTest, bank: Bank) -> Callable[[], object]:
    """A rerun in which one answer of the section changes, as a person's edit would."""
    counter = itertools.count()
    texts = [w.key for w in at.text_input if w.key and w.key.startswith("w-")]
    if texts:
        return lambda: at.text_input(key=texts[0]).input(f"answer {next(counter)}").run()
    key = next(w.key for w in at.radio if w.key and w.key.startswith("w-"))
    options = [o.value for o in bank.questions[key.rsplit("-", 1)[-1]].options]
    return lambda: at.radio(key=key).set_value(options[next(counter) % 2]).run()


def bare_page(count: int) -> Callable[[], object]:
    bare = AppTest.from_string(BARE.format(count=count), default_timeout=120)
    bare.run()
    counter = itertools.count()
    return lambda: bare.text_input(key="q0").input(f"answer {next(counter)}").run()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PIPIA_DATA_DIR"] = folder
        at = AppTest.from_string(HARNESS, default_timeout=120)
        at.run()
        next(b for b in at.button if (b.key or "").startswith("open-")).click()
        at.run()
        bank = load_bank(at.session_state["pipia.doc"].answers.bank.id).bank
        print(f"Shipped bank {bank.id} {bank.version}: {len(bank.questions)} questions in {len(bank.sections)} "
              f"sections; the sample assessment; medians of {REPEAT} reruns; target under {TARGET_MS} ms.")
        print(f"{'section':<40} {'widgets':>7} {'answer changed':>15} {'no change':>10} {'bare page':>10}")
        worst = 0.0
        for section in bank.sections:
            at.radio(key="pipia-section").set_value(section.id)
            at.run()
            count = sum(len(at.get(kind)) for kind in WIDGETS)
            changed = median_ms(answer_changer(at, bank))
            unchanged = median_ms(at.run)
            plain = median_ms(bare_page(count))
            worst = max(worst, changed)
            print(f"{section.title.en[:40]:<40} {count:>7} {changed:>12.1f} ms {unchanged:>7.1f} ms {plain:>7.1f} ms")
        print(f"Slowest section with an answer changed: {worst:.1f} ms "
              f"({'within' if worst < TARGET_MS else 'OVER'} the {TARGET_MS} ms target).")


if __name__ == "__main__":
    main()
