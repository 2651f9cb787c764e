"""Citations as a lawyer writes them: ``pipl:39`` → 《个人信息保护法》第三十九条 / PIPL Art. 39.

Questions, coverage items and the route rules cite ``source:article`` ids of the sources registry. The
app and the report show them the same way: the source's short name and the article's number, each
source named once when several articles of it are cited together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipia.bank.library import Source, SourceRegistry
from pipia.i18n import Lang, join, t

# The numbering at the head of an article title ("第六条第一项 ...", "Art. 6(1) ...", "5.3 ...", "表A.1 ...").
_SECTION = r"[A-Z]?\.?\d+(?:\.\d+)*"
_NUMBER = {
    "zh": re.compile(
        rf"^(第\S+?条(?:第\S+?[项款])*|[一二三四五六七八九十]+（[^）]+）\S*|{_SECTION}|表\S+|附录\S+)(?=\s|$)"
    ),
    "en": re.compile(rf"^(Art\.\s\S+|Table\s\S+|Appendix\s\S+|Annex\s\S+|[IVX]+\(\d+\)\S*|{_SECTION})(?=\s|$)"),
}


def article_number(title: str, lang: Lang) -> str:
    """The numbering part of an article title, or the whole title when it has none."""
    match = _NUMBER[lang].match(title)
    return match.group(1) if match else title


def cite_label(cite: str, sources: SourceRegistry, lang: Lang, *, with_title: bool = False) -> str:
    """One citation: the source's short name and the article's number (``with_title``: its whole title,
    e.g. 第三十九条 单独同意). An id the registry does not know is shown as it is."""
    source_id, _, article_id = cite.partition(":")
    source = sources.by_id.get(source_id)
    if source is None:
        return cite
    if not article_id:
        return source.short(lang)
    article = source.article(article_id)
    part = article_label(source, article.title(lang), lang) if with_title and article is not None \
        else _number(source, article_id, lang)
    return _joined(source.short(lang), part)


# PRC statutes, regulations and rules carry no article headings: the registry's words after the number are
# the tool's summary, so they are shown in brackets, never as if they were a statutory heading.
UNHEADED = frozenset({"law", "administrative_regulation", "departmental_rules", "normative_document", "contract"})


def article_label(source: Source, title: str, lang: Lang) -> str:
    """第三十九条 出境告知和单独同意 → 第三十九条（出境告知和单独同意） for statutes; standards' clause titles stay."""
    number = article_number(title, lang)
    summary = title[len(number):].strip()
    if source.kind not in UNHEADED or not summary or number == title:
        return title
    return t(lang, "citation_article_summary", number=number, summary=summary)


def cite_labels(cites: Iterable[str], sources: SourceRegistry, lang: Lang) -> str:
    """Several citations, each source named once: 《个人信息保护法》第十三条、第三十九条 / PIPL Arts 13 and 39."""
    groups: dict[str, list[str]] = {}
    for cite in dict.fromkeys(cites):
        source_id, _, article_id = cite.partition(":")
        source = sources.by_id.get(source_id)
        if source is None:
            groups.setdefault(cite, [])
            continue
        numbers = groups.setdefault(source.short(lang), [])
        if article_id:
            numbers.append(_number(source, article_id, lang))
    if lang == "zh":
        return join(lang, (_joined(name, join(lang, numbers)) for name, numbers in groups.items()),
                    between="clauses")
    return "; ".join(_joined(name, _english_numbers(numbers)) for name, numbers in groups.items())


def _number(source: Source, article_id: str, lang: Lang) -> str:
    article = source.article(article_id)
    if article is not None:
        return article_number(article.title(lang), lang)
    if article_id[:1].isdigit():  # an article the registry does not list: still written as an article
        return t(lang, "citation_unlisted_article", number=_chinese(article_id) if lang == "zh" else article_id)
    return article_id


_DIGITS = "零一二三四五六七八九"


def _chinese(number: str) -> str:
    """56 → 五十六, 1259 → 一千二百五十九, as PRC statutes number their articles; other ids as they are."""
    if not number.isdigit() or not 0 < int(number) < 10_000:
        return number
    n, out, zero = int(number), "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            bare_ten = digit == 1 and unit == "十" and not out  # 十一, not 一十一
            out += ("零" if zero and out else "") + ("" if bare_ten else _DIGITS[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def _english_numbers(numbers: list[str]) -> str:
    """Art. 6, Art. 7 → Arts 6 and 7, as English legal writing groups articles; other numbers as they are."""
    if len(numbers) < 2 or not all(n.startswith("Art. ") for n in numbers):
        return ", ".join(numbers)
    bare = [n.removeprefix("Art. ") for n in numbers]
    return f"Arts {', '.join(bare[:-1])} and {bare[-1]}"


def _joined(name: str, number: str) -> str:
    """《个人信息保护法》第三十九条, but GB/T 39335—2020 5.3: a space after a name ending in Latin or a digit."""
    if not number:
        return name
    return f"{name} {number}" if name[-1].isascii() else f"{name}{number}"
