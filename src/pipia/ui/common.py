"""Pieces several pages draw: the open assessment as a View (or why there is none), the assessment's
own details, and question lists."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pipia.assessment import visibility
from pipia.assessment.evaluation import Evaluation
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
    return [s for s in state.visible if s.section.id == section.id and (item is None or s.item == item)]


def number(view: View, section: Section, question_id: str) -> str:
    """The number shown before a question, '<section>.<question>' counted from 1, e.g. '3.2'."""
    sections = view.loaded.bank.sections
    s = sections.index(section) + 1
    q = next(i for i, x in enumerate(section.questions, 1) if x.id == question_id)
    return f"{s}.{q}"


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
    """The visible questions of a section, each drawn on its own (see ``_asked``)."""
    focus = session.here().question
    st.session_state[_AROUND] = around(view.evaluation)
    for slot in section_slots(view, state, section, item):
        numbered = number(view, section, slot.question.id)
        if slot.question.type == "table":  # the table editor reruns the page itself when a row is saved
            widgets.question(view, slot, numbered, focus=slot.question.id == focus)
        else:
            _asked(slot.key, numbered, slot.question.id == focus)


@st.fragment
def _asked(key: str, numbered: str, focus: bool) -> None:
    """One question, as a fragment: answering it reruns this question alone (an answer is saved in a
    fraction of the time a whole page takes to draw), unless the answer changes something drawn around
    it — which questions show, progress, an item's name, a destination, the route, the save status —
    when the whole page runs again. A fragment rerun is called with the arguments of the page's run, so
    the answers are read afresh from the session."""
    view = _current_view()
    slot = view.evaluation.slot(key) if view is not None else None
    if view is None or slot is None or around(view.evaluation) != st.session_state.get(_AROUND):
        st.rerun(scope="app")
    else:
        widgets.question(view, slot, numbered, focus=focus)


# What the page draws around its questions, as of the page's last full run (see ``_asked``).
_AROUND = "pipia.around"


def around(evaluation: Evaluation) -> tuple[object, ...]:
    """What, besides a question itself, depends on the answers on the questionnaire and route pages: the
    visible questions and which required ones are answered (progress), the items' names, the answers that
    pick a destination profile, the route or why it is not decided, and how the last save went."""
    state, bank, current = evaluation.state, evaluation.bank, session.doc()
    destinations = {s.destination_from for s in bank.sections if s.destination_from is not None}
    return (
        tuple((s.key, s.question.required and visibility.answered(s.question, state.value(s))) for s in state.visible),
        tuple(evaluation.name(g.id, i) for g in bank.repeat_groups for i in range(len(evaluation.answers.items(g.id)))),
        tuple(state.value(s) for s in state.visible if s.question.id in destinations),
        evaluation.route, evaluation.route_reasons,
        (current.unsaved, current.conflict, current.gone) if current is not None else None,
        session.has_flashes(),
    )


def _current_view() -> View | None:
    """The open assessment as it is now, without drawing anything (None when there is none)."""
    current = session.doc()
    if current is None:
        return None
    try:
        loaded = session.bank(current.answers.bank.id)
    except (NotFoundError, BankError):
        return None
    return View(session.lang(), loaded, current.answers)


def incomplete_note(view: View) -> None:
    """A reminder that a result or report drawn from an incomplete assessment is provisional."""
    state = view.evaluation.state
    if not state.complete:
        done, required = state.progress()
        st.warning(t(view.lang, "incomplete_note", done=done, total=required), icon=":material/pending:")
