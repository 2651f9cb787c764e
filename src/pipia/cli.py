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
from . import loader, pathway, progress, report, scorecard, scoring
from .bank import Bank
from .errors import AnswersError, InputError, NotFoundError, PipiaError, Problem
from .reader import read_file
from .resources import samples_dir, shipped_banks
from .schema import bank_schema_text
from .skeleton import skeleton, skeleton_json
from .yamlio import ANSWERS

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
    except report.ReportError as exc:
        print(f"pipia: {exc}", file=sys.stderr)
        return INVALID
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

    rep = commands.add_parser("report", help="write the Word report of answers files (with --pdf, a PDF too)")
    rep.add_argument("answers", nargs="+", type=Path, metavar="ANSWERS", help="answers files, or folders of them")
    rep.add_argument("-o", "--output", type=Path, required=True,
                     help="the .docx to write for one answers file; a folder for several")
    rep.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the report")
    rep.add_argument("--pdf", action="store_true", help="also write a PDF (needs LibreOffice)")
    rep.add_argument("--template", type=Path, metavar="FILE", help="your own .docx template")
    rep.set_defaults(handler=cmd_report)

    template = commands.add_parser("template", help="check a Word template for reports")
    actions = template.add_subparsers(required=True, metavar="ACTION")
    check = actions.add_parser("check", help="list what the template uses that reports lack; render the sample")
    check.add_argument("file", type=Path, metavar="FILE")
    check.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the sample report")
    check.add_argument("-o", "--output", type=Path, help="keep the sample report rendered with it here")
    check.set_defaults(handler=cmd_template_check)
    return parser


def cmd_lint(args: argparse.Namespace) -> int:
    paths = args.paths or shipped_banks()
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise NotFoundError(f"{missing[0]}: no such file")
    problems = loader.lint(paths, today=dt.date.today())
    _print_problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    print(f"{len(paths)} bank(s) checked: {errors} error(s), {len(problems) - errors} warning(s)", file=sys.stderr)
    return INVALID if errors else OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(bank_schema_text())
    return OK


def cmd_new(args: argparse.Namespace) -> int:
    suffix = args.output.suffix.lower() if args.output is not None else ".yaml"
    if suffix not in (".yaml", ".yml", ".json"):
        print(f"pipia: {args.output}: expected a .yaml, .yml or .json file name (the suffix decides the format)",
              file=sys.stderr)
        return USAGE
    bank = loader.load_bank(args.bank).bank
    text = (skeleton_json if suffix == ".json" else skeleton)(bank, dt.date.today())
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
    if bank_ref is not None:  # named on the command line: a path or an id
        bank = loader.load_bank(bank_ref, [path.parent]).bank
    else:  # named in the file: an id, never a path
        bank = loader.load_bank(answers.bank.id, [path.parent], by_id=True).bank
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
    data, _ = read_file(path, ANSWERS)
    return isinstance(data, dict) and "bank" in data


def cmd_score(args: argparse.Namespace) -> int:
    answers, bank = _checked_answers(args.answers, args.bank)
    if bank.scoring is None:
        print(f"pipia: bank {bank.id!r} has no 'scoring:' section, so its answers cannot be scored "
              "(validate and route work without it)", file=sys.stderr)
        return INVALID
    result = scoring.score(bank, answers)
    if args.json:
        print(json.dumps(scorecard.to_json(result), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(scorecard.format_table(result, args.lang))
    return OK


def cmd_report(args: argparse.Namespace) -> int:
    sources = _answers_files(args.answers)
    template = _read_template(args.template)
    batch = len(sources) > 1 or any(p.is_dir() for p in args.answers)
    if not batch:
        target = args.output / f"{sources[0].stem}.docx" if args.output.is_dir() else args.output
        return _write_report(sources[0], target, args, template)
    args.output.mkdir(parents=True, exist_ok=True)
    failed: list[tuple[Path, str]] = []
    no_pdf = False
    for done, source in enumerate(sources):
        _progress(done, len(sources), source.name)
        try:
            _write_report(source, _batch_target(args.output, source, sources), args, template, quiet=True)
        except report.ConverterMissing as exc:
            no_pdf = True
            failed.append((source, f"PDF not written: {exc}"))
        except InputError as exc:
            failed.append((source, "; ".join(str(p) for p in exc.errors) or str(exc)))
        except PipiaError as exc:
            failed.append((source, str(exc)))
        except Exception as exc:  # one file's fault must not stop the reports of the others
            failed.append((source, f"internal error ({type(exc).__name__}: {str(exc)[:200]})"))
    _progress(len(sources), len(sources), "")
    print(f"{len(sources)} answers file(s): {len(sources) - len(failed)} report(s) written, "
          f"{len(failed)} failed", file=sys.stderr)
    for source, reason in failed:
        print(f"  {source}: {reason}", file=sys.stderr)
    if no_pdf:
        print(f"pipia: {report.INSTALL_HINT}", file=sys.stderr)
    return INVALID if failed else OK


def _answers_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise NotFoundError(f"{path}: no such file or folder")
    if not found:
        raise NotFoundError(f"no answers files (.yaml, .yml, .json) in {', '.join(map(str, paths))}")
    return found


def _batch_target(folder: Path, source: Path, sources: list[Path]) -> Path:
    # Two answers files of the same name in different folders must not overwrite each other's report.
    twins = [s for s in sources if s.stem == source.stem]
    suffix = f"-{twins.index(source) + 1}" if len(twins) > 1 else ""
    return folder / f"{source.stem}{suffix}.docx"


def _read_template(path: Path | None) -> bytes | None:
    if path is None:
        return None
    if not path.is_file():
        raise NotFoundError(f"{path}: no such template")
    return path.read_bytes()


def _write_report(source: Path, target: Path, args: argparse.Namespace, template: bytes | None,
                  quiet: bool = False) -> int:
    """Write one report; with --pdf and no LibreOffice the .docx is still written, then the error raised."""
    answers, _ = _checked_answers(source, None)
    loaded = loader.load_bank(answers.bank.id, [source.parent], by_id=True)
    try:
        docx = report.make_report(loaded, answers, args.lang, template, template_name=str(args.template))
    except report.TextTooLong as exc:
        raise report.TextTooLong(f"{source}: {exc}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(docx)
    if not quiet:
        print(f"wrote {target}", file=sys.stderr)
    if args.pdf:
        pdf = target.with_suffix(".pdf")
        try:
            pdf.write_bytes(report.to_pdf(docx))
        except report.ConverterMissing:
            if quiet:
                raise
            print(f"pipia: {report.INSTALL_HINT}; the .docx was written", file=sys.stderr)
            return INVALID
        if not quiet:
            print(f"wrote {pdf}", file=sys.stderr)
    return OK


def _progress(done: int, total: int, name: str) -> None:
    width = 30
    filled = width * done // total
    bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name}"
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r\033[K{bar}", end=end, file=sys.stderr, flush=True)
    else:  # a log, not a terminal: one line per step
        print(bar.rstrip(), file=sys.stderr)


def cmd_template_check(args: argparse.Namespace) -> int:
    template = _read_template(args.file)
    assert template is not None
    missing = report.check_template(template, str(args.file))
    if missing:
        print(f"{args.file}: uses {len(missing)} name(s) the report does not provide:")
        for name in missing:
            print(f"  {name}")
    else:
        print(f"{args.file}: every name it uses is provided by the report")
    sample = samples_dir() / "crossborder-ecommerce.yaml"
    if not sample.is_file():
        raise NotFoundError(f"{sample}: the sample assessment is missing, so the template cannot be tried")
    answers, _ = answers_mod.read(sample)
    loaded = loader.load_bank(answers.bank.id, [sample.parent], by_id=True)
    try:
        docx = report.make_report(loaded, answers, args.lang, template, template_name=str(args.file))
    except report.TemplateError as exc:
        print(f"{args.file}: rendering the sample assessment failed: {exc}")
        return INVALID
    print(f"{args.file}: renders the sample assessment ({len(docx):,} bytes)")
    if args.output is not None:
        args.output.write_bytes(docx)
        print(f"wrote {args.output}", file=sys.stderr)
    return INVALID if missing else OK


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
