"""Citations as a lawyer writes them, and the legal references annex.

Questions, coverage items and the route rules cite ``source:article`` ids of the sources registry. In
running text a citation is the source's short name and the article's number (《个人信息保护法》第三十九条,
PIPL Art. 39); the annex lists each source once, with its full title, issuer, dates and the articles cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..i18n import Lang, Localized
from ..library import Source, SourceRegistry
from .text import fmt_date

KINDS: dict[str, Localized] = {
    "law": Localized(zh="法律", en="Law"),
    "administrative_regulation": Localized(zh="行政法规", en="Administrative regulation"),
    "departmental_rules": Localized(zh="部门规章", en="Departmental rules"),
    "normative_document": Localized(zh="规范性文件", en="Normative document"),
    "national_standard": Localized(zh="国家标准", en="National standard"),
    "practice_guide": Localized(zh="标准实践指南", en="Practice guide"),
    "guide": Localized(zh="指南", en="Guide"),
    "template": Localized(zh="模板", en="Template"),
    "contract": Localized(zh="合同范本", en="Model contract"),
    "qa": Localized(zh="答问", en="Official Q&A"),
}
KIND_ORDER = list(KINDS)

# The numbering at the head of an article title ("第六条第一项 ...", "Art. 6(1) ...", "5.3 ...", "表A.1 ...").
_SECTION = r"[A-Z]?\.?\d+(?:\.\d+)*"
_NUMBER = {
    "zh": re.compile(rf"^(第\S+?条(?:第\S+?项)?|[一二三四五六七八九十]+（[^）]+）\S*|{_SECTION}|表\S+|附录\S+)"
                     r"(?=\s|$)"),
    "en": re.compile(rf"^(Art\.\s\S+|Table\s\S+|Appendix\s\S+|Annex\s\S+|[IVX]+\(\d+\)\S*|{_SECTION})(?=\s|$)"),
}


def article_number(title: str, lang: Lang) -> str:
    """The numbering part of an article title, or the whole title when it has none."""
    match = _NUMBER[lang].match(title)
    return match.group(1) if match else title


def cite_label(cite: str, sources: SourceRegistry, lang: Lang) -> str:
    """``pipl:39`` → 《个人信息保护法》第三十九条 / PIPL Art. 39. Unknown ids are shown as they are."""
    source_id, _, article_id = cite.partition(":")
    source = sources.by_id.get(source_id)
    if source is None:
        return cite
    short = source.short(lang)
    if not article_id:
        return short
    article = source.article(article_id)
    number = article_number(article.title(lang), lang) if article else article_id
    return _joined(short, number) if lang == "zh" else f"{short} {number}"


def cite_labels(cites: Iterable[str], sources: SourceRegistry, lang: Lang) -> str:
    """Several citations, each source named once: 《个人信息保护法》第十三条、第三十九条 / PIPL Art. 13, Art. 39."""
    groups: dict[str, list[str]] = {}
    for cite in dict.fromkeys(cites):
        source_id, _, article_id = cite.partition(":")
        source = sources.by_id.get(source_id)
        if source is None or not article_id:
            groups.setdefault(cite_label(cite, sources, lang), [])
            continue
        article = source.article(article_id)
        number = article_number(article.title(lang), lang) if article else article_id
        groups.setdefault(source.short(lang), []).append(number)
    if lang == "zh":
        return "；".join(_joined(name, "、".join(numbers)) for name, numbers in groups.items())
    return "; ".join(_joined(name, ", ".join(numbers)) for name, numbers in groups.items())


def _joined(name: str, number: str) -> str:
    """《个人信息保护法》第三十九条, but GB/T 39335—2020 5.3: a space after a name ending in Latin or a digit."""
    if not number:
        return name
    return f"{name} {number}" if name[-1].isascii() else f"{name}{number}"


def references(cites: Iterable[str], sources: SourceRegistry, lang: Lang) -> list[dict[str, Any]]:
    """Every source cited, once, in order of binding force, with the articles cited from it."""
    wanted: dict[str, set[str]] = {}
    unknown: list[str] = []
    for cite in cites:
        source_id, _, article_id = cite.partition(":")
        if source_id not in sources.by_id:
            unknown.append(cite)
            continue
        articles = wanted.setdefault(source_id, set())
        if article_id:
            articles.add(article_id)
    chosen = [s for s in sources.sources if s.id in wanted]
    chosen.sort(key=lambda s: KIND_ORDER.index(s.kind))
    out = [_reference(s, wanted[s.id], lang) for s in chosen]
    for i, entry in enumerate(out, start=1):
        entry["no"] = str(i)
    if unknown:  # cited but not in the registry: still listed, so the reader sees every citation
        out.append({"no": str(len(out) + 1), "id": "", "title": ", ".join(sorted(set(unknown))), "short": "",
                    "kind": "", "issuer": "", "number": "", "dates": "", "url": "", "note": "", "articles": []})
    return out


def full_title(source: Source, lang: Lang) -> str:
    """GB/T 39335—2020《信息安全技术 …》, 《中华人民共和国个人信息保护法》, GB/T 39335-2020 Information …"""
    title = source.title(lang)
    numbered = source.kind in ("national_standard", "practice_guide")
    if lang == "en":
        return f"{source.short(lang)} {title}" if numbered and not title.startswith(source.short(lang)) else title
    quoted = title if "《" in title else f"《{title}》"
    return f"{source.short(lang)}{quoted}" if numbered else quoted


def _reference(source: Source, article_ids: set[str], lang: Lang) -> dict[str, Any]:
    dates = []
    if source.issued:
        dates.append(("发布：" if lang == "zh" else "issued ") + fmt_date(source.issued, lang))
    if source.effective:
        dates.append(("施行：" if lang == "zh" else "in force ") + fmt_date(source.effective, lang))
    articles = [a.title(lang) for a in source.articles if a.id in article_ids]
    articles += sorted(a for a in article_ids if source.article(a) is None)
    return {
        "no": "",
        "id": source.id,
        "title": full_title(source, lang),
        "short": source.short(lang),
        "kind": KINDS[source.kind](lang),
        "issuer": source.issuer(lang),
        "number": source.number or "",
        "dates": ("；" if lang == "zh" else "; ").join(dates),
        "url": source.url or "",
        "note": source.note(lang) if source.note else "",
        "articles": articles,
    }
