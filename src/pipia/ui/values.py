"""Answers as widgets show them, and back: pure conversions the question widgets rely on.

The canonical answers keep a bank's types (yes/no as booleans, dates as ``datetime.date``, numbers as int
for whole-number questions); a widget holds what Streamlit's widget holds ("yes"/"no", a list of option
values, a float). Everything here is pure, so it is tested without Streamlit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from pipia.answers.format import coerce
from pipia.bank.citations import cite_label, cite_labels
from pipia.bank.format import Column, Option, Question
from pipia.bank.library import SourceRegistry
from pipia.i18n import Lang, join

# Radio buttons read better than a dropdown while the options fit on a screen without scrolling.
RADIO_MAX_OPTIONS = 7
# Check boxes read better than a multiselect (whose chips cut long labels) for a handful of options.
CHECKBOX_MAX_OPTIONS = 10

# Each character Markdown (or Streamlit's own directives, :red[...]) could read as syntax, backslash-escaped: a
# table for str.translate, twice as quick as a regular expression's substitution and asked for every label.
_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~$:"})


def escape_markdown(text: str) -> str:
    """Text shown as-is where Streamlit would read Markdown (labels, captions): answers are data."""
    return text.translate(_MARKDOWN_ESCAPES)


def yes_no_key(value: Any) -> str | None:
    """A yes/no answer (boolean, or "yes"/"no" from a file) as the option value a widget shows."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if value in ("yes", "no") else None


def to_widget(question: Question | Column, value: Any) -> Any:
    """The value a widget of this question starts from; None where the answer cannot be shown."""
    kind = question.type
    if value is None:
        return [] if kind == "multiple_choice" else None
    if kind == "yes_no":
        return yes_no_key(value)
    known = {o.value for o in question.options}
    if kind == "single_choice":
        return value if isinstance(value, str) and value in known else None
    if kind == "multiple_choice":
        return [v for v in value if isinstance(v, str) and v in known] if isinstance(value, list) else []
    if kind in ("text", "long_text"):
        return value if isinstance(value, str) else str(value)
    if kind == "number":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None
        whole = isinstance(question, Question) and question.integer and float(value).is_integer()
        return int(value) if whole else float(value)
    if kind == "date":
        try:
            day = coerce(question, value)
        except (TypeError, ValueError):
            return None
        return day if isinstance(day, dt.date) else None
    return value


def from_widget(question: Question | Column, raw: Any) -> Any:
    """The canonical answer for what a widget holds; None for an empty widget (unanswered)."""
    kind = question.type
    if raw is None:
        return None
    if kind == "yes_no":
        return raw == "yes" if raw in ("yes", "no") else None
    if kind == "multiple_choice":
        chosen = [v for v in raw if isinstance(v, str)]
        return chosen or None
    if kind in ("text", "long_text"):
        return raw if raw.strip() else None
    if kind == "number":
        if (isinstance(question, Question) and question.integer) or float(raw).is_integer():
            return int(raw)
        return float(raw)
    if kind == "date":
        return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw)[:10])
    return raw


def toggle(question: Question, chosen: Sequence[str], value: str, checked: bool) -> list[str]:
    """A multiple choice after ticking or unticking one option, in the bank's order.

    An exclusive option ("none of these") clears the others when ticked and is cleared when another is.
    """
    option = question.option(value)
    picked = set(chosen)
    if not checked:
        picked.discard(value)
    elif option is not None and option.exclusive:
        picked = {value}
    else:
        picked = {v for v in picked if not ((o := question.option(v)) and o.exclusive)} | {value}
    return [o.value for o in question.options if o.value in picked]


def use_radio(question: Question) -> bool:
    """Whether a single-choice question is shown as radio buttons (at most 7 options) rather than a drop-down."""
    return len(question.options) <= RADIO_MAX_OPTIONS


def use_checkboxes(question: Question) -> bool:
    """Whether a multiple-choice question is shown as checkboxes (at most 10 options) rather than a multi-select."""
    return len(question.options) <= CHECKBOX_MAX_OPTIONS


def horizontal(options: Iterable[Option], lang: Lang, *, many: bool = False) -> bool:
    """Short labels (是/否, 强/弱) sit on one line; sentences go one under another. ``many``: the
    labels may wrap onto several lines (check boxes), as long as each is short."""
    labels = [o.label(lang) for o in options]
    limit = 12 if lang == "zh" else 24
    return all(len(x) <= limit for x in labels) and (many or sum(len(x) for x in labels) <= limit * 2)


def text_height(text: str) -> int:
    """Pixels a long-text box needs to show its answer without scrolling, within reason."""
    lines = sum(1 + len(line) // 45 for line in text.splitlines()) if text else 1
    return max(100, min(320, 28 + 24 * lines))


def number_bounds(question: Question) -> tuple[float | None, float | None, float]:
    """(minimum, maximum, step) of a number widget, all ints for whole-number questions (Streamlit
    refuses to mix ints and floats in one widget)."""
    kind = int if question.integer else float
    low = None if question.minimum is None else kind(question.minimum)
    high = None if question.maximum is None else kind(question.maximum)
    return low, high, kind(1) if question.integer else 0.01


def cite_list(registry: SourceRegistry, citations: Iterable[str], lang: Lang, *, short: bool = False) -> str:
    """Citations as readable text: each article's whole title, or with ``short`` its number only, grouped by
    source (《促进和规范数据跨境流动规定》第三条、第五条; Provisions on Cross-Border Data Flows Arts 3 and 5)."""
    if short:
        return cite_labels(citations, registry, lang)
    return join(lang, (cite_label(c, registry, lang, with_title=True) for c in citations), between="clauses")
