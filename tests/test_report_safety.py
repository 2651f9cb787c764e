"""Answers are data and templates are code: hostile answers come out as typed, hostile templates are stopped."""

from __future__ import annotations

import io
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import jinja2.filters
import pytest
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree

from pipia.answers.format import Answers, Response
from pipia.errors import PipiaError
from pipia.i18n import Lang
from pipia.report import (
    MAX_ANSWER_CHARS,
    RenderTimeout,
    TemplateError,
    TextTooLong,
    build_report_context,
    check_template,
    locate,
    make_report,
    render,
    shipped_template,
)
from pipia.report.render import render_docx
from pipia.report.sandbox import MAX_TEMPLATE_BYTES, check_size

from .report_support import document_text, sample, template_with

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


def test_a_template_reaching_into_python_fails_with_a_clear_error() -> None:
    with pytest.raises(TemplateError, match=r"^my\.docx: in the body, at the paragraph .*: the template tried an operation that is not allowed"):
        render_docx(template_with("{{ ''.__class__.__mro__ }}"), {"lang": "zh"}, "my.docx")


def test_an_uploaded_template_reaching_into_python_fails_in_its_child_process_too() -> None:
    loaded, answers = sample()
    with pytest.raises(TemplateError, match=r"the uploaded template: in the body, .*: the template tried an operation"):
        make_report(loaded, answers, "zh", template_with("{{ ''.__class__ }}"))


def test_a_template_that_runs_forever_is_stopped() -> None:
    loaded, answers = sample()
    forever = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    started = time.monotonic()
    # The child works until the time is up, so the time allowed is what this test costs: one second shows
    # the stop as well as more would.
    with pytest.raises(RenderTimeout, match="took longer than 1 s"):
        make_report(loaded, answers, "zh", template_with(forever), timeout=1)
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
    assert [p.name for p in check_template(template)] == ["nonsense", "others"]
    assert check_template(shipped_template("zh")) == []


@pytest.mark.parametrize("defines", [
    "{% set s = 'a' %}", "{% set s %}a{% endset %}", "{% import 'x' as s %}",
    "{% from 'x' import y as s %}", "{% macro s() %}a{% endmacro %}", "{% for s, t in [] %}{% endfor %}",
    "{% with s = 1 %}{% endwith %}",
])
def test_check_template_does_not_list_names_the_template_defines_itself(defines: str) -> None:
    # Set inside an {% if %} and read later, a name is still the template's own, not one the report lacks.
    template = template_with("{% if cover.title %}", defines, "{{ s }}{% endif %}", "{{ nonsense }}")
    assert [p.name for p in check_template(template)] == ["nonsense"]


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


# -- nothing a template can reach touches files or the document ----------------------------------------------
def full_context() -> dict[str, Any]:
    loaded, answers = sample()
    return build_report_context(loaded, answers, "en")


def test_the_render_child_loads_the_renderer_and_not_the_assessment() -> None:
    # The child process an uploaded template renders in starts for every report: what it imports is paid
    # each time. It needs docxtpl and the context's names, not the evaluation or the answers' models.
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, pipia.report.sandbox, pipia.report.render; "
                               "print(' '.join(sorted(m for m in sys.modules if m.startswith('pipia'))))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert "pipia.report.render" in loaded
    assert not {"pipia.answers.format", "pipia.assessment.evaluation", "pipia.report.api",
                "pipia.report.context", "pipia.bank.format"} & set(loaded), loaded


def test_the_report_package_hands_out_its_public_names_and_no_others() -> None:
    import pipia.report as package  # noqa: PLC0415 - the package itself is what is checked

    for name in package.__all__:
        assert getattr(package, name) is not None, name
    assert package.make_report.__module__ == "pipia.report.api"
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        getattr(package, "nothing_here")  # noqa: B009 - a name not written in the code on purpose


def test_a_template_cannot_read_a_server_file_into_the_report(tmp_path: Path) -> None:
    secret = tmp_path / "server-secret.txt"
    secret.write_text("SERVER-SECRET-42", encoding="utf-8")
    exploit = template_with(f"{{{{ chart.tpl.replace_zipname('docProps/app.xml', '{secret}') }}}}", "x")
    try:
        docx = render_docx(exploit, full_context(), "mine.docx")
    except TemplateError:
        return
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        assert not any(b"SERVER-SECRET-42" in archive.read(n) for n in archive.namelist())


@pytest.mark.parametrize("reach", ["chart.tpl.save('{path}')", "chart.tpl.docx.save('{path}')",
                                   "chart.image_descriptor.write('x')", "(cover|rt).tpl.save('{path}')"])
def test_a_template_cannot_write_a_file(tmp_path: Path, reach: str) -> None:
    target = tmp_path / "written.docx"
    exploit = template_with("{{ " + reach.format(path=target) + " }}")
    with pytest.raises(TemplateError, match=r"^mine\.docx: "):
        render_docx(exploit, full_context(), "mine.docx")
    assert not target.exists()


def test_an_uploaded_template_cannot_write_a_file_through_its_child_process_either(tmp_path: Path) -> None:
    loaded, answers = sample()
    target = tmp_path / "written.docx"
    with pytest.raises(TemplateError):
        make_report(loaded, answers, "zh", template_with(f"{{{{ chart.tpl.save('{target}') }}}}"))
    assert not target.exists()


PLAIN = (str, int, float, bool, type(None))


def reachable(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value a template can reach from ``value``: items of containers, public attributes of objects."""
    found = [(path, value)]
    if isinstance(value, dict):
        for key, item in value.items():
            found += reachable(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found += reachable(item, f"{path}[{i}]")
    elif not isinstance(value, PLAIN):
        for name in dir(value):
            if not name.startswith("_"):  # the sandbox refuses underscore attributes
                found += reachable(getattr(value, name), f"{path}.{name}")
    return found


def test_every_value_a_template_can_reach_is_plain_data_or_printable_xml_with_nothing_on_it() -> None:
    tpl = DocxTemplate(io.BytesIO(shipped_template("en")))
    values = render.template_values(tpl, full_context())
    env = render.environment()
    values |= {f"|{name}": render_filter(env, name) for name in render.FILTERS}
    assert values["chart"] is not None, "the sample has a chart: the test must see it"
    for path, value in reachable(values):
        assert isinstance(value, (*PLAIN, dict, list, tuple, render.Xml)), f"{path}: {type(value).__name__}"
        if isinstance(value, render.Xml):
            assert [n for n in dir(value) if not n.startswith("_")] == [], path
    # Jinja's own globals are functions that build text; nothing else is offered.
    assert set(env.globals) <= {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}
    assert set(env.filters) - set(jinja2.filters.FILTERS) == set(render.FILTERS)


def render_filter(env: Any, name: str) -> Any:
    """What a filter of ours returns for a typical value."""
    return env.filters[name]("text")


def test_the_render_context_refuses_anything_but_plain_data() -> None:
    tpl = DocxTemplate(io.BytesIO(shipped_template("en")))
    with pytest.raises(TypeError, match=r"cover\.logo: .*Path"):
        render.template_values(tpl, {"lang": "en", "cover": {"logo": Path("/etc/passwd")}})


# -- checking a template costs the caller nothing; a killed caller leaves nothing behind -------------------
def test_checking_a_template_that_folds_a_huge_constant_is_bounded_and_happens_in_a_child() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB
    started = time.monotonic()
    with pytest.raises(TemplateError, match=r"^mine\.docx: "):
        check_template(template_with("{{ 'a' * 10**9 }}"), "mine.docx", timeout=2)
    assert time.monotonic() - started < 20
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < 200 * 1024, f"this process grew by {grown // 1024} MiB: the template was compiled here"


KILLED_CALLER = """
import sys
from pipia.report.sandbox import render_isolated
from tests.report_support import template_with
forever = "{% for i in range(10**6) %}{% for j in range(10**6) %}{% endfor %}{% endfor %}"
render_isolated(template_with(forever), {"lang": "zh", "secret": "ANSWERS-IN-A-FILE"}, "t", timeout=120)
"""


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except OSError:
        return False


def test_a_killed_caller_takes_its_render_child_with_it_and_leaves_no_file(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    caller = subprocess.Popen([sys.executable, "-c", KILLED_CALLER], cwd=Path(__file__).parents[1],
                              env={**os.environ, "TMPDIR": str(temp)})
    deadline = time.monotonic() + 30
    while not children_of(caller.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    (child,) = children_of(caller.pid)
    time.sleep(1)  # let it read its job
    caller.kill()
    caller.wait()
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child), "the render child outlived the process that started it"
    assert not any(b"ANSWERS-IN-A-FILE" in f.read_bytes() for f in temp.rglob("*") if f.is_file())
    assert list(temp.iterdir()) == []


def test_an_answer_too_long_for_word_is_refused_with_its_question_not_silently_cut() -> None:
    loaded, answers = sample()
    huge = answers.with_value("processing_overview", "x" * 50_000_000)
    with pytest.raises(TextTooLong, match=r"^answers\.processing_overview: 50,000,000 characters .* at most 1,000,000"):
        make_report(loaded, huge, "zh")


def test_the_longest_answer_allowed_comes_out_whole_whatever_its_characters() -> None:
    loaded, answers = sample()
    worst = "&" * (MAX_ANSWER_CHARS - 1) + "E"  # every & is five bytes once escaped
    assert "&" * 1000 + "E" in document_text(make_report(loaded, answers.with_value("processing_overview", worst)))


def test_a_template_importing_another_is_told_it_cannot() -> None:
    with pytest.raises(TemplateError, match="cannot import, include or extend other templates"):
        render_docx(template_with("评估事项：{% import '/etc/passwd' as x %}"), {"lang": "zh"}, "my.docx")


@pytest.mark.parametrize("paragraphs, quoted", [
    (("{%p if lang %}", "评估事项：{{ ''.__class__ }}", "{%p endif %}"), "评估事项：{{ ''.__class__ }}"),
    (("{%p if lang %}", "评估事项：{{ lang }}", "{%p endif %}", "{%p if lang %}", "{{ ''.__class__ }}", "{%p endif %}"),
     "{{ ''.__class__ }}"),
])
def test_an_error_quotes_the_paragraph_holding_the_faulty_tag_not_the_next_one(
        paragraphs: tuple[str, ...], quoted: str) -> None:
    with pytest.raises(TemplateError, match=f"^my\\.docx: in the body, at the paragraph “{re.escape(quoted)}”: "):
        render_docx(template_with(*paragraphs), {"lang": "zh"}, "my.docx")


def test_moving_tags_onto_their_own_lines_changes_nothing_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded, answers = sample()
    context = build_report_context(loaded, answers, "zh")

    def body() -> bytes:
        with zipfile.ZipFile(io.BytesIO(render_docx(shipped_template("zh"), context))) as docx:
            return docx.read("word/document.xml")

    ours = body()
    monkeypatch.setattr(locate, "own_lines", lambda source: source)
    assert ours == body()


def test_a_printed_value_comes_out_the_same_whether_or_not_it_holds_anything_to_clean_or_escape() -> None:
    from markupsafe import Markup  # noqa: PLC0415

    from pipia.report import render  # noqa: PLC0415

    # Every character below U+0100, the non-characters and a surrogate, alone and amid ordinary text.
    characters = [chr(c) for c in range(0x100)] + ["\ufffe", "\uffff", "\ud800", "\u3000", "评"]
    values: list[object] = [v for c in characters for v in (c, f"评估{c}报告", f"{{_{c}_}}", f"{c}\r\n{c}")]
    values += ["", "plain", "评估报告", "{_{ x }_}", "R&D <b>", "it's \"quoted\"", Markup("<b>x</b>"), 3, None]
    for value in values:
        fast, full = render._finalize(value), render._finalized(value)
        assert (fast, type(fast)) == (full, type(full)), repr(value)
    assert sum(isinstance(v, str) and not render._FINALIZED.search(v) for v in values) > 100, "both ways tested"
