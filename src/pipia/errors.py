"""Domain errors. The core raises these; only the CLI and the UI turn them into exit codes or messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

# A message quotes what it found; a hostile file can make that a megabyte (an alias bomb's value, a
# 2 MB line). Bounded here, where every problem is made, so no caller can forget.
MAX_MESSAGE = 600
MAX_PATH = 200


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    Rendered as ``file:line: path: message`` — the shape editors and CI logs turn into links. ``zh`` is
    the message in Chinese where one is written (the file-boundary problems a DPO meets in the app);
    ``text(lang)`` picks it. Paths and messages longer than ``MAX_PATH``/``MAX_MESSAGE`` are cut.
    ``code`` and ``params`` say the same as data (``"not_answered"``, ``(("date", "2026-03-01"),)``) where a
    shell words the problem itself, in the user's language (see ``screening``); "" where none is given.
    """

    file: str
    line: int | None
    path: str
    message: str
    severity: Severity = "error"
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

    def text(self, lang: str) -> str:
        """The problem as one line, with the Chinese message when ``lang`` is zh and one is written."""
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.path}:" if self.path else ""
        if lang == "zh" and self.zh:
            return f"{where}:{field} {'警告：' if self.severity == 'warning' else ''}{self.zh}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {prefix}{self.message}"


class PipiaError(Exception):
    """Base class of every error the library raises on purpose."""


class InputError(PipiaError):
    """An input file is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems), key=_reading_order))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


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
    the model's, and without quoting the whole model."""

    def __init__(self, path: tuple[int | str, ...], message: str, zh: str = "", code: str = "",
                 params: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.path = path
        self.zh = zh
        self.code = code  # what is wrong, as data (see Problem.code)
        self.params = params


def field_zh(error: Any) -> str:
    """The Chinese message a ``FieldError`` behind a pydantic error dict carries; "" otherwise."""
    cause = (error.get("ctx") or {}).get("error")
    return cause.zh if isinstance(cause, FieldError) else ""


def field_code(error: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The code and parameters a ``FieldError`` behind a pydantic error dict carries; ("", ()) otherwise."""
    cause = (error.get("ctx") or {}).get("error")
    return (cause.code, cause.params) if isinstance(cause, FieldError) else ("", ())


def field_path(error: Any) -> tuple[int | str, ...]:
    """The extra path a pydantic error dict carries when its cause is a ``FieldError``; () otherwise."""
    cause = (error.get("ctx") or {}).get("error")
    return cause.path if isinstance(cause, FieldError) else ()


def shown(value: Any) -> str:
    """A value as its author wrote it in YAML or JSON, never as a Python repr: yes/no, ISO dates, quoted text.

    Mappings and lists are named, not quoted (a check across fields names the fields in its message).
    """
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
