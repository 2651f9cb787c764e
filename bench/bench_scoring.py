"""Time to score the shipped sample assessment and a synthetic 2,000-question assessment.

Prints figures; asserts nothing (timings on shared machines are noisy). Run: python bench/bench_scoring.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers
from pipia.assessment.scoring import score
from pipia.bank.format import Bank
from pipia.bank.loader import load_bank
from pipia.files.resources import samples_dir

QUESTIONS = 2_000
RECIPIENTS = 3
PER_RECIPIENT = 20


def _option(value: str, risk: float) -> dict[str, Any]:
    option: dict[str, Any] = {"value": value, "label": {"zh": value, "en": value}, "risk": risk}
    if risk:
        option |= {"finding": {"zh": "差距", "en": "Gap"}, "action": {"zh": "整改", "en": "Fix"}}
    return option


def _question(qid: str, dimension: str, condition: dict[str, Any] | None = None) -> dict[str, Any]:
    question = {
        "id": qid,
        "type": "single_choice",
        "text": {"zh": qid, "en": qid},
        "dimension": dimension,
        "cites": ["pipl"],
        "options": [_option("ok", 0.0), _option("some", 0.5), _option("gap", 1.0)],
    }
    return question | ({"show_if": condition} if condition else {})


def synthetic() -> tuple[Bank, Answers]:
    dimensions = [
        {"id": f"d{i}", "label": {"zh": f"维度{i}", "en": f"D{i}"}, "risk_source": source}
        for i, source in enumerate(("network", "process", "people", "business"))
    ]
    recipient = [
        {"id": "r_name", "type": "text", "text": {"zh": "名称", "en": "Name"}, "cites": ["pipl"]},
        {"id": "r_count", "type": "number", "text": {"zh": "人数", "en": "Count"}, "cites": ["pipl"]},
        {
            "id": "r_cat",
            "type": "multiple_choice",
            "text": {"zh": "类别", "en": "Categories"},
            "cites": ["pipl"],
            "options": [_option("general", 0), _option("health", 0)],
        },
        *[_question(f"r{i}", f"d{i % 4}") for i in range(PER_RECIPIENT)],
    ]
    flat = QUESTIONS - len(recipient)
    sections: list[dict[str, Any]] = [
        {
            "id": f"s{s}",
            "title": {"zh": f"第{s}节", "en": f"S{s}"},
            "questions": [
                _question(f"q{n}", f"d{n % 4}", {"question": f"q{n - 1}", "not_equals": "gap"} if n % 10 else None)
                for n in range(s * 50, min(flat, (s + 1) * 50))
            ],
        }
        for s in range((flat + 49) // 50)
    ]
    sections.append(
        {
            "id": "recipient",
            "title": {"zh": "接收方", "en": "Recipient"},
            "repeat": "recipients",
            "questions": recipient,
        }
    )
    bank = Bank.model_validate(
        {
            "id": "synthetic",
            "version": "1",
            "title": {"zh": "合成", "en": "Synthetic"},
            "dimensions": dimensions,
            "repeat_groups": [
                {"id": "recipients", "label": {"zh": "接收方", "en": "Recipient"}, "title_question": "r_name"}
            ],
            "scoring": {
                "scenario_group": "recipients",
                "severity": {"medium": 0.4, "high": 0.7},
                "likelihood": {"medium": 0.15, "high": 0.35, "very_high": 0.6},
                "impact": {
                    "categories_question": "r_cat",
                    "levels": {"general": "low", "health": "high"},
                    "scale_question": "r_count",
                },
            },
            "sections": sections,
        }
    )
    values = {f"q{n}": ("ok", "some", "gap")[n % 7 % 3] for n in range(flat)}
    items = [
        {
            "r_name": f"R{k}",
            "r_count": 1000 * k,
            "r_cat": ["general"],
            **{f"r{i}": ("ok", "some")[i % 2] for i in range(PER_RECIPIENT)},
        }
        for k in range(RECIPIENTS)
    ]
    return bank, Answers.model_validate(
        {"bank": {"id": "synthetic", "version": "1"}, "answers": values, "repeats": {"recipients": items}}
    )


def timed(runs: int, action: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    samples = sorted(Path(samples_dir()).glob("*.yaml"))
    for path in samples:
        sample, _ = answers_mod.read(path)
        bank = load_bank(sample.bank.id).bank
        best, median = timed(20, lambda b=bank, s=sample: score(b, s))  # type: ignore[misc]
        print(
            f"score {path.name} ({len(bank.questions)} questions): best {best * 1000:.1f} ms, "
            f"median {median * 1000:.1f} ms"
        )
    bank, synthetic_answers = synthetic()
    best, median = timed(5, lambda: score(bank, synthetic_answers))
    print(
        f"score synthetic ({len(bank.questions)} questions, {RECIPIENTS} recipients): "
        f"best {best * 1000:.0f} ms, median {median * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
