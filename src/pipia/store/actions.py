"""The action plan's tracking in the store: one row per finding an organisation decided something about.

Read and written through ``UserStore.actions`` / ``UserStore.track`` (which check the user's role); the
functions here take the plain store for the CLI and for those methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, insert, select, update

from pipia.store.assessments import Store
from pipia.store.errors import UnknownAssessmentError
from pipia.store.schema import actions, assessments
from pipia.team.actions import PENDING, STATUSES, ActionRecord


def records(store: Store, assessment_id: str) -> dict[str, ActionRecord]:
    """Every tracked action of the assessment, by finding key."""
    with store._read() as conn:
        if conn.execute(select(assessments.c.id).where(assessments.c.id == assessment_id)).first() is None:
            raise UnknownAssessmentError(assessment_id)
        rows = conn.execute(select(actions).where(actions.c.assessment_id == assessment_id))
        # A damaged row reads as far as it can: an unknown status as still open (never as done), an unreadable
        # date or time as unknown (None), so one bad value does not hide the whole plan.
        return {row.key: ActionRecord(key=row.key, owner=row.owner or "", due=row.due,
                                      status=row.status if row.status in STATUSES else "open",
                                      evidence=row.evidence or "", justification=row.justification or "",
                                      updated_at=row.updated_at and row.updated_at.replace(tzinfo=dt.UTC),
                                      updated_by=row.updated_by)
                for row in rows}


def track(store: Store, assessment_id: str, record: ActionRecord, *, author: str | None) -> ActionRecord:
    """Keep ``record`` as the finding's tracking (replacing any earlier). Raises ActionError when the record
    says too little for its status, UnknownAssessmentError when there is no such assessment."""
    record.check()
    now = store._now()
    values = {"owner": record.owner.strip(), "due": record.due, "status": record.status,
              "evidence": record.evidence.strip(), "justification": record.justification.strip(),
              "updated_at": now, "updated_by": author}
    with store._write() as conn:
        if conn.execute(select(assessments.c.id).where(assessments.c.id == assessment_id)
                        .with_for_update()).first() is None:
            raise UnknownAssessmentError(assessment_id)
        where = (actions.c.assessment_id == assessment_id) & (actions.c.key == record.key)
        if conn.execute(update(actions).where(where).values(**values)).rowcount == 0:
            conn.execute(insert(actions).values(assessment_id=assessment_id, key=record.key, **values))
    return ActionRecord(key=record.key, owner=str(values["owner"]), due=record.due, status=record.status,
                        evidence=str(values["evidence"]), justification=str(values["justification"]),
                        updated_at=now.replace(tzinfo=dt.UTC), updated_by=author)


def overdue_counts(store: Store, today: dt.date, ids: Iterable[str] | None = None) -> dict[str, int]:
    """How many tracked actions of each assessment are past due and not done nor accepted (only those with any).

    Counts what was tracked: an action whose finding has since gone (the answer was fixed) still counts
    until it is marked done, which is what the fix should lead to anyway.
    """
    query = (select(actions.c.assessment_id, func.count()).where(
        (actions.c.due < today) & actions.c.status.in_(sorted(PENDING))).group_by(actions.c.assessment_id))
    if ids is not None:
        query = query.where(actions.c.assessment_id.in_(list(ids)))
    with store._read() as conn:
        return {row[0]: int(row[1]) for row in conn.execute(query)}
