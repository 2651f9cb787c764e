"""Where the user is, as it is kept in the URL: the open assessment, section, recipient and question.

A refresh, a closed tab reopened from history or a restarted server starts a new Streamlit session; the
URL's query parameters are what it resumes from (``?a=<assessment>&s=<section>&i=<item>``). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from pipia.i18n import Lang

ASSESSMENT, SECTION, ITEM, QUESTION, LANG = "a", "s", "i", "q", "lang"
# An item number as the app writes it: ASCII digits, and few ("²".isdigit() is true; int() of 5,000 digits
# raises), as no assessment has thousands of recipients.
_ITEM = re.compile(r"[0-9]{1,4}")
# The questionnaire's first "section": the assessment's own details (title, organisation, date).
DETAILS = "details"


@dataclass(frozen=True)
class Location:
    """Where the user is in the app, as kept in the URL: the assessment, section, repeat item (overseas recipient,
    0-based), a question to point at, and a chosen language.
    """

    assessment: str | None = None
    section: str | None = None
    item: int = 0  # the repeat-group item (overseas recipient) shown in repeated sections
    question: str | None = None  # a question to point at, when arriving from a link
    lang: Lang | None = None  # only when chosen in the app; otherwise the browser's language

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> Location:
        """Whatever the URL holds: a parameter that is not what the app writes is ignored, never an error."""
        item = params.get(ITEM, "")
        raw = params.get(LANG)
        lang: Lang | None = "zh" if raw == "zh" else "en" if raw == "en" else None
        return cls(assessment=params.get(ASSESSMENT) or None, section=params.get(SECTION) or None,
                   item=int(item) if _ITEM.fullmatch(item) else 0, question=params.get(QUESTION) or None,
                   lang=lang if lang in ("zh", "en") else None)

    def params(self) -> dict[str, str]:
        """The location as URL query parameters; empty ones are left out, and section, item and question only with an
        assessment.
        """
        out: dict[str, str] = {}
        if self.assessment:
            out[ASSESSMENT] = self.assessment
            if self.section:
                out[SECTION] = self.section
            if self.item:
                out[ITEM] = str(self.item)
            if self.question:
                out[QUESTION] = self.question
        if self.lang:
            out[LANG] = self.lang
        return out

    def at(self, section: str | None = None, item: int | None = None, question: str | None = None) -> Location:
        """The same location in another section, item or question (None keeps the section or item; the question is
        replaced).
        """
        return replace(self, section=section if section is not None else self.section,
                       item=item if item is not None else self.item, question=question)
