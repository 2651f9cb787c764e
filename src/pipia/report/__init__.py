"""The Word report: what the CLI and the app call.

- ``make_report(loaded, answers, lang="zh", template=None) -> bytes``: the .docx of an assessment. It
  evaluates the answers itself (``evaluation.evaluate``) unless given their ``Evaluation``. ``template``
  is a user's own .docx template (bytes); it is size-checked and rendered in a child process with a
  timeout. Without it the shipped template of ``lang`` is used.
- ``build_report_context(loaded, answers, lang) -> dict``: the JSON-ready context the templates print, the
  dump of the typed ``contextmodel.ReportContext`` (``build_context`` gives the typed value itself).
- ``to_pdf(docx) -> bytes``: PDF through LibreOffice; ``libreoffice_available()`` says whether it can.
- ``check_template(template) -> list[UnknownName]``: names a template uses that the report does not provide,
  nested ones included, each with its paragraph and the names valid there. ``MAX_TEMPLATE_BYTES``: the
  largest template file taken.
- Errors: ``ReportError`` (a ``PipiaError``) and its subclasses ``TemplateError``, ``RenderTimeout``,
  ``ConverterMissing`` and ``ConversionFailed``; their messages are written for the person who acts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipia.report.api import MAX_ANSWER_CHARS as MAX_ANSWER_CHARS
    from pipia.report.api import build_report_context as build_report_context
    from pipia.report.api import check_lengths as check_lengths
    from pipia.report.api import check_template as check_template
    from pipia.report.api import make_report as make_report
    from pipia.report.api import shipped_template as shipped_template
    from pipia.report.context import build_context as build_context
    from pipia.report.errors import ConversionFailed as ConversionFailed
    from pipia.report.errors import ConverterMissing as ConverterMissing
    from pipia.report.errors import RenderTimeout as RenderTimeout
    from pipia.report.errors import ReportError as ReportError
    from pipia.report.errors import TemplateError as TemplateError
    from pipia.report.errors import TextTooLong as TextTooLong
    from pipia.report.pdf import INSTALL_HINT as INSTALL_HINT
    from pipia.report.pdf import libreoffice_available as libreoffice_available
    from pipia.report.pdf import to_pdf as to_pdf
    from pipia.report.sandbox import MAX_TEMPLATE_BYTES as MAX_TEMPLATE_BYTES

# Where each public name lives. The package loads them on first use (PEP 562): the render child
# (``python -m pipia.report.sandbox``) imports this package first, and needs none of the evaluation, the
# answers' models or the context builders that ``api`` brings, about a third of a second per report.
_HOMES = {
    **dict.fromkeys(("MAX_ANSWER_CHARS", "build_report_context", "check_lengths", "check_template", "make_report",
                     "shipped_template"), "pipia.report.api"),
    "build_context": "pipia.report.context",
    **dict.fromkeys(("ConversionFailed", "ConverterMissing", "RenderTimeout", "ReportError", "TemplateError",
                     "TextTooLong"), "pipia.report.errors"),
    **dict.fromkeys(("INSTALL_HINT", "libreoffice_available", "to_pdf"), "pipia.report.pdf"),
    "MAX_TEMPLATE_BYTES": "pipia.report.sandbox",
}
__all__ = ["INSTALL_HINT", "MAX_ANSWER_CHARS", "MAX_TEMPLATE_BYTES", "ConversionFailed", "ConverterMissing",
           "RenderTimeout", "ReportError", "TemplateError", "TextTooLong", "build_context", "build_report_context",
           "check_lengths", "check_template", "libreoffice_available", "make_report", "shipped_template", "to_pdf"]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use; AttributeError for any other (so that
    ``from pipia.report import render`` imports the submodule)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
