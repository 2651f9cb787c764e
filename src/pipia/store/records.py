"""What the store hands out: plain frozen values, safe to keep in a Streamlit session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pipia.answers.format import Answers

# (answered, required) among visible required questions, as progress.State.progress() gives it.
Completeness = tuple[int, int]
RevisionKind = Literal["save", "conflict"]


@dataclass(frozen=True)
class Summary:
    """One line of the assessments list. Timestamps are timezone-aware UTC."""

    id: str
    title: str
    organisation: str
    bank_id: str
    bank_version: str
    created_at: dt.datetime
    updated_at: dt.datetime  # last change of the answers
    archived: bool
    revision: int  # pass back to save() as expected_revision
    completeness: Completeness | None  # as given at the last save; None when not given
    risk: str | None  # overall risk code (low|medium|high|severe) as given at the last save


@dataclass(frozen=True)
class ListPage:
    """One page of the assessments list: its ``rows`` (most recently changed first), how many assessments
    match the search in all (``matching``), and how many there are whatever the search (``stored``)."""

    rows: list[Summary]
    matching: int
    stored: int


def matches(query: str, *texts: str) -> bool:
    """Whether every word of ``query`` is in one of ``texts``, ignoring case (a blank query matches all)."""
    text = " ".join(texts).casefold()
    return all(word in text for word in query.casefold().split())


@dataclass(frozen=True)
class Assessment(Summary):
    """An assessment as loaded: its line of the list and its current answers."""

    answers: Answers


@dataclass(frozen=True)
class Revision:
    """One entry of an assessment's history.

    ``save`` revisions are the line of current answers (every save, restore and the creation);
    ``conflict`` revisions hold a save that was rejected because another tab had saved first: they never
    became current, but can be compared and restored like any other. A revision with a ``name`` is a
    snapshot (a named version) and is never thinned out of the history.
    """

    assessment_id: str
    revision: int
    created_at: dt.datetime
    kind: RevisionKind
    name: str | None
    based_on: int | None  # the revision the answers were edited from
    restored_from: int | None  # set when this revision restored an older one
    author: str | None = None  # the user id of who made it; None before the store knew its users

    @property
    def named(self) -> bool:
        """Whether the revision is a named snapshot."""
        return self.name is not None
