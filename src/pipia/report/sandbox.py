"""Rendering a template someone uploaded: size limits, then a child process with a timeout.

Jinja's sandbox stops a template from reaching Python internals but not from running forever or
filling memory (``{{ 'a' * 10**10 }}`` ran for about 97 s in the tech notes). A thread cannot be
stopped from outside in Python, so a runaway render in a thread would keep burning a CPU of the app's
server after the user had been told it timed out. A child process can be killed: the template and the
(JSON) context go to ``python -m pipia.report.sandbox`` through its standard input; the child
caps its own memory and CPU time, renders, and writes the .docx or a one-line error. The parent kills
the child's whole process group when the time is up. The cost is a Python start-up (~1 s) per render,
paid only for user templates; the shipped ones are trusted and render in-process. A user template is
also *checked* (compiled) in such a child, never in the app's or the CLI's own process.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import subprocess
import sys
import zipfile
from io import BytesIO
from typing import TYPE_CHECKING, Any

from pipia.i18n import LANGS, Localized, msg
from pipia.report.errors import RenderTimeout, TemplateError

if TYPE_CHECKING:
    from pipia.report.names import UnknownName

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a template with a logo or two is well under this
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # guards against a zip bomb posing as a .docx
RENDER_TIMEOUT = 60.0  # seconds
MEMORY_LIMIT = 2 * 1024 * 1024 * 1024  # bytes of address space for the child
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def check_size(template: bytes, name: str = "template") -> None:
    """Refuse what is not a plausible .docx before any parsing: too big, not a zip, no document part."""
    if len(template) > MAX_TEMPLATE_BYTES:
        raise TemplateError(msg("template_too_large", name=name, size=len(template), max=MAX_TEMPLATE_BYTES))
    try:
        with zipfile.ZipFile(BytesIO(template)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise TemplateError(msg("template_not_a_zip", name=name)) from None
    if "word/document.xml" not in {i.filename for i in infos}:
        raise TemplateError(msg("template_no_document", name=name))
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        # LibreOffice's "Word 2010-365" export can write docProps/core.xml twice (docxtpl #558).
        twice = sorted({n for n in names if names.count(n) > 1})
        raise TemplateError(msg("template_part_twice", name=name, parts=", ".join(twice)))
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise TemplateError(msg("template_unpacks_too_large", name=name, max=MAX_UNPACKED_BYTES))


def render_isolated(template: bytes, context: dict[str, Any], name: str = "template",
                    timeout: float = RENDER_TIMEOUT) -> bytes:
    """Render in a child process; TemplateError with the child's message, RenderTimeout when too slow."""
    docx = _run(template, name, timeout, context=context)
    assert isinstance(docx, bytes)
    return docx


def check_isolated(template: bytes, name: str = "template", timeout: float = RENDER_TIMEOUT) -> list[UnknownName]:
    """The names a template reads that the report does not provide (``render.template_problems``), found in
    a child process.

    Compiling is not harmless either: Jinja folds constant expressions while compiling, so
    ``{{ 'a' * 10**9 }}`` fills memory before anything is rendered. Raises TemplateError, RenderTimeout.
    """
    from pipia.report.names import UnknownName  # noqa: PLC0415 - Jinja loads only when a template is checked

    problems = _run(template, name, timeout)
    assert isinstance(problems, list)
    return [UnknownName.model_validate(p) for p in problems]


def _run(template: bytes, name: str, timeout: float,
         context: dict[str, Any] | None = None) -> bytes | list[dict[str, Any]]:
    """One job in a child: the names the template reads that the report lacks (no context), or the .docx.

    The job goes in through the child's standard input and the result comes back through its standard
    output: nothing (neither the template nor the answers) is written to disk, so a killed parent leaves
    no file behind; the child kills itself when its parent dies (see ``_die_with_parent``).
    """
    check_size(template, name)
    job = json.dumps({"name": name, "context": context, "template": base64.b64encode(template).decode("ascii")},
                     ensure_ascii=False).encode("utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "pipia.report.sandbox", str(os.getpid()), str(int(timeout) + 1)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = child.communicate(job, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(child)
        raise RenderTimeout(msg("template_timeout", name=name, seconds=f"{timeout:g}")) from None
    except BaseException:  # interrupted (Ctrl+C): the child must not outlive the wait for it
        _kill(child)
        raise
    try:
        reply = json.loads(out) if out else {}
    except ValueError:
        reply = {}
    if child.returncode == 0 and "docx" in reply:
        return base64.b64decode(reply["docx"])
    if child.returncode == 0 and "problems" in reply:
        return list(reply["problems"])
    said = reply.get("error")
    if isinstance(said, dict) and said.get("zh") and said.get("en"):
        raise TemplateError(Localized.of(str(said["zh"]), str(said["en"])))
    detail = err.decode("utf-8", "replace").strip().splitlines()
    if child.returncode < 0:
        raise TemplateError(msg("template_child_stopped", name=name))
    raise TemplateError(msg("template_child_failed", name=name,
                            reason=detail[-1] if detail else f"exit status {child.returncode}"))


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # it may have ended on its own meanwhile
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel sends this process SIGKILL when its parent dies (the parent was killed, say)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes  # noqa: PLC0415 - only the child needs it

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _child(parent: int, cpu_seconds: int) -> int:
    import resource  # noqa: PLC0415 - POSIX only, and only the child needs it

    _die_with_parent(parent)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    job = json.loads(sys.stdin.buffer.read())
    reply: dict[str, Any]
    try:
        from pipia.report.render import render_docx, template_problems  # noqa: PLC0415 - after the limits: its imports count

        template = base64.b64decode(job["template"])
        if job["context"] is None:
            reply = {"problems": [p.model_dump() for p in template_problems(template, job["name"])]}
        else:
            reply = {"docx": base64.b64encode(render_docx(template, job["context"], job["name"])).decode("ascii")}
    except TemplateError as exc:  # back to the parent as text, in both languages
        said = exc.said
        reply = {"error": {lang: said(lang) if said is not None else str(exc) for lang in LANGS}}
    except MemoryError:
        said = msg("template_too_much_memory", name=job["name"], kind="MemoryError")
        reply = {"error": {"en": said("en"), "zh": said("zh")}}
    sys.stdout.write(json.dumps(reply, ensure_ascii=False))
    return 1 if "error" in reply else 0


if __name__ == "__main__":  # pragma: no cover - runs as the child process
    raise SystemExit(_child(int(sys.argv[1]), int(sys.argv[2])))
