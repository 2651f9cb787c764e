"""Answers are data and templates are code: hostile answers come out as typed, hostile templates are stopped."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from docx import Document
from lxml import etree

from pipia.answers import Answers, Response
from pipia.errors import PipiaError
from pipia.i18n import Lang
from pipia.report import RenderTimeout, TemplateError, check_template, make_report, shipped_template
from pipia.report.render import render_docx
from pipia.report.sandbox import MAX_TEMPLATE_BYTES, check_size

from .report_support import document_text, sample

MARKUP = "R&D <Ltd> \"A&B\" 'quoted' </w:t></w:r><w:r><w:t>injected"
JINJA = "{{ 7*7 }} {% if true %}yes{% endif %} {{r x }} {%p endif %} {_{ literal }_}"
MIXED = "混合 mixed 文本 😀👍🏽 — Ünïcödé ✓"
LONG = "很长的文本，" * 20_000 + "END"
CONTROL = "before\x0bafter\x00gone\x07\x1f end & <still> here"


def hostile_answers(answers: Answers) -> Answers:
    meta = answers.meta.model_copy(update={"organisation": "R&D <Ltd> \"A&B\"", "assessor": MIXED})
    changed = answers.model_copy(update={"meta": meta})
    changed = changed.with_value("ownership_control", CONTROL)
    changed = changed.with_value("investments", MARKUP)
    changed = changed.with_value("business_overview", JINJA)
    changed = changed.with_value("processing_overview", LONG)
    old = changed.answers["processor_address"]
    changed = changed.with_response("processor_address", Response(value=MIXED, comment=JINJA, evidence=(MARKUP,)))
    assert old.value != MIXED
    return changed.with_value("recipient_name", "{{ 7*7 }} & <Co> 😀", group="recipients", item=0)


@pytest.fixture(scope="module", params=["zh", "en"])
def hostile(request: pytest.FixtureRequest) -> tuple[Lang, bytes]:
    loaded, answers = sample()
    return request.param, make_report(loaded, hostile_answers(answers), request.param)


def test_hostile_text_comes_out_exactly_as_typed(hostile: tuple[Lang, bytes]) -> None:
    _, docx = hostile
    text = document_text(docx)
    for value in (MARKUP, JINJA, MIXED, "{{ 7*7 }} & <Co> 😀"):
        assert value in text, value
    assert "很长的文本，" * 20_000 + "END" in text, "very long text is kept whole"
    assert "49 yes" not in text, "no template expression was evaluated"


def test_control_characters_are_removed_or_become_line_breaks_and_nothing_after_them_is_lost(
        hostile: tuple[Lang, bytes]) -> None:
    _, docx = hostile
    text = document_text(docx)
    # \x0b (a soft return pasted from Word) starts a new paragraph; \x00, \x07, \x1f are dropped.
    assert "before\naftergone end & <still> here" in text


def test_the_processor_name_survives_in_header_cover_and_properties(hostile: tuple[Lang, bytes]) -> None:
    lang, docx = hostile
    document = Document(io.BytesIO(docx))
    header = "".join(p.text for p in document.sections[0].header.paragraphs)
    # After the draft mark that an unapproved report carries on every page.
    assert header.removeprefix("【草稿】").removeprefix("[DRAFT] ").startswith('R&D <Ltd> "A&B"')
    assert document.core_properties.title.endswith('R&D <Ltd> "A&B"')
    assert document.core_properties.author == MIXED
    seal = "（盖章）" if lang == "zh" else " (seal)"
    assert f'R&D <Ltd> "A&B"{seal}' in document_text(docx)


def test_every_xml_part_of_the_hostile_report_is_well_formed(hostile: tuple[Lang, bytes]) -> None:
    _, docx = hostile
    strict = etree.XMLParser(recover=False)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(archive.read(name), strict)  # raises on any damage


def template_with(*texts: str) -> bytes:
    """A minimal .docx template whose body paragraphs are ``texts``."""
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_template_reaching_into_python_fails_with_a_clear_error() -> None:
    with pytest.raises(TemplateError, match=r"^my\.docx: the template tried an operation that is not allowed"):
        render_docx(template_with("{{ ''.__class__.__mro__ }}"), {"lang": "zh"}, "my.docx")


def test_an_uploaded_template_reaching_into_python_fails_in_its_child_process_too() -> None:
    loaded, answers = sample()
    with pytest.raises(TemplateError, match="the uploaded template: the template tried an operation"):
        make_report(loaded, answers, "zh", template_with("{{ ''.__class__ }}"))


def test_a_template_that_runs_forever_is_stopped() -> None:
    loaded, answers = sample()
    forever = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    with pytest.raises(RenderTimeout, match="took longer than 3 s"):
        make_report(loaded, answers, "zh", template_with(forever), timeout=3)
    assert time.monotonic() - started < 15


def test_a_template_that_builds_a_huge_value_is_stopped() -> None:
    loaded, answers = sample()
    started = time.monotonic()
    with pytest.raises(TemplateError):
        make_report(loaded, answers, "zh", template_with("{{ 'a' * 10**10 }}"), timeout=20)
    assert time.monotonic() - started < 25


def test_a_misspelt_variable_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(TemplateError, match="does not provide"):
        render_docx(template_with("{{ cover.procesor }}"), {"cover": {"processor": "x"}, "lang": "zh"})


def test_check_template_lists_names_the_report_does_not_provide() -> None:
    template = template_with("{{ cover.processor }}", "{{ nonsense }}", "{% for x in others %}{% endfor %}")
    assert check_template(template) == ["nonsense", "others"]
    assert check_template(shipped_template("zh")) == []


@pytest.mark.parametrize("blob, message", [
    (b"not a zip", "not a Word .docx file"),
    (b"PK" + b"\0" * (MAX_TEMPLATE_BYTES + 1), "may have at most"),
])
def test_templates_that_are_not_plausible_docx_files_are_refused_before_parsing(blob: bytes, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        check_size(blob)


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_a_template_holding_a_part_twice_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_with("x"))) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            copy.writestr(info, source.read(info))
        copy.writestr("docProps/core.xml", source.read("docProps/core.xml"))
    with pytest.raises(TemplateError, match=r"docProps/core\.xml twice"):
        check_size(out.getvalue())


def test_report_errors_are_pipia_errors() -> None:
    error: Any = TemplateError("x")
    assert isinstance(error, PipiaError)
