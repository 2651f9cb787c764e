"""What can go wrong with the store, as domain errors the UI turns into messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipia.errors import NotFoundError, PipiaError
from pipia.i18n import msg

if TYPE_CHECKING:
    from pipia.answers.format import Answers


class StoreError(PipiaError):
    """The database cannot be used as asked (damaged row, schema from a newer version, ...)."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached or opened (server down, folder not writable, not a database file)."""


class DamagedAnswersError(StoreError):
    """An assessment's current answers cannot be read back; ``last_readable`` is the newest revision that
    can (None when none can), which ``Store.restore`` makes current again."""

    def __init__(self, assessment_id: str, last_readable: int | None, reason: str) -> None:
        self.assessment_id = assessment_id
        self.last_readable = last_readable
        super().__init__(f"assessment {assessment_id!r}: the stored answers cannot be read back ({reason}); "
                         + (f"revision {last_readable} is the latest readable one" if last_readable else
                            "no revision can be read"))


class UnknownAssessmentError(StoreError, NotFoundError):
    """No assessment has this id (it may have been deleted in another tab)."""

    def __init__(self, assessment_id: str) -> None:
        self.assessment_id = assessment_id
        super().__init__(f"no assessment with id {assessment_id!r}")
        self.said = msg("store_unknown_assessment")


class UnknownRevisionError(StoreError, NotFoundError):
    """The assessment has no revision with this number (never made, or thinned out of the history)."""

    def __init__(self, assessment_id: str, revision: int) -> None:
        self.assessment_id = assessment_id
        self.revision = revision
        super().__init__(f"assessment {assessment_id!r} has no revision {revision}")
        self.said = msg("store_unknown_revision", revision=revision)


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer pipia: refuse to touch it rather than damage it."""


class ConflictError(StoreError):
    """A save was based on a revision that is no longer the current one (another tab saved first).

    Nothing is lost: the rejected answers are kept in the history as revision ``kept_revision``
    (kind ``conflict``), and the error carries what is stored now so the UI can show it, offer a
    comparison (``Store.diff(id, current_revision, kept_revision)``) and let the user pick.
    """

    def __init__(self, assessment_id: str, expected_revision: int, current_revision: int,
                 current_answers: Answers, kept_revision: int) -> None:
        self.assessment_id = assessment_id
        self.expected_revision = expected_revision
        self.current_revision = current_revision
        self.current_answers = current_answers
        self.kept_revision = kept_revision
        super().__init__(
            f"assessment {assessment_id!r} was changed elsewhere: the save was based on revision "
            f"{expected_revision}, the current one is {current_revision}; the rejected answers are kept "
            f"as revision {kept_revision}")
        self.said = msg("store_conflict", current=current_revision, kept=kept_revision)
