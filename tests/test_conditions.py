"""Conditions: a closed set of operators, each evaluated purely and described in both languages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from pipia.bank.conditions import ConditionSyntaxError, parse

ANSWERS: dict[str, Any] = {
    "consent": False,
    "basis": "contract",
    "categories": ["general", "financial_account"],
    "count": 250_000,
    "signed": dt.date(2026, 3, 1),
    "notes": "见附件",
    "empty": "",
}


def holds(raw: dict[str, Any]) -> bool:
    return parse(raw).evaluate(ANSWERS.get)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"question": "basis", "equals": "contract"}, True),
        ({"question": "basis", "equals": "consent"}, False),
        ({"question": "consent", "equals": "no"}, True),
        ({"question": "consent", "equals": False}, True),
        ({"question": "consent", "equals": "yes"}, False),
        ({"question": "basis", "not_equals": "consent"}, True),
        ({"question": "missing", "not_equals": "consent"}, False),
        ({"question": "basis", "in": ["consent", "contract"]}, True),
        ({"question": "basis", "not_in": ["consent", "contract"]}, False),
        ({"question": "categories", "contains": "financial_account"}, True),
        ({"question": "categories", "contains": "biometric"}, False),
        ({"question": "notes", "contains": "附件"}, True),
        ({"question": "count", "gte": 100_000}, True),
        ({"question": "count", "gt": 250_000}, False),
        ({"question": "count", "lt": 1_000_000}, True),
        ({"question": "count", "lte": 99_999}, False),
        ({"question": "signed", "lt": dt.date(2026, 6, 1)}, True),
        ({"question": "signed", "gte": 5}, False),
        ({"question": "notes", "answered": True}, True),
        ({"question": "empty", "answered": True}, False),
        ({"question": "missing", "answered": False}, True),
        ({"all": [{"question": "count", "gte": 1}, {"question": "consent", "equals": "no"}]}, True),
        ({"any": [{"question": "count", "lt": 1}, {"question": "consent", "equals": "yes"}]}, False),
        ({"not": {"question": "basis", "equals": "consent"}}, True),
    ],
    ids=lambda value: str(value) if isinstance(value, bool) else next(iter(value)) + ":" + str(value)[:60],
)
def test_each_operator_evaluates(condition: dict[str, Any], expected: bool) -> None:
    assert holds(condition) is expected


def test_an_unanswered_question_satisfies_no_comparison() -> None:
    for op, value in [("equals", "x"), ("in", ["x"]), ("gt", 0), ("lt", 10**9), ("contains", "x")]:
        assert not holds({"question": "missing", op: value})


def names(question_id: str, value: Any, lang: str) -> tuple[str, str]:
    labels = {"consent": ("是否取得单独同意", "Separate consent obtained"), "count": ("人数", "Individuals")}
    zh, en = labels[question_id]
    shown = {False: ("否", "No"), True: ("是", "Yes")}.get(value, (str(value), str(value)))
    return (zh, shown[0]) if lang == "zh" else (en, shown[1])


def test_a_condition_describes_itself_in_both_languages() -> None:
    condition = parse({"all": [{"question": "consent", "equals": False}, {"question": "count", "gte": 100000}]})
    assert condition.describe("zh", names) == "“是否取得单独同意”为“否”，且“人数”不小于 100000"
    assert (
        condition.describe("en", names) == "“Separate consent obtained” is “No”; and “Individuals” is at least 100000"
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("consent", "a condition is a mapping"),
        ({"question": "consent"}, "expected exactly one operator"),
        ({"question": "consent", "equals": 1, "in": [1]}, "expected exactly one operator"),
        ({"question": "consent", "matches": "x"}, "unknown operator 'matches'"),
        ({"all": []}, "expected a non-empty list"),
        ({"all": [{"question": "a", "answered": "yes"}]}, "expected true or false"),
        ({"question": "count", "gt": "many"}, "expected a number or a date"),
        ({"not": {"question": "a", "answered": True}, "all": []}, "'all' stands alone"),
        ({"question": "a", "__class__": 1}, "unknown operator '__class__'"),
    ],
)
def test_a_malformed_condition_is_rejected_with_its_path(raw: Any, message: str) -> None:
    with pytest.raises(ConditionSyntaxError, match=re.escape(message)):
        parse(raw)


def test_a_malformed_condition_names_the_bad_part_by_its_path_inside_the_condition() -> None:
    with pytest.raises(ConditionSyntaxError) as raised:
        parse({"all": [{"question": "a", "answered": True}, {"not": {"question": "b", "answered": "yes"}}]})
    assert raised.value.path == ("all", 1, "not", "answered")
    assert raised.value.said("zh") == "应为 true 或 false"


def test_conditions_round_trip_through_data() -> None:
    raw = {"any": [{"question": "basis", "in": ["consent"]}, {"not": {"question": "count", "answered": True}}]}
    assert parse(raw).to_data() == raw
