"""The legal references annex: each source cited, once, with its full title, issuer, dates and the
articles cited (citations in running text are written by ``pipia.citations``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..citations import article_label
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
        out.append(
            {
                "no": str(len(out) + 1),
                "id": "",
                "title": ", ".join(sorted(set(unknown))),
                "short": "",
                "kind": "",
                "issuer": "",
                "number": "",
                "dates": "",
                "url": "",
                "note": "",
                "articles": [],
            }
        )
    return out


def full_title(source: Source, lang: Lang) -> str:
    """GB/T 39335—2020《信息安全技术 …》, 《中华人民共和国个人信息保护法》, GB/T 39335-2020 Information …"""
    title = source.title(lang)
    numbered = source.kind in ("national_standard", "practice_guide")
    if lang == "en":
        return f"{source.short(lang)} {title}" if numbered and not title.startswith(source.short(lang)) else title
    # A title naming the instrument it belongs to, 个人信息保护影响评估报告（模板）（《…指南》附件5）, is quoted
    # up to that bracket: 《…（模板）》（《…指南》附件5）, never with book-title marks nested.
    head, bracket, rest = title.partition("（《")
    quoted = f"《{head}》{bracket}{rest}" if bracket else (title if "《" in title else f"《{title}》")
    return f"{source.short(lang)}{quoted}" if numbered else quoted


def _reference(source: Source, article_ids: set[str], lang: Lang) -> dict[str, Any]:
    dates = []
    if source.issued:
        dates.append(("发布：" if lang == "zh" else "issued ") + fmt_date(source.issued, lang))
    if source.effective:
        dates.append(("施行：" if lang == "zh" else "in force ") + fmt_date(source.effective, lang))
    articles = [article_label(source, a.title(lang), lang) for a in source.articles if a.id in article_ids]
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
