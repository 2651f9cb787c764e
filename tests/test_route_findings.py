"""What the route check finds wrong with the mechanism in place becomes a finding of the assessment.

A lapsed security assessment result (Provisions Art. 9) or certificate (Certification Measures Art. 8), or a
standard contract filed late or not at all (Standard Contract Measures Art. 7), shows in ``pipia score`` and
the conclusion, not only in the route annex. Important data marked "not required: exempt" is a blocking
contradiction, since no exemption reaches important data (Provisions Arts 3-5, 7; NDSR Art. 37).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
import yaml

from pipia.answers.format import Answers
from pipia.assessment.scoring import score
from pipia.bank.loader import load_bank
from pipia.cli import main
from pipia.files.resources import samples_dir

SAMPLE = samples_dir() / "crossborder-ecommerce.yaml"
RAW: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
BANK = load_bank("pipia-certification").bank


def sample_with(**changes: Any) -> Answers:
    raw = copy.deepcopy(RAW)
    for qid, value in changes.items():
        if value is None:
            raw["answers"].pop(qid, None)
        else:
            raw["answers"][qid] = value
    return Answers.model_validate(raw)


def kinds(answers: Answers) -> dict[str, tuple[str, bool]]:
    return {f.slot: (f.kind, f.blocking) for f in score(BANK, answers).findings if f.kind != "gap"}


def test_the_sample_has_no_route_finding_its_contract_was_filed_on_time() -> None:
    assert not [f for f in score(BANK, sample_with()).findings if f.kind == "route"]


@pytest.mark.parametrize(("filed", "overdue"), [(None, True), (dt.date(2025, 7, 16), True),
                                                (dt.date(2025, 7, 15), False)])
def test_a_contract_filed_late_or_not_at_all_is_a_finding(filed: dt.date | None, overdue: bool) -> None:
    found = kinds(sample_with(contract_filing_date=filed))
    assert (found.get("contract_filing_date") == ("route", False)) is overdue


def test_a_lapsed_security_assessment_is_a_blocking_finding_and_stops_the_transfer() -> None:
    answers = sample_with(processor_is_ciio=True, security_assessment_status="passed",
                          security_assessment_pass_date=dt.date(2023, 9, 1))
    result = score(BANK, answers)
    lapsed = next(f for f in result.findings if f.slot == "security_assessment_pass_date")
    assert (lapsed.kind, lapsed.blocking, lapsed.severity) == ("route", True, "high")
    assert "1 September 2026" in lapsed.text("en") and "2026年9月1日" in lapsed.text("zh")
    assert result.conclusion == "do_not_proceed"
    recent = sample_with(processor_is_ciio=True, security_assessment_status="passed",
                         security_assessment_pass_date=dt.date(2024, 9, 1))
    assert "security_assessment_pass_date" not in kinds(recent)


def test_a_lapsed_certificate_is_a_blocking_finding() -> None:
    # The certificate's three years end on 2029-01-20; judged the day after, it has lapsed.
    answers = copy.deepcopy(RAW)
    answers["meta"]["assessment_date"] = dt.date(2029, 1, 21)
    answers["answers"]["certificate_issue_date"] = dt.date(2026, 1, 20)
    found = {f.slot: f for f in score(BANK, Answers.model_validate(answers)).findings}
    assert found["certificate_issue_date"].kind == "route" and found["certificate_issue_date"].blocking


def test_important_data_marked_exempt_from_the_assessment_is_a_blocking_contradiction() -> None:
    answers = sample_with(important_data=True, security_assessment_status="not_required_exempt")
    result = score(BANK, answers)
    assert kinds(answers)["security_assessment_status"] == ("consistency", True)
    assert result.conclusion == "do_not_proceed"
    assert "security_assessment_status" not in kinds(sample_with(processor_is_ciio=True,
                                                                 exemptions=["hr_management"],
                                                                 security_assessment_status="not_required_exempt"))


def test_pipia_score_prints_the_route_findings(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    raw = copy.deepcopy(RAW)
    raw["answers"].pop("contract_filing_date", None)
    path = tmp_path / "late.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert main(["score", str(path), "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    overdue = [f for f in findings if f["kind"] == "route"]
    assert [f["question"] for f in overdue] == ["contract_filing_date"]
    assert "15 July 2025" in overdue[0]["text"]["en"]
