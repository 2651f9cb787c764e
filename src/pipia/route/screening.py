"""The route check run on an assessment's own answers: the decision, or why it cannot be made yet, as data.

The route check (``pathway.decide``) needs the screening answers and the assessment date. While one is
missing or wrong there is no decision; the reasons come back as values — ``MissingAnswer(question)`` and
``InvalidAnswer(question, code, params)`` — never as sentences, so the CLI, the app and the report each
word them in their user's language (``ui/text.py``, ``report`` text). ``question`` is a question id of the
bank, or ``ASSESSMENT_DATE`` for the assessment's date (a detail of the assessment, not a question).

Codes of ``InvalidAnswer`` (parameters in brackets): ``none_with_exemption`` ("none of these" chosen with
an exemption); ``after_assessment_date`` (date, as_of: a milestone dated after the assessment);
``filed_before_effective`` (filed, effective: a contract filed before it took effect); ``no_rule_set``
(earliest: the assessment date is before every rule set the tool knows); ``invalid`` (value: any other
answer the route check cannot read, e.g. a count that is not a whole number).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipia.answers.format import Answers
from pipia.bank.format import Bank
from pipia.errors import InputError, Problem
from pipia.route.check import RouteDecision, decide, facts_from_answers, milestones_from_answers
from pipia.route.rules import NoRuleSetError, load_rules

# The address of the assessment date among the reasons: it is a detail of the assessment, not a question.
ASSESSMENT_DATE = "meta.assessment_date"


@dataclass(frozen=True)
class MissingAnswer:
    """A question the route check needs that has no answer (or ``ASSESSMENT_DATE``: no date yet)."""

    question: str


@dataclass(frozen=True)
class InvalidAnswer:
    """An answer the route check cannot use: ``code`` says why, ``params`` give the values to word it with."""

    question: str
    code: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str:
        """One parameter's value ("" when the code has no such parameter)."""
        return dict(self.params).get(name, "")


Reason = MissingAnswer | InvalidAnswer


@dataclass(frozen=True)
class Screening:
    """The route decision, or (``decision`` None) the reasons it cannot be made, in the order asked."""

    decision: RouteDecision | None
    reasons: tuple[Reason, ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        """The questions still unanswered (ids, or ``ASSESSMENT_DATE``)."""
        return tuple(r.question for r in self.reasons if isinstance(r, MissingAnswer))


def screen(bank: Bank, answers: Answers) -> Screening:
    """Decide the route from ``answers``' screening questions and dates under the rule set of the
    assessment date (Provisions Arts 3-8; see ``pathway.decide``).

    Never raises for the answers' sake: what stops the decision comes back as ``Screening.reasons``,
    ordered as the bank asks the questions (the assessment date first). Raises ``InputError`` only when the
    shipped rule sets themselves cannot be read.
    """
    try:
        facts = facts_from_answers(answers, bank)
        milestones = milestones_from_answers(answers, bank)
    except InputError as exc:
        return Screening(None, _ordered(bank, [_reason(p) for p in exc.problems]))
    try:
        return Screening(decide(facts, milestones))
    except NoRuleSetError:
        first: dt.date = load_rules().rule_sets[0].effective_from
        return Screening(None, (InvalidAnswer(ASSESSMENT_DATE, "no_rule_set", (("earliest", first.isoformat()),)),))


def _reason(problem: Problem) -> Reason:
    question = problem.path if problem.path == ASSESSMENT_DATE else problem.path.removeprefix("answers.")
    if problem.code == "not_answered":
        return MissingAnswer(question)
    return InvalidAnswer(question, problem.code or "invalid", problem.params)


def _ordered(bank: Bank, reasons: list[Reason]) -> tuple[Reason, ...]:
    order = bank.order
    return tuple(sorted(dict.fromkeys(reasons),
                        key=lambda r: -1 if r.question == ASSESSMENT_DATE else order.get(r.question, len(order))))
