"""The app's pages driven with Streamlit's AppTest: each test has its own database (a temporary
PIPIA_DATA_DIR) and uses the small bank in tests/data/app, which has every question type.

AppTest runs the real app.py through a two-line harness that can open a page directly (it has no
sidebar to click); everything else is the app as a user gets it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.bank.format import LoadedBank
from pipia.bank.loader import load_bank
from pipia.ui.values import escape_markdown

from .app_support import (
    APP_BANK,
    PAYLOAD,
    VALID,
    App,
    answered,
    assert_no_user_markdown,
    create,
    goto,
    menu,
    run,
    store,
    stored,
    texts,
)


# -- assessments -----------------------------------------------------------------------------------------------
def test_a_new_store_offers_the_shipped_sample(app: App) -> None:
    at = app()
    opens = [b for b in at.button if (b.key or "").startswith("open-")]
    assert opens, "the sample assessment is there to open on first start"
    assert "评估列表" in at.title[0].value


def test_creating_an_assessment_opens_it_at_the_route(app: App) -> None:
    at = app()
    assessment = create(at)
    answers = stored(assessment)
    assert answers.bank.id == "app-test"
    assert answers.meta.organisation == "示例公司"
    assert answers.meta.assessment_date == dt.date.today()
    assert len(answers.items("recipients")) == 1  # the group's minimum, ready to fill


def test_duplicate_archive_and_delete_with_confirmation(app: App) -> None:
    at = app()
    assessment = create(at)
    menu(goto(at, "assessments"), assessment)
    at.button(key=f"duplicate-{assessment}").click()
    run(at)
    with store() as s:
        assert len(s.list_assessments()) == 3  # the sample, ours, and its copy
    at.button(key=f"archive-{assessment}").click()
    run(at)
    with store() as s:
        assert assessment not in {x.id for x in s.list_assessments()}
    at.toggle(key="pipia-show-archived").set_value(True)
    menu(run(at), assessment)
    at.button(key=f"delete-{assessment}").click()
    run(at)
    assert at.button(key=f"delete-yes-{assessment}")  # asks first; nothing deleted yet
    with store() as s:
        assert assessment in {x.id for x in s.list_assessments(include_archived=True)}
    at.button(key=f"delete-yes-{assessment}").click()
    run(at)
    with store() as s:
        assert assessment not in {x.id for x in s.list_assessments(include_archived=True)}
    assert "评估已删除" in texts(at)


def test_export_offers_yaml_and_json(app: App) -> None:
    at = app()
    assessment = create(at)
    menu(goto(at, "assessments"), assessment)
    keys = {b.key for b in at.download_button}
    assert {f"export-yaml-{assessment}", f"export-json-{assessment}"} <= keys


# -- import ----------------------------------------------------------------------------------------------------


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="pipia-import").upload(name, data)
    return run(at)


def test_importing_a_valid_file_creates_an_assessment_once(app: App) -> None:
    at = app()
    upload(at, "answers.yaml", VALID.encode())
    assert f"已导入 {escape_markdown('answers.yaml')}" in texts(at)
    with store() as s:
        imported = [x for x in s.list_assessments() if x.organisation == "导入公司"]
    assert len(imported) == 1
    run(at)  # a rerun with the same upload must not import it again
    with store() as s:
        assert len([x for x in s.list_assessments() if x.organisation == "导入公司"]) == 1
    assert stored(imported[0].id).value("individuals_non_sensitive") == 120000
    at.button(key="pipia-open-imported").click()
    run(at)
    assert at.query_params["a"] == imported[0].id


def test_importing_json_works_too(app: App) -> None:
    at = app()
    data = {"bank": {"id": "app-test", "version": "1.0"}, "meta": {"organisation": "JSON 公司"},
            "answers": {"important_data": False}}
    upload(at, "answers.json", json.dumps(data).encode())
    with store() as s:
        assert [x for x in s.list_assessments() if x.organisation == "JSON 公司"]


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("broken.yaml", b"bank: {id: app-test\n", "broken.yaml:"),
    # The app speaks Chinese by default, and so do the problems it lists.
    ("wrong.yaml", VALID.replace("us}", "mars}").encode(), "'mars' 不是可选项"),
    ("unknown.yaml", VALID.replace("processor_is_ciio", "no_such_question").encode(), "未知的问题 id"),
    ("other-bank.yaml", VALID.replace("app-test", "no-such-bank").encode(), "未安装 id 为 'no-such-bank' 的题库"),
    ("latin1.yaml", "meta: {organisation: Société}".encode("latin-1"), "不是 UTF-8 文本（此行有无法识别的字节）"),
    ("empty.yaml", b"", "文件为空"),
], ids=["malformed", "bad-option", "unknown-question", "unknown-bank", "not-utf8", "empty"])
def test_a_broken_file_is_refused_with_its_problems(app: App, name: str, data: bytes, expected: str) -> None:
    at = app()
    with store() as s:
        before = len(s.list_assessments())
    upload(at, name, data)
    assert any(f"{escape_markdown(name)} 未导入" in e.value for e in at.error)
    assert any(expected in c.value for c in at.code), [c.value for c in at.code]
    with store() as s:
        assert len(s.list_assessments()) == before


# -- answering -------------------------------------------------------------------------------------------------
def test_every_answer_is_saved_as_it_is_given(app: App) -> None:
    at = app()
    assessment = create(at)
    at.radio(key="w-processor_is_ciio").set_value("no")
    run(at)
    assert stored(assessment).value("processor_is_ciio") is False
    at.number_input(key="w-individuals_non_sensitive").set_value(150000)
    run(at)
    answers = stored(assessment)
    assert answers.value("individuals_non_sensitive") == 150000
    assert isinstance(answers.value("individuals_non_sensitive"), int)
    with store() as s:
        assert s.get(assessment).revision == 3  # created, then one revision per answer


def answer_screening(at: AppTest, *, exemption: str) -> None:
    """A processor that is not a CIIO, no important data, ``exemption`` ticked, 150,000 people counted."""
    at.radio(key="w-processor_is_ciio").set_value("no")
    at.radio(key="w-important_data").set_value("no")
    run(at)
    at.checkbox(key=f"w-exemptions--{exemption}").check()
    run(at)
    at.number_input(key="w-individuals_non_sensitive").set_value(150000)
    at.number_input(key="w-individuals_sensitive").set_value(0)
    run(at)


def test_the_route_is_decided_live(app: App) -> None:
    at = app()
    create(at)
    assert "回答以下问题后即可判断出境路径" in texts(at)
    answer_screening(at, exemption="none")
    shown = texts(at)
    assert "订立个人信息出境标准合同或者通过个人信息保护认证" in shown
    assert "理由" in shown and "仍须履行的义务" in shown and "期限" in shown
    at.radio(key="w-important_data").set_value("yes")
    run(at)
    assert "数据出境安全评估" in texts(at)


def test_the_route_page_says_both_parts_when_an_exemption_covers_some_transfers(app: App) -> None:
    at = app()
    create(at)
    answer_screening(at, exemption="hr_management")
    shown = texts(at)
    assert "计入人数的个人信息应当订立个人信息出境标准合同或者通过个人信息保护认证；" in shown
    assert "跨境人力资源管理确需的员工个人信息出境（第五条第（二）项）免予申报" in shown


def test_an_exclusive_option_clears_the_others(app: App) -> None:
    at = app()
    assessment = create(at)
    at.checkbox(key="w-exemptions--contract_necessity").check()
    run(at)
    assert stored(assessment).value("exemptions") == ["contract_necessity"]
    at.checkbox(key="w-exemptions--none").check()
    run(at)
    assert stored(assessment).value("exemptions") == ["none"]
    assert at.checkbox(key="w-exemptions--contract_necessity").value is False


def open_section(at: AppTest, section: str) -> AppTest:
    goto(at, "questionnaire")
    at.radio(key="pipia-section").set_value(section)
    return run(at)


def test_a_conditional_question_comes_and_goes_and_its_answer_is_kept(app: App) -> None:
    at = app()
    assessment = create(at)
    open_section(at, "processor")
    assert "w-pi_officer_details" not in {w.key for w in at.text_area}
    at.radio(key="w-pi_officer").set_value("yes")
    run(at)
    at.text_area(key="w-pi_officer_details").input("张三 dpo@example.com")
    run(at)
    at.radio(key="w-pi_officer").set_value("no")
    run(at)
    assert "w-pi_officer_details" not in {w.key for w in at.text_area}
    assert stored(assessment).value("pi_officer_details") == "张三 dpo@example.com"  # hidden, never deleted
    at.radio(key="w-pi_officer").set_value("yes")
    run(at)
    assert at.text_area(key="w-pi_officer_details").value == "张三 dpo@example.com"


def test_a_comment_and_evidence_per_question(app: App) -> None:
    at = app()
    assessment = create(at)
    at.radio(key="w-processor_is_ciio").set_value("no")
    run(at)
    assert not [area for area in at.text_area if (area.key or "").endswith("--comment")]  # drawn on demand
    assert not [b for b in at.button if b.key and b.key.endswith("--note")], "one button a section, not a question"
    at.button(key="pipia-notes-screening").click()  # opens the section's comment dialog
    run(at)
    chooser = at.selectbox(key="pipia-note-question")
    assert chooser.value == "w-processor_is_ciio"  # the section's first question unless one is in focus
    assert chooser.options[:2] == ["1.1 是否为关键信息基础设施运营者？", "1.2 是否涉及重要数据？"]  # numbered as shown
    # AppTest reruns the whole page, which closes a dialog: the question is chosen, then the dialog opened.
    at.session_state["pipia-note-question"] = "w-important_data"
    at.button(key="pipia-notes-screening").click()
    run(at)
    at.text_area(key="w-important_data--comment").input("已开展重要数据识别")
    run(at)
    at.session_state["pipia-note-question"] = "w-processor_is_ciio"
    at.button(key="pipia-notes-screening").click()
    run(at)
    at.text_area(key="w-processor_is_ciio--comment").input("未收到认定通知")
    at.text_area(key="w-processor_is_ciio--evidence").input("说明函 2026-01\n\n董事会决议")
    run(at)
    response = stored(assessment).answers["processor_is_ciio"]
    assert (response.value, response.comment, response.evidence) == (False, "未收到认定通知",
                                                                      ("说明函 2026-01", "董事会决议"))
    assert stored(assessment).answers["important_data"].comment == "已开展重要数据识别"
    assert "未收到认定通知" in texts(at)


def test_recipients_are_added_and_removed(app: App) -> None:
    at = app()
    assessment = create(at)
    open_section(at, "recipient")
    at.text_input(key="w-recipients-0-recipient_name").input("Acme Inc.")
    run(at)
    at.button(key="pipia-add-recipients").click()
    run(at)
    at.text_input(key="w-recipients-1-recipient_name").input("Globex Pte. Ltd.")
    run(at)
    at.radio(key="w-recipients-1-recipient_country").set_value("sg")
    run(at)
    assert "新加坡以《个人数据保护法》规范个人数据处理。" in texts(at)  # the destination's profile beside
    # Names as typed, escaped so the browser shows them as text rather than reading Markdown in them.
    assert at.segmented_control(key="pipia-item-recipients").options == [
        escape_markdown("Acme Inc."), escape_markdown("Globex Pte. Ltd.")]
    at.radio(key="pipia-lang").set_value("en")
    run(at)
    # In English the group's name, lower case for running text ("Add an overseas recipient"), heads the switch
    # as a label starts.
    assert at.segmented_control(key="pipia-item-recipients").label == "Overseas recipient"
    assert at.button(key="pipia-add-recipients").label == "Add an overseas recipient"
    at.radio(key="pipia-lang").set_value("zh")
    run(at)
    at.segmented_control(key="pipia-item-recipients").set_value(0)
    run(at)
    at.button(key="pipia-remove-recipients").click()
    run(at)
    assert len(stored(assessment).items("recipients")) == 2  # asks first
    at.button(key="pipia-remove-yes").click()
    run(at)
    items = stored(assessment).items("recipients")
    assert [i["recipient_name"].value for i in items] == ["Globex Pte. Ltd."]
    assert at.text_input(key="w-recipients-0-recipient_name").value == "Globex Pte. Ltd."


def test_the_assessment_details_are_edited_in_the_first_section(app: App) -> None:
    at = app()
    assessment = create(at)
    open_section(at, "details")
    at.text_input(key="w-meta-reviewer").input("李四")
    run(at)
    at.date_input(key="w-meta-assessment_date").set_value(dt.date(2026, 3, 1))
    run(at)
    meta = stored(assessment).meta
    assert (meta.reviewer, meta.assessment_date) == ("李四", dt.date(2026, 3, 1))


def test_versions_are_named_compared_and_restored(app: App) -> None:
    at = app()
    assessment = create(at)
    at.radio(key="w-processor_is_ciio").set_value("no")
    run(at)
    menu(goto(at, "assessments"), assessment)
    at.button(key=f"history-{assessment}-open").click()
    run(at)
    at.text_input(key=f"version-name-{assessment}").input("初稿")
    at.button(key=f"name-version-{assessment}").click()
    run(at)
    with store() as s:
        named = s.revisions(assessment, named_only=True)
    assert [r.name for r in named] == ["初稿"]
    goto(at, "route")
    at.radio(key="w-processor_is_ciio").set_value("yes")
    run(at)
    menu(goto(at, "assessments"), assessment)
    at.button(key=f"history-{assessment}-open").click()
    run(at)
    at.selectbox(key=f"compare-{assessment}").set_value(named[0].revision)
    run(at)
    assert "是否为关键信息基础设施运营者？" in texts(at)  # the change, named by its question
    at.button(key=f"restore-{assessment}").click()
    run(at)
    assert stored(assessment).value("processor_is_ciio") is False
    goto(at, "route")
    assert at.radio(key="w-processor_is_ciio").value == "no"  # the open assessment shows it too


# -- resume, conflicts -----------------------------------------------------------------------------------------
def test_a_new_session_resumes_from_the_url_with_every_answer(app: App) -> None:
    at = app()
    assessment = create(at)
    open_section(at, "processor")
    at.text_input(key="w-processor_name").input("示例有限公司")
    run(at)
    assert dict(at.query_params) == {"a": assessment, "s": "processor"}
    # A refresh, a reopened tab, a restarted server: a new session on /questionnaire?a=...&s=processor
    again = goto(app({"a": assessment, "s": "processor"}), "questionnaire")
    assert again.text_input(key="w-processor_name").value == "示例有限公司"
    assert again.radio(key="pipia-section").value == "processor"


def test_an_unknown_assessment_in_the_url_is_reported(app: App) -> None:
    at = app({"a": "no-such-assessment"})
    assert any("不存在" in w.value for w in at.warning)


def test_two_tabs_never_overwrite_each_other(app: App) -> None:
    first = app()
    assessment = create(first)
    second = app({"a": assessment})
    goto(second, "route")
    first.radio(key="w-processor_is_ciio").set_value("no")
    run(first)
    second.radio(key="w-processor_is_ciio").set_value("yes")
    run(second)
    assert stored(assessment).value("processor_is_ciio") is False  # the first save stands
    with store() as s:
        kept = [r for r in s.revisions(assessment) if r.kind == "conflict"]
        assert kept and s.answers_at(assessment, kept[0].revision).value("processor_is_ciio") is True
    # Both changed the same answer: the person sees both and chooses; nothing is decided for them.
    assert second.button(key="pipia-merge").disabled
    (choice,) = [r for r in second.radio if str(r.key).startswith("pipia-merge-")]
    assert set(choice.options) == {"其他窗口：否", "本窗口：是"}
    choice.set_value("mine")
    run(second)
    second.button(key="pipia-merge").click()
    run(second)
    assert stored(assessment).value("processor_is_ciio") is True
    assert not [b for b in second.button if b.key == "pipia-merge"]


def test_a_conflict_keeps_what_each_window_saved_and_the_other_window_shows_the_merge(app: App) -> None:
    first = app()
    assessment = create(first)
    second = app({"a": assessment})
    goto(second, "route")
    first.radio(key="w-processor_is_ciio").set_value("no")
    run(first)
    second.radio(key="w-important_data").set_value("yes")
    run(second)
    assert not [r for r in second.radio if str(r.key).startswith("pipia-merge-")], "no clash to settle"
    second.button(key="pipia-merge").click()
    run(second)
    answers = stored(assessment)
    assert answers.value("processor_is_ciio") is False, "the other window's saved answer was reverted"
    assert answers.value("important_data") is True
    run(first)  # the first window no longer claims an older state is saved
    assert first.radio(key="w-important_data").value == "yes"
    assert any("其他窗口保存的最新答案" in i.value for i in first.info)


def test_a_conflict_can_be_resolved_with_the_other_tabs_answers(app: App) -> None:
    first = app()
    assessment = create(first)
    second = app({"a": assessment})
    goto(second, "route")
    first.radio(key="w-processor_is_ciio").set_value("no")
    run(first)
    second.radio(key="w-important_data").set_value("yes")
    run(second)
    second.button(key="pipia-theirs").click()
    run(second)
    assert second.radio(key="w-processor_is_ciio").value == "no"
    assert second.radio(key="w-important_data").value is None
    assert stored(assessment).value("important_data") is None


def test_answers_survive_the_assessment_being_deleted_elsewhere(app: App) -> None:
    first = app()
    assessment = create(first)
    with store() as s:
        s.delete(assessment)
    first.radio(key="w-processor_is_ciio").set_value("no")
    run(first)
    assert any("已在其他窗口被删除" in e.value for e in first.error)
    first.button(key="pipia-save-as-new").click()
    run(first)
    with store() as s:
        copies = [x for x in s.list_assessments() if x.organisation == "示例公司"]
    assert len(copies) == 1 and copies[0].id != assessment
    assert stored(copies[0].id).value("processor_is_ciio") is False


# -- results, report, language -----------------------------------------------------------------------------------


def test_results_show_scores_matrix_findings_and_links_to_missing_questions(app: App, data_dir: Path) -> None:
    assessment = answered(data_dir)
    at = goto(app({"a": assessment}), "results")
    shown = texts(at)
    assert "评估未完成，尚不能得出结论" in shown
    assert "未取得单独同意" in shown  # a finding, with its action
    assert "取得单独同意" in shown
    assert at.get("vega_lite_chart") and at.get("html")
    links = [str(getattr(p, "value", "")) for p in at.get("page_link")]
    assert any("处理者名称" in link for link in links)


def test_the_findings_filter(app: App, data_dir: Path) -> None:
    at = goto(app({"a": answered(data_dir)}), "results")
    assert "未指定个人信息保护负责人" in texts(at)
    at.toggle(key="pipia-filter-blocking").set_value(True)
    run(at)
    findings = [m.value for m in at.markdown if m.value.startswith(":red-badge[出境障碍]")]
    assert len(findings) == 1
    assert "显示 1 项，共 2 项" in texts(at)
    assert "未指定个人信息保护负责人" not in texts(at)


def test_the_report_page_offers_the_downloads(app: App, data_dir: Path) -> None:
    at = goto(app({"a": answered(data_dir)}), "report")
    assert "pipia-docx" in {b.key for b in at.download_button}


def test_the_language_switch_changes_every_label_and_is_kept_in_the_url(app: App) -> None:
    at = app()
    assert at.title[0].value == "评估列表"
    at.radio(key="pipia-lang").set_value("en")
    run(at)
    assert at.title[0].value == "Assessments"
    assert at.query_params["lang"] == "en"
    again = app({"lang": "en"})
    assert again.title[0].value == "Assessments"


def test_pages_without_an_open_assessment_say_where_to_go(app: App) -> None:
    at = app()
    for page in ("route", "questionnaire", "results", "report"):
        goto(at, page)
        assert any("请先在评估列表中打开或新建一个评估" in i.value for i in at.info)


def follow(at: AppTest, **params: str) -> AppTest:
    """Arrive on the open page through a link with these query parameters."""
    at.query_params.update(params)
    return run(at)


def test_a_link_to_a_question_scrolls_to_it_but_a_crafted_one_reaches_nothing(app: App) -> None:
    at = app()
    assessment = create(at)
    goto(at, "questionnaire")
    follow(at, a=assessment, s="processor", q="consent")
    assert [h for h in at.get("html") if "st-key-box-w-consent" in str(h.proto)]
    evil = goto(app({"a": assessment}), "questionnaire")
    follow(evil, a=assessment, s="processor", q='");alert(1)//')
    assert not [h for h in evil.get("html") if "alert" in str(h.proto)]


# -- failures: a plain message in the user's language, never a traceback -------------------------------------
@pytest.mark.parametrize("item", ["²", "9" * 5000, "-1", "１"])
def test_a_crafted_item_in_the_url_is_ignored(app: App, item: str) -> None:
    first = app()
    assessment = create(first)
    at = goto(app({"a": assessment, "s": "recipient", "i": item}), "questionnaire")
    assert not at.exception


def test_an_assessment_with_damaged_answers_offers_its_latest_readable_version(app: App, data_dir: Path) -> None:
    first = app()
    assessment = create(first)
    first.radio(key="w-processor_is_ciio").set_value("no")
    run(first)
    import sqlite3  # noqa: PLC0415 - damage the file from outside, as a disk or a hand edit would

    with sqlite3.connect(data_dir / "pipia.db") as conn:
        conn.execute("UPDATE pipia_assessments SET answers = '{\"bank\": [trunc' WHERE id = ?", (assessment,))
    at = app({"a": assessment})
    assert any("已损坏" in e.value for e in at.error)
    assert "Traceback" not in texts(at)
    assert [x for x in at.button if x.key == "pipia-restore-readable"]
    at.button(key="pipia-restore-readable").click()
    run(at)
    assert stored(assessment).value("processor_is_ciio") is False
    assert at.session_state["pipia.doc"].id == assessment


def test_a_database_that_cannot_be_opened_is_a_plain_message_and_the_app_still_runs(
        app: App, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    data_dir.write_bytes(b"not a folder")  # the data folder cannot be made: as a read-only disk would do
    at = app()
    assert any("暂时无法使用评估数据库" in e.value for e in at.error), texts(at)
    assert str(data_dir) not in texts(at)
    goto(at, "route")  # the other pages still draw
    assert at.title[0].value == "出境路径"


# -- user text is never Markdown ----------------------------------------------------------------------------------


def hostile_assessment() -> Answers:
    def p(tag: str) -> str:
        return f"{tag} {PAYLOAD}"

    data = {
        "bank": {"id": "app-test", "version": "1.0"},
        "meta": {"organisation": p("org"), "title": p("title"), "assessor": p("assessor"), "reviewer": p("rev"),
                 "assessment_date": dt.date(2026, 3, 1)},
        "answers": {
            "processor_is_ciio": False, "important_data": False, "consent": False, "pi_officer": False,
            "exemption_basis": p("basis"), "pi_officer_details": p("officer"),
            "processor_name": {"value": p("name"), "comment": p("comment"), "evidence": [p("evidence")]},
            "data_inventory": [{"item": p("item"), "individuals": 10}],
        },
        "repeats": {"recipients": [{"recipient_name": p("recipient"), "recipient_country": "us"}]},
    }
    return Answers.model_validate(data)


def test_user_text_is_never_drawn_as_markdown_anywhere(app: App) -> None:
    with store() as s:
        hostile = s.create(hostile_assessment())
        s.snapshot(hostile.id, f"version {PAYLOAD}")
        s.save(hostile.id, hostile.answers.with_value("processor_is_ciio", True), hostile.revision)
    at = app({"a": hostile.id})
    for page in ("assessments", "route", "questionnaire", "results", "report"):
        goto(at, page)
        assert_no_user_markdown(at, page)
    goto(at, "questionnaire")
    for section in at.radio(key="pipia-section").options:
        at.radio(key="pipia-section").set_value(next(v for v in ["details", "screening", "processor", "recipient"]
                                                      if at.radio(key="pipia-section").format_func(v) == section))
        run(at)
        assert_no_user_markdown(at, f"questionnaire: {section}")
    goto(at, "assessments")
    menu(at, hostile.id)
    at.button(key=f"history-{hostile.id}-open").click()
    run(at)
    at.text_input(key=f"version-name-{hostile.id}").input(f"named {PAYLOAD}")
    at.button(key=f"name-version-{hostile.id}").click()
    run(at)
    assert_no_user_markdown(at, "assessments: menu, history, a version named")
    at.button(key=f"duplicate-{hostile.id}").click()
    run(at)
    assert_no_user_markdown(at, "assessments: duplicated")
    at.button(key=f"delete-{hostile.id}").click()
    run(at)
    assert_no_user_markdown(at, "assessments: delete confirmation")


def test_a_conflict_shows_both_sides_as_plain_text(app: App) -> None:
    with store() as s:
        hostile = s.create(hostile_assessment())
    first = app({"a": hostile.id})
    second = goto(app({"a": hostile.id}), "questionnaire")
    goto(first, "questionnaire")
    first.radio(key="pipia-section").set_value("recipient")
    second.radio(key="pipia-section").set_value("recipient")
    run(first)
    run(second)
    first.text_input(key="w-recipients-0-recipient_name").input(f"first {PAYLOAD}")
    run(first)
    second.text_input(key="w-recipients-0-recipient_name").input(f"second {PAYLOAD}")
    run(second)
    assert [r for r in second.radio if str(r.key).startswith("pipia-merge-")]
    assert_no_user_markdown(second, "conflict")


def test_a_bad_timestamp_leaves_the_list_whole(app: App, data_dir: Path) -> None:
    first = app()
    assessment = create(first)
    import sqlite3  # noqa: PLC0415 - damage the file from outside

    with sqlite3.connect(data_dir / "pipia.db") as conn:
        conn.execute("UPDATE pipia_assessments SET updated_at = 'not a time' WHERE id = ?", (assessment,))
    at = app()
    assert [x for x in at.button if x.key == f"open-{assessment}"], "the damaged row is still listed"
    assert len([x for x in at.button if str(x.key).startswith("open-")]) == 2  # and the sample too


@pytest.mark.parametrize("valid", [True, False], ids=["imported", "refused"])
def test_an_uploaded_file_name_is_never_drawn_as_markdown(app: App, valid: bool) -> None:
    at = app()
    name = "![x](http:evil) **bold**.yaml"
    upload(at, name, VALID.encode() if valid else b"bank: {id: app-test\n")
    assert_no_user_markdown(at, "assessments: import")


# -- table questions: the row editor and spreadsheets ----------------------------------------------------------
def test_a_table_is_filled_one_row_at_a_time_in_a_form_and_a_half_filled_row_is_kept_but_open(app: App) -> None:
    at = app()
    assessment = create(at)
    open_section(at, "processor")
    at.text_input(key="w-data_inventory--cell-item").input("病历摘要")
    at.selectbox(key="w-data_inventory--cell-sensitive").set_value("health")
    at.button(key="w-data_inventory--save").click()
    run(at)
    assert stored(assessment).value("data_inventory") == [{"item": "病历摘要", "sensitive": "health"}]
    assert escape_markdown("第 1 行已保存，但仍缺少必填项：人数") in texts(at)
    assert at.selectbox(key="w-data_inventory--row").value == 0  # the row stays in the form to be finished
    at.number_input(key="w-data_inventory--cell-individuals").set_value(1200)
    at.button(key="w-data_inventory--save").click()
    run(at)
    assert stored(assessment).value("data_inventory") == [
        {"item": "病历摘要", "sensitive": "health", "individuals": 1200}]
    assert escape_markdown("第 1 行已保存。") in texts(at)
    at.selectbox(key="w-data_inventory--row").set_value(-1)
    run(at)
    assert at.text_input(key="w-data_inventory--cell-item").value == ""  # a new row starts empty, not "None"
    at.text_input(key="w-data_inventory--cell-item").input("员工邮箱")
    at.button(key="w-data_inventory--save").click()
    run(at)
    assert len(stored(assessment).value("data_inventory")) == 2
    assert "第 2 行缺少必填项：敏感类别、人数" in texts(at)
    at.button(key="w-data_inventory--delete").click()
    run(at)
    assert stored(assessment).value("data_inventory") == [
        {"item": "病历摘要", "sensitive": "health", "individuals": 1200}]


def test_a_table_is_imported_from_a_spreadsheet_and_a_bad_one_is_refused_cell_by_cell(app: App) -> None:
    at = app()
    assessment = create(at)
    open_section(at, "processor")
    at.session_state["w-data_inventory--files"] = True  # open the import / export popover
    run(at)
    bad = "数据项,敏感类别,人数\n手机号,保密,很多\n".encode()
    at.file_uploader(key="w-data_inventory--upload").upload("清单.csv", bad)
    run(at)
    assert escape_markdown("清单.csv 未导入（2 处问题）") in texts(at)
    assert escape_markdown("清单.csv:2: 敏感类别: “保密”不是可选项") in texts(at)
    assert stored(assessment).value("data_inventory") is None
    good = b"Item,Sensitive category,Individuals\nphone,Not sensitive,20\nrecord,Health,5\n"
    at.file_uploader(key="w-data_inventory--upload").upload("inventory.csv", good)
    run(at)
    assert escape_markdown("已从 inventory.csv 导入 2 行。") in texts(at)
    assert stored(assessment).value("data_inventory") == [
        {"item": "phone", "sensitive": "none", "individuals": 20},
        {"item": "record", "sensitive": "health", "individuals": 5}]


def test_a_long_list_of_assessments_is_shown_a_page_at_a_time_with_each_bank_looked_up_once(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipia.ui import assessments as list_page  # noqa: PLC0415
    from pipia.ui import session  # noqa: PLC0415
    from pipia.ui.summary import store_summary  # noqa: PLC0415

    at = app()
    with store() as s:
        first = s.list_assessments()[0]
        sample = s.get(first.id).answers
        completeness, risk = store_summary(session.bank(first.bank_id).bank, sample)
        s.save(first.id, sample, first.revision, completeness=completeness, risk=risk)
        for i in range(2 * list_page.PAGE_SIZE + 3):
            s.create(sample, title=f"评估 {i:03d}", completeness=completeness, risk=risk)
    lookups: list[str] = []
    bank = session.bank
    def counted(bank_id: str) -> LoadedBank:
        lookups.append(bank_id)
        return bank(bank_id)

    monkeypatch.setattr(session, "bank", counted)
    run(at)
    rows = [b for b in at.button if (b.key or "").startswith("open-")]
    assert len(rows) == list_page.PAGE_SIZE
    assert len(set(lookups)) == len(lookups), "each bank's title is looked up once per page, not once per row"
    seen = [b.key for b in rows]
    for number in (2, 3):
        at.number_input(key="pipia-list-page").set_value(number)
        run(at)
        seen += [b.key for b in at.button if (b.key or "").startswith("open-")]
    assert len(seen) == len(set(seen)) == 2 * list_page.PAGE_SIZE + 4, "the pages show every assessment once"
    assert "第 51–54 项，共 54 项" in texts(at)
    at.text_input(key="pipia-search").input("评估 007")
    run(at)
    assert len([b for b in at.button if (b.key or "").startswith("open-")]) == 1, "a search starts on its one page"


def test_an_assessment_is_evaluated_once_per_revision_whatever_the_pages_and_reruns(
        app: App, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipia.assessment.evaluation import evaluate as real  # noqa: PLC0415
    from pipia.ui import session  # noqa: PLC0415

    evaluated: list[Answers] = []

    def counted(bank: Any, answers: Answers) -> Any:
        evaluated.append(answers)
        return real(bank, answers)

    monkeypatch.setattr(session, "evaluate", counted)
    assessment = answered(data_dir)
    at = goto(app({"a": assessment}), "results")
    for page in ("route", "questionnaire", "results", "report", "route"):
        goto(at, page)
    run(at)
    assert len(evaluated) == 1
    before = at.radio(key="w-processor_is_ciio").value
    at.radio(key="w-processor_is_ciio").set_value("yes" if before != "yes" else "no")
    run(at)  # the save evaluates the new answers for the store's summary; the page reuses that
    assert len(evaluated) == 2 and evaluated[-1].value("processor_is_ciio") is (before != "yes")
    for page in ("results", "questionnaire", "route"):
        goto(at, page)
    assert len(evaluated) == 2


def test_the_route_page_writes_the_date_it_judges_at_as_chinese_writes_dates(app: App, data_dir: Path) -> None:
    screened = VALID.replace("answers:\n", "answers:\n  important_data: no\n  exemptions: [none]\n"
                                          "  individuals_sensitive: 0\n")
    with store() as s:
        assessment = s.create(answers_mod.parse(screened, "a.yaml")[0]).id
    at = goto(app({"a": assessment}), "route")
    shown = texts(at)
    assert "判断日期 2026年3月1日" in shown, shown


def test_a_destination_profile_checked_over_a_year_before_the_assessment_date_is_flagged(app: App) -> None:
    # As in the report: laws abroad change, and the signer must know the profile may be out of date.
    at = app()
    assessment = create(at)
    destinations = load_bank(stored(assessment).bank.id, [APP_BANK]).destinations
    assert destinations is not None
    checked = destinations.by_id["sg"].as_of
    for day, flagged in ((checked + dt.timedelta(days=30), False),
                         (checked.replace(year=checked.year + 1) + dt.timedelta(days=1), True)):
        open_section(at, "details")
        at.date_input(key="w-meta-assessment_date").set_value(day)
        run(at)
        open_section(at, "recipient")
        at.radio(key="w-recipients-0-recipient_country").set_value("sg")
        run(at)
        assert "新加坡以《个人数据保护法》规范个人数据处理。" in texts(at)
        warned = [w.value for w in at.warning if "已超过12个月" in w.value]
        assert bool(warned) == flagged, (day, warned)
