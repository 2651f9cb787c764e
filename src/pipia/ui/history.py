"""An assessment's versions: name the current one, see what changed since any earlier one, restore one.

Every save is a revision in the store; a named revision (a snapshot) is kept for good, and so is a
save refused because another tab saved first ("conflict"). Restoring makes an old revision current again
as a new revision: history is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import streamlit as st

from pipia.bank.format import Bank, Column, Question
from pipia.errors import BankError, NotFoundError
from pipia.i18n import Lang, join
from pipia.store import LOCAL_USER_ID, Change, Revision, StoreError
from pipia.ui import failures, session
from pipia.ui.clock import local_time
from pipia.ui.summary import store_summary
from pipia.ui.text import ANSWER_PARTS, META_FIELDS, sentence, t, tn
from pipia.ui.values import escape_markdown, yes_no_key

SHOWN_SAVES = 15
SHOWN_CHANGES = 100
_ADDRESS = re.compile(r"^(?:answers|repeats\.(?P<group>\w+)\[(?P<item>\d+)\])\.(?P<question>\w+)"
                      r"(?:\.(?P<part>comment|evidence))?$")
_ITEM = re.compile(r"^repeats\.(?P<group>\w+)\[(?P<item>\d+)\]$")


def describe(bank: Bank | None, address: str, lang: Lang) -> str:
    """A change's address (``repeats.recipients[1].recipient_name``) as the person reads it."""
    if address.startswith("meta."):
        field = address.removeprefix("meta.")
        return META_FIELDS[field](lang)
    if address.startswith("bank."):
        return t(lang, "bank")
    item = _ITEM.match(address)
    if bank is not None and item and item["group"] in bank.groups:
        return f"{sentence(bank.groups[item['group']].label(lang))} {int(item['item']) + 1}"
    found = _ADDRESS.match(address)
    if bank is None or found is None or found["question"] not in bank.questions:
        return address
    text = bank.questions[found["question"]].text(lang)
    if found["group"] in bank.groups:
        text += f" · {sentence(bank.groups[found['group']].label(lang))} {int(found['item']) + 1}"
    if found["part"]:
        text += f" · {ANSWER_PARTS[found['part']](lang)}"
    return text


def question_at(bank: Bank | None, address: str) -> Question | None:
    """The question whose answer a change's address names (not its comment or evidence), if the bank has it."""
    found = _ADDRESS.match(address)
    if bank is None or found is None or found["part"]:
        return None
    return bank.questions.get(found["question"])


def show(value: Any, lang: Lang, limit: int = 80, question: Question | Column | None = None) -> str:
    """An answer as a short line of text: with its ``question``, options by their labels, table rows by
    their column headings ("Sensitive category: Health"), never the stored codes."""
    if value is None or value in ("", []):
        return "—"
    if question is not None:
        text = _labelled(value, lang, limit, question)
        return text if len(text) <= limit else text[: limit - 1] + "…"
    if isinstance(value, bool):
        text = t(lang, "yes" if value else "no")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, list):
        text = ", ".join(show(v, lang, limit) for v in value)
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {show(v, lang, limit)}" for k, v in value.items())
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _labelled(value: Any, lang: Lang, limit: int, question: Question | Column) -> str:
    labels = {o.value: o.label(lang) for o in question.options}
    if question.type == "yes_no" and isinstance(value, bool | str):
        key = yes_no_key(value)
        return labels.get(key or "", {"yes": t(lang, "yes"), "no": t(lang, "no")}.get(key or "", str(value)))
    if question.type == "single_choice" and isinstance(value, str):
        return labels.get(value, value)
    if question.type == "multiple_choice" and isinstance(value, list):
        return join(lang, (labels.get(str(v), str(v)) for v in value))
    if isinstance(question, Question) and question.type == "table" and isinstance(value, list):
        columns = {c.id: c for c in question.columns}
        rows = [join(lang, (
            f"{columns[k].label(lang)}: {_labelled(v, lang, limit, columns[k])}" if k in columns else f"{k}: {v}"
            for k, v in row.items()), between="clauses") for row in value if isinstance(row, dict)]
        return " | ".join(rows)
    return show(value, lang, limit)


def panel(lang: Lang, assessment_id: str) -> None:
    """The versions panel of an assessment: name the current version; the recent saves, named versions and conflicts,
    any of which can be compared with the current one and restored (restoring and naming need edit rights). Shows
    nothing when the store refuses.
    """
    store = session.store()
    try:
        current = store.get(assessment_id)
        revisions = store.revisions(assessment_id)
        editable = store.can(assessment_id, "edit")  # naming and restoring change the assessment
    except StoreError:
        return
    bank = _bank(current.bank_id)
    with st.container(border=True, key=f"history-{assessment_id}"):
        st.markdown(f"**{t(lang, 'versions')}**")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.text_input(t(lang, "version_name"), key=f"version-name-{assessment_id}",
                          placeholder=t(lang, "version_name_hint"), width=320, disabled=not editable)
            st.button(t(lang, "name_version"), key=f"name-version-{assessment_id}", on_click=failures.guarded(_name),
                      args=(assessment_id,), icon=":material/bookmark_add:", disabled=not editable)
        saves = [r for r in revisions if r.kind == "save" and r.name is None][:SHOWN_SAVES]
        shown = sorted({*saves, *(r for r in revisions if r.name is not None or r.kind == "conflict")},
                       key=lambda r: -r.revision)
        earlier = [r for r in shown if r.revision != current.revision]
        if not earlier:
            st.caption(t(lang, "no_versions"))
        else:
            labels = {r.revision: _label(r, lang) for r in shown}
            chosen = st.selectbox(t(lang, "compare_with"), [r.revision for r in earlier],
                                  key=f"compare-{assessment_id}", format_func=labels.__getitem__)
            if chosen is not None:
                found = store.diff(assessment_id, chosen, current.revision)
                if found:
                    st.caption(tn(lang, "changes_since", len(found)))
                changes(lang, bank, found)
                st.button(t(lang, "restore_version", revision=chosen), key=f"restore-{assessment_id}",
                          on_click=failures.guarded(_restore), args=(assessment_id, chosen), icon=":material/restore:",
                          disabled=not editable)
        st.button(t(lang, "close"), key=f"history-close-{assessment_id}", on_click=close)


def changes(lang: Lang, bank: Bank | None, found: list[Change]) -> None:
    """What changed, one line per answer, named by its question."""
    if not found:
        st.caption(t(lang, "no_differences"))
        return
    lines = []
    for c in found[:SHOWN_CHANGES]:
        question = question_at(bank, c.address)
        lines.append(f"- **{escape_markdown(describe(bank, c.address, lang))}**: "
                     f"{escape_markdown(show(c.before, lang, question=question))} → "
                     f"{escape_markdown(show(c.after, lang, question=question))}")
    st.markdown("\n".join(lines))
    if len(found) > SHOWN_CHANGES:
        st.caption(t(lang, "and_more", count=len(found) - SHOWN_CHANGES))


def _label(r: Revision, lang: Lang) -> str:
    kind = t(lang, "version_conflict") if r.kind == "conflict" else ""
    name = f"“{r.name}”" if r.name else ""
    restored = t(lang, "version_restored", revision=r.restored_from) if r.restored_from else ""
    # The single-user app's one user is not worth naming; in a team every revision names who made it.
    author = t(lang, "version_by", who=r.author) if r.author and r.author != LOCAL_USER_ID else ""
    parts = [t(lang, "version_number", revision=r.revision), local_time(r.created_at), name, author, kind,
             restored]
    return " · ".join(p for p in parts if p)


def _bank(bank_id: str) -> Bank | None:
    try:
        return session.bank(bank_id).bank
    except (NotFoundError, BankError):
        return None


def open_panel(assessment_id: str) -> None:
    """Open the versions panel of ``assessment_id`` (one at a time)."""
    st.session_state["pipia.history"] = assessment_id


def close() -> None:
    """Close the versions panel."""
    st.session_state["pipia.history"] = None


def is_open(assessment_id: str) -> bool:
    """Whether the versions panel of ``assessment_id`` is open."""
    return bool(st.session_state.get("pipia.history") == assessment_id)


def _name(assessment_id: str) -> None:
    name = str(st.session_state.get(f"version-name-{assessment_id}", "")).strip()
    if not name:
        session.flash("warning", t(session.lang(), "version_needs_name"))
        return
    session.store().snapshot(assessment_id, name)
    st.session_state[f"version-name-{assessment_id}"] = ""
    session.flash("success", t(session.lang(), "version_named", name=escape_markdown(name)))


def _restore(assessment_id: str, revision: int) -> None:
    store = session.store()
    answers = store.answers_at(assessment_id, revision)
    bank = _bank(answers.bank.id)
    completeness, risk = store_summary(bank, answers) if bank is not None else (None, None)
    restored = store.restore(assessment_id, revision, completeness=completeness, risk=risk)
    opened = session.doc()
    if opened is not None and opened.id == assessment_id:
        session.reload(restored.answers, restored.revision)
    session.flash("success", t(session.lang(), "version_restored_done", revision=revision, now=restored.revision))
