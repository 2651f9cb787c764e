"""Bilingual text. Every user-facing string in a bank is a ``{zh, en}`` pair; the app's own strings too."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .model import Model

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # not strftime: its month names follow the machine's locale

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


def fmt_count(value: float, lang: Lang) -> str:
    """A number as each language writes it: ``320000`` → 32万 / 320,000; ``6500`` → 6500 / 6,500.

    Chinese legal and official texts write counts without thousands separators and in 万 once they reach
    ten thousand (a round 万 figure, or one exact to the hundred: 29.8万); other numbers stay in digits.
    """
    if not float(value).is_integer():
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text if lang == "zh" else f"{value:,.2f}".rstrip("0").rstrip(".")
    n = int(value)
    if lang == "en":
        return f"{n:,}"
    if abs(n) >= 10_000 and n % 100 == 0:
        return f"{n / 10_000:.2f}".rstrip("0").rstrip(".") + "万"
    return str(n)


def fmt_date(day: dt.date | None, lang: Lang) -> str:
    """A date as each language writes it in prose: 2026年9月1日 / 1 September 2026; ``""`` for None."""
    if day is None:
        return ""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
