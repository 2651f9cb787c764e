"""``pipia report`` and ``pipia template check``: files in, reports out, exit codes a script can rely on."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document

from pipia.cli import main
from pipia.report import pdf

from .report_support import SAMPLE, document_text
from .test_report_safety import template_with


def test_one_answers_file_gives_one_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.docx"
    assert main(["report", str(SAMPLE), "-o", str(out), "--lang", "en"]) == 0
    assert "Annex 9  Approval" in document_text(out.read_bytes())
    assert f"wrote {out}" in capsys.readouterr().err


def test_a_folder_as_output_takes_the_answers_file_name(tmp_path: Path) -> None:
    assert main(["report", str(SAMPLE), "-o", str(tmp_path)]) == 0
    assert (tmp_path / "crossborder-ecommerce.docx").is_file()


def test_a_batch_goes_on_past_a_broken_file_and_reports_it(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLE, inputs / "a.yaml")
    (inputs / "b.yaml").write_text("bank: [unclosed\n", encoding="utf-8")
    shutil.copy(SAMPLE, inputs / "c.yaml")
    (inputs / "notes.txt").write_text("not an answers file", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(inputs), "-o", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "c.docx"]
    err = capsys.readouterr().err
    assert "3 answers file(s): 2 report(s) written, 1 failed" in err
    assert f"{inputs / 'b.yaml'}:" in err and "malformed YAML" in err
    assert "3/3" in err, "a progress bar counts the files"


def test_a_batch_goes_on_past_a_file_with_a_date_that_does_not_exist(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    sample = SAMPLE.read_text(encoding="utf-8")
    assert "assessment_date: 2026-10-15" in sample
    (inputs / "a.yaml").write_text(sample.replace("assessment_date: 2026-10-15", "assessment_date: 2026-02-30"),
                                   encoding="utf-8")
    shutil.copy(SAMPLE, inputs / "b.yaml")
    out = tmp_path / "out"
    assert main(["report", str(inputs), "-o", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["b.docx"]
    err = capsys.readouterr().err
    assert "2026-02-30 is not a date that exists" in err and "Traceback" not in err


def test_pdf_without_libreoffice_says_how_to_install_it_and_still_writes_the_docx(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    out = tmp_path / "report.docx"
    assert main(["report", str(SAMPLE), "-o", str(out), "--pdf"]) == 1
    assert Document(io.BytesIO(out.read_bytes())).paragraphs
    assert not out.with_suffix(".pdf").exists()
    assert "apt-get install libreoffice-writer-nogui fonts-noto-cjk" in capsys.readouterr().err


def test_a_bad_template_fails_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with("{{ ''.__class__ }}"))
    assert main(["report", str(SAMPLE), "-o", str(tmp_path / "r.docx"), "--template", str(template)]) == 1
    assert "not allowed" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()


def test_template_check_passes_a_good_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with("{{ cover.processor }}：{{ conclusion.label }}"))
    kept = tmp_path / "sample.docx"
    assert main(["template", "check", str(template), "-o", str(kept)]) == 0
    out = capsys.readouterr().out
    assert "every name it uses is provided by the report" in out and "renders the sample assessment" in out
    assert "杭州云帆跨境电子商务有限公司：完成整改后可以继续出境" in document_text(kept.read_bytes())


def test_template_check_lists_what_the_report_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with("{{ cover.processor }}", "{{ signature_block }}"))
    assert main(["template", "check", str(template)]) == 1
    out = capsys.readouterr().out
    assert "uses 1 name(s) the report does not provide:\n  signature_block" in out
    assert "rendering the sample assessment failed" in out


def test_a_missing_answers_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "r.docx")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("paragraphs, where, fix", [
    (("Intro", "{%p if lang %}", "text", "{%p endfi %}"), "at the paragraph “{% endfi %}”", "did you mean “endif”?"),
    (("Intro", "{%p if score > 50% %}", "text", "{%p endif %}"), "at the paragraph “{%p if score > 50% %}”",
     "must not contain “%”"),
])
def test_a_template_error_names_the_file_the_paragraph_and_the_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], paragraphs: tuple[str, ...], where: str, fix: str) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with(*paragraphs))
    assert main(["report", str(SAMPLE), "-o", str(tmp_path / "r.docx"), "--template", str(template)]) == 1
    err = capsys.readouterr().err
    assert f"pipia: {template}: in the body, {where}: " in err
    assert fix in err
    assert "uploaded" not in err and "of its XML" not in err
    assert main(["template", "check", str(template)]) == 1
    err = capsys.readouterr().err
    assert f"pipia: {template}: in the body, {where}: " in err and fix in err


def test_a_template_error_in_a_page_header_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = Document(io.BytesIO(template_with("body")))
    document.sections[0].header.paragraphs[0].text = "{{ cover.processor }} {% endfor %}"
    template = tmp_path / "mine.docx"
    document.save(str(template))
    assert main(["template", "check", str(template)]) == 1
    assert "in a page header, at the paragraph “{{ cover.processor }} {% endfor %}”" in capsys.readouterr().err
