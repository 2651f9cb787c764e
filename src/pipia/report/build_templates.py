"""Write templates/report-zh.docx and templates/report-en.docx: ``python -m pipia.report.build_templates``;
with ``--docs``, write templates/CONTEXT.md, the names a template can use, from the typed report context.

The templates are generated rather than drawn in Word so that they stay reproducible and reviewable:
this script is their source, the committed .docx files its output, and a test checks the two agree.
One template per language, from the same report context (see ``context``). Their structure is the CAC
PIPIA report template (Annex 5 of the standard-contract filing guide, 2nd ed.) followed by the annexes
of GB/T 39335 §5.7. A legal team may start its own template from either file (``pipia template check``).
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from pipia.files.resources import templates_dir
from pipia.report import docxstyle
from pipia.report.names import Shape, context_shape
from pipia.report.template_annexes import write_annexes
from pipia.report.template_chapters import write_chapters
from pipia.report.writer import Writer

CONTENTS = [
    (("一、出境活动整体情况", "I. Overview of the outbound transfer"), 0),
    (("（一）个人信息处理者基本情况", "(1) The personal information processor"), 1),
    (("（二）境外接收方情况", "(2) The overseas recipients"), 1),
    (("（三）个人信息处理者认为需要说明的其他情况", "(3) Other matters"), 1),
    (("二、拟出境活动的影响评估情况及结论", "II. Impact assessment of the proposed transfer and conclusion"), 0),
    (("附件1  出境路径核查结果", "Annex 1  Route check"), 0),
    (("附件2  数据映射表", "Annex 2  Data map"), 0),
    (("附件3  风险评估表", "Annex 3  Risk assessment by scenario"), 0),
    (("附件4  风险矩阵", "Annex 4  Risk matrix"), 0),
    (("附件5  各维度不符合项占比", "Annex 5  Gap scores by dimension"), 0),
    (("附件6  整改计划", "Annex 6  Action plan"), 0),
    (("附件7  评估问题与回答", "Annex 7  Questions and answers"), 0),
    (("附件8  法律依据", "Annex 8  Legal references"), 0),
    (("附件9  审批页", "Annex 9  Approval"), 0),
]


def build(lang: str) -> Any:
    """The template of ``lang`` as a python-docx document."""
    document = Document()
    _drop_word_2010_styles(document)
    look = docxstyle.ZH if lang == "zh" else docxstyle.EN
    docxstyle.setup_page(document)
    docxstyle.setup_styles(document, look)
    docxstyle.blank_properties(document)
    # The default document starts with one empty paragraph; the cover replaces it.
    body = document.element.body
    for paragraph in list(body.iterchildren()):
        if paragraph.tag.endswith("}p"):
            body.remove(paragraph)
    out = Writer(document, look, lang)
    _header_footer(out)
    _cover(out)
    _notes(out)
    _contents(out)
    write_chapters(out)
    write_annexes(out)
    return document


# python-docx's default document carries Word 2010's copy of its styles (stylesWithEffects.xml, 438 KB, an
# optional part of Microsoft's own extension of the format): Word 2013 and later and LibreOffice read the
# styles from styles.xml, and pipia sets up only those, so the copy would hold the default styles, never
# pipia's, in every report.
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_word_2010_styles(document: Any) -> None:
    rels = document.part.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == STYLES_WITH_EFFECTS]:
        del rels[rid]


def _header_footer(out: Writer) -> None:
    section = out.doc.sections[0]
    header = section.header.paragraphs[0]
    # An unapproved report says so on every page.
    header.text = out.w("{% if cover.draft %}【草稿】{% endif %}{{ cover.processor }}  个人信息保护影响评估报告",
                        "{% if cover.draft %}[DRAFT] {% endif %}{{ cover.processor }}  "
                        "Personal information protection impact assessment report")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(out.w("第 ", "Page "))
    docxstyle.add_field(footer, "PAGE")
    footer.add_run(out.w(" 页，共 ", " of "))
    docxstyle.add_field(footer, "NUMPAGES")
    footer.add_run(out.w(" 页", ""))


def _cover(out: Writer) -> None:
    w = out.w
    for _ in range(4):
        out.para("", style="Cover Text")
    out.centred(w("个人信息保护影响评估报告", "Personal Information Protection Impact Assessment Report"),
                "Cover Title")
    out.centred(w("（个人信息出境 · {{ cover.route }}）", "(outbound transfer · {{ cover.route }})"), "Cover Text")
    out.tag("if cover.title")
    out.centred(w("评估事项：{{ cover.title }}", "Transfer assessed: {{ cover.title }}"), "Cover Text")
    out.tag("endif")
    for _ in range(8):
        out.para("", style="Cover Text")
    # Filled in as the CAC cover asks: the processor's name (with its seal) and the date.
    out.centred(w("{{ cover.processor }}（盖章）", "{{ cover.processor }} (seal)"), "Cover Text")
    out.centred("{{ cover.date }}", "Cover Text")


def _notes(out: Writer) -> None:
    w = out.w
    out.heading(w("说  明", "Notes"), 1, page_break=True).alignment = WD_ALIGN_PARAGRAPH.CENTER
    out.para(w("一、本报告是个人信息处理者以{{ notes.route }}方式向境外提供个人信息前，"
               "依照{{ notes.basis }}开展个人信息保护影响评估"
               "形成的报告。个人信息处理者对报告内容的真实性负责。",
               "1. This report records the personal information protection impact assessment (PIPIA) the personal "
               "information processor carried out under {{ notes.basis }} before providing personal information "
               "abroad through {{ notes.route }}. The processor is responsible for the truth of its contents."))
    out.para(w("二、本次评估工作于{{ notes.completed }}完成。标准合同备案要求报告所述评估工作在备案前3个月内完成，"
               "据此本报告宜在{{ notes.valid_until }}前使用；出境活动发生变化的，应当重新评估。",
               "2. The assessment was completed on {{ notes.completed }}. A standard-contract filing must rely on "
               "an assessment completed within the 3 months before it, so this report should be used before "
               "{{ notes.valid_until }}; a change in the transfer calls for a new assessment."))
    out.para(w("三、有第三方机构参与评估的，其名称和参与的评估内容见第一章（三）。",
               "3. Where a third party took part in the assessment, its name and role are given in chapter I(3)."))
    out.para(w("四、本报告按照国家互联网信息办公室《个人信息保护影响评估报告（模板）"
               "》的结构编写，第二章对照{{ notes.basis }}"
               "规定的重点评估事项逐项说明；附件1至附件9按照GB/T 39335—2020第5.7条列示评估过程和结果。",
               "4. The report follows the structure of the CAC PIPIA report template; chapter II goes through the "
               "focus items of {{ notes.basis }} one by one, and Annexes 1 to 9 set out the assessment and its "
               "results as GB/T 39335-2020 §5.7 asks. The Chinese version of this report is the one to file."))
    out.tag("if not status.complete")
    out.para((w("五、本次评估尚未完成：", "5. The assessment is not complete: "), True),
             w("{{ status.missing_count }}个必答问题尚未回答，在报告中标示为“未回答”；"
               "据此得出的风险等级和结论均为暂定。",
               "{{ status.missing_count }} required question(s) are unanswered and marked \u201cUnanswered\u201d "
               "in the report; the risk level and conclusion drawn from it are provisional."))
    out.tag("endif")


def _contents(out: Writer) -> None:
    """A TOC field over the chapter and section headings, so the contents carry page numbers.

    Word updates it on opening (``w:updateFields`` in the settings) and the PDF conversion has LibreOffice
    update it (see ``pdf``); until then the field shows the headings of the CAC template without numbers.
    The title is not a heading, so the contents do not list themselves.
    """
    title = out.para(out.w("目  录", "Contents"), style="Contents Title")
    docxstyle.page_break_before(title)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    entries = []
    for (zh, en), level in CONTENTS:
        paragraph = out.para(out.w(zh, en), style="Contents")
        paragraph.paragraph_format.left_indent = Cm(0.85 * level)
        entries.append(paragraph)
    docxstyle.wrap_in_field(entries, r'TOC \o "1-2" \h \z \u')
    docxstyle.update_fields_on_open(out.doc)


DOC_NAME = "CONTEXT.md"


def context_doc() -> str:
    """templates/CONTEXT.md: every name of the report context, from ``contextmodel.ReportContext`` (its
    fields' descriptions) and the names the renderer adds. A part used in several places (an ``Item`` of
    chapter 一, an ``Entry``) is described once, in its own table, and named where it is used."""
    lines = [
        "# Names a report template can use",
        "",
        "Generated from `src/pipia/report/contextmodel.py` by `python -m pipia.report.build_templates --docs`: "
        "do not edit it by hand (a test checks that it is what the generator writes).",
        "",
        "A template prints a name with `{{ cover.processor }}` and tests one with `{% if cover.draft %}`. A name "
        "ending in `[]` is a list: loop over it (`{%p for r in chapter1.recipients %}` … `{%p endfor %}`) and "
        "read the fields of each item (`{{ r.name }}`, listed below as `chapter1.recipients[].name`). Texts "
        "are already in the report's language. `pipia template check FILE` refuses any other name, with the "
        "paragraph it is in and the names valid there.",
        "",
    ]
    top = context_shape()
    uses: dict[str, int] = {}
    for shape in _parts(top):
        uses[shape.type] = uses.get(shape.type, 0) + 1
    shared: dict[str, Shape] = {}
    for shape in _parts(top):
        if uses[shape.type] > 1:
            shared.setdefault(shape.type, shape)

    def rows(shape: Shape, prefix: str) -> list[str]:
        out = []
        for name, child in shape.fields.items():
            path = f"{prefix}{name}"
            part = child.item if child.kind == "list" and child.item else child
            kind = child.type + (" (below)" if part.type in shared else "")
            out.append(f"| `{path}` | {kind} | {child.description.replace('|', chr(92) + '|')} |")
            if part.kind == "object" and part.type not in shared:
                out += rows(part, f"{path}[]." if child.kind == "list" else f"{path}.")
        return out

    header = ["| Name | Type | What it holds |", "|---|---|---|"]
    for name, shape in top.fields.items():
        lines += [f"## `{name}`", "", shape.description, "", *header]
        lines += rows(Shape("object", fields={name: shape}), "")
        lines.append("")
    lines += ["## Parts used in several places", "",
              "Each is named in the tables above where it is used; its fields follow the name there "
              "(`chapter1.processor.basic` is an `Item`, so `chapter1.processor.basic.entries[].answer`).", ""]
    for name, shape in shared.items():
        lines += [f"### {name}", "", shape.doc, "", *header, *rows(shape, "."), ""]
    return "\n".join(lines)


def _parts(shape: Shape) -> Iterator[Shape]:
    """Every object shape under ``shape`` (the items of lists included), the same part once per use."""
    for child in shape.fields.values():
        part = child.item if child.kind == "list" and child.item else child
        if part.kind == "object" and part.type != "image":
            yield part
            yield from _parts(part)


def main(argv: list[str] | None = None) -> int:
    """Write both templates into ``argv[0]`` (default: templates/); with ``--docs``, write CONTEXT.md there."""
    args = list(argv or [])
    docs = "--docs" in args
    args = [a for a in args if a != "--docs"]
    folder = Path(args[0]) if args else templates_dir()
    if docs:
        path = folder / DOC_NAME
        path.write_text(context_doc(), encoding="utf-8")
        sys.stderr.write(f"wrote {path}\n")
        return 0
    for lang in ("zh", "en"):
        path = folder / f"report-{lang}.docx"
        out = io.BytesIO()
        build(lang).save(out)
        path.write_bytes(_fixed_dates(out.getvalue()))
        sys.stderr.write(f"wrote {path}\n")
    return 0


def _fixed_dates(docx: bytes) -> bytes:
    """The same archive with every entry dated alike, so an unchanged template is an unchanged file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            copy.writestr(zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0)), source.read(info),
                          compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
