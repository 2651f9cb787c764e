"""Rendering a template someone uploaded: size limits, then a child process with a timeout.

Jinja's sandbox stops a template from reaching Python internals but not from running forever or
filling memory (``{{ 'a' * 10**10 }}`` ran for about 97 s in the tech notes). A thread cannot be
stopped from outside in Python, so a runaway render in a thread would keep burning a CPU of the app's
server after the user had been told it timed out. A child process can be killed: the template and the
(JSON) context go to ``python -m pipia.report.sandbox`` through a private temporary folder; the child
caps its own memory and CPU time, renders, and writes the .docx or a one-line error. The parent kills
the child's whole process group when the time is up. The cost is a Python start-up (~1 s) per render,
paid only for user templates; the shipped ones are trusted and render in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

from .errors import RenderTimeout, TemplateError

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a template with a logo or two is well under this
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # guards against a zip bomb posing as a .docx
RENDER_TIMEOUT = 60.0  # seconds
MEMORY_LIMIT = 2 * 1024 * 1024 * 1024  # bytes of address space for the child


def check_size(template: bytes, name: str = "template") -> None:
    """Refuse what is not a plausible .docx before any parsing: too big, not a zip, no document part."""
    if len(template) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"{name}: {len(template):,} bytes; a template may have at most "
                            f"{MAX_TEMPLATE_BYTES:,}")
    try:
        with zipfile.ZipFile(BytesIO(template)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise TemplateError(f"{name}: not a Word .docx file (expected a zip archive)") from None
    if "word/document.xml" not in {i.filename for i in infos}:
        raise TemplateError(f"{name}: not a Word .docx file (no word/document.xml)")
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        # LibreOffice's "Word 2010-365" export can write docProps/core.xml twice (docxtpl #558).
        twice = sorted({n for n in names if names.count(n) > 1})
        raise TemplateError(f"{name}: the file holds {', '.join(twice)} twice; open it in Word and save it again")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise TemplateError(f"{name}: unpacks to more than {MAX_UNPACKED_BYTES:,} bytes")


def render_isolated(template: bytes, context: dict[str, Any], name: str = "template",
                    timeout: float = RENDER_TIMEOUT) -> bytes:
    """Render in a child process; TemplateError with the child's message, RenderTimeout when too slow."""
    check_size(template, name)
    with tempfile.TemporaryDirectory(prefix="pipia-render-") as folder:
        work = Path(folder)
        (work / "template.docx").write_bytes(template)
        (work / "context.json").write_text(json.dumps({"name": name, "context": context}, ensure_ascii=False),
                                           encoding="utf-8")
        child = subprocess.Popen(
            [sys.executable, "-m", "pipia.report.sandbox", str(work), str(int(timeout) + 1)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(child)
            raise RenderTimeout(f"{name}: rendering took longer than {timeout:g} s and was stopped; "
                                f"a template must not loop without end or build huge values") from None
        result = work / "report.docx"
        if child.returncode == 0 and result.is_file():
            return result.read_bytes()
        message = (work / "error.txt").read_text(encoding="utf-8") if (work / "error.txt").is_file() else ""
        if not message:
            detail = err.decode("utf-8", "replace").strip().splitlines()
            reason = "it was stopped for using too much CPU or memory" if child.returncode < 0 else \
                (detail[-1] if detail else f"exit status {child.returncode}")
            message = f"{name}: rendering failed: {reason}"
        raise TemplateError(message)


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have ended on its own meanwhile
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _child(folder: Path, cpu_seconds: int) -> int:
    import resource  # noqa: PLC0415 - POSIX only, and only the child needs it

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    from .render import render_docx  # noqa: PLC0415 - after the limits, so its imports count too

    job = json.loads((folder / "context.json").read_text(encoding="utf-8"))
    try:
        docx = render_docx((folder / "template.docx").read_bytes(), job["context"], job["name"])
    except TemplateError as exc:
        (folder / "error.txt").write_text(str(exc), encoding="utf-8")
        return 1
    except MemoryError:
        (folder / "error.txt").write_text(f"{job['name']}: the template needs more memory than allowed",
                                          encoding="utf-8")
        return 1
    (folder / "report.docx").write_bytes(docx)
    return 0


if __name__ == "__main__":  # pragma: no cover - runs as the child process
    raise SystemExit(_child(Path(sys.argv[1]), int(sys.argv[2])))
