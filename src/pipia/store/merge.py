"""Merging two windows' answers after a conflict: what each side changed is kept; where both changed the
same answer differently, a person chooses.

A merge compares three versions: ``base`` (the revision this window started from), ``theirs`` (what another
window saved meanwhile, now current) and ``mine`` (this window's answers). It works on units a person
recognises: each field of the assessment's details (``meta.title``), each answer with its comment and
evidence (``answers.legal_basis``), and each repeat group as a whole (``repeats.recipients``: recipients are
added, removed and edited together). A unit changed on one side only takes that side; changed on both
sides to different values, it is a clash. Without a base (thinned out of the history) every difference is
a clash: nothing is decided for the person. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pipia.answers.format import Answers

Side = Literal["theirs", "mine"]


@dataclass(frozen=True)
class Clash:
    """A unit both windows changed differently: its name and the two values."""

    unit: str  # meta.<field>, answers.<question id> or repeats.<group>
    theirs: Any  # the unit's value: a meta field, a Response, a tuple of items; None when absent
    mine: Any


@dataclass(frozen=True)
class Merge:
    """``merged`` takes every unit only one side changed from that side, and clashing units from theirs."""

    merged: Answers
    clashes: tuple[Clash, ...]
    taken_from_mine: tuple[str, ...]  # units only this window changed, kept in the merge

    def resolve(self, choices: Mapping[str, Side]) -> Answers:
        """The merged answers with each clash settled as chosen; KeyError names a clash left unchosen."""
        result = self.merged
        for clash in self.clashes:
            if choices[clash.unit] == "mine":
                result = _with(result, clash.unit, clash.mine)
        return result


def merge(base: Answers | None, theirs: Answers, mine: Answers) -> Merge:
    """Three-way merge of two windows' answers: a unit only ``mine`` changed from ``base`` is taken from mine; one both
    changed is a Clash and keeps theirs. With no base every difference clashes.
    """
    merged, clashes, taken = theirs, [], []
    for unit in _units(theirs, mine, base):
        t, m = _get(theirs, unit), _get(mine, unit)
        if t == m:
            continue
        b = _get(base, unit) if base is not None else _MISSING
        if b == t:  # only this window changed it
            merged = _with(merged, unit, m)
            taken.append(unit)
        elif b != m:  # both changed it, differently (or no base to tell)
            clashes.append(Clash(unit, t, m))
    return Merge(merged, tuple(clashes), tuple(taken))


_MISSING = object()


def _units(*versions: Answers | None) -> list[str]:
    units: dict[str, None] = {}
    for answers in versions:
        if answers is None:
            continue
        units.update(dict.fromkeys(f"meta.{f}" for f in type(answers.meta).model_fields))
        units.update(dict.fromkeys(f"answers.{q}" for q in answers.answers))
        units.update(dict.fromkeys(f"repeats.{g}" for g in answers.repeats))
    return list(units)


def _get(answers: Answers | None, unit: str) -> Any:
    if answers is None:
        return None
    kind, _, name = unit.partition(".")
    if kind == "meta":
        return getattr(answers.meta, name)
    if kind == "answers":
        return answers.answers.get(name)
    return answers.repeats.get(name) or None


def _with(answers: Answers, unit: str, value: Any) -> Answers:
    kind, _, name = unit.partition(".")
    if kind == "meta":
        return answers.model_copy(update={"meta": answers.meta.model_copy(update={name: value})})
    if kind == "answers":
        responses = {k: v for k, v in answers.answers.items() if k != name}
        if value is not None:
            responses[name] = value
        return answers.model_copy(update={"answers": responses})
    groups = {k: v for k, v in answers.repeats.items() if k != name}
    if value:
        groups[name] = value
    return answers.model_copy(update={"repeats": groups})
