"""The catalogue of the program's own words: every key in use exists in both languages with the same
placeholders, no key is left unused, the Chinese follows Chinese writing practice, and the compiled
catalogues the program reads say what the edited ones say."""

from __future__ import annotations

import ast
import io
import re
import string
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from pipia import i18n
from pipia.i18n import LANGS, Lang, chinese_style_faults, msg, msg_n, t, tn

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*sorted((ROOT / "src" / "pipia").rglob("*.py")), ROOT / "app.py"]
# Where a key is passed along rather than named: the catalogue's own lookups.
FORWARDING = "src/pipia/i18n.py"
LOCALE = ROOT / "src" / "pipia" / "locale"
# The functions that take a catalogue key, and where the key is among their arguments.
KEY_ARGUMENT = {"t": 1, "tn": 1, "msg": 0, "msg_n": 0}
PLURAL = {"tn", "msg_n"}


@dataclass(frozen=True)
class Use:
    """One call naming a catalogue key: where, which function, the key (None: not a literal), and the
    placeholder names it passes (None when it passes ``**values`` the scan cannot see). A call choosing
    between literal keys (``"a" if x else "b"``) is one use of each, ``alternative`` set."""

    where: str
    function: str
    key: str | None
    names: frozenset[str] | None
    alternative: bool = False


def _literal_keys(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_keys(node.body), _literal_keys(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def uses_in(source: str, where: str) -> Iterator[Use]:
    """Every call to t/tn/msg/msg_n in ``source`` (by plain name or as an attribute)."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else (
            node.func.attr if isinstance(node.func, ast.Attribute) else "")
        if name not in KEY_ARGUMENT or len(node.args) <= KEY_ARGUMENT[name]:
            continue
        keys = _literal_keys(node.args[KEY_ARGUMENT[name]])
        names = None if any(k.arg is None for k in node.keywords) else frozenset(
            k.arg for k in node.keywords if k.arg is not None)
        candidates: list[str | None] = list(keys) if keys else [None]
        for key in candidates:
            yield Use(f"{where}:{node.lineno}", name, key, names, alternative=keys is not None and len(keys) > 1)


USES = [use for path in SOURCES for use in uses_in(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]


def _catalogue(lang: Lang) -> Catalog:
    with (LOCALE / lang / "LC_MESSAGES" / "pipia.po").open("rb") as fh:
        return read_po(fh)


CATALOGUES = {lang: _catalogue(lang) for lang in LANGS}


def _texts(catalogue: Catalog, key: str) -> list[str]:
    found = catalogue.get(key)
    assert found is not None, key
    string = found.string
    assert string is not None, key
    return list(string) if isinstance(string, (tuple, list)) else [string]


def _id(value: str | tuple[str, ...] | list[str] | None) -> str | tuple[str, ...]:
    assert value is not None
    return value if isinstance(value, str) else tuple(value)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _keys(lang: Lang) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in CATALOGUES[lang] if m.id}


# -- the scan itself ---------------------------------------------------------------------------------------------
def test_the_scan_sees_a_key_that_is_not_a_literal_as_a_fault() -> None:
    source = 'x = t(lang, f"page_{name}")\ny = tn(lang, "merge_items", 3)\nz = text.t(lang, KEY)\nm = msg("ok", a=1)\n'
    source += 'c = t(lang, "yes" if x else "no")\n'
    found = list(uses_in(source, "a.py"))
    assert [(u.where, u.key) for u in sorted(found, key=lambda u: (u.where, u.key or ""))] == [
        ("a.py:1", None), ("a.py:2", "merge_items"), ("a.py:3", None), ("a.py:4", "ok"), ("a.py:5", "no"),
        ("a.py:5", "yes")]
    assert next(u for u in found if u.key == "ok").names == frozenset({"a"})


def test_the_scan_finds_the_calls_of_the_app_the_command_line_and_the_core() -> None:
    places = {u.where.split(":")[0] for u in USES}
    assert "src/pipia/ui/shell.py" in places
    assert len(USES) > 300


# -- every key in use --------------------------------------------------------------------------------------------
def test_every_key_is_written_as_a_literal_so_that_it_can_be_found() -> None:
    assert [u.where for u in USES if u.key is None and not u.where.startswith(FORWARDING)] == []


def test_every_key_in_use_is_in_both_catalogues() -> None:
    for lang in LANGS:
        missing = sorted({f"{u.key} ({u.where})" for u in USES if u.key is not None and u.key not in _keys(lang)})
        assert missing == [], f"not in the {lang} catalogue"


def test_every_key_has_plural_forms_exactly_when_it_is_used_with_a_count() -> None:
    for use in USES:
        if use.key is None:
            continue
        for lang in LANGS:
            entry = CATALOGUES[lang].get(use.key)
            assert entry is not None and entry.pluralizable == (use.function in PLURAL), (use.where, lang)


def test_every_call_passes_exactly_the_placeholders_of_its_text() -> None:
    wrong = []
    for use in USES:
        if use.key is None or use.names is None or use.key not in _keys("en"):
            continue
        expected = set().union(*(_placeholders(s) for s in _texts(CATALOGUES["en"], use.key)))
        if use.function in PLURAL:
            expected.discard("n")  # filled from the count
        if use.function in ("msg", "msg_n"):  # may be filled later (Message.fill, for a table of texts)
            wrong_names = not use.names <= expected
        elif use.alternative:  # one call, two texts: each text's placeholders are passed
            wrong_names = not expected <= use.names
        else:
            wrong_names = use.names != expected
        if wrong_names:
            wrong.append(f"{use.where}: {use.key} passes {sorted(use.names)}, the text has {sorted(expected)}")
    assert wrong == []


def test_no_key_is_left_unused() -> None:
    used = {u.key for u in USES}
    for lang in LANGS:
        assert sorted(_keys(lang) - used) == [], f"in the {lang} catalogue but used nowhere"


# -- the catalogues ----------------------------------------------------------------------------------------------
def test_both_catalogues_hold_the_same_keys_with_the_same_placeholders() -> None:
    assert _keys("zh") == _keys("en")
    for key in sorted(_keys("en")):
        zh = [_placeholders(s) for s in _texts(CATALOGUES["zh"], key)]
        en = [_placeholders(s) for s in _texts(CATALOGUES["en"], key)]
        assert all(z == en[0] for z in zh) and all(e == en[0] or e == en[0] - {"n"} for e in en), key
        assert all(s.strip() for s in _texts(CATALOGUES["zh"], key) + _texts(CATALOGUES["en"], key)), key


def test_every_entry_says_where_it_appears_for_whoever_proofreads_the_words() -> None:
    for lang in LANGS:
        assert [m.id for m in CATALOGUES[lang] if m.id and not m.auto_comments] == [], lang


@pytest.mark.parametrize("key", sorted(_keys("zh")))
def test_the_chinese_text_is_chinese_as_chinese_legal_texts_write_it(key: str) -> None:
    for text in _texts(CATALOGUES["zh"], key):
        assert re.search(r"[\u201c\u201d\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", text), "Chinese text expected"
        assert chinese_style_faults(text) == []


def test_the_compiled_catalogues_say_what_the_edited_ones_say() -> None:
    for lang in LANGS:
        with (LOCALE / lang / "LC_MESSAGES" / "pipia.mo").open("rb") as fh:
            compiled = {_id(m.id): _id(m.string) for m in read_mo(fh) if m.id}
        edited = {_id(m.id): _id(m.string) for m in CATALOGUES[lang] if m.id}
        assert compiled == edited, f"{lang}: run `make catalogues` after editing the .po file"


# -- the lookups -------------------------------------------------------------------------------------------------
def test_a_text_is_looked_up_and_filled_in_the_language_asked_for() -> None:
    assert t("zh", "version_by", who="王敏") == "由 王敏 保存"
    assert t("en", "version_by", who="Wang Min") == "by Wang Min"


def test_english_says_one_and_many_chinese_says_them_alike() -> None:
    assert tn("en", "merge_items", 1) == "1 item"
    assert tn("en", "merge_items", 2) == "2 items"
    assert tn("zh", "merge_items", 1) == "1 项" and tn("zh", "merge_items", 2) == "2 项"


def test_an_unknown_key_is_refused_rather_than_shown_to_the_user() -> None:
    with pytest.raises(i18n.MissingMessage, match="no_such_key"):
        t("en", "no_such_key")
    with pytest.raises(i18n.MissingMessage, match="no_such_key"):
        tn("zh", "no_such_key", 2)


def test_a_message_is_written_later_in_either_language_with_texts_inside_it() -> None:
    saved = msg("version_by", who="王敏")
    assert saved("zh") == "由 王敏 保存" and saved("en") == "by 王敏"
    inner = msg("version_number", revision=2)
    assert msg("restore_version", revision=inner.values["revision"])("en") == "Restore revision 2"
    assert msg_n("merge_items", 5)("en") == "5 items"
    nested = msg("merge_theirs", value=i18n.Localized.of("是", "yes"))
    assert nested("zh") == "其他窗口：是" and nested("en") == "Other window: yes"


def test_the_program_reads_its_words_without_loading_babel() -> None:
    # Babel compiles and checks the catalogues; at run time the standard library reads the compiled ones.
    code = "import sys; from pipia.i18n import t; t('en', 'cancel'); print('babel' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


# -- no words outside the catalogue ------------------------------------------------------------------------------
# A Chinese sentence written in Python is a text a proof-reader of the catalogue never sees, and one that
# has no English twin kept beside it. Found by kind: every string literal under src/pipia holding a CJK
# character (docstrings and comments are not texts the program writes).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

# Whole modules whose Chinese is content rather than the program's words, and why. A single literal that is
# content says so in a comment starting "# content:" on its line or in the comment block just above it.
CONTENT = {
    # The grammar of Chinese legal citations (第三十九条第一款, （一）) and the numerals it counts in.
    "src/pipia/bank/citations.py": "parses and writes Chinese article numbers",
    # Font family names a Word document and a PDF ask for by their Chinese names.
    "src/pipia/report/docxstyle.py": "font names",
    "src/pipia/report/pdf.py": "font names",
    # How each language writes numbers and dates (32万, 2026年3月1日): the formatting rules themselves.
    "src/pipia/i18n.py": "number and date formats",
    # The Word templates' own text, generated once into templates/*.docx (templates/README.md).
    "src/pipia/report/build_templates.py": "template text",
    "src/pipia/report/template_chapters.py": "template text",
    "src/pipia/report/template_annexes.py": "template text",
    "src/pipia/report/writer.py": "template text",
}
CONTENT_MARK = "# content:"


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _marked_content(source: str) -> set[int]:
    """The lines a "# content:" comment covers: its own, and the lines after a comment block holding it."""
    comments = {tok.start[0]: tok.string for tok in tokenize.generate_tokens(io.StringIO(source).readline)
                if tok.type == tokenize.COMMENT}
    lines = source.splitlines()
    marked = set()
    for number in range(1, len(lines) + 1):
        if CONTENT_MARK in comments.get(number, ""):
            marked.add(number)
        above = number - 1
        while above >= 1 and lines[above - 1].lstrip().startswith("#"):
            if CONTENT_MARK in comments.get(above, ""):
                marked.add(number)
                break
            above -= 1
    return marked


def chinese_literals(source: str, where: str) -> list[str]:
    """``file:line`` of every string literal in ``source`` holding CJK text, docstrings, lines marked as
    content and the ``description=`` of a model field (the bank format's documentation, which quotes
    Chinese examples) left out. An f-string counts by its literal parts."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "description":
            skip.update(id(n) for n in ast.walk(node.value))
    content = _marked_content(source)
    return sorted({f"{where}:{node.lineno}" for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                   and node.lineno not in content and CJK.search(node.value)},
                  key=lambda w: int(w.rsplit(":", 1)[1]))


def test_the_scan_for_chinese_literals_sees_texts_and_f_strings_but_not_docstrings() -> None:
    source = ('"""模块说明。"""\n'
              'def f():\n    """函数说明。"""\n    return "应为文本"  # 注释\n'
              'x = f"共 {n} 项"\ny = Field(description="e.g. 人")\nz = "plain English"\n'
              'YES = "是"  # content: the word a spreadsheet cell holds\n'
              '# content: the marker a profile writes\n# (in its YAML)\nTBC = "待确认"\nw = "未回答"\n')
    assert chinese_literals(source, "a.py") == ["a.py:4", "a.py:5", "a.py:12"]


def test_every_module_left_out_of_the_scan_exists() -> None:
    # A list that outlives its reason hides the next fault.
    assert [w for w in sorted(CONTENT) if not (ROOT / w).is_file()] == []


def test_no_python_literal_holds_chinese_words_the_catalogue_should_hold() -> None:
    found = []
    for path in sorted((ROOT / "src" / "pipia").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        if where in CONTENT:
            continue
        found += chinese_literals(path.read_text(encoding="utf-8"), where)
    assert found == [], "move these texts into src/pipia/locale/{zh,en}/LC_MESSAGES/pipia.po"
