"""The legal references annex: each source cited, once, with its full title, issuer, dates and the
articles cited (citations in running text are written by ``pipia.bank.citations``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipia.bank.citations import article_label
from pipia.bank.library import Source, SourceRegistry
from pipia.i18n import Lang, Message, join, msg, t
from pipia.report.text import fmt_date

# In order of binding force; the words are in the catalogue (report.kind.*).
KINDS: dict[str, Message] = {
    "law": msg("report.kind.law"),
    "administrative_regulation": msg("report.kind.administrative_regulation"),
    "departmental_rules": msg("report.kind.departmental_rules"),
    "normative_document": msg("report.kind.normative_document"),
    "national_standard": msg("report.kind.national_standard"),
    "practice_guide": msg("report.kind.practice_guide"),
    "guide": msg("report.kind.guide"),
    "template": msg("report.kind.template"),
    "contract": msg("report.kind.contract"),
    "qa": msg("report.kind.qa"),
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
                "alias": "",
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
    # content: the book-title marks 《》 of Chinese legal writing.
    head, bracket, rest = title.partition("（《")
    quoted = f"《{head}》{bracket}{rest}" if bracket else (title if "《" in title else f"《{title}》")  # content: 《》
    return f"{source.short(lang)}{quoted}" if numbered else quoted


def _reference(source: Source, article_ids: set[str], lang: Lang) -> dict[str, Any]:
    dates = []
    if source.issued:
        dates.append(t(lang, "report.reference.issued", date=fmt_date(source.issued, lang)))
    if source.effective:
        dates.append(t(lang, "report.reference.in_force", date=fmt_date(source.effective, lang)))
    articles = [article_label(source, a.title(lang), lang) for a in source.articles if a.id in article_ids]
    articles += sorted(a for a in article_ids if source.article(a) is None)
    title, short = full_title(source, lang), source.short(lang)
    return {
        "no": "",
        "id": source.id,
        "title": title,
        "short": short,
        # The name the rest of the report cites it by, where the full title does not already contain it, so
        # one source reads as one name (the 2025-04-09 Q&A: full title here, short name in Annex 1).
        "alias": "" if short.strip("《》") in title else short,  # content: book-title marks
        "kind": KINDS[source.kind](lang),
        "issuer": source.issuer(lang),
        "number": source.number or "",
        "dates": join(lang, dates, between="clauses"),
        "url": source.url or "",
        "note": source.note(lang) if source.note else "",
        "articles": articles,
    }
