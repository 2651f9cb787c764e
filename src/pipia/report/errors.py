"""Errors of the report: each says what went wrong and what to do about it."""

from __future__ import annotations

from pipia.errors import PipiaError


class ReportError(PipiaError):
    """A report could not be produced."""


class TemplateError(ReportError):
    """A Word template is not valid (syntax, a forbidden operation, an unknown variable, too big)."""


class RenderTimeout(TemplateError):
    """Rendering a template took longer than allowed and was stopped."""


class TextTooLong(ReportError):
    """An answer is longer than a Word report can hold in one place; the message names the question."""


class ConverterMissing(ReportError):
    """LibreOffice, which turns the .docx into PDF, is not installed."""


class ConversionFailed(ReportError):
    """LibreOffice ran but produced no PDF."""
