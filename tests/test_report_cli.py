"""``pipia report`` and ``pipia template check``: files in, reports out, exit codes a script can rely on."""

from __future__ import annotations

import errno
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from pipia.cli import _batch_targets, main
from pipia.i18n import chinese_style_faults
from pipia.report import pdf

from .report_support import SAMPLE, document_text, template_with

TEMPLATES = Path(__file__).parents[1] / "templates"  # the shipped templates


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
    assert main(["report", str(inputs), "-o", str(out), "--lang", "en"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "c.docx"]
    err = capsys.readouterr().err
    assert "3 answers files: 2 reports written, 1 failed" in err
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
    assert main(["report", str(inputs), "-o", str(out), "--lang", "en"]) == 1
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
    assert main(["report", str(SAMPLE), "-o", str(tmp_path / "r.docx"), "--template", str(template), "--lang", "en"]) == 1
    assert "not allowed" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()


def test_template_check_passes_a_good_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with("{{ cover.processor }}：{{ conclusion.label }}"))
    kept = tmp_path / "sample.docx"
    assert main(["template", "check", str(template), "-o", str(kept)]) == 0
    out = capsys.readouterr().out
    assert "使用的名称报告均已提供" in out and "可生成示例评估的报告" in out
    assert "杭州云帆跨境电子商务有限公司：完成整改后可以继续出境" in document_text(kept.read_bytes())


def test_template_check_lists_what_the_report_lacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with("{{ cover.processor }}", "{{ signature_block }}"))
    assert main(["template", "check", str(template)]) == 1
    out = capsys.readouterr().out
    assert "使用了报告未提供的 1 个名称：" in out
    assert (f"  {template}：正文中的段落“{{{{ signature_block }}}}”：signature_block：报告未提供这个名称") in out
    assert "用示例评估生成报告失败" in out
    assert main(["template", "check", str(template), "--lang", "en"]) == 1
    assert (f"  {template}: in the body, at the paragraph "
            "“{{ signature_block }}”: signature_block: the report provides no such name") in capsys.readouterr().out


def test_template_check_in_chinese_explains_a_typo_in_chinese(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with("Intro", "{%p if lang %}", "text", "{%p endfi %}"))
    assert main(["template", "check", str(template), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert err == (f"pipia: {template}：正文中的段落“{{% endfi %}}”：未知标签“endfi”；是否应为“endif”？"
                   "请在 Word 中改正后重新保存模板\n")
    template.write_bytes(template_with("{{ cover.procesor }}"))
    assert main(["template", "check", str(template), "--lang", "zh"]) == 1
    out = capsys.readouterr().out
    assert f"  {template}：正文中的段落“{{{{ cover.procesor }}}}”：cover.procesor：cover 中没有这个名称；" \
           "是否应为 cover.processor？其中的名称有：" in out
    assert chinese_style_faults(out) == []


def test_a_missing_answers_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "r.docx")]) == 2
    assert "nope.yaml：文件或文件夹不存在" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "r.docx"), "--lang", "en"]) == 2
    assert "nope.yaml: no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("paragraphs, where, fix", [
    (("Intro", "{%p if lang %}", "text", "{%p endfi %}"), "at the paragraph “{% endfi %}”", "did you mean “endif”?"),
    (("Intro", "{%p if score > 50% %}", "text", "{%p endif %}"), "at the paragraph “{%p if score > 50% %}”",
     "must not contain “%”"),
    # A paragraph followed by a {%p %} tag: the tag shares its line in the compiled XML; the paragraph is quoted.
    (("Intro", "{%p if cover.title %}", "评估事项：{% endfi %}", "{%p endif %}"),
     "at the paragraph “评估事项：{% endfi %}”", "did you mean “endif”?"),
])
def test_a_template_error_names_the_file_the_paragraph_and_the_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], paragraphs: tuple[str, ...], where: str, fix: str) -> None:
    template = tmp_path / "mine.docx"
    template.write_bytes(template_with(*paragraphs))
    assert main(["report", str(SAMPLE), "-o", str(tmp_path / "r.docx"), "--template", str(template),
                 "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert f"pipia: {template}: in the body, {where}: " in err
    assert fix in err
    assert "uploaded" not in err and "of its XML" not in err
    assert main(["template", "check", str(template), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert f"pipia: {template}: in the body, {where}: " in err and fix in err


def test_a_template_error_in_a_page_header_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = Document(io.BytesIO(template_with("body")))
    document.sections[0].header.paragraphs[0].text = "{{ cover.processor }} {% endfor %}"
    template = tmp_path / "mine.docx"
    document.save(str(template))
    assert main(["template", "check", str(template), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "in a page header, at the paragraph “{{ cover.processor }} {% endfor %}”" in err
    # An endfor with no loop open is Jinja's "unknown tag": said as what it is, not "did you mean endfor?".
    assert "“endfor” ends or continues a block that is not open here" in err and "did you mean" not in err


def _outputs_that_cannot_be_written(tmp: Path) -> list[tuple[list[str], str]]:
    (tmp / "a-file").write_text("", encoding="utf-8")
    (tmp / "a-folder.docx").mkdir()
    shipped = TEMPLATES / "report-zh.docx"
    return [
        (["new", "--bank", "pipia-certification", "-o", str(tmp / "no-folder" / "x.json"), "--lang", "en"],
         f"{tmp / 'no-folder' / 'x.json'}: cannot write the file: its folder does not exist"),
        (["template", "check", str(shipped), "-o", str(tmp / "a-folder.docx"), "--lang", "en"],
         f"{tmp / 'a-folder.docx'}: is a folder (expected the name of a file to write)"),
        (["report", str(SAMPLE), "-o", str(tmp / "a-file" / "x.docx"), "--lang", "en"],
         f"{tmp / 'a-file'}: exists and is not a folder (expected a folder to write into)"),
        (["report", str(SAMPLE), str(SAMPLE), "-o", str(tmp / "a-file")],
         f"{tmp / 'a-file'}：已存在且不是文件夹（应为要写入的文件夹）"),
    ]


@pytest.mark.parametrize("case", range(4))
def test_an_output_that_cannot_be_written_is_a_plain_usage_error(
        case: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, said = _outputs_that_cannot_be_written(tmp_path)[case]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert f"pipia: {said}\n" in err and "Traceback" not in err


def test_template_check_refuses_an_output_it_cannot_write_before_checking_anything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import pipia.report  # noqa: PLC0415

    def not_now(*_: object, **__: object) -> None:
        raise AssertionError("the template was checked although its output could not be written")

    monkeypatch.setattr(pipia.report, "check_template", not_now)
    shipped = TEMPLATES / "report-zh.docx"
    missing = tmp_path / "no-folder" / "checked.docx"
    assert main(["template", "check", str(shipped), "-o", str(missing), "--lang", "en"]) == 2
    assert f"pipia: {missing}: cannot write the file: its folder does not exist\n" in capsys.readouterr().err


def test_report_refuses_an_output_it_cannot_write_before_reading_or_rendering_anything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import pipia.report  # noqa: PLC0415

    def not_now(*_: object, **__: object) -> None:
        raise AssertionError("the report was rendered although it could not be written")

    monkeypatch.setattr(pipia.report, "make_report", not_now)
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    (tmp_path / "out" / "x.pdf").mkdir(parents=True)
    assert main(["report", str(SAMPLE), "-o", str(tmp_path / "a-file" / "x.docx"), "--lang", "en"]) == 2
    assert f"{tmp_path / 'a-file'}: exists and is not a folder" in capsys.readouterr().err
    assert main(["report", str(SAMPLE), "-o", str(tmp_path / "out" / "x.docx"), "--pdf", "--lang", "en"]) == 2
    assert f"{tmp_path / 'out' / 'x.pdf'}: is a folder" in capsys.readouterr().err
    assert not (tmp_path / "out" / "x.docx").exists()


def test_a_report_that_fails_leaves_no_folder_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank: {id: no-such-bank, version: '1'}\n", encoding="utf-8")
    assert main(["report", str(broken), "-o", str(tmp_path / "new" / "deep" / "r.docx"), "--lang", "en"]) != 0
    assert not (tmp_path / "new").exists()
    assert "Traceback" not in capsys.readouterr().err


def test_a_device_a_pipe_or_a_name_too_long_is_refused_as_an_output_not_replaced_or_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A report is written to a new file renamed over its name: a pipe (or /dev/null, run as root) would be
    replaced by a file. A name the system cannot take is said as such, as every output problem is."""
    pipe = tmp_path / "pipe.docx"
    os.mkfifo(pipe)
    assert main(["report", str(SAMPLE), "-o", str(pipe), "--lang", "en"]) == 2
    assert f"pipia: {pipe}: cannot write the file: not a regular file" in capsys.readouterr().err
    assert pipe.is_fifo()
    long = tmp_path / ("x" * 300 + ".docx")
    assert main(["report", str(SAMPLE), "-o", str(long), "--lang", "en"]) == 2
    shipped = TEMPLATES / "report-en.docx"
    assert main(["template", "check", str(shipped), "-o", str(long), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.count(f"pipia: {long}: cannot write the file: File name too long") == 2 and "Traceback" not in err


def test_a_template_or_answers_that_cannot_be_looked_at_is_said_so_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long = tmp_path / ("x" * 300 + ".docx")
    assert main(["report", str(SAMPLE), "--template", str(long), "-o", str(tmp_path / "r.docx"), "--lang", "en"]) == 2
    assert main(["template", "check", str(long), "--lang", "en"]) == 2
    assert main(["validate", str(tmp_path / ("y" * 300 + ".yaml")), "--lang", "en"]) == 2
    assert main(["new", "--bank", str(tmp_path / ("z" * 300 + ".yaml")), "-o", str(tmp_path / "n.yaml"),
                 "--lang", "en"]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("pipia: ") == 4, err


def test_a_report_and_its_pdf_never_share_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With --pdf, a report named x.pdf would be replaced by its own PDF: refused before anything is written."""
    same = tmp_path / "same.pdf"
    assert main(["report", str(SAMPLE), "-o", str(same), "--pdf", "--lang", "en"]) == 2
    assert f"pipia: {same}: the report and its PDF would have the same name" in capsys.readouterr().err
    assert not same.exists()


def test_a_link_as_the_output_is_written_through_and_failed_commands_leave_no_folders(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As a shell's > writes: the file a link names gets the report, the link stays a link. A report or a batch
    that writes nothing takes away the folders it made for it."""
    (tmp_path / "real.docx").write_bytes(b"old")
    (tmp_path / "link.docx").symlink_to(tmp_path / "real.docx")
    assert main(["report", str(SAMPLE), "-o", str(tmp_path / "link.docx"), "--lang", "en"]) == 0
    assert (tmp_path / "link.docx").is_symlink() and (tmp_path / "real.docx").read_bytes()[:2] == b"PK"
    broken = tmp_path / "broken.yaml"
    broken.write_text("bank: {id: no-such-bank, version: '1'}\n", encoding="utf-8")
    assert main(["report", str(broken), str(broken), "-o", str(tmp_path / "new" / "batch"), "--lang", "en"]) == 1
    long = tmp_path / "new2" / "sub" / ("x" * 300 + ".docx")
    assert main(["report", str(SAMPLE), "-o", str(long), "--lang", "en"]) == 2
    assert not (tmp_path / "new").exists() and not (tmp_path / "new2").exists()
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["report", "SAMPLE", "--template", "SHIPPED", "-o", "OUT"],
                                  ["template", "check", "SHIPPED", "-o", "OUT"]])
def test_a_template_is_taken_by_the_program_in_a_fresh_process(argv: list[str], tmp_path: Path) -> None:
    """As a person runs it: nothing loaded before by another command. (``pipia.report`` hands out its names on
    first use, and a name it does not hand out was found only where another test had loaded it first.)"""
    shipped = TEMPLATES / "report-zh.docx"
    argv = [{"SAMPLE": str(SAMPLE), "SHIPPED": str(shipped), "OUT": str(tmp_path / "out.docx")}.get(a, a)
            for a in argv]
    done = subprocess.run([str(Path(sys.executable).with_name("pipia")), *argv], capture_output=True, text=True,
                          check=False)
    assert (done.returncode, "Traceback" in done.stderr) == (0, False), done.stderr
    assert (tmp_path / "out.docx").stat().st_size > 0


def test_a_report_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.docx"
    out.write_bytes(b"the last good report")

    opened = os.fdopen

    class FullDisk:
        def __init__(self, fd: int) -> None:
            self.fd = fd

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            os.close(self.fd)

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        return FullDisk(fd) if "w" in mode else opened(fd, mode, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    assert main(["report", str(SAMPLE), "-o", str(out), "--lang", "en"]) == 2
    assert out.read_bytes() == b"the last good report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"], "no half-written file is left behind"
    assert "cannot write the file: No space left on device" in capsys.readouterr().err


def test_the_same_answers_file_given_twice_gives_two_reports(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["report", str(SAMPLE), str(SAMPLE), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["crossborder-ecommerce-1.docx", "crossborder-ecommerce-2.docx"]
    assert "已生成 2 份报告" in capsys.readouterr().err


def test_no_two_answers_files_of_a_batch_share_a_report_name() -> None:
    sources = [Path("x/a.yaml"), Path("y/a.yaml"), Path("a-1.yaml"), Path("A.json"), Path("b.yaml")]
    names = [p.name for p in _batch_targets(Path("out"), sources)]
    assert names == ["a-1.docx", "a-2.docx", "a-1-1.docx", "A-3.docx", "b.docx"]
    assert len({n.casefold() for n in names}) == len(names)


def test_a_batch_loads_each_bank_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipia.bank import loader  # noqa: PLC0415

    loads: list[object] = []
    load = loader.load_bank
    def counted(*a: Any, **k: Any) -> Any:
        loads.append(a)
        return load(*a, **k)

    monkeypatch.setattr(loader, "load_bank", counted)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in "abc":
        shutil.copy(SAMPLE, inputs / f"{name}.yaml")
    assert main(["report", str(inputs), "-o", str(tmp_path / "out")]) == 0
    assert len(loads) == 1, "three files of one bank: the bank is read once, not twice per file"


def test_a_large_batch_renders_in_worker_processes_and_reports_every_failure_in_order(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipia import cli  # noqa: PLC0415

    assert len("abcdef") >= cli.POOL_FROM, "enough files for the pool"
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in "abcdef":
        shutil.copy(SAMPLE, inputs / f"{name}.yaml")
    (inputs / "b.yaml").write_text("bank: [unclosed\n", encoding="utf-8")
    (inputs / "e.yaml").write_text("bank: {id: no-such-bank}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(inputs), "-o", str(out), "--lang", "en"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "c.docx", "d.docx", "f.docx"]
    assert "Annex 9  Approval" in document_text((out / "f.docx").read_bytes())
    err = capsys.readouterr().err
    assert "6 answers files: 4 reports written, 2 failed" in err
    assert err.index(f"  {inputs / 'b.yaml'}:") < err.index(f"  {inputs / 'e.yaml'}:"), "failures in file order"
    assert "6/6" in err


def test_the_workers_of_a_batch_inherit_its_bank_and_compiled_template_and_load_neither_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2.sandbox import SandboxedEnvironment  # noqa: PLC0415

    from pipia import cli  # noqa: PLC0415
    from pipia.bank import loader  # noqa: PLC0415
    from pipia.report import render  # noqa: PLC0415

    render._compiled.cache_clear()  # as in a fresh command: nothing compiled yet
    log = tmp_path / "work.log"  # the workers are other processes: each says what it did in a file

    def logged(what: str, original: Any) -> Any:
        def call(*a: Any, **k: Any) -> Any:
            with log.open("a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {what}\n")
            return original(*a, **k)
        return call

    monkeypatch.setattr(loader, "load_bank", logged("bank", loader.load_bank))
    monkeypatch.setattr(SandboxedEnvironment, "from_string", logged("compile", SandboxedEnvironment.from_string))
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in "abcdef":
        shutil.copy(SAMPLE, inputs / f"{name}.yaml")
    assert len("abcdef") >= cli.POOL_FROM, "enough files for the pool"
    assert main(["report", str(inputs), "-o", str(tmp_path / "out")]) == 0
    assert len(list((tmp_path / "out").iterdir())) == 6
    done = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    assert {what for _, what in done} == {"bank", "compile"}, "loaded and compiled once, before the workers start"
    assert {pid for pid, _ in done} == {str(os.getpid())}, "no worker loads the bank or compiles again"
