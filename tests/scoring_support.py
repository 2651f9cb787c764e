"""Answers to the scored test bank (tests/data/banks/scored.yaml) that the scoring, report and docs tests
share: a good assessment to vary one answer or one recipient at a time."""

from __future__ import annotations

from typing import Any

from pipia.answers.format import Answers

GOOD_ANSWERS: dict[str, Any] = {
    "n_general": 300_000,
    "n_sensitive": 0,
    "consent": True,
    "encryption": "strong",
    "inventory": [{"item": "订单", "sensitive": "none", "individuals": 300_000}],
}
GOOD_RECIPIENT: dict[str, Any] = {
    "r_name": "Acme",
    "r_categories": ["general"],
    "r_count": 200_000,
    "r_deid": "identifiable",
    "r_contract": "full",
}


def answers(changes: dict[str, Any] | None = None, *recipients: dict[str, Any]) -> Answers:
    """The good answers with ``changes``, and one good recipient per mapping in ``recipients`` (one if none)."""
    return Answers.model_validate(
        {
            "bank": {"id": "scored", "version": "1.0"},
            "answers": {**GOOD_ANSWERS, **(changes or {})},
            "repeats": {"recipients": [{**GOOD_RECIPIENT, **r} for r in (recipients or ({},))]},
        }
    )

