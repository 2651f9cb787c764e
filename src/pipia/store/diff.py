"""What changed between two versions of an assessment's answers, one line per change.

Addresses read like the answers file: ``meta.assessor``, ``answers.legal_basis`` (the value),
``answers.legal_basis.comment``, ``answers.legal_basis.evidence``, ``repeats.recipients[1].recipient_name``.
Items of a repeat group are matched as a sequence, so removing the first recipient shows as one removed
item, not as every later recipient changed. Pure: works on two Answers values, no database.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from pipia.answers.format import Answers, Response, Responses

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    """One difference between two revisions: the address (e.g. 'answers.legal_basis', 'repeats.recipients[0].name'),
    added / removed / changed, and the values before and after.
    """

    address: str
    kind: Kind
    before: Any  # None when added
    after: Any  # None when removed

    def __str__(self) -> str:
        return f"{self.kind} {self.address}: {self.before!r} -> {self.after!r}"


def diff_answers(before: Answers, after: Answers) -> list[Change]:
    """Every difference from ``before`` to ``after``: bank, meta, answers and repeat items, in that order."""
    changes: list[Change] = []
    for field in ("id", "version"):
        _compare(changes, f"bank.{field}", getattr(before.bank, field), getattr(after.bank, field))
    old_meta, new_meta = before.meta.model_dump(), after.meta.model_dump()
    for field in old_meta:
        _compare(changes, f"meta.{field}", old_meta[field], new_meta[field])
    _responses(changes, "answers", before.answers, after.answers)
    for group in _union(before.repeats, after.repeats):
        _items(changes, f"repeats.{group}", before.items(group), after.items(group))
    return changes


def _responses(changes: list[Change], where: str, before: Responses, after: Responses) -> None:
    empty = Response()
    for qid in _union(before, after):
        old, new = before.get(qid, empty), after.get(qid, empty)
        _compare(changes, f"{where}.{qid}", old.value, new.value)
        _compare(changes, f"{where}.{qid}.comment", old.comment, new.comment)
        _compare(changes, f"{where}.{qid}.evidence", list(old.evidence), list(new.evidence))


def _items(changes: list[Change], where: str, before: tuple[Responses, ...], after: tuple[Responses, ...]) -> None:
    keys_a, keys_b = [_key(i) for i in before], [_key(i) for i in after]
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        # Replaced items pair up in order (an edited recipient); the rest were added or removed.
        paired = min(a1 - a0, b1 - b0)
        for k in range(paired):
            _responses(changes, f"{where}[{b0 + k}]", before[a0 + k], after[b0 + k])
        for i in range(a0 + paired, a1):
            changes.append(Change(f"{where}[{i}]", "removed", _plain(before[i]), None))
        for j in range(b0 + paired, b1):
            changes.append(Change(f"{where}[{j}]", "added", None, _plain(after[j])))


def _compare(changes: list[Change], address: str, old: Any, new: Any) -> None:
    if (old == new and type(old) is type(new)) or (_absent(old) and _absent(new)):
        return
    if _absent(old):
        changes.append(Change(address, "added", None, new))
    elif _absent(new):
        changes.append(Change(address, "removed", old, None))
    else:
        changes.append(Change(address, "changed", old, new))


def _absent(value: Any) -> bool:
    return value is None or value in ("", [])


def _union(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [*a, *(k for k in b if k not in a)]


def _plain(item: Responses) -> dict[str, Any]:
    return {qid: r.value if r.bare else r.model_dump() for qid, r in item.items()}


def _key(item: Responses) -> str:
    # Items are matched by content; repr tells 1 from True and covers dates and keys of any type.
    return repr(_plain(item))
