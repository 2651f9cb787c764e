"""What the team recorded about an assessment beyond its answers, as the report and the pages read it:
how each finding's action is tracked (see actions), the review and approval (see review) and, for the
report's date of reference, today.

A report made from an answers file alone (the CLI) has no tracking: every action is open, as a freshly
adopted plan's are, and the report is a draft: nobody approved it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipia.team.actions import ActionRecord
from pipia.team.review import ReviewState


@dataclass(frozen=True)
class Tracking:
    """What the team recorded beside the answers, for the report: each finding's action (status, owner, due date), the
    day overdue is judged on, and the review log.
    """

    actions: Mapping[str, ActionRecord] = field(default_factory=dict)  # by finding key
    today: dt.date | None = None  # the day overdue is judged on; None: nothing is shown as overdue
    review: ReviewState | None = None  # the review and approval log; None: not reviewed, so a draft

    @property
    def approved(self) -> bool:
        """Whether the assessment was approved in review; without a review it is a draft."""
        return self.review is not None and self.review.approved
