"""The Store: assessments, their history, and the rules that keep two tabs from losing each other's work.

Every operation is one transaction on its own connection, so one Store can serve every Streamlit
session at once (the app keeps one per database and process: ``ui.session.base_store``). Writes that
read first take the row lock up front (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite), so a save's check of the expected revision and its write can never be split by another writer.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, Row, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import aliased

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.files.resources import samples_dir
from pipia.i18n import msg
from pipia.store import schema
from pipia.store.codec import decode, encode
from pipia.store.database import WRITE, checkpoint, connect, default_url, give_space_back, reclaimable
from pipia.store.diff import Change, diff_answers
from pipia.store.errors import (
    ConflictError,
    DamagedAnswersError,
    StoreError,
    StoreUnavailableError,
    UnknownAssessmentError,
    UnknownRevisionError,
)
from pipia.store.packing import FULL_EVERY, is_full, pack_delta, pack_full, shared_ends, unpack
from pipia.store.records import Assessment, Completeness, ListPage, Revision, RevisionKind, Summary, matches
from pipia.store.schema import (
    DEPENDENT_TABLES,
    HAD_ASSESSMENTS,
    MIGRATIONS,
    Migration,
    assessments,
    properties,
    revisions,
    roles,
)

# History thinning (see prune): all revisions of the last day, the last of each hour until keep_days,
# then the last of each day. Named, conflict, first and current revisions are always kept.
KEEP_ALL = dt.timedelta(days=1)
KEEP_DAYS = 30
# A save prunes its own assessment's history every this many revisions, so a server that runs for
# months without a restart stays bounded too. It does so after its own transaction has committed, and
# deletes at most PRUNE_BATCH revisions per transaction: other writers wait milliseconds, not seconds.
PRUNE_EVERY = 100
PRUNE_BATCH = 200

_SUMMARY_COLUMNS = [c for c in assessments.c if c.name not in ("answers", "last_revision")]
_REVISION_COLUMNS = [c for c in revisions.c if c.name not in ("answers", "packed", "base")]
# The statements of every save, built once and given their values at each execution: building one costs
# SQLAlchemy 50-100 µs (each value coerced into a parameter, the statement's cache key worked out), several
# times what running it costs. ``the_id`` names the assessment (not ``id``: that is a column, set by name).
_LOCK = (select(*[c for c in assessments.c if c.name != "answers"]).where(assessments.c.id == bindparam("the_id"))
         .with_for_update())
_ANSWERS_OF = select(assessments.c.answers).where(assessments.c.id == bindparam("the_id"))
_LATEST_FULL_COPY = (select(revisions.c.revision, revisions.c.packed)
                     .where((revisions.c.assessment_id == bindparam("the_id")) & revisions.c.base.is_(None)
                            & revisions.c.packed.is_not(None))
                     .order_by(revisions.c.revision.desc()).limit(1))
_ADD_REVISION = insert(revisions)
_SET_ASSESSMENT = update(assessments).where(assessments.c.id == bindparam("the_id"))
_CURRENT_REVISION = select(assessments.c.revision).where(assessments.c.id == bindparam("the_id"))


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """The assessments database (SQLite by default, PostgreSQL for a team): assessments, their revisions kept
    compressed, named snapshots, review and tracking. Raises StoreUnavailableError when it cannot be opened.
    """

    def __init__(self, url: str, *, keep_days: int = KEEP_DAYS, echo: bool = False,
                 migrations: Sequence[Migration] = MIGRATIONS,
                 clock: Callable[[], dt.datetime] = _utcnow) -> None:
        """Open (and create or migrate) the database at ``url``, any SQLAlchemy URL."""
        self.url = url  # as given, password included: show repr(store) instead
        self.keep_days = keep_days
        self._clock = clock
        self._author: str | None = None
        # The text of each assessment's latest full copy, with its packed form: see _full_text.
        self._full_texts: dict[tuple[str, int], tuple[bytes, str]] = {}
        try:
            self._engine = connect(url, echo=echo)
        except (SQLAlchemyError, OSError) as exc:
            raise StoreUnavailableError(f"the database cannot be opened: {_reason(exc)}") from exc
        self._writer = self._engine.execution_options(**{WRITE: True})
        try:
            self.schema_version = schema.migrate(self._engine, migrations)
        except (DBAPIError, OSError) as exc:
            self._engine.dispose()
            hint = " (is it a pipia database, and is its folder writable?)" if self._engine.dialect.name == "sqlite" \
                else ""
            raise StoreUnavailableError(f"{self!r}: the database cannot be opened{hint}: {_reason(exc)}") from exc
        except BaseException:
            self._engine.dispose()
            raise
        reclaimable(self._engine)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **options: Any) -> Store:
        """The store the environment selects: ``PIPIA_DATABASE_URL``, else SQLite in ``PIPIA_DATA_DIR``."""
        return cls(default_url(environ), **options)

    def by(self, author: str | None) -> Store:
        """This store (same database and connections), recording ``author`` as the maker of every revision it
        writes and as the owner of every assessment it creates. Close the original, not this view."""
        view = copy.copy(self)
        view._author = author
        return view

    def __repr__(self) -> str:
        return f"Store({self._engine.url!r})"  # SQLAlchemy masks the password

    def close(self) -> None:
        """Close the database's connections."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- assessments ---------------------------------------------------------------------------------
    def create(self, answers: Answers, *, title: str | None = None, completeness: Completeness | None = None,
               risk: str | None = None) -> Assessment:
        """A new assessment at revision 1. ``title`` (if given) becomes the answers' ``meta.title``."""
        if title is not None:
            answers = answers.model_copy(update={"meta": answers.meta.model_copy(update={"title": title})})
        with self._write() as conn:
            return self._insert(conn, answers, completeness, risk)

    def import_answers(self, answers: Answers, *, title: str | None = None) -> Assessment:
        """A new assessment from an answers file the caller has parsed and checked."""
        return self.create(answers, title=title)

    def get(self, assessment_id: str) -> Assessment:
        """The assessment; DamagedAnswersError (naming the latest readable revision) when its answers
        cannot be read back."""
        with self._read() as conn:
            row = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).one_or_none()
            if row is None:
                raise UnknownAssessmentError(assessment_id)
            try:
                answers = decode(row.answers)
            except StoreError as exc:
                raise DamagedAnswersError(assessment_id, self._last_readable(conn, assessment_id), str(exc)) from exc
        return _assessment(row, answers)

    def current_revision(self, assessment_id: str) -> int:
        """The number of the assessment's current revision (cheap: for noticing another window's save)."""
        with self._read() as conn:
            number = conn.execute(_CURRENT_REVISION, {"the_id": assessment_id}).scalar_one_or_none()
        if number is None:
            raise UnknownAssessmentError(assessment_id)
        return int(number)

    def list_assessments(self, *, include_archived: bool = False) -> list[Summary]:
        """Most recently changed first; archived ones only when asked. Never parses answers."""
        query = select(*_SUMMARY_COLUMNS).order_by(assessments.c.updated_at.desc(), assessments.c.id)
        if not include_archived:
            query = query.where(assessments.c.archived.is_(False))
        with self._read() as conn:
            return [_summary(row) for row in conn.execute(query)]

    def list_page(self, *, start: int = 0, count: int = 25, query: str = "", include_archived: bool = False,
                  among: ColumnElement[bool] | None = None) -> ListPage:
        """``count`` rows of the list from row ``start`` (from 0), in ``list_assessments``' order, of the
        assessments matching every word of ``query`` in their title, organisation or bank id (ignoring case).

        What it costs follows the rows on the page, not the number stored: without a query the database
        counts and pages; with one, only the four columns searched are read to find the page's rows.
        ``among``: a condition on the assessments table that restricts the list (a user's roles).
        """
        order = (assessments.c.updated_at.desc(), assessments.c.id)
        where = [condition for condition in (None if include_archived else assessments.c.archived.is_(False), among)
                 if condition is not None]
        with self._read() as conn:
            stored = conn.execute(select(func.count()).select_from(assessments)
                                  .where(*([among] if among is not None else []))).scalar_one()
            if query.split():
                searched = conn.execute(select(assessments.c.id, assessments.c.title, assessments.c.organisation,
                                               assessments.c.bank_id).where(*where).order_by(*order))
                found = [row.id for row in searched if matches(query, row.title, row.organisation, row.bank_id)]
                wanted = found[start:start + count]
                by_id = {row.id: _summary(row) for row in conn.execute(
                    select(*_SUMMARY_COLUMNS).where(assessments.c.id.in_(wanted)))} if wanted else {}
                return ListPage([by_id[i] for i in wanted if i in by_id], len(found), stored)
            matching = conn.execute(select(func.count()).select_from(assessments).where(*where)).scalar_one()
            rows = conn.execute(select(*_SUMMARY_COLUMNS).where(*where).order_by(*order).offset(start).limit(count))
            return ListPage([_summary(row) for row in rows], matching, stored)

    def save(self, assessment_id: str, answers: Answers, expected_revision: int, *,
             completeness: Completeness | None = None, risk: str | None = None,
             changed_from: Answers | None = None) -> Assessment:
        """Store new answers as the next revision, if ``expected_revision`` is still the current one.

        Otherwise raises ConflictError: the answers are kept as a ``conflict`` revision (named in the
        error) and the current ones are left as they are. Answers equal to the stored ones are not a
        conflict and make no revision, whatever revision they were based on (a rerun that saves again
        costs nothing). When the answers change, the summary fields become what is given here (None when
        not given: unknown rather than stale); when they do not, a summary given replaces the old one.

        ``changed_from``: the answers of ``expected_revision`` as the caller holds them (the app's open
        assessment). When they differ from ``answers`` and ``expected_revision`` is still current, the answers
        changed: they are written without reading the stored ones back to compare (some 160 KB with fifty
        recipients, at every answer). Given wrongly, it costs at most a revision equal to the one before.
        """
        text = encode(answers)
        with self._write() as conn:
            row = self._lock(conn, assessment_id)
            # Changed for sure when the caller's answers of a revision still current differ; otherwise the
            # stored text is read. Equal, if built in another order: the same items give a text of the same
            # length, so only then are the two texts compared as data (a JSON mapping is equal in any order;
            # reading the stored text back into answers would cost as much as the save).
            changed = row.revision == expected_revision and changed_from is not None and changed_from != answers
            stored = None if changed else self._stored_text(conn, assessment_id)
            if stored is not None and (stored == text or (len(stored) == len(text) and _same_data(stored, text))):
                if completeness is None and risk is None:
                    return _assessment(row, answers)
                answered, required = _part(completeness, 0), _part(completeness, 1)
                conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                             .values(answered=answered, required=required, risk=risk))
                return _assessment(row, answers, completeness=_completeness(answered, required), risk=risk)
            number = row.last_revision + 1
            conflict: ConflictError | None = None
            if row.revision == expected_revision:
                result = self._advance(conn, row, answers, text, completeness=completeness, risk=risk)
            else:
                assert stored is not None  # read whenever the expected revision is not current
                # Refused, but kept: the conflict revision is committed before the error is raised.
                self._add_revision(conn, assessment_id, number, text, kind="conflict", based_on=expected_revision)
                conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                             .values(last_revision=number))
                conflict = ConflictError(assessment_id, expected_revision, row.revision, decode(stored), number)
        if number % PRUNE_EVERY == 0:
            self._prune_history(assessment_id)
        if conflict is not None:
            raise conflict
        return result

    def duplicate(self, assessment_id: str, *, title: str | None = None) -> Assessment:
        """A new assessment starting from the current answers (a re-assessment).

        The copy is undated (``meta.assessment_date`` cleared: it is a new assessment) and titled
        ``title``, by default the original's title (or organisation) followed by today's date.
        """
        source = self.get(assessment_id)
        base = source.title or source.organisation or source.bank_id
        meta = source.answers.meta.model_copy(update={
            "title": title or f"{base} ({self._clock().date().isoformat()})", "assessment_date": None})
        answers = source.answers.model_copy(update={"meta": meta})
        with self._write() as conn:
            return self._insert(conn, answers, source.completeness, source.risk)

    def archive(self, assessment_id: str) -> None:
        """Move the assessment to the archive (out of the main list, kept). Raises UnknownAssessmentError for an unknown
        id.
        """
        self._set_archived(assessment_id, True)

    def unarchive(self, assessment_id: str) -> None:
        """Bring the assessment back from the archive. Raises UnknownAssessmentError for an unknown id."""
        self._set_archived(assessment_id, False)

    def delete(self, assessment_id: str) -> None:
        """Delete the assessment and all its history, for good.

        On SQLite the freed pages are overwritten (``secure_delete``) and the write-ahead log, which still
        holds earlier copies of the pages, is emptied: the answers are erased from the files, not only
        unlinked. (A PostgreSQL server keeps dead rows until VACUUM: its operator's policy applies.)
        """
        with self._write() as conn:
            # Explicitly, rather than trusting ON DELETE CASCADE to be enabled on every connection.
            for table in DEPENDENT_TABLES:
                conn.execute(delete(table).where(table.c.assessment_id == assessment_id))
            conn.execute(delete(revisions).where(revisions.c.assessment_id == assessment_id))
            if conn.execute(delete(assessments).where(assessments.c.id == assessment_id)).rowcount == 0:
                raise UnknownAssessmentError(assessment_id)
        checkpoint(self._engine)

    def export(self, assessment_id: str, fmt: Literal["yaml", "json"] = "yaml", *,
               revision: int | None = None) -> str:
        """The answers file text (current answers, or those of ``revision``)."""
        answers = self.get(assessment_id).answers if revision is None else self.answers_at(assessment_id, revision)
        return answers_mod.dumps(answers, fmt)

    # -- history -------------------------------------------------------------------------------------
    def revisions(self, assessment_id: str, *, named_only: bool = False) -> list[Revision]:
        """The history, newest first."""
        query = (select(*_REVISION_COLUMNS)
                 .where(revisions.c.assessment_id == assessment_id).order_by(revisions.c.revision.desc()))
        if named_only:
            query = query.where(revisions.c.name.is_not(None))
        with self._read() as conn:
            self._check_exists(conn, assessment_id)
            return [_revision(row) for row in conn.execute(query)]

    def snapshot(self, assessment_id: str, name: str, *, revision: int | None = None) -> Revision:
        """Name a revision (by default the current one): a named version, kept for good."""
        if not name.strip():
            raise StoreError(msg("store_version_needs_name"))
        with self._write() as conn:
            number = self._lock(conn, assessment_id).revision if revision is None else revision
            where = (revisions.c.assessment_id == assessment_id) & (revisions.c.revision == number)
            if conn.execute(update(revisions).where(where).values(name=name.strip())).rowcount == 0:
                raise UnknownRevisionError(assessment_id, number)
            return _revision(conn.execute(select(revisions).where(where)).one())

    def answers_at(self, assessment_id: str, revision: int) -> Answers:
        """The answers as saved in ``revision``. Raises UnknownRevisionError when there is no such revision."""
        with self._read() as conn:
            return decode(self._revision_text(conn, assessment_id, revision))

    def diff(self, assessment_id: str, rev_a: int, rev_b: int) -> list[Change]:
        """What changed from revision ``rev_a`` to revision ``rev_b``."""
        with self._read() as conn:
            before = self._revision_text(conn, assessment_id, rev_a)
            after = self._revision_text(conn, assessment_id, rev_b)
        return diff_answers(decode(before), decode(after))

    def restore(self, assessment_id: str, revision: int, *, completeness: Completeness | None = None,
                risk: str | None = None) -> Assessment:
        """Make the answers of ``revision`` current again, as a new revision: history is never rewritten.

        Deliberately unconditional (no expected revision): the user chose that version, and whatever
        was current stays in the history. Another tab's next save then meets a conflict, as it should.
        """
        with self._write() as conn:
            row = self._lock(conn, assessment_id)
            text = self._revision_text(conn, assessment_id, revision)
            if text == self._stored_text(conn, assessment_id):
                return _assessment(row, decode(text))
            return self._advance(conn, row, decode(text), text, completeness=completeness, risk=risk,
                                 restored_from=revision)

    def prune(self) -> int:
        """Thin the autosave history of every assessment; returns how many revisions were removed."""
        with self._read() as conn:
            ids = list(conn.execute(select(assessments.c.id)).scalars())
        return sum(self._prune_history(assessment_id) for assessment_id in ids)

    # -- seeding -------------------------------------------------------------------------------------
    def seed_samples(self, paths: Iterable[Path] | None = None) -> list[Summary]:
        """Give a store that never had an assessment the shipped sample(s); otherwise do nothing.

        Safe to call at every start-up and from several processes at once: the check and the inserts
        are one transaction holding the write lock.
        """
        files = sorted(samples_dir().glob("*.yaml")) if paths is None else list(paths)
        samples = [answers_mod.read(path)[0] for path in files]
        if not samples:
            return []
        with self._write() as conn:
            had = conn.execute(select(properties.c.value).where(properties.c.key == HAD_ASSESSMENTS)
                               .with_for_update()).scalar_one_or_none()
            if had == "1" or conn.execute(select(exists().select_from(assessments))).scalar_one():
                return []
            return [self._insert(conn, answers, None, None) for answers in samples]

    # -- internals -----------------------------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.begin() as conn:
                yield conn
        except (DBAPIError, OSError) as exc:  # the database's own failures: server down, disk, locks
            raise StoreUnavailableError(f"{self!r}: the database cannot be used: {_reason(exc)}") from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self._writer.begin() as conn:
                yield conn
        except (DBAPIError, OSError) as exc:
            raise StoreUnavailableError(f"{self!r}: the database cannot be written: {_reason(exc)}") from exc

    def _last_readable(self, conn: Connection, assessment_id: str) -> int | None:
        """The newest revision whose answers read back, for offering it when the current ones do not."""
        query = (select(revisions.c.revision).where(revisions.c.assessment_id == assessment_id)
                 .order_by(revisions.c.revision.desc()))
        for number in conn.execute(query).scalars().all():
            try:
                decode(self._revision_text(conn, assessment_id, int(number)))
            except StoreError:
                continue
            return int(number)
        return None

    def _now(self) -> dt.datetime:
        return self._clock().astimezone(dt.UTC).replace(tzinfo=None)

    def _insert(self, conn: Connection, answers: Answers, completeness: Completeness | None,
                risk: str | None) -> Assessment:
        assessment_id, text, now = uuid.uuid4().hex, encode(answers), self._now()
        conn.execute(insert(assessments).values(
            id=assessment_id, **_cached(answers), created_at=now, updated_at=now, archived=False, revision=1,
            last_revision=1, answers=text, answered=_part(completeness, 0), required=_part(completeness, 1),
            risk=risk))
        self._add_revision(conn, assessment_id, 1, text, kind="save")
        if self._author is not None:  # whoever creates an assessment owns it
            conn.execute(insert(roles).values(assessment_id=assessment_id, user_id=self._author, role="owner",
                                              granted_by=self._author, granted_at=now))
        conn.execute(update(properties).where(properties.c.key == HAD_ASSESSMENTS).values(value="1"))
        return self._get_in(conn, assessment_id, answers)

    def _advance(self, conn: Connection, row: Row[Any], answers: Answers, text: str, *,
                 completeness: Completeness | None, risk: str | None,
                 restored_from: int | None = None) -> Assessment:
        number, now, cached = row.last_revision + 1, self._now(), _cached(answers)
        answered, required = _part(completeness, 0), _part(completeness, 1)
        self._add_revision(conn, row.id, number, text, kind="save", based_on=row.revision,
                           restored_from=restored_from)
        conn.execute(_SET_ASSESSMENT, {"the_id": row.id, **cached, "updated_at": now, "revision": number,
                                       "last_revision": number, "answers": text, "answered": answered,
                                       "required": required, "risk": risk})
        # What was just written, told from the locked row rather than read back (a query at every save).
        return _assessment(row, answers, **cached, updated_at=_utc(now), revision=number, risk=risk,
                           completeness=_completeness(answered, required))

    def _add_revision(self, conn: Connection, assessment_id: str, number: int, text: str, *, kind: RevisionKind,
                      based_on: int | None = None, restored_from: int | None = None) -> None:
        packed, base = self._pack(conn, assessment_id, number, text)
        conn.execute(_ADD_REVISION, {
            "assessment_id": assessment_id, "revision": number, "created_at": self._now(), "kind": kind, "name": None,
            "based_on": based_on, "restored_from": restored_from, "answers": "", "packed": packed, "base": base,
            "author": self._author})

    def _pack(self, conn: Connection, assessment_id: str, number: int, text: str) -> tuple[bytes, int | None]:
        """The revision's stored form: a delta against the latest full copy, or a new full copy every
        FULL_EVERY revisions (or when that copy cannot be read)."""
        full = conn.execute(_LATEST_FULL_COPY, {"the_id": assessment_id}).first()
        packed: bytes | None = None
        if full is not None and number - full.revision < FULL_EVERY and is_full(full.packed):
            try:
                packed = pack_delta(text, self._full_text(assessment_id, int(full.revision), bytes(full.packed)))
                if not is_full(packed):
                    return packed, int(full.revision)
            except StoreError:
                pass  # a damaged full copy: start a new one
        if packed is None:  # a delta that came out whole is that full copy already: not compressed again
            packed = pack_full(text)
        self._keep_full_text(assessment_id, number, packed, text)
        return packed, None

    def _full_text(self, assessment_id: str, revision: int, packed: bytes) -> str:
        """The text of a full copy, unpacked once rather than at every save made against it (decompressing
        an assessment of fifty recipients costs about 1 ms). Kept by assessment and revision, and used only
        while the stored bytes are the very ones it was unpacked from."""
        kept = self._full_texts.get((assessment_id, revision))
        if kept is not None and kept[0] == packed:
            return kept[1]
        text = unpack(packed)
        self._keep_full_text(assessment_id, revision, packed, text)
        return text

    def _keep_full_text(self, assessment_id: str, revision: int, packed: bytes, text: str) -> None:
        if len(self._full_texts) >= FULL_TEXTS:  # only saves work: emptied when full
            self._full_texts.clear()
        self._full_texts[(assessment_id, revision)] = (packed, text)

    def _get_in(self, conn: Connection, assessment_id: str, answers: Answers) -> Assessment:
        row = conn.execute(select(*_SUMMARY_COLUMNS).where(assessments.c.id == assessment_id)).one()
        return _assessment(row, answers)

    def _stored_text(self, conn: Connection, assessment_id: str) -> str:
        """The answers text in the assessment's row (which _lock leaves out: most saves need none of it)."""
        return str(conn.execute(_ANSWERS_OF, {"the_id": assessment_id}).scalar_one())

    def _lock(self, conn: Connection, assessment_id: str) -> Row[Any]:
        row = conn.execute(_LOCK, {"the_id": assessment_id}).one_or_none()
        if row is None:
            raise UnknownAssessmentError(assessment_id)
        return row

    def _check_exists(self, conn: Connection, assessment_id: str) -> None:
        if conn.execute(select(assessments.c.id).where(assessments.c.id == assessment_id)).first() is None:
            raise UnknownAssessmentError(assessment_id)

    def _revision_text(self, conn: Connection, assessment_id: str, revision: int) -> str:
        row = self._stored(conn, assessment_id, revision)
        if row is None:
            self._check_exists(conn, assessment_id)
            raise UnknownRevisionError(assessment_id, revision)
        if row.packed is None:  # as written before revisions were packed
            return str(row.answers)
        base = None
        if row.base is not None:
            full = self._stored(conn, assessment_id, row.base)
            if full is None or full.packed is None:
                raise StoreError(f"revision {revision} cannot be read back: its full copy {row.base} is missing")
            base = unpack(full.packed)
        return unpack(row.packed, base)

    def _stored(self, conn: Connection, assessment_id: str, revision: int) -> Row[Any] | None:
        query = select(revisions.c.answers, revisions.c.packed, revisions.c.base).where(
            (revisions.c.assessment_id == assessment_id) & (revisions.c.revision == revision))
        return conn.execute(query).first()  # type: ignore[return-value]

    def _set_archived(self, assessment_id: str, archived: bool) -> None:
        with self._write() as conn:
            result = conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                                  .values(archived=archived))
            if result.rowcount == 0:
                raise UnknownAssessmentError(assessment_id)

    def _prune_history(self, assessment_id: str) -> int:
        """Thin one assessment's history (see KEEP_ALL): decided from a read, then deleted in
        transactions of at most PRUNE_BATCH revisions, each re-checking at delete time that the revision
        is still an unnamed autosave, not current, and no delta's full copy. Returns how many went."""
        with self._read() as conn:
            doomed, orphans = self._prunable(conn, assessment_id)
        for group in orphans:  # kept deltas whose full copy goes: the first becomes the full copy of the rest
            with self._write() as conn:
                self._repack(conn, assessment_id, group)
        removed = 0
        for kind in doomed:  # deltas first, then the full copies they used
            for start in range(0, len(kind), PRUNE_BATCH):
                with self._write() as conn:
                    removed += self._delete_revisions(conn, assessment_id, kind[start:start + PRUNE_BATCH])
        if removed:
            give_space_back(self._engine)
        return removed

    def _prunable(self, conn: Connection, assessment_id: str) -> tuple[list[list[int]], list[list[int]]]:
        """The deltas and the full copies to delete, and the kept deltas whose full copy is among them
        (grouped by it)."""
        current = conn.execute(select(assessments.c.revision).where(assessments.c.id == assessment_id)
                               ).scalar_one_or_none()
        if current is None:
            return [[], []], []
        rows = conn.execute(select(revisions.c.revision, revisions.c.created_at, revisions.c.kind,
                                   revisions.c.name, revisions.c.base).where(revisions.c.assessment_id == assessment_id)
                            .order_by(revisions.c.revision)).all()
        now = self._now()
        keep = {current, rows[0].revision} if rows else {current}
        last_in_bucket: dict[object, int] = {}
        for row in rows:
            if row.name is not None or row.kind != "save" or row.created_at is None:
                keep.add(row.revision)
                continue
            age = now - row.created_at
            bucket: object = (row.revision if age <= KEEP_ALL else
                              row.created_at.replace(minute=0, second=0, microsecond=0)
                              if age <= dt.timedelta(days=self.keep_days) else row.created_at.date())
            last_in_bucket[bucket] = row.revision  # rows come in order: the last one wins
        keep.update(last_in_bucket.values())
        orphans: dict[int, list[int]] = {}
        for row in rows:
            if row.revision in keep and row.base is not None and row.base not in keep:
                orphans.setdefault(row.base, []).append(row.revision)
        doomed = [row for row in rows if row.revision not in keep]
        return ([[row.revision for row in doomed if row.base is not None],
                 [row.revision for row in doomed if row.base is None]], list(orphans.values()))

    def _repack(self, conn: Connection, assessment_id: str, group: list[int]) -> None:
        texts = [self._revision_text(conn, assessment_id, number) for number in group]
        first = group[0]
        for number, text in zip(group, texts, strict=True):
            packed, base = (pack_full(text), None) if number == first else (pack_delta(text, texts[0]), first)
            conn.execute(update(revisions).where((revisions.c.assessment_id == assessment_id)
                                                 & (revisions.c.revision == number)).values(packed=packed, base=base))

    def _delete_revisions(self, conn: Connection, assessment_id: str, numbers: list[int]) -> int:
        user = aliased(revisions)
        current = select(assessments.c.revision).where(assessments.c.id == assessment_id).scalar_subquery()
        in_use = exists().where((user.c.assessment_id == assessment_id) & (user.c.base == revisions.c.revision))
        result = conn.execute(delete(revisions).where(
            (revisions.c.assessment_id == assessment_id) & revisions.c.revision.in_(numbers)
            & revisions.c.name.is_(None) & (revisions.c.kind == "save") & (revisions.c.revision != current)
            & ~in_use))
        return int(result.rowcount)


# How many full copies' texts a store keeps unpacked (each as long as its assessment's answers text).
FULL_TEXTS = 32

# Beyond this many characters between the first and the last difference, the texts are compared as data
# straight away: sorting the stretch would cost more than parsing both texts.
SAME_DATA_STRETCH = 4096


def _same_data(stored: str, text: str) -> bool:
    """Whether two stored texts of the same length hold the same answers. ``encode`` writes each value one
    way (dates, tuples and odd mappings tagged), so the same answers give equal JSON data and different ones
    do not.

    The same answers built in another order hold the same members in another order: the same characters,
    placed differently. So where the texts differ only in a short stretch (one answer changed, the usual
    save), that stretch holding other characters settles it without parsing either text (each 160 KB with
    fifty recipients); only a stretch of the same characters rearranged is compared as data.
    """
    if stored == text:
        return True
    # Texts of the same length: what they share at the start and at the end bounds the stretch that differs.
    start, shared_end = shared_ends(stored, text)
    end = len(text) - shared_end
    if end - start <= SAME_DATA_STRETCH and sorted(stored[start:end]) != sorted(text[start:end]):
        return False
    try:
        return bool(json.loads(stored) == json.loads(text))
    except ValueError:  # a damaged row: new answers replace it
        return False


def _cached(answers: Answers) -> dict[str, str]:
    return {"title": _column_text(answers.meta.title), "organisation": _column_text(answers.meta.organisation),
            "bank_id": _column_text(answers.bank.id), "bank_version": _column_text(answers.bank.version)}


def _column_text(value: str) -> str:
    # These columns are display copies (the answers text keeps the exact value, escaped): PostgreSQL
    # refuses NUL in text and no database takes a lone surrogate, so both are dropped here.
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _part(completeness: Completeness | None, index: int) -> int | None:
    return None if completeness is None else int(completeness[index])


def _completeness(answered: int | None, required: int | None) -> Completeness | None:
    """The completeness as stored (and read back by ``_summary_fields``) from its two columns."""
    return None if answered is None or required is None else (answered, required)


# A damaged timestamp (read as None, see schema.Moment) is shown as the epoch rather than breaking a list.
UNKNOWN_MOMENT = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _utc(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return UNKNOWN_MOMENT
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _reason(exc: BaseException) -> str:
    # The driver's own words, without SQLAlchemy's statement dump and documentation link.
    original = getattr(exc, "orig", None) or exc
    return str(original).splitlines()[0][:300] if str(original) else type(original).__name__


def _summary(row: Row[Any]) -> Summary:
    return Summary(**_summary_fields(row))


def _summary_fields(row: Row[Any]) -> dict[str, Any]:
    completeness = _completeness(row.answered, row.required)
    return {"id": row.id, "title": row.title, "organisation": row.organisation, "bank_id": row.bank_id,
            "bank_version": row.bank_version, "created_at": _utc(row.created_at),
            "updated_at": _utc(row.updated_at), "archived": bool(row.archived), "revision": row.revision,
            "completeness": completeness, "risk": row.risk}


def _assessment(row: Row[Any], answers: Answers, **override: Any) -> Assessment:
    fields = {**_summary_fields(row), **override}
    return Assessment(**fields, answers=answers)


def _revision(row: Row[Any]) -> Revision:
    return Revision(assessment_id=row.assessment_id, revision=row.revision, created_at=_utc(row.created_at),
                    kind=row.kind, name=row.name, based_on=row.based_on, restored_from=row.restored_from,
                    author=row.author)
