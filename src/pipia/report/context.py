"""The report context: everything a report template prints, typed by ``contextmodel.ReportContext``.

Pure: it reads the bank, the answers, the route decision and the scoring result and returns strings,
lists and dicts in one language. Templates hold the fixed wording of their language; the context holds
what comes from the assessment. Answers stay data: they are copied into strings here, never into
template code. The shape is pinned by a golden test (tests/data/golden/).
"""

from __future__ import annotations

from typing import Any

from pipia import __version__
from pipia.assessment.evaluation import Evaluation
from pipia.assessment.scorecard import conclusion_label
from pipia.bank.format import LoadedBank
from pipia.i18n import Lang, msg, t
from pipia.report import annexes, chapters
from pipia.report.contextmodel import ReportContext
from pipia.report.inputs import Inputs
from pipia.report.legal import references
from pipia.report.text import fmt_date
from pipia.route.workdays import add_months
from pipia.team.tracking import Tracking

# The words are in the catalogue (report.route.*), read in the report's language.
ROUTE_NAMES = {
    "certification": msg("report.route.certification"),
    "standard_contract": msg("report.route.standard_contract"),
    "security_assessment": msg("report.route.security_assessment"),
    "any": msg("report.route.any"),
}
# The route check's answer that each bank route expects.
EXPECTED_ROUTE = {"certification": "contract_or_certification", "standard_contract": "contract_or_certification",
                  "security_assessment": "security_assessment"}


def build_context(
    loaded: LoadedBank, evaluation: Evaluation, lang: Lang, tracking: Tracking | None = None,
) -> ReportContext:
    """The whole report in ``lang``, from the assessment's one ``Evaluation`` (a bank with ``scoring:``),
    validated against ``ReportContext`` (a part that does not fit it raises pydantic's ValidationError: a
    fault of the builders, caught by the report tests).

    ``tracking`` is what the team recorded in the store (actions' status), None for an answers file alone.
    """
    inputs = Inputs(loaded, evaluation, lang, tracking or Tracking(), from_store=tracking is not None)
    chapter2 = chapters.chapter2(inputs)
    return ReportContext.model_validate({
        "lang": lang,
        "cover": _cover(inputs),
        "notes": _notes(inputs, chapter2["basis"]),
        "status": _status(inputs),
        "chapter1": chapters.chapter1(inputs),
        "chapter2": chapter2,
        "scenarios": annexes.risks(inputs),
        "conclusion": _conclusion(inputs),
        "annex": {
            "route": annexes.route_check(inputs),
            "data_map": annexes.data_map(inputs),
            "matrix": annexes.matrix(inputs),
            "dimensions": annexes.dimensions(inputs),
            "actions": annexes.action_plan(inputs),
            "qa": annexes.questions_and_answers(inputs),
            "references": references(_cited(inputs), loaded.sources, lang),
            "approval": annexes.approval(inputs),
        },
    })


def _cover(inputs: Inputs) -> dict[str, Any]:
    meta = inputs.answers.meta
    name = meta.organisation or _text_answer(inputs, inputs.bank.roles.processor_name)
    return {
        "processor": name,
        "title": meta.title,
        "date": fmt_date(meta.assessment_date, inputs.lang),
        "route": inputs.t(ROUTE_NAMES[inputs.bank.route]),
        "bank": t(inputs.lang, "report.cover.bank", title=inputs.bank.title, version=inputs.bank.version),
        "tool": f"pipia {__version__}",
        # Until the approver approves these very answers, every page says the report is a draft.
        "draft": not inputs.tracking.approved,
    }


def _notes(inputs: Inputs, basis: str) -> dict[str, str]:
    day = inputs.answers.meta.assessment_date
    return {
        "completed": fmt_date(day, inputs.lang),
        # The filing must follow the assessment within three months (template notes, item 2).
        "valid_until": fmt_date(add_months(day, 3), inputs.lang) if day else "",
        "basis": basis,
        "route": inputs.t(ROUTE_NAMES[inputs.bank.route]),
    }


def _status(inputs: Inputs) -> dict[str, Any]:
    missing = inputs.state.missing
    return {
        "complete": inputs.result.complete,
        "missing_count": str(len(missing)),
        "missing": [{"key": s.key, "question": inputs.t(s.question.text),
                     "recipient": inputs.recipient(s.group, s.item)} for s in missing],
        "short_groups": list(inputs.state.short_groups),
    }


def _conclusion(inputs: Inputs) -> dict[str, Any]:
    result, lang = inputs.result, inputs.lang
    level = result.overall_risk or result.provisional_risk
    reasons = [inputs.t(r) for r in result.reasons]
    route_note = _route_note(inputs)
    if route_note:
        reasons.append(route_note)
    label = inputs.t(conclusion_label(result))
    risk_text = inputs.risk_label("risk", level)
    if result.conclusion == "incomplete":
        statement = t(lang, "report.conclusion.incomplete")
    else:
        statement = t(lang, "report.conclusion.statement", risk=risk_text, label=label)
    return {"code": result.conclusion, "label": label, "risk": risk_text, "risk_code": level or "",
            "provisional": not result.complete, "statement": statement, "reasons": reasons,
            "blocking": sum(1 for _, f in inputs.findings if f.blocking), "findings": str(len(inputs.findings)),
            "recorded": sum(1 for n, f in inputs.findings if inputs.tracked(n, f)["recorded"])}


def _route_note(inputs: Inputs) -> str:
    """Warn when the route check points to a different mechanism from the one this assessment is for."""
    route, lang = inputs.route, inputs.lang
    if route is None:
        return t(lang, "report.conclusion.route_unchecked")
    expected = EXPECTED_ROUTE.get(inputs.bank.route)
    if expected is None or route.route == expected:
        return ""
    found, basis = inputs.t(route.headline), inputs.t(ROUTE_NAMES[inputs.bank.route])
    return t(lang, "report.conclusion.route_mismatch", found=found, basis=basis)


def _cited(inputs: Inputs) -> list[str]:
    """Citations of every visible question, the focus items and the route decision."""
    cites = [c for s in inputs.state.visible for c in s.question.cites]
    cites += [c for item in inputs.bank.coverage if item.kind == "focus" for c in item.cites]
    if inputs.route is not None:
        for group in (inputs.route.reasons, inputs.route.mechanisms, inputs.route.obligations,
                      inputs.route.warnings):
            cites += [c for s in group for c in s.cites]
        cites += [c for d in inputs.route.deadlines for c in d.cites]
    return list(dict.fromkeys(cites))


def _text_answer(inputs: Inputs, question_id: str | None) -> str:
    value = inputs.answers.value(question_id) if question_id is not None else None
    return value if isinstance(value, str) else ""
