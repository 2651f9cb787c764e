"""The assessment list with 1,000 assessments, against a bare Streamlit page drawing the same rows.

Both run under Streamlit's AppTest in this process, alternating, medians quoted. The bare page draws the
page's widgets (the new-assessment form and the import box, folded; the search, the archive toggle, the
page number and the column headings) and, for each row the list shows, the same elements (a bordered
container, five columns, the title's Markdown and caption, the time, a progress bar, a badge, an Open
button and a closed popover) from a list of summaries read beforehand: what a plain Streamlit list of
those rows costs. The list is also
timed with 100 assessments: a paged list costs the same whatever the number stored (linear in the rows
shown). Prints figures; asserts nothing. Run: python bench/bench_list.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
HARNESS = f"""
from pathlib import Path
import streamlit as st
exec(compile(Path({str(ROOT / "app.py")!r}).read_text(encoding="utf-8"), "app.py", "exec"))
"""
BARE = """
import datetime as dt
import streamlit as st
rows = st.session_state["rows"]
st.title("Assessments")
st.caption("Start, import or open an assessment.")
new, upload = st.columns(2)
with new, st.expander("New assessment", icon=":material/add:"), st.form("new", border=False):
    st.radio("Bank", range(2), captions=["", ""], key="bank")
    st.caption("Which bank")
    st.text_input("Organisation", key="organisation")
    st.text_input("Title", key="title")
    people = st.columns(3)
    for i, column in enumerate(people):
        column.text_input(f"Person {i}", key=f"person-{i}")
    st.date_input("Date", value=dt.date(2026, 1, 1), format="YYYY-MM-DD", key="date")
    st.form_submit_button("Create", type="primary")
with upload, st.expander("Import", icon=":material/upload_file:"):
    st.caption("An answers file")
    st.file_uploader("Answers file", type=["yaml", "yml", "json"], key="import")
st.subheader("Your assessments")
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.text_input("Search", key="search", width=320)
    st.toggle("Show archived", key="archived")
with st.container(horizontal=True, vertical_alignment="bottom"):
    st.number_input("Page", min_value=1, max_value=st.session_state["pages"], step=1, key="page", width=140)
    st.caption(f"1-{len(rows)} of {st.session_state['total']}")
for column, heading in zip(st.columns([4, 1.6, 1.6, 1.4, 2]), ("Assessment", "Changed", "Complete", "Risk", "")):
    if heading:
        column.caption(f"**{heading}**")
for r in rows:
    with st.container(border=True, key=f"row-{r['id']}"):
        name, changed, complete, risk, actions = st.columns([4, 1.6, 1.6, 1.4, 2], vertical_alignment="center")
        name.markdown(f"**{r['title']}**")
        name.caption(f"{r['organisation']} · {r['bank']}")
        changed.write(r["changed"])
        complete.progress(0.5, text="1/2")
        risk.markdown(":orange-badge[medium]")
        with actions, st.container(horizontal=True, horizontal_alignment="right"):
            st.button("Open", key=f"open-{r['id']}", type="primary")
            with st.popover("", icon=":material/more_horiz:", key=f"menu-{r['id']}", on_change="rerun") as menu:
                pass
"""
RUNS = int(os.environ.get("PIPIA_BENCH_RUNS", "7"))
GOAL = 1.3


def median(action: Callable[[], object], times: list[float]) -> None:
    started = time.perf_counter()
    action()
    times.append(time.perf_counter() - started)


def fill(count: int) -> None:
    from pipia.bank.loader import load_bank  # noqa: PLC0415
    from pipia.store import Store, default_url  # noqa: PLC0415
    from pipia.ui.summary import store_summary  # noqa: PLC0415

    with Store(default_url()) as store:
        first = store.list_assessments()[0]
        answers = store.get(first.id).answers
        completeness, risk = store_summary(load_bank(first.bank_id).bank, answers)
        have = len(store.list_assessments(include_archived=True))
        for i in range(have, count):
            store.create(answers, title=f"Assessment {i:04d}", completeness=completeness, risk=risk)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PIPIA_DATA_DIR"] = folder
        app = AppTest.from_string(HARNESS, default_timeout=300)
        app.run()  # seeds the sample
        figures: dict[int, float] = {}
        bare_ms = 0.0
        for count in (100, 1000):
            fill(count)
            app.run()
            shown = len([b for b in app.button if (b.key or "").startswith("open-")])
            bare = AppTest.from_string(BARE, default_timeout=300)
            bare.session_state["total"] = count
            bare.session_state["pages"] = -(-count // 25)
            bare.session_state["rows"] = [{"id": f"r{i}", "title": f"Assessment {i:04d}", "organisation": "Org",
                                           "bank": "Bank · 1.0.0", "changed": "2026-01-01 10:00"}
                                          for i in range(shown)]
            bare.run()
            ours: list[float] = []
            base: list[float] = []
            for _ in range(RUNS):
                median(app.run, ours)
                median(bare.run, base)
            figures[count] = statistics.median(ours) * 1000
            bare_ms = statistics.median(base) * 1000
            ratio = figures[count] / bare_ms
            print(f"assessment list, {count:,} assessments ({shown} rows shown): pipia {figures[count]:6.0f} ms   "
                  f"bare page with the same rows {bare_ms:6.0f} ms   ratio {ratio:4.2f}   goal <= {GOAL}: "
                  f"{'met' if ratio <= GOAL else 'NOT met'}")
        growth = figures[1000] / figures[100]
        print(f"assessment list growth from 100 to 1,000 assessments: x{growth:.2f} (linear in rows shown: ~1)")


if __name__ == "__main__":
    main()
