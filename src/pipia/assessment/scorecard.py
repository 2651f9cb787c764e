"""A scoring result as stable JSON (``pipia score --json``) and as a readable terminal table."""

from __future__ import annotations

import unicodedata
from typing import Any

from pipia.assessment import risk
from pipia.assessment.scoring import Contribution, Result, Step
from pipia.i18n import Lang, Localized, Message, msg, t, tn

CONCLUSIONS = {
    "proceed": msg("conclusion_proceed"),
    "proceed_after_fixes": msg("conclusion_proceed_after_fixes"),
    "do_not_proceed": msg("conclusion_do_not_proceed"),
    "incomplete": msg("conclusion_incomplete"),
}
# Where the transfer is already under way, the conclusion is about continuing it (继续出境).
CONCLUSIONS_ONGOING = {
    "proceed": msg("conclusion_ongoing_proceed"),
    "proceed_after_fixes": msg("conclusion_ongoing_proceed_after_fixes"),
    "do_not_proceed": msg("conclusion_ongoing_do_not_proceed"),
    "incomplete": CONCLUSIONS["incomplete"],
}


def conclusion_label(result: Result) -> Message:
    """The conclusion in words, for a transfer not yet started or (``result.ongoing``) already running."""
    return (CONCLUSIONS_ONGOING if result.ongoing else CONCLUSIONS)[result.conclusion]


SEVERITY = {level: risk.label("severity", level) for level in ("low", "medium", "high")}


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text(value: Localized | Message) -> dict[str, str]:
    return {"zh": value("zh"), "en": value("en")}


def _steps(steps: tuple[Step, ...]) -> list[dict[str, Any]]:
    return [{"level": s.level, "reason": _text(s.reason)} for s in steps]


def _contribution(c: Contribution) -> dict[str, Any]:
    return {
        "slot": c.slot,
        "question": c.question,
        "answer": list(c.answer),
        "weight": c.weight,
        "risk": c.risk,
        "points": round(c.points, 4),
        "max_points": round(c.max_points, 4),
    }


def to_json(result: Result) -> dict[str, Any]:
    """One JSON object; keys and their order are stable (documented in the README)."""
    return {
        "complete": result.complete,
        "missing": list(result.missing),
        "overall": {
            "risk": result.overall_risk,
            "provisional_risk": result.provisional_risk,
            "conclusion": result.conclusion,
            "reasons": [_text(r) for r in result.reasons],
        },
        "dimensions": [
            {
                "id": d.id,
                "label": _text(d.label),
                "risk_source": d.risk_source,
                "score": d.score,
                "points": round(d.points, 4),
                "max_points": round(d.max_points, 4),
                "contributions": [_contribution(c) for c in d.contributions],
            }
            for d in result.dimensions
        ],
        "scenarios": [
            {
                "item": s.item,
                # a name, as data: the recipient's own, else the English fallback ("overseas recipient 2")
                "recipient": s.recipient.en,
                "impact": s.impact,
                "likelihood": s.likelihood,
                "risk": s.risk,
                "treatment": s.treatment,
                "impact_reasons": _steps(s.impact_steps),
                "likelihood_reasons": _steps(s.likelihood_steps),
                "risk_sources": [
                    {
                        "source": x.source,
                        "share": x.share,
                        "level": x.level,
                        "answers": [c.slot for c in x.contributions],
                    }
                    for x in s.sources
                ],
            }
            for s in result.scenarios
        ],
        "findings": [
            {
                "question": f.question,
                "slot": f.slot,
                "recipient": f.recipient.en if f.recipient else None,
                "dimension": f.dimension,
                "severity": f.severity,
                "blocking": f.blocking,
                "kind": f.kind,
                "remedy": f.remedy,
                "text": _text(f.text),
                "action": _text(f.action),
            }
            for f in result.findings
        ],
    }


def format_table(result: Result, lang: Lang = "zh") -> str:
    """The result as the terminal table ``pipia score`` prints, in ``lang``; lines end with a newline."""
    lines = [t(lang, "score_conclusion", conclusion=conclusion_label(result))]
    level = result.overall_risk or result.provisional_risk
    if level is not None:
        lines.append(t(lang, "score_overall_risk" if result.complete else "score_provisional_risk",
                       level=risk.label("risk", level)))
    lines += [f"  - {r(lang)}" for r in result.reasons]
    if result.missing:
        lines.append(tn(lang, "score_unanswered", len(result.missing)))
        lines += [f"  {m}" for m in result.missing[:20]]
        if len(result.missing) > 20:
            lines.append("  " + tn(lang, "score_unanswered_more", len(result.missing)))
    lines.append("")
    lines.append(t(lang, "score_dimensions"))
    width = max((_width(d.label(lang)) for d in result.dimensions), default=10)
    for d in result.dimensions:
        score = "  —  " if d.score is None else f"{d.score:5.1f}"
        lines.append(f"  {d.label(lang)}{' ' * (width - _width(d.label(lang)))}  {score}")
    lines.append("")
    lines.append(t(lang, "score_scenarios"))
    for s in result.scenarios:
        lines.append("  " + t(lang, "score_scenario", recipient=s.recipient(lang),
                              impact=risk.label("impact", s.impact), likelihood=risk.label("likelihood", s.likelihood),
                              risk=risk.label("risk", s.risk), treatment=risk.label("treatment", s.treatment)))
    if result.findings:
        lines.append("")
        lines.append(tn(lang, "score_findings", len(result.findings)))
        for f in sorted(result.findings, key=lambda f: (not f.blocking, ("high", "medium", "low").index(f.severity))):
            tag = t(lang, "score_blocking") if f.blocking else SEVERITY[f.severity](lang)
            where = f" [{f.recipient(lang)}]" if f.recipient else ""
            lines.append(f"  [{tag}]{where} {f.text(lang)}")
            lines.append(f"      → {f.action(lang)}")
    return "\n".join(lines) + "\n"
