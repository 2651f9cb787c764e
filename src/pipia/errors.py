"""Domain errors. The core raises these; only the CLI and the UI turn them into exit codes or messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pipia.i18n import Lang, Localized, Message, t

Level = Literal["error", "warning"]  # how much a problem of a file matters (a finding has a severity)

# A message quotes what it found; a hostile file can make that a megabyte (an alias bomb's value, a
# 2 MB line). Bounded here, where every problem is made, so no caller can forget.
MAX_MESSAGE = 600
MAX_PATH = 200


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    Rendered as ``file:line: path: message`` — the shape editors and CI logs turn into links. ``zh`` is
    the message in Chinese (``Problem.of`` writes both from the catalogue; a problem made with an English
    message only shows it in both languages); ``text(lang)`` picks it.
    Paths and messages longer than ``MAX_PATH``/``MAX_MESSAGE`` are cut.
    ``code`` and ``params`` say the same as data (``"not_answered"``, ``(("date", "2026-03-01"),)``) where a
    shell words the problem itself, in the user's language (see ``screening``); "" where none is given.
    """

    file: str
    line: int | None
    path: str
    message: str
    level: Level = "error"
    zh: str = ""
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for name, limit in (("file", MAX_PATH), ("path", MAX_PATH), ("message", MAX_MESSAGE), ("zh", MAX_MESSAGE)):
            value = getattr(self, name)
            if len(value) > limit:
                object.__setattr__(self, name, f"{value[: limit - 1]}…")

    def __str__(self) -> str:
        return self.text("en")

    @classmethod
    def of(cls, file: str, line: int | None, path: str, said: Message, level: Level = "error",
           code: str = "", params: tuple[tuple[str, str], ...] = ()) -> Problem:
        """A problem whose message is a text of the catalogue, written in both languages; ``code`` and
        ``params`` as for the constructor."""
        return cls(file, line, path, said("en"), level, zh=said("zh"), code=code, params=params)

    def text(self, lang: str) -> str:
        """The problem as one line, with the Chinese message when ``lang`` is zh and one is written."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.path}:" if self.path else ""
        language: Lang = "zh" if lang == "zh" and self.zh else "en"
        prefix = t(language, "problem_warning") if self.level == "warning" else ""
        return f"{where}:{field} {prefix}{self.zh if language == 'zh' else self.message}"


class PipiaError(Exception):
    """Base class of every error the library raises on purpose.

    A refusal the user can act on is raised with a catalogue ``Message`` (``StoreError(msg("..."))``):
    ``said`` keeps it for the shells to write in the user's language, ``str(exc)`` is its English text (for
    logs and the command line). A ``Localized`` pair does the same for a message already written in both
    languages (one that came back from the report's child process as text). Raised with a plain string,
    ``said`` is None: an internal failure whose details are not for the user.
    """

    said: Message | Localized | None = None

    def __init__(self, *args: object) -> None:
        if len(args) == 1 and isinstance(args[0], Message | Localized):
            self.said = args[0]
            args = (self.said("en"),)
        super().__init__(*args)


class InputError(PipiaError):
    """An input file is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems), key=_reading_order))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of level 'error' (warnings left out)."""
        return tuple(p for p in self.problems if p.level == "error")


class BankError(InputError):
    """A question bank (or a library it uses) is invalid."""


class AnswersError(InputError):
    """An answers file is invalid or does not fit its bank."""


class NotFoundError(PipiaError):
    """A bank, template or file that was asked for does not exist."""


def _reading_order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, p.line or 0, p.path, p.message)


class FieldError(ValueError):
    """A check across fields that blames one of them: raised in a model validator with the path of the
    offending field (relative to the model), so the problem is reported at that key's line rather than at
    the model's, and without quoting the whole model. ``said`` is the catalogue text saying what is wrong
    (its English is the exception's message); ``code`` and ``params`` as for ``Problem``."""

    def __init__(self, path: tuple[int | str, ...], said: Message, code: str = "",
                 params: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(said("en"))
        self.path = path
        self.said = said
        self.code = code  # what is wrong, as data (see Problem.code)
        self.params = params

    @classmethod
    def of(cls, path: tuple[int | str, ...], said: Message, code: str = "",
           params: tuple[tuple[str, str], ...] = ()) -> FieldError:
        """A field error whose message is a text of the catalogue, in both languages; ``code`` and ``params``
        as for the constructor."""
        return cls(path, said, code, params)


def field_said(error: Any) -> Message | None:
    """The catalogue text a ``FieldError`` behind a pydantic error dict carries; None otherwise."""
    cause = (error.get("ctx") or {}).get("error")
    return cause.said if isinstance(cause, FieldError) else None


def field_code(error: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The code and parameters a ``FieldError`` behind a pydantic error dict carries; ("", ()) otherwise."""
    cause = (error.get("ctx") or {}).get("error")
    return (cause.code, cause.params) if isinstance(cause, FieldError) else ("", ())


def field_path(error: Any) -> tuple[int | str, ...]:
    """The extra path a pydantic error dict carries when its cause is a ``FieldError``; () otherwise."""
    cause = (error.get("ctx") or {}).get("error")
    return cause.path if isinstance(cause, FieldError) else ()


def shown(value: Any, written: str | None = None) -> str:
    """A value as its author wrote it in YAML or JSON, never as a Python repr: yes/no, ISO dates, quoted text.

    ``written`` is the text the file held where the reader kept it (``yamlio.written_text``): ``1.10`` for
    the float 1.1, ``On`` for True; it wins over the value's own form. Mappings and lists are named, not
    quoted (a check across fields names the fields in its message).
    """
    if written is not None and not isinstance(value, str | dict | list | tuple):
        return written
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):  # quoted, as the messages quote ids and options
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "nothing"
    return str(value)
