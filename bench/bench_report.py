"""One report against bare docxtpl, and a batch of answers files against a bare docxtpl loop.

Baselines do what any docxtpl report of the same document does: the same shipped template, the same
context (built beforehand), the same dimension chart (a native Word chart part, built by the same
function, related from the body as docxtpl relates an ``InlineImage``), a plain autoescaping Jinja
environment with a filter for the ``rt`` runs, one save. The ratio is what pipia adds
(route check, scoring, context, sandboxed environment with cleaning, document properties in order).

The batch row runs the whole ``pipia report DIR -o OUT`` command (start-up included) on BATCH copies of
the sample, against the bare docxtpl loop over the same number of reports in this process (start-up
excluded: the comparison favours the baseline).

Runs alternate (baseline, pipia, baseline, ...) so a busy machine slows both alike; medians are quoted.
Prints figures and whether each goal is met; asserts nothing. Run: python bench/bench_report.py
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docx.opc.part import Part
from docxtpl import DocxTemplate, RichText
from jinja2 import Environment

from pipia.answers import format as answers_mod
from pipia.bank.loader import load_bank
from pipia.files.resources import samples_dir
from pipia.report import build_report_context, charts, make_report, shipped_template

RUNS = int(os.environ.get("PIPIA_BENCH_RUNS", "7"))
BATCH = int(os.environ.get("PIPIA_BENCH_BATCH", "50"))
BATCH_RUNS = int(os.environ.get("PIPIA_BENCH_BATCH_RUNS", "3"))
RATIO_GOAL = 1.3
BATCH_GOAL = 10.0  # reports a second


def alternating(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median seconds of each action over ``runs`` rounds, one call of each per round (after a warm-up)."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def bare_docxtpl(template: bytes, context: dict[str, object]) -> bytes:
    """The same report as plain docxtpl makes it: same template, context and chart; no sandbox, no checks."""
    tpl = DocxTemplate(io.BytesIO(template))
    annex: dict[str, object] = context["annex"]  # type: ignore[assignment]
    rows: list[dict[str, object]] = annex["dimensions"]  # type: ignore[assignment]
    lang = str(context["lang"])

    class Chart:
        def __html__(self) -> str:
            part = tpl.current_rendering_part
            chart = Part(part.package.next_partname(charts.PART_NAME), charts.CONTENT_TYPE,
                         charts.chart_part_xml(rows, lang), part.package)
            return charts.inline_run_xml(part.relate_to(chart, charts.RELATIONSHIP), part.next_id, rows, lang)

    chart = Chart() if charts.has_chart(rows) else None
    env = Environment(autoescape=True)
    env.filters["rt"] = lambda text, alert=False: RichText(text, bold=alert)
    tpl.render({**context, "chart": chart}, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def main() -> None:
    sample = samples_dir() / "crossborder-ecommerce.yaml"
    answers, _ = answers_mod.read(sample)
    loaded = load_bank(answers.bank.id, [sample.parent])
    print(f"Medians of {RUNS} alternating runs; the sample assessment.")
    contexts = {}
    for lang in ("zh", "en"):
        template = shipped_template(lang)
        context = build_report_context(loaded, answers, lang)
        contexts[lang] = context
        figures = alternating({
            "bare": functools.partial(bare_docxtpl, template, context),
            "pipia": functools.partial(make_report, loaded, answers, lang),
        }, RUNS)
        ratio = figures["pipia"] / figures["bare"]
        print(f"one report ({lang}): pipia {figures['pipia'] * 1000:5.0f} ms   bare docxtpl "
              f"{figures['bare'] * 1000:5.0f} ms   ratio {ratio:4.2f}   goal <= {RATIO_GOAL}: "
              f"{'met' if ratio <= RATIO_GOAL else 'NOT met'}")
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "in"
        inputs.mkdir()
        for i in range(BATCH):
            shutil.copy(sample, inputs / f"assessment-{i:03d}.yaml")
        pipia = str(Path(sys.executable).with_name("pipia"))
        template, context = shipped_template("zh"), contexts["zh"]

        def command() -> None:
            out = Path(folder) / "out"
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([pipia, "report", str(inputs), "-o", str(out)], check=True, stderr=subprocess.DEVNULL)

        def loop() -> None:
            for _ in range(BATCH):
                bare_docxtpl(template, context)

        figures = alternating({"bare": loop, "pipia": command}, BATCH_RUNS)
        ours, bare = BATCH / figures["pipia"], BATCH / figures["bare"]
        print(f"batch of {BATCH} (pipia report DIR -o OUT, {os.cpu_count()} cores): pipia {ours:4.1f} docx/s   "
              f"bare docxtpl loop {bare:4.1f} docx/s   ratio {ours / bare:4.2f}   goal >= {BATCH_GOAL:g} docx/s: "
              f"{'met' if ours >= BATCH_GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
