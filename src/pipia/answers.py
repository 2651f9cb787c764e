"""Answers to a bank: the file format, reading and writing it losslessly, and checking it against a bank.

An answers file (YAML or JSON)::

    bank: {id: pipia-certification, version: "1.0.0"}
    meta: {organisation: 示例公司, assessor: 张三, assessment_date: 2026-03-01}
    answers:                       # questions outside repeated sections, by id
      ciio: false
      legal_basis:                 # a value, or a mapping when there is a comment or evidence
        value: consent
        comment: 见隐私政策第5条
        evidence: [隐私政策 v3.2]
    repeats:                       # repeated sections: a list of items per repeat group
      recipients:
        - {recipient_name: Acme Inc., recipient_country: us}

An ``Answers`` value is frozen; edits return a new value, so the app, the store and the CLI never share
mutable state. Answers to hidden questions are kept as they are: they just do not count.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, StringConstraints, field_validator

from .bank import Bank, Column, Question
from .errors import AnswersError, Problem
from .loader import validate_model
from .model import Model
from .yamlio import Loc, format_path, load_yaml, locate, plain

Text = Annotated[str, StringConstraints(strict=True)]


class BankRef(Model):
    id: Text = Field(description="Id of the bank answered.")
    version: Text = Field(description="Version of the bank answered (a quoted string).")


class Meta(Model):
    organisation: Text = Field(default="", description="The personal information processor assessed.")
    assessor: Text = Field(default="", description="Who carried out the assessment.")
    reviewer: Text = Field(default="", description="Who reviewed it.")
    assessment_date: dt.date | None = Field(default=None, description="Date the assessment is made at.")
    title: Text = Field(default="", description="A name for this assessment, e.g. the transfer concerned.")


class Response(Model):
    """One answer, with the assessor's comment and evidence references."""

    value: Any = Field(default=None, description="The answer; its type follows the question's type.")
    comment: Text = Field(default="", description="Assessor's note on the answer.")
    evidence: tuple[Text, ...] = Field(default=(), description="References to documents that support it.")

    @field_validator("value", mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        # Values read from YAML arrive as position-tracking lists and dicts; keep plain data only.
        return plain(value)

    @property
    def bare(self) -> bool:
        return not self.comment and not self.evidence


Responses = dict[str, Response]


class Answers(Model):
    bank: BankRef
    meta: Meta = Field(default_factory=Meta)
    answers: Responses = Field(default_factory=dict, description="Answers outside repeated sections.")
    repeats: dict[str, tuple[Responses, ...]] = Field(default_factory=dict, description="Items of repeat groups.")

    @field_validator("answers", mode="before")
    @classmethod
    def _wrap(cls, value: Any) -> Any:
        return _wrap_responses(value)

    @field_validator("repeats", mode="before")
    @classmethod
    def _wrap_items(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {k: [_wrap_responses(i) for i in v] if isinstance(v, list) else v for k, v in value.items()}

    # -- reading values ----------------------------------------------------------------------------
    def value(self, question_id: str, item: int | None = None) -> Any:
        response = self.response(question_id, item)
        return None if response is None else response.value

    def response(self, question_id: str, item: int | None = None, group: str | None = None) -> Response | None:
        if item is None:
            return self.answers.get(question_id)
        for gid, items in self.repeats.items():
            if (group is None or gid == group) and item < len(items) and question_id in items[item]:
                return items[item][question_id]
        return None

    def items(self, group: str) -> tuple[Responses, ...]:
        return self.repeats.get(group, ())

    # -- edits return a new value ------------------------------------------------------------------
    def with_response(
        self, question_id: str, response: Response, group: str | None = None, item: int | None = None
    ) -> Answers:
        if group is None:
            return self.model_copy(update={"answers": {**self.answers, question_id: response}})
        items = list(self.items(group))
        while len(items) <= (item or 0):
            items.append({})
        items[item or 0] = {**items[item or 0], question_id: response}
        return self.model_copy(update={"repeats": {**self.repeats, group: tuple(items)}})

    def with_value(self, question_id: str, value: Any, group: str | None = None, item: int | None = None) -> Answers:
        old = self.response(question_id, item, group) if group else self.answers.get(question_id)
        return self.with_response(question_id, (old or Response()).model_copy(update={"value": value}), group, item)

    def without_item(self, group: str, item: int) -> Answers:
        items = [x for i, x in enumerate(self.items(group)) if i != item]
        return self.model_copy(update={"repeats": {**self.repeats, group: tuple(items)}})

    def with_item(self, group: str) -> Answers:
        return self.model_copy(update={"repeats": {**self.repeats, group: (*self.items(group), {})}})

    # -- serialising -------------------------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON: a bare value where there is no comment or evidence."""
        data: dict[str, Any] = {"bank": {"id": self.bank.id, "version": self.bank.version}}
        meta = {k: v for k, v in self.meta.model_dump().items() if v not in ("", None)}
        if meta:
            data["meta"] = meta
        data["answers"] = _unwrap_responses(self.answers)
        if self.repeats:
            data["repeats"] = {g: [_unwrap_responses(i) for i in items] for g, items in self.repeats.items()}
        return data


def _wrap_responses(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {
        k: v if isinstance(v, Response) else Response(value=v) if not isinstance(v, Mapping) else v
        for k, v in value.items()
    }


def _unwrap_responses(responses: Responses) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qid, r in responses.items():
        if r.bare:
            out[qid] = r.value
        else:
            entry: dict[str, Any] = {"value": r.value}
            if r.comment:
                entry["comment"] = r.comment
            if r.evidence:
                entry["evidence"] = list(r.evidence)
            out[qid] = entry
    return out


# -- files -------------------------------------------------------------------------------------------
def parse(text: str, file: str) -> tuple[Answers, Any]:
    """Parse answers from YAML or JSON text. Returns the answers and the raw data (for positions)."""
    problems: list[Problem] = []
    if file.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnswersError([Problem(file, exc.lineno, "", f"malformed JSON: {exc.msg}")]) from None
    else:
        data, problems = load_yaml(text, file)
    if data is None and not problems:
        problems.append(Problem(file, 1, "", "empty file (expected bank, meta and answers)"))
    if problems:
        raise AnswersError(problems)
    answers = validate_model(Answers, data, problems, file)
    if answers is None:
        raise AnswersError(problems)
    return answers, data


def read(path: Path) -> tuple[Answers, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise AnswersError([Problem(str(path), None, "", f"not UTF-8 text ({exc.reason})")]) from None
    return parse(text, str(path))


class _Dumper(yaml.SafeDumper):
    """Writes text so it reads back exactly: characters YAML treats as line breaks or drops in plain and
    block styles (NEL, LS, PS, CR, other control characters) force an escaped double-quoted string."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    risky = any(ch in "\x85\u2028\u2029\r\ufeff" or (ord(ch) < 32 and ch not in "\n\t") for ch in text)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if risky else None)


_Dumper.add_representer(str, _represent_text)


def dumps(answers: Answers, fmt: str = "yaml") -> str:
    data = answers.to_data()
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def write(answers: Answers, path: Path) -> None:
    """Write atomically: a crash mid-write never leaves a half-written answers file."""
    fmt = "json" if path.suffix == ".json" else "yaml"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dumps(answers, fmt), encoding="utf-8")
    tmp.replace(path)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


# -- checking against a bank -------------------------------------------------------------------------
def check(answers: Answers, bank: Bank, raw: Any = None, file: str = "<answers>") -> list[Problem]:
    """Every way the answers do not fit the bank: unknown ids, wrong types, values not among options."""
    found: list[Problem] = []

    def problem(steps: list[int | str], message: str, severity: Any = "error") -> None:
        loc = locate(raw, steps) or Loc(file, 0)
        found.append(Problem(loc.file, loc.line or None, format_path(steps), message, severity))

    if answers.bank.id != bank.id:
        problem(["bank", "id"], f"answers are for bank {answers.bank.id!r}, not {bank.id!r}")
        return found
    if answers.bank.version != bank.version:
        problem(
            ["bank", "version"],
            f"answers were made with version {answers.bank.version} of the bank; "
            f"it is now {bank.version} (answers are checked against the current version)",
            "warning",
        )
    for qid, response in answers.answers.items():
        question = bank.questions.get(qid)
        if question is None or bank.group_of(qid) is not None:
            where = f" (it belongs in repeats.{bank.group_of(qid)})" if question is not None else ""
            problem(["answers", qid], f"unknown question id {qid!r}{where}")
            continue
        for steps, message in _check_value(question, response.value):
            problem(["answers", qid, *steps], message)
    for gid, items in answers.repeats.items():
        group = bank.groups.get(gid)
        if group is None:
            problem(["repeats", gid], f"unknown repeat group {gid!r} (expected one of {sorted(bank.groups)})")
            continue
        if len(items) > group.max_items:
            problem(["repeats", gid], f"{len(items)} items, more than the {group.max_items} allowed")
        members = {q.id: q for q in bank.group_questions(gid)}
        for i, item in enumerate(items):
            for qid, response in item.items():
                if qid not in members:
                    problem(["repeats", gid, i, qid], f"unknown question id {qid!r} in repeat group {gid!r}")
                    continue
                for steps, message in _check_value(members[qid], response.value):
                    problem(["repeats", gid, i, qid, *steps], message)
    return found


def coerce(question: Question | Column, value: Any) -> Any:
    """The value in its canonical type (dates from ISO text, yes/no as booleans). Assumes it is valid."""
    if value is None:
        return None
    if question.type == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if question.type == "yes_no" and isinstance(value, str):
        return value == "yes"
    if question.type == "table" and isinstance(question, Question):
        columns = {c.id: c for c in question.columns}
        return [{k: coerce(columns[k], v) if k in columns else v for k, v in row.items()} for row in value]
    return value


def value_problems(question: Question | Column, value: Any) -> list[str]:
    """What is wrong with one value for its question or table column (empty when it fits), in English."""
    return [message for _, message in _check_value(question, value)]


def _check_value(question: Question | Column, value: Any) -> Iterator[tuple[list[int | str], str]]:
    if value is None:
        return
    kind = question.type
    if kind == "table":
        assert isinstance(question, Question)
        if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
            yield [], "expected a list of rows, each a mapping of column id to value"
            return
        columns = {c.id: c for c in question.columns}
        for i, row in enumerate(value):
            for key, cell in row.items():
                if key not in columns:
                    yield [i, key], f"unknown column {key!r} (expected one of {sorted(columns)})"
                else:
                    for _, message in _check_value(columns[key], cell):
                        yield [i, key], message
        return
    options = {o.value for o in question.options}
    if kind == "single_choice":
        if not isinstance(value, str) or value not in options:
            yield [], f"{value!r} is not an option (expected one of {sorted(options)})"
    elif kind == "multiple_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            yield [], f"expected a list of options (one of {sorted(options)})"
            return
        for v in value:
            if v not in options:
                yield [], f"{v!r} is not an option (expected one of {sorted(options)})"
        exclusive = [o.value for o in question.options if o.exclusive and o.value in value]
        if exclusive and len(value) > 1:
            yield [], f"{exclusive[0]!r} cannot be chosen together with other options"
        if len(set(value)) != len(value):
            yield [], "an option is chosen twice"
    elif kind == "yes_no":
        if not isinstance(value, bool) and value not in ("yes", "no"):
            yield [], f"expected yes or no (got {value!r})"
    elif kind in ("text", "long_text"):
        if not isinstance(value, str):
            yield [], f"expected text (got {type(value).__name__} {value!r}; quote it in YAML)"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            yield [], f"expected a number (got {value!r})"
            return
        yield from _check_number(question, value)
    elif kind == "date":
        if isinstance(value, str):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                yield [], f"expected a date as YYYY-MM-DD (got {value!r})"
        elif not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            yield [], f"expected a date as YYYY-MM-DD (got {value!r})"


def _check_number(question: Question | Column, value: float) -> Iterator[tuple[list[int | str], str]]:
    if question.integer and not float(value).is_integer():
        yield [], f"expected a whole number (got {value})"
    if question.minimum is not None and value < question.minimum:
        yield [], f"{value} is below the minimum {question.minimum:g}"
    if question.maximum is not None and value > question.maximum:
        yield [], f"{value} is above the maximum {question.maximum:g}"
