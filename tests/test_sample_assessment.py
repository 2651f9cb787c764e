"""The shipped sample assessment: a realistic company that the README, the app's demo and the tests use.

It must validate against its bank, answer every visible required question, sit in the certification range,
and show a transfer that may proceed after fixes — some gaps, nothing blocking.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pipia import answers as answers_mod
from pipia import progress
from pipia.answers import Answers
from pipia.bank import Bank, LoadedBank, Option
from pipia.cli import main
from pipia.loader import load_bank
from pipia.resources import samples_dir

SAMPLE = samples_dir() / "crossborder-ecommerce.yaml"


@pytest.fixture(scope="module")
def sample() -> tuple[Answers, Any]:
    return answers_mod.read(SAMPLE)


@pytest.fixture(scope="module")
def loaded(sample: tuple[Answers, Any]) -> LoadedBank:
    return load_bank(sample[0].bank.id)


@pytest.fixture(scope="module")
def state(sample: tuple[Answers, Any], loaded: LoadedBank) -> progress.State:
    return progress.evaluate(loaded.bank, sample[0])


def test_sample_answers_the_certification_bank_at_its_current_version(
    sample: tuple[Answers, Any], loaded: LoadedBank
) -> None:
    answers = sample[0]
    assert (answers.bank.id, answers.bank.version) == ("pipia-certification", loaded.version)
    assert answers.meta.assessment_date == dt.date(2026, 10, 15)
    assert answers.meta.organisation and answers.meta.assessor and answers.meta.reviewer


def test_pipia_validate_accepts_the_sample_as_complete(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE)]) == 0
    captured = capsys.readouterr()
    assert "valid and complete" in captured.out
    assert captured.err == ""


def test_sample_has_no_problem_of_any_severity(sample: tuple[Answers, Any], loaded: LoadedBank) -> None:
    answers, raw = sample
    assert answers_mod.check(answers, loaded.bank, raw, str(SAMPLE)) == []


def test_every_visible_required_question_is_answered(state: progress.State) -> None:
    assert [slot.key for slot in state.missing] == []
    assert state.complete


def test_no_answer_is_stored_for_a_hidden_question(sample: tuple[Answers, Any], state: progress.State) -> None:
    answers = sample[0]
    stored_but_hidden = [
        slot.key for slot in state.hidden
        if (answers.value(slot.question.id) if slot.group is None else
            answers.items(slot.group)[slot.item or 0].get(slot.question.id)) is not None
    ]
    assert stored_but_hidden == []


def test_counts_fall_in_the_certification_range(sample: tuple[Answers, Any]) -> None:
    answers = sample[0]
    assert answers.value("processor_is_ciio") is False
    assert answers.value("important_data") is False
    assert answers.value("exemptions") == ["none"]
    assert 100_000 <= answers.value("individuals_non_sensitive") < 1_000_000
    assert 0 < answers.value("individuals_sensitive") < 10_000


def test_two_recipients_in_two_profiled_jurisdictions_one_receiving_sensitive_data(
    sample: tuple[Answers, Any], loaded: LoadedBank
) -> None:
    recipients = sample[0].items("recipients")
    assert len(recipients) == 2
    countries = [r["recipient_country"].value for r in recipients]
    assert len(set(countries)) == 2
    assert loaded.destinations is not None
    assert all(c in loaded.destinations.by_id for c in countries)
    categories = [set(r["recipient_data_categories"].value) for r in recipients]
    assert any(c - {"general"} for c in categories)


def test_recipient_counts_agree_with_the_screening_totals(sample: tuple[Answers, Any]) -> None:
    answers = sample[0]
    per_recipient = [r["recipient_individuals"].value for r in answers.items("recipients")]
    total = answers.value("individuals_non_sensitive")
    assert max(per_recipient) <= total <= sum(per_recipient)


def test_inventory_is_realistic_and_its_sensitive_rows_add_up(sample: tuple[Answers, Any], loaded: LoadedBank) -> None:
    answers = sample[0]
    rows: list[dict[str, Any]] = answers.value("data_inventory")
    assert 8 <= len(rows) <= 12
    required = [c.id for c in loaded.bank.questions["data_inventory"].columns if c.required]
    assert [(i, c) for i, row in enumerate(rows) for c in required if row.get(c) in (None, "")] == []
    sensitive = sum(row["individuals"] for row in rows if row["sensitive_category"] != "none")
    assert sensitive == answers.value("individuals_sensitive")
    names = [r["recipient_name"].value for r in answers.items("recipients")]
    assert [row["item"] for row in rows if not any(name in row["recipients"] for name in names)] == []


def test_sample_shows_a_transfer_that_may_proceed_after_fixes(
    state: progress.State, loaded: LoadedBank
) -> None:
    chosen = _chosen_options(loaded.bank, state)
    assert [key for key, option in chosen if option.blocking] == []
    gaps = [key for key, option in chosen if option.risk > 0]
    assert 5 <= len(gaps) <= 30, gaps
    assert any(option.risk >= 0.6 for _, option in chosen), "at least one real gap, not only minor ones"
    # Gaps in both the shared sections and a recipient's own sections.
    assert any("[" in key for key in gaps) and any("[" not in key for key in gaps)


def test_sample_carries_comments_and_evidence(sample: tuple[Answers, Any]) -> None:
    answers = sample[0]
    responses = [*answers.answers.values(), *(r for item in answers.items("recipients") for r in item.values())]
    assert sum(1 for r in responses if r.comment) >= 5
    assert sum(1 for r in responses if r.evidence) >= 5


def test_sample_is_found_where_the_package_ships_it() -> None:
    assert SAMPLE.is_file()
    assert SAMPLE.parent == Path(samples_dir())


def _chosen_options(bank: Bank, state: progress.State) -> list[tuple[str, Option]]:
    chosen: list[tuple[str, Option]] = []
    for slot in state.visible:
        value = state.value(slot)
        values = value if isinstance(value, list) else [value]
        for v in values:
            key = ("yes" if v else "no") if isinstance(v, bool) else v
            option = slot.question.option(key) if isinstance(key, str) else None
            if option is not None:
                chosen.append((slot.key, option))
    return chosen
