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
    # The answers asked once and each repeat item are tagged and written out on their own, and kept: a save
    # after one recipient's answer changed writes that recipient again, not every one nor the answers asked
    # once (the parts not changed are the same objects, ``Answers.with_response``). The text is the one
    # ``json.dumps`` gives for the whole: "bank", "meta", "answers", then "repeats" when there are any.
    rest = answers.model_copy(update={"answers": {}, "repeats": {}}).to_data()
    del rest["answers"]  # written below, after the bank and the details, as to_data places it
    tagged = _tag(rest, "answers")
    asked = _written("answers.answers", answers.answers)
    items: dict[str, list[tuple[Any, str | None]]] = {}
    for group, found in answers.repeats.items():
        where = f"answers.repeats.{group}"
        items[group] = [_written(where, item) for item in found]
    head = _json(tagged)
    names = {group: _json(group) for group in items}
    # The repeats mapping is written here rather than by _tag, so it is escaped here as _tag escapes any
    # mapping: a lone group named like a tag ("$tuple") would otherwise read back as that tag's value.
    escaped = len(items) == 1 and next(iter(items)) in _TAGS
    if head is None or asked[1] is None or None in names.values() or any(
            text is None for found in items.values() for _, text in found):
        # A lone surrogate (a broken paste) cannot be stored as UTF-8: escape everything, losing nothing.
        tagged["answers"] = asked[0]
        if items:
            repeats = {group: [data for data, _ in found] for group, found in items.items()}
            tagged["repeats"] = {"$dict": repeats} if escaped else repeats
        return json.dumps(tagged, ensure_ascii=True, separators=(",", ":"))
    # Joined once: with fifty recipients the text is some 160 KB, and each concatenation would copy it again.
    pieces = [head[:-1], ',"answers":', asked[1]]
    if items:
        pieces.append(',"repeats":{"$dict":{' if escaped else ',"repeats":{')
        for number, (group, written) in enumerate(items.items()):
            pieces += ["," if number else "", str(names[group]), ":["]
            for index, (_, text) in enumerate(written):
                pieces += ["," if index else "", str(text)]
            pieces.append("]")
        pieces.append("}}" if escaped else "}")
    pieces.append("}")
    return "".join(pieces)


def _json(value: Any) -> str | None:
    """``value`` as compact JSON text, or None when the text cannot be stored as UTF-8 (a lone surrogate)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


# The tagged data and JSON text of a set of responses (the answers asked once, or one repeat item), by
# where they are and the identity of the (immutable) responses.
_WRITTEN: Kept[tuple[str, int], tuple[Any, str | None]] = Kept(4096)


def _written(where: str, responses: Responses) -> tuple[Any, str | None]:
    kept = _WRITTEN.get((where, id(responses)), (responses,))
    if kept is not None:
        return kept
    tagged = _tag(_explicit(responses, responses_data(responses)), where)
    return _WRITTEN.put((where, id(responses)), (responses,), (tagged, _json(tagged)))


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

