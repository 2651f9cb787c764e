"""Review and approval: each section submitted and reviewed, the DPO's opinion, and the approver's decision.

What a user may do here follows their role on the assessment; the store checks it again on every step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from pipia.i18n import Lang
from pipia.store import AccessDeniedError, StoreError, UserStore
from pipia.team.review import STATUS_LABELS, VERDICTS, Event, ReviewError, ReviewState, Verdict
from pipia.ui import failures, session
from pipia.ui.clock import local_time
from pipia.ui.common import open_view
from pipia.ui.text import REVIEW_ATTESTATIONS, t, tn
from pipia.ui.values import escape_markdown
from pipia.ui.widgets import View

STATUS_COLOURS = {"not_submitted": "gray", "submitted": "blue", "acceptable": "green", "improvable": "orange",
                  "to_be_corrected": "red"}


def page() -> None:
    """The review page: the decision so far, each section's submission and the reviewers' verdicts, the DPO's opinion
    and, for approvers, the approval.
    """
    lang = session.lang()
    st.title(t(lang, "page_review"), anchor=False)
    st.caption(t(lang, "review_intro"))
    view = open_view(lang)
    doc = session.doc()
    if view is None or doc is None:
        return
    store = session.store()
    try:
        current = store.review(doc.id)
        can = {p: store.can(doc.id, p) for p in ("edit", "review", "approve")}
    except StoreError:
        return
    _decision(lang, current)
    for section in view.loaded.bank.sections:
        _section(view, store, doc.id, section.id, section.title(lang), current, can)
    _dpo(lang, store, doc.id, current, can["review"] or can["approve"])
    if can["approve"]:
        _approve(view, store, doc.id, current)


def _decision(lang: Lang, current: ReviewState) -> None:
    decision = current.decision
    if current.approved and decision is not None:
        st.success(t(lang, "review_approved", who=escape_markdown(decision.author_name),
                     when=local_time(decision.at), version=escape_markdown(decision.version_name or "")),
                   icon=":material/verified:")
    elif current.approval_dropped:
        st.warning(t(lang, "review_approval_dropped"), icon=":material/edit_note:")
    elif decision is not None and decision.kind == "rejected":
        st.error(t(lang, "review_rejected", who=escape_markdown(decision.author_name),
                   reason=escape_markdown(decision.text)))
    else:
        st.info(t(lang, "review_draft"), icon=":material/draft:")


def _section(view: View, store: UserStore, assessment_id: str, section_id: str, title: str, current: ReviewState,
             can: dict[str, bool]) -> None:
    lang, review = view.lang, current.section(section_id)
    with st.container(border=True, key=f"review-{section_id}"):
        badge = f":{STATUS_COLOURS[review.status]}-badge[{STATUS_LABELS[review.status](lang)}]"
        st.markdown(f"**{escape_markdown(title)}** {badge}")
        if review.last is not None:
            st.caption(_said(lang, review.last))
        if can["edit"] and review.status != "submitted" and st.button(
                t(lang, "review_submit"), key=f"review-submit-{section_id}", icon=":material/send:"):
            _do(lang, lambda: store.submit(assessment_id, section_id))
        if can["review"] and review.status == "submitted":
            with st.container(horizontal=True, vertical_alignment="bottom"):
                verdict: Verdict = st.radio(t(lang, "review_verdict"), VERDICTS, horizontal=True,
                                            format_func=lambda v: STATUS_LABELS[v](lang),
                                            key=f"review-verdict-{section_id}")
                comment = st.text_input(t(lang, "review_comment"), key=f"review-comment-{section_id}", width=420)
                if st.button(t(lang, "review_record"), key=f"review-record-{section_id}", type="primary"):
                    _do(lang, lambda: store.assess_section(assessment_id, section_id, verdict, comment))


def _dpo(lang: Lang, store: UserStore, assessment_id: str, current: ReviewState, allowed: bool) -> None:
    st.subheader(t(lang, "review_dpo"), anchor=False)
    if current.dpo_opinion is not None:
        st.markdown(escape_markdown(current.dpo_opinion.text))
        st.caption(_said(lang, current.dpo_opinion))
    if allowed:
        opinion = st.text_area(t(lang, "review_dpo_opinion"), key="review-dpo", height=80)
        if st.button(t(lang, "review_dpo_save"), key="review-dpo-save"):
            _do(lang, lambda: store.dpo_opinion(assessment_id, opinion))


def _approve(view: View, store: UserStore, assessment_id: str, current: ReviewState) -> None:
    lang = view.lang
    st.subheader(t(lang, "review_decide"), anchor=False)
    sections = [s.id for s in view.loaded.bank.sections]
    pending = current.pending(sections)
    if pending:
        st.caption(tn(lang, "review_pending", len(pending)))
    attested = tuple(st.checkbox(a(lang), key=f"review-attest-{i}")
                     for i, a in enumerate(REVIEW_ATTESTATIONS, start=1))
    meta = view.answers.meta
    default = t(lang, "review_version_default", name=meta.title or meta.organisation or "PIPIA",
                day=dt.date.today().isoformat())
    name = st.text_input(t(lang, "review_version"), value=default, key="review-version")
    opinion = st.text_input(t(lang, "review_approval_opinion"), key="review-approval-opinion")
    if st.button(t(lang, "review_approve"), key="review-approve", type="primary", icon=":material/verified:"):
        _do(lang, lambda: store.approve(assessment_id, sections, (attested[0], attested[1], attested[2]), name,
                                        opinion))
    reason = st.text_input(t(lang, "review_reject_reason"), key="review-reject-reason")
    if st.button(t(lang, "review_reject"), key="review-reject", icon=":material/block:"):
        _do(lang, lambda: store.reject(assessment_id, reason))


def _said(lang: Lang, event: Event) -> str:
    said = f" — {event.text}" if event.text else ""
    who = escape_markdown(event.author_name)
    return t(lang, "review_by", who=who, when=local_time(event.at)) + escape_markdown(said)


def _do(lang: Lang, step: Callable[[], ReviewState]) -> None:
    try:
        step()
    except ReviewError as exc:
        st.error(exc.said(lang))
        return
    except AccessDeniedError:
        st.error(t(lang, "review_not_allowed"))
        return
    except StoreError as exc:
        st.error(t(lang, "review_failed", error=failures.store_message(exc, lang)))
        return
    st.rerun()
