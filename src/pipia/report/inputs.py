"""What every part of the report context reads: the bank, the answers as shown, the score and the route.

Worked out once per report, so the chapters and annexes agree on what is visible, how each answer reads,
what each overseas recipient is called and which number each finding carries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .. import progress, risk
from ..actions import STATUS_LABELS, Action, plan
from ..answers import Answers, Response
from ..bank import Bank, LoadedBank, Question
from ..conditions import is_answered
from ..findings import Finding
from ..i18n import Lang, Localized
from ..pathway import RouteDecision
from ..scoring import Result, chosen_options
from ..tracking import Tracking
from .text import fmt_date
from .values import NOT_GIVEN, UNANSWERED, display, table_text

PRIORITY = {
    "blocking": Localized(zh="立即（阻断性问题）", en="Immediate (blocking)"),
    "high": Localized(zh="高", en="High"),
    "medium": Localized(zh="中", en="Medium"),
    "low": Localized(zh="低", en="Low"),
}


@dataclass(frozen=True)
class Inputs:
    loaded: LoadedBank
    answers: Answers
    route: RouteDecision | None
    result: Result
    lang: Lang
    tracking: Tracking = field(default_factory=Tracking)
    state: progress.State = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", progress.evaluate(self.loaded.bank, self.answers))

    @property
    def bank(self) -> Bank:
        return self.loaded.bank

    def t(self, text: Localized) -> str:
        return text(self.lang)

    # -- recipients --------------------------------------------------------------------------------
    @cached_property
    def scenario_group(self) -> str | None:
        if self.bank.scoring is not None:
            return self.bank.scoring.scenario_group
        return self.bank.repeat_groups[0].id if self.bank.repeat_groups else None

    def recipient(self, group: str | None, item: int | None) -> str:
        """An item's name, from its title question; ``#2`` while it has none."""
        if group is None or item is None:
            return ""
        title = self.bank.groups[group].title_question
        name = self.state.values.get(f"{group}[{item}].{title}")
        return name if isinstance(name, str) and name.strip() else f"#{item + 1}"

    # -- the data map ------------------------------------------------------------------------------
    @cached_property
    def inventory(self) -> Question | None:
        """The data-inventory table question, which the data map annex prints in full."""
        bank = self.bank
        if bank.scoring and bank.scoring.consistency and bank.scoring.consistency.inventory in bank.questions:
            return bank.questions[bank.scoring.consistency.inventory]
        if "data_inventory" in bank.questions and bank.questions["data_inventory"].type == "table":
            return bank.questions["data_inventory"]
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
        out: dict[str, list[int]] = {}
        for n, f in self.findings:
            out.setdefault(f.slot, []).append(n)
        return out

    @cached_property
    def actions(self) -> dict[int, Action]:
        """Each finding's action and how it is tracked, by the finding's number."""
        return {a.number: a for a in plan(self.result.findings, self.tracking.actions)}

    def priority(self, finding: Finding) -> str:
        return self.t(PRIORITY["blocking" if finding.blocking else finding.severity])

    def finding_entry(self, n: int, finding: Finding) -> dict[str, Any]:
        return {
            "no": str(n),
            "recipient": finding.recipient or "",
            "text": self.t(finding.text),
            "action": self.t(finding.action),
            "priority": self.priority(finding),
            "blocking": finding.blocking,
            "severity": finding.severity,
            **self.tracked(n),
        }

    def tracked(self, n: int) -> dict[str, Any]:
        """How finding ``n``'s action is tracked: owner, due date, status, evidence, and whether it is late."""
        action = self.actions[n]
        record, today = action.record, self.tracking.today
        return {"owner": record.owner, "due": fmt_date(record.due, self.lang),
                "status": self.t(STATUS_LABELS[record.status]), "status_code": record.status,
                "evidence": record.evidence, "justification": record.justification,
                "overdue": today is not None and action.overdue(today)}

    # -- answers -----------------------------------------------------------------------------------
    def response(self, slot: progress.Slot) -> Response | None:
        if slot.group is None:
            return self.answers.answers.get(slot.question.id)
        return self.answers.response(slot.question.id, slot.item, slot.group)

    def answer_text(self, slot: progress.Slot, inventory_note: str = "") -> str:
        value = self.state.value(slot)
        question = slot.question
        if not is_answered(value):
            return (UNANSWERED if question.required else NOT_GIVEN)[self.lang]
        if question.type == "table":
            if inventory_note and self.inventory is not None and question.id == self.inventory.id:
                return inventory_note.format(n=len(value) if isinstance(value, list) else 0)
            return table_text(question, value, self.lang)
        return display(question, value, self.lang)

    def entry(self, slot: progress.Slot, inventory_note: str = "") -> dict[str, Any]:
        """One question and its answer, with the assessor's comment and evidence."""
        response = self.response(slot)
        answered = is_answered(self.state.value(slot))
        question = _INSTRUCTION.sub("", self.t(slot.question.text))
        return {
            "key": slot.key,
            "question": question,
            "lead": lead(question, self.lang),
            "answer": self.answer_text(slot, inventory_note),
            "answered": answered,
            "missing": slot.question.required and not answered,
            "comment": response.comment.rstrip() if response else "",
            "evidence": list(response.evidence) if response else [],
            "recipient": self.recipient(slot.group, slot.item),
        }

    def assessment(self, slot: progress.Slot) -> str:
        """How the tool rates a scored answer: no gap, or the findings it raised (by number)."""
        question = slot.question
        value = self.state.value(slot)
        if not question.scored or not is_answered(value):
            return ""
        numbers = self.findings_by_slot.get(slot.key, [])
        worst = max((o.risk for o in chosen_options(question, value)), default=0.0)
        if numbers:
            refs = "、".join(map(str, numbers)) if self.lang == "zh" else ", ".join(map(str, numbers))
            return f"问题{refs}" if self.lang == "zh" else f"Finding {refs}"
        if worst == 0:
            return "符合" if self.lang == "zh" else "No gap"
        return "存在差距" if self.lang == "zh" else "Gap"

    def risk_label(self, kind: str, code: str | None) -> str:
        return self.t(risk.label(kind, code)) if code else ""


# How to answer ("可多选", "choose all that apply") is for the form, not for the report.
_INSTRUCTION = re.compile(r"\s*[（(](?:可多选|[Cc]hoose all that apply\.?)[）)]\s*$")


def _lead_separator(question: str, lang: Lang) -> str:
    """What joins a question to its answer in running text: nothing after a question mark, else a colon."""
    if question.endswith(("？", "?", "：", ":")):
        return "" if lang == "zh" else " "
    return "：" if lang == "zh" else ": "


def lead(question: str, lang: Lang) -> str:
    """A question as the label of its answer: 统计口径和方法。 → 统计口径和方法：, 出境目的 → 出境目的："""
    question = question.rstrip()
    if question.endswith(("。", ".")) and not question.endswith("..."):
        question = question[:-1]
    return question + _lead_separator(question, lang)
