"""What the store tests share: a database per test (SQLite, and PostgreSQL too when
PIPIA_TEST_POSTGRES_URL is set: each test in a schema of its own), Store objects opened on it, and a small
assessment touching every kind of content.

The fixtures ``db_url``, ``open_store`` and ``store`` are registered for every test module
by tests/conftest.py. A schema per test keeps tests running side by side in separate processes apart.

Most tests want a database at the current schema and nothing in it (``db_url``). Migrating one from nothing
costs 40 ms on SQLite and 150 ms on PostgreSQL, hundreds of times over, so each test process migrates once
and hands out copies: of the file, for SQLite; for PostgreSQL, a schema emptied back to the rows the
migrations wrote. The tests of creating and upgrading a schema are marked ``empty_database``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipia.answers.format import Answers
from pipia.store import Store
from pipia.store.schema import MIGRATIONS

POSTGRES_VAR = "PIPIA_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, migrated: Migrated) -> Iterator[str]:
    """A database at the current schema version with no assessments, users or settings in it; for a test
    marked ``empty_database`` (creating or upgrading a schema), one with no tables at all."""
    empty = request.node.get_closest_marker("empty_database") is not None
    if request.param == "sqlite":
        path = tmp_path / "pipia.db"
        if not empty:
            shutil.copyfile(migrated.sqlite_file(), path)
        yield f"sqlite:///{path}"
        return
    with postgres_schema("pipia_test") if empty else migrated.postgres_schema() as url:
        yield url


class Migrated:
    """Databases at the current schema, made once per test process and handed out as fresh copies."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sqlite: Path | None = None
        self._admin: sa.Engine | None = None
        self._free: list[str] = []  # PostgreSQL schemas at the current version, emptied, ready to use
        # Learnt from the first schema migrated: its tables (in the order foreign keys allow), what the
        # migrations themselves wrote into them, and its sequences.
        self._tables: list[sa.Table] = []
        self._rows: dict[str, list[dict[str, Any]]] = {}
        self._sequences: list[str] = []

    def sqlite_file(self) -> Path:
        if self._sqlite is None:
            path = self.folder / "migrated.db"
            Store(f"sqlite:///{path}").close()  # closed: the write-ahead log is checkpointed into the file
            self._sqlite = path
        return self._sqlite

    @contextmanager
    def postgres_schema(self) -> Iterator[str]:
        base = os.environ.get(POSTGRES_VAR)
        if not base:
            pytest.skip(f"{POSTGRES_VAR} is not set")
        if self._admin is None:
            self._admin = sa.create_engine(base)
        if self._free:
            name = self._free.pop()
        else:
            name = f"pipia_test_{uuid.uuid4().hex[:12]}"
            with self._admin.begin() as conn:
                conn.execute(sa.text(f"CREATE SCHEMA {name}"))
            Store(_in_schema(base, name)).close()
            if not self._tables:
                self._learn(name)
        try:
            yield _in_schema(base, name)
        finally:
            self._give_back(name)

    def _learn(self, name: str) -> None:
        assert self._admin is not None
        with self._admin.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL search_path TO {name}"))
            tables = sa.MetaData()
            tables.reflect(conn)
            self._tables = list(tables.sorted_tables)
            self._rows = {t.name: [dict(row._mapping) for row in conn.execute(sa.select(t))] for t in self._tables}
            self._sequences = list(conn.execute(sa.text(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = :s"),
                {"s": name}).scalars())

    def _give_back(self, name: str) -> None:
        # A test that ran a migration of its own leaves a schema other tests must not see: it is dropped.
        # Any other is emptied, its sequences restarted and what the migrations wrote put back.
        assert self._admin is not None
        with self._admin.begin() as conn:
            conn.execute(sa.text(f"SET LOCAL search_path TO {name}"))
            now = set(conn.execute(sa.text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = :s"), {"s": name}).scalars())
            if now != {t.name for t in self._tables} or conn.execute(
                    sa.text("SELECT max(version) FROM pipia_schema_version")).scalar_one() != len(MIGRATIONS):
                conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
                return
            for table in reversed(self._tables):
                conn.execute(table.delete())
            for sequence in self._sequences:
                conn.execute(sa.text(f"ALTER SEQUENCE {sequence} RESTART"))
            for table in self._tables:
                if self._rows[table.name]:
                    conn.execute(sa.insert(table), self._rows[table.name])
        self._free.append(name)

    def close(self) -> None:
        if self._admin is None:
            return
        with self._admin.begin() as conn:
            for name in self._free:
                conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
        self._admin.dispose()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Migrated]:
    made = Migrated(tmp_path_factory.mktemp("migrated"))
    yield made
    made.close()


def _in_schema(base: str, name: str) -> str:
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={name}"})
    return url.render_as_string(hide_password=False)


@contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema of its own (``<prefix>_<random>``) in the database
    ``PIPIA_TEST_POSTGRES_URL`` names, dropped afterwards; skips the test when the variable is not set."""
    base = os.environ.get(POSTGRES_VAR)
    if not base:
        pytest.skip(f"{POSTGRES_VAR} is not set")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    try:
        yield _in_schema(base, name)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


@pytest.fixture
def open_store(db_url: str) -> Iterator[Callable[..., Store]]:
    """Opens Store objects on the test database (a second one plays another tab or server process)."""
    opened: list[Store] = []

    def open_(**options: Any) -> Store:
        store = Store(db_url, **options)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[..., Store]) -> Store:
    return open_store()


def answers(**overrides: Any) -> Answers:
    """A small assessment touching every kind of content: meta, dates, comments, evidence, repeats."""
    data: dict[str, Any] = {
        "bank": {"id": "tiny", "version": "1.0"},
        "meta": {"organisation": "示例公司", "assessor": "张三", "assessment_date": dt.date(2026, 3, 1)},
        "answers": {
            "consent": True,
            "dpo_appointed_on": dt.date(2024, 5, 1),
            "legal_basis": {"value": "consent", "comment": "见隐私政策第5条", "evidence": ["隐私政策 v3.2"]},
            "inventory": [{"item": "姓名", "count": 1200}, {"item": "手机号", "count": 1200}],
        },
        "repeats": {"recipients": [{"r_name": "Acme Inc.", "r_count": 12}, {"r_name": "Beta GmbH"}]},
    }
    data.update(overrides)
    return Answers.model_validate(data)

