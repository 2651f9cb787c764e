"""Assessments: the list, a new one from a bank, an answers file imported, and each one's actions."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from pipia.bank.format import LoadedBank
from pipia.errors import BankError, NotFoundError
from pipia.i18n import Lang
from pipia.store import ListPage, StoreError, Summary
from pipia.team.signin import settings
from pipia.ui import failures, history, nav, session, team
from pipia.ui.clock import local_time
from pipia.ui.summary import MAX_UPLOAD_MB, check_upload, new_answers, store_summary
from pipia.ui.text import ANSWER_EXPORTS, BANK_ROUTES, risk_badge, t, tn
from pipia.ui.values import escape_markdown

_FORMATS: tuple[tuple[Literal["yaml", "json"], str], ...] = (("yaml", "application/yaml"),
                                                             ("json", "application/json"))
_COLUMNS = [4, 1.6, 1.6, 1.4, 2]
_IMPORTED, _CONFIRM = "pipia.imported", "pipia.confirm-delete"
# Assessments saved before the app recorded their progress (the shipped sample) get it on first listing;
# a few per run keeps the list quick however many there are.
_BACKFILL_PER_RUN = 5
# Rows drawn per page: a rerun's cost follows the rows shown, not the number of assessments stored.
PAGE_SIZE = 25
_PAGE, _SEARCH, _ARCHIVED = "pipia-list-page", "pipia-search", "pipia-show-archived"


def page() -> None:
    """The assessments page: start a new assessment from a bank, import an answers file, and the list of assessments
    (archived ones included).
    """
    lang = session.lang()
    st.title(t(lang, "page_assessments"), anchor=False)
    st.caption(t(lang, "assessments_intro"))
    query, archived = st.session_state.get(_SEARCH, ""), bool(st.session_state.get(_ARCHIVED, False))
    listed = _listed(query, archived)
    new, upload = st.columns(2)
    with new:
        _new_assessment(lang, expanded=not listed.stored)
    with upload:
        _import(lang)
    _list(lang, listed)


# -- create ------------------------------------------------------------------------------------------------
def _new_assessment(lang: Lang, *, expanded: bool) -> None:
    offered = [(path, loaded) for path, loaded in session.banks() if isinstance(loaded, LoadedBank)]
    broken = [(path, error) for path, error in session.banks() if isinstance(error, BankError)]
    with st.expander(t(lang, "new_assessment"), icon=":material/add:", expanded=expanded):
        for path, error in broken:
            st.error(tn(lang, "bank_broken", len(error.errors), name=escape_markdown(path.name)))
        if not offered:
            st.info(t(lang, "no_banks"))
            return
        with st.form("pipia-new", border=False):
            # A radio, not a drop-down: the shipped banks' titles differ only at their end (the route).
            choice = st.radio(t(lang, "bank"), range(len(offered)), key="pipia-new-bank",
                              format_func=lambda i: _bank_name(offered[i][1], lang),
                              captions=[_bank_hint(loaded, lang) for _, loaded in offered])
            st.caption(t(lang, "bank_from_route"))
            organisation = st.text_input(t(lang, "organisation"), key="pipia-new-organisation")
            title = st.text_input(t(lang, "assessment_title"), placeholder=t(lang, "assessment_title_hint"),
                                  key="pipia-new-title")
            people = st.columns(3)
            assessor = people[0].text_input(t(lang, "assessor"), key="pipia-new-assessor")
            reviewer = people[1].text_input(t(lang, "meta_reviewer"), key="pipia-new-reviewer")
            approver = people[2].text_input(t(lang, "approver"), key="pipia-new-approver",
                                            help=t(lang, "approver_help"))
            day = st.date_input(t(lang, "assessment_date"), value=dt.date.today(), format="YYYY-MM-DD",
                                key="pipia-new-date")
            if st.form_submit_button(t(lang, "create"), type="primary", key="pipia-create"):
                loaded = offered[choice or 0][1]
                answers = new_answers(loaded, organisation=organisation, title=title, assessor=assessor,
                                      reviewer=reviewer, approver=approver,
                                      assessment_date=day if isinstance(day, dt.date) else None)
                completeness, risk = store_summary(loaded.bank, answers)
                created = session.store().create(answers, completeness=completeness, risk=risk)
                session.open_assessment(created.id)
                nav.switch(nav.ROUTE)


def _bank_name(loaded: LoadedBank, lang: Lang) -> str:
    return f"{loaded.bank.title(lang)} · {loaded.bank.version}"


def _bank_hint(loaded: LoadedBank, lang: Lang) -> str:
    route = loaded.bank.route
    return BANK_ROUTES[route](lang) if route != "any" else ""


# -- import ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Imported:
    name: str
    assessment: str | None
    problems: tuple[str, ...]
    warnings: tuple[str, ...]


def _import(lang: Lang) -> None:
    with st.expander(t(lang, "import_file"), icon=":material/upload_file:"):
        st.caption(t(lang, "import_hint", mb=MAX_UPLOAD_MB))
        st.file_uploader(t(lang, "answers_file"), type=["yaml", "yml", "json"], max_upload_size=MAX_UPLOAD_MB,
                         key="pipia-import", on_change=_uploaded)
        upload = st.session_state.get("pipia-import")
        result = st.session_state.get(_IMPORTED, {}).get(upload.file_id) if upload is not None else None
        if result is None:
            return
        if result.assessment is None:
            st.error(tn(lang, "import_failed", len(result.problems), name=escape_markdown(result.name)))
            st.code("\n".join(result.problems), language=None, wrap_lines=True)
            return
        st.success(t(lang, "imported", name=escape_markdown(result.name)))
        if result.warnings:
            st.code("\n".join(result.warnings), language=None, wrap_lines=True)
        if st.button(t(lang, "open"), key="pipia-open-imported", type="primary"):
            _open(result.assessment)


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _uploaded() -> None:
    # Runs once per new file (a callback, before the page is drawn): a rerun never imports twice.
    upload = st.session_state.get("pipia-import")
    done: dict[str, _Imported] = st.session_state.setdefault(_IMPORTED, {})
    if upload is None or upload.file_id in done:
        return
    checked = check_upload(upload.name, upload.getvalue(), session.bank)
    lang = session.lang()
    problems = tuple(p.text(lang) for p in checked.problems if p.level == "error")
    warnings = tuple(p.text(lang) for p in checked.problems if p.level == "warning")
    created = None
    if checked.answers is not None:
        answers = checked.answers
        try:
            completeness, risk = store_summary(session.bank(answers.bank.id).bank, answers)
        except (NotFoundError, BankError):
            completeness, risk = None, None
        created = session.store().create(answers, completeness=completeness, risk=risk).id
    done[upload.file_id] = _Imported(upload.name, created, problems, warnings)


# -- the list ----------------------------------------------------------------------------------------------
def _listed(query: str, archived: bool) -> ListPage:
    """The page of the list chosen, read from the store alone: what it costs follows the rows shown."""
    store = session.store()
    wanted = max(int(st.session_state.get(_PAGE, 1) or 1), 1)
    listed = store.list_page(start=(wanted - 1) * PAGE_SIZE, count=PAGE_SIZE, query=query,
                             include_archived=archived)
    last = max(-(-listed.matching // PAGE_SIZE), 1)
    if wanted > last:  # fewer pages since (a search, a deletion): the last one there is
        st.session_state[_PAGE] = last
        listed = store.list_page(start=(last - 1) * PAGE_SIZE, count=PAGE_SIZE, query=query,
                                 include_archived=archived)
    if _backfill(listed.rows):
        listed = store.list_page(start=(min(wanted, last) - 1) * PAGE_SIZE, count=PAGE_SIZE, query=query,
                                 include_archived=archived)
    return listed


def _list(lang: Lang, listed: ListPage) -> None:
    st.subheader(t(lang, "your_assessments"), anchor=False)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input(t(lang, "search"), placeholder=t(lang, "search_hint"), key=_SEARCH, width=320,
                      on_change=_first_page)
        st.toggle(t(lang, "show_archived"), key=_ARCHIVED, on_change=_first_page)
    if not listed.rows:
        st.info(t(lang, "no_assessments" if not listed.stored else "nothing_matches"))
        return
    page_rows = listed.rows
    _pager(lang, listed)
    header = st.columns(_COLUMNS, vertical_alignment="bottom")
    headings = (t(lang, "col_assessment"), t(lang, "col_changed"), t(lang, "col_complete"), t(lang, "col_risk"), "")
    for column, heading in zip(header, headings, strict=True):
        if heading:
            column.caption(f"**{heading}**")
    opened = session.doc()
    labels = _bank_labels({s.bank_id for s in page_rows}, lang)
    overdue = session.store().overdue_counts(dt.date.today())
    for summary in page_rows:
        label = labels.get(summary.bank_id)
        _row(lang, summary, is_open=opened is not None and opened.id == summary.id,
             bank_label=f"{label} · {summary.bank_version}" if label else f"{summary.bank_id} {summary.bank_version}",
             overdue=overdue.get(summary.id, 0))


def _first_page() -> None:
    # A new search or the archive shown or hidden starts again at the first page.
    st.session_state[_PAGE] = 1


def _pager(lang: Lang, listed: ListPage) -> None:
    """The page number (once there is more than one page) and which rows of how many are shown."""
    pages = -(-listed.matching // PAGE_SIZE)
    if pages <= 1:
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        number = int(st.number_input(t(lang, "list_page"), min_value=1, max_value=pages, step=1, key=_PAGE,
                                     width=140) or 1)
        first = (number - 1) * PAGE_SIZE
        st.caption(t(lang, "list_range", first=first + 1, last=first + len(listed.rows), total=listed.matching))


def _bank_labels(bank_ids: set[str], lang: Lang) -> dict[str, str]:
    """Each bank's title, looked up once per bank (not once per row); absent when it cannot be loaded."""
    labels = {}
    for bank_id in bank_ids:
        try:
            labels[bank_id] = session.bank(bank_id).bank.title(lang)
        except (NotFoundError, BankError):
            continue
    return labels


def _row(lang: Lang, s: Summary, *, is_open: bool, bank_label: str, overdue: int = 0) -> None:
    with st.container(border=True, key=f"row-{s.id}"):
        name, changed, complete, risk, actions = st.columns(_COLUMNS, vertical_alignment="center")
        title = s.title or s.organisation or t(lang, "untitled")
        marks = (f" :blue-badge[{t(lang, 'open_now')}]" if is_open else "") + (
            f" :gray-badge[{t(lang, 'archived')}]" if s.archived else "") + (
            f" :red-badge[:material/alarm: {t(lang, 'overdue_actions', count=overdue)}]" if overdue else "")
        name.markdown(f"**{escape_markdown(title)}**{marks}")
        details = [escape_markdown(s.organisation)] if s.title and s.organisation else []
        name.caption(" · ".join([*details, escape_markdown(bank_label)]))
        changed.write(local_time(s.updated_at))
        if s.completeness is None:
            complete.write("—")
        else:
            done, required = s.completeness
            complete.progress(done / required if required else 1.0, text=f"{done}/{required}")
        risk.markdown(risk_badge(s.risk, lang) if s.risk else f":gray[{t(lang, 'risk_pending')}]")
        with actions, st.container(horizontal=True, horizontal_alignment="right"):
            if st.button(t(lang, "open"), key=f"open-{s.id}", type="primary"):
                _open(s.id)
            _menu(lang, s)
        if st.session_state.get(_CONFIRM) == s.id:
            _confirm_delete(lang, s)
        if history.is_open(s.id):
            history.panel(lang, s.id)
        if team.is_open(s.id):
            team.panel(lang, s.id)


def _menu(lang: Lang, s: Summary) -> None:
    # Opened on demand: a closed menu draws nothing, so a long list stays quick.
    with st.popover("", icon=":material/more_horiz:", help=t(lang, "more_actions"), key=f"menu-{s.id}",
                    on_change="rerun") as menu:
        if not menu.open:
            return
        st.button(t(lang, "duplicate"), icon=":material/content_copy:", key=f"duplicate-{s.id}",
                  on_click=failures.guarded(_duplicate), args=(s.id,), help=t(lang, "duplicate_help"), width="stretch")
        # What the user's role does not allow is not offered (the store refuses it anyway).
        manage = session.store().can(s.id, "manage")
        if settings().team:
            st.button(t(lang, "members"), icon=":material/group:", key=f"team-{s.id}-open", on_click=team.open_panel,
                      args=(s.id,), width="stretch")
        if manage and s.archived:
            st.button(t(lang, "unarchive"), icon=":material/unarchive:", key=f"unarchive-{s.id}",
                      on_click=failures.guarded(_archive), args=(s.id, False), width="stretch")
        elif manage:
            st.button(t(lang, "archive"), icon=":material/archive:", key=f"archive-{s.id}",
                      on_click=failures.guarded(_archive), args=(s.id, True), width="stretch")
        st.button(t(lang, "versions"), icon=":material/history:", key=f"history-{s.id}-open",
                  on_click=history.open_panel, args=(s.id,), width="stretch")
        stem = _file_stem(s)
        for fmt, mime in _FORMATS:
            st.download_button(ANSWER_EXPORTS[fmt](lang), data=failures.download(_exporter(s.id, fmt), lang),
                               file_name=f"{stem}.{fmt}", mime=mime, on_click="ignore", key=f"export-{fmt}-{s.id}",
                               icon=":material/download:", width="stretch")
        if manage:
            st.button(t(lang, "delete"), icon=":material/delete:", key=f"delete-{s.id}", on_click=_ask_delete,
                      args=(s.id,), width="stretch")


def _exporter(assessment_id: str, fmt: Literal["yaml", "json"]) -> Callable[[], str]:
    # Runs when the button is clicked, outside the script run: it must not touch the session.
    store = session.store()
    return lambda: store.export(assessment_id, fmt)


def _confirm_delete(lang: Lang, s: Summary) -> None:
    st.error(t(lang, "delete_confirm", name=escape_markdown(s.title or s.organisation or s.id)),
             icon=":material/warning:")
    with st.container(horizontal=True):
        st.button(t(lang, "delete_for_good"), key=f"delete-yes-{s.id}", type="primary",
                  on_click=failures.guarded(_delete), args=(s.id,))
        st.button(t(lang, "cancel"), key=f"delete-no-{s.id}", on_click=_ask_delete, args=(None,))


def _file_stem(s: Summary) -> str:
    name = s.title or s.organisation or s.bank_id
    # Keep letters of any script; drop what file systems or browsers refuse.
    return (re.sub(r'[\\/:*?"<>|\s]+', "-", name).strip("-.") or "assessment")[:80]


def _open(assessment_id: str) -> None:
    session.open_assessment(assessment_id)
    nav.switch(nav.QUESTIONNAIRE)


def _duplicate(assessment_id: str) -> None:
    copy = session.store().duplicate(assessment_id)
    session.flash("success", t(session.lang(), "duplicated", name=escape_markdown(copy.title)))


def _archive(assessment_id: str, archived: bool) -> None:
    if archived:
        session.store().archive(assessment_id)
    else:
        session.store().unarchive(assessment_id)


def _ask_delete(assessment_id: str | None) -> None:
    st.session_state[_CONFIRM] = assessment_id


def _delete(assessment_id: str) -> None:
    session.store().delete(assessment_id)
    st.session_state[_CONFIRM] = None
    opened = session.doc()
    if opened is not None and opened.id == assessment_id:
        session.close()
    session.flash("success", t(session.lang(), "deleted"))


def _backfill(rows: list[Summary]) -> bool:
    """Record progress and risk for the page's assessments stored without them (the shipped sample); whether
    any was recorded."""
    todo = [s for s in rows if s.completeness is None][:_BACKFILL_PER_RUN]
    store = session.store()
    done = False
    for s in todo:
        try:
            stored = store.get(s.id)
            completeness, risk = store_summary(session.bank(s.bank_id).bank, stored.answers)
            store.save(s.id, stored.answers, stored.revision, completeness=completeness, risk=risk)
            done = True
        except (NotFoundError, BankError, StoreError):
            continue
    return done
