"""What every page shares: the language switch, the open assessment and its save status in the sidebar,
and the banners for messages and for a save another tab got in first."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import streamlit as st

from pipia.answers.format import Response
from pipia.bank.format import Bank, Question
from pipia.errors import BankError, NotFoundError
from pipia.i18n import Lang
from pipia.store import Side
from pipia.ui import failures, history, keeper, session
from pipia.ui.text import sentence, t, tn
from pipia.ui.values import escape_markdown

# content: each language names itself, whatever the page's language.
LANGUAGES: Mapping[Lang, str] = MappingProxyType({"zh": "中文", "en": "English"})


def language_switch(lang: Lang) -> None:
    """The 中文 / English switch in the sidebar."""
    key = "pipia-lang"
    st.session_state[key] = lang
    # A radio, not a segmented control: drawn last, after the page, a segmented control measures itself in
    # the browser and so forces the layout of the whole page at every page switch (~40 ms of the browser's
    # CPU per switch, measured in Chromium's profiler).
    st.radio(t(lang, "language"), list(LANGUAGES), format_func=LANGUAGES.__getitem__, key=key, horizontal=True,
             on_change=_language_changed)


def _language_changed() -> None:
    chosen = st.session_state.get("pipia-lang")
    if chosen == "zh" or chosen == "en":  # noqa: PLR1714 (narrows the type to Lang)
        session.set_lang(chosen)
        session.reset_widgets()  # labels change language; widgets reseed from the answers


def open_assessment(lang: Lang) -> None:
    """The open assessment's name and whether every change is saved."""
    doc = session.doc()
    if doc is None:
        st.caption(t(lang, "nothing_open"))
        return
    meta = doc.answers.meta
    name = meta.title or meta.organisation or t(lang, "untitled")
    st.markdown(f"**{escape_markdown(name)}**")
    if meta.title and meta.organisation:
        st.caption(escape_markdown(meta.organisation))
    with st.container(key=keeper.STATUS_KEY):  # the page's script marks it "not saved" while offline
        if doc.gone:
            st.caption(f":red[{t(lang, 'status_gone')}]")
        elif doc.conflict is not None:
            st.caption(f":orange[{t(lang, 'status_conflict')}]")
        elif doc.unsaved:
            st.caption(f":red[{t(lang, 'status_unsaved')}]")
        else:
            st.caption(f":green[:material/cloud_done:] {t(lang, 'status_saved')}")


def banners(lang: Lang) -> None:
    """The banners at the top of every page: queued messages, a damaged assessment, an assessment deleted elsewhere, and
    a conflict with another window's save.
    """
    for kind, text in session.take_flashes():
        getattr(st, kind)(text)
    failures.damaged_banner(lang)
    doc = session.doc()
    if doc is None:
        return
    if doc.gone:
        with st.container(border=True):
            st.error(t(lang, "gone_explained"), icon=":material/delete_forever:")
            st.button(t(lang, "save_as_new"), on_click=failures.guarded(session.save_as_new), key="pipia-save-as-new")
    elif doc.conflict is not None:
        _conflict(lang, doc)


def _conflict(lang: Lang, doc: session.Doc) -> None:
    """Both sides stay visible until a person merges them: what only one side changed is kept, and each
    answer both changed is chosen explicitly. Nothing the other window saved is reverted unseen."""
    assert doc.conflict is not None
    current, kept = doc.conflict
    found = session.conflict_merge()
    if found is None:
        return
    merged, theirs_revision = found
    bank = _bank_of(doc.answers.bank.id)
    with st.container(border=True, key="pipia-conflict"):
        st.warning(t(lang, "conflict_explained", current=current, kept=kept), icon=":material/sync_problem:")
        if merged.taken_from_mine:
            st.caption(tn(lang, "merge_kept_mine", len(merged.taken_from_mine)))
        if not merged.clashes:
            st.caption(t(lang, "merge_only_theirs"))
        else:
            st.markdown(t(lang, "merge_choose"))
        choices: dict[str, Side] = {}
        for clash in merged.clashes:
            question = history.question_at(bank, clash.unit)
            theirs, mine = (_unit_text(v, lang, question, bank) for v in (clash.theirs, clash.mine))
            options: dict[Side, str] = {"theirs": t(lang, "merge_theirs", value=escape_markdown(theirs)),
                                        "mine": t(lang, "merge_mine", value=escape_markdown(mine))}
            choice = st.radio(escape_markdown(_unit_name(bank, clash.unit, lang)), list(options), index=None,
                              format_func=options.__getitem__, key=f"pipia-merge-{kept}-{clash.unit}")
            if choice is not None:
                choices[clash.unit] = choice
        ready = len(choices) == len(merged.clashes)
        with st.container(horizontal=True):
            st.button(t(lang, "merge_save"), key="pipia-merge", type="primary", disabled=not ready,
                      on_click=failures.guarded(session.save_merged),
                      args=(merged.resolve(choices) if ready else doc.answers, theirs_revision))
            st.button(t(lang, "conflict_theirs"), on_click=failures.guarded(session.take_theirs),
                      key="pipia-theirs")
        with st.expander(t(lang, "conflict_compare")):
            history.changes(lang, bank, session.store().diff(doc.id, current, kept))


def _unit_name(bank: Bank | None, unit: str, lang: Lang) -> str:
    group = unit.removeprefix("repeats.")
    if group != unit:
        return sentence(bank.groups[group].label(lang)) if bank is not None and group in bank.groups else group
    return history.describe(bank, unit, lang)


def _unit_text(value: Any, lang: Lang, question: Question | None = None, bank: Bank | None = None) -> str:
    """One side of a clash in a line: an answer's value (options by label) and note, or a group's items."""
    if isinstance(value, Response):
        parts = [history.show(value.value, lang, question=question)]
        if value.comment:
            parts.append(history.show(value.comment, lang))
        return " · ".join(parts)
    if isinstance(value, tuple):
        questions = bank.questions if bank is not None else {}
        items = [", ".join(history.show(r.value, lang, 40, questions.get(k)) for k, r in item.items()
                           if r.value is not None) for item in value]
        return tn(lang, "merge_items", len(value)) + (": " + " | ".join(items) if items else "")
    return history.show(value, lang)


def _bank_of(bank_id: str) -> Bank | None:
    try:
        return session.bank(bank_id).bank
    except (NotFoundError, BankError):
        return None



