"""How long `pipia lint` takes on a synthetic bank of 2,000 questions, next to parsing the YAML alone.

Prints the figures; asserts nothing (timings on shared machines are noisy). Run: python bench/bench_lint.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import yaml

from pipia.loader import lint

QUESTIONS = 2_000
PER_SECTION = 20
SOURCES = """\
sources:
  - id: pipl
    kind: law
    short: {zh: 个人信息保护法, en: PIPL}
    title: {zh: 中华人民共和国个人信息保护法, en: Personal Information Protection Law of the PRC}
    issuer: {zh: 全国人民代表大会常务委员会, en: NPC Standing Committee}
"""


def synthetic_bank(folder: Path) -> Path:
    """A bank shaped like a real one: choice questions with risky options, conditions, citations."""
    lines = [
        "id: synthetic",
        'version: "1.0"',
        "title: {zh: 合成题库, en: Synthetic bank}",
        "sources: sources.yaml",
        "dimensions:",
        "  - {id: d1, label: {zh: 维度, en: Dimension}, risk_source: process}",
        "sections:",
    ]
    for s in range(QUESTIONS // PER_SECTION):
        lines += [f"  - id: s{s}", f"    title: {{zh: 第{s}节, en: Section {s}}}", "    questions:"]
        for q in range(PER_SECTION):
            n = s * PER_SECTION + q
            lines += [
                f"      - id: q{n}",
                "        type: single_choice",
                f"        text: {{zh: 问题{n}, en: Question {n}}}",
                "        dimension: d1",
                "        cites: [pipl]",
                "        options:",
                "          - {value: ok, label: {zh: 符合, en: Compliant}}",
                "          - value: gap",
                "            label: {zh: 不符合, en: Gap}",
                "            risk: 0.6",
                "            finding: {zh: 存在差距, en: A gap}",
                "            action: {zh: 整改, en: Fix it}",
            ]
            if n:
                lines.append(f"        show_if: {{question: q{n - 1}, in: [ok, gap]}}")
    (folder / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    path = folder / "synthetic.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def best_of(runs: int, action: object) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = synthetic_bank(Path(tmp))
        text = path.read_text(encoding="utf-8")
        problems = lint([path])
        assert not [p for p in problems if p.severity == "error"], problems[:3]
        parse_best, parse_median = best_of(5, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        lint_best, lint_median = best_of(5, lambda: lint([path]))
    print(f"lint of a {QUESTIONS}-question bank: best {lint_best * 1000:.0f} ms, median {lint_median * 1000:.0f} ms")
    print(f"plain C YAML parse of the same file:  best {parse_best * 1000:.0f} ms, median {parse_median * 1000:.0f} ms")
    print(f"ratio lint / parse (best): {lint_best / parse_best:.1f}x")


if __name__ == "__main__":
    main()
