"""The store's tables, and the migrations that bring any older database up to them.

The store migrates its own database at start-up: ``pipia_schema_version`` records each migration
applied, and every migration in ``MIGRATIONS`` above the recorded version runs in order, each in its own
transaction (a failed one leaves the database at the previous version, untouched). Concurrent
start-ups are serialised: SQLite by the write lock, PostgreSQL by an advisory lock, and each re-reads
the version once it holds the lock. A database from a newer pipia is refused, never downgraded.

To change the schema, append a Migration (never edit an applied one) and update the current tables
below to match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Dialect

from pipia.store.database import WRITE
from pipia.store.errors import SchemaTooNewError, StoreError
from pipia.store.packing import FULL_EVERY, pack_delta, pack_full


class _Lenient(TypeDecorator[Any]):
    """A column that reads a damaged value as None instead of failing (``wanted``: the type a good value has).

    SQLite stores timestamps and dates as text that anything may have altered; one bad value must not make
    the whole list of assessments unreadable. The store shows such a value as unknown.
    """

    cache_ok = True
    wanted: type = object

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        inner = self.impl_instance.result_processor(dialect, coltype)
        wanted = self.wanted

        def process(value: Any) -> Any:
            try:
                result = inner(value) if inner is not None else value
            except (ValueError, TypeError):
                return None
            return result if isinstance(result, wanted) else None

        return process


class Moment(_Lenient):
    """A timestamp column (DATETIME, as before); a damaged value reads as None."""

    impl = DateTime
    wanted = dt.datetime
    cache_ok = True  # SQLAlchemy reads it from each class itself, not from a base


class Day(_Lenient):
    """A date column (DATE, as before); a damaged value reads as None."""

    impl = Date
    wanted = dt.date
    cache_ok = True


# Property set once any assessment was ever created: a store that had assessments is never seeded.
HAD_ASSESSMENTS = "had_assessments"
# Any fixed number: the PostgreSQL advisory lock key that serialises migrations.
_MIGRATION_LOCK = 0x7069706961

metadata = MetaData()

schema_version = Table(
    "pipia_schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime, nullable=False),
)


def _v1_tables(md: MetaData, later: Sequence[Column[Any]] = ()) -> tuple[Table, Table, Table]:
    """Schema version 1 (with ``later`` columns of revisions that later versions added). Timestamps are
    naive UTC, the one form every database stores alike."""
    properties = Table(
        "pipia_properties", md,
        Column("key", String(64), primary_key=True),
        Column("value", Text, nullable=False),
    )
    assessments = Table(
        "pipia_assessments", md,
        Column("id", String(32), primary_key=True),
        # Cached from the answers on every save, so listing never parses answers.
        Column("title", Text, nullable=False),
        Column("organisation", Text, nullable=False),
        Column("bank_id", Text, nullable=False),
        Column("bank_version", Text, nullable=False),
        Column("created_at", Moment, nullable=False),
        Column("updated_at", Moment, nullable=False),
        Column("archived", Boolean, nullable=False, default=False),
        # revision: the number of the current answers; last_revision: the highest number given out
        # (a rejected save kept as a conflict revision takes a number without becoming current).
        Column("revision", Integer, nullable=False),
        Column("last_revision", Integer, nullable=False),
        Column("answers", Text, nullable=False),
        # Summary the caller computed when saving; NULL when it did not say (never stale).
        Column("answered", Integer),
        Column("required", Integer),
        Column("risk", String(32)),
    )
    revisions = Table(
        "pipia_revisions", md,
        Column("assessment_id", String(32), ForeignKey("pipia_assessments.id", ondelete="CASCADE"),
               primary_key=True),
        Column("revision", Integer, primary_key=True, autoincrement=False),
        Column("created_at", Moment, nullable=False),
        Column("kind", String(16), nullable=False),  # "save" or "conflict"
        Column("name", Text),
        Column("based_on", Integer),  # the revision the answers were edited from
        Column("restored_from", Integer),
        Column("answers", Text, nullable=False),
        *later,
    )
    return properties, assessments, revisions


def _create_v1(conn: Connection) -> None:
    md = MetaData()
    properties, _, _ = _v1_tables(md)
    md.create_all(conn)
    conn.execute(insert(properties).values(key=HAD_ASSESSMENTS, value="0"))


def _v2_team(md: MetaData) -> tuple[Table, Table]:
    """Schema version 2: who the users are and which role each has on which assessment."""
    users = Table(
        "pipia_users", md,
        # The signed-in identity: the e-mail address, lower-cased ("local" for the single-user app).
        Column("id", String(320), primary_key=True),
        Column("name", Text, nullable=False),
        Column("admin", Boolean, nullable=False, default=False),
        Column("created_at", Moment, nullable=False),
        Column("seen_at", Moment, nullable=False),
    )
    roles = Table(
        "pipia_roles", md,
        Column("assessment_id", String(32), ForeignKey("pipia_assessments.id", ondelete="CASCADE"),
               primary_key=True),
        Column("user_id", String(320), ForeignKey("pipia_users.id", ondelete="CASCADE"), primary_key=True),
        Column("role", String(16), primary_key=True),  # owner|editor|reviewer|approver|viewer
        Column("granted_by", String(320)),
        Column("granted_at", Moment, nullable=False),
    )
    return users, roles


def _create_v2(conn: Connection) -> None:
    md = MetaData()
    _v1_tables(md)
    _v2_team(md)
    md.create_all(conn)
    # Who made each revision; NULL for revisions written before the store knew its users.
    conn.execute(text("ALTER TABLE pipia_revisions ADD COLUMN author VARCHAR(320)"))


def _v3_actions(md: MetaData) -> Table:
    """Schema version 3: how each finding's action is tracked (owner, due date, status, evidence)."""
    return Table(
        "pipia_actions", md,
        Column("assessment_id", String(32), ForeignKey("pipia_assessments.id", ondelete="CASCADE"),
               primary_key=True),
        Column("key", String(512), primary_key=True),  # pipia.team.actions.finding_keys
        Column("owner", Text, nullable=False),
        Column("due", Day),
        Column("status", String(16), nullable=False),  # open|in_progress|done|risk_accepted
        Column("evidence", Text, nullable=False),
        Column("justification", Text, nullable=False),
        Column("updated_at", Moment, nullable=False),
        Column("updated_by", String(320)),
    )


def _create_v3(conn: Connection) -> None:
    md = MetaData()
    _v1_tables(md)
    _v3_actions(md).create(conn)


def _v4_reviews(md: MetaData) -> Table:
    """Schema version 4: the review and approval log (see pipia.team.review), append-only."""
    return Table(
        "pipia_reviews", md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("assessment_id", String(32), ForeignKey("pipia_assessments.id", ondelete="CASCADE"),
               nullable=False, index=True),
        Column("revision", Integer, nullable=False),  # the assessment's revision when it happened
        Column("kind", String(24), nullable=False),
        Column("section", String(200)),
        Column("text", Text, nullable=False),  # comment, opinion or reason
        Column("author", String(320), nullable=False),
        Column("at", Moment, nullable=False),
        Column("version_name", Text),  # the named version an approval froze
    )


def _create_v4(conn: Connection) -> None:
    md = MetaData()
    _v1_tables(md)
    _v4_reviews(md).create(conn)


def _v5_columns() -> list[Column[Any]]:  # and the index ix_pipia_revisions_base (see _pack_revisions)
    """Schema version 5's revisions: the answers compressed (see ``packing``) in ``packed``, as a full
    copy (``base`` NULL) or a delta against the full copy numbered ``base``; ``answers`` is left empty
    (a column cannot be made nullable in SQLite without copying the table)."""
    return [Column("packed", LargeBinary), Column("base", Integer)]


# A migration packs this many revisions per statement, so converting a large history stays in bounded memory.
_PACK_CHUNK = 200


def _pack_revisions(conn: Connection) -> None:
    """Version 5: every stored revision packed, as the store writes new ones (full copies every
    ``FULL_EVERY`` revisions, deltas against them in between)."""
    binary = LargeBinary().compile(dialect=conn.dialect)
    conn.execute(text(f"ALTER TABLE pipia_revisions ADD COLUMN packed {binary}"))
    conn.execute(text("ALTER TABLE pipia_revisions ADD COLUMN base INTEGER"))
    # Pruning asks, for each revision it would delete, whether a delta still uses it as its full copy.
    conn.execute(text("CREATE INDEX ix_pipia_revisions_base ON pipia_revisions (assessment_id, base)"))
    _, _, table = _v1_tables(MetaData(), _v5_columns())
    key = (table.c.assessment_id == bindparam("k_id")) & (table.c.revision == bindparam("k_rev"))
    store = (update(table).where(key).values(packed=bindparam("k_packed"), base=bindparam("k_base"), answers=""))
    for assessment_id in conn.execute(select(table.c.assessment_id).distinct()).scalars().all():
        numbers = conn.execute(select(table.c.revision).where(table.c.assessment_id == assessment_id)
                               .order_by(table.c.revision)).scalars().all()
        full: tuple[int, str] | None = None
        for start in range(0, len(numbers), _PACK_CHUNK):
            chunk = numbers[start:start + _PACK_CHUNK]
            rows = conn.execute(select(table.c.revision, table.c.answers).where(
                (table.c.assessment_id == assessment_id) & table.c.revision.in_(chunk)).order_by(table.c.revision))
            params = []
            for number, answers in rows:
                if full is None or number - full[0] >= FULL_EVERY:
                    full = (number, answers)
                    packed, base = pack_full(answers), None
                else:
                    packed, base = pack_delta(answers, full[1]), full[0]
                params.append({"k_id": assessment_id, "k_rev": number, "k_packed": packed, "k_base": base})
            if params:
                conn.execute(store, params)


def _index_list(conn: Connection) -> None:
    """Version 6: the list's order (latest change first) as an index that also holds the archived flag, so a
    page of the list and its count read the index alone, not every assessment's row with its answers."""
    conn.execute(text("CREATE INDEX ix_pipia_assessments_listed ON pipia_assessments (updated_at DESC, id, archived)"))


# The current tables: version 1's, with version 2's author and version 5's packed answers on revisions,
# and the team, action and review tables. A migration must keep creating exactly what it created when
# written, so these are defined apart.
properties, assessments, revisions = _v1_tables(metadata, [Column("author", String(320)), *_v5_columns()])
users, roles = _v2_team(metadata)
actions = _v3_actions(metadata)
reviews = _v4_reviews(metadata)
# Rows that belong to one assessment and go when it is deleted.
DEPENDENT_TABLES: list[Table] = [roles, actions, reviews]


@dataclass(frozen=True)
class Migration:
    """One step of the database schema: the version it brings the database to, what it does, and the function that
    applies it.
    """

    version: int
    description: str
    apply: Callable[[Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "assessments, their revisions and store properties", _create_v1),
    Migration(2, "users, their roles on assessments, and the author of each revision", _create_v2),
    Migration(3, "the action plan: owner, due date, status and evidence of each finding's action", _create_v3),
    Migration(4, "the review and approval log of each assessment", _create_v4),
    Migration(5, "revisions compressed, as deltas against a full copy every few revisions", _pack_revisions),
    Migration(6, "an index of the assessments list's order, for a page of the list without reading every row",
              _index_list),
)


def migrate(engine: Engine, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply every pending migration; returns the schema version the database is now at."""
    if [m.version for m in migrations] != list(range(1, len(migrations) + 1)):
        raise StoreError("migrations must be numbered 1, 2, 3, ... in order")
    writer = engine.execution_options(**{WRITE: True})
    while True:
        with writer.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            schema_version.create(conn, checkfirst=True)
            current = conn.execute(select(func.max(schema_version.c.version))).scalar_one() or 0
            if current > len(migrations):
                raise SchemaTooNewError(
                    f"the database is at schema version {current}, newer than this pipia knows "
                    f"({len(migrations)}): upgrade pipia to use it")
            if current == len(migrations):
                return current
            step = migrations[current]
            step.apply(conn)
            conn.execute(insert(schema_version).values(
                version=step.version, description=step.description,
                applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))


def version(engine: Engine) -> int:
    """The schema version of the database (0 when it has no pipia tables yet)."""
    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, schema_version.name):
            return 0
        return int(conn.execute(select(func.max(schema_version.c.version))).scalar_one() or 0)
