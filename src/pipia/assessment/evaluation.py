"""One evaluation of an assessment: everything derived from its answers, worked out once.

``evaluate(bank, answers) -> Evaluation`` gathers what the CLI, the report, the store's summary and every
page of the app read: which questions are shown (``state``), the route decision or the structured reasons
it cannot be made yet (``screening``), the score with its findings (``result``), and what each item of a
repeated section is called (``name``). It is a frozen value: compute it once per revision of an assessment
and hand it round, rather than have each consumer derive its own, slightly different, copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from pipia.answers.format import Answers, Responses
from pipia.answers.names import item_name
from pipia.assessment import visibility
from pipia.assessment.visibility import Slot
from pipia.bank.format import Bank
from pipia.i18n import Localized
from pipia.model import Kept
from pipia.route.check import RouteDecision
from pipia.route.screening import Reason, Screening, screen

if TYPE_CHECKING:  # the score's modules load when a score is first asked for: `pipia route` needs none of them
    from pipia.assessment import scoring
    from pipia.assessment.findings import Finding
    from pipia.assessment.risk import RiskLevel


@dataclass(frozen=True)
class Evaluation:
    """The derived state of ``answers`` under ``bank``.

    - ``state``: visible and hidden slots in the order asked, with their values (``visibility.State``);
    - ``screening``: the route decision, or the reasons (``MissingAnswer``/``InvalidAnswer``) it cannot be
      made; ``route`` and ``route_reasons`` are its two halves;
    - ``result``: the score, findings and conclusion (``scoring.Result``), None for a bank without
      ``scoring:`` parameters;
    - ``name(group, item)``: an item's display name, the same on every surface (``names.item_name``).
    """

    bank: Bank
    answers: Answers
    state: visibility.State

    # The route check and the score are worked out when first read, then kept: the store's summary of
    # an incomplete assessment needs neither (it has no risk of record), and saves it the time.
    @cached_property
    def screening(self) -> Screening:
        """The route decision, or the structured reasons it cannot be made (``screening.screen``)."""
        return screen(self.bank, self.answers)

    @cached_property
    def result(self) -> scoring.Result | None:
        """The score (``scoring.score``), or None for a bank without ``scoring:`` parameters."""
        if self.bank.scoring is None:
            return None
        from pipia.assessment import scoring  # noqa: PLC0415 - see the imports

        return scoring.score(self.bank, self.answers, state=self.state, screening=self.screening)

    @property
    def route(self) -> RouteDecision | None:
        """The route decision; None while the screening answers cannot decide it (see ``route_reasons``)."""
        return self.screening.decision

    @property
    def route_reasons(self) -> tuple[Reason, ...]:
        """Why there is no route decision, in the order asked; () when there is one."""
        return self.screening.reasons

    @property
    def consistency(self) -> tuple[Finding, ...]:
        """Findings where answers contradict one another (a subset of ``result.findings``)."""
        return tuple(f for f in self.result.findings if f.kind == "consistency") if self.result else ()

    @property
    def progress(self) -> tuple[int, int]:
        """(answered, required) among the visible required questions."""
        return self.state.progress()

    @property
    def risk_of_record(self) -> RiskLevel | None:
        """The overall risk level of a complete, scored assessment; None otherwise (as the store lists it)."""
        if self.bank.scoring is None or not self.state.complete or not self.answers.items(
                self.bank.scoring.scenario_group):
            return None
        if "result" in self.__dict__:  # scored already: read it
            return self.result.overall_risk if self.result is not None else None
        from pipia.assessment import scoring  # noqa: PLC0415 - see the imports

        # Only the scenarios' levels: the findings and conclusion of a full score do not move it.
        return scoring.provisional_risk(self.bank, self.answers, self.state)

    @cached_property
    def _names(self) -> dict[tuple[str, int], Localized]:
        return {(g.id, i): _name(self.bank, g.id, g.title_question, i, responses)
                for g in self.bank.repeat_groups for i, responses in enumerate(self.answers.items(g.id))}

    @cached_property
    def _visible(self) -> dict[str, Slot]:
        return {s.key: s for s in self.state.visible}

    def slot(self, key: str) -> Slot | None:
        """The visible slot at ``key`` (``qid`` or ``group[item].qid``); None when hidden or unknown."""
        return self._visible.get(key)

    def name(self, group: str, item: int) -> Localized:
        """The display name of item ``item`` (from 0) of repeat group ``group``; KeyError for neither."""
        return self._names.get((group, item)) or item_name(self.bank, group, item, None)


def _name(bank: Bank, group: str, question: str, item: int, responses: Responses) -> Localized:
    """``item_name`` of one item from its own responses, kept while the bank and the item's responses are the
    very same objects: every evaluation after an edit names every recipient (the recipients' switch), and
    the edit changed one of them at most."""
    kept = _named.get((group, item), (bank, responses))
    if kept is not None:
        return kept
    response = responses.get(question)
    return _named.put((group, item), (bank, responses),
                      item_name(bank, group, item, None if response is None else response.value))


_named: Kept[tuple[str, int], Localized] = Kept(4096)


def evaluate(bank: Bank, answers: Answers) -> Evaluation:
    """Evaluate ``answers`` under ``bank``: visibility, route, score and names, each worked out once.

    Never raises for the answers' sake (unanswered or invalid screening answers become route reasons;
    an incomplete assessment an incomplete result). Legal sources: the route follows the Provisions on
    Promoting and Regulating Cross-Border Data Flows (2024) Arts 3-8, the score GB/T 39335 (see ``scoring``).
    """
    return Evaluation(bank, answers, visibility.evaluate(bank, answers))
