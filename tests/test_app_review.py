"""Review and approval in the app (the single-user app's one local user may take every step)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from pipia.assessment import scoring
from pipia.bank.loader import load_bank
from pipia.store import Directory, UserStore
from pipia.team.actions import ActionRecord, plan

from .app_support import (
    APP_BANK,
    PAYLOAD,
    App,
    answered,
    assert_no_user_markdown,
    goto,
    run,
    store,
    texts,
)


def button(at: AppTest, key: str) -> Button:
    return next(b for b in at.button if b.key == key)


def test_sections_are_submitted_reviewed_sent_back_and_the_assessment_approved(app: App, data_dir: Path) -> None:
    assessment = answered(data_dir)
    at = goto(app({"a": assessment}), "review")
    assert "尚未批准：报告为草稿。" in texts(at)
    sections = [b.key.removeprefix("review-submit-") for b in at.button if b.key and b.key.startswith("review-submit-")]
    assert len(sections) >= 2
    for section in sections:
        button(at, f"review-submit-{section}").click()
        run(at)
    first = sections[0]
    at.radio(key=f"review-verdict-{first}").set_value("to_be_corrected")
    button(at, f"review-record-{first}").click()
    run(at)
    assert "“可改进”或“需更正”须附说明。" in texts(at)
    at.text_input(key=f"review-comment-{first}").input("请核对处理者名称")
    button(at, f"review-record-{first}").click()
    run(at)
    assert "请核对处理者名称" in texts(at)
    button(at, f"review-submit-{first}").click()  # reopened: submitted again
    run(at)
    for section in sections:
        button(at, f"review-record-{section}").click()  # acceptable is the first choice
        run(at)
    at.text_area(key="review-dpo").input("同意。")
    button(at, "review-dpo-save").click()
    run(at)
    button(at, "review-approve").click()
    run(at)
    assert "批准须确认全部三项。" in texts(at)
    for i in (1, 2, 3):
        at.checkbox(key=f"review-attest-{i}").check()
    at.text_input(key="review-version").input("第一版（已批准）")
    button(at, "review-approve").click()
    run(at)
    assert any("第一版（已批准）" in s.value for s in at.success)
    with store() as s:
        local = UserStore(s, Directory(s).local_user())
        review = local.review(assessment)
        assert review.approved and review.dpo_opinion is not None
        assert [r.name for r in local.revisions(assessment, named_only=True)] == ["第一版（已批准）"]


def test_team_names_comments_opinions_and_actions_are_never_drawn_as_markdown(app: App, data_dir: Path) -> None:
    # Whatever a colleague (or their sign-in provider) typed reaches other people's pages as plain text.
    assessment = answered(data_dir)
    with store() as s:
        directory = Directory(s)
        local = UserStore(s, directory.local_user())
        for role in ("editor", "reviewer", "approver"):
            local.grant(assessment, "evil@example.com", role)
        evil = UserStore(s, directory.sign_in("evil@example.com", f"name {PAYLOAD}"))
        answers = evil.get(assessment).answers
        bank = load_bank(answers.bank.id, [APP_BANK]).bank
        section = bank.sections[0].id
        evil.submit(assessment, section)
        evil.assess_section(assessment, section, "improvable", f"comment {PAYLOAD}")
        evil.dpo_opinion(assessment, f"opinion {PAYLOAD}")
        evil.reject(assessment, f"reason {PAYLOAD}")
        first = plan(scoring.score(bank, answers).findings, {})[0]
        evil.track(assessment, ActionRecord(first.key, owner=f"owner {PAYLOAD}", status="done",
                                            evidence=f"evidence {PAYLOAD}"))
    at = app({"a": assessment})
    for page in ("review", "results", "report", "assessments"):
        goto(at, page)
        if page == "results":  # the tracked action's form and "updated by" are drawn once it is opened
            at.session_state[f"action-{first.key}"] = True
            run(at)
            assert any(w.value == f"owner {PAYLOAD}" for w in at.text_input)
        assert_no_user_markdown(at, page)

