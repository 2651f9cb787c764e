"""Bilingual text: the program's own words, and the ``{zh, en}`` pairs banks bring.

The program's words live in one gettext catalogue per language, ``src/pipia/locale/<lang>/LC_MESSAGES/
pipia.po``, under symbolic keys (``status_saved``) with ``{name}`` placeholders; ``t``/``tn`` look them up,
``msg``/``msg_n`` name one for later (the core returns those, the shells format them). A bank's own
texts are content, not the program's words: they stay in the bank as ``Localized`` pairs.

The catalogues are read from the compiled ``.mo`` files beside the ``.po`` ones (``make catalogues``
compiles them with Babel; a test keeps them in step): the standard library reads a ``.mo`` in well under a
millisecond, where parsing the ``.po`` would cost the command line's start-up tens of milliseconds.
"""

# Annotations are evaluated as the module runs (no ``from __future__ import annotations``): see ``pipia.model``.
import datetime as dt
import functools
import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from pipia.model import Model

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
        """The text in ``lang``: zh or en."""
        return self.zh if lang == "zh" else self.en

    @classmethod
    def of(cls, zh: str, en: str) -> "Localized":
        """A text from its Chinese and English wording."""
        return cls(zh=zh, en=en)


DOMAIN = "pipia"


class MissingMessage(LookupError):
    """A key that is not in a catalogue: a programming error the catalogue tests exist to catch."""


class _Refuse(gettext.NullTranslations):
    # gettext's own fallback answers an unknown key with the key itself; a user would then read
    # ``status_saved``. Asked last, this one refuses instead.
    def __init__(self, lang: Lang) -> None:
        super().__init__()
        self.lang = lang

    def gettext(self, message: str) -> str:
        raise MissingMessage(f"{message!r} is not in the {self.lang} catalogue ({DOMAIN}.po)")

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        raise MissingMessage(f"{msgid1!r} (with plural forms) is not in the {self.lang} catalogue ({DOMAIN}.po)")


@functools.cache
def catalogue(lang: Lang) -> gettext.GNUTranslations:
    """The compiled catalogue of one language, read once per process (then cached: it never changes).

    Raises FileNotFoundError when the ``.mo`` file is missing (a checkout where ``make catalogues`` was
    never run, or a broken installation).
    """
    path = resources.files("pipia") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with path.open("rb") as fh:
        translations = gettext.GNUTranslations(fh)
    translations.add_fallback(_Refuse(lang))
    return translations


def _filled(lang: Lang, text: str, values: Mapping[str, object]) -> str:
    # A value that is itself a text (a Message, a bank's Localized pair) is written in the same language.
    return text.format_map({k: v(lang) if isinstance(v, Message | Localized) else v for k, v in values.items()})


def t(lang: Lang, key: str, /, **values: object) -> str:
    """The catalogue's text for ``key`` in ``lang``, its ``{placeholders}`` filled from ``values``.

    ``key`` must be a string literal at the call site (a test finds every key in use that way). A value
    that is a ``Message`` or ``Localized`` is written in ``lang`` first. Raises MissingMessage for an
    unknown key and KeyError for a placeholder without a value.
    """
    return _filled(lang, catalogue(lang).gettext(key), values)


def tn(lang: Lang, key: str, n: int, /, **values: object) -> str:
    """The catalogue's text for ``key`` in the plural form ``n`` asks for (gettext's ``ngettext``).

    English has two forms (1 problem / 2 problems), Chinese one. ``n`` selects the form and fills the
    ``{n}`` placeholder; the other placeholders come from ``values`` as with ``t``.
    """
    return _filled(lang, catalogue(lang).ngettext(key, key, n), {"n": n, **values})


@dataclass(frozen=True)
class Message:
    """A text of the catalogue named but not yet written: a key, its placeholder values and, for a text
    with plural forms, the count. The core returns these (codes and parameters); a shell writes them in
    its user's language by calling the message: ``message(lang) -> str``. Build one with ``msg`` or
    ``msg_n`` so that the key is a literal the catalogue tests can find.
    """

    key: str
    values: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    n: int | None = None

    def fill(self, **values: object) -> "Message":
        """The same text with more placeholder values (a table of texts filled where they are used)."""
        return Message(self.key, MappingProxyType({**self.values, **values}), self.n)

    def __call__(self, lang: Lang) -> str:
        """The message in ``lang`` from the catalogue, filled with its values (and plural form for ``n``)."""
        if self.n is None:
            return t(lang, self.key, **self.values)
        return tn(lang, self.key, self.n, **self.values)


def msg(key: str, /, **values: object) -> Message:
    """Name the catalogue text ``key`` with its placeholder values, to be written later in some language."""
    return Message(key, MappingProxyType(values))


def msg_n(key: str, n: int, /, **values: object) -> Message:
    """Like ``msg`` for a text with plural forms: ``n`` selects the form and fills ``{n}``."""
    return Message(key, MappingProxyType(values), n)


def join(lang: Lang, items: Iterable[str], *, between: Literal["items", "clauses", "options"] = "items") -> str:
    """Items in running text, separated as each language does: 、 / ", " between items; ； / "; " between
    clauses (texts with their own commas); 、 / "; " between the options chosen in a table cell."""
    if between == "clauses":
        separator = t(lang, "list_separator_clauses")
    elif between == "options":
        separator = t(lang, "list_separator_options")
    else:
        separator = t(lang, "list_separator")
    return separator.join(items)


def chinese_style_faults(text: str) -> list[str]:
    """What in a Chinese text breaks the practice of Chinese legal and official texts, as short English
    notes (empty when nothing does): ASCII double quotes (“” are used) and counts grouped by thousands
    (6500, 32万 — never 6,500). The catalogue's and the report's Chinese are both held to it."""
    faults = []
    if '"' in text:
        faults.append("full-width quotation marks in Chinese text")
    if re.search(r"\d,\d{3}", text):
        faults.append("counts written 6500 / 32万, not 6,500")
    return faults


def sentence(text: str) -> str:
    """A label used on its own starts with a capital (English labels are lower case for running text: "risk
    level medium", "add an overseas recipient")."""
    return text[:1].upper() + text[1:]


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
