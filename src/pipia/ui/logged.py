"""A failure as the user reads it: a plain message in their language with a reference, and the details under
that reference in the server's log (never on the page: a traceback names server paths and code)."""

from __future__ import annotations

import logging
import uuid

from pipia.i18n import Lang
from pipia.store import StoreError, StoreUnavailableError
from pipia.ui.text import t

LOG = logging.getLogger("pipia.ui")


def logged(exc: BaseException, lang: Lang) -> str:
    """Log ``exc`` with its traceback under a new 8-hex-digit reference; return the message for the user in
    ``lang`` (database unavailable, store damaged, or an unexpected fault), naming that reference."""
    ref = uuid.uuid4().hex[:8]
    LOG.error("pipia failure %s: %s", ref, type(exc).__name__, exc_info=exc)
    if isinstance(exc, StoreUnavailableError):
        return t(lang, "database_unavailable", ref=ref)
    if isinstance(exc, StoreError):
        return t(lang, "store_damaged", ref=ref)
    return t(lang, "unexpected_error", ref=ref)
