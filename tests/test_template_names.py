"""``template check`` knows every name of the typed report context, nested ones included.

A template that misspells ``cover.procesor`` or reads ``r.nmae`` in a loop over recipients is refused
before it is ever rendered, with the paragraph it is in and the names that are valid there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipia.cli import main
from pipia.files.resources import templates_dir
from pipia.report import check_template, shipped_template
from pipia.report.build_templates import DOC_NAME, context_doc
from pipia.report.contextmodel import ReportContext
from pipia.report.names import check_source, context_names

from .report_support import sample, template_with


def unknown(*lines: str) -> list[str]:
    """The names a template of these paragraphs reads that the report does not provide."""
    return [problem.name for problem in check_source("\n".join(lines), "body")]


def test_a_misspelt_field_is_refused_with_its_paragraph_and_the_names_near_it() -> None:
    [problem] = check_source("首页\n{{ cover.procesor }}（盖章）", "body")
    assert problem.name == "cover.procesor"
    assert problem.where == "in the body, at the paragraph “{{ cover.procesor }}（盖章）”"
    assert problem.closest == "cover.processor"
    assert {"cover.processor", "cover.title", "cover.date", "cover.draft"} <= set(problem.known)
    assert str(problem).startswith("in the body, at the paragraph “{{ cover.procesor }}（盖章）”: cover.procesor: ")
    assert "did you mean cover.processor?" in str(problem)


def test_a_misspelt_field_of_a_loop_variable_is_refused_with_the_fields_of_an_item() -> None:
    [problem] = check_source("{% for r in chapter1.recipients %}{{ r.nmae }}{% endfor %}", "body")
    assert problem.name == "r.nmae" and problem.closest == "r.name"
    assert {"r.no", "r.name", "r.basic", "r.destination"} <= set(problem.known)
    assert "each of chapter1.recipients" in str(problem)


def test_a_loop_over_a_name_the_report_lacks_is_refused() -> None:
    assert unknown("{% for r in recipients %}{{ r.nmae }}{% endfor %}") == ["recipients"]


@pytest.mark.parametrize("text", [
    "{{ cover.processor }}{% if cover.draft %}【草稿】{% endif %}",
    "{% for r in chapter1.recipients %}{{ r.destination.name }}{% for e in r.basic.entries %}"
    "{{ loop.index }}. {{ e.lead }}{{ e.answer|rt(e.missing) }}{{ e.evidence|join('；') }}{% endfor %}{% endfor %}",
    "{{ annex.matrix.rows[0].cells[1].level }}{{ annex.matrix.likelihoods[3] }}",
    "{{ annex.route.facts|length }}{{ (annex.route.facts|first).label }}{{ cover['processor'] }}",
    "{% set c = cover %}{{ c.title }}{% with a = annex.approval %}{{ a.signoffs[0].role }}{% endwith %}",
    "{% for s in scenarios if s.risk_code == 'high' %}{{ s.sources[0].share }}{% else %}{{ lang }}{% endfor %}",
    "{% if chart %}{{ chart }}{% endif %}{{ cover.processor.upper() }}{{ conclusion.reasons|join('、') }}",
    "{% for k, v in cover.items() %}{{ k }}{{ v }}{% endfor %}",
    "{% macro line(x) %}{{ x.anything }}{% endmacro %}{{ line(cover) }}",
])
def test_valid_nested_names_pass(text: str) -> None:
    assert unknown(text) == []


@pytest.mark.parametrize("text, name", [
    ("{% set c = cover %}{{ c.titel }}", "c.titel"),
    ("{{ annex.approval.signoffs[0].rol }}", "annex.approval.signoffs[0].rol"),
    ("{{ chapter1.recipients.name }}", "chapter1.recipients.name"),
    ("{% for f in chapter2.focus %}{% for x in f.findings %}{{ x.rectifcation }}{% endfor %}{% endfor %}",
     "x.rectifcation"),
    ("{{ annex['route'].desided }}", "annex['route'].desided"),
    ("{% with a = annex.approval %}{{ a.signofs }}{% endwith %}", "a.signofs"),
])
def test_misspelt_names_are_refused_however_they_are_reached(text: str, name: str) -> None:
    assert unknown(text) == [name]


def test_a_list_read_as_if_it_were_one_item_says_to_loop_over_it() -> None:
    [problem] = check_source("{{ chapter1.recipients.name }}", "body")
    assert "a list" in str(problem) and "{% for" in str(problem)


def test_every_name_the_report_context_provides_is_known_with_its_nesting() -> None:
    names = context_names()
    assert {"cover.processor", "chapter1.recipients[].name", "annex.matrix.rows[].cells[].level", "chart"} <= set(names)
    assert set(ReportContext.model_fields) <= set(names), "the top-level names come from the typed context"


def test_the_shipped_templates_read_only_names_the_report_provides_nested_ones_included() -> None:
    # One child process per check: the two templates are checked in the render tests' module too.
    assert check_template(shipped_template("en")) == []


def test_check_template_refuses_a_nested_typo_in_an_uploaded_template() -> None:
    problems = check_template(template_with("{{ cover.processor }}", "{% for r in chapter1.recipients %}",
                                            "{{ r.nmae }}", "{% endfor %}"), "mine.docx")
    assert [p.name for p in problems] == ["r.nmae"]
    assert problems[0].where == "in the body, at the paragraph “{{ r.nmae }}”"


def test_pipia_template_check_prints_where_the_typo_is_and_the_names_near_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with("{{ cover.procesor }}（盖章）"))
    assert main(["template", "check", str(template), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert f"{template}: in the body, at the paragraph “{{{{ cover.procesor }}}}（盖章）”: cover.procesor: " in out
    assert "did you mean cover.processor?" in out and "cover.title" in out


def test_the_sample_renders_with_every_name_the_check_accepts() -> None:
    # The check and the context agree: each name it knows is present in a real context.
    loaded, answers = sample()
    from pipia.report import build_report_context  # noqa: PLC0415

    context = build_report_context(loaded, answers, "zh")
    for name in context_names():
        if name == "chart":
            continue
        value: object = context
        for part in name.replace("[]", ".[]").split("."):
            if part == "[]":
                assert isinstance(value, list)
                if not value:
                    break
                value = value[0]
            else:
                assert isinstance(value, dict) and part in value, name
                value = value[part]


def test_the_committed_documentation_of_template_names_is_what_the_generator_writes() -> None:
    """Regenerate with ``python -m pipia.report.build_templates --docs`` after changing the typed context."""
    committed = (templates_dir() / DOC_NAME).read_text(encoding="utf-8")
    assert committed == context_doc(), "run `python -m pipia.report.build_templates --docs`"


def test_the_documentation_names_every_field_of_the_typed_context() -> None:
    doc = context_doc()
    for part in ("`cover.processor`", "`chapter1.recipients[].name`", "`chart`", "### Item", "### Entry", "`.answer`"):
        assert part in doc
    assert "The personal information processor's name" in doc, "each name says what it holds"
