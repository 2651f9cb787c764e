"""The base of every model read at a boundary: an unknown field is an error, and values are frozen; and
results worked out from such frozen values, kept while the very same values come again."""

from __future__ import annotations

import operator
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticUndefined

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
_set = object.__setattr__  # what pydantic itself restores a model's state with (frozen models refuse setattr)


class Model(BaseModel):
    """Base of the project's pydantic models: unknown fields are an error (a typo in a bank or answers file is reported)
    and instances are immutable.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    # A cached bank (``bank.cache``) comes back by unpickling its some 2,500 models. pydantic keeps a
    # model's state as a dict of its four parts, restored by four lookups; as a tuple, restoring it
    # costs a third less (10 M of the 1,018 M instructions of ``pipia route``). The parts are pydantic's:
    # the fields' values, which were set, and the extra and private attributes (none here, kept all the same).
    def __getstate__(  # type: ignore[override]  # a tuple where pydantic declares its dict
            self) -> tuple[dict[str, Any], set[str], dict[str, Any] | None, dict[str, Any] | None]:
        private = self.__pydantic_private__
        if private:
            private = {k: v for k, v in private.items() if v is not PydanticUndefined}
        return self.__dict__, self.__pydantic_fields_set__, self.__pydantic_extra__, private

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, dict):  # pickled by pydantic's own __getstate__
            super().__setstate__(state)
            return
        values, fields_set, extra, private = state
        _set(self, "__dict__", values)
        _set(self, "__pydantic_fields_set__", fields_set)
        _set(self, "__pydantic_extra__", extra)
        _set(self, "__pydantic_private__", private)

    # The modules that define models read at every command's start (the bank, its libraries, the answers,
    # the route's rules, facts and decision, the bilingual text) leave out ``from __future__ import
    # annotations``: with it, every field's annotation is a string that pydantic compiles and evaluates when
    # the class is made, a sizeable part of importing them (about 12 ms of ``pipia route``'s start-up).
    # A name used before its class is defined is quoted instead.


class Kept(Generic[K, V]):
    """Results by key, each with the objects it was worked out from, reused only while the very same objects
    (``is``) are given again. Frozen answers make that safe and cheap: a changed answer is a new object, and
    ``Answers.with_response`` keeps every other part as it was, so after one recipient's edit only that
    recipient's results are worked out again.

    Holding the objects keeps their identity theirs. At most ``size`` keys: full, it is emptied (it only saves
    work). Threads may share one: each call reads or writes the dict once.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: dict[K, tuple[tuple[object, ...], V]] = {}

    def get(self, key: K, sources: tuple[object, ...]) -> V | None:
        """The result kept under ``key`` if it was worked out from these very objects, else None."""
        kept = self._kept.get(key)
        if kept is None or len(kept[0]) != len(sources):
            return None
        # map with operator.is_ rather than a generator: a third of the time, and an evaluation of fifty
        # recipients asks some 170 times
        return kept[1] if all(map(operator.is_, kept[0], sources)) else None

    def put(self, key: K, sources: tuple[object, ...], result: V) -> V:
        """Keep ``result`` under ``key`` with the objects it was worked out from; returns ``result``."""
        if len(self._kept) >= self._size and key not in self._kept:
            self._kept.clear()
        self._kept[key] = (sources, result)
        return result
