"""Text as Word can hold it, and the dates and numbers of the report written per language.

XML 1.0 forbids most control characters. Left in, docxtpl's recovering parser silently drops them and,
worse, every later ``&``, ``<`` and ``>`` of the body (see the tech notes), so every value is cleaned on
its way into a document. Breaks a user pasted from Word (vertical tab, form feed, carriage returns)
become line breaks, which docxtpl then writes as ``<w:br/>``.
"""

from __future__ import annotations

import re

from pipia.i18n import Lang, fmt_date
from pipia.i18n import join as i18n_join

__all__ = ["clean_text", "fmt_date", "fmt_number", "join"]

_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c]")
# XML 1.0 Char excludes these; lone surrogates cannot be encoded at all.
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` with line breaks normalised to ``\\n`` and characters XML cannot hold removed."""
    return _ILLEGAL.sub("", _BREAKS.sub("\n", text))


def fmt_number(value: float) -> str:
    """Digits grouped by thousands, whole numbers without a decimal point."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def join(items: list[str], lang: Lang) -> str:
    """Join phrases with the list separator of ``lang``: '；' in Chinese, '; ' in English."""
    return i18n_join(lang, items, between="clauses")
