"""A scoring result as stable JSON (``pipia score --json``) and as a readable terminal table."""

from __future__ import annotations

import unicodedata
from typing import Any

from . import risk
from .i18n import Lang, Localized, pick
from .scoring import Contribution, Result, Step

CONCLUSIONS = {
    "proceed": Localized(zh="可以出境", en="the transfer may proceed"),
    "proceed_after_fixes": Localized(zh="完成整改后可以出境", en="the transfer may proceed after the listed fixes"),
    "do_not_proceed": Localized(zh="不应出境", en="the transfer should not proceed"),
    "incomplete": Localized(zh="评估未完成，尚不能得出结论", en="the assessment is incomplete: no conclusion yet"),
}
# Where the transfer is already under way, the conclusion is about continuing it (继续出境).
CONCLUSIONS_ONGOING = {
    "proceed": Localized(zh="可以继续出境", en="the transfer may continue"),
    "proceed_after_fixes": Localized(
        zh="完成整改后可以继续出境", en="the transfer may continue after the listed fixes"
    ),
    "do_not_proceed": Localized(
        zh="不应继续出境，应当暂停", en="the transfer should not continue and should be suspended"
    ),
    "incomplete": CONCLUSIONS["incomplete"],
}


def conclusion_label(result: Result) -> Localized:
    """The conclusion in words, for a transfer not yet started or (``result.ongoing``) already running."""
    return (CONCLUSIONS_ONGOING if result.ongoing else CONCLUSIONS)[result.conclusion]


SEVERITY = {
    "low": Localized(zh="低", en="low"),
    "medium": Localized(zh="中", en="medium"),
    "high": Localized(zh="高", en="high"),
}


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _text(value: Localized) -> dict[str, str]:
    return {"zh": value.zh, "en": value.en}


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
    def t(value: Localized) -> str:
        return value(lang)

    lines = [
        pick(lang, "结论：", "Conclusion: ") + t(conclusion_label(result)),
    ]
    level = result.overall_risk or result.provisional_risk
    if level is not None:
        prefix = (
            pick(lang, "总体风险等级：", "Overall risk: ")
            if result.complete
            else pick(lang, "暂定风险等级：", "Provisional risk: ")
        )
        lines.append(prefix + t(risk.label("risk", level)))
    lines += [f"  - {t(r)}" for r in result.reasons]
    if result.missing:
        lines.append(
            pick(lang, f"未回答的必答问题（{len(result.missing)}）：", f"Unanswered required ({len(result.missing)}):")
        )
        lines += [f"  {m}" for m in result.missing[:20]]
        if len(result.missing) > 20:
            lines.append(pick(lang, f"  …等 {len(result.missing)} 项", f"  … {len(result.missing)} in all"))
    lines.append("")
    lines.append(
        pick(
            lang,
            "各维度不符合项占比（0 = 无不符合项，100 = 全部不符合）",
            "Dimension gap scores (0 = no gap, 100 = all missing)",
        )
    )
    width = max((_width(t(d.label)) for d in result.dimensions), default=10)
    for d in result.dimensions:
        score = "  —  " if d.score is None else f"{d.score:5.1f}"
        lines.append(f"  {t(d.label)}{' ' * (width - _width(t(d.label)))}  {score}")
    lines.append("")
    lines.append(pick(lang, "出境场景（GB/T 39335）", "Transfer scenarios (GB/T 39335)"))
    for s in result.scenarios:
        lines.append(
            f"  {t(s.recipient)}: "
            + pick(lang, "影响", "impact ")
            + t(risk.label("impact", s.impact))
            + " · "
            + pick(lang, "可能性", "likelihood ")
            + t(risk.label("likelihood", s.likelihood))
            + " · "
            + pick(lang, "风险", "risk ")
            + t(risk.label("risk", s.risk))
            + " · "
            + t(risk.label("treatment", s.treatment))
        )
    if result.findings:
        lines.append("")
        lines.append(pick(lang, f"发现的问题（{len(result.findings)}）", f"Findings ({len(result.findings)})"))
        for f in sorted(result.findings, key=lambda f: (not f.blocking, ("high", "medium", "low").index(f.severity))):
            tag = pick(lang, "出境障碍", "BLOCKING") if f.blocking else t(SEVERITY[f.severity])
            where = f" [{t(f.recipient)}]" if f.recipient else ""
            lines.append(f"  [{tag}]{where} {t(f.text)}")
            lines.append(f"      → {t(f.action)}")
    return "\n".join(lines) + "\n"
