"""GB/T 39335 levels, the risk matrix and the treatment each risk level calls for.

The matrix is GB/T 39335 Table D.5 (approval draft; the final text's matrix is corroborated as identical):
risk level from the impact on individuals' rights and the likelihood of a security incident.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from pipia.i18n import Message, msg

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

# The words live in the catalogue (level_*, treatment_*), once: impact, likelihood, risk and a finding's
# severity share them. English is lower case for running text ("risk level medium").
LEVELS: Mapping[str, Message] = MappingProxyType({
    "low": msg("level_low"), "medium": msg("level_medium"), "high": msg("level_high"), "severe": msg("level_severe"),
    "very_high": msg("level_very_high")})
TREATMENTS: Mapping[str, Message] = MappingProxyType({
    "treat_immediately": msg("treatment_treat_immediately"), "treat_by_deadline": msg("treatment_treat_by_deadline"),
    "treat_after_weighing": msg("treatment_treat_after_weighing"), "accept": msg("treatment_accept")})
_CODES = {"impact": IMPACTS, "risk": RISKS, "likelihood": LIKELIHOODS, "severity": ("low", "medium", "high"),
          "treatment": tuple(TREATMENTS)}


def risk_level(impact: Impact, likelihood: Likelihood) -> RiskLevel:
    """The GB/T 39335 risk level of a scenario from its impact and likelihood, read off the risk matrix (MATRIX)."""
    return MATRIX[impact][likelihood]


def label(kind: str, code: str) -> Message:
    """The words for a level: ``label("impact", "severe")(lang)`` → 严重 / severe. ``kind`` is impact,
    likelihood, risk, severity (a finding's) or treatment; KeyError for a code that kind does not have."""
    if code not in _CODES[kind]:
        raise KeyError(f"{kind} has no level {code!r}")
    return TREATMENTS[code] if kind == "treatment" else LEVELS[code]


def shift(level: Impact, steps: int) -> Impact:
    """Raise (or lower, with a negative step) an impact level, staying within low…severe."""
    return IMPACTS[max(0, min(len(IMPACTS) - 1, IMPACTS.index(level) + steps))]


def at_least(level: Likelihood, floor: Likelihood) -> Likelihood:
    """``level`` raised to ``floor`` when it is lower, in the order of LIKELIHOODS (low to very high)."""
    return max(level, floor, key=LIKELIHOODS.index)
