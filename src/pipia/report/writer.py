"""Building blocks for writing a docxtpl template with python-docx: text in the right style, Jinja tags
on paragraphs and table rows of their own, and the looped tables the report is made of.

docxtpl's ``{%p %}`` and ``{%tr %}`` tags replace the whole paragraph or table row they sit in, so each
tag gets a paragraph or row to itself; a table cell always keeps one paragraph without a tag, because
Word refuses a cell without a paragraph.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from pipia.report import docxstyle
from pipia.report.docxstyle import Look

Run = tuple[str, bool]  # text, bold
Content = str | Run | list[str | Run]  # one paragraph of a table cell: a text, a bold text, or runs


class Writer:
    """Writes the Word report template: paragraphs, headings, tables and docxtpl (Jinja) tags, in Chinese or English."""

    def __init__(self, document: Any, look: Look, lang: str) -> None:
        self.doc, self.look, self.lang = document, look, lang

    def w(self, zh: str, en: str) -> str:
        """``zh`` or ``en``, whichever is the template's language."""
        return zh if self.lang == "zh" else en

    def recipient(self, var: str) -> str:
        """The recipient an entry belongs to, before its text: 【name】 or [name]."""
        return self.w(f"{{% if {var}.recipient %}}【{{{{ {var}.recipient }}}}】{{% endif %}}",
                      f"{{% if {var}.recipient %}}[{{{{ {var}.recipient }}}}] {{% endif %}}")

    # -- paragraphs ------------------------------------------------------------------------------
    def para(self, *runs: str | Run, style: str | None = None, align: Any = None, indent: bool = True,
             keep: bool = False) -> Any:
        """A paragraph of runs; ``keep``: a lead-in that must stay on the page of what follows it."""
        paragraph = self.doc.add_paragraph(style=style)
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        for run in runs:
            text, bold = (run, False) if isinstance(run, str) else run
            paragraph.add_run(text).bold = bold or None
        if align is not None:
            paragraph.alignment = align
        if not indent:
            paragraph.paragraph_format.first_line_indent = 0
        return paragraph

    def tag(self, jinja: str) -> None:
        """A paragraph holding only a ``{%p ... %}`` tag; it disappears when rendered."""
        self.doc.add_paragraph(f"{{%p {jinja} %}}")

    def heading(self, text: str, level: int, page_break: bool = False) -> Any:
        """Add a heading of ``level`` (1-4), on a new page when ``page_break``."""
        paragraph = self.doc.add_heading(level=level)
        paragraph.add_run(text)
        if page_break:
            docxstyle.page_break_before(paragraph)
        return paragraph

    def page_break(self) -> None:
        """Add a page break."""
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def caption(self, text: str) -> Any:
        """Add a table or figure caption."""
        return self.para(text, style="Caption Text")

    def bullets(self, var: str, expr: str = "{{ x }}", prefix: str = "{{ loop.index }}. ") -> None:
        """One paragraph per item of the list ``var``."""
        self.tag(f"for x in {var}")
        self.para(prefix + expr)
        self.tag("endfor")

    # -- entries: a question in bold, then its answer --------------------------------------------
    def entries(self, var: str, empty: str) -> None:
        """Write the loop over the entries of ``var``: each recipient, question lead (bold) and answer, with notes;
        ``empty`` when there are none.
        """
        self.tag(f"if {var}.empty")
        self.para(empty)
        self.tag("endif")
        self.tag(f"for e in {var}.entries")
        paragraph = self.para((self.recipient("e") + "{{ e.lead }}", True))
        paragraph.add_run("{{r e.answer|rt(e.missing) }}")
        self.note_lines("e")
        self.tag("endfor")

    def note_lines(self, var: str, style: str | None = None, indent: bool = True) -> None:
        """The assessor's comment and evidence under an answer, each only when given."""
        self.tag(f"if {var}.comment")
        self.para((self.w("评估说明：", "Assessor's note: "), True), f"{{{{ {var}.comment }}}}", style=style,
                  indent=indent)
        self.tag("endif")
        self.tag(f"if {var}.evidence")
        sep = self.w("；", "; ")
        self.para((self.w("证明材料：", "Evidence: "), True), f"{{{{ {var}.evidence|join('{sep}') }}}}", style=style,
                  indent=indent)
        self.tag("endif")

    # -- tables ----------------------------------------------------------------------------------
    def table(self, header: list[str], cells: list[list[Content]], widths: list[float],
              loop: str | None = None, fills: list[str | None] | None = None) -> Any:
        """A table with a header row and one body row, repeated for each item when ``loop`` is given.

        ``cells`` holds the paragraphs of each cell (a text, a (text, bold) pair, or a list of them as runs);
        a paragraph that starts with ``{%p`` is a tag paragraph. ``fills`` gives a ``{% cellbg %}``
        expression (a colour) per cell.
        """
        widths = docxstyle.fit(widths)
        tbl = docxstyle.table(self.doc, widths, header)
        if loop:
            self._tag_row(tbl, f"{{%tr for {loop} %}}")
        row = tbl.add_row()
        if len(cells) > 2:  # a short row of many columns reads best kept on one page
            docxstyle.no_split(row)
        for i, (cell, paragraphs) in enumerate(zip(row.cells, cells, strict=True)):
            fill = fills[i] if fills else None
            for j, content in enumerate(paragraphs):
                paragraph = cell.paragraphs[0] if j == 0 else cell.add_paragraph()
                paragraph.style = self.doc.styles["Table Text"]
                runs = content if isinstance(content, list) else [content]
                for k, run in enumerate(runs):
                    text, bold = (run, False) if isinstance(run, str) else run
                    if j == 0 and k == 0 and fill:
                        text = f"{{% cellbg {fill} %}}{text}"
                    paragraph.add_run(text).bold = bold or None
        if loop:
            self._tag_row(tbl, "{%tr endfor %}")
        docxstyle.set_widths(tbl, widths)
        self.doc.add_paragraph(style="Table Spacer")  # Word merges two tables with nothing between them
        return tbl

    def _tag_row(self, tbl: Any, text: str) -> None:
        row = tbl.add_row()
        row.cells[0].paragraphs[0].add_run(text)

    def centred(self, text: str, style: str) -> Any:
        """Add a centred paragraph in ``style``."""
        return self.para(text, style=style, align=WD_ALIGN_PARAGRAPH.CENTER)
