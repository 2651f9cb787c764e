"""How long `pipia lint` takes on a synthetic bank of 2,000 questions, next to parsing the YAML alone.

Prints the figures; asserts nothing (timings on shared machines are noisy). Run: python bench/bench_lint.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import yaml

from pipia.bank.loader import lint

QUESTIONS = 2_000
PER_SECTION = 20
SOURCES = """\
sources:
  - id: pipl
    kind: law
    short: {zh: 个人信息保护法, en: PIPL}
    title: {zh: 中华人民共和国个人信息保护法, en: Personal Information Protection Law of the PRC}
    issuer: {zh: 全国人民代表大会常务委员会, en: NPC Standing Committee}
    articles:
      - {id: "51", title: {zh: 第五十一条, en: Art. 51}}
"""


def synthetic_bank(folder: Path) -> Path:
    """A bank as dense as the shipped one (about 25 lines a question): help, citations, coverage, three
    options of which two reveal a gap with finding and action, and a condition on the previous question."""
    lines = [
        "id: synthetic",
        'version: "1.0"',
        "title: {zh: 合成题库, en: Synthetic bank}",
        "sources: sources.yaml",
        "coverage:",
        "  - {id: focus.1, kind: focus, label: {zh: 合法性, en: Legality}, cites: [pipl]}",
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
                f"        text: {{zh: 个人信息处理者是否就第{n}项采取了措施？,",
                f"               en: Has the processor taken measure {n}?}}",
                "        help:",
                "          zh: 查阅相关制度文件与记录，确认措施已落实并有证据留存。",
                "          en: Check the policies and records; confirm the measure is in place and evidenced.",
                "        dimension: d1",
                "        weight: 2",
                '        cites: ["pipl:51"]',
                "        covers: [focus.1]",
                "        options:",
                "          - value: full",
                "            label: {zh: 已全面落实, en: Fully in place}",
                "          - value: partial",
                "            label: {zh: 部分落实, en: Partly in place}",
                "            risk: 0.5",
                "            finding: {zh: 措施仅部分落实, en: The measure is only partly in place}",
                "            action: {zh: 补齐措施并留存证据, en: Complete the measure and keep evidence}",
                "          - value: none",
                "            label: {zh: 未落实, en: Not in place}",
                "            risk: 1.0",
                "            finding: {zh: 措施未落实, en: The measure is not in place}",
                "            action: {zh: 立即落实措施, en: Put the measure in place now}",
            ]
            if n:
                lines.append(f"        show_if: {{question: q{n - 1}, in: [partial, none]}}")
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
        lines = len(text.splitlines())
        problems = lint([path])
        assert not [p for p in problems if p.level == "error"], problems[:3]
        parse_best, parse_median = best_of(5, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        lint_best, lint_median = best_of(5, lambda: lint([path]))
    print(
        f"lint of a {QUESTIONS}-question bank ({lines:,} lines): best {lint_best * 1000:.0f} ms, "
        f"median {lint_median * 1000:.0f} ms"
    )
    print(
        f"baseline, yaml.load with the C safe loader alone: best {parse_best * 1000:.0f} ms, "
        f"median {parse_median * 1000:.0f} ms"
    )
    print(f"lint / baseline (best): {lint_best / parse_best:.2f}x  (lint parses, validates and cross-checks;")
    print("  it pauses the garbage collector while building objects, which the plain load does not)")


if __name__ == "__main__":
    main()
