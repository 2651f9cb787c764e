"""The action plan in the app: tracked on the results page, refused when it says too little, overdue ones
standing out on the results page and in the list, and the plan downloadable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from pipia.assessment import scoring
from pipia.bank.loader import load_bank
from pipia.store import Directory, UserStore
from pipia.team.actions import ActionRecord, plan

from .app_support import APP_BANK, App, answered, goto, run, store, texts


def form_widget(at: AppTest, kind: str, label: str) -> Any:
    return next(w for w in getattr(at, kind) if w.label == label)


def first_action(assessment: str) -> Any:
    """The first action of the plan of a stored assessment (no action tracked yet)."""
    with store() as s:
        answers = UserStore(s, Directory(s).local_user()).get(assessment).answers
    return plan(scoring.score(load_bank(answers.bank.id, [APP_BANK]).bank, answers).findings, {})[0]


def test_an_action_is_tracked_on_the_results_page_and_done_needs_evidence(app: App, data_dir: Path) -> None:
    assessment = answered(data_dir)
    at = goto(app({"a": assessment}), "results")
    assert "整改计划" in texts(at)
    assert {"pipia-download_plan_xlsx", "pipia-download_plan_csv", "pipia-download_calendar"} <= {
        b.key for b in at.download_button}
    assert not [w for w in at.text_input if w.label == "责任人"], "a closed action draws no form"
    at.session_state[f"action-{first_action(assessment).key}"] = True  # the DPO opens the first action
    run(at)
    assert len([w for w in at.text_input if w.label == "责任人"]) == 1, "only the opened action's form is drawn"
    form_widget(at, "text_input", "责任人").input("李雷")
    form_widget(at, "radio", "状态").set_value("done")
    next(b for b in at.button if b.label == "保存整改记录").click()
    run(at)
    assert "标记为已完成须填写证明材料。" in texts(at)
    with store() as s:
        assert UserStore(s, Directory(s).local_user()).actions(assessment) == {}

    form_widget(at, "text_area", "证明材料").input("整改报告 2026-11-20")
    next(b for b in at.button if b.label == "保存整改记录").click()
    run(at)
    with store() as s:
        (record,) = UserStore(s, Directory(s).local_user()).actions(assessment).values()
    assert (record.owner, record.status, record.evidence, record.updated_by) == (
        "李雷", "done", "整改报告 2026-11-20", "local")


def test_overdue_actions_stand_out_on_the_results_page_and_in_the_list(app: App, data_dir: Path) -> None:
    assessment = answered(data_dir)
    first = first_action(assessment)
    with store() as s:
        local = UserStore(s, Directory(s).local_user())
        local.track(assessment, ActionRecord(first.key, owner="王五", due=dt.date.today() - dt.timedelta(days=3)))
    at = goto(app({"a": assessment}), "results")
    assert any("1 项整改已逾期。" in e.value for e in at.error)
    at = goto(at, "assessments")
    assert any(":red-badge[:material/alarm: 1 项逾期]" in m.value for m in at.markdown)
