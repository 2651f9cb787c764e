"""The action plan on the results page: each finding's action with owner, due date, status and evidence,
overdue ones first and in red, and the plan and its dates to download (.xlsx, .csv, .ics)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from pipia.assessment.scoring import Result
from pipia.exports import calendar, plan_csv, plan_xlsx
from pipia.i18n import Lang
from pipia.store import StoreError
from pipia.team.actions import STATUS_LABELS, STATUSES, Action, ActionError, ActionRecord, Status, plan
from pipia.ui import failures, session
from pipia.ui.text import t, tn
from pipia.ui.values import escape_markdown
from pipia.ui.widgets import View

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_COLOURS = {"open": "gray", "in_progress": "blue", "done": "green", "risk_accepted": "violet"}


def today() -> dt.date:
    """Today's date, the day overdue actions are judged on (a function so tests can fix the day)."""
    return dt.date.today()


def overdue_banner(lang: Lang, count: int) -> None:
    """Show a red banner with the number of overdue actions, when there are any."""
    if count:
        st.error(tn(lang, "actions_overdue", count), icon=":material/alarm:")


def section(view: View, result: Result) -> None:
    """The tracked action plan of the open assessment."""
    lang, doc = view.lang, session.doc()
    if doc is None or not result.findings:
        return
    store = session.store()
    try:
        records = store.actions(doc.id)
        editable = store.can(doc.id, "edit")
    except StoreError:
        return
    actions = plan(result.findings, records)
    now = today()
    st.subheader(t(lang, "action_plan"), anchor=False)
    st.caption(t(lang, "action_plan_intro"))
    late = [a for a in actions if a.overdue(now)]
    overdue_banner(lang, len(late))
    _downloads(view, actions, now)
    for action in sorted(actions, key=lambda a: (not a.overdue(now), a.number)):
        _action(view, doc.id, action, now, editable=editable)


def _action(view: View, assessment_id: str, action: Action, now: dt.date, *, editable: bool) -> None:
    lang, record = view.lang, action.record
    badges = [f":{STATUS_COLOURS[record.status]}-badge[{STATUS_LABELS[record.status](lang)}]"]
    if action.overdue(now):
        badges.append(f":red-badge[:material/alarm: {t(lang, 'overdue')}]")
    if record.due:
        badges.append(f":gray-badge[{t(lang, 'due_on', day=record.due.isoformat())}]")
    title = f"{t(lang, 'finding_number', n=action.number)} · {action.finding.text(lang)}"
    # Drawn only when opened: a closed expander's form still costs the browser its fields at every run of the
    # page, ~270 of the results page's 438 elements for the sample's 18 actions. A saved change alters the
    # badges, hence the label, and Streamlit then draws the expander anew, closed, showing the new status.
    box = st.expander(f"{escape_markdown(title[:120])}  {' '.join(badges)}", key=f"action-{action.key}",
                      on_change="rerun")
    if not box.open:
        return
    with box:
        st.markdown(f":material/build: {escape_markdown(action.finding.action(lang))}")
        with st.form(f"action-form-{action.key}", border=False):
            left, right = st.columns(2)
            owner = left.text_input(t(lang, "action_owner"), value=record.owner, disabled=not editable)
            due = right.date_input(t(lang, "action_due"), value=record.due, disabled=not editable,
                                   format="YYYY-MM-DD")
            status: Status = st.radio(t(lang, "action_status"), STATUSES, index=STATUSES.index(record.status),
                                      format_func=lambda s: STATUS_LABELS[s](lang), horizontal=True,
                                      disabled=not editable)
            evidence = st.text_area(t(lang, "action_evidence"), value=record.evidence, disabled=not editable,
                                    height=68, help=t(lang, "action_evidence_help"))
            justification = st.text_area(t(lang, "action_justification"), value=record.justification,
                                         disabled=not editable, height=68, help=t(lang, "action_justification_help"))
            if st.form_submit_button(t(lang, "action_save"), disabled=not editable, type="primary"):
                _save(assessment_id, ActionRecord(action.key, owner=owner, due=due if isinstance(due, dt.date)
                                                  else None, status=status, evidence=evidence,
                                                  justification=justification))
        if record.updated_by:
            st.caption(t(lang, "action_updated", who=escape_markdown(record.updated_by),
                         when=record.updated_at.strftime("%Y-%m-%d %H:%M") if record.updated_at else ""))


def _save(assessment_id: str, record: ActionRecord) -> None:
    lang = session.lang()
    try:
        session.store().track(assessment_id, record)
    except ActionError as exc:
        st.error(exc.said(lang))
        return
    except StoreError as exc:
        st.error(t(lang, "action_not_saved", error=failures.store_message(exc, lang)))
        return
    st.rerun()


def _downloads(view: View, actions: list[Action], now: dt.date) -> None:
    lang, doc = view.lang, session.doc()
    assert doc is not None
    meta = view.answers.meta
    title = meta.title or meta.organisation or "PIPIA"
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in title)[:60] or "pipia"
    route = view.evaluation.route
    deadlines = route.deadlines if route is not None else ()

    def ics() -> bytes:
        return calendar(doc.id, title, deadlines, actions, assessment_date=meta.assessment_date, lang=lang,
                        now=dt.datetime.now(dt.UTC))

    files: list[tuple[str, str, Callable[[], bytes | str], str, str]] = [
        ("download_plan_xlsx", t(lang, "download_plan_xlsx"), lambda: plan_xlsx(actions, lang, now, title),
         f"{stem}-plan.xlsx", XLSX),
        ("download_plan_csv", t(lang, "download_plan_csv"), lambda: plan_csv(actions, lang, now).encode("utf-8-sig"),
         f"{stem}-plan.csv", "text/csv"),
        ("download_calendar", t(lang, "download_calendar"), ics, f"{stem}.ics", "text/calendar"),
    ]
    with st.container(horizontal=True):
        for key, label, build, name, mime in files:
            st.download_button(label, data=failures.download(build, lang), file_name=name, mime=mime,
                               on_click="ignore", icon=":material/download:", key=f"pipia-{key}")
