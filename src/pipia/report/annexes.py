"""The annexes GB/T 39335 §5.7 asks of an assessment report, as plain data.

Route check, data map, risk table, risk matrix, dimension scores, action plan, every question and answer,
and the approval page. Legal references are in ``legal``.
"""

from __future__ import annotations

from typing import Any

from pipia.assessment import risk
from pipia.assessment.scoring import SOURCE_NAMES
from pipia.bank.citations import cite_labels
from pipia.i18n import fmt_count, t
from pipia.i18n import join as join_items
from pipia.report.inputs import Inputs
from pipia.report.text import fmt_date, join
from pipia.report.values import table_rows
from pipia.route.check import Statement, deadline_status
from pipia.route.words import route_reason
from pipia.team.review import ROLE_OF, VERDICTS, Event, ReviewState
from pipia.team.review import STATUS_LABELS as SECTION_LABELS

# Light tints, so black text stays legible when printed in black and white as well.
COLOURS = {"low": "C6EFCE", "medium": "FFEB9C", "high": "F8CBAD", "severe": "FF8B8B"}


def score_text(score: float) -> str:
    """A 0–100 score as the app shows it: one decimal at most (0.9, 12.5, 40)."""
    return f"{round(score, 1):g}"


def route_check(inputs: Inputs) -> dict[str, Any]:
    """The route-check annex's context: the facts (counts of individuals, exemptions), the route under the Provisions
    with reasons, mechanisms, obligations and deadlines, each with its cited sources; ``decided`` False with the
    problems when no route could be decided.
    """
    lang, route = inputs.lang, inputs.route
    if route is None:
        return {"decided": False, "problems": [route_reason(r, inputs.bank, lang)
                                               for r in inputs.evaluation.route_reasons]}

    def statements(items: tuple[Statement, ...]) -> list[dict[str, str]]:
        return [{"text": inputs.t(s.text), "cites": cite_labels(s.cites, inputs.loaded.sources, lang)}
                for s in items]

    facts, year = route.facts, route.as_of.year
    yes, no = t(lang, "report.route.yes"), t(lang, "report.route.no")

    def people(count: float) -> str:
        return t(lang, "report.route.people", count=fmt_count(count, lang))

    exemptions = [_exemption_label(inputs, e) for e in route.exempt_transfers]
    expected = facts.expected_counts() if facts.expected_by_year_end is not None else None
    regions = {"hong_kong": t(lang, "report.route.hong_kong"), "macao": t(lang, "report.route.macao")}
    optional = [
        # each count with its unit: "34.5万人 / 7200人", not "34.5万 / 7200人"
        *([{"label": t(lang, "report.route.expected", year=year), "value": f"{people(expected[0])} / "
                                                                           f"{people(expected[1])}"}]
          if expected else []),
        *([{"label": t(lang, "report.route.overseas_processor"), "value": yes}] if facts.overseas_processor else []),
        *([{"label": t(lang, "report.route.greater_bay_area"),
            "value": join([regions[r] for r in facts.greater_bay_area], lang)}] if facts.greater_bay_area else []),
    ]
    return {
        "decided": True,
        # Both parts: the mechanism for the counted personal information and the transfers that are exempt.
        "route": inputs.t(route.headline),
        "rule_set": inputs.t(route.rule_set_title),
        "as_of": fmt_date(route.as_of, lang),
        "facts": [
            {"label": t(lang, "report.route.ciio"), "value": yes if facts.ciio else no},
            {"label": t(lang, "report.route.important_data"), "value": yes if facts.important_data else no},
            {"label": t(lang, "report.route.exempt"),
             "value": join(exemptions, lang) if exemptions else t(lang, "report.route.none")},
            {"label": t(lang, "report.route.non_sensitive", year=year),
             "value": people(facts.individuals.non_sensitive)},
            {"label": t(lang, "report.route.sensitive", year=year), "value": people(facts.individuals.sensitive)},
            *optional,
        ],
        "reasons": statements(route.reasons),
        "mechanisms": statements(route.mechanisms),
        "obligations": statements(route.obligations),
        "deadlines": [
            {"date": fmt_date(d.date, lang) + deadline_status(d, lang, in_report=True),
             "label": inputs.t(d.label), "note": inputs.t(d.note) if d.note else "",
             "cites": cite_labels(d.cites, inputs.loaded.sources, lang)}
            for d in route.deadlines
        ],
        "warnings": statements(route.warnings),
    }




def _exemption_label(inputs: Inputs, exemption: str) -> str:
    qid = inputs.bank.roles.exemptions
    question = inputs.bank.questions.get(qid) if qid is not None else None
    option = question.option(exemption) if question else None
    return inputs.t(option.label) if option else exemption


def data_map(inputs: Inputs) -> dict[str, Any]:
    """The data-map annex's context: the data-inventory table's title and rows (numbered from 1); ``empty`` when the
    bank has no inventory or it is blank.
    """
    question = inputs.inventory
    if question is None:
        return {"title": "", "rows": [], "empty": True}
    value = inputs.answers.value(question.id)
    rows = [{"no": str(i), "cells": cells} for i, cells in enumerate(table_rows(question, value, inputs.lang), 1)]
    return {"title": inputs.t(question.text), "rows": rows, "empty": not rows}


def risks(inputs: Inputs) -> list[dict[str, Any]]:
    """The risk annex's rows, one per overseas recipient (scenario): GB/T 39335 impact, likelihood, risk level and
    colour, treatment, the reasons, and each risk source's gap share (0-100 %) and likelihood.
    """
    out = []
    for s in inputs.result.scenarios:
        out.append({
            "no": str(s.item + 1),
            "recipient": inputs.t(s.recipient),
            "impact": inputs.risk_label("impact", s.impact),
            "likelihood": inputs.risk_label("likelihood", s.likelihood),
            "risk": inputs.risk_label("risk", s.risk),
            "risk_code": s.risk,
            "colour": COLOURS[s.risk],
            "treatment": inputs.risk_label("treatment", s.treatment),
            "impact_reasons": [inputs.t(step.reason) for step in s.impact_steps],
            "likelihood_reasons": [inputs.t(step.reason) for step in s.likelihood_steps],
            "sources": [
                {"name": inputs.t(SOURCE_NAMES[x.source]),
                 "share": "—" if x.share is None else f"{100 * x.share:.0f}%",
                 "level": inputs.risk_label("likelihood", x.level) if x.share is not None
                 else t(inputs.lang, "report.risk.nothing_scored")}
                for x in s.sources
            ],
        })
    return out


def matrix(inputs: Inputs) -> dict[str, Any]:
    """GB/T 39335 Table D.5 with each scenario placed in its cell: rows from severe impact down."""
    rows = []
    for impact in reversed(risk.IMPACTS):
        cells = []
        for likelihood in risk.LIKELIHOODS:
            level = risk.risk_level(impact, likelihood)
            here = [inputs.t(s.recipient) for s in inputs.result.scenarios
                    if s.impact == impact and s.likelihood == likelihood]
            cells.append({"level": inputs.risk_label("risk", level), "code": level, "colour": COLOURS[level],
                          "scenarios": join(here, inputs.lang)})
        rows.append({"impact": inputs.risk_label("impact", impact), "cells": cells})
    return {"likelihoods": [inputs.risk_label("likelihood", x) for x in risk.LIKELIHOODS], "rows": rows,
            "legend": [{"level": inputs.risk_label("risk", x), "colour": COLOURS[x],
                        "treatment": inputs.risk_label("treatment", risk.TREATMENT[x])} for x in reversed(risk.RISKS)]}


def dimensions(inputs: Inputs) -> list[dict[str, Any]]:
    """The dimension-score annex's rows: code D1..Dn, label, score (0-100 or '—'), GB/T 39335 risk source, and how many
    questions were answered.
    """
    return [
        {"code": f"D{i}", "label": inputs.t(d.label), "score": "—" if d.score is None else score_text(d.score),
         "value": d.score, "source": inputs.t(SOURCE_NAMES[d.risk_source]) if d.risk_source else "",
         "answered": str(len(d.contributions))}
        for i, d in enumerate(inputs.result.dimensions, start=1)
    ]


def action_plan(inputs: Inputs) -> list[dict[str, Any]]:
    """The action-plan annex's rows, one per finding: number, recipient, finding, action, priority, and status, owner,
    due date and evidence when recorded.
    """
    # Status, owner, due date and evidence come from the store's tracking when the report is made in the app,
    # else from the bank's rectification table answers (see Inputs.tracked); blank until recorded.
    return [inputs.finding_entry(n, f) for n, f in inputs.findings]


def questions_and_answers(inputs: Inputs) -> list[dict[str, Any]]:
    """Every visible question with its answer, comment and evidence, section by section."""
    out: list[dict[str, Any]] = []
    for s_index, section in enumerate(inputs.bank.sections, start=1):
        blocks: list[tuple[int | None, str]] = [(None, "")]
        if section.repeat is not None:
            count = len(inputs.answers.items(section.repeat))
            blocks = [(i, inputs.recipient(section.repeat, i)) for i in range(count)]
        for item, name in blocks:
            slots = [s for s in inputs.state.visible if s.section.id == section.id and s.item == item]
            if not slots:
                continue
            title = inputs.t(section.title) + (f" — {name}" if name else "")
            rows = [{"no": f"{s_index}.{q_index}", **inputs.entry(slot, count_inventory=True)}
                    for q_index, slot in enumerate(slots, start=1)]
            out.append({"title": title, "questions": rows})
    return out


def approval(inputs: Inputs) -> dict[str, Any]:
    """The approval page: the names the answers give, and the sign-offs the review log records."""
    meta = inputs.answers.meta
    review = inputs.tracking.review
    named = inputs.bank.roles.approver
    approver = inputs.answers.value(named) if named is not None else None
    return {
        **_signoffs(inputs, review),
        "assessor": meta.assessor,
        "reviewer": meta.reviewer,
        # The bank may ask who approves the report (the PI protection officer or someone authorised).
        "dpo": approver if isinstance(approver, str) else "",
        "date": fmt_date(meta.assessment_date, inputs.lang),
    }


def _signoffs(inputs: Inputs, review: ReviewState | None) -> dict[str, Any]:
    """Who wrote, reviewed, gave the DPO opinion and decided, with dates and opinions, from the review log.

    A decision counts only for the answers it was given on: an approval followed by an edit is left out
    (the report is a draft again), as it no longer speaks for these answers.
    """
    if review is None:
        return {"signoffs": [], "approved": False, "version": "", "statement": ""}
    lang, titles = inputs.lang, {s.id: inputs.t(s.title) for s in inputs.bank.sections}
    rows: list[dict[str, str]] = []
    by_author: dict[tuple[str, str], list[Event]] = {}
    for event in review.events:
        group = "submitted" if event.kind == "submitted" else "verdict" if event.kind in VERDICTS else ""
        if group:
            by_author.setdefault((group, event.author), []).append(event)
    for (group, _), events in by_author.items():
        last = events[-1]
        if group == "submitted":
            sections = join_items(lang, dict.fromkeys(titles.get(e.section or "", e.section or "") for e in events))
            opinion = t(lang, "report.approval.submitted", sections=sections)
        else:
            latest = {e.section: e for e in events}  # each section's latest verdict by this reviewer
            opinion = join_items(lang, (_verdict(inputs, titles.get(s or "", s or ""), e) for s, e in latest.items()),
                                 between="clauses")
        rows.append(_row(inputs, last, opinion))
    if review.dpo_opinion is not None:
        rows.append(_row(inputs, review.dpo_opinion, review.dpo_opinion.text))
    decision, statement = review.decision, ""
    if decision is not None and not review.approval_dropped:
        statement = (t(lang, "report.approval.approved", reason=decision.text) if decision.kind == "approved"
                     else t(lang, "report.approval.rejected", reason=decision.text))
        rows.append(_row(inputs, decision, statement))
    return {"signoffs": rows, "approved": review.approved,
            "version": decision.version_name or "" if decision is not None and review.approved else "",
            "statement": statement}


def _verdict(inputs: Inputs, section: str, event: Event) -> str:
    label = inputs.t(SECTION_LABELS[event.kind]) if event.kind in SECTION_LABELS else event.kind
    verdict = t(inputs.lang, "report.label_value", label=section, value=label)
    if event.text:
        return t(inputs.lang, "report.approval.verdict_comment", verdict=verdict, comment=event.text)
    return verdict


def _row(inputs: Inputs, event: Event, opinion: str) -> dict[str, str]:
    return {"role": inputs.t(ROLE_OF[event.kind]), "name": event.author_name or event.author,
            "date": fmt_date(event.at.date(), inputs.lang), "opinion": opinion}
