"""Word formatting for the report templates, with python-docx: page, fonts, styles, fields, tables.

The Chinese report follows the CAC template's instructions: A4, margins 2.54 cm top and bottom and
3.18 cm left and right; body 仿宋 四号 (14 pt) with Times New Roman for Latin letters and digits;
level-1 headings 黑体, level-2 楷体 bold, level-3 仿宋 bold; line spacing fixed at 26 pt; first-line
indent of two characters. The English report keeps the page and the structure, in Times New Roman.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

LATIN = "Times New Roman"


@dataclass(frozen=True)
class Look:
    """The fonts and spacing of one language's report."""

    body: str  # East Asian font of body text
    h1: str
    h2: str
    h3: str
    size: float  # body size in points
    line: float | None  # fixed line spacing in points; None for single spacing plus space after
    indent_chars: int  # first-line indent, in characters
    lang: str


ZH = Look(body="仿宋", h1="黑体", h2="楷体", h3="仿宋", size=14, line=26, indent_chars=2, lang="zh-CN")
EN = Look(body="宋体", h1="宋体", h2="宋体", h3="宋体", size=12, line=None, indent_chars=0, lang="en-GB")


def set_fonts(rpr_owner: Any, east_asia: str, latin: str = LATIN) -> None:
    """Latin letters and digits in ``latin``, Chinese in ``east_asia``, overriding any theme fonts."""
    fonts = rpr_owner.get_or_add_rPr().get_or_add_rFonts()
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:cs", latin), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)


def _lang(rpr_owner: Any, look: Look) -> None:
    rpr = rpr_owner.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US" if look.lang == "zh-CN" else look.lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def setup_page(document: Any) -> None:
    """Make the document's page A4 (21 x 29.7 cm) with the margins of Chinese official documents, and no header on the
    cover.
    """
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(3.18)
    section.header_distance = section.footer_distance = Cm(1.5)
    section.different_first_page_header_footer = True  # no header or page number on the cover


def setup_styles(document: Any, look: Look) -> None:
    """Set the document's Normal, heading and table styles to ``look``: fonts (Chinese and Latin), sizes in points,
    spacing and first-line indent.
    """
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(look.size)
    normal.font.name = LATIN
    set_fonts(normal.element, look.body)
    _lang(normal.element, look)
    _spacing(normal.paragraph_format, look)
    _indent_chars(normal.element, look.indent_chars, look.size)
    english = look.line is None
    for name, font, bold, size in (("Heading 1", look.h1, english, look.size + (4 if english else 2)),
                                   ("Heading 2", look.h2, True, look.size + (1 if english else 0)),
                                   ("Heading 3", look.h3, True, look.size),
                                   ("Heading 4", look.h3, True, look.size)):
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.name = LATIN
        set_fonts(style.element, font)
        fmt = style.paragraph_format
        fmt.keep_with_next = True  # never a heading alone at the foot of a page
        fmt.space_before = Pt(6 if look.line else 12)
        fmt.space_after = Pt(0 if look.line else 6)
        _spacing(fmt, look, heading=True)
        _indent_chars(style.element, look.indent_chars, size)
    _add_paragraph_style(document, "Table Text", look, size=10.5, align=None)
    _add_paragraph_style(document, "Table Heading", look, size=10.5, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True,
                         font=look.h1 if look.lang == "zh-CN" else look.body)
    _add_paragraph_style(document, "Caption Text", look, size=look.size - 2, align=WD_ALIGN_PARAGRAPH.CENTER,
                         bold=True, font=look.h1 if look.lang == "zh-CN" else look.body, keep=True)
    _add_paragraph_style(document, "Figure", look, size=look.size, align=WD_ALIGN_PARAGRAPH.CENTER)
    # After a table: a sliver of space, so a table that fills a page does not push an empty paragraph
    # (and with it a blank page) in front of the next page-break heading.
    _add_paragraph_style(document, "Table Spacer", look, size=4, align=None)
    _add_paragraph_style(document, "Cover Title", look, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True,
                         font=look.h1)
    _add_paragraph_style(document, "Cover Text", look, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, font=look.body)
    _add_paragraph_style(document, "Contents", look, size=look.size, align=None, indent_left=0)
    # The contents' title looks like a chapter heading but is not one, so the TOC does not list itself.
    _add_paragraph_style(document, "Contents Title", look, size=look.size + (4 if look.lang != "zh-CN" else 2),
                         align=WD_ALIGN_PARAGRAPH.CENTER, bold=look.lang != "zh-CN", font=look.h1, keep=True)
    styles["Contents Title"].paragraph_format.space_after = Pt(12)
    # What an updated TOC field writes its entries in (Word's built-in names): the page number at the
    # right margin after a dotted leader.
    for level in (1, 2):
        _add_paragraph_style(document, f"TOC {level}", look, size=look.size, align=None,
                             indent_left=0.85 * (level - 1))
        stops = styles[f"TOC {level}"].paragraph_format.tab_stops
        stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    for name in ("Header", "Footer"):
        style = styles[name]
        style.font.size = Pt(10.5)
        set_fonts(style.element, look.body)


def _add_paragraph_style(document: Any, name: str, look: Look, size: float, align: Any, bold: bool = False,
                         font: str | None = None, keep: bool = False, indent_left: float | None = None) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(size)
    style.font.bold = bold
    set_fonts(style.element, font or look.body)
    fmt = style.paragraph_format
    fmt.first_line_indent = Cm(0)
    _indent_chars(style.element, 0, size)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if name in ("Caption Text",):
        fmt.space_before, fmt.space_after = Pt(6), Pt(3)
    if name == "Table Spacer":
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(6)
    if name == "Contents" or name.startswith("TOC "):
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if look.line else WD_LINE_SPACING.SINGLE
        if look.line:
            fmt.line_spacing = Pt(look.line)
        else:
            fmt.space_after = Pt(4)
    if align is not None:
        fmt.alignment = align
    fmt.keep_with_next = keep
    if indent_left is not None:
        fmt.left_indent = Cm(indent_left)


def _spacing(fmt: Any, look: Look, heading: bool = False) -> None:
    if look.line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(look.line)
        if not heading:  # official documents space lines evenly: no extra space between paragraphs
            fmt.space_before = fmt.space_after = Pt(0)
    else:
        fmt.line_spacing = 1.15
        if not heading:
            fmt.space_after = Pt(6)


def _indent_chars(style_element: Any, chars: int, size: float) -> None:
    """First-line indent in characters (w:firstLineChars), so it stays two characters at any font size."""
    ind = style_element.get_or_add_pPr().get_or_add_ind()  # in its schema place, before w:outlineLvl
    for key in list(ind.attrib):
        if key.endswith("firstLine") or key.endswith("firstLineChars") or key.endswith("hanging"):
            del ind.attrib[key]
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(int(chars * size * 20)))  # twips, for readers without *Chars


def add_field(paragraph: Any, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs."""
    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def wrap_in_field(paragraphs: list[Any], instruction: str) -> None:
    """Make ``paragraphs`` the shown result of one field (a TOC): begin and instruction before the first
    paragraph's text, end after the last's. A field result may span paragraphs in WordprocessingML."""
    def run(child: Any) -> Any:
        r = OxmlElement("w:r")
        r.append(child)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    first = paragraphs[0]._p
    anchor = first.find(qn("w:pPr"))
    position = 0 if anchor is None else list(first).index(anchor) + 1
    for offset, child in enumerate((begin, instr, separate)):
        first.insert(position + offset, run(child))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraphs[-1]._p.append(run(end))


def update_fields_on_open(document: Any) -> None:
    """Ask Word to update the fields (the contents' page numbers) when the report is opened."""
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


TEXT_WIDTH_CM = 21.0 - 2 * 3.18  # A4 less the left and right margins (see page setup above)


def fit(widths_cm: list[float]) -> list[float]:
    """Column widths scaled down, in proportion, so the table stays within the text block."""
    total = sum(widths_cm)
    if total <= TEXT_WIDTH_CM:
        return widths_cm
    return [round(w * TEXT_WIDTH_CM / total, 3) for w in widths_cm]


def table(document: Any, widths_cm: list[float], header: list[str] | None) -> Any:
    """A bordered table of fixed column widths, with a header row repeated on every page."""
    tbl = document.add_table(rows=0, cols=len(widths_cm))
    tbl.style = document.styles["Table Grid"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    if header is not None:
        row = tbl.add_row()
        _repeat_header(row)
        for cell, text in zip(row.cells, header, strict=True):
            cell.paragraphs[0].style = document.styles["Table Heading"]
            cell.paragraphs[0].add_run(text)
            shade(cell, "E7E6E6")
    return tbl


def set_widths(tbl: Any, widths_cm: list[float]) -> None:
    """Set a table's column widths, in centimetres, one per column (raises ValueError when the counts differ)."""
    grid = tbl._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(width * 567)))
    for row in tbl.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def no_split(row: Any) -> None:
    """Keep a table row on one page."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def shade(cell: Any, fill: str) -> None:
    """Fill a table cell with the colour ``fill`` (hex RGB, e.g. 'FFC7CE')."""
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def page_break_before(paragraph: Any) -> None:
    """Start the paragraph on a new page."""
    paragraph.paragraph_format.page_break_before = True


def blank_properties(document: Any) -> None:
    """Neutral core properties: the renderer sets title, author and subject after each render."""
    props = document.core_properties
    for name in ("title", "author", "subject", "keywords", "comments", "category", "last_modified_by",
                 "identifier", "language", "content_status", "version"):
        setattr(props, name, "")
    props.revision = 1
    props.created = props.modified = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
