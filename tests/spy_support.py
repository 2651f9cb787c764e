"""Calls a test watches: a function or method still called, each call recorded (the ``calls`` fixture)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Calls = Callable[[object, str], list[tuple[Any, ...]]]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """``calls(owner, name)``: every call of ``owner.name`` from now on, still made, recorded as the tuple of its
    positional arguments (a method patched on its class gets its instance first)."""
    def record(owner: object, name: str) -> list[tuple[Any, ...]]:
        made: list[tuple[Any, ...]] = []
        real = getattr(owner, name)

        def recorded(*args: Any, **kwargs: Any) -> Any:
            made.append(args)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)
        return made

    return record
