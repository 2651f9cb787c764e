"""Which questions are shown, and what is still missing.

Visibility is worked out in the order questions are asked, so a question whose condition reads a hidden
question sees that question as unanswered. A hidden question's stored answer is kept but never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipia.answers.format import Answers, Responses
from pipia.bank.conditions import ROUTE, is_answered
from pipia.bank.format import Bank, Question, Section
from pipia.model import Kept
from pipia.route.check import decided_route


@dataclass(frozen=True)
class Slot:
    """One place an answer goes: a question, and for repeated sections the item it belongs to."""

    question: Question
    section: Section
    group: str | None = None
    item: int | None = None

    @cached_property
    def key(self) -> str:
        """Stable address used in messages and links: ``qid`` or ``group[item].qid`` (worked out once:
        scoring and progress read it for every slot, many times)."""
        if self.group is None:
            return self.question.id
        return f"{self.group}[{self.item}].{self.question.id}"


@dataclass(frozen=True)
class State:
    """The visible slots of an assessment, in the order asked, with their current values."""

    visible: tuple[Slot, ...]
    hidden: tuple[Slot, ...]
    values: dict[str, Any]  # slot key -> value, visible slots only
    short_groups: tuple[str, ...] = ()  # e.g. "recipients: 0 of at least 1 item(s)"
    # Each visible required slot with whether it is answered, and (answered, required) by (section, item or
    # None for the whole section), as ``evaluate`` works them out item by item; None: worked out when read.
    required: tuple[tuple[Slot, bool], ...] | None = field(default=None, repr=False, compare=False)
    tallies: Mapping[tuple[str, int | None], tuple[int, int]] | None = field(default=None, repr=False,
                                                                             compare=False)
    # Where each section's visible slots are in ``visible`` (start, end), by (section, item or None for the
    # whole section), as ``evaluate`` places them; None: found by looking at every slot.
    spans: Mapping[tuple[str, int | None], tuple[int, int]] | None = field(default=None, repr=False,
                                                                           compare=False)

    def placed(self, section_id: str, item: int | None = None) -> tuple[Slot, ...]:
        """The visible slots of one section in the order asked; of a repeated section, of one item (from 0) or
        (None) of all items. A page shows one recipient's: found without looking at every recipient's slots."""
        if self.spans is None:
            return tuple(s for s in self.visible if s.section.id == section_id and (item is None or s.item == item))
        start, end = self.spans.get((section_id, item), (0, 0))
        return self.visible[start:end]

    def value(self, slot: Slot) -> Any:
        """The answer in ``slot``, or None when unanswered."""
        return self.values.get(slot.key)

    def lookup(self, bank: Bank, group: str | None = None, item: int | None = None) -> Callable[[str], Any]:
        """Answers as a condition reads them: repeated questions from ``group[item]``, others as they are."""

        def read(question_id: str) -> Any:
            if question_id == ROUTE:  # lint allows {route: ...} in show_if only; never read here
                return None
            if bank.group_of(question_id) is None:
                return self.values.get(question_id)
            return self.values.get(f"{group}[{item}].{question_id}")

        return read

    # Whether each visible required slot is answered, worked out once per State: the store's summary, the
    # risk of record, the sidebar's progress of every section and the section's own bar all read it, and
    # each pass over every slot costs more with each recipient.
    @cached_property
    def _required(self) -> tuple[tuple[Slot, bool], ...]:
        if self.required is not None:
            return self.required
        return _answered_required(self.visible, self.values)

    @cached_property
    def _tally(self) -> Mapping[tuple[str, int | None], tuple[int, int]]:
        if self.tallies is not None:
            return self.tallies
        tally: dict[tuple[str, int | None], tuple[int, int]] = {}
        for s, done in self._required:
            keys = [(s.section.id, None)] if s.item is None else [(s.section.id, None), (s.section.id, s.item)]
            for key in keys:
                _add(tally, key, (int(done), 1))
        return tally

    @cached_property
    def missing(self) -> tuple[Slot, ...]:
        """Visible required questions without an answer."""
        # A complete assessment (one being corrected, say) is told so by its sections' tallies, without a pass
        # over every slot of every recipient.
        if self.tallies is not None and all(done == total for (_, item), (done, total) in self.tallies.items()
                                            if item is None):
            return ()
        return tuple(s for s, done in self._required if not done)

    @property
    def complete(self) -> bool:
        """Whether every required shown question is answered and every repeat group has its fewest items."""
        return not self.missing and not self.short_groups

    def progress(self, section_id: str | None = None, item: int | None = None) -> tuple[int, int]:
        """(answered, required) among visible required questions: of one section or all; of a repeated
        section, of one item (from 0) or (None) all items."""
        if section_id is None:
            return len(self._required) - len(self.missing), len(self._required)
        return self._tally.get((section_id, item), (0, 0))


def _answered_required(visible: Iterable[Slot], values: Mapping[str, Any]) -> tuple[tuple[Slot, bool], ...]:
    return tuple((s, answered(s.question, values.get(s.key))) for s in visible if s.question.required)


def _add(tally: dict[tuple[str, int | None], tuple[int, int]], key: tuple[str, int | None],
         counts: tuple[int, int]) -> None:
    was = tally.get(key, (0, 0))
    tally[key] = (was[0] + counts[0], was[1] + counts[1])


def answered(question: Question, value: Any) -> bool:
    """Whether a value answers its question. A table needs at least ``min_rows`` rows (and one), and every
    required cell of every row filled: a half-filled data inventory is not an answered one."""
    if question.type != "table":
        return is_answered(value)
    if not isinstance(value, list) or len(value) < max(question.min_rows, 1):
        return False
    return all(isinstance(row, Mapping) for row in value) and not missing_cells(question, value)


def missing_cells(question: Question, rows: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """Required cells of a table answer left empty, as (row index from 0, column id), in reading order."""
    return [(i, c.id) for i, row in enumerate(rows) if isinstance(row, Mapping) for c in question.columns
            if c.required and not is_answered(row.get(c.id))]


def slots(bank: Bank, answers: Answers) -> Iterator[Slot]:
    """Every slot in the order asked: repeated sections once per item of their group."""
    for section in bank.sections:
        if section.repeat is None:
            for question in section.questions:
                yield Slot(question, section)
        else:
            count = len(answers.items(section.repeat))
            for item in range(count):
                for question in section.questions:
                    yield Slot(question, section, section.repeat, item)


# The last evaluation, by the identity of its (immutable) bank and answers: a rerun of the app evaluates
# the same answers for the page, the save's summary and the score; once is enough.
_last: dict[str, tuple[Bank, Answers, State]] = {}


def evaluate(bank: Bank, answers: Answers) -> State:
    """Which slots are visible and their values. Bank and answers are immutable, so the result for the
    very same pair of objects is reused (a read-only State: callers never change it)."""
    last = _last.get("state")  # one read: another thread may replace it meanwhile
    if last is not None and last[0] is bank and last[1] is answers:
        return last[2]
    state = _evaluate(bank, answers)
    _last["state"] = (bank, answers, state)
    return state


def _evaluate(bank: Bank, answers: Answers) -> State:
    values: dict[str, Any] = {}
    visible: list[Slot] = []
    hidden: list[Slot] = []
    required: list[tuple[Slot, bool]] = []
    tallies: dict[tuple[str, int | None], tuple[int, int]] = {}
    spans: dict[tuple[str, int | None], tuple[int, int]] = {}
    route = _RouteOnce(bank, answers)
    for section in bank.sections:
        start = len(visible)
        if section.repeat is None:
            block = _once_block(bank, answers, section, values, route)
            visible += block[0]
            hidden += block[1]
            values.update(block[2])
            required += block[3]
            _add(tallies, (section.id, None), block[4])
            spans[(section.id, None)] = (start, len(visible))
            continue
        _add(tallies, (section.id, None), (0, 0))
        for item, responses in enumerate(answers.items(section.repeat)):
            block = _item_block(bank, answers, section, item, responses, values, route)
            spans[(section.id, item)] = (len(visible), len(visible) + len(block[0]))
            visible += block[0]
            hidden += block[1]
            values.update(block[2])
            required += block[3]
            tallies[(section.id, item)] = block[4]
            _add(tallies, (section.id, None), block[4])
        spans[(section.id, None)] = (start, len(visible))
    short = tuple(
        f"{g.id}: {len(answers.items(g.id))} of at least {g.min_items} item(s)"
        for g in bank.repeat_groups
        if len(answers.items(g.id)) < g.min_items
    )
    return State(tuple(visible), tuple(hidden), values, short, tuple(required), tallies, spans)


def _place(slots: Iterable[Slot], answers: Answers, values: dict[str, Any], visible: list[Slot],
           hidden: list[Slot], route: _RouteOnce, bank: Bank) -> None:
    """Each slot, in order, into ``visible`` (its value into ``values``) or ``hidden``."""
    for slot in slots:
        condition = slot.question.show_if
        if condition is not None and not condition.evaluate(_lookup(bank, values, slot, route)):
            hidden.append(slot)
            continue
        visible.append(slot)
        value = answers.value(slot.question.id) if slot.group is None else _item_value(answers, slot)
        if value is not None:
            values[slot.key] = value


# visible, hidden, values of the visible, each visible required slot with whether it is answered, and the
# item's (answered, required)
_Block = tuple[tuple[Slot, ...], tuple[Slot, ...], dict[str, Any], tuple[tuple[Slot, bool], ...], tuple[int, int]]
# One item's slots in one repeated section, by (section, item), with what they were worked out from: the
# bank, the answers outside repeated sections and the meta (what else a condition of the item reads: the
# earlier questions asked once, the route), and the item's own responses. A change to one recipient's answer
# leaves every other item's objects as they were (``Answers.with_response``), so only its slots are worked
# out again: an evaluation after an edit costs what the edited item costs, not what every recipient does.
_blocks: Kept[tuple[str, int], _Block] = Kept(4096)


def _item_block(bank: Bank, answers: Answers, section: Section, item: int, responses: Responses,
                values: dict[str, Any], route: _RouteOnce) -> _Block:
    assert section.repeat is not None
    key, sources = (section.id, item), (bank, answers.answers, answers.meta, responses)
    kept = _blocks.get(key, sources)
    if kept is not None:
        return kept
    shown: list[Slot] = []
    skipped: list[Slot] = []
    # The item's conditions read the values before it (other items' never: a condition in a repeated
    # section reads its own item's answers and the questions asked once).
    _place([Slot(q, section, section.repeat, item) for q in section.questions], answers, values, shown, skipped,
           route, bank)
    own = {s.key: values[s.key] for s in shown if s.key in values}
    required = _answered_required(shown, own)
    return _blocks.put(key, sources, (tuple(shown), tuple(skipped), own, required,
                                       (sum(done for _, done in required), len(required))))


# The slots of each section asked once, by section, with what they were worked out from: the bank, the
# answers asked once and the meta (their conditions read the questions asked once before them and the route,
# never a recipient's answer). An edit of a recipient's answer leaves those objects as they were: the
# sections asked once are not placed again.
_once: Kept[str, _Block] = Kept(4096)


def _once_block(bank: Bank, answers: Answers, section: Section, values: dict[str, Any], route: _RouteOnce) -> _Block:
    sources = (bank, answers.answers, answers.meta)
    kept = _once.get(section.id, sources)
    if kept is not None:
        return kept
    shown: list[Slot] = []
    skipped: list[Slot] = []
    _place([Slot(q, section) for q in section.questions], answers, values, shown, skipped, route, bank)
    own = {s.key: values[s.key] for s in shown if s.key in values}
    required = _answered_required(shown, own)
    return _once.put(section.id, sources, (tuple(shown), tuple(skipped), own, required,
                                           (sum(done for _, done in required), len(required))))


def _item_value(answers: Answers, slot: Slot) -> Any:
    assert slot.group is not None and slot.item is not None
    response = answers.items(slot.group)[slot.item].get(slot.question.id)
    return None if response is None else response.value


class _RouteOnce:
    """The route decision for ``{route: ...}`` conditions, worked out at most once per evaluation and only
    when a shown-if asks for it (``pathway.decided_route``). Lint allows such conditions only after every
    screening question, so the route never depends on a visibility it decides."""

    def __init__(self, bank: Bank, answers: Answers) -> None:
        self.bank, self.answers = bank, answers
        self.decided: tuple[str | None] | None = None

    def __call__(self) -> str | None:
        if self.decided is None:
            self.decided = (decided_route(self.answers, self.bank),)
        return self.decided[0]


def _lookup(bank: Bank, values: dict[str, Any], slot: Slot, route: _RouteOnce) -> Any:
    def lookup(question_id: str) -> Any:
        if question_id == ROUTE:
            return route()
        if bank.group_of(question_id) is None:
            return values.get(question_id)
        return values.get(f"{slot.group}[{slot.item}].{question_id}")

    return lookup
