"""Pieces several pages draw: the open assessment as a View (or why there is none), the assessment's
own details, and question lists."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pipia.assessment.visibility import Slot, State
from pipia.bank.format import Section
from pipia.errors import BankError, NotFoundError
from pipia.i18n import Lang
from pipia.ui import failures, nav, session, widgets
from pipia.ui.text import META_FIELDS, t, tn
from pipia.ui.values import escape_markdown
from pipia.ui.widgets import View

_META_FIELDS = ("title", "organisation", "assessor", "reviewer")


def open_view(lang: Lang) -> View | None:
    """The open assessment with its bank; None (after saying why, with a way on) when there is none."""
    doc = session.doc()
    if doc is None:
        st.info(t(lang, "open_first"), icon=":material/folder_open:")
        nav.link(nav.ASSESSMENTS, t(lang, "go_assessments"))
        return None
    try:
        loaded = session.bank(doc.answers.bank.id)
    except NotFoundError:
        st.error(t(lang, "bank_missing", bank=escape_markdown(doc.answers.bank.id)))
        return None
    except BankError as exc:
        st.error(tn(lang, "bank_broken", len(exc.errors), name=escape_markdown(doc.answers.bank.id)))
        st.code(str(exc), language=None, wrap_lines=True)
        return None
    if loaded.bank.version != doc.answers.bank.version:
        st.caption(t(lang, "bank_version_changed", was=doc.answers.bank.version, now=loaded.bank.version))
    return View(lang, loaded, doc.answers)


def section_slots(view: View, state: State, section: Section, item: int | None = None) -> list[Slot]:
    """The visible questions of a section (of one item, for a repeated section), in the order asked."""
    return list(state.placed(section.id, item))


def number(view: View, section: Section, question_id: str) -> str:
    """The number shown before a question, '<section>.<question>' counted from 1, e.g. '3.2'."""
    return numbers(view, section)[question_id]


def numbers(view: View, section: Section) -> dict[str, str]:
    """The number shown before each question of ``section``, by question id (see ``number``)."""
    sections = view.loaded.bank.sections
    # The section is the bank's own object: found by identity, not by comparing every field of every section.
    s = next((i for i, x in enumerate(sections, 1) if x is section), None) or sections.index(section) + 1
    return {q.id: f"{s}.{i}" for i, q in enumerate(section.questions, 1)}


def details(view: View) -> None:
    """The assessment's own details: what it is called, whose it is, who assessed it and when."""
    lang, meta = view.lang, view.answers.meta
    for field in _META_FIELDS:
        key = f"{session.WIDGET_PREFIX}meta-{field}"
        if key not in st.session_state:
            st.session_state[key] = getattr(meta, field)
        st.text_input(META_FIELDS[field](lang), key=key, on_change=_meta_changed, args=(field,))
    assessment_date(view)


def assessment_date(view: View) -> None:
    """The assessment date field (required; 2000-2100), which saves into the answers' meta when changed; the route is
    judged as of this day.
    """
    key = f"{session.WIDGET_PREFIX}meta-assessment_date"
    if key not in st.session_state:
        st.session_state[key] = view.answers.meta.assessment_date
    st.date_input(t(view.lang, "assessment_date") + " :red[\\*]", value=None, format="YYYY-MM-DD", key=key,
                  help=t(view.lang, "assessment_date_help"), on_change=_meta_changed, args=("assessment_date",),
                  min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _meta_changed(field: str) -> None:
    doc = session.doc()
    if doc is None:
        return
    value = st.session_state[f"{session.WIDGET_PREFIX}meta-{field}"]
    if field != "assessment_date":
        value = str(value or "").strip()
    meta = doc.answers.meta.model_copy(update={field: value})
    session.commit(doc.answers.model_copy(update={"meta": meta}))


def questions(view: View, state: State, section: Section, item: int | None = None) -> None:
    """The visible questions of a section, in the order asked.

    Each answer reruns the whole page rather than the question alone: with every question an ``st.fragment``,
    the text the page resends after the server restarts (ui/keeper.py) was not saved (the browser test
    ``test_while_the_server_is_away_...`` catches it). Nothing typed may be lost for speed.
    """
    focus = session.here().question
    shown = numbers(view, section)
    slots = section_slots(view, state, section, item)
    widgets.comments(view, slots, shown, section.id if item is None else f"{section.id}-{item}")
    for slot in slots:
        widgets.question(view, slot, shown[slot.question.id], focus=slot.question.id == focus)


def incomplete_note(view: View) -> None:
    """A reminder that a result or report drawn from an incomplete assessment is provisional."""
    state = view.evaluation.state
    if not state.complete:
        done, required = state.progress()
        st.warning(t(view.lang, "incomplete_note", done=done, total=required), icon=":material/pending:")
