"""The action plan as a spreadsheet, for the people who do the fixes: .xlsx (openpyxl) and .csv.

One row per action, in the report's order and numbering. Cells are text the assessment's users typed, so
nothing in them may become a formula when the file is opened: a cell that starts like one (=, +, -, @) is
written as text in .xlsx and prefixed with an apostrophe in .csv, as spreadsheet programs expect.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipia.i18n import Lang, Message, msg, t
from pipia.report.inputs import PRIORITY
from pipia.team.actions import STATUS_LABELS, Action

COLUMNS: tuple[Message, ...] = (
    msg("plan_col_number"), msg("plan_col_recipient"), msg("plan_col_finding"), msg("plan_col_action"),
    msg("plan_col_priority"), msg("plan_col_owner"), msg("plan_col_due"), msg("plan_col_status"),
    msg("plan_col_overdue"), msg("plan_col_evidence"), msg("plan_col_justification"),
)
_WIDTHS = (6, 16, 48, 48, 14, 16, 12, 12, 8, 36, 36)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_YES = msg("plan_overdue_yes")


def plan_rows(actions: Sequence[Action], lang: Lang, today: dt.date) -> list[list[str]]:
    """The header and one row per action, as text in ``lang``; dates ISO (YYYY-MM-DD)."""
    rows = [[c(lang) for c in COLUMNS]]
    for a in actions:
        f, r = a.finding, a.record
        rows.append([str(a.number), f.recipient(lang) if f.recipient else "", f.text(lang), f.action(lang),
                     PRIORITY["blocking" if f.blocking else f.severity](lang), r.owner,
                     r.due.isoformat() if r.due else "", STATUS_LABELS[r.status](lang),
                     _YES(lang) if a.overdue(today) else "", r.evidence, r.justification])
    return rows


def plan_csv(actions: Sequence[Action], lang: Lang, today: dt.date) -> str:
    """The plan as CSV text (encode it as UTF-8 with a BOM, ``utf-8-sig``, for spreadsheet programs)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in plan_rows(actions, lang, today):
        writer.writerow(["'" + cell if cell.startswith(_FORMULA_START) else cell for cell in row])
    return out.getvalue()


def plan_xlsx(actions: Sequence[Action], lang: Lang, today: dt.date, title: str = "") -> bytes:
    """The plan as an .xlsx workbook: a header row that stays in view, overdue rows in red."""
    book = Workbook()
    sheet = book.create_sheet(index=0)  # a worksheet by type, unlike ``book.active``
    book.remove(book.worksheets[1])  # the empty sheet a new workbook starts with
    sheet.title = t(lang, "plan_sheet")
    rows = plan_rows(actions, lang, today)
    overdue = {i for i, a in enumerate(actions, start=2) if a.overdue(today)}
    red = PatternFill("solid", fgColor="F8D7DA")
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if r == 1:
                cell.font = Font(bold=True)
            elif r in overdue:
                cell.fill = red
    for c, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    if title:
        book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
