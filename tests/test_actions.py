"""The action plan tracked to done: every finding is an action with owner, due date, status and evidence;
overdue ones stand out; the plan leaves as .xlsx and .csv and the dates as an .ics calendar, each read back
here by the library that a spreadsheet or calendar program would use."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import icalendar
import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from pipia.answers import format as answers_mod
from pipia.assessment.evaluation import evaluate
from pipia.assessment.findings import Finding
from pipia.assessment.scoring import score
from pipia.bank.loader import load_bank
from pipia.exports import calendar, plan_csv, plan_xlsx
from pipia.files.resources import samples_dir
from pipia.i18n import Localized
from pipia.report import build_report_context, make_report
from pipia.store import AccessDeniedError, Directory, Store, UnknownAssessmentError, UserStore
from pipia.team.actions import ActionError, ActionRecord, finding_keys, overdue, plan
from pipia.team.tracking import Tracking
from tests import report_support
from tests.store_support import answers

TODAY = dt.date(2026, 11, 30)


def finding(slot: str, severity: Any = "medium", *, blocking: bool = False, kind: Any = "gap",
            text: str = "问题", action: str = "整改") -> Finding:
    return Finding(question=slot.split("[", maxsplit=1)[0].rsplit(".", maxsplit=1)[-1], slot=slot, item=None, recipient=None,
                   dimension=None, severity=severity, blocking=blocking,
                   text=Localized(zh=text, en=f"{text} (en)"), action=Localized(zh=action, en=f"{action} (en)"),
                   kind=kind)


FINDINGS = [finding("a", "low"), finding("b", "high"), finding("c", "medium", blocking=True),
            finding("a", "low", kind="consistency"), finding("a", "low", kind="consistency")]


# -- the plan ------------------------------------------------------------------------------------------
def test_every_finding_is_an_action_numbered_as_the_report_numbers_them() -> None:
    actions = plan(FINDINGS, {})
    assert [(a.number, a.key) for a in actions] == [
        (1, "gap:c"), (2, "gap:b"), (3, "gap:a"), (4, "consistency:a"), (5, "consistency:a#2")]
    assert all(a.status == "open" and a.record.owner == "" and a.record.due is None for a in actions)


def test_keys_are_stable_when_findings_come_and_go() -> None:
    assert finding_keys(FINDINGS) == ["gap:a", "gap:b", "gap:c", "consistency:a", "consistency:a#2"]
    assert finding_keys(FINDINGS[1:]) == ["gap:b", "gap:c", "consistency:a", "consistency:a#2"]


def test_an_action_is_overdue_only_when_past_due_and_still_pending() -> None:
    records = {
        "gap:a": ActionRecord("gap:a", due=dt.date(2026, 11, 29), status="open"),
        "gap:b": ActionRecord("gap:b", due=dt.date(2026, 11, 29), status="in_progress"),
        "gap:c": ActionRecord("gap:c", due=dt.date(2026, 11, 30), status="open"),  # due today: not yet late
        "consistency:a": ActionRecord("consistency:a", due=dt.date(2026, 1, 1), status="done", evidence="工单 7"),
        "consistency:a#2": ActionRecord("consistency:a#2", due=dt.date(2026, 1, 1), status="risk_accepted",
                                        justification="业务必需"),
    }
    assert [a.key for a in overdue(plan(FINDINGS, records), TODAY)] == ["gap:b", "gap:a"]


@pytest.mark.parametrize(("record", "message"), [
    (ActionRecord("k", status="risk_accepted", justification="  "), "only with a justification"),
    (ActionRecord("k", status="done"), "only with the evidence"),
    (ActionRecord("k", status="closed"), "Unknown action status: closed"),  # type: ignore[arg-type]
])
def test_a_status_must_say_why(record: ActionRecord, message: str) -> None:
    with pytest.raises(ActionError, match=message):
        record.check()


# -- in the store --------------------------------------------------------------------------------------
def test_editors_track_actions_readers_see_them_and_strangers_get_nothing(store: Store) -> None:
    directory = Directory(store)
    owner = UserStore(store, directory.sign_in("owner@example.com"))
    created = owner.create(answers())
    owner.grant(created.id, "editor@example.com", "editor")
    owner.grant(created.id, "viewer@example.com", "viewer")
    editor = UserStore(store, directory.sign_in("editor@example.com"))
    viewer = UserStore(store, directory.sign_in("viewer@example.com"))
    stranger = UserStore(store, directory.sign_in("stranger@example.com"))

    kept = editor.track(created.id, ActionRecord("gap:a", owner=" 李雷 ", due=dt.date(2026, 12, 1)))
    assert (kept.owner, kept.updated_by) == ("李雷", "editor@example.com")
    editor.track(created.id, ActionRecord("gap:a", owner="李雷", due=dt.date(2026, 12, 1), status="done",
                                          evidence="整改报告 2026-11-28"))
    (stored,) = viewer.actions(created.id).values()
    assert (stored.status, stored.evidence, stored.due) == ("done", "整改报告 2026-11-28", dt.date(2026, 12, 1))
    with pytest.raises(AccessDeniedError):
        viewer.track(created.id, ActionRecord("gap:a", status="in_progress"))
    with pytest.raises(ActionError):
        editor.track(created.id, ActionRecord("gap:a", status="risk_accepted"))
    assert viewer.actions(created.id)["gap:a"].status == "done"  # a refused change changed nothing
    with pytest.raises(UnknownAssessmentError):
        stranger.actions(created.id)
    with pytest.raises(UnknownAssessmentError):
        stranger.track(created.id, ActionRecord("gap:a"))


def test_the_list_counts_overdue_actions_for_whoever_may_see_them(store: Store) -> None:
    directory = Directory(store)
    owner = UserStore(store, directory.sign_in("owner@example.com"))
    late, fine = owner.create(answers(), title="late"), owner.create(answers(), title="fine")
    owner.track(late.id, ActionRecord("gap:a", due=dt.date(2026, 11, 1)))
    owner.track(late.id, ActionRecord("gap:b", due=dt.date(2026, 11, 2), status="in_progress"))
    owner.track(late.id, ActionRecord("gap:c", due=dt.date(2026, 11, 2), status="done", evidence="x"))
    owner.track(fine.id, ActionRecord("gap:a", due=dt.date(2027, 1, 1)))
    assert owner.overdue_counts(TODAY) == {late.id: 2}
    assert UserStore(store, directory.sign_in("other@example.com")).overdue_counts(TODAY) == {}
    store.delete(late.id)
    assert owner.overdue_counts(TODAY) == {}


# -- exports -------------------------------------------------------------------------------------------
def tracked() -> list[Any]:
    hostile = finding("d", "high", text="=HYPERLINK(\"http://x\")", action="+cmd")
    records = {"gap:b": ActionRecord("gap:b", owner="王五", due=dt.date(2026, 11, 1), status="in_progress"),
               "gap:c": ActionRecord("gap:c", owner="-1", status="risk_accepted", justification="@已评估")}
    return plan([*FINDINGS[:3], hostile], records)


def test_the_xlsx_reads_back_with_every_action_and_no_formula() -> None:
    data = plan_xlsx(tracked(), "zh", TODAY, title="示例")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    rows = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert rows[0][:9] == ["序号", "境外接收方", "问题", "整改措施", "优先级", "责任人", "完成期限", "状态", "已逾期"]
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number["1"][2:9] == ["问题", "整改", "立即（构成出境障碍的问题）", "-1", "", "接受风险", ""]
    assert by_number["1"][10] == "@已评估"
    assert by_number["2"][5:9] == ["王五", "2026-11-01", "整改中", "是"]
    hostile = next(row for row in sheet.iter_rows() if row[2].value and str(row[2].value).startswith("="))
    assert hostile[2].data_type == "s" and hostile[3].value == "+cmd" and hostile[3].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet["A3"].fill.fgColor.rgb.endswith("F8D7DA")  # the overdue action stands out


def test_the_csv_reads_back_and_cannot_run_a_formula() -> None:
    text = plan_csv(tracked(), "en", TODAY)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["No.", "Overseas recipient", "Finding"]
    assert rows[2][5:9] == ["王五", "2026-11-01", "In progress", "yes"]
    assert [r[2] for r in rows[1:]].count("'=HYPERLINK(\"http://x\") (en)") == 1
    assert rows[1][5] == "'-1" and rows[1][10] == "'@已评估"


def test_the_calendar_parses_back_with_deadlines_retention_and_due_dates() -> None:
    sample, _ = answers_mod.read(samples_dir() / "crossborder-ecommerce.yaml")
    loaded = load_bank(sample.bank.id)
    route = evaluate(loaded.bank, sample).route
    assert route is not None and route.deadlines
    actions = plan(score(loaded.bank, sample).findings, {})
    first = actions[0]
    records = {first.key: ActionRecord(first.key, owner="李雷", due=dt.date(2027, 1, 15), status="in_progress"),
               actions[1].key: ActionRecord(actions[1].key, due=dt.date(2027, 1, 1), status="done", evidence="x")}
    data = calendar("abc123", "示例评估", route.deadlines, plan(score(loaded.bank, sample).findings, records),
                    assessment_date=sample.meta.assessment_date, lang="zh",
                    now=dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC))
    parsed = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    for d in route.deadlines:
        if d.met_on is None:
            event = events[f"abc123-{d.id}@pipia"]
            assert event.decoded("DTSTART") == d.date
            assert str(event["SUMMARY"]) == f"示例评估: {d.label('zh')}"
    retention = events["abc123-retention@pipia"]
    assert retention.decoded("DTSTART") == dt.date(2029, 10, 15)  # assessed 2026-10-15, kept three years
    due = events[f"abc123-action-{first.key}@pipia"]
    assert due.decoded("DTSTART") == dt.date(2027, 1, 15)
    assert due.decoded("DTEND") == dt.date(2027, 1, 16)
    assert "整改期限：问题1" in str(due["SUMMARY"]) and "李雷" in str(due["DESCRIPTION"])
    assert f"abc123-action-{actions[1].key}@pipia" not in events  # done: nothing left to remind of
    assert all(e.walk("VALARM") for e in events.values())


# -- in the report -------------------------------------------------------------------------------------
def test_the_report_shows_each_actions_status_and_evidence_in_chapter_2_and_the_action_plan() -> None:
    loaded, sample = report_support.sample()
    actions = plan(score(loaded.bank, sample).findings, {})
    first, second = actions[0], actions[1]
    tracking = Tracking(actions={
        first.key: ActionRecord(first.key, owner="李雷", due=dt.date(2026, 11, 1), status="in_progress"),
        second.key: ActionRecord(second.key, owner="韩梅梅", due=dt.date(2026, 12, 1), status="done",
                                 evidence="《数据出境整改报告》2026-11-20")}, today=TODAY)
    context = build_report_context(loaded, sample, "zh", tracking)
    by_number = {a["no"]: a for a in context["annex"]["actions"]}
    assert (by_number["1"]["status"], by_number["1"]["owner"], by_number["1"]["overdue"]) == ("整改中", "李雷", True)
    assert (by_number["2"]["status"], by_number["2"]["evidence"]) == ("已完成", "《数据出境整改报告》2026-11-20")
    assert by_number["3"]["status"] == "待整改" and not by_number["3"]["overdue"]
    in_chapter_2 = [f for item in context["chapter2"]["focus"] for f in item["findings"] if f["no"] == "2"]
    assert in_chapter_2 and all(f["evidence"] == "《数据出境整改报告》2026-11-20" for f in in_chapter_2)

    text = report_support.document_text(make_report(loaded, sample, "zh", tracking=tracking))
    assert "整改情况：整改中（已逾期；责任人：李雷；完成期限：2026年11月1日）" in text
    assert "已完成：《数据出境整改报告》2026-11-20" in text  # the action plan annex
    english = report_support.document_text(make_report(loaded, sample, "en", tracking=tracking))
    assert "Status: In progress (overdue; owner: 李雷" in english


def test_a_report_from_an_answers_file_alone_reads_the_banks_rectification_table_and_nothing_is_overdue() -> None:
    loaded, sample = report_support.sample()
    context = build_report_context(loaded, sample, "en")
    actions = context["annex"]["actions"]
    recorded = [a for a in actions if a["recorded"]]
    assert recorded and all(a["status"] and not a["status_code"] for a in recorded)  # the bank's own labels
    assert all(a["status"] == "" and a["rectification"] == "No fix recorded yet" for a in actions
               if not a["recorded"] and not a["mitigate"])
    assert not any(a["overdue"] for a in actions)


def test_in_the_app_a_tracked_action_speaks_for_its_finding_once_and_an_untracked_one_falls_back_to_the_bank() -> None:
    loaded, sample = report_support.sample()
    from_file = {a["no"]: a for a in build_report_context(loaded, sample, "zh")["annex"]["actions"]}
    in_bank = next(a for a in from_file.values() if a["recorded"])
    unrecorded = next(a for a in from_file.values() if not a["recorded"])
    actions = {a.number: a for a in plan(score(loaded.bank, sample).findings, {})}
    key = actions[int(in_bank["no"])].key
    tracking = Tracking(actions={key: ActionRecord(key, owner="李雷", status="in_progress")}, today=TODAY)
    context = build_report_context(loaded, sample, "zh", tracking)
    by_number = {a["no"]: a for a in context["annex"]["actions"]}
    # The store's record replaces the bank's row for that finding: one line, not two.
    assert by_number[in_bank["no"]]["rectification"] == "整改中（责任人：李雷）"
    assert by_number[in_bank["no"]]["status_code"] == "in_progress"
    in_chapter = [f for item in context["chapter2"]["focus"] for f in item["findings"] if f["no"] == in_bank["no"]]
    assert in_chapter and all(f["rectification"] == "整改中（责任人：李雷）" for f in in_chapter)
    # A finding the store has no record of, and the bank no row for, is open in the app.
    assert by_number[unrecorded["no"]]["status"] == "待整改" and not by_number[unrecorded["no"]]["recorded"]
    # Another finding with a bank row but no store record keeps the bank's row.
    others = [a for a in from_file.values() if a["recorded"] and a["no"] != in_bank["no"]]
    assert all(by_number[a["no"]]["rectification"] == a["rectification"] for a in others)
