"""Answers as stored JSON text, read back exactly as they were written.

The answers file format (``answers.dumps(a, "json")``) writes a date as ISO text, and a date question's
value comes back from it as a string, not a ``date``: fine for a file a person edits, wrong for a store
whose ``load(save(a))`` must equal ``a``. So the stored text is the answers file's shape with the few
Python types JSON cannot carry tagged as one-key objects::

    {"assessment_date": {"$date": "2026-03-01"}, "answers": {"dpo_since": {"$date": "2024-05-01"}}}

``$date``, ``$datetime`` and ``$tuple`` carry those types; ``$map`` a mapping whose keys are not all text
(YAML allows ``1: x``); ``$dict`` escapes a genuine answer mapping that happens to look like a tag. The
text stays readable and queryable in the database (a person can still find an organisation in it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from pipia.answers.format import Answers, Responses, responses_data
from pipia.model import Kept
from pipia.store.errors import StoreError

_TAGS = ("$date", "$datetime", "$tuple", "$map", "$dict")


def encode(answers: Answers) -> str:
    """Stored text of answers; raises StoreError for a value JSON cannot hold (say, bytes)."""
    # Each repeat item is tagged on its own, and kept: a save after one recipient's answer changed tags that
    # recipient again, not every one (the items not changed are the same objects, ``Answers.with_response``).
    data = answers.model_copy(update={"repeats": {}}).to_data()
    # to_data writes a bare value in place of its response, and a bare *mapping* would read back as a
    # response (value/comment/evidence): keep such values in the explicit form.
    data["answers"] = _explicit(answers.answers, data["answers"])
    tagged = _tag(data, "answers")
    if answers.repeats:
        tagged["repeats"] = {group: [_tagged_item(group, item) for item in items]
                             for group, items in answers.repeats.items()}
    text = json.dumps(tagged, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (a broken paste) cannot be stored as UTF-8: escape everything, losing nothing.
        text = json.dumps(tagged, ensure_ascii=True, separators=(",", ":"))
    return text


# Tagged items by the identity of their (immutable) responses.
_ITEMS: Kept[tuple[str, int], Any] = Kept(4096)


def _tagged_item(group: str, item: Responses) -> Any:
    kept = _ITEMS.get((group, id(item)), (item,))
    if kept is not None:
        return kept
    return _ITEMS.put((group, id(item)), (item,), _tag(_explicit(item, responses_data(item)),
                                                       f"answers.repeats.{group}"))


def decode(text: str) -> Answers:
    """Answers from stored text. Stored text was written by encode, so a failure means a damaged row."""
    try:
        return Answers.model_validate(_untag(json.loads(text)))
    except (ValueError, ValidationError) as exc:
        raise StoreError(f"stored answers cannot be read back: {exc}") from exc


def _explicit(responses: Responses, plain: dict[str, Any]) -> dict[str, Any]:
    return {qid: {"value": r.value} if r.bare and isinstance(r.value, Mapping) else plain[qid]
            for qid, r in responses.items()}


def _tag(value: Any, where: str) -> Any:
    if isinstance(value, dt.datetime):  # before date: a datetime is a date too
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [_tag(v, where) for v in value]}
    if isinstance(value, list):
        return [_tag(v, where) for v in value]
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            return {"$map": [[_tag(k, where), _tag(v, where)] for k, v in value.items()]}
        tagged = {k: _tag(v, f"{where}.{k}") for k, v in value.items()}
        return {"$dict": tagged} if len(value) == 1 and next(iter(value)) in _TAGS else tagged
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise StoreError(f"{where}: a {type(value).__name__} cannot be stored (expected text, numbers, "
                     "yes/no, dates, lists or mappings)")


def _untag(value: Any) -> Any:
    # Top-down, so the inside of a $dict escape is never mistaken for a tag.
    if isinstance(value, list):
        return [_untag(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        key, inner = next(iter(value.items()))
        if key == "$date":
            return dt.date.fromisoformat(inner)
        if key == "$datetime":
            return dt.datetime.fromisoformat(inner)
        if key == "$tuple":
            return tuple(_untag(v) for v in inner)
        if key == "$map":
            return {_untag(k): _untag(v) for k, v in inner}
        if key == "$dict":
            return {k: _untag(v) for k, v in inner.items()}
    return {k: _untag(v) for k, v in value.items()}

