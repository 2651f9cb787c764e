"""Table answers to and from Excel and CSV: headings in either language, every bad cell named by row and column."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from pipia.answers import tabular
from pipia.answers.format import Answers
from pipia.assessment import visibility
from pipia.bank.format import Question
from pipia.bank.loader import load_bank
from pipia.i18n import Lang

APP_BANK = Path(__file__).parent / "data" / "app" / "bank.yaml"
SHIPPED = Path(__file__).resolve().parents[1] / "questionnaires" / "certification.yaml"

ROWS = [
    {"item": "病历摘要", "sensitive": "health", "individuals": 1200, "encrypted": True,
     "since": dt.date(2025, 3, 1), "purposes": ["orders", "support"]},
    {"item": "Staff e-mail, \"work\"", "sensitive": "none", "individuals": 35, "encrypted": False},
]


@pytest.fixture(scope="module")
def inventory() -> Question:
    return load_bank(APP_BANK).bank.questions["data_inventory"]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_exported_table_imports_back_to_the_same_rows(inventory: Question, fmt: tabular.Format,
                                                         lang: Lang) -> None:
    data = tabular.export_table(inventory, ROWS, lang, fmt)
    result = tabular.import_table(inventory, f"inventory.{fmt}", data, lang)
    assert result.problems == ()
    assert result.rows == tuple(ROWS)


def test_an_export_names_columns_and_options_in_the_chosen_language(inventory: Question) -> None:
    text = tabular.export_table(inventory, ROWS, "zh", "csv").decode("utf-8-sig")
    assert text.splitlines()[0] == "数据项 *,敏感类别 *,人数 *,是否加密,开始出境日期,目的"
    assert "医疗健康" in text and "订单履行; 客户服务" in text and ",是," in text
    english = tabular.export_table(inventory, ROWS, "en", "csv").decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Item *,Sensitive category *,Individuals *")


def test_an_empty_export_is_a_template_with_headings_only(inventory: Question) -> None:
    book = openpyxl.load_workbook(io.BytesIO(tabular.export_table(inventory, [], "en", "xlsx")))
    assert [c.value for c in book.worksheets[0][1]][:2] == ["Item *", "Sensitive category *"]
    assert book.worksheets[0].max_row == 1


def test_cells_are_read_the_way_people_type_them(inventory: Question) -> None:
    data = _xlsx([
        ["数据项", "Sensitive category", "individuals", "是否加密", "开始出境日期", "目的"],
        ["手机号", "Health", 20.0, "否", "2025/1/2", "客户服务，Order fulfilment"],
        [None, None, None, None, None, None],  # an empty line is skipped
        [2025, "none", "1,500", "yes", dt.datetime(2024, 5, 6), None],
    ])
    result = tabular.import_table(inventory, "清单.xlsx", data, "zh")
    assert result.problems == ()
    assert result.rows == (
        {"item": "手机号", "sensitive": "health", "individuals": 20, "encrypted": False,
         "since": dt.date(2025, 1, 2), "purposes": ["support", "orders"]},
        {"item": "2025", "sensitive": "none", "individuals": 1500, "encrypted": True, "since": dt.date(2024, 5, 6)},
    )


def test_every_bad_cell_is_named_by_row_and_column_and_nothing_is_imported(inventory: Question) -> None:
    data = _xlsx([
        ["Item", "Sensitive category", "Individuals", "Encrypted", "Transferred since", "Purposes"],
        ["phone", "secret", "many", "maybe", "soon", "orders"],
        [None, "none", 3, None, None, "holidays"],
    ])
    result = tabular.import_table(inventory, "inventory.xlsx", data, "en")
    assert result.rows is None
    assert [str(p) for p in result.problems] == [
        "inventory.xlsx:2: Sensitive category: “secret” is not an option (expected one of: Not sensitive, Health)",
        "inventory.xlsx:2: Individuals: “many” is not a number",
        "inventory.xlsx:2: Encrypted: “maybe” should be Yes or No",
        "inventory.xlsx:2: Transferred since: “soon” is not a date (expected YYYY-MM-DD)",
        "inventory.xlsx:3: Purposes: “holidays” is not an option (expected one of: Order fulfilment, Customer support)",
        "inventory.xlsx:3: Item: required, must not be empty",
    ]


def test_problems_are_in_both_languages_for_the_user_to_read_in_theirs(inventory: Question) -> None:
    data = "数据项,敏感类别,人数,颜色\n手机号,非敏感,-,红\n".encode()
    result = tabular.import_table(inventory, "清单.csv", data, "zh")
    assert [p.text("zh") for p in result.problems] == [
        "清单.csv:1: 颜色: 无法识别的列标题“颜色”（应为：数据项、敏感类别、人数、是否加密、开始出境日期、目的）"]
    data = "数据项,敏感类别,人数\n手机号,非敏感,-\n".encode()
    [problem] = tabular.import_table(inventory, "清单.csv", data, "zh").problems
    assert (problem.text("zh"), problem.text("en")) == ("清单.csv:2: 人数: “-”不是数字",
                                                        "清单.csv:2: 人数: “-” is not a number")


def test_headings_must_be_known_and_required_ones_present(inventory: Question) -> None:
    result = tabular.import_table(inventory, "x.csv", b"Item,Colour,Item\nphone,red,phone\n", "en")
    assert [str(p) for p in result.problems] == [
        "x.csv:1: Colour: unknown column heading “Colour” (expected one of: Item, Sensitive category, "
        "Individuals, Encrypted, Transferred since, Purposes)",
        "x.csv:1: Item: the column “Item” appears twice",
        "x.csv:1: Sensitive category *: the required column “Sensitive category” is missing",
        "x.csv:1: Individuals *: the required column “Individuals” is missing",
    ]


def test_a_csv_saved_by_excel_in_a_chinese_locale_is_read(inventory: Question) -> None:
    data = "数据项,敏感类别,人数\n身份证号,非敏感,7\n".encode("gbk")
    assert tabular.import_table(inventory, "gbk.csv", data, "zh").rows == (
        {"item": "身份证号", "sensitive": "none", "individuals": 7},)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("big.csv", b"a" * (tabular.MAX_TABLE_FILE_MB * 1024 * 1024 + 1), "the file is larger than 5 MB"),
    ("inventory.xls", b"\xd0\xcf\x11\xe0", "expected an .xlsx or .csv file"),
    ("fake.xlsx", b"not a zip", "not a valid Excel .xlsx file (BadZipFile)"),
    ("empty.csv", b"", "the file has no heading row"),
])
def test_a_file_that_is_not_a_table_is_refused_plainly(inventory: Question, name: str, data: bytes,
                                                        message: str) -> None:
    result = tabular.import_table(inventory, name, data, "en")
    assert result.rows is None
    assert [p.message for p in result.problems] == [message]


def test_a_row_is_checked_cell_by_cell_as_the_row_editor_shows_it(inventory: Question) -> None:
    assert tabular.row_problems(inventory, ROWS[0], "en") == {}
    assert tabular.row_problems(inventory, {"item": "x", "individuals": 3}, "zh") == {
        "sensitive": "必填，不能为空"}


def test_the_shipped_inventory_round_trips_with_all_its_columns() -> None:
    question = load_bank(SHIPPED).bank.questions["data_inventory"]
    assert len(question.columns) >= 13
    row = {c.id: (c.options[0].value if c.options else 5 if c.type == "number" else f"{c.id} 值")
           for c in question.columns}
    data = tabular.export_table(question, [row] * 20, "zh", "xlsx")
    assert tabular.import_table(question, "inventory.xlsx", data, "en").rows == (row,) * 20


# -- a table with a row missing a required cell is not answered ---------------------------------------------
def test_a_table_with_a_row_missing_a_required_cell_is_not_answered(inventory: Question) -> None:
    required = inventory.model_copy(update={"required": True})
    assert visibility.answered(required, ROWS)
    assert not visibility.answered(required, [*ROWS, {"item": "address", "individuals": 4}])
    assert visibility.missing_cells(required, [*ROWS, {"item": "address", "individuals": 4}]) == [(2, "sensitive")]
    assert not visibility.answered(required, [])


def test_progress_counts_a_half_filled_inventory_as_missing() -> None:
    loaded = load_bank(SHIPPED)
    question = loaded.bank.questions["data_inventory"]
    whole = {c.id: (c.options[0].value if c.options else 5 if c.type == "number" else "x") for c in question.columns}
    half = {"item": "姓名"}
    bank_ref = {"id": loaded.bank.id, "version": loaded.bank.version}
    done = Answers.model_validate({"bank": bank_ref, "answers": {"data_inventory": [whole]}})
    open_ = Answers.model_validate({"bank": bank_ref, "answers": {"data_inventory": [whole, half]}})
    missing = {s.question.id for s in visibility.evaluate(loaded.bank, open_).missing}
    assert "data_inventory" in missing
    assert "data_inventory" not in {s.question.id for s in visibility.evaluate(loaded.bank, done).missing}
