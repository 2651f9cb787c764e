"""Bilingual text. Every user-facing string in a bank is a ``{zh, en}`` pair; the app's own strings too."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .model import Model

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

NonEmpty = Annotated[str, StringConstraints(strict=True, min_length=1)]


class Localized(Model):
    """A text in Chinese and English. Both are required: a report is written in either language."""

    zh: NonEmpty = Field(description="Chinese text (简体中文).")
    en: NonEmpty = Field(description="English text.")

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    @classmethod
    def of(cls, zh: str, en: str) -> Localized:
        return cls(zh=zh, en=en)


def pick(lang: Lang, zh: str, en: str) -> str:
    """Choose between two literal strings written side by side in code."""
    return zh if lang == "zh" else en
