"""Table answers (the data inventory and every other table question) to and from Excel and CSV files.

DPOs keep their data inventories in spreadsheets, so a table question can be filled by importing an
``.xlsx`` or ``.csv`` file and exported the same way. The first row holds the column headings, in Chinese
or English (or the column ids); each later row is one row of the answer. Cells are read leniently the way a
person types them — an option by its label in either language or by its stored value, yes/no as 是/否,
a date as a spreadsheet date or ``YYYY-MM-DD`` — and checked strictly: every problem names its row (as the
spreadsheet numbers it) and its column heading, in the user's language, and a file with any error is not
imported at all.

Spreadsheets are read with openpyxl (a well-kept library; writing our own OOXML reader is out of the
question) and CSV with the standard library. Every incoming file passes through ``_read_upload`` only: the
size limit, the zip-bomb guard and the text decoding live there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pipia.answers.format import value_problems
from pipia.bank.conditions import is_answered
from pipia.bank.format import Column, Question
from pipia.errors import Problem
from pipia.i18n import Lang, Localized, Message, join, msg, t

MAX_TABLE_FILE_MB = 5
MAX_TABLE_ROWS = 10_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks into a bomb
Format = Literal["xlsx", "csv"]
TABLE_FILE_TYPES: tuple[Format, ...] = ("xlsx", "csv")
Row = dict[str, Any]

# Separators a person may use between the choices of a multiple-choice cell; export writes "; ".
# content: full-width punctuation a person may type, read, not written.
_SPLIT = re.compile(r"\s*[;；,，、\n]\s*")
# Dates as people type them: 2025-01-02, 2025/1/2, 2025.1.2, 2025年1月2日 (a spreadsheet date cell needs none).
# content: the date marks a person may type, read, not written.
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")



@dataclass(frozen=True)
class TableImport:
    """An imported table file: the rows to store (canonical values), or the problems that stop it.

    ``Problem.line`` is the row number as the spreadsheet shows it (the heading is row 1) and
    ``Problem.path`` the column heading as written in the file.
    """

    rows: tuple[Row, ...] | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether the spreadsheet could be read into rows (``rows`` is not None)."""
        return self.rows is not None


# -- headings ------------------------------------------------------------------------------------------------
def heading(column: Column, lang: Lang) -> str:
    """The heading a column gets in an exported file: its label, with `` *`` when the cell is required."""
    return column.label(lang) + (" *" if column.required else "")


def _heading_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().removesuffix("*").strip()).casefold()


def _match_headings(question: Question) -> dict[str, Column]:
    """Every spelling of a heading the import accepts: the label in either language, or the column id."""
    names: dict[str, Column] = {}
    for column in question.columns:
        for name in (column.id, column.label.zh, column.label.en):
            names.setdefault(_heading_key(name), column)
    return names


# -- cells: from what a person typed to the canonical value ----------------------------------------------------
def _option_names(column: Column) -> dict[str, str]:
    names: dict[str, str] = {}
    for option in column.options:
        for name in (option.value, option.label.zh, option.label.en):
            names.setdefault(name.strip().casefold(), option.value)
    if column.type == "yes_no":
        # content: the words for yes and no a person may type in a cell, read, not written.
        for name, value in (("是", "yes"), ("否", "no"), ("yes", "yes"), ("no", "no"), ("y", "yes"), ("n", "no"),
                            ("true", "yes"), ("false", "no"), ("1", "yes"), ("0", "no")):
            names.setdefault(name, value)
    return names


def _labels_both(column: Column) -> Localized:
    """The options' labels as a list in running text, in both languages ("—" for a column without)."""
    return Localized.of(*(join(lang, (o.label(lang) for o in column.options)) or "—" for lang in ("zh", "en")))


def _text_of(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # Excel stores 2025 in a text column as 2025.0
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def parse_cell(column: Column, cell: Any) -> tuple[Any, Message | None]:
    """One cell as typed in a spreadsheet → (canonical value or None for empty, what is wrong or None).

    Canonical values are those the answers file stores: option values, booleans for yes/no, numbers,
    ``datetime.date``, text. Bounds and exclusive options are checked here as the answers check does.
    """
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, None
    kind = column.type
    if kind in ("text", "long_text"):
        return _text_of(cell), None
    if kind == "number":
        return _number(column, cell)
    if kind == "date":
        if isinstance(cell, dt.datetime):
            return cell.date(), None
        if isinstance(cell, dt.date):
            return cell, None
        text = _text_of(cell)
        match = _DATE.fullmatch(text)
        try:
            if match is None:
                raise ValueError(text)
            return dt.date(*(int(g) for g in match.groups())), None
        except ValueError:
            return None, msg("table_file_not_date", value=text)
    names = _option_names(column)
    if kind == "yes_no":
        if isinstance(cell, bool):
            return cell, None
        text = _text_of(cell)
        found = names.get(text.casefold())
        if found is None:
            return None, msg("table_file_not_yes_no", value=text)
        return found == "yes", None
    if kind == "single_choice":
        text = _text_of(cell)
        found = names.get(text.casefold())
        if found is None:
            return None, msg("table_file_not_option", value=text, expected=_labels_both(column))
        return found, None
    # multiple_choice
    chosen: list[str] = []
    for part in _SPLIT.split(_text_of(cell)):
        if not part:
            continue
        found = names.get(part.casefold())
        if found is None:
            return None, msg("table_file_not_option", value=part, expected=_labels_both(column))
        if found not in chosen:
            chosen.append(found)
    exclusive = [o for o in column.options if o.exclusive and o.value in chosen]
    if exclusive and len(chosen) > 1:
        return None, msg("table_file_exclusive", value=exclusive[0].label)
    return (chosen or None), None


def _number(column: Column, cell: Any) -> tuple[Any, Message | None]:
    if isinstance(cell, bool):
        return None, msg("table_file_not_number", value=cell)
    if isinstance(cell, int | float):
        number: float = cell
    else:
        text = _text_of(cell).replace(",", "").replace("，", "")  # content: a full-width comma typed in a number
        try:
            number = float(text)
        except ValueError:
            return None, msg("table_file_not_number", value=_text_of(cell))
    if not math.isfinite(number):
        return None, msg("table_file_not_number", value=_text_of(cell))
    if column.integer and not float(number).is_integer():
        return None, msg("table_file_not_whole", value=f"{number:g}")
    if column.minimum is not None and number < column.minimum:
        return None, msg("table_file_below", value=f"{number:g}", bound=f"{column.minimum:g}")
    if column.maximum is not None and number > column.maximum:
        return None, msg("table_file_above", value=f"{number:g}", bound=f"{column.maximum:g}")
    if float(number).is_integer():
        return int(number), None
    return number, None


def row_problems(question: Question, row: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    """What is wrong with one row of canonical values: {column id: message}; empty when the row is whole.

    A required column left empty is a problem; so is a value the answers check refuses (bounds, options).
    """
    found: dict[str, str] = {}
    for column in question.columns:
        value = row.get(column.id)
        if not is_answered(value):
            if column.required:
                found[column.id] = t(lang, "table_file_required")
            continue
        for message in value_problems(column, value, lang):
            found.setdefault(column.id, message)
    return found


# -- import ----------------------------------------------------------------------------------------------------
def import_table(question: Question, name: str, data: bytes, lang: Lang) -> TableImport:
    """Read a table answer from an uploaded ``.xlsx`` or ``.csv`` file (``data`` its bytes).

    Never raises for a bad file. Every problem comes back as ``name:row: heading: message`` in both
    languages (``lang`` names a missing column's heading);
    with any problem the rows are ``None`` (nothing half-imported). Fully empty lines are skipped.
    """
    grid, problem = _read_upload(name, data)
    if problem is not None:
        return TableImport(None, (Problem.of(name, None, "", problem),))
    if not grid:
        return TableImport(None, (Problem.of(name, None, "", msg("table_file_empty")),))
    if len(grid) > MAX_TABLE_ROWS + 1:
        return TableImport(None, (Problem.of(name, None, "", msg("table_file_too_many", n=MAX_TABLE_ROWS)),))
    problems: list[Problem] = []
    names = _match_headings(question)
    positions: dict[int, Column] = {}
    titles: dict[str, str] = {}
    for i, cell in enumerate(grid[0]):
        text = _text_of(cell) if cell is not None else ""
        if not text:
            continue
        column = names.get(_heading_key(text))
        if column is None:
            expected = Localized.of(*(join(language, (c.label(language) for c in question.columns))
                                      for language in ("zh", "en")))
            problems.append(Problem.of(name, 1, text,
                                       msg("table_file_unknown_heading", heading=text, expected=expected)))
        elif column.id in titles:
            problems.append(Problem.of(name, 1, text, msg("table_file_twice", heading=text)))
        else:
            positions[i] = column
            titles[column.id] = text
    for column in question.columns:
        if column.required and column.id not in titles:
            problems.append(Problem.of(name, 1, heading(column, lang),
                                       msg("table_file_missing_heading", heading=column.label)))
    if problems:
        return TableImport(None, tuple(problems))
    rows: list[Row] = []
    for number, line in enumerate(grid[1:], start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in line):
            continue
        row: Row = {}
        for i, column in positions.items():
            value, wrong = parse_cell(column, line[i] if i < len(line) else None)
            if wrong is not None:
                problems.append(Problem.of(name, number, titles[column.id], wrong))
            elif value is not None:
                row[column.id] = value
        for column in question.columns:
            if column.required and column.id not in row and not any(
                    p.line == number and p.path == titles.get(column.id) for p in problems):
                problems.append(Problem.of(name, number, titles.get(column.id, column.label(lang)),
                                           msg("table_file_required")))
        rows.append(row)
    if problems:
        return TableImport(None, tuple(problems))
    return TableImport(tuple(rows), ())


def _read_upload(name: str, data: bytes) -> tuple[list[list[Any]], Message | None]:
    """The one place an uploaded table file is opened: size limit, type, zip guard, decoding.

    Returns the grid of cells (rows of values as the file holds them) or what is wrong.
    """
    if len(data) > MAX_TABLE_FILE_MB * 1024 * 1024:
        return [], msg("table_file_too_big", mb=MAX_TABLE_FILE_MB)
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xlsx":
        return _read_xlsx(data)
    if suffix == "csv":
        for encoding in ("utf-8-sig", "gb18030"):  # Excel in a Chinese locale saves CSV as GBK
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            return [], msg("table_file_not_text")
        try:
            grid: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            return [], msg("table_file_bad_csv", why=exc)
        return grid, None
    return [], msg("table_file_wrong_type")


def _read_xlsx(data: bytes) -> tuple[list[list[Any]], Message | None]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNPACKED_BYTES:
                return [], msg("table_file_too_big", mb=MAX_TABLE_FILE_MB)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return [], msg("table_file_not_xlsx", why=type(exc).__name__)
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return [], None
        grid: list[list[Any]] = []
        for values in sheet.iter_rows(values_only=True):
            grid.append(list(values))
            if len(grid) > MAX_TABLE_ROWS + 1:
                break
        while grid and all(c is None for c in grid[-1]):
            grid.pop()
        return grid, None
    finally:
        book.close()


# -- export ----------------------------------------------------------------------------------------------------
def _cell_out(column: Column, value: Any, lang: Lang, fmt: Format) -> Any:
    if value is None:
        return None
    if column.type == "yes_no":
        yes = value is True or value == "yes"
        match = {o.value: o.label(lang) for o in column.options}
        return match.get("yes" if yes else "no") or (t(lang, "yes") if yes else t(lang, "no"))
    if column.type == "single_choice":
        return {o.value: o.label(lang) for o in column.options}.get(value, value)
    if column.type == "multiple_choice":
        labels = {o.value: o.label(lang) for o in column.options}
        return "; ".join(labels.get(str(v), str(v)) for v in value) if isinstance(value, list) else value
    if column.type == "date":
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return day.isoformat() if fmt == "csv" else day
    return value


def export_table(question: Question, rows: Iterable[Mapping[str, Any]], lang: Lang, fmt: Format) -> bytes:
    """A table answer as an ``.xlsx`` or ``.csv`` file (bytes) with headings and option labels in ``lang``.

    Import reads the result back to the same rows. CSV carries a UTF-8 byte-order mark so Excel opens
    Chinese text correctly. An empty table gives the headings alone: a template to fill in.
    """
    header = [heading(c, lang) for c in question.columns]
    body = [[_cell_out(c, row.get(c.id), lang, fmt) for c in question.columns] for row in rows]
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in line] for line in body])
        return out.getvalue().encode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    # content: the full-width look-alikes of the characters Excel refuses in a sheet's name.
    sheet.title = question.text(lang)[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼"))
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in body:
        sheet.append(line)
    for i, column in enumerate(question.columns):
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = max(12, min(40, 2 * len(column.label(lang)) + 4))
        if column.type == "date":
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
