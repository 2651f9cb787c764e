"""Review and approval: what happened to an assessment on its way to being signed off, and where it stands.

The store keeps an append-only log of events (who, when, at which revision, with what comment); the
state is worked out from it here, so the history of every decision stays readable:

- an editor **submits** a section for review;
- a reviewer marks a submitted section **acceptable**, **improvable** or **to be corrected** (the last two
  with a comment); "to be corrected" reopens the section: it must be submitted again;
- the DPO's **opinion** is recorded (the report's approval page prints it);
- the approver **approves** (attesting that the description is accurate, the risks are understood and the
  action plan is accepted) once every section is reviewed and none is to be corrected, or **rejects**
  with a reason. Approving names the current revision as a version, which history keeps for good.

An approval holds for the revision it was given on: any later edit makes a new revision, so the
assessment is no longer approved (the approved version stays in the history) and its report is a draft
again (GB/T 39335-2020 §5.7 asks for the report to be approved by the person in charge; an approval of
other answers is no approval of these).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from pipia.errors import PipiaError
from pipia.i18n import Message, msg

EventKind = Literal["submitted", "acceptable", "improvable", "to_be_corrected", "dpo_opinion", "approved",
                    "rejected"]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)
Verdict = Literal["acceptable", "improvable", "to_be_corrected"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
SectionStatus = Literal["not_submitted", "submitted", "acceptable", "improvable", "to_be_corrected"]
STATUS_LABELS: dict[SectionStatus, Message] = {
    "not_submitted": msg("review_status_not_submitted"),
    "submitted": msg("review_status_submitted"),
    "acceptable": msg("review_status_acceptable"),
    "improvable": msg("review_status_improvable"),
    "to_be_corrected": msg("review_status_to_be_corrected"),
}
# Who each kind of event speaks for, as the approval page names them.
ROLE_OF: dict[EventKind, Message] = {
    "submitted": msg("review_actor_assessor"),
    "acceptable": msg("review_actor_reviewer"),
    "improvable": msg("review_actor_reviewer"),
    "to_be_corrected": msg("review_actor_reviewer"),
    "dpo_opinion": msg("review_actor_dpo"),
    "approved": msg("review_actor_approver"),
    "rejected": msg("review_actor_approver"),
}


class ReviewError(PipiaError):
    """A review step that cannot be taken now; ``said`` tells the user why (a ``review_error_*`` text of the
    catalogue), ``str(exc)`` in English."""

    said: Message

    def __init__(self, said: Message) -> None:
        super().__init__(said)


@dataclass(frozen=True)
class Event:
    """One step of the review. ``at`` is timezone-aware UTC; ``author`` a user id, ``author_name`` how the
    store knows them."""

    kind: EventKind
    revision: int
    at: dt.datetime
    author: str
    author_name: str = ""
    section: str | None = None
    text: str = ""
    version_name: str | None = None


@dataclass(frozen=True)
class SectionReview:
    """Where a section stands in review (not_submitted, submitted, acceptable, improvable, to_be_corrected) and the
    event that set it.
    """

    status: SectionStatus = "not_submitted"
    last: Event | None = None  # the event that set the status


@dataclass(frozen=True)
class ReviewState:
    """Where the assessment stands, for its current revision."""

    sections: dict[str, SectionReview] = field(default_factory=dict)
    dpo_opinion: Event | None = None
    decision: Event | None = None  # the last approval or rejection, whichever revision it was on
    current_revision: int = 0
    events: tuple[Event, ...] = ()

    @property
    def approved(self) -> bool:
        """Approved, and nothing changed since."""
        return (self.decision is not None and self.decision.kind == "approved"
                and self.decision.revision == self.current_revision)

    @property
    def approval_dropped(self) -> bool:
        """Once approved, then edited: the approval was for other answers."""
        return (self.decision is not None and self.decision.kind == "approved"
                and self.decision.revision != self.current_revision)

    def section(self, section_id: str) -> SectionReview:
        """The review of ``section_id``; not submitted when it has no event."""
        return self.sections.get(section_id, SectionReview())

    def pending(self, section_ids: Iterable[str]) -> list[str]:
        """The sections not yet reviewed as acceptable or improvable (so approval must wait)."""
        return [s for s in section_ids if self.section(s).status not in ("acceptable", "improvable")]


def state(events: Sequence[Event], current_revision: int) -> ReviewState:
    """The review state from the events in the order they happened."""
    sections: dict[str, SectionReview] = {}
    opinion = decision = None
    for event in events:
        if event.kind == "dpo_opinion":
            opinion = event
        elif event.kind in ("approved", "rejected"):
            decision = event
        elif event.section is not None:
            sections[event.section] = SectionReview(event.kind, event)  # type: ignore[arg-type]
    return ReviewState(sections, opinion, decision, current_revision, tuple(events))


def check_submit(current: ReviewState, section: str) -> None:
    """A section may be submitted unless it already awaits review."""
    if current.section(section).status == "submitted":
        raise ReviewError(msg("review_error_already_submitted"))


def check_verdict(current: ReviewState, section: str, verdict: Verdict, comment: str) -> None:
    """Raise ReviewError unless a reviewer may give ``verdict`` on ``section``: a known verdict, on a submitted section,
    with a comment unless acceptable.
    """
    if verdict not in VERDICTS:
        raise ReviewError(msg("review_error_verdict", verdict=verdict))
    if current.section(section).status != "submitted":
        raise ReviewError(msg("review_error_not_submitted"))
    if verdict != "acceptable" and not comment.strip():
        raise ReviewError(msg("review_error_comment_needed"))


def check_approval(current: ReviewState, sections: Sequence[str], attested: tuple[bool, bool, bool]) -> None:
    """Raise ReviewError unless the assessment may be approved: all three attestations given and none of ``sections``
    pending review.
    """
    if not all(attested):
        raise ReviewError(msg("review_error_attestations_needed"))
    pending = current.pending(sections)
    if pending:
        raise ReviewError(msg("review_error_sections_pending"))
