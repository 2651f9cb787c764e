"""An answers skeleton a consultant fills in with a text editor: every question, options in comments."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pipia.bank.format import Bank, Column, Question
from pipia.i18n import Localized, Message, msg, t

# What each type of answer is, said in both languages in the skeleton's comments.
_KIND = {
    "single_choice": msg("skeleton.kind.single_choice"),
    "multiple_choice": msg("skeleton.kind.multiple_choice"),
    "yes_no": msg("skeleton.kind.yes_no"),
    "text": msg("skeleton.kind.text"),
    "long_text": msg("skeleton.kind.long_text"),
    "number": msg("skeleton.kind.number"),
    "date": msg("skeleton.kind.date"),
    "table": msg("skeleton.kind.table"),
}


def _both(text: Message) -> str:
    """A text of the catalogue in Chinese, then English: the skeleton is read by whoever fills it in."""
    return f"{text('zh')} {text('en')}"


def skeleton_json(bank: Bank, today: dt.date) -> str:
    """The same skeleton as JSON (which has no comments): every question with null, tables with []."""

    def blanks(section_ids: list[str]) -> dict[str, Any]:
        return {q.id: [] if q.type == "table" else None
                for s in bank.sections if s.id in section_ids for q in s.questions}

    data: dict[str, Any] = {
        "bank": {"id": bank.id, "version": bank.version},
        "meta": {"organisation": "", "assessor": "", "reviewer": "", "assessment_date": today.isoformat()},
        "answers": blanks([s.id for s in bank.sections if s.repeat is None]),
    }
    if bank.repeat_groups:
        data["repeats"] = {
            g.id: [blanks([s.id for s in bank.sections if s.repeat == g.id]) for _ in range(max(g.min_items, 1))]
            for g in bank.repeat_groups
        }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def skeleton(bank: Bank, today: dt.date) -> str:
    """A blank answers file for ``bank`` as commented YAML: the bank id and version, empty meta dated ``today``, and
    every question with value null and its text and options as comments (``pipia new``).
    """
    lines = [
        f"# {bank.title.zh} / {bank.title.en}",
        f"# {t('zh', 'skeleton.fill_in')}",
        f"# {t('en', 'skeleton.fill_in')}",
        "bank:",
        f"  id: {bank.id}",
        f"  version: {json.dumps(bank.version)}",
        "meta:",
        '  organisation: ""',
        '  assessor: ""',
        '  reviewer: ""',
        f"  assessment_date: {today.isoformat()}",
        "answers:",
    ]
    for section in bank.sections:
        if section.repeat is None:
            lines += _section(bank, section.id, indent="  ")
    if bank.repeat_groups:
        lines.append("repeats:")
        for group in bank.repeat_groups:
            lines.append(f"  # {group.label.zh} / {group.label.en}: one item per {group.label.en.lower()}")
            lines.append(f"  {group.id}:")
            for _ in range(max(group.min_items, 1)):
                body = [
                    line
                    for s in bank.sections
                    if s.repeat == group.id
                    for line in _section(bank, s.id, indent="      ")
                ]
                first = next(i for i, line in enumerate(body) if not line.lstrip().startswith("#"))
                body[first] = "    - " + body[first].lstrip()
                lines += body
    return "\n".join(lines) + "\n"


def _section(bank: Bank, section_id: str, indent: str) -> list[str]:
    section = next(s for s in bank.sections if s.id == section_id)
    out = [f"{indent}# ── {section.title.zh} / {section.title.en} ──"]
    for q in section.questions:
        out.append(f"{indent}# {_one_line(q.text)}")
        required = _both(msg("skeleton.required") if q.required else msg("skeleton.optional"))
        shown = f"; shown only if: {q.show_if.describe('en', bank.names)}" if q.show_if else ""
        out.append(f"{indent}# [{_both(_KIND[q.type])}; {required}{shown}]")
        out += [f"{indent}#   {line}" for line in _choices(q)]
        out.append(f"{indent}{q.id}: {'[]' if q.type == 'table' else 'null'}")
    return out


def _choices(q: Question | Column) -> list[str]:
    if q.type == "table":
        assert isinstance(q, Question)
        return [
            f"column {c.id}: {_one_line(c.label)} [{_both(_KIND[c.type])}]"
            + (f" options: {', '.join(o.value for o in c.options)}" if c.type != "yes_no" and c.options else "")
            for c in q.columns
        ]
    if q.type in ("single_choice", "multiple_choice"):
        return [f"{o.value} = {_one_line(o.label)}" for o in q.options]
    return []


def _one_line(text: Localized) -> str:
    return f"{text.zh} / {text.en}".replace("\n", " ")
