"""From .docx to PDF with LibreOffice headless.

Each conversion gets its own LibreOffice profile in a fresh temporary folder: two conversions sharing a
profile (two users of the app, a batch) block each other or fail. The first run with a new profile
sometimes exits without writing anything (exit 81 in the tech notes), so a conversion that produces no
PDF is tried once more. A timeout stops a conversion that hangs.

The Chinese fonts the template asks for (仿宋, 黑体, 楷体) are Windows fonts. Where they are missing,
LibreOffice is pointed at the installed Noto CJK faces through a fontconfig file of aliases made for
the conversion, so headings keep a different face from the body instead of all falling back to one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import ConversionFailed, ConverterMissing

CONVERT_TIMEOUT = 120.0  # seconds; a report converts in about 2 s
INSTALL_HINT = ("LibreOffice is needed to make PDF files. On Debian or Ubuntu: "
                "apt-get install libreoffice-writer-nogui fonts-noto-cjk")
# Template font → installed family that looks like it (Song/Ming serif for 仿宋 and 楷体, Hei sans for 黑体).
ALIASES = {
    "仿宋": "Noto Serif CJK SC", "FangSong": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC",
    "KaiTi": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "SimSun": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC", "SimHei": "Noto Sans CJK SC",
}


def soffice() -> str | None:
    """Path of the LibreOffice executable, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                      "/opt/libreoffice/program/soffice", "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).is_file():
            return candidate
    return None


def libreoffice_available() -> bool:
    return soffice() is not None


def to_pdf(docx: bytes, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The PDF of a .docx. ConverterMissing when LibreOffice is not installed, ConversionFailed else."""
    program = soffice()
    if program is None:
        raise ConverterMissing(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="pipia-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(docx)
        last = ""
        for attempt in (1, 2):
            profile = work / f"profile-{attempt}"
            outdir = work / f"out-{attempt}"
            outdir.mkdir()
            last = _run(program, source, profile, outdir, work, timeout)
            pdf = outdir / "report.pdf"
            if pdf.is_file() and pdf.stat().st_size > 0:
                return pdf.read_bytes()
        raise ConversionFailed(f"LibreOffice did not produce a PDF ({last})")


def _run(program: str, source: Path, profile: Path, outdir: Path, work: Path, timeout: float) -> str:
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(outdir), str(source)]
    env = {**os.environ, "HOME": str(work)}
    fonts = _font_aliases(work)
    if fonts is not None:
        env["FONTCONFIG_FILE"] = str(fonts)
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False,
                              start_new_session=True)
    except subprocess.TimeoutExpired:
        return f"stopped after {timeout:g} s"
    except OSError as exc:
        return str(exc)
    detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
    return f"exit status {done.returncode}" + (f": {detail[-1]}" if detail else "")


def _font_aliases(work: Path) -> Path | None:
    """A fontconfig file: the system configuration plus the aliases above, when Noto CJK is installed."""
    system = Path("/etc/fonts/fonts.conf")
    if not system.is_file() or shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    aliases = [f"<alias binding=\"same\"><family>{font}</family><prefer><family>{target}</family></prefer></alias>"
               for font, target in ALIASES.items() if target in families and font not in families]
    if not aliases:
        return None
    path = work / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<include>{system}</include>{''.join(aliases)}</fontconfig>", encoding="utf-8")
    return path
