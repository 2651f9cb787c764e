"""Start-up of ``pipia route`` and ``pipia score`` against bare Python, in fresh processes.

A command is timed from process start to exit on the shipped sample. Three baselines bound it from
below, measured in the same run: ``python -c pass`` (the interpreter), ``python -c "import yaml"`` (the
issue's baseline) and the least any command that reads and checks a YAML file must do: import yaml and
pydantic and validate one model (``import pydantic`` alone is no floor: its top level imports lazily, and
the first model class loads the rest of it; pydantic's plugins are left out, as pipia's short commands
leave them). Runs alternate (baselines, route, score, baselines, ...) so
a busy machine slows all alike; medians are quoted and the goal is checked on them. On a shared machine
wall time follows the other work running, so the CPU time each process used (user + system, from
``getrusage``) is quoted beside it. Prints figures; asserts nothing.

Fair to an installed pipia: pip compiles an installed package's bytecode once, so the sources are
compiled before timing (``PYTHONDONTWRITEBYTECODE`` would otherwise make every run compile them
again), and one run of each command before timing fills the cache of loaded banks (``bankcache``), as
a consultant's first command of the day does. Run: python bench/bench_cli.py

With ``--instructions`` (needs valgrind), each command also runs once under cachegrind and the
instructions it executed are counted: a figure other work on the machine does not move, for comparing
two versions of pipia on a busy machine, where wall and CPU time vary by more than a change is worth
(hash randomisation is fixed so that runs repeat exactly).
"""

from __future__ import annotations

import compileall
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pipia
from pipia.files.resources import samples_dir

RUNS = 9
GOAL_MS = 250


# With pydantic's plugins left out as the short commands leave them (see cli.main): looking for them
# costs every process that builds a validator the same, and is no part of reading a file.
FLOOR = ("import os\nos.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__')\nimport yaml\n"
         "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)")


def once(command: list[str]) -> tuple[float, float]:
    """Seconds from starting ``command`` to its exit (output discarded), and the CPU seconds it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    compileall.compile_dir(str(Path(pipia.__file__).parent), quiet=1)
    sample = str(samples_dir() / "crossborder-ecommerce.yaml")
    pipia_command = str(Path(sys.executable).with_name("pipia"))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import yaml'": [sys.executable, "-c", "import yaml"],
        "yaml + one pydantic model": [sys.executable, "-c", FLOOR],
        "route": [pipia_command, "route", sample],
        "score": [pipia_command, "score", sample],
        "lint --help": [pipia_command, "lint", "--help"],
    }
    for command in commands.values():  # warm-up: file cache, bank cache
        once(command)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(RUNS):
        for name, command in commands.items():
            times[name].append(once(command))
    ms = {name: statistics.median(w for w, _ in values) * 1000 for name, values in times.items()}
    cpu = {name: statistics.median(c for _, c in values) * 1000 for name, values in times.items()}
    print(f"Start-up, medians of {RUNS} alternating runs in fresh processes (wall, and CPU user + system):")
    for name in list(commands)[:3]:
        print(f"  baseline {name}: {ms[name]:4.0f} ms   CPU {cpu[name]:4.0f} ms")
    bare, floor = "python -c 'import yaml'", "yaml + one pydantic model"
    for name in ("route", "score", "lint --help"):
        print(f"pipia {name} start-up: {ms[name]:4.0f} ms (CPU {cpu[name]:4.0f})   ratio to 'import yaml' "
              f"{ms[name] / ms[bare]:4.1f} (CPU {cpu[name] / cpu[bare]:4.1f})   to {floor} {ms[name] / ms[floor]:4.1f} "
              f"(CPU {cpu[name] / cpu[floor]:4.1f})   goal <= {GOAL_MS} ms: "
              f"{'met' if ms[name] <= GOAL_MS else 'NOT met'}")
    if "--instructions" in sys.argv[1:]:
        instructions(commands)


def instructions(commands: dict[str, list[str]]) -> None:
    """Print the instructions each command executes (valgrind's count) and its ratios to the baselines."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("--instructions: valgrind is not installed")
        return
    counts: dict[str, int] = {}
    for name, command in commands.items():
        done = subprocess.run([valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                               *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if found is None:
            print(f"--instructions: no count from valgrind for {name}")
            return
        counts[name] = int(found.group(1).replace(",", ""))
    print("Instructions executed (valgrind, one run each):")
    bare, floor = "python -c 'import yaml'", "yaml + one pydantic model"
    for name, count in counts.items():
        ratios = "" if name in list(commands)[:3] else \
            f"   ratio to 'import yaml' {count / counts[bare]:4.2f}   to {floor} {count / counts[floor]:4.2f}"
        print(f"  {name}: {count / 1e6:7.1f} M{ratios}")


if __name__ == "__main__":
    main()
