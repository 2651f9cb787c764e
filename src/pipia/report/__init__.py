"""The Word report: what the CLI and the app call.

- ``make_report(loaded, answers, lang="zh", template=None) -> bytes``: the .docx of an assessment. It
  checks the route and scores the answers itself. ``template`` is a user's own .docx template (bytes);
  it is size-checked and rendered in a child process with a timeout. Without it the shipped template of
  ``lang`` is used.
- ``build_report_context(loaded, answers, lang) -> dict``: the JSON-ready context the templates print.
- ``to_pdf(docx) -> bytes``: PDF through LibreOffice; ``libreoffice_available()`` says whether it can.
- ``check_template(template) -> list[str]``: names a template uses that the report does not provide.
- Errors: ``ReportError`` (a ``PipiaError``) and its subclasses ``TemplateError``, ``RenderTimeout``,
  ``ConverterMissing`` and ``ConversionFailed``; their messages are written for the person who acts.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..answers import Answers
from ..bank import LoadedBank
from ..errors import InputError
from ..i18n import Lang
from ..pathway import RouteDecision, decide, facts_from_answers, milestones_from_answers
from ..resources import templates_dir
from ..scoring import score
from ..tracking import Tracking
from . import sandbox
from .context import build_context
from .errors import ConversionFailed, ConverterMissing, RenderTimeout, ReportError, TemplateError
from .pdf import INSTALL_HINT, libreoffice_available, to_pdf

__all__ = ["INSTALL_HINT", "ConversionFailed", "ConverterMissing", "RenderTimeout", "ReportError", "TemplateError",
           "build_context", "build_report_context", "check_template", "libreoffice_available", "make_report",
           "route_of", "shipped_template", "to_pdf"]

# Top-level names of the report context (see ``context.build_context``); the renderer adds ``chart``.
CONTEXT_NAMES = frozenset({"lang", "cover", "notes", "status", "chapter1", "chapter2", "scenarios", "conclusion",
                           "annex", "chart"})


def route_of(loaded: LoadedBank, answers: Answers) -> RouteDecision | None:
    """The route decision, or None while the screening answers cannot decide it."""
    try:
        return decide(facts_from_answers(answers, loaded.bank), milestones_from_answers(answers))
    except InputError:
        return None


def build_report_context(loaded: LoadedBank, answers: Answers, lang: Lang = "zh",
                         tracking: Tracking | None = None) -> dict[str, Any]:
    if loaded.bank.scoring is None:
        raise ReportError(f"bank {loaded.bank.id!r} has no scoring parameters, which the report needs")
    return build_context(loaded, answers, route_of(loaded, answers), score(loaded.bank, answers), lang, tracking)


def make_report(loaded: LoadedBank, answers: Answers, lang: Lang = "zh", template: bytes | None = None,
                timeout: float = sandbox.RENDER_TIMEOUT, tracking: Tracking | None = None) -> bytes:
    context = build_report_context(loaded, answers, lang, tracking)
    if template is None:
        from . import render  # noqa: PLC0415 - docxtpl and matplotlib load only when a report is made

        return render.render_docx(shipped_template(lang), context, f"report-{lang}.docx")
    return sandbox.render_isolated(template, context, "the uploaded template", timeout)


@cache
def shipped_template(lang: Lang) -> bytes:
    """The bytes of templates/report-{lang}.docx (read once; bytes are immutable, so safe to share)."""
    path = templates_dir() / f"report-{lang}.docx"
    if not path.is_file():
        raise ReportError(f"{path}: the shipped template is missing; run `python -m pipia.report.build_templates`")
    return path.read_bytes()


def check_template(template: bytes) -> list[str]:
    """Names the template reads that the report context does not provide, sorted. Empty when all is well.

    Only top-level names can be checked this way; a misspelt field (``cover.procesor``) shows when the
    template is rendered with a full context, which ``pipia template check`` does.
    """
    from . import render  # noqa: PLC0415 - see make_report

    sandbox.check_size(template)
    return sorted(render.undeclared(template) - CONTEXT_NAMES)
