"""From .docx to PDF with LibreOffice headless.

Each conversion gets its own LibreOffice profile in a fresh temporary folder: two conversions sharing a
profile (two users of the app, a batch) block each other or fail. The first run with a new profile
sometimes exits without writing anything (exit 81 in the tech notes), so a conversion that produces no
PDF is tried once more. A timeout stops a conversion that hangs.

A plain ``--convert-to pdf`` leaves fields as they were saved, so the contents would have no page
numbers. The conversion therefore runs a small LibreOffice Basic macro, put into the private profile
before the run: it opens the report hidden, updates every index (the TOC field), and exports the PDF.

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

from pipia.report.errors import ConversionFailed, ConverterMissing

CONVERT_TIMEOUT = 120.0  # seconds; a report converts in about 2 s
INSTALL_HINT = ("LibreOffice is needed to make PDF files. On Debian or Ubuntu: "
                "apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-liberation")
# Template font → installed families that look like it, best first. Debian has no simplified-Chinese
# FangSong (cwTeX FangSong covers traditional characters only: simplified ones would fall back glyph by
# glyph to another face), so 仿宋 and 宋体 get the Song face of Noto Serif CJK; 黑体 the Hei face of Noto Sans
# CJK; 楷体 the Kai face of AR PL UKai (fonts-arphic-ukai). The body, the headings and the quoted passages
# thus keep three different faces, as the template has them.
ALIASES: dict[str, tuple[str, ...]] = {
    "仿宋": ("Noto Serif CJK SC",), "FangSong": ("Noto Serif CJK SC",),
    "宋体": ("Noto Serif CJK SC",), "SimSun": ("Noto Serif CJK SC",),
    "楷体": ("AR PL UKai CN", "Noto Serif CJK SC"), "KaiTi": ("AR PL UKai CN", "Noto Serif CJK SC"),
    "黑体": ("Noto Sans CJK SC",), "SimHei": ("Noto Sans CJK SC",),
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
    """Whether LibreOffice (soffice), which turns the Word report into PDF, is installed."""
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
        raise ConversionFailed(f"LibreOffice did not produce a PDF ({last or 'it wrote nothing'})")


_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Pipia" script:language="StarBasic">
Sub ToPdf(source As String, target As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden" : load(0).Value = True
  document = StarDesktop.loadComponentFromURL(source, "_blank", 0, load())
  indexes = document.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = "FilterName" : store(0).Value = "writer_pdf_Export"
  document.storeToURL(target, store())
  document.close(True)
  StarDesktop.terminate()
End Sub
</script:module>
"""
_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard"
 library:readonly="false" library:passwordprotected="false">{element}</library:library>
"""
_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" xlink:href="$(USER)/basic/Standard/{kind}.xlb/" xlink:type="simple"
  library:link="false"/>
</library:libraries>
"""


def _install_macro(profile: Path) -> None:
    """The conversion macro as the profile's own (trusted) Basic library ``Standard.Pipia``."""
    basic = profile / "user" / "basic"
    (basic / "Standard").mkdir(parents=True, exist_ok=True)
    (basic / "Standard" / "Pipia.xba").write_text(_MACRO, encoding="utf-8")
    (basic / "Standard" / "script.xlb").write_text(
        _LIBRARY.format(element='<library:element library:name="Pipia"/>'), encoding="utf-8")
    (basic / "Standard" / "dialog.xlb").write_text(_LIBRARY.format(element=""), encoding="utf-8")
    for kind in ("script", "dialog"):
        (basic / f"{kind}.xlc").write_text(_LIBRARIES.format(kind=kind), encoding="utf-8")


def _run(program: str, source: Path, profile: Path, outdir: Path, work: Path, timeout: float) -> str:
    # A new profile is set up by a first start, which rewrites the Basic libraries: the macro goes in after.
    started = _soffice([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--terminate_after_init"], work, timeout)
    if started:
        return started
    _install_macro(profile)
    target = outdir / f"{source.stem}.pdf"
    return _soffice([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                     f'macro:///Standard.Pipia.ToPdf("{source.as_uri()}","{target.as_uri()}")'], work, timeout)


def _soffice(command: list[str], work: Path, timeout: float) -> str:
    """Run LibreOffice; "" when it exited normally, else what went wrong."""
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
    if done.returncode == 0:
        return ""
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
               for font, targets in ALIASES.items() if font not in families
               for target in [next((t for t in targets if t in families), None)] if target is not None]
    if not aliases:
        return None
    path = work / "fonts.conf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<include>{system}</include>{''.join(aliases)}</fontconfig>", encoding="utf-8")
    return path
