"""Rendered reports, read back with python-docx: structure, key values, formatting and properties."""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from lxml import etree

from pipia.answers.format import Answers
from pipia.bank.loader import load_bank
from pipia.files.resources import templates_dir
from pipia.i18n import Lang
from pipia.report import ReportError, build_report_context, charts, check_template, make_report, shipped_template
from pipia.report.build_templates import CONTENTS, build
from pipia.report.docxorder import out_of_order
from pipia.report.docxstyle import TEXT_WIDTH_CM

from .report_support import document_text, paragraphs, sample


def shading(cell: Any) -> str:
    """The fill colour of a table cell (RRGGBB)."""
    properties = cell._tc.tcPr
    assert properties is not None
    return str(properties.find(qn("w:shd")).get(qn("w:fill")))


@cache
def rendered(lang: Lang) -> bytes:
    loaded, answers = sample()
    return make_report(loaded, answers, lang)


def headings(docx: bytes) -> list[str]:
    document = Document(io.BytesIO(docx))
    return [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_has_every_chapter_and_annex_in_order(lang: Lang) -> None:
    found = headings(rendered(lang))
    expected = [(zh if lang == "zh" else en) for (zh, en), level in CONTENTS if level == 0]
    positions = [found.index(title) for title in expected]
    assert positions == sorted(positions)


def test_the_chinese_report_carries_the_sample_facts() -> None:
    text = document_text(rendered("zh"))
    for value in ("杭州云帆跨境电子商务有限公司（盖章）", "2026年10月15日", "91330108MA2H7Y5K3Q",
                  "Brightwave Cloud, Inc.", "云帆国际私人有限公司（Yunfan International Pte. Ltd.）",
                  "（一）个人信息处理者和境外接收方处理个人信息的目的、范围、方式等的合法性、正当性、必要性",
                  "评估结论为：完成整改后可以继续出境", "《个人信息出境认证办法》第六条", "周晓岚（法务合规部高级经理）"):
        assert value in text, value


def test_the_chinese_report_prints_labels_not_codes_and_no_english_template_text() -> None:
    text = document_text(rendered("zh"))
    for code in ("proceed_after_fixes", "treat_after_weighing", "very_high", "report.1.1", "focus.1", "None"):
        assert code not in text, code
    for english in ("Annex", "Rating", "Finding ", "Unanswered", "Assessor's note"):
        assert english not in text, english


def test_the_english_report_is_the_same_report_in_english() -> None:
    text = document_text(rendered("en"))
    for value in ("Personal Information Protection Impact Assessment Report", "15 October 2026",
                  "the transfer may continue after the listed fixes", "Certification Measures Art. 6",
                  "Annex 4  Risk matrix", "Brightwave Cloud, Inc."):
        assert value in text, value
    assert "Hangzhou" in text or "杭州云帆跨境电子商务有限公司" in text  # names stay as the user typed them


def test_the_risk_matrix_is_a_shaded_table_with_each_scenario_in_its_cell() -> None:
    document = Document(io.BytesIO(rendered("zh")))
    matrix = next(t for t in document.tables if t.rows[0].cells[0].text == "影响程度＼可能性")
    assert [c.text for c in matrix.rows[0].cells] == ["影响程度＼可能性", "低", "中", "高", "很高"]
    assert [r.cells[0].text for r in matrix.rows[1:]] == ["严重", "高", "中", "低"]
    fills = [[shading(c) for c in r.cells[1:]] for r in matrix.rows[1:]]
    assert fills[0] == ["FFEB9C", "F8CBAD", "FF8B8B", "FF8B8B"]  # severe impact: medium, high, severe, severe
    assert fills[3] == ["C6EFCE", "C6EFCE", "FFEB9C", "FFEB9C"]
    cells = "\n".join(c.text for r in matrix.rows[1:] for c in r.cells[1:])
    assert "Brightwave Cloud, Inc." in cells and "Yunfan International Pte. Ltd." in cells


def test_the_action_plan_prints_the_recorded_status_and_leaves_the_rest_to_fill() -> None:
    # From an answers file alone (no store), the status comes from the bank's rectification table.
    document = Document(io.BytesIO(rendered("zh")))
    plan = next(t for t in document.tables
                if [c.text for c in t.rows[0].cells][-3:] == ["责任人", "完成期限", "状态及证明材料"])
    rows = [[c.text for c in r.cells] for r in plan.rows[1:]]
    assert len(rows) > 3
    recorded = [r for r in rows if r[-1]]
    assert any(r[-3:-1] == ["周晓岚（法务合规部）", "2026年12月31日"] and r[-1].startswith("已采取缓解措施，持续监测")
               for r in recorded)
    assert any(r[-3:] == ["", "", ""] for r in rows), "findings without a record are left blank to fill in"


def test_the_chinese_template_follows_the_cac_formatting_rules() -> None:
    document = Document(io.BytesIO(rendered("zh")))
    section = document.sections[0]
    def cm(length: Length | None) -> float:
        assert length is not None
        return float(length.cm)

    assert (round(cm(section.page_width), 1), round(cm(section.page_height), 1)) == (21.0, 29.7)
    assert round(cm(section.top_margin), 2) == round(cm(section.bottom_margin), 2) == 2.54
    assert round(cm(section.left_margin), 2) == round(cm(section.right_margin), 2) == 3.18
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert (fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii")), fonts.get(qn("w:hAnsi"))) == (
        "仿宋", "Times New Roman", "Times New Roman")
    assert normal.paragraph_format.line_spacing == Pt(26)
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    for name, font, bold in (("Heading 1", "黑体", None), ("Heading 2", "楷体", True), ("Heading 3", "仿宋", True)):
        style = document.styles[name]
        assert style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == font
        assert style.font.bold is bold or (bold is None and not style.font.bold)
        assert style.paragraph_format.keep_with_next


def test_pages_are_numbered_and_the_header_names_the_processor() -> None:
    document = Document(io.BytesIO(rendered("zh")))
    section = document.sections[0]
    footer = section.footer._element
    assert any("PAGE" in (t.text or "") for t in footer.iter(qn("w:instrText")))
    assert "杭州云帆跨境电子商务有限公司" in "".join(paragraphs(section.header._element))
    assert section.different_first_page_header_footer, "no header or page number on the cover"


def test_document_properties_are_set_after_rendering() -> None:
    props = Document(io.BytesIO(rendered("zh"))).core_properties
    assert props.title == "个人信息保护影响评估报告 — 杭州云帆跨境电子商务有限公司"
    assert props.author == "周晓岚（法务合规部高级经理）"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_templates_use_only_what_the_report_provides(lang: Lang) -> None:
    assert check_template(shipped_template(lang)) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_committed_templates_are_what_the_build_script_writes(lang: Lang) -> None:
    """Regenerate with ``python -m pipia.report.build_templates`` after changing the script."""
    committed = Document(io.BytesIO(shipped_template(lang)))
    fresh = build(lang)

    def structure(document: Any) -> list[tuple[str, str]]:
        body = document.element.body
        return [(child.tag.rsplit("}", 1)[1], "\n".join(paragraphs(child)) if child.tag != qn("w:sectPr") else "")
                for child in body.iterchildren()]

    assert structure(committed) == structure(fresh)
    assert [s.name for s in committed.styles] == [s.name for s in fresh.styles]
    assert committed.styles.element.xml == fresh.styles.element.xml
    assert paragraphs(committed.sections[0].header._element) == paragraphs(fresh.sections[0].header._element)


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_dimension_chart_is_a_word_chart_holding_every_label_and_score(lang: Lang) -> None:
    docx = rendered(lang)
    loaded, answers = sample()
    dimensions = build_report_context(loaded, answers, lang)["annex"]["dimensions"]
    document = Document(io.BytesIO(docx))
    [chart] = [r.target_part for r in document.part.rels.values() if r.reltype.endswith("/chart")]
    assert chart.content_type == "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
    space = etree.fromstring(chart.blob)
    labels = [v.text for v in space.iterfind(f".//{C}cat//{C}v")]
    values = [float(v.text or "") for v in space.iterfind(f".//{C}val//{C}v")]
    assert labels == [f"{d['code']} {d['label']}" for d in dimensions]
    assert values == [round(d["value"], 1) for d in dimensions]
    # The body shows it where the template prints {{ chart }}, by the relationship to the part.
    [reference] = document.element.body.iterfind(f".//{C}chart")
    assert document.part.related_parts[reference.get(qn("r:id"))] is chart
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        assert not [n for n in package.namelist() if n.startswith("word/media/")], "no picture of a chart"


def test_a_dimension_nothing_was_answered_for_has_a_label_but_no_bar_and_nothing_scored_no_chart() -> None:
    rows: list[dict[str, Any]] = [{"code": "D1", "label": "合法性 <&>", "value": 12.345},
                                  {"code": "D2", "label": "告知", "value": None}]
    space = etree.fromstring(charts.chart_part_xml(rows, "zh"))
    assert [v.text for v in space.iterfind(f".//{C}cat//{C}v")] == ["D1 合法性 <&>", "D2 告知"]
    assert [(p.get("idx"), p.findtext(f"{C}v")) for p in space.iterfind(f".//{C}val//{C}pt")] == [("0", "12.3")]
    assert not charts.has_chart([{**rows[0], "value": None}])
    loaded = load_bank(Path(__file__).parent / "data" / "banks" / "scored.yaml")
    empty = Answers.model_validate({"bank": {"id": "scored", "version": "1.0"}})
    document = Document(io.BytesIO(make_report(loaded, empty, "en")))
    assert not [r for r in document.part.rels.values() if r.reltype.endswith("/chart")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_properties_are_in_the_order_word_expects(lang: Lang) -> None:
    document = Document(io.BytesIO(rendered(lang)))
    assert out_of_order(document.element.body) == []
    assert out_of_order(document.styles.element) == []
    assert out_of_order(document.sections[0].header._element) == []


def test_an_empty_assessment_of_a_small_bank_still_gives_a_readable_report() -> None:
    loaded = load_bank(Path(__file__).parent / "data" / "banks" / "scored.yaml")
    empty = Answers.model_validate({"bank": {"id": "scored", "version": "1.0"}})
    text = document_text(make_report(loaded, empty, "en"))
    for said in ("No information given.", "No overseas recipient is given", "Unanswered",
                 "The route check could not be completed", "The assessment is not complete"):
        assert said in text, said


def test_a_bank_without_scoring_parameters_cannot_make_a_report() -> None:
    tiny = load_bank(Path(__file__).parent / "data" / "banks" / "tiny.yaml")
    with pytest.raises(ReportError, match="no scoring parameters"):
        make_report(tiny, Answers.model_validate({"bank": {"id": "tiny", "version": "1"}}), "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_table_of_the_shipped_templates_stays_within_the_text_block(lang: str) -> None:
    document = Document(str(templates_dir() / f"report-{lang}.docx"))
    for table in document.tables:
        width = sum(int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))) / 567
        assert width <= TEXT_WIDTH_CM + 0.01, width


def test_each_part_of_a_template_is_compiled_once_per_process_and_reused() -> None:
    from pipia.report import render  # noqa: PLC0415 - the renderer's own cache is what is checked

    loaded, answers = sample()
    first = make_report(loaded, answers, "en")
    before = render._compiled.cache_info()
    again = make_report(loaded, answers, "en")
    after = render._compiled.cache_info()
    assert after.misses == before.misses, "nothing compiled again for the same template"
    assert after.hits > before.hits
    assert document_text(first) == document_text(again)


def test_a_report_is_saved_once_with_its_properties_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from docx.document import Document as WordDocument  # noqa: PLC0415

    from pipia.report import docxzip  # noqa: PLC0415

    saves: list[object] = []
    save, archive = WordDocument.save, docxzip.archive
    def counted(self: WordDocument, target: Any) -> None:
        saves.append(target)
        save(self, target)

    def archived(members: Any, date_time: Any = None) -> bytes:
        saves.append(members)
        return archive(members, date_time)

    monkeypatch.setattr(WordDocument, "save", counted)
    monkeypatch.setattr(docxzip, "archive", archived)
    loaded, answers = sample()
    docx = make_report(loaded, answers, "zh")
    assert len(saves) == 1, "rendered, reordered and given its properties, then saved once"
    document = Document(io.BytesIO(docx))
    assert out_of_order(document.element.body) == []
    assert document.core_properties.author == "周晓岚（法务合规部高级经理）"


def test_a_template_error_quotes_its_paragraph_when_the_template_comes_from_the_cache() -> None:
    from pipia.report import render  # noqa: PLC0415
    from pipia.report.errors import TemplateError  # noqa: PLC0415

    broken = build("en")
    broken.add_paragraph("Owner: {{ cover.no_such_field }}")
    out = io.BytesIO()
    broken.save(out)
    loaded, answers = sample()
    context = build_report_context(loaded, answers, "en")
    messages = []
    for _ in range(2):
        with pytest.raises(TemplateError) as caught:
            render.render_docx(out.getvalue(), context, "mine.docx")
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "Owner:" in messages[0] and "mine.docx" in messages[0]


def test_tabs_and_breaks_are_resolved_as_docxtpl_resolves_them_paragraph_by_paragraph() -> None:
    from docxtpl import DocxTemplate  # noqa: PLC0415

    from pipia.report import render  # noqa: PLC0415

    with zipfile.ZipFile(io.BytesIO(shipped_template("zh"))) as package:
        body = package.read("word/document.xml").decode("utf-8")
    # The template's own paragraphs, and printed text holding each character docxtpl acts on.
    printed = body.replace("{{", "a\tb\nc\ad\fe {{", 40)
    tpl = render._Template(io.BytesIO(shipped_template("zh")))
    for xml in (body, printed, '<w:p w:rsidR="1"><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
                '<w:t xml:space="preserve">x\ty\az</w:t></w:r></w:p><w:p><w:r><w:t>plain</w:t></w:r></w:p>'):
        assert tpl.resolve_listing(xml) == DocxTemplate.resolve_listing(tpl, xml)
    assert tpl.resolve_listing(printed) != printed, "the test must hold text docxtpl changes"


def test_tables_are_fixed_as_docxtpl_fixes_them_and_left_alone_when_their_grid_fits() -> None:
    from docxtpl import DocxTemplate  # noqa: PLC0415

    from pipia.report import render  # noqa: PLC0415
    from pipia.report.docxorder import put_in_order  # noqa: PLC0415

    with zipfile.ZipFile(io.BytesIO(rendered("zh"))) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    body = etree.tostring(document.find(qn("w:body")), encoding="unicode")  # as docxtpl gives it
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    grid = '<w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>'
    cell, wide = "<w:tc><w:p/></w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p/></w:tc>'
    tables = {  # a {%tc %} loop may leave a row wider or narrower than the grid
        "fits": f"<w:tr>{cell * 2}</w:tr><w:tr>{wide}</w:tr>",
        "a cell more": f"<w:tr>{cell * 3}</w:tr>",
        "a cell fewer": f"<w:tr>{cell}</w:tr>",
        "spanning past the grid": f"<w:tr>{cell}{wide}</w:tr>",  # docxtpl leaves it so
        "no rows": "",
    }
    tpl = render._Template(io.BytesIO(shipped_template("zh")))
    changed = []
    for name, rows in {"the sample": None, **tables}.items():
        xml = body if rows is None else f"<w:body {w}><w:tbl>{grid}{rows}</w:tbl></w:body>"
        theirs = DocxTemplate.fix_tables(tpl, xml)
        put_in_order(theirs)
        assert etree.tostring(tpl.fix_tables(xml)) == etree.tostring(theirs), name
        if etree.tostring(theirs) != etree.tostring(etree.fromstring(xml)):
            changed.append(name)
    assert changed == ["a cell more", "a cell fewer", "no rows"], "the test must hold tables to fix"


def test_a_template_opened_once_and_copied_renders_as_one_opened_afresh_and_is_never_rendered_itself() -> None:
    from pipia.report import render  # noqa: PLC0415

    loaded, answers = sample()
    template = shipped_template("en")
    context = build_report_context(loaded, answers, "en")

    def parts(docx: bytes) -> list[tuple[str, bytes]]:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            return [(name, package.read(name)) for name in package.namelist()]

    afresh = render._Template(io.BytesIO(template))  # a file, not bytes: docxtpl opens it itself
    afresh.render(render.template_values(afresh, context), jinja_env=render._Compiler(), autoescape=True)
    render._set_properties(afresh.docx, context)
    out = io.BytesIO()
    afresh.save(out)
    first, second = render.render_docx(template, context), render.render_docx(template, context)
    assert parts(first) == parts(out.getvalue())
    assert parts(second) == parts(first), "the second render starts from the template, not from the first report"
    assert "{{" in document_text(_saved(render._opened(template).document)), "the opened template keeps its tags"


def test_a_report_is_written_as_python_docx_writes_it_with_the_parts_no_render_changes_compressed_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pipia.report import docxzip, render  # noqa: PLC0415

    loaded, answers = sample()
    template = shipped_template("zh")
    context = build_report_context(loaded, answers, "zh")
    render.render_docx(template, context)
    opened = render._opened(template)
    kept = {str(part.partname): part.blob for part in opened.kept}
    assert {"/word/styles.xml", "/word/theme/theme1.xml", "/word/numbering.xml"} <= set(kept)
    compressed: list[str] = []
    member = docxzip.member
    def counted(name: str, data: bytes) -> docxzip.Member:
        compressed.append(name)
        return member(name, data)

    monkeypatch.setattr(docxzip, "member", counted)
    tpl = render._Template(template)
    tpl.render(render.template_values(tpl, context), jinja_env=render._Compiler(), autoescape=True)
    render._set_properties(tpl.docx, context)
    ours = render._saved(tpl.docx, opened)
    theirs = _saved(tpl.docx)
    assert compressed and not {name.lstrip("/") for name in kept} & set(compressed), "kept parts compressed again"
    with zipfile.ZipFile(io.BytesIO(ours)) as mine, zipfile.ZipFile(io.BytesIO(theirs)) as docx:
        assert mine.testzip() is None
        fields = ("filename", "CRC", "file_size", "compress_size", "compress_type", "flag_bits", "external_attr",
                  "create_system", "create_version", "extract_version", "header_offset")
        assert [[getattr(i, f) for f in fields] for i in mine.infolist()] == [
            [getattr(i, f) for f in fields] for i in docx.infolist()]
        assert [mine.read(i) for i in mine.infolist()] == [docx.read(i) for i in docx.infolist()]
    for _ in range(2):
        render.render_docx(template, context)
    assert {str(part.partname): part.blob for part in opened.kept} == kept, "a render changed a kept part"


def _saved(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_report_too_large_for_a_plain_zip_is_written_by_python_docx_with_zip64(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pipia.report import docxzip  # noqa: PLC0415

    def too_large(members: Any, date_time: Any = None) -> bytes:
        raise ValueError("the archive is too large to be written without zip64")

    monkeypatch.setattr(docxzip, "archive", too_large)
    loaded, answers = sample()
    assert document_text(make_report(loaded, answers, "en")) == document_text(rendered("en"))


def test_a_part_no_render_changes_that_relates_to_one_it_may_is_copied_too_and_written_once() -> None:
    from docx.opc.packuri import PackURI  # noqa: PLC0415
    from docx.opc.part import Part  # noqa: PLC0415

    from pipia.report import render  # noqa: PLC0415

    document = Document(io.BytesIO(shipped_template("en")))
    shared = Part(PackURI("/word/shared.bin"), "application/octet-stream", b"shared", document.part.package)
    document.part._styles_part.relate_to(shared, "http://example.com/shared")
    document.part.relate_to(shared, "http://example.com/shared")
    template = _saved(document)
    loaded, answers = sample()
    docx = render.render_docx(template, build_report_context(loaded, answers, "en"))
    assert "/word/styles.xml" not in {str(part.partname) for part in render._opened(template).kept}
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        names = package.namelist()
    assert names.count("word/shared.bin") == 1 and names.count("word/styles.xml") == 1


@pytest.mark.parametrize("extra", [
    [],
    ['Typed: xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" <w:p xmlns:a="x">'],
    ["{{ chart }}"],  # a second chart repeats the first one's declarations
])
def test_a_body_parsed_in_its_documents_frame_is_the_body_docxtpl_moves_into_it(extra: list[str]) -> None:
    from docxtpl import DocxTemplate  # noqa: PLC0415

    from pipia.report import render  # noqa: PLC0415
    from pipia.report.docxorder import put_in_order  # noqa: PLC0415

    class Moved(render._Template):
        def fix_tables(self, xml: str) -> Any:
            tree = DocxTemplate.fix_tables(self, xml)
            put_in_order(tree)
            return tree

        fix_docpr_ids = DocxTemplate.fix_docpr_ids
        map_tree = DocxTemplate.map_tree

    document = build("en")
    for text in extra:
        document.add_paragraph(text)
    template = _saved(document)
    loaded, answers = sample()
    context = build_report_context(loaded, answers, "en")
    framed: list[bool] = []
    frame = render._Template._framed

    def spied(self: Any, xml: str) -> Any:
        tree = frame(self, xml)
        framed.append(tree is not None)
        return tree

    docx = []
    for kind in (render._Template, Moved):
        tpl = kind(template)
        tpl._framed = spied.__get__(tpl)  # type: ignore[method-assign]
        tpl.render(render.template_values(tpl, context), jinja_env=render._Compiler(), autoescape=True)
        render._set_properties(tpl.docx, context)
        docx.append(render._saved(tpl.docx, render._opened(template)))
    with zipfile.ZipFile(io.BytesIO(docx[0])) as ours, zipfile.ZipFile(io.BytesIO(docx[1])) as moved:
        assert [(n, ours.read(n)) for n in ours.namelist()] == [(n, moved.read(n)) for n in moved.namelist()]
    assert framed == [extra != ["{{ chart }}"]], "framed unless a declaration is repeated"


def test_the_renderer_loads_no_network_or_mail_modules_and_escapes_chart_text_as_saxutils_would() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    from xml.sax.saxutils import escape  # noqa: PLC0415

    probe = "import sys, pipia.report.render; print(sorted({'urllib.request', 'http.client'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "[]\n"
    for text in ("R&D <b>\"x\" 'y'", "&amp;", "评估报告", ""):
        assert charts.escape(text) == escape(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_shipped_templates_and_their_reports_carry_no_word_2010_copy_of_the_styles(lang: Lang) -> None:
    for docx in (shipped_template(lang), rendered(lang)):
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            names = package.namelist()
            assert "word/styles.xml" in names and "word/stylesWithEffects.xml" not in names
            assert b"stylesWithEffects" not in package.read("[Content_Types].xml")
            assert b"stylesWithEffects" not in package.read("word/_rels/document.xml.rels")
