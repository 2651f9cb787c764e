"""The shipped sample assessment: a realistic company that the README, the app's demo and the tests use.

It must validate against its bank, answer every visible required question, sit in the certification range,
and show a transfer that may proceed after fixes — some gaps, nothing blocking.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.assessment import visibility
from pipia.assessment.scoring import score
from pipia.bank.format import Bank, LoadedBank, Option
from pipia.bank.loader import load_bank
from pipia.cli import main
from pipia.files.resources import samples_dir

SAMPLE = samples_dir() / "crossborder-ecommerce.yaml"


@pytest.fixture(scope="module")
def sample() -> tuple[Answers, Any]:
    return answers_mod.read(SAMPLE)


@pytest.fixture(scope="module")
def loaded(sample: tuple[Answers, Any]) -> LoadedBank:
    return load_bank(sample[0].bank.id)


@pytest.fixture(scope="module")
def state(sample: tuple[Answers, Any], loaded: LoadedBank) -> visibility.State:
    return visibility.evaluate(loaded.bank, sample[0])


def test_sample_answers_the_certification_bank_at_its_current_version(
    sample: tuple[Answers, Any], loaded: LoadedBank
) -> None:
    answers = sample[0]
    assert (answers.bank.id, answers.bank.version) == ("pipia-certification", loaded.version)
    assert answers.meta.assessment_date == dt.date(2026, 10, 15)
    assert answers.meta.organisation and answers.meta.assessor and answers.meta.reviewer


def test_pipia_validate_accepts_the_sample_as_complete(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert "valid and complete" in captured.out
    assert captured.err == ""


def test_sample_has_no_problem_of_any_severity(sample: tuple[Answers, Any], loaded: LoadedBank) -> None:
    answers, raw = sample
    assert answers_mod.check(answers, loaded.bank, raw, str(SAMPLE)) == []


def test_every_visible_required_question_is_answered(state: visibility.State) -> None:
    assert [slot.key for slot in state.missing] == []
    assert state.complete


def test_no_answer_is_stored_for_a_hidden_question(sample: tuple[Answers, Any], state: visibility.State) -> None:
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
    state: visibility.State, loaded: LoadedBank
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


def _chosen_options(bank: Bank, state: visibility.State) -> list[tuple[str, Option]]:
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


# -- conclusions that follow the law, on the sample's own facts -------------------------------------
def _variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "variant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _score_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["score", str(path), "--json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_coerced_consent_where_consent_is_the_basis_stops_the_transfer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # PIPL Arts 14, 16, 39: consent obtained by pre-ticked boxes or bundling is not valid consent.
    path = _variant(tmp_path, ("  fair_means: none\n", "  fair_means: some\n"))
    result = _score_json(path, capsys)
    assert result["overall"]["conclusion"] == "do_not_proceed"
    assert ("fair_means", True) in [(f["question"], f["blocking"]) for f in result["findings"]]
    # ... and it contradicts "separate consent obtained", which is reported too.
    assert ("separate_consent", "consistency") in [(f["question"], f["kind"]) for f in result["findings"]]


def test_coerced_processing_without_consent_as_basis_is_a_gap_but_not_an_obstacle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(
        tmp_path,
        ("  fair_means: none\n", "  fair_means: some\n"),
        ("  legal_basis: [consent, contract, hr]\n", "  legal_basis: [contract, hr]\n"),
    )
    result = _score_json(path, capsys)
    [finding] = [f for f in result["findings"] if f["question"] == "fair_means"]
    assert finding["blocking"] is False
    assert result["overall"]["conclusion"] == "proceed_after_fixes"


@pytest.mark.parametrize(
    ("old", "new", "question"),
    [
        # PIPL Art. 28(2): strict protective measures are a precondition for sensitive personal information.
        ("  sensitive_protection: strict\n", "  sensitive_protection: none\n", "sensitive_protection"),
        # PIPL Art. 38(3): the recipient's processing must meet the PIPL's standard.
        ("      dest_overall_impact: no_material\n", "      dest_overall_impact: material\n", "dest_overall_impact"),
    ],
)
def test_problems_the_law_makes_preconditions_stop_the_transfer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, question: str
) -> None:
    result = _score_json(_variant(tmp_path, (old, new)), capsys)
    assert result["overall"]["conclusion"] == "do_not_proceed"
    assert (question, True) in [(f["question"], f["blocking"]) for f in result["findings"]]


def test_a_running_transfer_is_told_what_to_do_before_it_continues(
    sample: tuple[Answers, Any], loaded: LoadedBank
) -> None:
    result = score(loaded.bank, sample[0])
    text = " ".join(r("zh") for r in result.reasons)
    assert "继续出境前" in text
    assert "须在出境前" not in text


def test_what_a_processor_cannot_fix_is_mitigated_and_monitored_not_fixed(
    sample: tuple[Answers, Any], loaded: LoadedBank
) -> None:
    result = score(loaded.bank, sample[0])
    access = [f for f in result.findings if f.question == "dest_government_access"]
    assert access and all(f.remedy == "mitigate" for f in access)
    [mitigate] = [r("zh") for r in result.reasons if "缓解措施并持续监测" in r("zh")]
    assert access[0].text("zh").rstrip("。") in mitigate
    assert not any(access[0].text("zh").rstrip("。") in r("zh") for r in result.reasons if "完成整改" in r("zh"))


def test_an_under_count_in_screening_is_flagged_against_the_inventory_and_recipients(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 90,000 people in screening while the inventory and a recipient show 298,000 — and 0 sensitive while
    # the inventory lists ID photos and bank accounts: the route would otherwise read "exempt".
    path = _variant(
        tmp_path,
        ("  individuals_non_sensitive: 320000\n", "  individuals_non_sensitive: 90000\n"),
        ("  individuals_sensitive: 6500\n", "  individuals_sensitive: 0\n"),
    )
    result = _score_json(path, capsys)
    consistency = [(f["question"], f["severity"]) for f in result["findings"] if f["kind"] == "consistency"]
    assert ("individuals_sensitive", "high") in consistency
    assert ("data_inventory", "high") in consistency
    assert ("recipient_individuals", "high") in consistency
    assert ("recipient_data_categories", "high") in consistency


def _understated(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["kind"] == "consistency" and f["blocking"]]


def test_an_under_count_that_changes_the_route_stops_the_conclusion_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Screening says 50,000 (exempt under Provisions Art. 5(4)); the inventory lists 298,000 customers
    # sent to the US, which by Art. 8 needs a standard contract or certification: the route is not settled.
    path = _variant(tmp_path, ("  individuals_non_sensitive: 320000\n", "  individuals_non_sensitive: 50000\n"),
                    ("  individuals_sensitive: 6500\n", "  individuals_sensitive: 0\n"),
                    ("  expected_sensitive_by_year_end: 7200\n", ""))
    result = _score_json(path, capsys)
    assert result["overall"]["conclusion"] == "do_not_proceed"
    [finding] = _understated(result)
    assert "第七条、第八条" in finding["text"]["zh"] and "Provisions Arts 7 and 8" in finding["text"]["en"]
    assert "至少个人信息29.8万人" in finding["text"]["zh"]


def test_a_ciio_whose_inventory_counts_transfers_while_screening_says_exempt_cannot_proceed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(
        tmp_path,
        ("  processor_is_ciio:\n    value: false\n", "  processor_is_ciio:\n    value: true\n"),
        ("  exemptions:\n    value: [none]\n", "  exemptions:\n    value: [hr_management]\n"),
        ("  individuals_non_sensitive: 320000\n", "  individuals_non_sensitive: 0\n"),
        ("  individuals_sensitive: 6500\n", "  individuals_sensitive: 0\n"),
        ("  expected_sensitive_by_year_end: 7200\n", ""),
        ("  expected_non_sensitive_by_year_end:\n    value: 345000\n",
         "  expected_non_sensitive_by_year_end:\n    value: 0\n"),
    )
    result = _score_json(path, capsys)
    assert result["overall"]["conclusion"] not in ("proceed", "proceed_after_fixes")
    [finding] = _understated(result)
    assert "路径为“申报数据出境安全评估”" in finding["text"]["zh"]
    assert "《个人信息保护法》第四十条" in finding["text"]["zh"] and "PIPL Art. 40" in finding["text"]["en"]


def test_counts_that_agree_with_the_inventory_raise_no_route_obstacle(capsys: pytest.CaptureFixture[str]) -> None:
    assert _understated(_score_json(SAMPLE, capsys)) == []


def test_a_recipient_with_an_obstacle_is_never_accepted_and_destination_law_is_mitigated_not_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _variant(tmp_path, ("      dest_overall_impact:\n        value: mitigated\n",
                               "      dest_overall_impact:\n        value: material\n"))
    result = _score_json(path, capsys)
    [finding] = [f for f in result["findings"] if f["slot"] == "recipients[0].dest_overall_impact"]
    assert (finding["blocking"], finding["remedy"]) == (True, "mitigate")
    brightwave = result["scenarios"][0]
    assert brightwave["recipient"] == "Brightwave Cloud, Inc." and brightwave["risk"] == "low"
    assert brightwave["treatment"] == "treat_immediately"  # follows the obstacle, not the low risk cell
    assert result["scenarios"][1]["treatment"] == "treat_after_weighing"  # the other recipient keeps its own
