"""The review and approval log in the store: append-only events (see pipia.team.review), each checked against
the state the log gives at the moment it is written, inside the same transaction that holds the
assessment's row lock, so two reviewers clicking at once cannot both act on a stale state.

Called through ``UserStore`` (which checks the user's role first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, insert, select, update

from pipia.i18n import msg
from pipia.store.assessments import UNKNOWN_MOMENT, Store
from pipia.store.errors import StoreError, UnknownAssessmentError
from pipia.store.schema import assessments, reviews, revisions, users
from pipia.team.review import Event, EventKind, ReviewState, state


def review_state(store: Store, assessment_id: str) -> ReviewState:
    """The review and approval state of the assessment at its current revision, from its event log. Raises
    UnknownAssessmentError for an unknown id.
    """
    with store._read() as conn:
        current = conn.execute(select(assessments.c.revision).where(assessments.c.id == assessment_id)
                               ).scalar_one_or_none()
        if current is None:
            raise UnknownAssessmentError(assessment_id)
        return state(_events(conn, assessment_id), current)


def record(store: Store, assessment_id: str, kind: EventKind, *, author: str, section: str | None = None,
           text: str = "", check: Callable[[ReviewState], None] | None = None,
           version_name: str | None = None) -> ReviewState:
    """Append one event, after ``check`` passes on the state as it is now; an approval also names the
    current revision ``version_name``. Returns the state after the event."""
    with store._write() as conn:
        current = conn.execute(select(assessments.c.revision).where(assessments.c.id == assessment_id)
                               .with_for_update()).scalar_one_or_none()
        if current is None:
            raise UnknownAssessmentError(assessment_id)
        before = state(_events(conn, assessment_id), current)
        if check is not None:
            check(before)
        if version_name is not None:
            if not version_name.strip():
                raise StoreError(msg("store_version_needs_name"))
            conn.execute(update(revisions).where((revisions.c.assessment_id == assessment_id)
                                                 & (revisions.c.revision == current))
                         .values(name=version_name.strip()))
        conn.execute(insert(reviews).values(
            assessment_id=assessment_id, revision=current, kind=kind, section=section, text=text.strip(),
            author=author, at=store._now(), version_name=version_name.strip() if version_name else None))
        return state(_events(conn, assessment_id), current)


def _events(conn: Connection, assessment_id: str) -> Sequence[Event]:
    query = (select(reviews, users.c.name).outerjoin(users, users.c.id == reviews.c.author)
             .where(reviews.c.assessment_id == assessment_id).order_by(reviews.c.id))
    return [Event(kind=row.kind, revision=row.revision, at=_utc(row.at), author=row.author,
                  author_name=row.name or row.author, section=row.section, text=row.text,
                  version_name=row.version_name) for row in conn.execute(query)]


def _utc(value: dt.datetime | None) -> dt.datetime:
    # None: a damaged timestamp (see schema.Moment), shown as unknown.
    return UNKNOWN_MOMENT if value is None else value.replace(tzinfo=dt.UTC)
