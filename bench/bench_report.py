"""Time to render the sample report, against docxtpl alone on the same template, and batch throughput.

The docxtpl-alone figure renders the same shipped template with a context built beforehand and a plain
autoescaping environment: what any docxtpl report costs. The ratio is what our own work adds (route
check, scoring, context, sandboxed environment with cleaning, chart, document properties). Prints
figures; asserts nothing (timings on shared machines are noisy). Run: python bench/bench_report.py
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable

from docxtpl import DocxTemplate, RichText
from jinja2 import Environment

from pipia import answers as answers_mod
from pipia.loader import load_bank
from pipia.report import build_report_context, make_report, shipped_template
from pipia.resources import samples_dir

RUNS = 7
BATCH = 20


def timed(action: Callable[[], object], runs: int = RUNS) -> float:
    """Median seconds of ``runs`` calls, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    sample = samples_dir() / "crossborder-ecommerce.yaml"
    answers, _ = answers_mod.read(sample)
    loaded = load_bank(answers.bank.id, [sample.parent])
    for lang in ("zh", "en"):
        template = shipped_template(lang)
        context = build_report_context(loaded, answers, lang)
        plain = {**context, "chart": None}

        def docxtpl_alone(template: bytes = template, plain: dict[str, object] = plain) -> None:
            tpl = DocxTemplate(io.BytesIO(template))
            env = Environment(autoescape=True)
            env.filters["rt"] = lambda text, alert=False: RichText(text)  # the one filter our templates use
            tpl.render(plain, jinja_env=env, autoescape=True)
            tpl.save(io.BytesIO())

        def ours(lang: str = lang) -> None:
            make_report(loaded, answers, lang)  # type: ignore[arg-type]

        base, full = timed(docxtpl_alone), timed(ours)
        print(f"report ({lang}): {full * 1000:6.0f} ms   docxtpl alone: {base * 1000:6.0f} ms   "
              f"ratio {full / base:4.2f}")
    started = time.perf_counter()
    for _ in range(BATCH):
        make_report(loaded, answers, "zh")
    elapsed = time.perf_counter() - started
    print(f"batch: {BATCH} reports in {elapsed:.1f} s = {BATCH / elapsed:.1f} reports/s")


if __name__ == "__main__":
    main()
