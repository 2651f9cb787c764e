"""Facts for the route check: a facts file, or the screening answers of an assessment.

A facts file has the keys as_of, ciio, important_data, exemptions and individuals, and optionally
expected_by_year_end, overseas_processor, greater_bay_area and milestones; every problem is reported at once
as file:line: path: message, and YAML 1.1 surprises never reach a count or a date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pipia.answers.format import Answers
from pipia.bank.format import Bank
from pipia.errors import InputError, NotFoundError
from pipia.route.check import decide
from pipia.route.facts import Facts, Milestones, facts_from_answers, milestones_from_answers, read_facts

FACTS = Path(__file__).parent / "data" / "facts"


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_facts(path)
    return [str(p) for p in caught.value.problems]


def test_a_valid_facts_file_reads_as_frozen_facts() -> None:
    facts = read_facts(FACTS / "contract-2026.yaml")
    assert facts == Facts.model_validate({"as_of": dt.date(2026, 3, 1), "ciio": False, "important_data": False,
                                          "exemptions": [],
                                          "individuals": {"non_sensitive": 250_000, "sensitive": 0}})
    with pytest.raises(ValueError, match="frozen"):
        facts.ciio = True  # type: ignore[misc]


@pytest.mark.parametrize(("name", "expected"), [
    ("unknown-key.yaml", "unknown-key.yaml:8: individuals.minors: unknown field 'minors'"),
    ("string-count.yaml", "string-count.yaml:6: individuals.non_sensitive: expected a whole number of "
                          "individuals, not text"),
    ("yes-as-count.yaml", "yes-as-count.yaml:7: individuals.sensitive: expected a whole number of individuals, "
                          "not yes/no"),
    ("negative-count.yaml", "negative-count.yaml:6: individuals.non_sensitive: input should be greater than or "
                            "equal to 0"),
    ("malformed.yaml", "malformed.yaml:5: malformed YAML"),
    ("before-rules.yaml", "before-rules.yaml:2: as_of: 2024-03-21 is before 2024-03-22"),
])
def test_each_problem_names_file_line_and_field(name: str, expected: str) -> None:
    found = problems(FACTS / name)
    assert len(found) == 1
    assert found[0].startswith(str(FACTS / name)) and expected in found[0]


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    found = problems(FACTS / "many-problems.yaml")
    assert [p.split(": ")[0].rsplit("/", 1)[-1] for p in found] == [
        "many-problems.yaml:2", "many-problems.yaml:4", "many-problems.yaml:5", "many-problems.yaml:6"]
    assert "ciio" in found[0] and "'statutory_duty'" in found[1]
    assert "individuals.sensitive: required field is missing" in found[2]
    assert "individuals.non_sensitive" in found[3] and "1.5" in found[3]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "empty file"),
    ("as_of: 2026-03-01\n", "ciio: required field is missing"),
    ("as_of: 2026-03-01 10:00:00\nciio: false\nimportant_data: false\nexemptions: []\n"
     "individuals: {non_sensitive: 1, sensitive: 0}\n", "as_of: input should be a valid date"),
    ("as_of: 2026-03-01\nciio: false\nimportant_data: false\nexemptions: [emergency, emergency]\n"
     "individuals: {non_sensitive: 1, sensitive: 0}\n", "facts.yaml:4: exemptions[1]: emergency is listed twice"),
    ("as_of: 2026-03-01\nciio: false\nimportant_data: false\nexemptions: [none]\n"
     "individuals: {non_sensitive: 1, sensitive: 0}\n", "(got 'none')"),
    ("as_of: 2026-03-01\nas_of: 2026-03-02\n", "duplicate key 'as_of'"),
])
def test_other_mistakes_are_caught(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    assert any(expected in p for p in problems(path))


def test_a_facts_file_may_carry_dates_expected_counts_and_where_the_processor_and_recipients_are() -> None:
    facts = read_facts(FACTS / "lapsed-2026.yaml")
    assert facts.milestones == Milestones(contract_effective_date=dt.date(2025, 7, 1),
                                          contract_filing_date=dt.date(2025, 7, 10),
                                          security_assessment_pass_date=dt.date(2023, 9, 1))
    assert facts.expected_counts() == (345_000, 0)
    assert facts.greater_bay_area == ("hong_kong",) and facts.overseas_processor is False
    decision = decide(facts)
    assert decision.milestones == facts.milestones  # the file's own dates reach the deadlines
    filing = next(d for d in decision.deadlines if d.id == "standard_contract_filing")
    assert (filing.date, filing.passed, filing.met_on) == (dt.date(2025, 7, 15), True, dt.date(2025, 7, 10))
    assert "milestones" not in decision.to_json()["facts"]  # reported once, under milestones


@pytest.mark.parametrize(("text", "expected"), [
    ("milestones:\n  contract_filing_date: 10 July\n", ":8: milestones.contract_filing_date: input should be a valid date"),
    ("milestones:\n  signed: 2025-07-01\n", ":8: milestones.signed: unknown field 'signed'"),
    ("milestones:\n  contract_effective_date: 2025-07-01\n  contract_filing_date: 2025-06-30\n",
     ":9: milestones.contract_filing_date: 2025-06-30 is before contract_effective_date 2025-07-01 (a contract is "
     "filed after it takes effect)"),
    ("milestones:\n  contract_effective_date: 2026-10-16\n",
     ":8: milestones.contract_effective_date: 2026-10-16 is after as_of 2026-10-15"),
    ("greater_bay_area: [macao, hong_kong, hong_kong]\n", ":7: greater_bay_area[2]: hong_kong is listed twice"),
    ("expected_by_year_end:\n  non_sensitive: yes\n", ":8: expected_by_year_end.non_sensitive: expected a whole number"),
    ("greater_bay_area: [taiwan]\n", ":7: greater_bay_area[0]: input should be 'hong_kong' or 'macao'"),
    ("overseas_processor: \"no\"\n", ":7: overseas_processor: input should be a valid boolean"),
])
def test_the_optional_keys_are_checked_like_the_others(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "facts.yaml"
    base = "as_of: 2026-10-15\nciio: false\nimportant_data: false\nexemptions: []\n" \
           "individuals: {non_sensitive: 250000, sensitive: 0}\n# optional keys\n"
    path.write_text(base + text, encoding="utf-8")
    found = problems(path)
    assert any(expected in p for p in found), found
    # A check across fields names the fields; it never quotes the model as Python (got {'as_of': datetime...)
    assert not any("datetime" in p or "{'" in p for p in found), found


def test_an_expected_count_below_the_count_to_date_is_a_warning_and_the_route_follows_the_count_to_date(
        tmp_path: Path) -> None:
    path = tmp_path / "facts.yaml"
    path.write_text("as_of: 2026-10-15\nciio: false\nimportant_data: false\nexemptions: []\n"
                    "individuals: {non_sensitive: 0, sensitive: 10000}\n"
                    "expected_by_year_end: {sensitive: 7200}\n", encoding="utf-8")
    facts = read_facts(path)
    assert facts.expected_counts() == (0, 10_000)
    decision = decide(facts)
    assert decision.route == "security_assessment"  # 10,000 sensitive to date
    warning = next(w for w in decision.warnings if w.id == "expected_below_to_date")
    assert "预计至年底敏感个人信息出境人数（7200人）低于截至目前已出境的人数（1万人）" in warning.text.zh
    assert "(7,200) is below the count to date (10,000)" in warning.text.en


def test_a_missing_file_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        read_facts(FACTS / "no-such-file.yaml")


# -- from an answers file -------------------------------------------------------------------------------
def question(qid: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": qid, "type": kind, "text": {"zh": qid, "en": qid.replace("_", " ")}, "cites": ["pipl:38"],
            **extra}


BANK = Bank.model_validate({
    "id": "screening", "version": "1", "title": {"zh": "筛查", "en": "Screening"},
    "sections": [{"id": "screening", "title": {"zh": "筛查", "en": "Screening"}, "questions": [
        question("processor_is_ciio", "yes_no"),
        question("important_data", "yes_no"),
        question("exemptions", "multiple_choice", options=[
            {"value": v, "label": {"zh": v, "en": v}} for v in ("contract_necessity", "hr_management", "none")]),
        question("individuals_non_sensitive", "number", integer=True),
        question("individuals_sensitive", "number", integer=True),
        question("contract_effective_date", "date", required=False),
        question("contract_filing_date", "date", required=False),
        question("certificate_issue_date", "date", required=False),
        question("expected_non_sensitive_by_year_end", "number", integer=True, required=False),
        question("expected_sensitive_by_year_end", "number", integer=True, required=False),
        question("processor_outside_china", "yes_no", required=False),
        question("greater_bay_area", "multiple_choice", required=False, options=[
            {"value": v, "label": {"zh": v, "en": v}} for v in ("hong_kong", "macao", "none")]),
    ]}],
    # The questions named as the shipped banks name them; the code knows them only through these roles.
    "roles": {"ciio": "processor_is_ciio", "important_data": "important_data", "exemptions": "exemptions",
              "exemptions_none": "none", "non_sensitive_count": "individuals_non_sensitive",
              "sensitive_count": "individuals_sensitive", "overseas_processor": "processor_outside_china",
              "greater_bay_area": "greater_bay_area", "greater_bay_area_none": "none",
              "expected_non_sensitive": "expected_non_sensitive_by_year_end",
              "expected_sensitive": "expected_sensitive_by_year_end",
              "contract_effective_date": "contract_effective_date", "contract_filing_date": "contract_filing_date",
              "certificate_issue_date": "certificate_issue_date"}})


def answers(values: dict[str, Any], date: dt.date | None = dt.date(2026, 3, 1)) -> Answers:
    return Answers.model_validate({"bank": {"id": "screening", "version": "1"},
                                   "meta": {"assessment_date": date}, "answers": values})


SCREENED = {"processor_is_ciio": "no", "important_data": False, "exemptions": ["none"],
            "individuals_non_sensitive": 250000.0, "individuals_sensitive": 12}


def test_screening_answers_become_facts() -> None:
    # yes/no as text or booleans, "none of these" as no exemption, whole numbers stored as floats
    assert facts_from_answers(answers(SCREENED), BANK) == Facts.model_validate({
        "as_of": dt.date(2026, 3, 1), "ciio": False, "important_data": False, "exemptions": [],
        "individuals": {"non_sensitive": 250_000, "sensitive": 12}})
    facts = facts_from_answers(answers({**SCREENED, "processor_is_ciio": "yes",
                                        "exemptions": ["hr_management"]}), BANK)
    assert (facts.ciio, facts.exemptions) == (True, ("hr_management",))


def test_optional_screening_answers_become_facts_too() -> None:
    facts = facts_from_answers(answers({**SCREENED, "expected_non_sensitive_by_year_end": 400000.0,
                                        "processor_outside_china": "yes", "greater_bay_area": ["macao"]}), BANK)
    assert facts.expected_counts() == (400_000, 12)
    assert facts.overseas_processor and facts.greater_bay_area == ("macao",)
    plain = facts_from_answers(answers({**SCREENED, "greater_bay_area": ["none"]}), BANK)
    assert (plain.expected_by_year_end, plain.overseas_processor, plain.greater_bay_area) == (None, False, ())


def test_an_expected_count_below_the_count_to_date_does_not_stop_the_route_from_answers() -> None:
    facts = facts_from_answers(answers({**SCREENED, "expected_non_sensitive_by_year_end": 1000}), BANK)
    assert facts.expected_counts() == (250_000, 12)
    assert "expected_below_to_date" in [w.id for w in decide(facts).warnings]


def test_a_check_across_answers_is_reported_at_the_answer_s_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("bank: {id: screening, version: '1'}\nmeta:\n  assessment_date: 2026-07-10\nanswers:\n"
                    "  contract_effective_date: 2026-07-01\n  contract_filing_date: 2026-06-20\n", encoding="utf-8")
    mine = answers({"contract_effective_date": "2026-07-01", "contract_filing_date": "2026-06-20"},
                   date=dt.date(2026, 7, 10))
    with pytest.raises(InputError) as caught:
        milestones_from_answers(mine, BANK, str(path))
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:6: answers.contract_filing_date: 2026-06-20 is before contract_effective_date 2026-07-01 "
        "(a contract is filed after it takes effect)"]


def test_a_milestone_after_the_assessment_date_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("bank: {id: screening, version: '1'}\nmeta:\n  assessment_date: 2026-07-10\nanswers:\n"
                    "  contract_effective_date: 2026-07-01\n  contract_filing_date: 2026-09-20\n", encoding="utf-8")
    mine = answers({"contract_effective_date": "2026-07-01", "contract_filing_date": "2026-09-20"},
                   date=dt.date(2026, 7, 10))
    with pytest.raises(InputError) as caught:
        milestones_from_answers(mine, BANK, str(path))
    [problem] = caught.value.problems
    assert str(problem) == (f"{path}:6: answers.contract_filing_date: 2026-09-20 is after the assessment date "
                            "2026-07-10 (a time limit runs from a date that has happened)")
    assert problem.text("zh").endswith("2026-09-20 晚于评估日期 2026-07-10（期限从已发生的日期起算）")


def test_each_unanswered_screening_question_is_named() -> None:
    with pytest.raises(InputError) as caught:
        facts_from_answers(answers({"important_data": "no"}, date=None), BANK, file="a.yaml")
    paths = [p.path for p in caught.value.problems]
    assert paths == ["answers.exemptions", "answers.individuals_non_sensitive", "answers.individuals_sensitive",
                     "answers.processor_is_ciio", "meta.assessment_date"]
    assert all(str(p).startswith("a.yaml: ") for p in caught.value.problems)


@pytest.mark.parametrize(("change", "path"), [
    ({"individuals_sensitive": -3}, "answers.individuals_sensitive"),
    ({"individuals_non_sensitive": 10.5}, "answers.individuals_non_sensitive"),
    ({"exemptions": ["none", "hr_management"]}, "answers.exemptions"),
    ({"exemptions": ["statutory_duty"]}, "answers.exemptions"),
    ({"processor_is_ciio": "maybe"}, "answers.processor_is_ciio"),
])
def test_invalid_screening_answers_point_at_the_question(change: dict[str, Any], path: str) -> None:
    with pytest.raises(InputError) as caught:
        facts_from_answers(answers({**SCREENED, **change}), BANK)
    assert [p.path for p in caught.value.problems] == [path]


def test_known_dates_are_read_as_milestones() -> None:
    found = milestones_from_answers(answers({**SCREENED, "contract_effective_date": "2026-09-29",
                                             "contract_filing_date": "2026-10-09"}, date=dt.date(2026, 10, 15)),
                                    BANK)
    assert found == Milestones(contract_effective_date=dt.date(2026, 9, 29),
                               contract_filing_date=dt.date(2026, 10, 9))
    assert milestones_from_answers(answers(SCREENED), BANK) == Milestones()
    with pytest.raises(InputError, match=r"answers\.certificate_issue_date"):
        milestones_from_answers(answers({"certificate_issue_date": "29 Sept"}), BANK)


def test_screening_answers_are_read_under_the_ids_the_roles_name() -> None:
    renamed = {("is_ciio" if k == "processor_is_ciio" else k): v for k, v in SCREENED.items()}
    bank = BANK.model_copy(update={"roles": BANK.roles.model_copy(update={"ciio": "is_ciio"})})
    assert facts_from_answers(answers({**renamed, "is_ciio": "yes"}), bank).ciio is True
    with pytest.raises(InputError) as caught:
        facts_from_answers(answers(SCREENED), bank)
    assert [p.path for p in caught.value.problems] == ["answers.is_ciio"]


def test_a_bank_that_names_no_screening_questions_says_which_roles_the_route_needs() -> None:
    bank = BANK.model_copy(update={"roles": BANK.roles.model_copy(update={"ciio": None, "exemptions": None})})
    with pytest.raises(InputError) as caught:
        facts_from_answers(answers(SCREENED), bank)
    assert [p.path for p in caught.value.problems] == ["roles.ciio", "roles.exemptions"]
