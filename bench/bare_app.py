"""The bare page of the browser benchmark: the app's pages drawn with the same widgets and nothing else.

A plain Streamlit script that draws, from a layout file made by ``bench_browser.layout`` (the shipped bank
and sample as the app shows them), the same elements as the app: per visible question the same widget
with the same labels and options, showing the same answer, and its notes line; the section's comment
button; the sidebar's switches, progress and contents; the results page's summary, chart, matrix, findings
and closed action plan. It keeps no answers, saves nothing and evaluates nothing, so the difference to the
app is what the app's own work costs. Run: streamlit run bench/bare_app.py -- LAYOUT.json; or import it,
``use`` a layout and call ``main`` once per run (bench/bench_ui.py, in AppTest).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

LAYOUT: dict[str, Any] = {}
SECTIONS: dict[str, dict[str, Any]] = {}


def use(path: Path) -> None:
    """Draw the layout in the JSON file ``path`` (read once: later calls keep the first)."""
    if not LAYOUT:
        LAYOUT.update(json.loads(path.read_text(encoding="utf-8")))
        SECTIONS.update({s["id"]: s for s in LAYOUT["sections"]})


def question(q: dict[str, Any], key: str) -> None:
    """One question: its widget showing the answer, then its notes (and its comment, when it has one)."""
    kind, label, options, tip, value = q["kind"], q["label"], q["options"], q["help"] or None, q.get("value")
    if kind == "radio":
        st.radio(label, options, index=value, horizontal=q["horizontal"], help=tip, key=key)
    elif kind == "selectbox":
        st.selectbox(label, options, index=value, help=tip, key=key)
    elif kind == "multiselect":
        st.multiselect(label, options, default=[options[i] for i in value or []], help=tip, key=key)
    elif kind == "checkboxes":
        st.markdown(label, help=tip)
        with st.container(key=key, gap="small", horizontal=q["horizontal"]):
            for i, option in enumerate(options):
                st.checkbox(option, value=i in (value or []), key=f"{key}--{i}")
    elif kind == "text":
        st.text_input(label, value=value or "", help=tip, key=key)
    elif kind == "long_text":
        st.text_area(label, value=value or "", help=tip, key=key, height=q.get("height", 68))
    elif kind == "number":
        st.number_input(label, value=value, help=tip, key=key)
    elif kind == "date":
        st.date_input(label, value=dt.date.fromisoformat(value) if value else None, help=tip, key=key)
    else:
        table(q, key, label, tip)
    if q["notes"] or q["said"]:
        st.caption(q["notes"] + ("  \n备注：已核对。" if q["said"] else ""))


def table(q: dict[str, Any], key: str, label: str, tip: str | None) -> None:
    """A table question: the read-only table, the row chooser, the row form and the file buttons."""
    st.markdown(label, help=tip)
    names = [c["label"] for c in q["columns"]]
    st.dataframe(pd.DataFrame([[f"{r}-{c}" for c in range(len(names))] for r in range(q["rows"])], columns=names),
                 hide_index=True, width="stretch", height=min(38 + 35 * q["rows"], 320))
    st.caption(f"{q['rows']} 行")
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("编辑行", ["新行", *range(q["rows"])], key=f"{key}--row", width=360)
    with st.form(key=f"{key}--form", border=True, enter_to_submit=False):
        columns = q["columns"]
        for start in range(0, len(columns), 3):
            for column, place in zip(columns[start:start + 3], st.columns(3, gap="small"), strict=False):
                name, kind = column["label"], column["kind"]
                if kind in ("radio", "selectbox"):
                    place.selectbox(name, column["options"], index=None, key=f"{key}--{name}")
                elif kind in ("multiselect", "checkboxes"):
                    place.multiselect(name, column["options"], key=f"{key}--{name}")
                elif kind == "long_text":
                    place.text_area(name, key=f"{key}--{name}", height=68)
                elif kind == "number":
                    place.number_input(name, value=None, key=f"{key}--{name}")
                elif kind == "date":
                    place.date_input(name, value=None, key=f"{key}--{name}")
                else:
                    place.text_input(name, key=f"{key}--{name}")
        st.form_submit_button("保存此行", type="primary", icon=":material/save:")
    with st.container(horizontal=True, vertical_alignment="center"):
        with st.popover("导入 / 导出", icon=":material/upload_file:"):
            st.caption("Excel / CSV")
        st.download_button("Excel", b"x", icon=":material/download:", key=f"{key}--xlsx")
        st.download_button("CSV", b"x", icon=":material/download:", key=f"{key}--csv")


def sidebar_head() -> None:
    """The open assessment's name (and organisation) and its save status, in a container as the app's."""
    st.markdown(f"**{LAYOUT['title']}**")
    if LAYOUT["organisation"]:
        st.caption(LAYOUT["organisation"])
    with st.container(key="status"):
        st.caption(f":green[:material/cloud_done:] {LAYOUT['saved']}")


def questionnaire() -> None:
    ids = list(SECTIONS)
    with st.sidebar:
        sidebar_head()
        st.divider()
        st.progress(0.5, text=LAYOUT["progress"])
        chosen = st.radio(LAYOUT["sections_label"], ids, key="section", format_func=lambda i: SECTIONS[i]["title"],
                          label_visibility="collapsed")
    section = SECTIONS[chosen]
    st.header(section["title"], anchor=False)
    if section["intro"]:
        st.caption(section["intro"])
    item = "-"
    if section["items"] != ["-"]:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            picked = st.segmented_control("境外接收方", section["items"], key="item", default=section["items"][0])
            st.button("添加", icon=":material/add:", key="add")
            st.button("删除", icon=":material/delete:", key="remove")
        item = picked if picked is not None else section["items"][0]
    st.progress(0.5, text=section["progress"])
    shown = section["questions"][str(item)]
    st.button("为本节问题添加备注或证据", icon=":material/edit_note:", type="tertiary", key="notes")
    if section["profile"]:
        asked, profile = st.columns([3, 2], gap="medium")
        with asked:
            for q in shown:
                question(q, f"{chosen}-{item}-{q['id']}")
        with profile, st.container(border=True):
            st.markdown("**目的地概况**")
            for text in section["profile"]:
                st.caption(text)
    else:
        for q in shown:
            question(q, f"{chosen}-{item}-{q['id']}")
    st.divider()
    with st.container(horizontal=True):
        st.button("上一节", icon=":material/arrow_back:", key="previous")
        st.button("下一节", icon=":material/arrow_forward:", key="next", type="primary")


def results() -> None:
    r = LAYOUT["results"]
    with st.sidebar:
        sidebar_head()
    st.title("评估结果", anchor=False)
    with st.container(border=True):
        a, b, c = st.columns(3)
        a.caption("评估结论")
        a.markdown("#### :orange[完成整改后可以继续出境]", anchors=False)
        b.caption("风险等级")
        b.markdown("#### :orange-badge[中]", anchors=False)
        c.caption("完成度")
        c.progress(0.9, text="90%")
        for reason in r["reasons"]:
            st.markdown(f"- {reason}")
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("各维度得分", anchor=False)
        st.caption("分数越高差距越大")
        rows, spec = r["chart"]
        st.vega_lite_chart(pd.DataFrame(rows), spec, width="stretch")
    with right:
        st.subheader("风险矩阵", anchor=False)
        st.caption("影响程度 × 可能性")
        st.html(r["matrix"])
    st.subheader("风险场景", anchor=False)
    for title, impact, likelihood in r["scenarios"]:
        with st.expander(f"{title} · 影响程度：中 · 可能性：中 · 风险：中 · 整改后继续", icon=":material/public:"):
            for reasons in (impact, likelihood):
                st.markdown("**原因**")
                st.markdown("\n".join(f"- {reason}" for reason in reasons) or "—")
    st.subheader("发现的问题", anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.multiselect("严重程度", ["high", "medium", "low"], default=["high", "medium", "low"], key="severity",
                       width=300)
        st.selectbox("境外接收方", ["", "A", "B"], key="who", width=220)
        st.selectbox("维度", ["", "A", "B"], key="where", width=260)
        st.toggle("仅阻断项", key="blocking")
    st.caption(f"{len(r['findings'])} 项")
    for i, (text, action) in enumerate(r["findings"]):
        with st.container(border=True):
            st.markdown(":orange-badge[中] :blue-badge[接收方]")
            st.markdown(f"**{text}**")
            st.markdown(f":material/build: {action}")
            st.page_link(QUESTIONNAIRE, label=f"问题 {i}", icon=":material/arrow_forward:")
    st.subheader("整改计划", anchor=False)
    st.caption("整改计划")
    with st.container(horizontal=True):
        for name in ("xlsx", "csv", "ics"):
            st.download_button(f"下载整改计划（{name}）", b"x", icon=":material/download:", key=f"plan-{name}")
    for i, title in enumerate(r["actions"]):
        box = st.expander(title, key=f"action-{i}", on_change="rerun")
        if box.open:
            with box:
                st.markdown("整改措施")
    st.subheader("未答的问题", anchor=False)
    if not r["missing"]:
        st.success("必答题均已回答。")
    for where, count in r["missing"]:
        with st.container(border=True):
            st.markdown(f"**{where}** :gray[({count})]")
            for i in range(count):
                st.page_link(QUESTIONNAIRE, label=f"问题 {i}", icon=":material/arrow_forward:")


def other() -> None:
    with st.sidebar:
        sidebar_head()
    st.title("其他", anchor=False)


QUESTIONNAIRE = st.Page(questionnaire, title="问卷", url_path="questionnaire", default=True,
                        icon=":material/checklist:")


def main() -> None:
    """One run of the page, as app.py is one run of the app."""
    # The app's page setup and menu: the same title, icon and layout, the same six pages with their icons.
    st.set_page_config(page_title="pipia · 个人信息保护影响评估", page_icon="🛡️", layout="wide")
    st.navigation([st.Page(other, title="评估列表", url_path="assessments", icon=":material/folder_open:"),
                   st.Page(other, title="出境路径", url_path="route", icon=":material/alt_route:"),
                   QUESTIONNAIRE,
                   st.Page(results, title="评估结果", url_path="results", icon=":material/analytics:"),
                   st.Page(other, title="审核与批准", url_path="review", icon=":material/fact_check:"),
                   st.Page(other, title="评估报告", url_path="report", icon=":material/description:")]).run()
    with st.sidebar:  # last, after the page, as in the app
        st.radio("语言", ["中文", "English"], key="lang", horizontal=True)


if __name__ == "__main__":  # streamlit run bench/bare_app.py -- LAYOUT.json (bench_ui imports it instead)
    use(Path(sys.argv[1]))
    main()
