"""What every part of the report context reads: the bank, the answers as shown, the score and the route.

Worked out once per report, so the chapters and annexes agree on what is visible, how each answer reads,
what each overseas recipient is called and which number each finding carries.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipia.answers.format import Answers, Response
from pipia.assessment import risk, visibility
from pipia.assessment.evaluation import Evaluation
from pipia.assessment.findings import Finding
from pipia.assessment.scoring import Result, chosen_options
from pipia.bank.conditions import is_answered
from pipia.bank.format import Bank, LoadedBank, Question
from pipia.i18n import LANGS, Lang, Localized, Message, join, msg, t
from pipia.report.text import fmt_date
from pipia.report.values import display, table_text
from pipia.route.check import RouteDecision
from pipia.team.actions import STATUS_LABELS, Action, plan
from pipia.team.tracking import Tracking

# The words are in the catalogue (report.priority.*, report.fix.*), read in the report's language.
PRIORITY = {
    "blocking": msg("report.priority.blocking"),
    "high": msg("report.priority.high"),
    "medium": msg("report.priority.medium"),
    "low": msg("report.priority.low"),
}


# Printed after the label of the rectification (or mitigation) line, so the label is not repeated.
NOT_RECORDED = msg("report.fix.not_recorded")
NOT_RECORDED_MITIGATION = msg("report.fix.not_recorded_mitigation")


@dataclass(frozen=True)
class Inputs:
    """The loaded bank, the assessment's one ``Evaluation`` (of a bank with ``scoring:``) and the language."""

    loaded: LoadedBank
    evaluation: Evaluation
    lang: Lang
    tracking: Tracking = field(default_factory=Tracking)
    from_store: bool = False  # made in the app: the store's tracking speaks for the actions (see tracked)

    @property
    def bank(self) -> Bank:
        """The bank the assessment answers."""
        return self.loaded.bank

    @property
    def answers(self) -> Answers:
        """The answers assessed."""
        return self.evaluation.answers

    @property
    def state(self) -> visibility.State:
        """Which questions are shown and answered (the visibility of the answers)."""
        return self.evaluation.state

    @property
    def route(self) -> RouteDecision | None:
        """The route decision, or None when the answers do not decide it."""
        return self.evaluation.route

    @property
    def result(self) -> Result:
        """The GB/T 39335 scoring result; raises ValueError for a bank without scoring parameters."""
        result = self.evaluation.result
        if result is None:  # build_report_context refuses a bank without scoring before it gets here
            raise ValueError(f"bank {self.bank.id!r} has no scoring parameters, which the report needs")
        return result

    def t(self, text: Localized | Message) -> str:
        """A bank's text or a catalogue's message in the report's language."""
        return text(self.lang)

    # -- recipients --------------------------------------------------------------------------------
    @cached_property
    def scenario_group(self) -> str | None:
        """The repeat group whose items are the transfer scenarios (overseas recipients): the scoring's, else the first
        group, else None.
        """
        if self.bank.scoring is not None:
            return self.bank.scoring.scenario_group
        return self.bank.repeat_groups[0].id if self.bank.repeat_groups else None

    def recipient(self, group: str | None, item: int | None) -> str:
        """An item's display name in the report's language (``Evaluation.name``); "" for no item."""
        if group is None or item is None:
            return ""
        return self.t(self.evaluation.name(group, item))

    # -- the data map ------------------------------------------------------------------------------
    @cached_property
    def inventory(self) -> Question | None:
        """The data-inventory table question, which the data map annex prints in full."""
        bank = self.bank
        if bank.scoring and bank.scoring.consistency and bank.scoring.consistency.inventory in bank.questions:
            return bank.questions[bank.scoring.consistency.inventory]
        named = bank.questions.get(bank.roles.inventory) if bank.roles.inventory is not None else None
        if named is not None and named.type == "table":
            return named
        tables = [q for q in bank.questions.values() if q.type == "table" and bank.group_of(q.id) is None]
        return tables[0] if tables else None

    # -- findings ----------------------------------------------------------------------------------
    @cached_property
    def findings(self) -> list[tuple[int, Finding]]:
        """Findings in the order they must be dealt with (blocking, then by severity), numbered from 1."""
        order = {"high": 0, "medium": 1, "low": 2}
        ranked = sorted(
            enumerate(self.result.findings), key=lambda p: (not p[1].blocking, order[p[1].severity], p[0])
        )
        return [(n, f) for n, (_, f) in enumerate(ranked, start=1)]

    @cached_property
    def findings_by_slot(self) -> dict[str, list[int]]:
        """Each slot key -> the numbers of its findings, in order."""
        out: dict[str, list[int]] = {}
        for n, f in self.findings:
            out.setdefault(f.slot, []).append(n)
        return out

    @cached_property
    def actions(self) -> dict[int, Action]:
        """Each finding's action and how it is tracked, by the finding's number."""
        return {a.number: a for a in plan(self.result.findings, self.tracking.actions)}

    def priority(self, finding: Finding) -> str:
        """The priority label of a finding: blocking, else its severity (low, medium, high)."""
        return self.t(PRIORITY["blocking" if finding.blocking else finding.severity])

    def finding_entry(self, n: int, finding: Finding) -> dict[str, Any]:
        """A finding as a row of the action plan: number, recipient, text, action, priority and the tracked status,
        owner, due date and evidence.
        """
        return {
            "no": str(n),
            "recipient": self.t(finding.recipient) if finding.recipient else "",
            "text": self.t(finding.text),
            "action": self.t(finding.action),
            "priority": self.priority(finding),
            "blocking": finding.blocking,
            "severity": finding.severity,
            "mitigate": finding.remedy == "mitigate",
            **self.tracked(n, finding),
        }

    # -- rectification -----------------------------------------------------------------------------
    # Chapter 2's rectification line and Annex 6 read one record per finding, from one place: what the app's store
    # tracked for the finding (owner, due date, status, evidence, the reason a risk was accepted) when the
    # report is made in the app, else the row of the bank's rectification table that names the finding (an
    # answers file on the CLI, or an action not yet tracked in the app), else nothing recorded.
    @cached_property
    def _rectification_rows(self) -> dict[str, dict[str, Any]]:
        params = self.bank.scoring.rectification if self.bank.scoring else None
        rows = self.state.values.get(params.table) if params else None
        if params is None or not isinstance(rows, list):
            return {}
        keyed = (("".join(str(r.get(params.finding_column) or "").split()), r) for r in rows if isinstance(r, dict))
        return {key: row for key, row in keyed if key}

    def tracked(self, n: int, finding: Finding) -> dict[str, Any]:
        """The recorded state of finding ``n``'s action, and one line saying so for chapter 2.

        Keys: status (label), status_code (the store's status, "" otherwise), owner, due, evidence,
        justification, overdue, recorded, rectification (the line). A fix recorded as made while the answer
        still shows the gap means the answers were not updated, which the line says too.
        """
        action = self.actions[n]
        record = self.tracking.actions.get(action.key)
        if record is not None or (self.from_store and finding.slot not in self._rectification_rows):
            recorded, record = record is not None, action.record  # untracked in the app: open, as a new plan's are
            today = self.tracking.today
            fields = {"status": self.t(STATUS_LABELS[record.status]), "status_code": record.status,
                      "owner": record.owner, "due": fmt_date(record.due, self.lang), "evidence": record.evidence,
                      "justification": record.justification,
                      "overdue": today is not None and action.overdue(today), "recorded": recorded}
            return {**fields, "rectification": self._line(fields, still_open=record.status == "done")}
        return self._from_bank(finding)

    def _from_bank(self, finding: Finding) -> dict[str, Any]:
        params = self.bank.scoring.rectification if self.bank.scoring else None
        row = self._rectification_rows.get(finding.slot)
        empty = {"status": "", "status_code": "", "owner": "", "due": "", "evidence": "", "justification": "",
                 "overdue": False, "recorded": False}
        if params is None or row is None:
            return {**empty, "rectification": self.t(NOT_RECORDED_MITIGATION if finding.remedy == "mitigate"
                                                      else NOT_RECORDED)}
        table = self.bank.questions[params.table]
        columns = {c.id: c for c in table.columns}

        def cell(column_id: str | None) -> str:
            if column_id is None or not is_answered(row.get(column_id)):
                return ""
            return display(columns[column_id], row[column_id], self.lang)

        status, owner, due, evidence = (cell(c) for c in (params.status_column, params.owner_column,
                                                           params.due_column, params.evidence_column))
        fields = {**empty, "status": status, "owner": owner, "due": due, "evidence": evidence, "recorded": True}
        return {**fields, "rectification": self._line(fields, still_open=row.get(params.status_column) in params.done)}

    def _line(self, fields: dict[str, Any], *, still_open: bool) -> str:
        """``status (overdue; owner: …; due: …; evidence: …; why the risk is accepted: …)`` in the report's
        language, printed after its label."""
        lang = self.lang
        details = join(lang, (x for x in (
            t(lang, "report.fix.overdue") if fields["overdue"] else "",
            t(lang, "report.fix.owner", owner=fields["owner"]) if fields["owner"] else "",
            t(lang, "report.fix.due", due=fields["due"]) if fields["due"] else "",
            t(lang, "report.fix.evidence", evidence=fields["evidence"]) if fields["evidence"] else "",
            t(lang, "report.fix.justification", reason=fields["justification"]) if fields["justification"] else "",
        ) if x), between="clauses")
        text = fields["status"] or self.t(NOT_RECORDED)
        if details:
            text = t(lang, "report.fix.with_details", status=text, details=details)
        if still_open:
            text = t(lang, "report.fix.still_open", status=text)
        return text

    # -- answers -----------------------------------------------------------------------------------
    def response(self, slot: visibility.Slot) -> Response | None:
        """The response in a slot (once-asked or one item of a repeat group), or None when unanswered."""
        if slot.group is None:
            return self.answers.answers.get(slot.question.id)
        return self.answers.response(slot.question.id, slot.item, slot.group)

    def answer_text(self, slot: visibility.Slot, count_inventory: bool = False) -> str:
        """The answer in words; ``count_inventory``: the inventory table as its count and where it is listed
        (Annex 2), for running text, rather than row by row."""
        value = self.state.value(slot)
        question = slot.question
        if not is_answered(value):
            return t(self.lang, "report.answer.unanswered") if question.required else \
                t(self.lang, "report.answer.not_given")
        if question.type == "table":
            if count_inventory and self.inventory is not None and question.id == self.inventory.id:
                return t(self.lang, "report.inventory_note", n=len(value) if isinstance(value, list) else 0)
            return table_text(question, value, self.lang)
        return display(question, value, self.lang)

    def entry(self, slot: visibility.Slot, count_inventory: bool = False) -> dict[str, Any]:
        """One question and its answer, with the assessor's comment and evidence."""
        response = self.response(slot)
        answered = is_answered(self.state.value(slot))
        question = _instruction().sub("", self.t(slot.question.text))
        return {
            "key": slot.key,
            "question": question,
            "lead": lead(question, self.lang),
            "answer": self.answer_text(slot, count_inventory),
            "answered": answered,
            "missing": slot.question.required and not answered,
            "comment": response.comment.rstrip() if response else "",
            "evidence": list(response.evidence) if response else [],
            "recipient": self.recipient(slot.group, slot.item),
        }

    def assessment(self, slot: visibility.Slot) -> str:
        """How the tool rates a scored answer: no gap, or the findings it raised (by number)."""
        question = slot.question
        value = self.state.value(slot)
        if not question.scored or not is_answered(value):
            return ""
        numbers = self.findings_by_slot.get(slot.key, [])
        worst = max((o.risk for o in chosen_options(question, value)), default=0.0)
        if numbers:
            return t(self.lang, "report.rating.findings", numbers=join(self.lang, map(str, numbers)))
        if worst == 0:
            return t(self.lang, "report.rating.no_gap")
        return t(self.lang, "report.rating.gap")

    def risk_label(self, kind: str, code: str | None) -> str:
        """The label of a GB/T 39335 level of ``kind`` (impact, likelihood, risk, treatment), or '' when ``code`` is
        None.
        """
        return self.t(risk.label(kind, code)) if code else ""


@functools.cache
def _instruction() -> re.Pattern[str]:
    """How to answer, in brackets at the end of a question ("(choose all that apply)", in either language,
    the brackets half- or full-width): it is for the form, not for the report."""
    said = "|".join(re.escape(t(lang, "report.choose_all_instruction")) for lang in LANGS)
    return re.compile(rf"\s*[\N{{FULLWIDTH LEFT PARENTHESIS}}(](?:{said})\.?[\N{{FULLWIDTH RIGHT PARENTHESIS}})]\s*$",
                      re.IGNORECASE)


def lead(question: str, lang: Lang) -> str:
    """A question as the label of its answer, in running text: its full stop becomes a colon (in ``lang``'s
    punctuation); after a question mark or a colon, the answer simply follows."""
    question = question.rstrip()
    if question.endswith((t(lang, "full_stop"), ".")) and not question.endswith("..."):
        question = question[:-1]
    # After a question mark or a colon (NFKC reads the full-width ones as "?" and ":"), the answer follows as
    # the language spaces sentences.
    if unicodedata.normalize("NFKC", question[-1:]) in ("?", ":"):
        return question if lang == "zh" else f"{question} "
    return t(lang, "report.answer_after_label", question=question)
