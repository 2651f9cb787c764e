"""A table question on the page: a compact read-only table, a row editor form, spreadsheets in and out.

The form shows every column of one row at once and sends nothing until "Save row", so typing in it
reruns nothing. A saved row is kept even with required cells still empty (nothing typed is lost); the
table then says which cells are missing and does not count as answered (``progress.answered``).
Files are read and written by ``pipia.answers.tabular``; this module only draws and routes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from pipia.answers import tabular
from pipia.bank.format import Column, Question
from pipia.i18n import Lang, join
from pipia.ui import failures, session, tables, values
from pipia.ui.text import TABLE_EXPORTS, TABLE_IMPORT_MODES, t, tn

# Assessments look back at past transfers and forward at deadlines; the default ±10 years is too short.
_EARLIEST, _LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
_PER_LINE = 3  # form fields side by side: 14 columns fit on one screen at 1280 px
_GAPS_LISTED = 5


Read = Callable[[], Any]
Write = Callable[[list[tables.Row] | None], None]


def draw(lang: Lang, q: Question, key: str, label: str, tip: str, read: Read, write: Write) -> None:
    """The whole table question. ``key`` is the answer's widget key (every state key of the editor starts
    with it); ``read()`` gives the answer as stored now and ``write(rows or None)`` saves a new one."""
    rows = tables.rows_of(read())
    commit = _Answer(read, write)
    st.markdown(label, help=tip or None)
    _overview(lang, q, key, rows)
    _editor(lang, q, key, rows, commit)
    _files(lang, q, key, rows, commit)


# -- the read-only table -------------------------------------------------------------------------------------
def _overview(lang: Lang, q: Question, key: str, rows: list[tables.Row]) -> None:
    if not rows:
        st.caption(t(lang, "table_empty"))
        return
    gaps = tables.gaps(q, rows, lang)
    number, status = t(lang, "table_row_number"), t(lang, "table_status")
    shown = [{number: i + 1,
              **{c.label(lang): tables.cell_text(c, row.get(c.id), lang) for c in q.columns},
              status: t(lang, "table_row_gaps", n=len(gaps[i])) if i in gaps else t(lang, "table_row_whole")}
             for i, row in enumerate(rows)]
    # The grid's own toolbar (search, download, full screen) speaks English only, and the export buttons
    # below do its download in the chosen language: it is hidden.
    st.html(f"<style>.st-key-{key}--view [data-testid=stElementToolbar]{{display:none}}</style>")
    frame = pd.DataFrame(shown, columns=[number, *(c.label(lang) for c in q.columns), status])
    st.dataframe(frame, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 320), key=f"{key}--view",
                 column_config={number: st.column_config.NumberColumn(width="small", pinned=True),
                                q.columns[0].label(lang): st.column_config.TextColumn(pinned=True)})
    caption = [tn(lang, "table_rows_count", len(rows))]
    for index in list(gaps)[:_GAPS_LISTED]:
        caption.append(t(lang, "table_gaps", row=index + 1, columns=_join(lang, gaps[index])))
    if len(gaps) > _GAPS_LISTED:
        caption.append(tn(lang, "table_more_gaps", len(gaps) - _GAPS_LISTED))
    st.caption("  \n".join(values.escape_markdown(c) for c in caption))


def _join(lang: Lang, labels: list[str]) -> str:
    return join(lang, labels)


# -- the row editor ------------------------------------------------------------------------------------------
def _editor(lang: Lang, q: Question, key: str, rows: list[tables.Row], commit: _Answer) -> None:
    chooser = f"{key}--row"
    if st.session_state.get(chooser) not in (tables.NEW_ROW, *range(len(rows))):
        st.session_state[chooser] = tables.NEW_ROW  # first draw, or the row it pointed at is gone
        _load_row(q, key, {})
    choices = [tables.NEW_ROW, *range(len(rows))]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(t(lang, "table_edit_row"), choices, key=chooser, on_change=_chosen, args=(q, key, commit),
                     format_func=lambda i: t(lang, "table_new_row") if i == tables.NEW_ROW else t(
                         lang, "table_row", n=i + 1, name=tables.row_name(q, rows[i], lang)), width=360)
        if st.session_state[chooser] != tables.NEW_ROW:
            st.button(t(lang, "table_delete_row"), icon=":material/delete:", key=f"{key}--delete",
                      on_click=_delete, args=(q, key, commit))
    problems: dict[str, str] = st.session_state.get(f"{key}--problems", {})
    with st.form(key=f"{key}--form", border=True, enter_to_submit=False):
        for start in range(0, len(q.columns), _PER_LINE):
            line = q.columns[start:start + _PER_LINE]
            for column, place in zip(line, st.columns(_PER_LINE, gap="small"), strict=False):
                with place:
                    _field(lang, column, f"{key}--cell-{column.id}")
                    if column.id in problems:
                        st.caption(f":red[{values.escape_markdown(problems[column.id])}]")
        st.form_submit_button(t(lang, "table_save_row"), type="primary", icon=":material/save:",
                              key=f"{key}--save", on_click=_save, args=(q, key, commit))
    note = st.session_state.pop(f"{key}--said", None)
    if note is not None:
        kind, text = note
        (st.warning if kind == "warning" else st.success)(values.escape_markdown(text))


def _field(lang: Lang, c: Column, key: str) -> None:
    label = values.escape_markdown(c.label(lang)) + (" :red[\\*]" if c.required else "")
    tip = values.escape_markdown(c.help(lang)) if c.help else None
    if c.type in ("single_choice", "yes_no"):
        labels = {o.value: o.label(lang) for o in c.options} if c.options else {
            "yes": t(lang, "yes"), "no": t(lang, "no")}
        st.selectbox(label, list(labels), format_func=labels.__getitem__, index=None, key=key, help=tip,
                     placeholder=t(lang, "choose"))
    elif c.type == "multiple_choice":
        labels = {o.value: o.label(lang) for o in c.options}
        st.multiselect(label, list(labels), format_func=labels.__getitem__, key=key, help=tip,
                       placeholder=t(lang, "choose"))
    elif c.type == "number":
        kind = int if c.integer else float
        st.number_input(label, value=None, key=key, help=tip, placeholder=t(lang, "number_placeholder"),
                        min_value=None if c.minimum is None else kind(c.minimum),
                        max_value=None if c.maximum is None else kind(c.maximum),
                        step=kind(1) if c.integer else 0.01, format="%d" if c.integer else None)
    elif c.type == "date":
        st.date_input(label, value=None, key=key, help=tip, format="YYYY-MM-DD", min_value=_EARLIEST,
                      max_value=_LATEST)
    elif c.type == "long_text":
        st.text_area(label, key=key, help=tip, height=68)
    else:
        st.text_input(label, key=key, help=tip)


def _load_row(q: Question, key: str, row: tables.Row) -> None:
    for column_id, held in tables.form_values(q, row).items():
        st.session_state[f"{key}--cell-{column_id}"] = held
    st.session_state.pop(f"{key}--problems", None)


@dataclass(frozen=True)
class _Answer:
    """The table's answer as callbacks see it: read at the moment they run, never a copy from the draw."""

    read: Read
    write: Write

    def rows(self) -> list[tables.Row]:
        return tables.rows_of(self.read())


def _chosen(q: Question, key: str, answer: _Answer) -> None:
    index = st.session_state[f"{key}--row"]
    rows = answer.rows()
    _load_row(q, key, rows[index] if 0 <= index < len(rows) else {})


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _save(q: Question, key: str, answer: _Answer) -> None:
    lang = session.lang()
    held = {c.id: st.session_state.get(f"{key}--cell-{c.id}") for c in q.columns}
    row = tables.row_from_form(q, held)
    index = st.session_state.get(f"{key}--row", tables.NEW_ROW)
    if not row:
        st.session_state[f"{key}--said"] = ("warning", t(lang, "table_empty_row"))
        return
    problems = tabular.row_problems(q, row, lang)
    rows, at = tables.put_row(answer.rows(), index, row)
    answer.write(rows)
    missing = [c.label(lang) for c in q.columns if c.id in problems]
    if problems:  # kept, and kept in the form, so the missing cells can be filled in
        st.session_state[f"{key}--row"] = at
        st.session_state[f"{key}--problems"] = problems
        st.session_state[f"{key}--said"] = ("warning", t(lang, "table_saved_gaps", n=at + 1,
                                                          columns=_join(lang, missing)))
    elif index == tables.NEW_ROW:
        _load_row(q, key, {})
        st.session_state[f"{key}--said"] = ("success", t(lang, "table_saved_new", n=at + 1))
    else:
        st.session_state.pop(f"{key}--problems", None)
        st.session_state[f"{key}--said"] = ("success", t(lang, "table_saved", n=at + 1))


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _delete(q: Question, key: str, answer: _Answer) -> None:
    index = st.session_state.get(f"{key}--row", tables.NEW_ROW)
    rows = answer.rows()
    if 0 <= index < len(rows):
        del rows[index]
        answer.write(rows or None)
        st.session_state[f"{key}--said"] = ("success", t(session.lang(), "table_deleted", n=index + 1))
    st.session_state[f"{key}--row"] = tables.NEW_ROW
    _load_row(q, key, {})


# -- spreadsheets in and out ---------------------------------------------------------------------------------
def _files(lang: Lang, q: Question, key: str, rows: list[tables.Row], commit: _Answer) -> None:
    with st.container(horizontal=True, vertical_alignment="center"):
        with st.popover(t(lang, "table_files"), icon=":material/upload_file:", key=f"{key}--files",
                        on_change="rerun") as box:
            if box.open:
                st.caption(t(lang, "table_import_hint", mb=tabular.MAX_TABLE_FILE_MB))
                mode = f"{key}--mode"
                if mode not in st.session_state:
                    st.session_state[mode] = "replace"
                st.radio(t(lang, "table_import"), ["replace", "append"], key=mode, horizontal=True,
                         format_func=lambda m: TABLE_IMPORT_MODES[m](lang))
                st.file_uploader(t(lang, "table_import"), type=list(tabular.TABLE_FILE_TYPES),
                                 max_upload_size=tabular.MAX_TABLE_FILE_MB, key=f"{key}--upload",
                                 on_change=_import, args=(q, key, commit), label_visibility="collapsed")
        name = values.escape_markdown(q.id)
        for fmt in tabular.TABLE_FILE_TYPES:
            st.download_button(TABLE_EXPORTS[fmt](lang), icon=":material/download:", key=f"{key}--{fmt}",
                               data=partial(tabular.export_table, q, rows, lang, fmt),
                               file_name=f"{name}.{fmt}", on_click="ignore", type="tertiary",
                               mime="text/csv" if fmt == "csv" else
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    report = st.session_state.pop(f"{key}--imported", None)  # said once
    if report is not None:
        kind, text, problems = report
        if kind == "error":
            st.error(values.escape_markdown(text) + "\n\n" + "\n".join(
                f"- {values.escape_markdown(p.text(lang))}" for p in problems[:20]))
        else:
            st.success(values.escape_markdown(text))


@failures.guarded  # it saves: a fault shows the plain message, never a traceback
def _import(q: Question, key: str, answer: _Answer) -> None:
    lang = session.lang()
    upload = st.session_state.get(f"{key}--upload")
    if upload is None:
        return
    result = tabular.import_table(q, upload.name, upload.getvalue(), lang)
    if not result.ok:
        st.session_state[f"{key}--imported"] = ("error", tn(lang, "table_import_refused", len(result.problems),
                                                             file=upload.name), result.problems)
        return
    assert result.rows is not None
    rows = list(result.rows)
    if st.session_state.get(f"{key}--mode") == "append":
        rows = [*answer.rows(), *rows]
    answer.write(rows or None)
    st.session_state[f"{key}--row"] = tables.NEW_ROW
    _load_row(q, key, {})
    st.session_state[f"{key}--imported"] = ("success", tn(lang, "table_imported", len(result.rows),
                                                           file=upload.name), ())
