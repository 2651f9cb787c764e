"""The action plan, tracked to done: every finding becomes an action with an owner, a due date, a status and
the evidence that closes it (GB/T 39335-2020 §5.8 asks for a plan of fixes; the CAC template's chapter 二
asks for the problems found and how they were rectified).

Findings come from the answers (scoring, consistency, route lapses) and change when the answers do; what
the organisation decided about each (who, by when, how far, with what proof) is kept apart, keyed by
``finding_key``, so a re-scored assessment keeps its tracking. A record whose finding is gone (the answer
that raised it was changed) is kept but no longer part of the plan.

Pure: no store, no UI. The store keeps ``ActionRecord``s; the results page, the report and the exports
read ``plan(...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from pipia.assessment.findings import Finding
from pipia.errors import PipiaError
from pipia.i18n import Message, msg

Status = Literal["open", "in_progress", "done", "risk_accepted"]
STATUSES: tuple[Status, ...] = get_args(Status)
STATUS_LABELS: Mapping[Status, Message] = {
    "open": msg("action_status_open"),
    "in_progress": msg("action_status_in_progress"),
    "done": msg("action_status_done"),
    "risk_accepted": msg("action_status_risk_accepted"),
}
# Statuses that still need work: these can be overdue.
PENDING: frozenset[Status] = frozenset({"open", "in_progress"})
_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


class ActionError(PipiaError):
    """An action record cannot be kept as given: an unknown status, a risk accepted without a justification
    or an action done without its evidence. ``said`` tells the user (an ``action_needs_*`` text)."""

    said: Message

    def __init__(self, said: Message) -> None:
        super().__init__(said)


@dataclass(frozen=True)
class ActionRecord:
    """What the organisation decided about one finding. ``updated_at`` is timezone-aware UTC."""

    key: str  # finding_key of the finding it tracks
    owner: str = ""
    due: dt.date | None = None
    status: Status = "open"
    evidence: str = ""  # what shows the fix was made (document, ticket, date)
    justification: str = ""  # why the risk is accepted (required for risk_accepted)
    updated_at: dt.datetime | None = None
    updated_by: str | None = None  # user id

    def check(self) -> None:
        """Raise ActionError when the record says too little for its status."""
        if self.status not in STATUSES:
            raise ActionError(msg("action_needs_status", status=self.status))
        if self.status == "risk_accepted" and not self.justification.strip():
            raise ActionError(msg("action_needs_justification"))
        if self.status == "done" and not self.evidence.strip():
            raise ActionError(msg("action_needs_evidence"))


@dataclass(frozen=True)
class Action:
    """One line of the action plan: the finding, its number in the report, and how it is tracked."""

    number: int  # as the report numbers findings: blocking first, then by severity
    key: str
    finding: Finding
    record: ActionRecord

    @property
    def status(self) -> Status:
        """The action's status: open, in_progress, done or risk_accepted."""
        return self.record.status

    def overdue(self, today: dt.date) -> bool:
        """Past its due date and still open or in progress."""
        return self.record.due is not None and self.record.due < today and self.record.status in PENDING


def finding_keys(findings: Iterable[Finding]) -> list[str]:
    """A stable key per finding, in the order given: kind and exact place (``gap:recipients[1].contract``);
    a second finding of the same kind at the same place gets ``#2``, and so on."""
    seen: dict[str, int] = {}
    keys = []
    for finding in findings:
        base = f"{finding.kind}:{finding.slot}"
        seen[base] = seen.get(base, 0) + 1
        keys.append(base if seen[base] == 1 else f"{base}#{seen[base]}")
    return keys


def ranked(findings: Sequence[Finding]) -> list[tuple[int, int]]:
    """(number, position in ``findings``) in the order findings must be dealt with (blocking, then by
    severity), numbered from 1: the report's numbering."""
    order = sorted(range(len(findings)),
                   key=lambda i: (not findings[i].blocking, _SEVERITY_ORDER[findings[i].severity], i))
    return list(enumerate(order, start=1))


def plan(findings: Sequence[Finding], records: Mapping[str, ActionRecord]) -> list[Action]:
    """The action plan: one action per finding, in report order, tracked by its record (open when none)."""
    keys = finding_keys(findings)
    return [Action(n, keys[i], findings[i], records.get(keys[i]) or ActionRecord(keys[i]))
            for n, i in ranked(findings)]


def overdue(actions: Iterable[Action], today: dt.date) -> list[Action]:
    """The actions past their due date on ``today`` and still open or in progress."""
    return [a for a in actions if a.overdue(today)]
