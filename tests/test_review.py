"""Review and approval, enforced by the store on SQLite and PostgreSQL: sections submitted and reviewed one
by one, "to be corrected" reopens, the DPO's opinion, approval with its three attestations (frozen as a named
version) or rejection with a reason; an edit after approval drops it."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document

from pipia.i18n import Lang
from pipia.report import build_report_context, make_report
from pipia.store import AccessDeniedError, Directory, Role, Store, UnknownAssessmentError, UserStore
from pipia.team.review import Event, ReviewError, state
from pipia.team.tracking import Tracking
from tests import report_support
from tests.store_support import answers

SECTIONS = ["screening", "processor", "recipients"]
ALL_TRUE = (True, True, True)


def team(store: Store) -> tuple[str, dict[str, UserStore]]:
    directory = Directory(store)
    owner = UserStore(store, directory.sign_in("owner@example.com", "欧阳"))
    created = owner.create(answers())
    people = {"owner": owner}
    for role in ("editor", "reviewer", "approver", "viewer"):
        owner.grant(created.id, f"{role}@example.com", role)
        people[role] = UserStore(store, directory.sign_in(f"{role}@example.com", role.title()))
    people["stranger"] = UserStore(store, directory.sign_in("stranger@example.com"))
    return created.id, people


def reviewed(a: str, p: dict[str, UserStore], sections: list[str] = SECTIONS) -> None:
    for section in sections:
        p["editor"].submit(a, section)
        p["reviewer"].assess_section(a, section, "acceptable")


def test_the_whole_cycle_ends_in_an_approval_frozen_as_a_named_version(store: Store) -> None:
    a, p = team(store)
    p["editor"].submit(a, "screening")
    p["editor"].submit(a, "processor")
    p["reviewer"].assess_section(a, "screening", "acceptable")
    sent_back = p["reviewer"].assess_section(a, "processor", "to_be_corrected", "处理者名称与营业执照不一致")
    assert sent_back.section("processor").status == "to_be_corrected"
    assert sent_back.section("processor").last.text == "处理者名称与营业执照不一致"  # type: ignore[union-attr]
    with pytest.raises(ReviewError, match="not submitted"):  # reopened: it must be submitted again
        p["reviewer"].assess_section(a, "processor", "acceptable")
    current = p["editor"].get(a)
    p["editor"].save(a, current.answers.with_value("consent", False), current.revision)
    p["editor"].submit(a, "processor")
    p["reviewer"].assess_section(a, "processor", "improvable", "建议补充数据流图")
    reviewed(a, p, ["recipients"])
    p["approver"].dpo_opinion(a, "同意出境，整改计划可行。")
    done = p["approver"].approve(a, SECTIONS, ALL_TRUE, "2026年度评估（已批准）", "评估描述准确")
    assert done.approved and done.decision is not None
    assert (done.decision.author_name, done.decision.version_name) == ("Approver", "2026年度评估（已批准）")
    assert done.dpo_opinion is not None and done.dpo_opinion.text == "同意出境，整改计划可行。"
    named = p["viewer"].revisions(a, named_only=True)
    assert [(r.name, r.revision) for r in named] == [("2026年度评估（已批准）", p["viewer"].get(a).revision)]


def test_an_edit_after_approval_starts_a_new_version_and_drops_the_approval(store: Store) -> None:
    a, p = team(store)
    reviewed(a, p)
    approved = p["approver"].approve(a, SECTIONS, ALL_TRUE, "v1 approved")
    frozen = p["owner"].get(a)
    assert approved.approved
    p["editor"].save(a, frozen.answers.with_value("consent", False), frozen.revision)
    after = p["viewer"].review(a)
    assert not after.approved and after.approval_dropped
    assert p["viewer"].answers_at(a, frozen.revision) == frozen.answers  # the approved version is kept as it was
    assert p["viewer"].revisions(a, named_only=True)[0].revision == frozen.revision


def test_approval_needs_the_three_attestations_and_every_section_reviewed(store: Store) -> None:
    a, p = team(store)
    reviewed(a, p, SECTIONS[:2])
    with pytest.raises(ReviewError, match="not yet reviewed as acceptable"):
        p["approver"].approve(a, SECTIONS, ALL_TRUE, "v")
    reviewed(a, p, ["recipients"])
    for attested in [(False, True, True), (True, False, True), (True, True, False)]:
        with pytest.raises(ReviewError, match="description is accurate, the risks are understood"):
            p["approver"].approve(a, SECTIONS, attested, "v")
    assert not p["viewer"].review(a).approved
    assert p["viewer"].revisions(a, named_only=True) == []  # nothing was frozen by a refused approval


def test_a_rejection_needs_a_reason_and_is_recorded(store: Store) -> None:
    a, p = team(store)
    with pytest.raises(ReviewError, match="needs a reason"):
        p["approver"].reject(a, "  ")
    rejected = p["approver"].reject(a, "境外接收方安全措施说明不足")
    assert rejected.decision is not None and rejected.decision.kind == "rejected" and not rejected.approved
    assert rejected.decision.text == "境外接收方安全措施说明不足"


def test_a_verdict_other_than_acceptable_needs_a_comment(store: Store) -> None:
    a, p = team(store)
    p["editor"].submit(a, "screening")
    with pytest.raises(ReviewError, match="needs a comment"):
        p["reviewer"].assess_section(a, "screening", "improvable", " ")
    with pytest.raises(ReviewError, match="already awaits review"):
        p["editor"].submit(a, "screening")


# Who may take each review step: the specification, role by role.
STEPS: dict[str, Callable[[UserStore, str], Any]] = {
    "review": lambda s, a: s.review(a),
    "submit": lambda s, a: s.submit(a, "screening"),
    "assess_section": lambda s, a: s.assess_section(a, "screening", "acceptable"),
    "dpo_opinion": lambda s, a: s.dpo_opinion(a, "同意"),
    "approve": lambda s, a: s.approve(a, ["screening"], ALL_TRUE, "approved"),
    "reject": lambda s, a: s.reject(a, "理由"),
}
MAY: dict[str, set[str]] = {
    "owner": {"review", "submit"},
    "editor": {"review", "submit"},
    "reviewer": {"review", "assess_section", "dpo_opinion"},
    "approver": {"review", "dpo_opinion", "approve", "reject"},
    "viewer": {"review"},
}


@pytest.mark.parametrize("role", list(MAY))
@pytest.mark.parametrize("step", list(STEPS))
def test_each_review_step_is_for_its_role_only(store: Store, role: Role, step: str) -> None:
    a, p = team(store)
    # Set the stage so the step itself could go through: the section submitted (or reviewed, to approve).
    if step == "assess_section":
        p["editor"].submit(a, "screening")
    if step == "approve":
        reviewed(a, p, ["screening"])
    before = p["owner"].review(a).events
    if step in MAY[role]:
        STEPS[step](p[role], a)
    else:
        with pytest.raises(AccessDeniedError):
            STEPS[step](p[role], a)
        assert p["owner"].review(a).events == before
    with pytest.raises(UnknownAssessmentError):
        STEPS[step](p["stranger"], a)


# -- in the report -------------------------------------------------------------------------------------
def headers(docx: bytes) -> list[str]:
    document = Document(io.BytesIO(docx))
    return [p.text for section in document.sections
            for part in (section.header, section.first_page_header, section.even_page_header)
            for p in part.paragraphs if p.text.strip()]


def event(kind: Any, who: str, name: str, day: int, *, section: str | None = None, text: str = "",
          revision: int = 3, version: str | None = None) -> Event:
    return Event(kind=kind, revision=revision, at=dt.datetime(2026, 11, day, 2, tzinfo=dt.UTC), author=who,
                 author_name=name, section=section, text=text, version_name=version)


def approved_log(loaded: Any, revision: int = 3) -> list[Event]:
    sections = [s.id for s in loaded.bank.sections]
    log = [event("submitted", "e@x.cn", "张编辑", 20, section=s) for s in sections]
    log += [event("acceptable", "r@x.cn", "李审核", 21, section=s) for s in sections[1:]]
    log.append(event("improvable", "r@x.cn", "李审核", 21, section=sections[0], text="补充筛查依据"))
    log.append(event("dpo_opinion", "d@x.cn", "王负责人", 22, text="同意按整改计划出境。"))
    log.append(event("approved", "a@x.cn", "赵批准", 23, text="", version="2026 年度（已批准）", revision=revision))
    return log


def test_an_approved_report_carries_the_names_roles_dates_and_opinions_and_is_no_draft() -> None:
    loaded, sample = report_support.sample()
    review = state(approved_log(loaded), current_revision=3)
    tracking = Tracking(review=review)
    context = build_report_context(loaded, sample, "zh", tracking)
    assert context["cover"]["draft"] is False
    rows = [(r["role"], r["name"], r["date"]) for r in context["annex"]["approval"]["signoffs"]]
    assert rows == [("评估人员", "张编辑", "2026年11月20日"), ("审核人", "李审核", "2026年11月21日"),
                    ("个人信息保护负责人", "王负责人", "2026年11月22日"), ("批准人", "赵批准", "2026年11月23日")]
    docx = make_report(loaded, sample, "zh", tracking=tracking)
    text = report_support.document_text(docx)
    assert "同意按整改计划出境。" in text and "补充筛查依据" in text
    assert "审批意见：批准。确认评估描述准确，已知悉评估发现的风险，接受整改计划。（批准版本：2026 年度（已批准））" in text
    assert headers(docx) and not any("草稿" in h for h in headers(docx))
    assert "本报告尚未经批准" not in text


def test_an_unapproved_report_says_draft_on_every_page() -> None:
    loaded, sample = report_support.sample()
    edited_since = Tracking(review=state(approved_log(loaded, revision=3), current_revision=4))
    drafts: list[tuple[Tracking | None, Lang, str]] = [
        (None, "zh", "【草稿】"), (edited_since, "zh", "【草稿】"), (None, "en", "[DRAFT]")]
    for tracking, lang, mark in drafts:
        docx = make_report(loaded, sample, lang, tracking=tracking)
        assert headers(docx) and all(h.startswith(mark) for h in headers(docx))
    text = report_support.document_text(make_report(loaded, sample, "zh", tracking=edited_since))
    assert "本报告尚未经批准，为草稿。" in text
    assert "赵批准" not in text  # an approval of other answers is not shown as this report's


def test_a_rejection_is_printed_with_its_reason_and_the_report_stays_a_draft() -> None:
    loaded, sample = report_support.sample()
    log = [event("rejected", "a@x.cn", "赵批准", 23, text="境外接收方安全措施说明不足")]
    context = build_report_context(loaded, sample, "zh", Tracking(review=state(log, 3)))
    assert context["cover"]["draft"] is True
    assert context["annex"]["approval"]["statement"] == "不予批准。理由：境外接收方安全措施说明不足"
