"""Who may do what: users, their roles on each assessment, and a store that enforces them.

A team server holds many organisations' assessments; each person sees and changes only those they
were given a role on, whatever page, URL parameter, import or export they come through. The check lives
here, in the store, so no page can forget it:

    directory = Directory(store)
    user = directory.sign_in("dpo@example.com", "王五", admin_email=settings.admin)
    mine = UserStore(store, user)           # every call checks the user's roles on the assessment
    mine.list_assessments()                 # only the assessments the user has a role on
    mine.save(a.id, edited, a.revision)     # AccessDeniedError unless owner or editor

Roles per assessment (a user may hold several):

- **owner** — everything an editor does, plus archiving, deleting and granting roles; whoever creates
  an assessment owns it;
- **editor** — fills in answers, names versions, restores older ones, submits sections for review;
- **reviewer** — marks submitted sections acceptable / improvable / to be corrected;
- **approver** — approves or rejects the assessment (and records the DPO's opinion);
- **viewer** — reads and exports.

A global **admin** may do everything on every assessment and makes other users admin. The single-user
app runs as one local admin (``Directory.local_user``), so nothing is harder for one person on one
machine. A user with no role on an assessment is told it does not exist (UnknownAssessmentError): a
crafted URL learns nothing. A user who may see it but not do the thing asked gets AccessDeniedError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal, get_args

from sqlalchemy import Connection, delete, insert, select, update

from pipia.answers.format import Answers
from pipia.i18n import msg
from pipia.store import actions as tracking
from pipia.store import review as reviewing
from pipia.store.assessments import UNKNOWN_MOMENT, Store
from pipia.store.diff import Change
from pipia.store.errors import StoreError, UnknownAssessmentError
from pipia.store.records import Assessment, Completeness, ListPage, Revision, Summary
from pipia.store.schema import assessments, roles, users
from pipia.team.actions import ActionRecord
from pipia.team.review import ReviewError, ReviewState, Verdict, check_approval, check_submit, check_verdict

Role = Literal["owner", "editor", "reviewer", "approver", "viewer"]
ROLES: tuple[Role, ...] = get_args(Role)
Permission = Literal["view", "edit", "review", "approve", "manage"]
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    "owner": frozenset({"view", "edit", "manage"}),
    "editor": frozenset({"view", "edit"}),
    "reviewer": frozenset({"view", "review"}),
    "approver": frozenset({"view", "approve"}),
    "viewer": frozenset({"view"}),
}
# The one user of the single-user app (no sign-in).
LOCAL_USER_ID = "local"


@dataclass(frozen=True)
class User:
    """A person who signs in. ``id`` is the lower-cased e-mail address (``local`` in the single-user app)."""

    id: str
    name: str
    admin: bool = False

    @property
    def label(self) -> str:
        """How records name this user: "name <email>", or the id alone when no name is known."""
        return self.id if self.name in ("", self.id) else f"{self.name} <{self.id}>"


@dataclass(frozen=True)
class Grant:
    """One role of one user on one assessment. ``granted_at`` is timezone-aware UTC."""

    assessment_id: str
    user: User
    role: Role
    granted_by: str | None
    granted_at: dt.datetime


class AccessDeniedError(StoreError, PermissionError):
    """The user may see the assessment but not do this to it (e.g. a viewer saving)."""

    def __init__(self, user_id: str, assessment_id: str | None, permission: str) -> None:
        self.user_id = user_id
        self.assessment_id = assessment_id
        self.permission = permission
        where = f"assessment {assessment_id!r}" if assessment_id else "this store"
        super().__init__(f"user {user_id!r} may not {permission} {where}")
        self.said = msg("store_not_allowed")


def user_id(email: str) -> str:
    """The id of the user signing in with ``email``: trimmed and lower-cased (addresses are compared so)."""
    cleaned = email.strip().lower()
    if not cleaned:
        raise StoreError(msg("store_email_needed"))
    return cleaned


def allowed(user: User, held: Iterable[Role], permission: Permission) -> bool:
    """Whether a user holding roles ``held`` on an assessment may do ``permission`` to it."""
    return user.admin or any(permission in PERMISSIONS[role] for role in held)


class Directory:
    """The users of a store: created at first sign-in, made admin by the configured admin e-mail."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def sign_in(self, email: str, name: str = "", *, admin_email: str | None = None) -> User:
        """The user signing in with ``email``, created at the first sign-in.

        A user whose address is ``admin_email`` becomes admin at sign-in (and stays admin: taking it back
        is the admin page's job, never a side effect of a configuration change). The name is refreshed
        from the identity provider at every sign-in.
        """
        uid = user_id(email)
        make_admin = admin_email is not None and admin_email.strip() != "" and uid == user_id(admin_email)
        with self._store._write() as conn:
            return _upsert(conn, uid, name.strip() or uid, self._store._now(), admin=make_admin)

    def local_user(self) -> User:
        """The single-user app's one user: an admin, so one person can do everything."""
        with self._store._write() as conn:
            return _upsert(conn, LOCAL_USER_ID, LOCAL_USER_ID, self._store._now(), admin=True, seen=False)

    def get(self, uid: str) -> User:
        """The user with id ``uid``; raises StoreError when there is none."""
        with self._store._read() as conn:
            row = conn.execute(select(users).where(users.c.id == uid)).one_or_none()
        if row is None:
            raise StoreError(f"no user {uid!r}")
        return _user(row)

    def list_users(self) -> list[User]:
        """Every user, by id: who can be given a role."""
        with self._store._read() as conn:
            return [_user(row) for row in conn.execute(select(users).order_by(users.c.id))]


class UserStore:
    """The store as one user may use it: the same calls as ``Store``, each checked against the user's roles.

    Every revision written through it records the user as its author.
    """

    def __init__(self, store: Store, user: User) -> None:
        self.store = store.by(user.id)
        self.user = user

    # -- what the user may do ------------------------------------------------------------------------
    def roles_on(self, assessment_id: str) -> frozenset[Role]:
        """The user's roles on the assessment (empty when none)."""
        with self.store._read() as conn:
            return _held(conn, assessment_id, self.user.id)

    def can(self, assessment_id: str, permission: Permission) -> bool:
        """Whether this user may do ``permission`` on the assessment, from their roles on it."""
        return allowed(self._current(), self.roles_on(assessment_id), permission)

    def require(self, assessment_id: str, permission: Permission) -> frozenset[Role]:
        """Raise unless the user may do ``permission``: UnknownAssessmentError when the user may not even
        see it (or it does not exist), AccessDeniedError when they may see it but not do this."""
        return self._require(self._current(), assessment_id, permission)

    def _require(self, user: User, assessment_id: str, permission: Permission) -> frozenset[Role]:
        held = self.roles_on(assessment_id)
        if not allowed(user, held, "view"):
            raise UnknownAssessmentError(assessment_id)
        if not allowed(user, held, permission):
            raise AccessDeniedError(user.id, assessment_id, permission)
        return held

    def _check(self, assessment_id: str, permission: Permission) -> None:
        """``require`` for a call that needs no roles back. An admin may do everything on every assessment,
        whatever roles they hold, so for them the roles are not read; anyone else's are read at each call, so a
        role granted or taken back counts at once (and an administrator right, see ``_current``)."""
        user = self._current()
        if not user.admin:
            self._require(user, assessment_id, permission)

    def _current(self) -> User:
        """The user as the store has them now. Whether one who was an admin at sign-in still is, is read at each
        call, as roles are: a right another admin took back counts at once, not at the next sign-in. Anyone
        else's record is not read (a right given later waits for their next sign-in, which takes nothing from
        anyone), nor the single-user app's local user's (an admin by definition: ``Directory.local_user``)."""
        if not self.user.admin or self.user.id == LOCAL_USER_ID:
            return self.user
        with self.store._read() as conn:
            admin = bool(conn.execute(select(users.c.admin).where(users.c.id == self.user.id)).scalar())
        return self.user if admin else User(self.user.id, self.user.name, admin=False)

    # -- assessments ---------------------------------------------------------------------------------
    def create(self, answers: Answers, *, title: str | None = None, completeness: Completeness | None = None,
               risk: str | None = None) -> Assessment:
        """A new assessment, owned by the user."""
        return self.store.create(answers, title=title, completeness=completeness, risk=risk)

    def import_answers(self, answers: Answers, *, title: str | None = None) -> Assessment:
        """A new assessment from an answers file the caller has parsed and checked, owned by this user."""
        return self.store.import_answers(answers, title=title)

    def get(self, assessment_id: str) -> Assessment:
        """The assessment ``assessment_id``. Raises UnknownAssessmentError when the user may not see it,
        AccessDeniedError when they may see it but not view it (never).
        """
        self._check(assessment_id, "view")
        return self.store.get(assessment_id)

    def current_revision(self, assessment_id: str) -> int:
        """The number of the assessment's current revision, for one who may see it.

        The app asks at every rerun (has another window saved?): the user's roles and the revision are read
        in one query, so a role taken back counts at once at the price of one look at the database.
        """
        user = self._current()
        if user.admin:
            return self.store.current_revision(assessment_id)
        mine = (roles.c.assessment_id == assessments.c.id) & (roles.c.user_id == self.user.id)
        with self.store._read() as conn:
            rows = conn.execute(select(assessments.c.revision, roles.c.role)
                                .select_from(assessments.outerjoin(roles, mine))
                                .where(assessments.c.id == assessment_id)).all()
        if not rows or not allowed(user, {row.role for row in rows if row.role is not None}, "view"):
            raise UnknownAssessmentError(assessment_id)
        return int(rows[0].revision)

    def list_assessments(self, *, include_archived: bool = False) -> list[Summary]:
        """The assessments the user has a role on (every one for an admin)."""
        listed = self.store.list_assessments(include_archived=include_archived)
        if self._current().admin:
            return listed
        with self.store._read() as conn:
            mine = set(conn.execute(select(roles.c.assessment_id).where(roles.c.user_id == self.user.id)).scalars())
        return [s for s in listed if s.id in mine]

    def list_page(self, *, start: int = 0, count: int = 25, query: str = "",
                  include_archived: bool = False) -> ListPage:
        """A page of the assessments the user has a role on (every one for an admin); see ``Store.list_page``."""
        mine = None if self._current().admin else assessments.c.id.in_(
            select(roles.c.assessment_id).where(roles.c.user_id == self.user.id))
        return self.store.list_page(start=start, count=count, query=query, include_archived=include_archived,
                                    among=mine)

    def save(self, assessment_id: str, answers: Answers, expected_revision: int, *,
             completeness: Completeness | None = None, risk: str | None = None,
             changed_from: Answers | None = None) -> Assessment:
        """Save ``answers`` as the next revision, with completeness (0-100) and risk level for the list; ConflictError
        when ``expected_revision`` is not the latest (``changed_from``: see ``Store.save``). Raises
        UnknownAssessmentError when the user may not see it, AccessDeniedError when they may see it but not edit.
        """
        self._check(assessment_id, "edit")
        return self.store.save(assessment_id, answers, expected_revision, completeness=completeness, risk=risk,
                               changed_from=changed_from)

    def duplicate(self, assessment_id: str, *, title: str | None = None) -> Assessment:
        """A re-assessment from one the user may see; the user owns the copy."""
        self._check(assessment_id, "view")
        return self.store.duplicate(assessment_id, title=title)

    def archive(self, assessment_id: str) -> None:
        """Move the assessment to the archive. Raises UnknownAssessmentError when the user may not see it,
        AccessDeniedError when they may see it but not manage it.
        """
        self._check(assessment_id, "manage")
        self.store.archive(assessment_id)

    def unarchive(self, assessment_id: str) -> None:
        """Bring the assessment back from the archive. Raises UnknownAssessmentError when the user may not see it,
        AccessDeniedError when they may see it but not manage it.
        """
        self._check(assessment_id, "manage")
        self.store.unarchive(assessment_id)

    def delete(self, assessment_id: str) -> None:
        """Delete the assessment and its history. Raises UnknownAssessmentError when the user may not see it,
        AccessDeniedError when they may see it but not manage it.
        """
        self._check(assessment_id, "manage")
        self.store.delete(assessment_id)

    def export(self, assessment_id: str, fmt: Literal["yaml", "json"] = "yaml", *,
               revision: int | None = None) -> str:
        """The answers file of the assessment (at ``revision``, else the latest) as YAML or JSON text. Raises
        UnknownAssessmentError when the user may not see it, AccessDeniedError when they may see it but not view it.
        """
        self._check(assessment_id, "view")
        return self.store.export(assessment_id, fmt, revision=revision)

    # -- history -------------------------------------------------------------------------------------
    def revisions(self, assessment_id: str, *, named_only: bool = False) -> list[Revision]:
        """The saved revisions of the assessment, newest first; only named snapshots
        with ``named_only``. Raises UnknownAssessmentError when the user may not see it, AccessDeniedError when they may
        see it but not view it.
        """
        self._check(assessment_id, "view")
        return self.store.revisions(assessment_id, named_only=named_only)

    def snapshot(self, assessment_id: str, name: str, *, revision: int | None = None) -> Revision:
        """Name a revision (the latest when None) so it can be found again. Raises UnknownAssessmentError when the user
        may not see it, AccessDeniedError when they may see it but not edit.
        """
        self._check(assessment_id, "edit")
        return self.store.snapshot(assessment_id, name, revision=revision)

    def answers_at(self, assessment_id: str, revision: int) -> Answers:
        """The answers as saved in ``revision``; UnknownRevisionError for a revision that does not exist. Raises
        UnknownAssessmentError when the user may not see it, AccessDeniedError when they may see it but not view it.
        """
        self._check(assessment_id, "view")
        return self.store.answers_at(assessment_id, revision)

    def diff(self, assessment_id: str, rev_a: int, rev_b: int) -> list[Change]:
        """The changes between revisions ``rev_a`` and ``rev_b``, question by question. Raises UnknownAssessmentError
        when the user may not see it, AccessDeniedError when they may see it but not view it.
        """
        self._check(assessment_id, "view")
        return self.store.diff(assessment_id, rev_a, rev_b)

    def restore(self, assessment_id: str, revision: int, *, completeness: Completeness | None = None,
                risk: str | None = None) -> Assessment:
        """Save the answers of ``revision`` again as the newest revision (history is kept). Raises
        UnknownAssessmentError when the user may not see it, AccessDeniedError when they may see it but not edit.
        """
        self._check(assessment_id, "edit")
        return self.store.restore(assessment_id, revision, completeness=completeness, risk=risk)

    # -- the action plan -----------------------------------------------------------------------------
    def actions(self, assessment_id: str) -> dict[str, ActionRecord]:
        """How each finding's action is tracked, by finding key (see pipia.team.actions)."""
        self._check(assessment_id, "view")
        return tracking.records(self.store, assessment_id)

    def track(self, assessment_id: str, record: ActionRecord) -> ActionRecord:
        """Keep how one finding's action is tracked (owners and editors). Raises ActionError when the record
        says too little for its status (risk accepted with no justification, done with no evidence)."""
        self._check(assessment_id, "edit")
        return tracking.track(self.store, assessment_id, record, author=self.user.id)

    def overdue_counts(self, today: dt.date) -> dict[str, int]:
        """Overdue actions per assessment the user can see (only those with any)."""
        counts = tracking.overdue_counts(self.store, today)
        if self._current().admin:
            return counts
        visible = {s.id for s in self.list_assessments(include_archived=True)}
        return {k: v for k, v in counts.items() if k in visible}

    # -- review and approval -------------------------------------------------------------------------
    def review(self, assessment_id: str) -> ReviewState:
        """Where the review and approval stand (see pipia.team.review)."""
        self._check(assessment_id, "view")
        return reviewing.review_state(self.store, assessment_id)

    def submit(self, assessment_id: str, section: str) -> ReviewState:
        """Submit a section for review (owners and editors)."""
        self._check(assessment_id, "edit")
        return reviewing.record(self.store, assessment_id, "submitted", author=self.user.id, section=section,
                                check=lambda now: check_submit(now, section))

    def assess_section(self, assessment_id: str, section: str, verdict: Verdict, comment: str = "") -> ReviewState:
        """A reviewer's verdict on a submitted section; "to be corrected" reopens it (reviewers only)."""
        self._check(assessment_id, "review")
        return reviewing.record(self.store, assessment_id, verdict, author=self.user.id, section=section,
                                text=comment, check=lambda now: check_verdict(now, section, verdict, comment))

    def dpo_opinion(self, assessment_id: str, opinion: str) -> ReviewState:
        """Record the PI protection officer's opinion (a reviewer or an approver records it)."""
        user = self._current()
        held = self._require(user, assessment_id, "view")
        if not (allowed(user, held, "review") or allowed(user, held, "approve")):
            raise AccessDeniedError(self.user.id, assessment_id, "record the DPO opinion on")
        if not opinion.strip():
            raise ReviewError(msg("review_error_opinion_needed"))
        return reviewing.record(self.store, assessment_id, "dpo_opinion", author=self.user.id, text=opinion)

    def approve(self, assessment_id: str, sections: list[str], attested: tuple[bool, bool, bool],
                version_name: str, opinion: str = "") -> ReviewState:
        """Approve the current revision (approvers only), attesting that the description is accurate, the
        risks are understood and the action plan is accepted; every section in ``sections`` (the bank's)
        must be reviewed acceptable or improvable. The revision is kept as the named version
        ``version_name``. Raises ReviewError when a condition is not met."""
        self._check(assessment_id, "approve")
        return reviewing.record(self.store, assessment_id, "approved", author=self.user.id, text=opinion,
                                check=lambda now: check_approval(now, sections, attested), version_name=version_name)

    def reject(self, assessment_id: str, reason: str) -> ReviewState:
        """Reject the assessment with a reason (approvers only)."""
        self._check(assessment_id, "approve")
        if not reason.strip():
            raise ReviewError(msg("review_error_reason_needed"))
        return reviewing.record(self.store, assessment_id, "rejected", author=self.user.id, text=reason)

    # -- roles ---------------------------------------------------------------------------------------
    def grants(self, assessment_id: str) -> list[Grant]:
        """Who holds which role on the assessment, by user then role."""
        self._check(assessment_id, "view")
        query = (select(roles, users.c.name, users.c.admin).join(users, users.c.id == roles.c.user_id)
                 .where(roles.c.assessment_id == assessment_id).order_by(roles.c.user_id, roles.c.role))
        with self.store._read() as conn:
            return [Grant(row.assessment_id, User(row.user_id, row.name, bool(row.admin)), row.role,
                          row.granted_by, _utc(row.granted_at)) for row in conn.execute(query)]

    def grant(self, assessment_id: str, email: str, role: Role) -> None:
        """Give the user with ``email`` a role (owners and admins only). A user who never signed in is
        registered by address and finds the assessment at first sign-in."""
        if role not in ROLES:
            raise StoreError(msg("store_unknown_role", role=role))
        self._check(assessment_id, "manage")
        uid = user_id(email)
        with self.store._write() as conn:
            now = self.store._now()
            _upsert(conn, uid, uid, now, admin=False, seen=False, refresh=False)
            if role in _held(conn, assessment_id, uid):
                return
            conn.execute(insert(roles).values(assessment_id=assessment_id, user_id=uid, role=role,
                                              granted_by=self.user.id, granted_at=now))

    def revoke(self, assessment_id: str, email: str, role: Role) -> None:
        """Take a role back (owners and admins only)."""
        self._check(assessment_id, "manage")
        with self.store._write() as conn:
            conn.execute(delete(roles).where((roles.c.assessment_id == assessment_id)
                                             & (roles.c.user_id == user_id(email)) & (roles.c.role == role)))

    def set_admin(self, email: str, admin: bool) -> None:
        """Make a user admin or take it back (admins only; an admin cannot demote themself, so the
        store always keeps one)."""
        if not self._current().admin:
            raise AccessDeniedError(self.user.id, None, "manage users of")
        uid = user_id(email)
        if uid == self.user.id and not admin:
            raise StoreError(msg("store_admin_own_right"))
        with self.store._write() as conn:
            _upsert(conn, uid, uid, self.store._now(), admin=admin, seen=False, refresh=False)
            conn.execute(update(users).where(users.c.id == uid).values(admin=admin))


def _held(conn: Connection, assessment_id: str, uid: str) -> frozenset[Role]:
    query = select(roles.c.role).where((roles.c.assessment_id == assessment_id) & (roles.c.user_id == uid))
    return frozenset(conn.execute(query).scalars())


def _upsert(conn: Connection, uid: str, name: str, now: dt.datetime, *, admin: bool, seen: bool = True,
            refresh: bool = True) -> User:
    """Create the user or update what sign-in refreshes; ``admin`` only ever raises the flag here."""
    row = conn.execute(select(users).where(users.c.id == uid).with_for_update()).one_or_none()
    if row is None:
        conn.execute(insert(users).values(id=uid, name=name, admin=admin, created_at=now, seen_at=now))
        return User(uid, name, admin)
    changes: dict[str, Any] = {}
    if refresh and name != row.name:
        changes["name"] = name
    if admin and not row.admin:
        changes["admin"] = True
    if seen:
        changes["seen_at"] = now
    if changes:
        conn.execute(update(users).where(users.c.id == uid).values(**changes))
    return User(uid, changes.get("name", row.name), bool(row.admin) or admin)


def _user(row: Any) -> User:
    return User(row.id, row.name, bool(row.admin))


def _utc(value: dt.datetime | None) -> dt.datetime:
    if value is None:  # a damaged timestamp (see schema.Moment)
        return UNKNOWN_MOMENT
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
