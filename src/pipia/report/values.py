"""An answer as a reader of the report sees it: option labels, not codes; dates and numbers in words.

Answers are data. They are turned into plain strings here and never into template code; the renderer
escapes and cleans them on the way into the document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipia.bank.conditions import is_answered
from pipia.bank.format import Column, Question
from pipia.i18n import Lang, fmt_count, t
from pipia.report.text import fmt_date, fmt_number, join


def display(question: Question | Column, value: Any, lang: Lang) -> str:
    """The answer in words. Values that do not fit the question are shown as they are, not dropped."""
    if not is_answered(value):
        return ""
    kind = question.type
    if kind == "table" and isinstance(question, Question):
        return table_text(question, value, lang)
    if kind in ("single_choice", "multiple_choice", "yes_no"):
        values = value if isinstance(value, list) else [value]
        return join([_option_label(question, v, lang) for v in values], lang)
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        unit = question.unit(lang) if question.unit else ""
        return f"{fmt_number(value)} {unit}".strip() if lang == "en" else f"{fmt_count(value, 'zh')}{unit}"
    if kind == "date":
        day = _date(value)
        return fmt_date(day, lang) if day else str(value)
    # The line break that ends a YAML block scalar is not part of what was said.
    return value.rstrip() if isinstance(value, str) else str(value)


def table_rows(question: Question, value: Any, lang: Lang) -> list[list[dict[str, str]]]:
    """Each row of a table answer as (column label, cell in words) pairs, in the columns' order."""
    if not isinstance(value, list):
        return []
    rows = []
    for row in value:
        if not isinstance(row, dict):
            continue
        cells = [{"label": c.label(lang), "value": display(c, row.get(c.id), lang) or "—"} for c in question.columns]
        # Cells under keys the bank does not know are kept, so nothing typed is lost.
        known = {c.id for c in question.columns}
        cells += [{"label": str(k), "value": display_raw(v)} for k, v in row.items() if k not in known]
        rows.append(cells)
    return rows


def table_text(question: Question, value: Any, lang: Lang) -> str:
    """A table answer as numbered lines, for places where a real table does not fit (a table cell)."""
    lines = []
    for i, cells in enumerate(table_rows(question, value, lang), start=1):
        lines.append(f"{i}. " + join([t(lang, "report.label_value", label=c["label"], value=c["value"])
                                      for c in cells], lang))
    return "\n".join(lines)


def display_raw(value: Any) -> str:
    """An answer value shown as it is: '—' for None, text as is, anything else via str()."""
    if value is None:
        return "—"
    return value if isinstance(value, str) else str(value)


def _option_label(question: Question | Column, value: Any, lang: Lang) -> str:
    if isinstance(value, bool):
        value = "yes" if value else "no"
    option = next((o for o in question.options if o.value == value), None)
    return option.label(lang) if option else display_raw(value)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
