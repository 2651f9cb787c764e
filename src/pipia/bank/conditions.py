"""When a question is shown: a closed set of condition operators, never ``eval``.

A condition is data in the bank::

    show_if: {question: sensitive_data, equals: yes}
    show_if:
      all:
        - {question: recipient_count, gte: 2}
        - not: {question: exemptions, contains: hr_management}
    show_if: {route: security_assessment}     # the route the screening answers decide

``route`` tests the route decision (``pathway.decide``) rather than an answer, so the thresholds that
decide it live only in the dated rule sets (``questionnaires/library/route-rules.yaml``). It reads as
the key ``ROUTE`` through the same lookup as questions; a lookup that cannot decide the route (screening
unanswered, or conditions read outside ``progress``) gives None, and the condition does not hold.

Each operator has a pure evaluator and a plain-language description in both languages, so the app
and the report can say *why* a question is shown. The loader uses :meth:`Condition.questions` to check
that every referenced question exists and comes earlier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from pipia.errors import FieldError
from pipia.i18n import Lang, Message, join, msg, t

Scalar = str | int | float | bool | dt.date
ROUTE = "@route"
"""The lookup key of the route decision: never a question id (ids start with a letter)."""
ROUTES = ("exempt", "contract_or_certification", "security_assessment")
"""The routes ``{route: ...}`` may test: ``route_rules.Route``, restated here because conditions come
first in the import order; a test keeps the two equal."""
Lookup = Callable[[str], Any]
"""Returns the current answer to a question id, or None when it is unanswered or hidden."""
Describer = Callable[[str, Any, Lang], tuple[str, str]]
"""Returns (question label, value label) for a question id and a value, in a language."""


class ConditionSyntaxError(FieldError):
    """A condition in a bank is not well formed: ``path`` is the bad part's place inside the condition
    (``("all", 0, "answered")``), ``said`` the catalogue text saying what is wrong and what was expected."""


def is_answered(value: Any) -> bool:
    """Whether an answer counts as given: not None, an empty string, an empty list or an empty dict."""
    # Not `value not in (...)`: a list or dict answer is unhashable and `in` would compare it element-wise.
    return value is not None and value != "" and value != [] and value != {}  # noqa: PLR1714


def _same(answer: Any, expected: Any) -> bool:
    # yes/no answers are booleans; a bank may write the expected value as yes/no or true/false.
    if isinstance(answer, bool) and isinstance(expected, str):
        return expected == ("yes" if answer else "no")
    if isinstance(answer, bool) != isinstance(expected, bool):
        return False
    return bool(answer == expected)


def _orderable(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return True
    return isinstance(a, dt.date) and isinstance(b, dt.date)


class Condition:
    """Base of every condition node."""

    def evaluate(self, lookup: Lookup) -> bool:
        """Whether the condition holds for the answers ``lookup`` reads (question id -> answer)."""
        raise NotImplementedError

    def questions(self) -> tuple[str, ...]:
        """Every question id this condition reads."""
        raise NotImplementedError

    def describe(self, lang: Lang, names: Describer) -> str:
        """The condition in words of ``lang`` for the person answering, naming questions and options via ``names``."""
        raise NotImplementedError

    def to_data(self) -> dict[str, Any]:
        """The condition as the YAML mapping a bank writes it in (the inverse of parsing)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Compare(Condition):
    """One question compared with a value: ``equals``, ``in``, ``contains``, ``answered`` and the other OPS."""

    question: str
    op: str
    value: Any

    # op -> (the words, {q} the question, {v} the value; the evaluator). Unanswered questions satisfy only
    # `answered: false`: a follow-up must not appear because an earlier question was skipped.
    OPS: ClassVar[dict[str, tuple[Message, Callable[[Any, Any], bool]]]] = {
        "equals": (msg("condition_equals"), _same),
        "not_equals": (
            msg("condition_not_equals"),
            lambda a, v: not _same(a, v),
        ),
        "in": (msg("condition_in"), lambda a, v: any(_same(a, x) for x in v)),
        "not_in": (
            msg("condition_not_in"),
            lambda a, v: not any(_same(a, x) for x in v),
        ),
        "contains": (
            msg("condition_contains"),
            lambda a, v: (
                (v in a)
                if isinstance(a, str) and isinstance(v, str)
                else isinstance(a, list) and any(_same(x, v) for x in a)
            ),
        ),
        "gt": (msg("condition_gt"), lambda a, v: _orderable(a, v) and a > v),
        "gte": (msg("condition_gte"), lambda a, v: _orderable(a, v) and a >= v),
        "lt": (msg("condition_lt"), lambda a, v: _orderable(a, v) and a < v),
        "lte": (msg("condition_lte"), lambda a, v: _orderable(a, v) and a <= v),
        "answered": (msg("condition_answered"), lambda a, v: True),
    }

    def evaluate(self, lookup: Lookup) -> bool:
        """Whether the answer meets the comparison; an unanswered question satisfies only ``answered: false``."""
        answer = lookup(self.question)
        if self.op == "answered":
            return is_answered(answer) == bool(self.value)
        if not is_answered(answer):
            return False
        return self.OPS[self.op][1](answer, self.value)

    def questions(self) -> tuple[str, ...]:
        """The one question id the comparison reads."""
        return (self.question,)

    def describe(self, lang: Lang, names: Describer) -> str:
        """The comparison in words, e.g. “<question> is <option>”, with the question's and options' labels."""
        if self.op == "answered" and not self.value:
            label, _ = names(self.question, None, lang)
            return t(lang, "condition_unanswered", q=label)
        values = self.value if isinstance(self.value, list | tuple) else [self.value]
        labels = [names(self.question, v, lang)[1] for v in values]
        label = names(self.question, None, lang)[0]
        if self.op in ("in", "not_in"):
            shown = join(lang, (t(lang, "condition_option", v=x) for x in labels))
        else:
            shown = labels[0]
        return self.OPS[self.op][0].fill(q=label, v=shown)(lang)

    def to_data(self) -> dict[str, Any]:
        """The comparison as ``{'question': id, op: value}``."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"question": self.question, self.op: value}


@dataclass(frozen=True)
class All(Condition):
    """Holds when every part holds (``all:`` in a bank)."""

    parts: tuple[Condition, ...]

    def evaluate(self, lookup: Lookup) -> bool:
        """Whether every part holds."""
        return all(p.evaluate(lookup) for p in self.parts)

    def questions(self) -> tuple[str, ...]:
        """The question ids all the parts read, in order (may repeat)."""
        return tuple(q for p in self.parts for q in p.questions())

    def describe(self, lang: Lang, names: Describer) -> str:
        """The parts in words, joined by “and”."""
        return t(lang, "condition_and").join(p.describe(lang, names) for p in self.parts)

    def to_data(self) -> dict[str, Any]:
        """The condition as ``{'all': [...]}``."""
        return {"all": [p.to_data() for p in self.parts]}


@dataclass(frozen=True)
class Any_(Condition):
    """Holds when at least one part holds (``any:`` in a bank)."""

    parts: tuple[Condition, ...]

    def evaluate(self, lookup: Lookup) -> bool:
        """Whether at least one part holds."""
        return any(p.evaluate(lookup) for p in self.parts)

    def questions(self) -> tuple[str, ...]:
        """The question ids all the parts read, in order (may repeat)."""
        return tuple(q for p in self.parts for q in p.questions())

    def describe(self, lang: Lang, names: Describer) -> str:
        """The parts in words, joined by “or”."""
        inner = t(lang, "condition_or").join(p.describe(lang, names) for p in self.parts)
        return t(lang, "condition_any", parts=inner)

    def to_data(self) -> dict[str, Any]:
        """The condition as ``{'any': [...]}``."""
        return {"any": [p.to_data() for p in self.parts]}


@dataclass(frozen=True)
class Not(Condition):
    """Holds when its part does not (``not:`` in a bank)."""

    part: Condition

    def evaluate(self, lookup: Lookup) -> bool:
        """Whether the part does not hold."""
        return not self.part.evaluate(lookup)

    def questions(self) -> tuple[str, ...]:
        """The question ids the part reads."""
        return self.part.questions()

    def describe(self, lang: Lang, names: Describer) -> str:
        """The part in words, negated."""
        return t(lang, "condition_not", part=self.part.describe(lang, names))

    def to_data(self) -> dict[str, Any]:
        """The condition as ``{'not': ...}``."""
        return {"not": self.part.to_data()}


@dataclass(frozen=True)
class RouteIs(Condition):
    """``{route: security_assessment}`` or ``{route: [exempt, contract_or_certification]}``: the route the
    screening answers decide is (one of) these. False while the route cannot be decided."""

    routes: tuple[str, ...]

    def evaluate(self, lookup: Lookup) -> bool:
        """Whether the assessment's route (exempt / contract_or_certification / security_assessment) is one of
        ``routes``.
        """
        return lookup(ROUTE) in self.routes

    def questions(self) -> tuple[str, ...]:
        """No question ids: the route is derived, not asked."""
        return ()

    def describe(self, lang: Lang, names: Describer) -> str:
        """The condition in words, naming the route(s) by their labels."""
        quoted = [t(lang, "condition_route_quoted", route=names(ROUTE, r, lang)[1]) for r in self.routes]
        if len(quoted) == 1:
            return t(lang, "condition_route_is", route=quoted[0])
        return t(lang, "condition_route_one_of", routes=t(lang, "condition_route_or").join(quoted))

    def to_data(self) -> dict[str, Any]:
        """The condition as ``{'route': value}``, a list when there are several routes."""
        return {"route": self.routes[0] if len(self.routes) == 1 else list(self.routes)}


def reads_route(cond: Condition) -> bool:
    """Whether ``cond`` or any part of it tests the route decision."""
    if isinstance(cond, RouteIs):
        return True
    parts: tuple[Condition, ...] = getattr(cond, "parts", ())
    part = getattr(cond, "part", None)
    return any(reads_route(p) for p in (*parts, *([part] if part is not None else [])))


_SCALARS = (str, int, float, bool, dt.date)


Where = tuple[int | str, ...]


def parse(raw: Any, at: Where = ()) -> Condition:
    """Build a condition from its YAML form, or raise ConditionSyntaxError naming the bad part.

    ``at`` is where ``raw`` lies inside the whole condition (the error's ``path``, which the loader adds to
    the field's, so the problem is reported at the bad part's own line).
    """
    if isinstance(raw, Condition):
        return raw
    if not isinstance(raw, Mapping):
        raise ConditionSyntaxError(at, msg("condition_not_mapping"))
    keys = set(raw)
    for combinator in ("all", "any"):
        if combinator in keys:
            if keys != {combinator}:
                raise ConditionSyntaxError(at, msg("condition_stands_alone", key=repr(combinator),
                                                   others=str(sorted(map(str, keys - {combinator})))))
            items = raw[combinator]
            if not isinstance(items, list) or not items:
                raise ConditionSyntaxError((*at, combinator), msg("condition_empty_list"))
            parts = tuple(parse(x, (*at, combinator, i)) for i, x in enumerate(items))
            return All(parts) if combinator == "all" else Any_(parts)
    if "not" in keys:
        if keys != {"not"}:
            raise ConditionSyntaxError(at, msg("condition_stands_alone", key=repr("not"),
                                               others=str(sorted(map(str, keys - {"not"})))))
        return Not(parse(raw["not"], (*at, "not")))
    if "route" in keys:
        if keys != {"route"}:
            raise ConditionSyntaxError(at, msg("condition_stands_alone", key=repr("route"),
                                               others=str(sorted(map(str, keys - {"route"})))))
        return RouteIs(_routes(raw["route"], (*at, "route")))
    if "question" not in keys:
        raise ConditionSyntaxError(at, msg("condition_expected_form", found=str(sorted(map(str, keys)))))
    question = raw["question"]
    if not isinstance(question, str) or not question:
        raise ConditionSyntaxError((*at, "question"), msg("condition_question_id"))
    ops = keys - {"question"}
    unknown = ops - set(Compare.OPS)
    if unknown:
        raise ConditionSyntaxError(at, msg("condition_unknown_operator", op=repr(sorted(map(str, unknown))[0]),
                                           known=", ".join(Compare.OPS)))
    if len(ops) != 1:
        raise ConditionSyntaxError(at, msg("condition_one_operator", found=len(ops)))
    op = ops.pop()
    return Compare(question, op, _check_value(op, raw[op], (*at, op)))


def _routes(value: Any, at: Where) -> tuple[str, ...]:
    listed = value if isinstance(value, list) else [value]
    if not listed or not all(isinstance(v, str) and v in ROUTES for v in listed):
        raise ConditionSyntaxError(at, msg("condition_routes", routes=", ".join(ROUTES)))
    return tuple(listed)


def _check_value(op: str, value: Any, at: Where) -> Any:
    if op == "answered":
        if not isinstance(value, bool):
            raise ConditionSyntaxError(at, msg("condition_true_or_false"))
        return value
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value or not all(isinstance(v, _SCALARS) for v in value):
            raise ConditionSyntaxError(at, msg("condition_values"))
        return tuple(value)
    if op in ("gt", "gte", "lt", "lte"):
        if isinstance(value, bool) or not isinstance(value, int | float | dt.date):
            raise ConditionSyntaxError(at, msg("condition_number_or_date"))
        return value
    if not isinstance(value, _SCALARS):
        raise ConditionSyntaxError(at, msg("condition_single_value"))
    return value


JSON_SCHEMA: dict[str, Any] = {
    "description": "A condition: {question: ID, OPERATOR: VALUE}, {route: ROUTE} (the route the screening "
    "answers decide: " + ", ".join(ROUTES) + "; in show_if after the screening questions only) or {all: [...]}, "
    "{any: [...]}, {not: {...}}. Operators: " + ", ".join(Compare.OPS) + ". Only earlier questions may be "
    "referred to.",
    "type": "object",
    "minProperties": 1,
    "properties": {
        "question": {"type": "string"},
        "route": {"oneOf": [{"enum": list(ROUTES)}, {"type": "array", "items": {"enum": list(ROUTES)}, "minItems": 1}]},
        "all": {"type": "array", "items": {"$ref": "#/$defs/Condition"}, "minItems": 1},
        "any": {"type": "array", "items": {"$ref": "#/$defs/Condition"}, "minItems": 1},
        "not": {"$ref": "#/$defs/Condition"},
        **{op: {} for op in Compare.OPS},
    },
    "additionalProperties": False,
}
