"""The ``pipia`` command: parses arguments, calls the core, maps errors to exit codes. Nothing else.

Exit codes: 0 success (warnings may be printed), 1 the input has problems, 2 usage error or not found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import answers as answers_mod
from . import loader, pathway, progress, scorecard, scoring
from .bank import Bank
from .errors import AnswersError, InputError, NotFoundError, Problem
from .resources import shipped_banks
from .schema import bank_schema_text
from .skeleton import skeleton
from .yamlio import read_yaml

OK, INVALID, USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except InputError as exc:
        _print_problems(exc.problems)
        return INVALID
    except NotFoundError as exc:
        print(f"pipia: {exc}", file=sys.stderr)
        return USAGE
    except BrokenPipeError:  # e.g. `pipia schema | head`
        return OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pipia", description="Personal information protection impact assessment for outbound transfers."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    lint = commands.add_parser("lint", help="validate question banks (default: the shipped ones)")
    lint.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    lint.set_defaults(handler=cmd_lint)

    schema = commands.add_parser("schema", help="print the JSON Schema of the bank format")
    schema.set_defaults(handler=cmd_schema)

    new = commands.add_parser("new", help="write an answers skeleton to fill in a text editor")
    new.add_argument("--bank", required=True, help="bank id or path")
    new.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    new.set_defaults(handler=cmd_new)

    validate = commands.add_parser("validate", help="check an answers file against its bank")
    validate.add_argument("answers", type=Path, metavar="ANSWERS")
    validate.add_argument("--bank", help="bank id or path (default: the one the answers name)")
    validate.set_defaults(handler=cmd_validate)

    route = commands.add_parser("route", help="which transfer mechanism applies (from a facts or answers file)")
    route.add_argument("file", type=Path, metavar="FILE", help="a facts file or an answers file")
    route.add_argument("--json", action="store_true", help="print one JSON object")
    route.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the text output")
    route.set_defaults(handler=cmd_route)

    score = commands.add_parser("score", help="score an answers file: dimensions, scenarios, findings")
    score.add_argument("answers", type=Path, metavar="ANSWERS")
    score.add_argument("--bank", help="bank id or path (default: the one the answers name)")
    score.add_argument("--json", action="store_true", help="print one JSON object")
    score.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the text output")
    score.set_defaults(handler=cmd_score)
    return parser


def cmd_lint(args: argparse.Namespace) -> int:
    paths = args.paths or shipped_banks()
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise NotFoundError(f"{missing[0]}: no such file")
    problems = loader.lint(paths)
    _print_problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{len(paths)} bank(s) checked: {errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return INVALID if errors else OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(bank_schema_text())
    return OK


def cmd_new(args: argparse.Namespace) -> int:
    bank = loader.load_bank(args.bank).bank
    text = skeleton(bank, dt.date.today())
    if args.output is None:
        sys.stdout.write(text)
    elif args.output.exists():
        print(f"pipia: {args.output} exists; not overwriting it", file=sys.stderr)
        return USAGE
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return OK


def _checked_answers(path: Path, bank_ref: str | None) -> tuple[answers_mod.Answers, Bank]:
    """Read an answers file and its bank; raise AnswersError when the answers do not fit the bank."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    answers, raw = answers_mod.read(path)
    bank = loader.load_bank(bank_ref or answers.bank.id, [path.parent]).bank
    problems = answers_mod.check(answers, bank, raw, str(path))
    if any(p.severity == "error" for p in problems):
        raise AnswersError(problems)
    _print_problems(problems)
    return answers, bank


def cmd_validate(args: argparse.Namespace) -> int:
    answers, bank = _checked_answers(args.answers, args.bank)
    state = progress.evaluate(bank, answers)
    done, total = state.progress()
    if state.complete:
        print(f"{args.answers}: valid and complete ({done}/{total} required questions answered)")
    else:
        print(f"{args.answers}: valid; {total - done} of {total} required questions still unanswered:")
        for slot in state.missing:
            print(f"  {slot.key}: {slot.question.text.en}")
    return OK


def cmd_route(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise NotFoundError(f"{args.file}: no such file")
    if _is_answers_file(args.file):
        answers, bank = _checked_answers(args.file, None)
        facts = pathway.facts_from_answers(answers, bank, str(args.file))
        decision = pathway.decide(facts, pathway.milestones_from_answers(answers, str(args.file)))
    else:
        decision = pathway.decide(pathway.read_facts(args.file))
    if args.json:
        print(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(pathway.format_decision(decision, args.lang))
    return OK


def _is_answers_file(path: Path) -> bool:
    # An answers file names its bank; a facts file has a fixed set of keys without 'bank'.
    # (JSON is YAML, so one reader tells both; anything unreadable goes to the facts reader to report.)
    data, _ = read_yaml(path)
    return isinstance(data, dict) and "bank" in data


def cmd_score(args: argparse.Namespace) -> int:
    answers, bank = _checked_answers(args.answers, args.bank)
    result = scoring.score(bank, answers)
    if args.json:
        print(json.dumps(scorecard.to_json(result), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(scorecard.format_table(result, args.lang))
    return OK


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
