"""An answers skeleton a consultant fills in with a text editor: every question, options in comments."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pipia.bank.format import Bank, Column, Question
from pipia.i18n import Localized

_KIND = {
    "single_choice": "单选 single choice",
    "multiple_choice": "多选 multiple choice (a list)",
    "yes_no": "是/否 yes or no",
    "text": "文本 text",
    "long_text": "长文本 long text (use | for several lines)",
    "number": "数字 number",
    "date": "日期 date (YYYY-MM-DD)",
    "table": "表格 table (a list of rows)",
}


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
        "# 逐项填写 value；不适用或被条件隐藏的问题保留 null。Fill in each value; leave null where a question",
        "# does not apply or is hidden by its condition. Check with: pipia validate <this file>",
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
        required = "必答 required" if q.required else "选答 optional"
        shown = f"; shown only if: {q.show_if.describe('en', bank.names)}" if q.show_if else ""
        out.append(f"{indent}# [{_KIND[q.type]}; {required}{shown}]")
        out += [f"{indent}#   {line}" for line in _choices(q)]
        out.append(f"{indent}{q.id}: {'[]' if q.type == 'table' else 'null'}")
    return out


def _choices(q: Question | Column) -> list[str]:
    if q.type == "table":
        assert isinstance(q, Question)
        return [
            f"column {c.id}: {_one_line(c.label)} [{_KIND[c.type]}]"
            + (f" options: {', '.join(o.value for o in c.options)}" if c.type != "yes_no" and c.options else "")
            for c in q.columns
        ]
    if q.type in ("single_choice", "multiple_choice"):
        return [f"{o.value} = {_one_line(o.label)}" for o in q.options]
    return []


def _one_line(text: Localized) -> str:
    return f"{text.zh} / {text.en}".replace("\n", " ")
