"""Start-up of ``pipia route`` and ``pipia score`` against ``python -c "import yaml"``, in fresh processes.

A command is timed from process start to exit on the shipped sample; the baseline is the smallest thing
any YAML-reading command does (start Python, import PyYAML). Runs alternate (baseline, route, score,
baseline, ...) so a busy machine slows all alike; medians are quoted and the goal is checked on them.
Prints figures; asserts nothing. Run: python bench/bench_cli.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from pipia.resources import samples_dir

RUNS = 9
GOAL_MS = 250


def once(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    sample = str(samples_dir() / "crossborder-ecommerce.yaml")
    pipia = str(Path(sys.executable).with_name("pipia"))
    commands = {
        "baseline": [sys.executable, "-c", "import yaml"],
        "route": [pipia, "route", sample],
        "score": [pipia, "score", sample],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            times[name].append(once(command))
    base = statistics.median(times["baseline"]) * 1000
    for name in ("route", "score"):
        ms = statistics.median(times[name]) * 1000
        print(f"pipia {name} start-up: {ms:6.0f} ms   python -c 'import yaml': {base:4.0f} ms   "
              f"ratio {ms / base:4.1f}   goal <= {GOAL_MS} ms: {'met' if ms <= GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
