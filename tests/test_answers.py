"""Answers files: validated against their bank with clear messages, and saved without loss."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers, Response
from pipia.assessment import visibility
from pipia.bank.loader import load_bank
from pipia.errors import AnswersError
from pipia.files.yamlio import CONTROL, EARLIEST, LATEST, MAX_INT

from .bank_support import GOOD, WriteBank

HEADER = 'bank: {id: tiny, version: "1.0"}\n'


def check(text: str, tiny_bank_path: Path) -> list[str]:
    answers, raw = answers_mod.parse(text, "a.yaml")
    bank = load_bank(tiny_bank_path).bank
    return [str(p) for p in answers_mod.check(answers, bank, raw, "a.yaml")]


def test_valid_answers_have_no_problems(tiny_bank_path: Path) -> None:
    text = (
        HEADER
        + "answers:\n  org: 示例公司\n  consent: yes\nrepeats:\n  recipients:\n    - {r_name: Acme, r_count: 12}\n"
    )
    assert check(text, tiny_bank_path) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("answers:\n  nope: 1\n", "a.yaml:3: answers.nope: unknown question id 'nope'"),
        ("answers:\n  org: 12\n", "a.yaml:3: answers.org: expected text (got 12; quote it in YAML)"),
        ("answers:\n  consent: maybe\n", "a.yaml:3: answers.consent: expected yes or no (got 'maybe')"),
        (
            "answers:\n  r_name: x\n",
            "a.yaml:3: answers.r_name: unknown question id 'r_name' (it belongs in repeats.recipients)",
        ),
        (
            "repeats:\n  recipients:\n    - {r_count: 1.5}\n",
            "a.yaml:4: repeats.recipients[0].r_count: expected a whole number (got 1.5)",
        ),
        (
            "repeats:\n  recipients:\n    - {r_count: -3}\n",
            "a.yaml:4: repeats.recipients[0].r_count: -3 is below the minimum 0",
        ),
        (
            "repeats:\n  recipients:\n    - {r_count: true}\n",
            "a.yaml:4: repeats.recipients[0].r_count: expected a number (got true)",
        ),
        (
            "repeats:\n  partners: []\n",
            "a.yaml:3: repeats.partners: unknown repeat group 'partners' (expected one of ['recipients'])",
        ),
    ],
)
def test_each_mismatch_names_file_line_and_field(body: str, message: str, tiny_bank_path: Path) -> None:
    assert check(HEADER + body, tiny_bank_path) == [message]


def test_another_bank_version_is_a_warning(tiny_bank_path: Path) -> None:
    text = 'bank: {id: tiny, version: "0.9"}\nanswers: {}\n'
    assert check(text, tiny_bank_path) == [
        "a.yaml:1: bank.version: warning: answers were made with version 0.9 of the bank; it is now 1.0 "
        "(answers are checked against the current version)"
    ]


def test_another_bank_is_an_error(tiny_bank_path: Path) -> None:
    assert check('bank: {id: other, version: "1.0"}\n', tiny_bank_path) == [
        "a.yaml:1: bank.id: answers are for bank 'other', not 'tiny'"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bank: [", "a.yaml:2: malformed YAML"),
        ("answers: {}\n", "a.yaml:1: bank: required field is missing"),
        (HEADER + "answers: {}\nanswers: {}\n", "a.yaml:3: answers: duplicate key 'answers'"),
        (HEADER + "answers:\n  org: {value: x, remark: y}\n", "a.yaml:3: answers.org.remark: unknown field 'remark'"),
        ("", "a.yaml:1: empty file"),
    ],
)
def test_a_malformed_answers_file(text: str, message: str) -> None:
    with pytest.raises(AnswersError) as caught:
        answers_mod.parse(text, "a.yaml")
    assert str(caught.value).startswith(message)


def test_malformed_json_names_the_line() -> None:
    with pytest.raises(AnswersError, match=r"^a.json:2: malformed JSON"):
        answers_mod.parse('{"bank":\n  {"id": }', "a.json")


def test_hidden_answers_are_kept_but_do_not_count(tiny_bank_path: Path) -> None:
    bank = load_bank(tiny_bank_path).bank
    answers, _ = answers_mod.parse(HEADER + "answers:\n  consent: yes\n  why_not: 曾经的说明\n", "a.yaml")
    state = visibility.evaluate(bank, answers)
    assert "why_not" not in state.values
    assert [s.key for s in state.hidden] == ["why_not"]
    assert answers.value("why_not") == "曾经的说明"
    shown_again = visibility.evaluate(bank, answers.with_value("consent", False))
    assert shown_again.values["why_not"] == "曾经的说明"


def test_missing_required_answers_make_an_assessment_incomplete(tiny_bank_path: Path) -> None:
    bank = load_bank(tiny_bank_path).bank
    answers, _ = answers_mod.parse(HEADER + "answers:\n  org: X\n  consent: no\n", "a.yaml")
    state = visibility.evaluate(bank, answers)
    assert [s.key for s in state.missing] == ["why_not"]
    assert state.progress() == (2, 3)
    assert not state.complete


def test_edits_return_new_answers_and_leave_the_old_alone() -> None:
    before = Answers.model_validate({"bank": {"id": "tiny", "version": "1.0"}})
    after = before.with_value("r_name", "Acme", group="recipients", item=1)
    assert before.repeats == {}
    assert [dict(i) for i in after.items("recipients")] == [{}, {"r_name": Response(value="Acme")}]
    assert after.without_item("recipients", 0).items("recipients") == ({"r_name": Response(value="Acme")},)


# -- lossless load → save → load --------------------------------------------------------------------
# Control characters other than tab and line feed are refused by the reader (tests/test_reader.py).
texts = st.text(max_size=40).map(lambda t: CONTROL.sub("", t))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    texts,
    st.integers(-(10**12), 10**12),
    st.floats(-MAX_INT, MAX_INT, allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
)
values = st.one_of(
    scalars,
    st.lists(texts, max_size=4),
    st.lists(st.dictionaries(st.sampled_from(["item", "individuals", "purpose"]), scalars, max_size=3), max_size=3),
)
responses = st.builds(Response, value=values, comment=texts, evidence=st.lists(texts, max_size=2).map(tuple))
ids = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
answer_sets = st.builds(
    Answers.model_validate,
    st.fixed_dictionaries(
        {
            "bank": st.fixed_dictionaries({"id": st.just("tiny"), "version": st.sampled_from(["1.0", "1.10", "2"])}),
            "meta": st.fixed_dictionaries({"organisation": texts, "assessment_date": st.none() | st.dates(EARLIEST, LATEST)}),
            "answers": st.dictionaries(ids, responses, max_size=6),
            "repeats": st.dictionaries(
                ids, st.lists(st.dictionaries(ids, responses, max_size=3), max_size=3), max_size=2
            ),
        }
    ),
)


@settings(max_examples=150, deadline=None)
@given(answer_sets)
def test_yaml_round_trip_is_lossless(answers: Answers) -> None:
    again, _ = answers_mod.parse(answers_mod.dumps(answers, "yaml"), "a.yaml")
    assert again == answers


def _without_dates(value: object) -> bool:
    return "datetime.date(" not in repr(value)


@settings(max_examples=150, deadline=None)
@given(answer_sets.filter(lambda a: _without_dates(a.answers) and _without_dates(a.repeats)))
def test_json_round_trip_is_lossless(answers: Answers) -> None:
    again, _ = answers_mod.parse(answers_mod.dumps(answers, "json"), "a.json")
    assert again == answers


def test_answers_read_from_a_file_can_be_written_again(tmp_path: Path) -> None:
    source = tmp_path / "in.yaml"
    source.write_text(HEADER + "answers:\n  org: {value: 甲, evidence: [a, b]}\n  table: [{x: [1, 2]}]\n", encoding="utf-8")
    answers, _ = answers_mod.read(source)
    for fmt in ("yaml", "json"):
        again, _ = answers_mod.parse(answers_mod.dumps(answers, fmt), f"out.{fmt}")
        assert again == answers


def test_write_replaces_the_file_atomically(tmp_path: Path) -> None:
    answers = Answers.model_validate({"bank": {"id": "tiny", "version": "1.0"}, "answers": {"org": "甲"}})
    target = tmp_path / "a.yaml"
    answers_mod.write(answers, target)
    assert answers_mod.read(target)[0] == answers
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


@pytest.mark.parametrize(("body", "message"), [
    ("answers:\n  org: 1.10\n", "a.yaml:3: answers.org: expected text (got 1.10; quote it in YAML)"),
    ("answers:\n  org: {value: 2.50, comment: 见附件}\n", "a.yaml:3: answers.org: expected text (got 2.50; quote it in YAML)"),
    ("answers:\n  consent: 1.10\n", "a.yaml:3: answers.consent: expected yes or no (got 1.10)"),
    ("repeats:\n  recipients:\n    - {r_count: 2.50}\n", "a.yaml:4: repeats.recipients[0].r_count: expected a whole number (got 2.50)"),
    ("repeats:\n  recipients:\n    - {r_count: On}\n", "a.yaml:4: repeats.recipients[0].r_count: expected a number (got On)"),
    ("repeats:\n  recipients:\n    - {r_count: -1_000}\n", "a.yaml:4: repeats.recipients[0].r_count: -1_000 is below the minimum 0"),
    ("answers:\n  org: On\n", "a.yaml:3: answers.org: expected text (got On; YAML reads unquoted yes/no/on/off/true/false as yes/no values: quote it, e.g. \"On\", to give it as text)"),
])
def test_a_mismatch_quotes_the_value_as_written_not_as_yaml_read_it(body: str, message: str,
                                                                    tiny_bank_path: Path) -> None:
    assert check(HEADER + body, tiny_bank_path) == [message]


def test_a_mismatch_in_a_json_answers_file_quotes_the_number_as_written(tiny_bank_path: Path) -> None:
    text = '{"bank": {"id": "tiny", "version": "1.0"},\n "answers": {"org": 1.10}}'
    answers, raw = answers_mod.parse(text, "a.json")
    [problem] = answers_mod.check(answers, load_bank(tiny_bank_path).bank, raw, "a.json")
    assert str(problem) == "a.json:2: answers.org: expected text (got 1.10; quote it in YAML)"


def test_a_table_cell_obeys_its_columns_bounds(write_bank: WriteBank) -> None:
    path = write_bank("""\
        id: t
        version: "1"
        title: {zh: 表, en: Table}
        sections:
          - id: s
            title: {zh: 节, en: Section}
            questions:
              - id: inventory
                type: table
                text: {zh: 清单, en: Inventory}
                cites: [pipl]
                columns:
                  - {id: individuals, type: number, integer: true, minimum: 0, label: {zh: 人数, en: People}}
        """)
    bank = load_bank(path).bank
    answers, raw = answers_mod.parse('bank: {id: t, version: "1"}\nanswers:\n  inventory:\n    - {individuals: -2.5}\n', "a.yaml")
    assert [str(p) for p in answers_mod.check(answers, bank, raw, "a.yaml")] == [
        "a.yaml:4: answers.inventory[0].individuals: expected a whole number (got -2.5)",
        "a.yaml:4: answers.inventory[0].individuals: -2.5 is below the minimum 0",
    ]


@pytest.mark.parametrize(("body", "where"), [
    ("answers:\n  basis: NO\n", "a.yaml:3: answers.basis: NO is not an option"),
    ("answers:\n  basis: [consent, yes]\n", "a.yaml:3: answers.basis: expected a list of options"),
])
def test_an_unquoted_no_in_a_choice_gets_the_yaml_boolean_hint(write_bank: WriteBank, body: str,
                                                                where: str) -> None:
    choice = "multiple_choice" if "[" in body else "single_choice"  # the list form of the same slip
    bank = load_bank(write_bank(GOOD.replace("type: single_choice", f"type: {choice}"))).bank
    text = 'bank: {id: demo, version: "1.0"}\n' + body
    answers, raw = answers_mod.parse(text, "a.yaml")
    [problem] = answers_mod.check(answers, bank, raw, "a.yaml")
    assert str(problem).startswith(where)
    assert "YAML reads unquoted yes/no/on/off/true/false as yes/no values: quote it" in problem.message


def test_an_unquoted_no_in_a_text_answer_gets_the_same_hint(tiny_bank_path: Path) -> None:
    answers, raw = answers_mod.parse(HEADER + "answers:\n  org: no\n", "a.yaml")
    [problem] = answers_mod.check(answers, load_bank(tiny_bank_path).bank, raw, "a.yaml")
    assert "expected text (got no; YAML reads unquoted yes/no" in problem.message
