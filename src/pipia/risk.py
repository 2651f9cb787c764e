"""GB/T 39335 levels, the risk matrix and the treatment each risk level calls for.

The matrix is GB/T 39335 Table D.5 (approval draft; the final text's matrix is corroborated as identical):
risk level from the impact on individuals' rights and the likelihood of a security incident.
"""

from __future__ import annotations

from typing import Literal

from .i18n import Localized

Impact = Literal["low", "medium", "high", "severe"]
Likelihood = Literal["low", "medium", "high", "very_high"]
RiskLevel = Literal["low", "medium", "high", "severe"]
Treatment = Literal["treat_immediately", "treat_by_deadline", "treat_after_weighing", "accept"]

IMPACTS: tuple[Impact, ...] = ("low", "medium", "high", "severe")
LIKELIHOODS: tuple[Likelihood, ...] = ("low", "medium", "high", "very_high")
RISKS: tuple[RiskLevel, ...] = ("low", "medium", "high", "severe")

MATRIX: dict[Impact, dict[Likelihood, RiskLevel]] = {
    "severe": {"low": "medium", "medium": "high", "high": "severe", "very_high": "severe"},
    "high": {"low": "medium", "medium": "medium", "high": "high", "very_high": "severe"},
    "medium": {"low": "low", "medium": "medium", "high": "medium", "very_high": "high"},
    "low": {"low": "low", "medium": "low", "high": "medium", "very_high": "medium"},
}

# GB/T 39335 §5.8: treatment follows the level.
TREATMENT: dict[RiskLevel, Treatment] = {
    "severe": "treat_immediately",
    "high": "treat_by_deadline",
    "medium": "treat_after_weighing",
    "low": "accept",
}

LABELS: dict[str, Localized] = {
    "impact.low": Localized(zh="低", en="low"),
    "impact.medium": Localized(zh="中", en="medium"),
    "impact.high": Localized(zh="高", en="high"),
    "impact.severe": Localized(zh="严重", en="severe"),
    "likelihood.low": Localized(zh="低", en="low"),
    "likelihood.medium": Localized(zh="中", en="medium"),
    "likelihood.high": Localized(zh="高", en="high"),
    "likelihood.very_high": Localized(zh="很高", en="very high"),
    "treatment.treat_immediately": Localized(zh="立即处置", en="treat immediately"),
    "treatment.treat_by_deadline": Localized(zh="限期处置", en="treat by a deadline"),
    "treatment.treat_after_weighing": Localized(zh="权衡后处置", en="treat after weighing cost"),
    "treatment.accept": Localized(zh="接受", en="accept"),
}


def risk_level(impact: Impact, likelihood: Likelihood) -> RiskLevel:
    return MATRIX[impact][likelihood]


def label(kind: str, code: str) -> Localized:
    """``label("impact", "severe")`` → 严重 / severe. Risk levels share the impact words."""
    return LABELS[f"{'impact' if kind == 'risk' else kind}.{code}"]


def shift(level: Impact, steps: int) -> Impact:
    """Raise (or lower, with a negative step) an impact level, staying within low…severe."""
    return IMPACTS[max(0, min(len(IMPACTS) - 1, IMPACTS.index(level) + steps))]


def at_least(level: Likelihood, floor: Likelihood) -> Likelihood:
    return max(level, floor, key=LIKELIHOODS.index)
