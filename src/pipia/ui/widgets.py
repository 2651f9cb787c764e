"""One widget per question type, as views of the canonical answers.

Each widget is keyed by where its answer goes (``Ref.key``). Before it is drawn, its state is seeded from
the canonical answers if Streamlit has none (first draw, or dropped because the question was hidden or
the page left); its ``on_change`` callback writes the new value into the canonical answers and saves
them. A hidden question is simply not drawn: its stored answer stays in the answers, untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import streamlit as st

from pipia.answers.format import Answers, Response
from pipia.assessment.evaluation import Evaluation
from pipia.assessment.visibility import Slot
from pipia.bank.format import LoadedBank, Question
from pipia.i18n import Lang
from pipia.model import Kept
from pipia.route.rules import route_names
from pipia.ui import failures, session, table_editor, values
from pipia.ui.session import WIDGET_PREFIX
from pipia.ui.text import t

# Assessments look back at past transfers and forward at deadlines; the default ±10 years is too short.
_EARLIEST, _LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)


@dataclass(frozen=True)
class Ref:
    """Where an answer goes: a question, and for repeated sections the group and item."""

    question: str
    group: str | None = None
    item: int | None = None

    @classmethod
    def of(cls, slot: Slot) -> Ref:
        """The place of the answer in ``slot``."""
        return cls(slot.question.id, slot.group, slot.item)

    @property
    def key(self) -> str:
        """The widget key of the answer, unique per question and repeat item; also the CSS class the browser tests find
        it by.
        """
        # Keys double as CSS classes (st-key-<key>) the browser tests find widgets by.
        where = f"{self.group}-{self.item}-" if self.group is not None else ""
        return f"{WIDGET_PREFIX}{where}{self.question}"

    def response(self, answers: Answers) -> Response | None:
        """The response at this place in ``answers``, or None."""
        return answers.response(self.question, self.item, self.group)


@dataclass(frozen=True)
class View:
    """What a page hands the widgets: the language, the bank and the answers of this run."""

    lang: Lang
    loaded: LoadedBank
    answers: Answers

    @property
    def evaluation(self) -> Evaluation:
        """What these answers come to (visibility, route, score, names), worked out once per revision."""
        return session.evaluation(self.loaded, self.answers)


def question(view: View, slot: Slot, number: str, *, focus: bool = False) -> None:
    """A question: its widget (with required marker and help), citations, condition, and comment."""
    q, ref, lang = slot.question, Ref.of(slot), view.lang
    response = ref.response(view.answers)
    text, tip, _ = _words(view, q)
    label = f"**{number}** {text}"
    # Boxed only when arrived at from a link (framed, scrolled to): every element drawn costs the browser time
    # at each answer.
    with st.container(border=True, key=f"box-{ref.key}") if focus else contextlib.nullcontext():
        if focus:
            st.caption(t(lang, "focus_here"))
        _WIDGETS[q.type](view, q, ref, label, tip, response.value if response else None)
        _footer(view, q, response)


def _words(view: View, q: Question) -> tuple[str, str, str]:
    """A question's own words as drawn: its text (with unit and required marker), its help (with the legal
    basis) and the note under it (the articles, why it is shown). The same at every rerun for a bank and a
    language, while each costs a pass of markdown escaping, citations and a condition put in words per
    question: worked out once, kept by the very bank object (banks are loaded once per version of the file)."""
    lang = view.lang
    key = (id(view.loaded), q.id, lang)
    kept = _WORDS.get(key, (view.loaded, q))
    if kept is not None:
        return kept
    text = values.escape_markdown(q.text(lang))
    if q.unit is not None:
        text += f" ({values.escape_markdown(q.unit(lang))})"
    if q.required:
        text += " :red[\\*]"
    parts = [values.escape_markdown(q.help(lang))] if q.help is not None else []
    notes = []
    if q.cites:
        cited = values.cite_list(view.loaded.sources, q.cites, lang)
        parts.append(f"**{t(lang, 'legal_basis')}**: {values.escape_markdown(cited)}")
        cited = values.cite_list(view.loaded.sources, q.cites, lang, short=True)
        notes.append(t(lang, "legal_basis_note", cited=values.escape_markdown(cited)))
    if q.show_if is not None:
        why = q.show_if.describe(lang, route_names(view.loaded.bank))
        notes.append(t(lang, "shown_because", why=values.escape_markdown(why)))
    return _WORDS.put(key, (view.loaded, q), (text, "\n\n".join(parts), " · ".join(notes)))


_WORDS: Kept[tuple[int, str, Lang], tuple[str, str, str]] = Kept(4096)


def _choices(view: View, q: Question, *, many: bool = False) -> tuple[Mapping[str, str], tuple[str, ...], bool]:
    """A choice question's options as drawn: each value's label, the values in order, and whether they sit on
    one line (``values.horizontal``). The same at every rerun for a bank and a language: kept as _words is."""
    key = (id(view.loaded), q.id, view.lang, many)
    kept = _CHOICES.get(key, (view.loaded, q))
    if kept is not None:
        return kept
    labels = {o.value: o.label(view.lang) for o in q.options}
    return _CHOICES.put(key, (view.loaded, q), (MappingProxyType(labels), tuple(labels),
                                                values.horizontal(q.options, view.lang, many=many)))


_CHOICES: Kept[tuple[int, str, Lang, bool], tuple[Mapping[str, str], tuple[str, ...], bool]] = Kept(4096)


def _footer(view: View, q: Question, response: Response | None) -> None:
    lang = view.lang
    notes = _words(view, q)[2]
    shown = [notes] if notes else []
    if response is not None and response.comment:
        shown.append(f"{t(lang, 'comment')}: {values.escape_markdown(response.comment)}")
    if response is not None and response.evidence:
        shown.append(f"{t(lang, 'evidence')}: {values.escape_markdown('; '.join(response.evidence))}")
    if shown:
        st.caption("  \n".join(shown))


def comments(view: View, slots: Sequence[Slot], numbers: Mapping[str, str], key: str) -> None:
    """The button that opens the comment and evidence of the questions ``slots`` (one section, or one item of
    it), ``numbers`` their numbers as shown; ``key`` tells the buttons of several sections on a page apart.

    One button per section, not one per question: a button and its row under each of 35 questions cost the
    browser ~90 ms at every answer (measured in Chromium against the same page without them), and comments
    are written far less often than answers. A comment already written shows under its question.
    """
    if slots and st.button(t(view.lang, "comment_open"), icon=":material/edit_note:", type="tertiary",
                           key=f"pipia-notes-{key}"):
        _comment(view, {Ref.of(s).key: s for s in slots}, numbers)


def _comment(view: View, slots: Mapping[str, Slot], numbers: Mapping[str, str]) -> None:
    # A dialog reruns on its own: its fields save as they are committed, and choosing another question shows
    # that one's. Closing it reruns the page, which then shows the comment under the question.
    lang, chooser = view.lang, "pipia-note-question"
    focus = session.here().question
    if st.session_state.get(chooser) not in slots:
        st.session_state[chooser] = next((k for k, s in slots.items() if s.question.id == focus), next(iter(slots)))

    def name(key: str) -> str:
        q = slots[key].question
        text = q.text(lang)
        return f"{numbers[q.id]} {text if len(text) <= 80 else text[:79] + '…'}"

    def fields() -> None:
        chosen = st.selectbox(t(lang, "comment_question"), list(slots), key=chooser, format_func=name)
        ref = Ref.of(slots[chosen])
        current = session.doc()
        response = ref.response(current.answers) if current is not None else None
        comment_key, evidence_key = f"{ref.key}--comment", f"{ref.key}--evidence"
        _seed(comment_key, response.comment if response else "")
        _seed(evidence_key, "\n".join(response.evidence) if response else "")
        st.text_area(t(lang, "comment"), key=comment_key, on_change=_note_changed, args=(ref,), height=100)
        st.text_area(t(lang, "evidence_hint"), key=evidence_key, on_change=_note_changed, args=(ref,), height=80)

    st.dialog(t(lang, "comment"), width="medium", on_dismiss="rerun")(fields)()


# -- one renderer per question type ----------------------------------------------------------------------
def _yes_no(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    _seed(ref.key, values.to_widget(q, value))
    labels, options, _ = _choices(view, q)
    st.radio(label, options, format_func=labels.__getitem__, index=None, horizontal=True, help=tip or None,
             key=ref.key, on_change=_changed, args=(ref,))


def _single_choice(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    _seed(ref.key, values.to_widget(q, value))
    labels, options, horizontal = _choices(view, q)
    if values.use_radio(q):
        st.radio(label, options, format_func=labels.__getitem__, index=None, horizontal=horizontal,
                 help=tip or None, key=ref.key, on_change=_changed, args=(ref,))
    else:
        st.selectbox(label, options, format_func=labels.__getitem__, index=None,
                     placeholder=t(view.lang, "choose"), help=tip or None, key=ref.key, on_change=_changed,
                     args=(ref,))


def _multiple_choice(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    chosen = values.to_widget(q, value)
    labels, options, horizontal = _choices(view, q, many=True)
    if not values.use_checkboxes(q):
        _seed(ref.key, chosen)
        st.multiselect(label, options, format_func=labels.__getitem__, placeholder=t(view.lang, "choose"),
                       help=tip or None, key=ref.key, on_change=_changed, args=(ref,))
        return
    st.markdown(label, help=tip or None)
    with st.container(key=ref.key, gap="small", horizontal=horizontal):
        for option in q.options:
            key = f"{ref.key}--{option.value}"
            _seed(key, option.value in chosen)
            st.checkbox(labels[option.value], key=key, on_change=_toggled, args=(ref, option.value))


def _text(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    _seed(ref.key, values.to_widget(q, value) or "")
    st.text_input(label, help=tip or None, key=ref.key, on_change=_changed, args=(ref,))


def _long_text(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    _seed(ref.key, values.to_widget(q, value) or "")
    st.text_area(label, help=tip or None, key=ref.key, on_change=_changed, args=(ref,),
                 height=values.text_height(st.session_state[ref.key]))


def _number(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    _seed(ref.key, values.to_widget(q, value))
    low, high, step = values.number_bounds(q)
    st.number_input(label, value=None, min_value=low, max_value=high, step=step,
                    format="%d" if q.integer else None, placeholder=t(view.lang, "number_placeholder"),
                    help=tip or None, key=ref.key, on_change=_changed, args=(ref,))


def _date(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    _seed(ref.key, values.to_widget(q, value))
    st.date_input(label, value=None, format="YYYY-MM-DD", help=tip or None, key=ref.key, on_change=_changed,
                  args=(ref,), min_value=_EARLIEST, max_value=_LATEST)


def _table(view: View, q: Question, ref: Ref, label: str, tip: str, value: Any) -> None:
    table_editor.draw(view.lang, q, ref.key, label, tip, read=lambda: _stored(ref),
                      write=lambda rows: _commit_value(ref, rows))


_WIDGETS: Mapping[str, Callable[[View, Question, Ref, str, str, Any], None]] = MappingProxyType({
    "yes_no": _yes_no,
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "text": _text,
    "long_text": _long_text,
    "number": _number,
    "date": _date,
    "table": _table,
})



# -- callbacks: widget → canonical answers → store -----------------------------------------------------------
def _seed(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _question(ref: Ref) -> tuple[Question, Answers] | None:
    current = session.doc()
    if current is None:
        return None
    return session.bank(current.answers.bank.id).bank.questions[ref.question], current.answers


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _changed(ref: Ref) -> None:
    found = _question(ref)
    if found is not None:
        q, answers = found
        value = values.from_widget(q, st.session_state[ref.key])
        session.commit(answers.with_value(ref.question, value, ref.group, ref.item))


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _toggled(ref: Ref, option: str) -> None:
    found = _question(ref)
    if found is None:
        return
    q, answers = found
    chosen = values.to_widget(q, (ref.response(answers) or Response()).value)
    chosen = values.toggle(q, chosen, option, bool(st.session_state[f"{ref.key}--{option}"]))
    for o in q.options:  # an exclusive option may have cleared others, or been cleared
        st.session_state[f"{ref.key}--{o.value}"] = o.value in chosen
    session.commit(answers.with_value(ref.question, chosen or None, ref.group, ref.item))


def _stored(ref: Ref) -> Any:
    current = session.doc()
    response = None if current is None else ref.response(current.answers)
    return None if response is None else response.value


def _commit_value(ref: Ref, value: Any) -> None:
    current = session.doc()
    if current is not None:
        session.commit(current.answers.with_value(ref.question, value, ref.group, ref.item))


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _note_changed(ref: Ref) -> None:
    current = session.doc()
    if current is None:
        return
    old = ref.response(current.answers) or Response()
    comment = str(st.session_state.get(f"{ref.key}--comment", old.comment)).strip()
    evidence_text = st.session_state.get(f"{ref.key}--evidence")
    evidence = old.evidence if evidence_text is None else tuple(
        line.strip() for line in str(evidence_text).splitlines() if line.strip())
    updated = old.model_copy(update={"comment": comment, "evidence": evidence})
    session.commit(current.answers.with_response(ref.question, updated, ref.group, ref.item))
