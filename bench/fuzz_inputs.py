"""Fuzz the file boundary: mutated copies of the shipped banks, libraries, sample and a facts file.

Every mutant goes through what the CLI and the app do with such a file (read, check against its bank,
route, score, write back and read back). A run fails on any exception that is not pipia's own error, on a
mutant that takes longer than ``--timeout`` seconds, and on a *silent* change of route: a count or a
yes/no written in another YAML spelling of the same value (``010000``, ``2:46:40``, ``1e4``, ``NO``...)
must be refused with a problem or give the route of the original, never another one.

Run: python bench/fuzz_inputs.py [--seconds 180] [--seed N]. Prints a summary; exits 1 on a failure,
with the mutant and its traceback written to bench/fuzz-failures/.
"""

from __future__ import annotations

import argparse
import codecs
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from pipia.answers import format as answers_mod
from pipia.assessment import scoring
from pipia.bank import loader
from pipia.errors import PipiaError
from pipia.files.resources import questionnaires_dir, samples_dir, shipped_banks
from pipia.route import check
from pipia.route.facts import Facts, facts_from_answers, read_facts
from pipia.route.rules import load_rules, rules_path

FACTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "facts" / "contract-2026.yaml"
FAILURES = Path(__file__).resolve().parent / "fuzz-failures"


class Hang(Exception):
    """A mutant took longer than the time limit."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


# -- mutations ---------------------------------------------------------------------------------------------------
def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not out:
            break
        i = rng.randrange(len(out))
        choice = rng.random()
        if choice < 0.4:
            out[i] = rng.randrange(256)
        elif choice < 0.7:
            del out[i]
        else:
            out.insert(i, rng.choice(b":-[]{}&*!|>'\"#\n \t0123456789\x00\xff"))
    return bytes(out)


def shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        action = rng.random()
        if action < 0.3:
            lines.insert(j, lines[i])
        elif action < 0.5:
            del lines[i]
        elif action < 0.7:
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = b"  " + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
    return b"\n".join(lines)


HOSTILE: list[Callable[[random.Random], bytes]] = [
    lambda rng: b"x: &a [" + b", ".join([b"lol"] * 9) + b"]\n" + b"".join(
        b"x%d: &a%d [" % (i, i) + b", ".join([b"*a" if i == 1 else b"*a%d" % (i - 1)] * 9) + b"]\n"
        for i in range(1, 9)),
    lambda rng: b"a: " + b"[" * rng.randint(50, 20_000) + b"]" * 10,
    lambda rng: b'{"a": ' + b"[" * rng.randint(50, 20_000) + b"]" * 10 + b"}",
    lambda rng: b"n: " + b"9" * rng.randint(20, 5_000) + b"\n",
    lambda rng: b"d: 9999-12-31\ne: 0001-01-01\nf: 2026-02-30\n",
    lambda rng: b"t: \"" + b"\\ud83d" * rng.randint(1, 5) + b"\"\n",
    lambda rng: b"k: " + b"x" * rng.randint(100_000, 400_000) + b"\n",
    lambda rng: b"- " * rng.randint(10, 5_000) + b"x\n",
]


def splice_hostile(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(HOSTILE)(rng))
    return b"\n".join(lines)


def recode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", "replace")
    kind = rng.choice(["bom", "gbk", "utf-16", "crlf", "nul"])
    if kind == "bom":
        return codecs.BOM_UTF8 + data
    if kind == "gbk":
        return text.encode("gbk", "replace")
    if kind == "utf-16":
        return text.encode("utf-16")
    if kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    i = rng.randrange(len(data) + 1)
    return data[:i] + b"\x00" + data[i:]


RANDOM_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [flip_bytes, shuffle_lines, splice_hostile, recode]

# Other spellings of the same value: (pattern of a plain value, ways a person might write it).
COUNT_LINE = re.compile(rb"^(\s*individuals_(?:non_)?sensitive:\s*)(\d+)\s*$", re.M)
BOOL_LINE = re.compile(rb"^(\s*(?:important_data|processor_is_ciio):\s*)(false|true)\s*$", re.M)


def respell_count(n: int, rng: random.Random) -> bytes:
    forms = [f"0{n}", f"{n:_}", f"0o{n:o}", f"0x{n:x}", f"0b{n:b}", f"{n}.0", f"{n}e0", f"+{n}", f'"{n}"',
             ":".join(str(x) for x in _base60(n)), f"{n / 1000:g}e3", f"{n}\n"]
    return rng.choice(forms).encode()


def _base60(n: int) -> list[int]:
    digits = []
    while True:
        n, d = divmod(n, 60)
        digits.append(d)
        if not n:
            return digits[::-1]


def respell_bool(word: bytes, rng: random.Random) -> bytes:
    yes = word == b"true"
    return rng.choice([b"yes", b"Yes", b"on", b"ON", b"y", b"'true'"] if yes else
                      [b"no", b"NO", b"off", b"Off", b"n", b"'false'", b"0"])


def respell(data: bytes, rng: random.Random) -> bytes:
    """The same sample with one count or yes/no written another way: the route must not change silently."""
    counts = list(COUNT_LINE.finditer(data))
    bools = list(BOOL_LINE.finditer(data))
    if counts and (not bools or rng.random() < 0.7):
        m = rng.choice(counts)
        new = m.group(1) + respell_count(int(m.group(2)), rng)
    else:
        m = rng.choice(bools)
        new = m.group(1) + respell_bool(m.group(2), rng)
    return data[: m.start()] + new + data[m.end():]


# -- what happens to a file ----------------------------------------------------------------------------------------
class Target:
    def __init__(self, name: str, data: bytes, run: Callable[[Path], str]) -> None:
        self.name, self.data, self.run = name, data, run


def run_answers(path: Path) -> str:
    """What `pipia validate/route/score/report` do with an answers file, short of rendering."""
    answers, raw = answers_mod.read(path)
    again_yaml, _ = answers_mod.parse(answers_mod.dumps(answers, "yaml"), "again.yaml")
    again_json, _ = answers_mod.parse(answers_mod.dumps(answers, "json"), "again.json")
    if again_yaml != answers:
        raise AssertionError("written back as YAML, the answers read back different")
    answers_mod.dumps(again_json, "json").encode("utf-8")
    bank = loader.load_bank(answers.bank.id, [path.parent], by_id=True).bank
    problems = answers_mod.check(answers, bank, raw, str(path))
    if any(p.level == "error" for p in problems):
        return "refused"
    facts = facts_from_answers(answers, bank, str(path))
    decision = check.decide(facts, check.milestones_from_answers(answers, bank, str(path)))
    if bank.scoring is not None:
        scoring.score(bank, answers)
    return _outcome(decision.route, facts)


def run_facts(path: Path) -> str:
    facts = read_facts(path)
    return _outcome(check.decide(facts).route, facts)


def _outcome(route: object, facts: Facts) -> str:
    # The counts and flags read, next to the route: a misread count that happens not to cross a threshold
    # is a silent change too.
    people = facts.individuals
    return f"{route} ({people.non_sensitive}/{people.sensitive}, ciio={facts.ciio}, important={facts.important_data})"


def run_bank(path: Path) -> str:
    problems = loader.lint([path])
    return "refused" if any(p.level == "error" for p in problems) else "ok"


def targets(work: Path) -> list[Target]:
    (work / "library").mkdir(exist_ok=True)
    for lib in (questionnaires_dir() / "library").iterdir():
        shutil.copy(lib, work / "library" / lib.name)
    found = [Target(p.name, p.read_bytes(), run_bank) for p in shipped_banks()]
    found += [Target(f"library/{p.name}", p.read_bytes(), run_bank_library) for p in
              sorted((questionnaires_dir() / "library").glob("*.yaml")) if p.name != "route-rules.yaml"]
    found.append(Target("route-rules.yaml", rules_path().read_bytes(), run_rules))
    sample = (samples_dir() / "crossborder-ecommerce.yaml").read_bytes()
    found.append(Target("sample.yaml", sample, run_answers))
    data = answers_mod.read(samples_dir() / "crossborder-ecommerce.yaml")[0]
    found.append(Target("sample.json", answers_mod.dumps(data, "json").encode(), run_answers))
    found.append(Target("facts.yaml", FACTS.read_bytes(), run_facts))
    return found


def run_rules(path: Path) -> str:
    rules = load_rules(path)
    return str(check.decide(read_facts(FACTS, rules), rules=rules).route)


def run_bank_library(path: Path) -> str:
    # A library is read when a bank names it: lint a shipped bank with the mutant in the library's place.
    original = questionnaires_dir() / "library" / path.name.removeprefix("mutant-")
    folder = path.parent / "lib-case"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(questionnaires_dir() / "library", folder / "library")
    shutil.copy(path, folder / "library" / original.name)
    bank = folder / "bank.yaml"
    shutil.copy(shipped_banks()[0], bank)
    return run_bank(bank)


# -- the run -------------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--timeout", type=int, default=10)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    signal.signal(signal.SIGALRM, _alarm)
    tally: Counter[str] = Counter()
    failures = 0
    slowest = (0.0, "")
    with tempfile.TemporaryDirectory(prefix="pipia-fuzz-") as tmp:
        work = Path(tmp)
        cases = targets(work)
        originals = {}
        for case in cases:
            path = work / f"original-{case.name.replace('/', '-')}"
            path.write_bytes(case.data)
            originals[case.name] = case.run(path) if case.run is not run_bank_library else "ok"
        sample_route = originals["sample.yaml"]
        print(f"originals: {originals}")
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < args.seconds:
            n += 1
            case = rng.choice(cases)
            semantic = case.name in ("sample.yaml", "facts.yaml") and rng.random() < 0.25
            if semantic and case.name == "facts.yaml":
                data = re.sub(rb"(non_sensitive|sensitive): (\d+)",
                              lambda m: m.group(1) + b": " + respell_count(int(m.group(2)), rng), case.data, count=1)
            elif semantic:
                data = respell(case.data, rng)
            else:
                data = rng.choice(RANDOM_MUTATIONS)(case.data, rng)
            suffix = ".json" if case.name.endswith(".json") else ".yaml"
            path = work / f"mutant-{Path(case.name).stem}{suffix}"
            if case.run is run_bank_library:
                path = work / f"mutant-{Path(case.name).name}"
            path.write_bytes(data)
            signal.alarm(args.timeout)
            t0 = time.perf_counter()
            try:
                outcome = case.run(path)
                signal.alarm(0)
                if semantic and outcome not in ("refused", originals[case.name]):
                    raise AssertionError(f"route changed silently: {originals[case.name]} -> {outcome}")
            except PipiaError:
                signal.alarm(0)
                outcome = "refused"
            except Exception as exc:  # the point of the run: anything else is a failure to report
                signal.alarm(0)
                failures += 1
                outcome = "FAILED"
                FAILURES.mkdir(exist_ok=True)
                stem = f"{seed}-{n}-{Path(case.name).name}"
                (FAILURES / stem).write_bytes(data)
                (FAILURES / f"{stem}.txt").write_text(
                    "hang\n" if isinstance(exc, Hang) else traceback.format_exc(), encoding="utf-8")
                print(f"FAILED {case.name} (mutant {n}): {type(exc).__name__}: {str(exc)[:200]}", file=sys.stderr)
            elapsed = time.perf_counter() - t0
            slowest = max(slowest, (elapsed, case.name))
            tally[f"{case.name} {'respelled' if semantic else 'mutated'} -> {outcome}"] += 1
    print(f"seed {seed}: {n} mutants in {args.seconds:.0f} s; original sample route: {sample_route}")
    for key, count in sorted(tally.items()):
        print(f"  {count:6d}  {key}")
    print(f"slowest mutant: {slowest[0]:.2f} s ({slowest[1]}); failures: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

