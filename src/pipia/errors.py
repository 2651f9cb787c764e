"""Domain errors. The core raises these; only the CLI and the UI turn them into exit codes or messages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can.

    Rendered as ``file:line: path: message`` — the shape editors and CI logs turn into links.
    """

    file: str
    line: int | None
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        field = f" {self.path}:" if self.path else ""
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
