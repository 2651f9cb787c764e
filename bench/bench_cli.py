"""Start-up of ``pipia route`` and ``pipia score`` against bare Python, in fresh processes.

A command is timed from process start to exit on the shipped sample. Three baselines bound it from
below, measured in the same run: ``python -c pass`` (the interpreter), ``python -c "import yaml"`` (the
issue's baseline) and ``python -c "import yaml, pydantic"`` (the least any command that reads and checks
a YAML file imports; pydantic's own top level imports lazily, so its models are not in this floor).
Runs alternate (baselines, route, score, baselines, ...) so a busy machine slows all alike; medians
are quoted and the goal is checked on them. Prints figures; asserts nothing.

Fair to an installed pipia: pip compiles an installed package's bytecode once, so the sources are
compiled before timing (``PYTHONDONTWRITEBYTECODE`` would otherwise make every run compile them
again), and one run of each command before timing fills the cache of loaded banks (``bankcache``), as
a consultant's first command of the day does. Run: python bench/bench_cli.py
"""

from __future__ import annotations

import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pipia
from pipia.files.resources import samples_dir

RUNS = 9
GOAL_MS = 250


def once(command: list[str]) -> float:
    """Seconds from starting ``command`` to its exit (output discarded)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    compileall.compile_dir(str(Path(pipia.__file__).parent), quiet=1)
    sample = str(samples_dir() / "crossborder-ecommerce.yaml")
    pipia_command = str(Path(sys.executable).with_name("pipia"))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import yaml'": [sys.executable, "-c", "import yaml"],
        "python -c 'import yaml, pydantic'": [sys.executable, "-c", "import yaml, pydantic"],
        "route": [pipia_command, "route", sample],
        "score": [pipia_command, "score", sample],
        "lint --help": [pipia_command, "lint", "--help"],
    }
    for command in commands.values():  # warm-up: file cache, bank cache
        once(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            times[name].append(once(command))
    ms = {name: statistics.median(values) * 1000 for name, values in times.items()}
    print(f"Start-up, medians of {RUNS} alternating runs in fresh processes:")
    for name in list(commands)[:3]:
        print(f"  baseline {name}: {ms[name]:4.0f} ms")
    bare, floor = ms["python -c 'import yaml'"], ms["python -c 'import yaml, pydantic'"]
    for name in ("route", "score", "lint --help"):
        print(f"pipia {name} start-up: {ms[name]:4.0f} ms   ratio to 'import yaml' {ms[name] / bare:4.1f}   "
              f"to 'import yaml, pydantic' {ms[name] / floor:4.1f}   goal <= {GOAL_MS} ms: "
              f"{'met' if ms[name] <= GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
