"""Which database, and an engine set up for many writers.

``PIPIA_DATABASE_URL`` (any SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pw@host/pipia`` for a team
server) wins; otherwise a SQLite file ``pipia.db`` in ``PIPIA_DATA_DIR`` (default ``~/.pipia``).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from pipia.store.errors import StoreUnavailableError

DATABASE_URL_VAR = "PIPIA_DATABASE_URL"
DATA_DIR_VAR = "PIPIA_DATA_DIR"
SQLITE_FILE = "pipia.db"
# Execution option that marks a transaction as one that writes (see _begin).
WRITE = "pipia_write"
# How long a writer waits for another one before giving up, in seconds. Saves take milliseconds, so
# only a stuck process could make anyone wait this long.
BUSY_TIMEOUT = 30
INCREMENTAL = 2  # SQLite's auto_vacuum mode that frees pages on request (PRAGMA incremental_vacuum)


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder the app keeps its data in: $PIPIA_DATA_DIR, else ~/.pipia."""
    env = os.environ if environ is None else environ
    return Path(env.get(DATA_DIR_VAR) or "~/.pipia").expanduser()


def default_url(environ: Mapping[str, str] | None = None) -> str:
    """The database the environment asks for. Creates the data folder for the default SQLite file."""
    env = os.environ if environ is None else environ
    if env.get(DATABASE_URL_VAR):
        return env[DATABASE_URL_VAR]
    folder = data_dir(env)
    # Assessments hold personal information: a folder we create is readable by its owner only.
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailableError(f"{folder}: the data folder cannot be created ({exc.strerror})") from None
    return f"sqlite:///{folder / SQLITE_FILE}"


def connect(url: str, *, echo: bool = False) -> Engine:
    """An engine for the SQLAlchemy ``url``; for a SQLite file, creates it readable by its owner only and sets the
    pragmas (foreign keys, busy timeout).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pre_ping: a team server's database may restart under a long-running app.
        return create_engine(parsed, echo=echo, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        _create_private(Path(parsed.database).expanduser())
    # One Store serves every Streamlit session (threads), so connections must move between threads;
    # the pool still hands each connection to one thread at a time.
    engine = create_engine(parsed, echo=echo, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _create_private(path: Path) -> None:
    """Create the database file (and its folder) readable by its owner only, unless it exists already.

    Assessments hold personal information; SQLite would create the file with the process's umask
    (typically 0644: readable by every local user), and creates its -wal and -shm files with the
    database file's own mode, so setting the mode here covers those too.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log into the database file and empty the log (after an erasure)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def reclaimable(engine: Engine) -> None:
    """SQLite: make the file one that can give freed pages back (incremental auto-vacuum).

    A new database gets the mode from its first connection (see _sqlite_pragmas); one created before
    needs a single VACUUM, done here once. If another process holds the file, this waits for the busy
    timeout, then leaves it for the next start.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if cursor.execute("PRAGMA auto_vacuum").fetchone()[0] == INCREMENTAL:
            return
        cursor.execute(f"PRAGMA auto_vacuum={INCREMENTAL}")
        with contextlib.suppress(sqlite3.OperationalError):
            cursor.execute("VACUUM")
    finally:
        raw.close()


def give_space_back(engine: Engine) -> None:
    """SQLite: return the file's free pages to the file system (after history was pruned).

    PostgreSQL reuses freed space by itself (autovacuum); shrinking its files is its operator's call.
    """
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        with contextlib.suppress(sqlite3.OperationalError):  # busy: the next prune gives it back
            # As a script: the sqlite3 module's execute steps this pragma once, freeing a single page.
            sqlite: Any = raw.driver_connection
            sqlite.executescript("PRAGMA incremental_vacuum;")
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        raw.close()


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let _begin issue BEGIN itself: the driver's own transaction handling would defer it and could
    # not ask for a write lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT * 1000}")
    # Takes effect only on a file without tables yet (a new database); see reclaimable for older ones.
    cursor.execute(f"PRAGMA auto_vacuum={INCREMENTAL}")
    _use_wal(cursor)
    # FULL: a committed save survives a power cut too, not only a killed process; saves are small.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # A deleted assessment is overwritten with zeros, not left readable in free pages of the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """WAL: readers (the list page in other tabs) never block the writer, nor the writer them.

    The mode is stored in the file, so only the first connection ever switches it; but that switch
    fails at once with "database is locked", ignoring the busy timeout, while another connection (a
    second server starting) has the new file open. So: retry until the timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] in ("wal", "memory"):
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _begin(connection: Connection) -> None:
    # A transaction that reads then writes must hold the write lock from its first statement: in WAL
    # mode a deferred one that read an older snapshot fails at once with "database is locked" when it
    # tries to write after another writer, whatever the busy timeout. Readers take no lock at all.
    immediate = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
