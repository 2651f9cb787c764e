"""Scoring: gaps per dimension, GB/T 39335 risk per recipient, and a conclusion that follows from both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.assessment import risk
from pipia.assessment.scoring import Result, score
from pipia.bank.format import Bank
from pipia.bank.loader import load_bank
from pipia.i18n import Localized

from .scoring_support import GOOD_ANSWERS, answers

BANK: Bank = load_bank(Path(__file__).parent / "data" / "banks" / "scored.yaml").bank

MEDICAL_RECORDS = {"item": "病历", "sensitive": "health", "individuals": 6_000}


def scored(changes: dict[str, Any] | None = None, *recipients: dict[str, Any]) -> Result:
    return score(BANK, answers(changes, *recipients))


STANDARD_MATRIX = """
            low     medium  high    very_high
severe      medium  high    severe  severe
high        medium  medium  high    severe
medium      low     medium  medium  high
low         low     low     medium  medium
"""


@pytest.mark.parametrize("impact", risk.IMPACTS)
@pytest.mark.parametrize("likelihood", risk.LIKELIHOODS)
def test_the_risk_matrix_matches_gbt_39335_cell_by_cell(impact: risk.Impact, likelihood: risk.Likelihood) -> None:
    header, *rows = [line.split() for line in STANDARD_MATRIX.strip().splitlines()]
    table = {row[0]: dict(zip(header, row[1:], strict=True)) for row in rows}
    assert risk.risk_level(impact, likelihood) == table[impact][likelihood]


def test_a_clean_assessment_may_proceed() -> None:
    result = scored()
    assert result.complete and result.conclusion == "proceed"
    assert result.overall_risk == "low"
    assert [d.score for d in result.dimensions] == [0.0, 0.0, 0.0]
    assert result.findings == ()


def test_a_gap_adds_weight_times_risk_and_says_which_answer() -> None:
    result = scored({"encryption": "weak", "encryption_plan": "unplanned"})
    security = next(d for d in result.dimensions if d.id == "security")
    # encryption: weight 2 × risk 0.5 = 1; plan: weight 1 × 0.6; out of weights 2 + 1.
    assert security.points == pytest.approx(1.6)
    assert security.max_points == 3.0
    assert security.score == pytest.approx(53.3)
    assert [(c.slot, c.answer, c.points) for c in security.contributions] == [
        ("encryption", ("weak",), 1.0),
        ("encryption_plan", ("unplanned",), pytest.approx(0.6)),
    ]
    assert [f.text("en") for f in result.findings] == ["Weak encryption", "No plan to improve encryption"]


def test_the_conclusion_names_what_must_be_fixed_first() -> None:
    result = scored(
        {"n_sensitive": 6_000, "inventory": [*GOOD_ANSWERS["inventory"], MEDICAL_RECORDS]},
        {"r_categories": ["health"], "r_contract": "partial"},
    )
    assert (result.overall_risk, result.conclusion) == ("high", "proceed_after_fixes")
    assert [r("en") for r in result.reasons] == [
        "Risk level high (highest scenario: Acme)",
        "With risk level high, measures must lower the risk before the transfer",
        "Problems to fix before the transfer: Contract terms incomplete.",
    ]


def test_a_blocking_finding_stops_the_transfer_whatever_the_scores() -> None:
    result = scored({"consent": False})
    assert result.overall_risk in ("low", "medium")
    assert result.conclusion == "do_not_proceed"
    assert [f.blocking for f in result.findings] == [True]
    assert result.reasons[0]("en") == "Obstacle to the transfer: No separate consent"
    assert result.reasons[0]("zh") == "构成出境障碍的问题：未取得单独同意"


def test_an_incomplete_assessment_has_no_risk_level_only_a_provisional_one() -> None:
    result = score(BANK, answers().with_value("encryption", None))
    assert not result.complete
    assert result.missing == ("encryption",)
    assert result.overall_risk is None and result.provisional_risk == "low"
    assert result.conclusion == "incomplete"


def test_an_assessment_without_recipients_is_incomplete() -> None:
    result = score(BANK, answers().without_item("recipients", 0))
    assert result.conclusion == "incomplete"
    assert result.missing == ("recipients: 0 of at least 1 item(s)",)


class TestImpact:
    def test_the_most_sensitive_category_received_sets_the_base(self) -> None:
        [scenario] = scored({}, {"r_categories": ["general", "health"]}).scenarios
        assert scenario.impact == "high"
        assert scenario.impact_steps[0].reason("en").endswith("Health information")

    def test_sensitive_pi_at_scale_raises_impact_one_level(self) -> None:
        [scenario] = scored({"n_sensitive": 600_000}, {"r_categories": ["health"], "r_count": 500_000}).scenarios
        assert [s.level for s in scenario.impact_steps] == ["high", "severe"]
        assert "500,000" in scenario.impact_steps[1].reason("en")

    def test_just_below_the_scale_raise_nothing_changes(self) -> None:
        [scenario] = scored({}, {"r_categories": ["health"], "r_count": 499_999}).scenarios
        assert scenario.impact == "high"

    def test_minors_raise_impact_and_verified_de_identification_lowers_it(self) -> None:
        [scenario] = scored({}, {"r_categories": ["minors"], "r_deid": "verified"}).scenarios
        assert [s.level for s in scenario.impact_steps] == ["high", "severe", "high"]
        assert "Vulnerable group" in scenario.impact_steps[1].reason("en")
        assert "de-identification" in scenario.impact_steps[2].reason("en")


class TestLikelihood:
    def test_each_risk_source_is_rated_from_its_gap_share(self) -> None:
        [scenario] = scored({}, {"r_contract": "partial"}).scenarios
        people = next(s for s in scenario.sources if s.source == "people")
        assert people.share == 0.5 and people.level == "high"
        assert scenario.likelihood == "high"

    def test_a_recipients_gaps_do_not_leak_into_another_scenario(self) -> None:
        first, second = scored({}, {"r_contract": "partial"}, {"r_name": "Beta"}).scenarios
        assert (first.likelihood, second.likelihood) == ("high", "low")

    @pytest.mark.parametrize(("count", "floor"), [(999_999, "low"), (1_000_000, "medium"), (10_000_000, "high")])
    def test_scale_sets_a_floor(self, count: int, floor: str) -> None:
        [scenario] = scored({"n_general": count}, {"r_count": count}).scenarios
        assert scenario.likelihood == floor


class TestConsistency:
    def test_sensitive_items_in_the_inventory_but_none_in_screening(self) -> None:
        result = scored({"inventory": [*GOOD_ANSWERS["inventory"], MEDICAL_RECORDS]}, {"r_categories": ["health"]})
        assert {f.kind for f in result.findings} == {"consistency"}
        [finding] = [f for f in result.findings if f.question == "n_sensitive"]
        assert "lists sensitive items (病历)" in finding.text("en")
        assert finding.severity == "high"  # an under-count can put the transfer on the wrong route

    def test_a_recipient_receiving_more_people_than_were_counted(self) -> None:
        result = scored({}, {"r_count": 400_000})
        [finding] = result.findings
        assert finding.recipient == Localized.of("Acme", "Acme") and "more than the 300,000" in finding.text("en")
        assert "接收40万人的个人信息，超过筛选中填报的出境总人数30万人" in finding.text("zh")

    def test_a_recipient_receiving_a_sensitive_category_the_inventory_does_not_list(self) -> None:
        result = scored({"n_sensitive": 6_000}, {"r_categories": ["general", "health"]})
        texts = [f.text("en") for f in result.findings if f.kind == "consistency"]
        assert "Overseas recipient “Acme” receives Health, yet the inventory lists no such item" in texts

    def test_a_sensitive_category_in_the_inventory_that_no_recipient_receives(self) -> None:
        result = scored({"n_sensitive": 6_000, "inventory": [*GOOD_ANSWERS["inventory"], MEDICAL_RECORDS]})
        texts = [f.text("en") for f in result.findings if f.kind == "consistency"]
        assert texts == ["The inventory lists Health, yet no overseas recipient is recorded as receiving it"]

    def test_consistent_answers_raise_nothing(self) -> None:
        result = scored(
            {"n_sensitive": 6_000, "inventory": [*GOOD_ANSWERS["inventory"], MEDICAL_RECORDS]},
            {"r_categories": ["general", "health"]},
        )
        assert [f for f in result.findings if f.kind == "consistency"] == []


# -- properties -----------------------------------------------------------------------------------
SCORED = [q for q in BANK.questions.values() if q.scored]
READ_BY_CONDITIONS = {ref for q in BANK.questions.values() if q.show_if for ref in q.show_if.questions()}


@st.composite
def random_answers(draw: st.DrawFn) -> Answers:
    chosen: dict[str, Any] = {q.id: draw(st.sampled_from([o.value for o in q.options]))
                              for q in SCORED if BANK.group_of(q.id) is None}
    chosen["consent"] = chosen["consent"] == "yes"
    recipients = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "r_categories": st.lists(
                        st.sampled_from(["general", "health", "minors"]), min_size=1, max_size=3, unique=True
                    ),
                    "r_count": st.integers(0, 20_000_000),
                    "r_deid": st.sampled_from(["identifiable", "verified"]),
                    "r_contract": st.sampled_from(["full", "partial"]),
                }
            ),
            min_size=1,
            max_size=3,
        )
    )
    return answers(chosen, *recipients)


@settings(max_examples=200, deadline=None)
@given(random_answers())
def test_scores_stay_within_bounds(a: Answers) -> None:
    result = score(BANK, a)
    for d in result.dimensions:
        assert d.score is None or 0 <= d.score <= 100
    for scenario in result.scenarios:
        for source in scenario.sources:
            assert source.share is None or 0 <= source.share <= 1


@settings(max_examples=200, deadline=None)
@given(random_answers(), st.data())
def test_a_riskier_answer_never_lowers_a_score_or_the_overall_level(a: Answers, data: st.DataObject) -> None:
    before = score(BANK, a)
    candidates = [q for q in SCORED if q.id not in READ_BY_CONDITIONS and q.id != "encryption_plan"]
    question = data.draw(st.sampled_from(candidates))
    group = BANK.group_of(question.id)
    item = 0 if group else None
    current = a.value(question.id, item) if group is None else a.items(group)[0][question.id].value
    current = ("yes" if current else "no") if isinstance(current, bool) else current
    current_risk = question.option(current).risk  # type: ignore[union-attr]
    riskier = [o for o in question.options if o.risk > current_risk]
    if not riskier:
        return
    new = data.draw(st.sampled_from(riskier)).value
    value: Any = (new == "yes") if question.type == "yes_no" else new
    after = score(BANK, a.with_value(question.id, value, group, item))
    for d_before, d_after in zip(before.dimensions, after.dimensions, strict=True):
        assert (d_after.score or 0) >= (d_before.score or 0)
    assert risk.RISKS.index(after.provisional_risk or "low") >= risk.RISKS.index(before.provisional_risk or "low")


@settings(max_examples=100, deadline=None)
@given(random_answers(), st.sampled_from(["planned", "unplanned", None]))
def test_a_hidden_answer_never_changes_the_result(a: Answers, plan: str | None) -> None:
    shown_only_for_weak = a.with_value("encryption", "strong")
    assert score(BANK, shown_only_for_weak.with_value("encryption_plan", plan)) == score(BANK, shown_only_for_weak)


def _with_recipients(count: int) -> tuple[Bank, Answers]:
    from pipia.files.resources import samples_dir  # noqa: PLC0415

    answers, _ = answers_mod.read(samples_dir() / "crossborder-ecommerce.yaml")
    bank = load_bank(answers.bank.id).bank
    first = answers.items("recipients")[0]
    while len(answers.items("recipients")) < count:
        answers = answers.with_item("recipients")
        item = len(answers.items("recipients")) - 1
        for qid, response in first.items():
            answers = answers.with_response(qid, response, "recipients", item)
    return bank, answers


def test_each_scenario_is_scored_from_the_assessment_wide_and_its_own_answers_in_order() -> None:
    bank, answers = _with_recipients(12)
    result = score(bank, answers)
    for item, scenario in enumerate(result.scenarios):
        for source in scenario.sources:
            expected = tuple(c for d in result.dimensions if d.risk_source == source.source
                             for c in d.contributions if c.item is None or c.item == item)
            assert source.contributions == expected


def test_the_same_answers_are_evaluated_once() -> None:
    from pipia.assessment import visibility  # noqa: PLC0415

    bank, answers = _with_recipients(2)
    assert visibility.evaluate(bank, answers) is visibility.evaluate(bank, answers)
    state = visibility.evaluate(bank, answers)
    text = next(s.key for s in state.visible if s.group is None and s.question.type == "text")
    changed = answers.with_value(text, "someone else")
    assert visibility.evaluate(bank, changed) is not state
    assert visibility.evaluate(bank, changed).values[text] == "someone else"
