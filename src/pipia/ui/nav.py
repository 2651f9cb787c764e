"""The app's pages: one function each, handed to ``st.navigation`` by app.py.

A page's identity is its ``url_path`` (Streamlit hashes nothing else), so a page object can be made again
wherever a link or a switch needs one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import NoReturn

import streamlit as st

from pipia.i18n import Lang
from pipia.ui import session
from pipia.ui.text import PAGE_TITLES

ASSESSMENTS, ROUTE, QUESTIONNAIRE, RESULTS, REPORT = "assessments", "route", "questionnaire", "results", "report"
REVIEW = "review"
ORDER = (ASSESSMENTS, ROUTE, QUESTIONNAIRE, RESULTS, REVIEW, REPORT)
ICONS: Mapping[str, str] = MappingProxyType({
    ASSESSMENTS: ":material/folder_open:", ROUTE: ":material/alt_route:", QUESTIONNAIRE: ":material/checklist:",
    RESULTS: ":material/analytics:", REVIEW: ":material/fact_check:", REPORT: ":material/description:"})


def _function(name: str) -> Callable[[], None]:
    # Looked up by name when needed: the pages link to one another through this module.
    function: Callable[[], None] = importlib.import_module(f"{__package__}.{name}").page
    return function


def page(name: str, lang: Lang) -> st.Page:
    """The Streamlit page ``name`` with its title in ``lang`` and its icon; the assessments page is the default."""
    return st.Page(_function(name), title=PAGE_TITLES[name](lang), icon=ICONS[name], url_path=name,
                   default=name == ASSESSMENTS)


def pages(lang: Lang) -> list[st.Page]:
    """Every page of the app in menu order, titled in ``lang``."""
    return [page(name, lang) for name in ORDER]


def switch(name: str) -> NoReturn:
    """Go to page ``name``; never returns (Streamlit reruns the script)."""
    st.switch_page(page(name, session.lang()))
    raise AssertionError("st.switch_page returns only by rerunning")  # pragma: no cover


def link(name: str, label: str | None = None, *, icon: str | None = None) -> None:
    """A link to page ``name``, with its title and icon unless ``label`` or ``icon`` are given."""
    lang = session.lang()
    st.page_link(page(name, lang), label=label or PAGE_TITLES[name](lang), icon=icon or ICONS[name])
