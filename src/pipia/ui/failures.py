"""What the app does when something fails: a plain message in the user's language, the details in the log.

No traceback (which names server paths and code) ever reaches the browser. A page that fails shows what
went wrong and a reference that is also written to the server's log with the details; the sidebar,
navigation and other pages keep working. An assessment whose stored answers are damaged is not opened:
its latest readable revision is offered instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import streamlit as st

from pipia.i18n import Lang
from pipia.report import ReportError
from pipia.store import DamagedAnswersError, StoreError, StoreUnavailableError
from pipia.ui import session
from pipia.ui.logged import LOG, logged
from pipia.ui.text import t
from pipia.ui.values import escape_markdown

P = ParamSpec("P")
T = TypeVar("T")


def message(exc: BaseException, lang: Lang | None = None) -> str:
    """The user's message for a failure (the details are logged under its reference); ``lang`` defaults
    to the session's."""
    return logged(exc, lang or session.lang())


def store_message(exc: StoreError, lang: Lang | None = None) -> str:
    """What to say when the store refused a step: its refusal (a rule it enforces) in the user's language, as
    escaped text; for anything else (a database down or damaged, a record that cannot be read back) the plain
    message with a logged reference, never the driver's words."""
    if exc.said is None or isinstance(exc, StoreUnavailableError | DamagedAnswersError):
        return message(exc, lang)
    return escape_markdown(exc.said(lang or session.lang()))


class DownloadFailed(Exception):
    """A file could not be built when its download button was clicked; the message is for the user."""


def download(build: Callable[[], T], lang: Lang) -> Callable[[], T]:
    """A download's builder whose failure reaches the browser as a plain message, never the server's own.

    Streamlit runs the builder outside the script, when the button is clicked, and shows the message of
    what it raises. A report's own errors (a template's located mistake, LibreOffice missing) are written
    for the user and pass as they are; anything else becomes the plain message with a logged reference.
    """

    def run() -> T:
        try:
            return build()
        except ReportError as exc:
            raise DownloadFailed(str(exc)) from None
        except Exception as exc:
            raise DownloadFailed(message(exc, lang)) from None

    return run


@contextmanager
def guard(*, stop: bool = False) -> Iterator[None]:
    """Run a part of the page; if it fails, show the plain message in its place.

    With ``stop``, a failure also ends the run there: what follows must not be drawn without it (the
    sign-in gate).
    """
    try:
        yield
    except DamagedAnswersError as exc:
        LOG.warning("damaged answers: %s", exc)
        damaged_banner(session.lang())
        if stop:
            st.stop()
    except Exception as exc:  # the last line of defence: every other failure is caught where it can happen
        st.error(message(exc), icon=":material/error:")
        if stop:
            st.stop()


def guarded(callback: Callable[P, Any]) -> Callable[P, None]:
    """A widget callback that, if it fails, leaves a plain message for the page instead of a traceback."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except DamagedAnswersError as exc:
            LOG.warning("damaged answers: %s", exc)
        except Exception as exc:
            session.flash("error", message(exc))

    return run


def damaged_banner(lang: str) -> None:
    """The assessment the user tried to open has damaged answers: say so, offer its latest readable revision."""
    note = session.damaged()
    if note is None:
        return
    _, readable = note
    with st.container(border=True, key="pipia-damaged"):
        st.error(t(session.lang(), "answers_damaged" if readable else "answers_damaged_none"),
                 icon=":material/broken_image:")
        with st.container(horizontal=True):
            if readable:
                st.button(t(session.lang(), "restore_readable", revision=readable), key="pipia-restore-readable",
                          on_click=guarded(session.restore_readable), type="primary")
            st.button(t(session.lang(), "dismiss"), key="pipia-damaged-dismiss", on_click=session.forget_damaged)
