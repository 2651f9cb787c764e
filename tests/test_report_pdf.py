"""PDF through LibreOffice. Skipped where LibreOffice or pdftotext is missing; CI installs both."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipia.report import ConverterMissing, libreoffice_available, make_report, pdf, to_pdf

from .report_support import sample

needs_tools = pytest.mark.skipif(
    not libreoffice_available() or shutil.which("pdftotext") is None,
    reason="LibreOffice and pdftotext are needed (apt-get install libreoffice-writer-nogui fonts-noto-cjk "
    "poppler-utils)")


@pytest.fixture(scope="module")
def chinese_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's Chinese report as a PDF, converted once for the tests that read it (a conversion costs
    LibreOffice's start)."""
    loaded, answers = sample()
    path = tmp_path_factory.mktemp("zh") / "report.pdf"
    path.write_bytes(to_pdf(make_report(loaded, answers, "zh")))
    return path


@needs_tools
def test_the_chinese_report_converts_to_a_pdf_with_its_chinese_text(chinese_pdf: Path) -> None:
    path = chinese_pdf
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    for value in ("个人信息保护影响评估报告", "杭州云帆跨境电子商务有限公司", "二、拟出境活动的影响评估情况及结论",
                  "附件4 风险矩阵"):
        assert value in " ".join(text.split()).replace("附件 4", "附件4"), value


def test_without_libreoffice_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    assert not pdf.libreoffice_available()
    with pytest.raises(ConverterMissing, match="apt-get install libreoffice-writer-nogui fonts-noto-cjk"):
        to_pdf(b"PK")


@needs_tools
def test_the_contents_page_gives_each_chapter_the_page_it_starts_on(chinese_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(chinese_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    first = next(i for i, p in enumerate(pages) if re.search(r"^\s*目\s*录\s*$", p, re.MULTILINE))
    listed: dict[str, str] = {}
    for contents in pages[first:first + 3]:  # the contents run over two pages
        listed.update(re.findall(r"^\s*(附件\s*\d)\s+\S.*?\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE))
    annexes = {annex.replace(" ", ""): int(number) for annex, number in listed.items()}
    assert set(annexes) >= {"附件1", "附件6", "附件9"}, listed
    for annex, number in annexes.items():  # each number is the page the annex heading is on, not a contents line
        assert any(line.replace(" ", "").startswith(annex) and "..." not in line
                   for line in pages[number - 1].splitlines()), annex


@needs_tools
@pytest.mark.skipif(not shutil.which("pdffonts"), reason="pdffonts (poppler-utils) is needed")
def test_the_chinese_pdf_keeps_a_song_a_hei_and_a_kai_face_where_installed(chinese_pdf: Path) -> None:
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    if "AR PL UKai CN" not in listed:
        pytest.skip("fonts-arphic-ukai is not installed")
    fonts = subprocess.run(["pdffonts", str(chinese_pdf)], capture_output=True, text=True, check=True).stdout
    for face in ("NotoSerifCJK", "NotoSansCJK", "UKai"):
        assert face in fonts.replace("-", ""), fonts
