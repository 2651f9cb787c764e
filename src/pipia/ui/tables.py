"""Table answers (the data inventory) as the row editor shows them: pure conversions, tested without Streamlit.

A table question is edited one row at a time in a form that shows every column, beside a compact
read-only table of all rows; spreadsheets come in and go out through ``pipia.answers.tabular``. A grid editor
(``st.data_editor``) was tried first: at 1280 px it showed 4 of 14 columns, reran the page on every cell,
showed "None" in new rows, cut Chinese typed into a selected cell, and once shifted values a column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pipia.assessment.visibility import missing_cells
from pipia.bank.conditions import is_answered
from pipia.bank.format import Column, Question
from pipia.i18n import Lang, join, t
from pipia.ui.values import from_widget, to_widget, yes_no_key

Row = dict[str, Any]
NEW_ROW = -1  # the row chooser's value for "a new row"


def rows_of(value: Any) -> list[Row]:
    """The table answer as a list of rows (anything else in the answers file is no rows)."""
    return [dict(row) for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


def cell_text(column: Column, value: Any, lang: Lang) -> str:
    """A cell as the read-only table shows it: option labels, 是/否, dates as YYYY-MM-DD; "" when empty."""
    if not is_answered(value):
        return ""
    if column.type == "yes_no":
        key = yes_no_key(value)
        labels = {o.value: o.label(lang) for o in column.options}
        if key is not None:
            return labels.get(key) or (t(lang, "yes") if key == "yes" else t(lang, "no"))
    if column.type == "single_choice":
        return next((o.label(lang) for o in column.options if o.value == value), str(value))
    if column.type == "multiple_choice" and isinstance(value, list):
        labels = {o.value: o.label(lang) for o in column.options}
        return join(lang, (labels.get(str(v), str(v)) for v in value), between="options")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_name(question: Question, row: Mapping[str, Any], lang: Lang) -> str:
    """A short name for a row in the row chooser: its first filled cell, cut at 30 characters."""
    for column in question.columns:
        text = cell_text(column, row.get(column.id), lang)
        if text:
            return text if len(text) <= 30 else text[:29] + "…"
    return ""


def form_values(question: Question, row: Mapping[str, Any]) -> dict[str, Any]:
    """What each form widget starts from for a row: {column id: widget value}."""
    return {c.id: widget_value(c, row.get(c.id)) for c in question.columns}


def widget_value(column: Column, value: Any) -> Any:
    """One cell as its form widget holds it ("" for empty text, a list for a multiple choice)."""
    shown = to_widget(column, value)
    if column.type in ("text", "long_text"):
        return shown or ""
    if column.type == "number" and shown is not None and column.integer and float(shown).is_integer():
        return int(shown)
    return shown


def row_from_form(question: Question, held: Mapping[str, Any]) -> Row:
    """The canonical row for what the form widgets hold; empty cells are left out."""
    row: Row = {}
    for column in question.columns:
        raw = held.get(column.id)
        if isinstance(raw, str):
            raw = raw.strip()
        value = from_widget(column, raw)
        if is_answered(value):
            row[column.id] = value
    return row


def put_row(rows: Sequence[Row], index: int, row: Row) -> tuple[list[Row], int]:
    """Rows with ``row`` saved at ``index`` (``NEW_ROW``: added at the end); and where it now is."""
    out = [dict(r) for r in rows]
    if 0 <= index < len(out):
        out[index] = row
        return out, index
    out.append(row)
    return out, len(out) - 1


def gaps(question: Question, rows: Sequence[Mapping[str, Any]], lang: Lang) -> dict[int, list[str]]:
    """Required cells left empty, by row index: {row: [column label, ...]}."""
    labels = {c.id: c.label(lang) for c in question.columns}
    found: dict[int, list[str]] = {}
    for index, column_id in missing_cells(question, rows):
        found.setdefault(index, []).append(labels[column_id])
    return found

