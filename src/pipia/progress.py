"""Which questions are shown, and what is still missing.

Visibility is worked out in the order questions are asked, so a question whose condition reads a hidden
question sees that question as unanswered. A hidden question's stored answer is kept but never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .answers import Answers
from .bank import Bank, Question, Section
from .conditions import is_answered


@dataclass(frozen=True)
class Slot:
    """One place an answer goes: a question, and for repeated sections the item it belongs to."""

    question: Question
    section: Section
    group: str | None = None
    item: int | None = None

    @property
    def key(self) -> str:
        """Stable address used in messages and links: ``qid`` or ``group[item].qid``."""
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

    def value(self, slot: Slot) -> Any:
        return self.values.get(slot.key)

    def lookup(self, bank: Bank, group: str | None = None, item: int | None = None) -> Callable[[str], Any]:
        """Answers as a condition reads them: repeated questions from ``group[item]``, others as they are."""

        def read(question_id: str) -> Any:
            if bank.group_of(question_id) is None:
                return self.values.get(question_id)
            return self.values.get(f"{group}[{item}].{question_id}")

        return read

    @property
    def missing(self) -> tuple[Slot, ...]:
        """Visible required questions without an answer."""
        return tuple(s for s in self.visible if s.question.required and not is_answered(self.values.get(s.key)))

    @property
    def complete(self) -> bool:
        return not self.missing and not self.short_groups

    def progress(self, section_id: str | None = None) -> tuple[int, int]:
        """(answered, required) among visible required questions, for one section or all."""
        slots = [s for s in self.visible if s.question.required and (section_id is None or s.section.id == section_id)]
        return sum(1 for s in slots if is_answered(self.values.get(s.key))), len(slots)


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


def evaluate(bank: Bank, answers: Answers) -> State:
    values: dict[str, Any] = {}
    visible: list[Slot] = []
    hidden: list[Slot] = []
    for slot in slots(bank, answers):
        condition = slot.question.show_if
        if condition is not None and not condition.evaluate(_lookup(bank, values, slot)):
            hidden.append(slot)
            continue
        visible.append(slot)
        value = answers.value(slot.question.id) if slot.group is None else _item_value(answers, slot)
        if value is not None:
            values[slot.key] = value
    short = tuple(
        f"{g.id}: {len(answers.items(g.id))} of at least {g.min_items} item(s)"
        for g in bank.repeat_groups
        if len(answers.items(g.id)) < g.min_items
    )
    return State(tuple(visible), tuple(hidden), values, short)


def _item_value(answers: Answers, slot: Slot) -> Any:
    assert slot.group is not None and slot.item is not None
    response = answers.items(slot.group)[slot.item].get(slot.question.id)
    return None if response is None else response.value


def _lookup(bank: Bank, values: dict[str, Any], slot: Slot) -> Any:
    def lookup(question_id: str) -> Any:
        if bank.group_of(question_id) is None:
            return values.get(question_id)
        return values.get(f"{slot.group}[{slot.item}].{question_id}")

    return lookup
