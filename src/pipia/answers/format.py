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

# Annotations are evaluated as the module runs (no ``from __future__ import annotations``): see ``pipia.model``.
import datetime as dt
import json
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import Field, StringConstraints, field_validator

from pipia.bank.format import Bank, Column, Question
from pipia.bank.loader import validate_model
from pipia.errors import AnswersError, FieldError, Problem, shown
from pipia.files.reader import parse as parse_data
from pipia.files.reader import read_file
from pipia.files.yamlio import (
    ANSWERS,
    EARLIEST,
    LATEST,
    Loc,
    LocDict,
    format_path,
    locate,
    needs_quotes,
    plain,
    written_text,
)
from pipia.i18n import Lang, Message, msg
from pipia.model import Model

Text = Annotated[str, StringConstraints(strict=True)]
# A bank id is looked up among the installed banks, never opened as a path: the same pattern as Bank.id.
BankId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9_.\-]*$", max_length=100)]
# More rows than any data inventory or recipient list holds; each row costs time in every report.
MAX_TABLE_ROWS = 1_000


class BankRef(Model):
    """Which bank (id and version) an answers file answers."""

    id: BankId = Field(description="Id of the bank answered (lower-case letters, digits, '-', '_', '.').")
    version: Text = Field(description="Version of the bank answered (a quoted string).")


class Meta(Model):
    """About the assessment: the processor assessed, assessor, reviewer, date and title (the report's cover)."""

    organisation: Text = Field(default="", description="The personal information processor assessed.")
    assessor: Text = Field(default="", description="Who carried out the assessment.")
    reviewer: Text = Field(default="", description="Who reviewed it.")
    assessment_date: dt.date | None = Field(default=None, description="Date the assessment is made at.")
    title: Text = Field(default="", description="A name for this assessment, e.g. the transfer concerned.")

    @field_validator("assessment_date")
    @classmethod
    def _a_date_an_assessment_can_have(cls, value: dt.date | None) -> dt.date | None:
        # JSON and quoted YAML bring dates as text, which the file reader cannot check as dates.
        if value is not None and not EARLIEST <= value <= LATEST:
            raise FieldError.of((), msg("answers_date_out_of_range", date=str(value), first=str(EARLIEST),
                                        last=str(LATEST)))
        return value


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
        """Whether the response carries only a value: no comment and no evidence."""
        return not self.comment and not self.evidence


Responses = dict[str, Response]


class Answers(Model):
    """An answers file: the bank answered, the meta, answers outside repeated sections and the items of repeat groups
    (e.g. one per overseas recipient). Immutable: the with_* methods return a changed copy.
    """

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
        """The answer to ``question_id`` (in repeat item ``item``, 0-based, when given), or None when unanswered."""
        response = self.response(question_id, item)
        return None if response is None else response.value

    def response(self, question_id: str, item: int | None = None, group: str | None = None) -> Response | None:
        """The whole response (value, comment, evidence) to ``question_id``, in repeat item ``item`` of ``group`` (any
        group when None), or None.
        """
        if item is None:
            return self.answers.get(question_id)
        for gid, items in self.repeats.items():
            if (group is None or gid == group) and item < len(items) and question_id in items[item]:
                return items[item][question_id]
        return None

    def items(self, group: str) -> tuple[Responses, ...]:
        """The items of repeat group ``group`` (each question id -> response); empty when there are none."""
        return self.repeats.get(group, ())

    # -- edits return a new value ------------------------------------------------------------------
    def with_response(
        self, question_id: str, response: Response, group: str | None = None, item: int | None = None
    ) -> "Answers":
        """A copy with ``response`` recorded for ``question_id``; in ``group`` it goes to item ``item`` (0 when None),
        adding empty items up to it.
        """
        if group is None:
            return self.model_copy(update={"answers": {**self.answers, question_id: response}})
        items = list(self.items(group))
        while len(items) <= (item or 0):
            items.append({})
        items[item or 0] = {**items[item or 0], question_id: response}
        return self.model_copy(update={"repeats": {**self.repeats, group: tuple(items)}})

    def with_value(self, question_id: str, value: Any, group: str | None = None, item: int | None = None) -> "Answers":
        """A copy with the value of ``question_id`` set to ``value``, keeping the response's comment and evidence."""
        old = self.response(question_id, item, group) if group else self.answers.get(question_id)
        return self.with_response(question_id, (old or Response()).model_copy(update={"value": value}), group, item)

    def without_item(self, group: str, item: int) -> "Answers":
        """A copy without item ``item`` (0-based) of repeat group ``group``; later items move up one."""
        items = [x for i, x in enumerate(self.items(group)) if i != item]
        return self.model_copy(update={"repeats": {**self.repeats, group: tuple(items)}})

    def with_item(self, group: str) -> "Answers":
        """A copy with one empty item added at the end of repeat group ``group``."""
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


def responses_data(responses: Responses) -> dict[str, Any]:
    """Plain data of one set of responses (the answers asked once, or one repeat item) as ``to_data`` writes
    them: a bare value where there is no comment or evidence."""
    return _unwrap_responses(responses)


def _unwrap_responses(responses: Responses) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qid, r in responses.items():
        # A bare mapping would read back as a response (value/comment/evidence): keep it explicit.
        if r.bare and not isinstance(r.value, Mapping):
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
    """Parse answers from YAML or JSON text (JSON for a ``.json`` name) through the shared file reader.

    Returns the answers and the raw data (for positions); raises AnswersError with every problem found.
    """
    return from_data(*parse_data(text, file, ANSWERS), file)


def read(path: Path) -> tuple[Answers, Any]:
    """Read an answers file (UTF-8 with or without BOM; YAML, or JSON for ``.json``); AnswersError if bad."""
    return from_data(*read_file(path, ANSWERS), str(path))


def from_data(data: Any, problems: list[Problem], file: str) -> tuple[Answers, Any]:
    """Answers from what the reader returned for ``file``; raises AnswersError with every problem."""
    problems = list(problems)
    if data is None and not problems:
        problems.append(Problem.of(file, 1, "", msg("answers_empty_file")))
    if problems:
        raise AnswersError(problems)
    answers = validate_model(Answers, data, problems, file)
    if answers is None:
        raise AnswersError(problems)
    return answers, data


class _Dumper(yaml.SafeDumper):
    """Writes text so it reads back exactly: characters YAML treats as line breaks or drops in plain and
    block styles (NEL, LS, PS, CR, other control characters) force an escaped double-quoted string.
    A value used twice (two equal rows built from one) is written out twice, never as an alias, which
    the reader refuses in an answers file."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    risky = any(ch in "\x85\u2028\u2029\r\ufeff" or (ord(ch) < 32 and ch not in "\n\t") for ch in text)
    # PyYAML writes 09000 or 1e3 bare (they are text to PyYAML); the reader refuses such number forms bare.
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"' if risky or needs_quotes(text) else None)


_Dumper.add_representer(str, _represent_text)


def dumps(answers: Answers, fmt: str = "yaml") -> str:
    """The answers as an answers file's text: YAML (the default, key order kept) or JSON when ``fmt`` is 'json'."""
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

    def problem(steps: list[int | str], said: Message, severity: Any = "error") -> None:
        loc = locate(raw, steps) or Loc(file, 0)
        found.append(Problem.of(loc.file, loc.line or None, format_path(steps), said, severity))

    if answers.bank.id != bank.id:
        problem(["bank", "id"], msg("answers_other_bank", answers=repr(answers.bank.id), bank=repr(bank.id)))
        return found
    if answers.bank.version != bank.version:
        problem(["bank", "version"], msg("answers_other_version", answers=answers.bank.version, bank=bank.version),
                "warning")
    for qid, response in answers.answers.items():
        question = bank.questions.get(qid)
        if question is None or bank.group_of(qid) is not None:
            problem(["answers", qid], msg("answers_unknown_question", question=repr(qid)) if question is None
                    else msg("answers_question_in_group", question=repr(qid), group=bank.group_of(qid)))
            continue
        for steps, said in _check_value(question, response.value, _written_in(raw, ["answers", qid])):
            problem(["answers", qid, *steps], said)
    for gid, items in answers.repeats.items():
        group = bank.groups.get(gid)
        if group is None:
            problem(["repeats", gid], msg("answers_unknown_group", group=repr(gid), known=str(sorted(bank.groups))))
            continue
        if len(items) > group.max_items:
            problem(["repeats", gid], msg("answers_too_many_items", count=len(items), max=group.max_items))
        members = {q.id: q for q in bank.group_questions(gid)}
        for i, item in enumerate(items):
            for qid, response in item.items():
                if qid not in members:
                    problem(["repeats", gid, i, qid], msg("answers_not_in_group", question=repr(qid), group=repr(gid)))
                    continue
                for steps, said in _check_value(members[qid], response.value,
                                                _written_in(raw, ["repeats", gid, i, qid])):
                    problem(["repeats", gid, i, qid, *steps], said)
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


def value_problems(question: Question | Column, value: Any, lang: Lang = "en") -> list[str]:
    """What is wrong with one value for its question or table column (empty when it fits), in ``lang``."""
    return [said(lang) for _, said in _check_value(question, value)]


# How a value (steps () ) or a cell inside it (steps (row, column)) was written in the file, where known.
Written = Callable[[Sequence[int | str]], str | None]


def _unknown(steps: Sequence[int | str]) -> str | None:
    return None


def _written_in(raw: Any, steps: list[int | str]) -> Written:
    """How the answer at ``steps`` of the raw file, or a cell inside it, was written (``{value: ...}`` too)."""
    node = _at(raw, steps)
    if isinstance(node, LocDict) and "value" in node:
        steps = [*steps, "value"]
    return lambda inside: written_text(raw, [*steps, *inside])


def _at(raw: Any, steps: list[int | str]) -> Any:
    node = raw
    for step in steps:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _inside(written: Written, *steps: int | str) -> Written:
    """How a part of the value (a table cell at ``steps``) was written."""
    return lambda inside: written((*steps, *inside))


def _check_value(question: Question | Column, value: Any,
                 written: Written = _unknown) -> Iterator[tuple[list[int | str], Message]]:
    """Each way ``value`` does not fit the question: (steps inside the value, what is wrong).

    ``written`` tells how the file wrote the value or a cell of it, so a message quotes ``1.10`` and not the
    float 1.1 YAML read.
    """
    if value is None:
        return
    kind = question.type
    as_written = shown(value, written(()))
    if kind == "table":
        assert isinstance(question, Question)
        if not isinstance(value, list) or not all(isinstance(r, Mapping) for r in value):
            yield [], msg("answers_table_not_rows")
            return
        if len(value) > MAX_TABLE_ROWS:
            yield [], msg("answers_table_too_long", count=len(value), max=MAX_TABLE_ROWS)
            return
        columns = {c.id: c for c in question.columns}
        for i, row in enumerate(value):
            for key, cell in row.items():
                if key not in columns:
                    yield [i, key], msg("answers_unknown_column", column=repr(key), known=str(sorted(columns)))
                else:
                    for _, said in _check_value(columns[key], cell, _inside(written, i, key)):
                        yield [i, key], said
        return
    options = {o.value for o in question.options}
    if kind == "single_choice":
        if not isinstance(value, str) or value not in options:
            named = repr(value) if isinstance(value, list | dict) else as_written  # NO as written, never False
            yield [], msg("answers_not_an_option_hint", value=named, hint=_boolean_hint(value, named),
                          known=str(sorted(options)))
    elif kind == "multiple_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            flags = [(v, written((j,)) if isinstance(value, list) else written(()))
                     for j, v in enumerate(value if isinstance(value, list) else [value]) if isinstance(v, bool)]
            hint = _boolean_hint(True, shown(*flags[0])) if flags else ""
            yield [], msg("answers_not_options", hint=hint, known=str(sorted(options)))
            return
        for v in value:
            if v not in options:
                yield [], msg("answers_not_an_option", value=repr(v), known=str(sorted(options)))
        exclusive = [o.value for o in question.options if o.exclusive and o.value in value]
        if exclusive and len(value) > 1:
            yield [], msg("answers_exclusive_option", value=repr(exclusive[0]))
        if len(set(value)) != len(value):
            yield [], msg("answers_option_twice")
    elif kind == "yes_no":
        if not isinstance(value, bool) and value not in ("yes", "no"):
            yield [], msg("answers_not_yes_no", value=as_written)
    elif kind in ("text", "long_text"):
        if not isinstance(value, str):
            yield [], msg("answers_not_text", value=as_written,
                          hint=_boolean_hint(value, as_written) or msg("answers_quote_hint"))
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            yield [], msg("answers_not_a_number", value=as_written)
            return
        yield from _check_number(question, value, as_written)
    elif kind == "date":
        day = value
        if isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                yield [], msg("answers_not_a_date", value=as_written)
                return
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            yield [], msg("answers_not_a_date", value=as_written)
        elif not EARLIEST <= day <= LATEST:
            yield [], msg("answers_date_out_of_range", date=str(day), first=str(EARLIEST), last=str(LATEST))


def _boolean_hint(value: Any, as_written: str = "NO") -> Message | str:
    # Unquoted NO (Norway), on or yes in YAML arrive as booleans: say so, as banks and facts files do, and
    # quote what the author typed (On stays On), never the yes/no it became.
    if not isinstance(value, bool):
        return ""
    return msg("answers_boolean_hint", as_written=as_written)


def _check_number(question: Question | Column, value: float,
                  as_written: str) -> Iterator[tuple[list[int | str], Message]]:
    if question.integer and not float(value).is_integer():
        yield [], msg("answers_not_whole", value=as_written)
    if question.minimum is not None and value < question.minimum:
        yield [], msg("answers_below_minimum", value=as_written, bound=f"{question.minimum:g}")
    if question.maximum is not None and value > question.maximum:
        yield [], msg("answers_above_maximum", value=as_written, bound=f"{question.maximum:g}")
