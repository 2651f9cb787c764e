"""The ``pipia`` command: parses arguments, calls the core, maps errors to exit codes. Nothing else.

Exit codes: 0 success (warnings may be printed), 1 the input has problems, 2 usage error or not found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import answers as answers_mod
from . import loader, progress
from .errors import InputError, NotFoundError, Problem
from .resources import shipped_banks
from .schema import bank_schema_text
from .skeleton import skeleton

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


def cmd_validate(args: argparse.Namespace) -> int:
    if not args.answers.is_file():
        raise NotFoundError(f"{args.answers}: no such file")
    answers, raw = answers_mod.read(args.answers)
    bank = loader.load_bank(args.bank or answers.bank.id, [args.answers.parent]).bank
    problems = answers_mod.check(answers, bank, raw, str(args.answers))
    _print_problems(problems)
    if any(p.severity == "error" for p in problems):
        return INVALID
    state = progress.evaluate(bank, answers)
    done, total = state.progress()
    if state.complete:
        print(f"{args.answers}: valid and complete ({done}/{total} required questions answered)")
    else:
        print(f"{args.answers}: valid; {total - done} of {total} required questions still unanswered:")
        for slot in state.missing:
            print(f"  {slot.key}: {slot.question.text.en}")
    return OK


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
