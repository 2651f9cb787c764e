"""What the store tests share: a fresh database per test (SQLite, and PostgreSQL too when
PIPIA_TEST_POSTGRES_URL is set: each test in a schema of its own, dropped afterwards), Store objects opened
on it, and a small assessment touching every kind of content.

The fixtures ``db_url``, ``open_store`` and ``store`` are registered for every test module by
tests/conftest.py. A schema per test keeps tests running side by side in separate processes apart.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pipia.answers.format import Answers
from pipia.store import Store

POSTGRES_VAR = "PIPIA_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pipia.db'}"
        return
    with postgres_schema("pipia_test") as url:
        yield url


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
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
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

