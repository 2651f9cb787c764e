"""PDF through LibreOffice. Skipped where LibreOffice or pdftotext is missing; CI installs both."""

from __future__ import annotations

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


@needs_tools
def test_the_chinese_report_converts_to_a_pdf_with_its_chinese_text(tmp_path: Path) -> None:
    loaded, answers = sample()
    document = to_pdf(make_report(loaded, answers, "zh"))
    assert document.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(document)
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
