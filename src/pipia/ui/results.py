"""Results: the conclusion, dimension scores, the risk matrix with each scenario placed, findings with
their actions (filterable), and what is still missing, each linked to its question."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd
import streamlit as st

from pipia.assessment import risk
from pipia.assessment.scorecard import SEVERITY, conclusion_label
from pipia.assessment.scoring import Result
from pipia.assessment.visibility import Slot, State
from pipia.i18n import Lang
from pipia.ui import action_plan, nav, session
from pipia.ui.common import number, open_view
from pipia.ui.text import risk_badge, sentence, t
from pipia.ui.values import escape_markdown
from pipia.ui.widgets import View

CONCLUSION_COLOURS: Mapping[str, str] = MappingProxyType({
    "proceed": "green", "proceed_after_fixes": "orange", "do_not_proceed": "red", "incomplete": "gray"})
# Background of each risk level in the matrix (light, so names written on them stay readable).
CELL_COLOURS: Mapping[str, str] = MappingProxyType({
    "low": "#d7f0dd", "medium": "#fff1c2", "high": "#ffd8b0", "severe": "#ffc4c4"})
SEVERITY_COLOURS: Mapping[str, str] = MappingProxyType({"high": "orange", "medium": "yellow", "low": "gray"})
MISSING_PER_SECTION = 12


def page() -> None:
    """The results page: the GB/T 39335 risk level and conclusion, dimension scores and the risk matrix, the scenarios
    (overseas recipients), the findings, the action plan and the questions still unanswered.
    """
    lang = session.lang()
    st.title(t(lang, "page_results"), anchor=False)
    view = open_view(lang)
    if view is None:
        return
    bank = view.loaded.bank
    if bank.scoring is None:
        st.info(t(lang, "no_scoring"))
        return
    evaluation = view.evaluation
    state, result = evaluation.state, evaluation.result
    assert result is not None  # a bank with scoring parameters is always scored
    _summary(view, result, state)
    scores, matrix = st.columns(2, gap="large")
    with scores:
        _dimensions(view, result)
    with matrix:
        _matrix(view, result)
    _scenarios(view, result)
    _findings(view, result)
    action_plan.section(view, result)
    _missing(view, state)


def _summary(view: View, result: Result, state: State) -> None:
    lang = view.lang
    done, required = state.progress()
    level = result.overall_risk or result.provisional_risk
    with st.container(border=True, key="results-summary"):
        conclusion, level_box, complete = st.columns(3)
        conclusion.caption(t(lang, "conclusion"))
        conclusion.markdown(f"#### :{CONCLUSION_COLOURS[result.conclusion]}"
                            f"[{escape_markdown(sentence(conclusion_label(result)(lang)))}]", anchors=False)
        level_box.caption(t(lang, "overall_risk" if result.complete else "provisional_risk"))
        level_box.markdown(f"#### {risk_badge(level, lang)}" if level else "#### —", anchors=False)
        complete.caption(t(lang, "completeness"))
        complete.progress(done / required if required else 1.0, text=f"{done}/{required}")
        for reason in result.reasons:
            st.markdown(f"- {escape_markdown(reason(lang))}")


def _dimensions(view: View, result: Result) -> None:
    lang = view.lang
    st.subheader(t(lang, "dimension_scores"), anchor=False)
    st.caption(t(lang, "dimension_scores_hint"))
    rows, spec = dimension_chart(result, lang)
    if all(row["score"] is None for row in rows):
        st.caption(t(lang, "nothing_yet"))
        return
    st.vega_lite_chart(pd.DataFrame(rows), spec, width="stretch")


def dimension_chart(result: Result, lang: Lang) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The dimension scores' chart: its rows ({dimension, score 0-100 or None, shown}) and its Vega-Lite spec, a
    bar per dimension coloured from green to red with its score written beside it."""
    rows = [{"dimension": d.label(lang), "score": d.score, "shown": "—" if d.score is None else f"{d.score:g}"}
            for d in result.dimensions]
    spec = {
        "height": {"step": 28},
        "layer": [
            {"mark": {"type": "bar", "cornerRadiusEnd": 3},
             "encoding": {"color": {"field": "score", "type": "quantitative", "legend": None,
                                    "scale": {"domain": [0, 50, 100], "range": ["#5cb85c", "#f0ad4e", "#d9534f"]}}}},
            {"mark": {"type": "text", "align": "left", "dx": 4},
             "encoding": {"text": {"field": "shown"}}},
        ],
        "encoding": {
            "y": {"field": "dimension", "type": "nominal", "sort": None, "title": None,
                  "axis": {"labelLimit": 280}},
            "x": {"field": "score", "type": "quantitative", "scale": {"domain": [0, 100]},
                  "title": t(lang, "gap_score")},
        },
    }
    return rows, spec


def _matrix(view: View, result: Result) -> None:
    lang = view.lang
    st.subheader(t(lang, "risk_matrix"), anchor=False)
    st.caption(t(lang, "risk_matrix_hint"))
    st.html(matrix_html(result, lang))


def matrix_html(result: Result, lang: Lang) -> str:
    """GB/T 39335's matrix as an HTML table: impact down, likelihood across, each cell coloured by its risk
    level and naming the recipients whose scenario falls in it (every text escaped)."""
    placed: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in result.scenarios:
        placed[(s.impact, s.likelihood)].append(s.recipient(lang))
    head = "".join(f"<th>{html.escape(sentence(risk.label('likelihood', x)(lang)))}</th>" for x in risk.LIKELIHOODS)
    body = []
    for impact in reversed(risk.IMPACTS):
        cells = []
        for likelihood in risk.LIKELIHOODS:
            level = risk.risk_level(impact, likelihood)
            names = "".join(f'<div class="who">{html.escape(n)}</div>' for n in placed[(impact, likelihood)])
            cells.append(f'<td style="background:{CELL_COLOURS[level]}"><div class="lvl">'
                         f"{html.escape(sentence(risk.label('risk', level)(lang)))}</div>{names}</td>")
        body.append(f"<tr><th>{html.escape(sentence(risk.label('impact', impact)(lang)))}</th>{''.join(cells)}</tr>")
    return f"""
<style>
table.pipia-matrix {{border-collapse: collapse; width: 100%; font-size: 0.9rem; table-layout: fixed}}
table.pipia-matrix th, table.pipia-matrix td {{border: 1px solid #ccc; padding: 6px; vertical-align: top}}
table.pipia-matrix td {{height: 64px}}
table.pipia-matrix .lvl {{color: #555; font-size: 0.75rem}}
table.pipia-matrix .who {{font-weight: 600; font-size: 0.8rem; margin-top: 4px; line-height: 1.25}}
table.pipia-matrix caption {{caption-side: bottom; color: #666; font-size: 0.8rem; padding-top: 4px}}
</style>
<table class="pipia-matrix">
<caption>{html.escape(t(lang, "matrix_axes"))}</caption>
<tr><th></th>{head}</tr>
{''.join(body)}
</table>"""


def _scenarios(view: View, result: Result) -> None:
    lang = view.lang
    st.subheader(t(lang, "scenarios"), anchor=False)
    if not result.scenarios:
        st.caption(t(lang, "no_scenarios"))
        return
    for s in result.scenarios:
        title = " · ".join([escape_markdown(s.recipient(lang)),
                            t(lang, "impact_is", level=risk.label("impact", s.impact)(lang)),
                            t(lang, "likelihood_is", level=risk.label("likelihood", s.likelihood)(lang)),
                            t(lang, "risk_is", level=risk.label("risk", s.risk)(lang)),
                            sentence(risk.label("treatment", s.treatment)(lang))])
        with st.expander(title, icon=":material/public:"):
            st.markdown(f"**{t(lang, 'impact_reasons')}**")
            st.markdown("\n".join(f"- {escape_markdown(x.reason(lang))}" for x in s.impact_steps) or "—")
            st.markdown(f"**{t(lang, 'likelihood_reasons')}**")
            st.markdown("\n".join(f"- {escape_markdown(x.reason(lang))}" for x in s.likelihood_steps) or "—")


@st.fragment
def _findings(view: View, result: Result) -> None:
    # A fragment: changing a filter redraws this list only, without scoring the answers again.
    lang, bank = view.lang, view.loaded.bank
    st.subheader(t(lang, "findings"), anchor=False)
    if not result.findings:
        st.caption(t(lang, "no_findings"))
        return
    dimensions = {d.id: d.label(lang) for d in bank.dimensions}
    recipients = sorted({f.recipient(lang) for f in result.findings if f.recipient})
    with st.container(horizontal=True, vertical_alignment="bottom"):
        severities = st.multiselect(t(lang, "severity"), ["high", "medium", "low"],
                                    default=["high", "medium", "low"],
                                    format_func=lambda x: sentence(SEVERITY[x](lang)), key="pipia-filter-severity",
                                    width=300)
        who = st.selectbox(t(lang, "recipient"), ["", *recipients], key="pipia-filter-recipient", width=220,
                           format_func=lambda x: x or t(lang, "all"))
        where = st.selectbox(t(lang, "dimension"), ["", *dimensions], key="pipia-filter-dimension", width=260,
                             format_func=lambda x: dimensions.get(x, t(lang, "all")))
        blocking = st.toggle(t(lang, "blocking_only"), key="pipia-filter-blocking")
    shown = [f for f in result.findings
             if f.severity in severities and (not who or (f.recipient is not None and f.recipient(lang) == who))
             and (not where or f.dimension == where)
             and (f.blocking or not blocking)]
    order = {"high": 0, "medium": 1, "low": 2}
    shown.sort(key=lambda f: (not f.blocking, order[f.severity]))
    st.caption(t(lang, "findings_count", shown=len(shown), total=len(result.findings)))
    questionnaire = nav.page(nav.QUESTIONNAIRE, lang)
    for number_, f in enumerate(shown, 1):
        with st.container(border=True, key=f"finding-{number_}"):
            marks = [f":red-badge[{t(lang, 'blocking')}]" if f.blocking else
                     f":{SEVERITY_COLOURS[f.severity]}-badge[{sentence(SEVERITY[f.severity](lang))}]"]
            if f.recipient:
                marks.append(f":blue-badge[{escape_markdown(f.recipient(lang))}]")
            if f.dimension in dimensions:
                marks.append(f":gray-badge[{escape_markdown(dimensions[f.dimension or ''])}]")
            st.markdown(" ".join(marks))
            st.markdown(f"**{escape_markdown(f.text(lang))}**")
            st.markdown(f":material/build: {escape_markdown(f.action(lang))}")
            if f.question in bank.questions:
                _question_link(view, questionnaire, f.question, f.item)


def _question_link(view: View, questionnaire: st.Page, question_id: str, item: int | None) -> None:
    doc = session.doc()
    assert doc is not None
    section = view.loaded.bank.section_of[question_id]
    params = {"a": doc.id, "s": section.id, "q": question_id}
    if item:
        params["i"] = str(item)
    label = f"{number(view, section, question_id)} {view.loaded.bank.questions[question_id].text(view.lang)}"
    st.page_link(questionnaire, label=_short(label), query_params=params, icon=":material/arrow_forward:")


def _missing(view: View, state: State) -> None:
    lang = view.lang
    st.subheader(t(lang, "missing"), anchor=False)
    if state.complete:
        st.success(t(lang, "nothing_missing"))
        return
    bank = view.loaded.bank
    for group in bank.repeat_groups:
        if len(view.answers.items(group.id)) < group.min_items:
            st.warning(t(lang, "too_few_items", what=group.label(lang), least=group.min_items))
    by_place: dict[tuple[str, int | None], list[Slot]] = defaultdict(list)
    for slot in state.missing:
        by_place[(slot.section.id, slot.item)].append(slot)
    pages = nav.page(nav.QUESTIONNAIRE, lang)
    for (_, item), slots in by_place.items():
        section = slots[0].section
        where = section.title(lang)
        if item is not None and section.repeat:
            where += f" · {_recipient(view, section.repeat, item)}"
        with st.container(border=True):
            st.markdown(f"**{escape_markdown(where)}** :gray[({len(slots)})]")
            for slot in slots[:MISSING_PER_SECTION]:
                _question_link(view, pages, slot.question.id, item)
            if len(slots) > MISSING_PER_SECTION:
                st.caption(t(lang, "and_more", count=len(slots) - MISSING_PER_SECTION))


def _recipient(view: View, group_id: str, item: int) -> str:
    group = view.loaded.bank.groups[group_id]
    response = view.answers.response(group.title_question, item, group_id)
    name = response.value if response is not None and isinstance(response.value, str) else ""
    return name.strip() or f"{sentence(group.label(view.lang))} {item + 1}"


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
