"""The ``pipia`` command: parses arguments, calls the core, maps errors to exit codes. Nothing else.

Exit codes: 0 success (warnings may be printed), 1 the input has problems, 2 usage error or not found.

Each command imports what it uses when it runs: ``pipia route`` should start in the time of reading its
file, not in the time of loading the report renderer, the process pool and everything else.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import io
import json
import os
import re
import stat
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

# Loading pipia's modules and the libraries they use makes some hundred thousand objects (modules,
# classes, models' fields) that live as long as the process, and the cyclic collector walked them some
# seventy times while they loaded (15 M of the 1,061 M instructions of ``pipia route``). It is paused
# while they load; what they made is then set aside from its walks for good (``gc.freeze``): none of it
# would ever be garbage.
_COLLECTING = gc.isenabled()
gc.disable()
try:
    from pipia.answers import format as answers_mod
    from pipia.bank import loader
    from pipia.bank.format import Bank, LoadedBank
    from pipia.errors import AnswersError, InputError, NotFoundError, PipiaError, Problem
    from pipia.files.reader import NotARegularFile, read_file, read_regular
    from pipia.files.resources import samples_dir, shipped_banks
    from pipia.files.yamlio import ANSWERS, paused_gc
    from pipia.i18n import Lang, fmt_count, msg, t, tn
finally:
    gc.freeze()
    if _COLLECTING:
        gc.enable()

if TYPE_CHECKING:
    from pipia.route.check import RouteDecision

OK, INVALID, USAGE = 0, 1, 2
# What a terminal would act on rather than show: control characters, the carriage return (it rewrites
# the line) included. Printed as escapes, so text from a file never drives the terminal.
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pipia`` command line with ``argv`` (sys.argv when None); returns the exit status (0 ok, non-zero on
    invalid input or usage).
    """
    words = sys.argv[1:] if argv is None else list(argv)
    args = _parser(words[0] if words and words[0] in _COMMANDS else None).parse_args(words)
    handler: Callable[[argparse.Namespace], int] = args.handler
    short = handler in _SHORT
    if short:
        # pydantic looks for plugins among every installed distribution's entry points when it builds
        # its first validator: 20 M of pipia route's 1,038 M instructions, and more the more is
        # installed. pipia uses none; whoever wants theirs sets PYDANTIC_DISABLE_PLUGINS (empty: none off).
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    with _escaped_output(), paused_gc() if short else contextlib.nullcontext():
        status = _run(handler, args)
    if short and argv is None:  # the program itself, not a caller in Python
        _exit_now(status)
    return status


def _exit_now(status: int) -> NoReturn:
    """End the process with ``status`` once its output is flushed, without tearing the interpreter down.

    A short command has written all it writes and holds nothing that needs closing (a cache entry is
    renamed into place before it returns); taking apart every module, class and loaded bank object by
    object cost ``pipia route`` about 6 % of its run (65 M of 1,126 M instructions). A stream that can
    no longer be written (a closed pipe) loses nothing more by not being flushed.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _lang(args: argparse.Namespace) -> Lang:
    """The language of a command's messages: its ``--lang`` (every command has one; zh by default)."""
    lang: Lang = getattr(args, "lang", "en")
    return lang


def _said(exc: PipiaError, lang: Lang) -> str:
    """An error as the user reads it: its catalogue message in ``lang`` where it has one."""
    return exc.said(lang) if exc.said is not None else str(exc)


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    lang = _lang(args)
    try:
        return handler(args)
    except InputError as exc:
        _print_problems(exc.problems, lang)
        return INVALID
    except (NotFoundError, CannotWrite) as exc:
        print(f"pipia: {_said(exc, lang)}", file=sys.stderr)
        return USAGE
    except PipiaError as exc:  # every error of pipia's own is written for its reader: no traceback
        print(f"pipia: {_said(exc, lang)}", file=sys.stderr)
        return INVALID
    except BrokenPipeError:  # e.g. `pipia schema | head`
        return OK


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``command`` (a run's first word, when it names a command), only
    that command's parser is set up: a run reads no other, and setting up all nine cost ``pipia route``
    8 M instructions (argparse looks up its own translations and the terminal's width for each)."""
    parser = argparse.ArgumentParser(
        prog="pipia", description="Personal information protection impact assessment for outbound transfers."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for name, (what, arguments) in _COMMANDS.items():
        if command in (None, name):
            arguments(commands.add_parser(name, help=what))
    return parser


def _lint_arguments(lint: argparse.ArgumentParser) -> None:
    lint.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    _lang_option(lint, "language of the problems and the summary")
    lint.set_defaults(handler=cmd_lint)


def _schema_arguments(schema: argparse.ArgumentParser) -> None:
    _lang_option(schema, "language of messages (the schema itself is JSON, in English)")
    schema.set_defaults(handler=cmd_schema)


def _new_arguments(new: argparse.ArgumentParser) -> None:
    new.add_argument("--bank", required=True, help="bank id or path")
    new.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    _lang_option(new, "language of messages")
    new.set_defaults(handler=cmd_new)


def _validate_arguments(validate: argparse.ArgumentParser) -> None:
    validate.add_argument("answers", type=Path, metavar="ANSWERS")
    validate.add_argument("--bank", help="bank id or path (default: the one the answers name)")
    _lang_option(validate, "language of the problems and the progress")
    validate.set_defaults(handler=cmd_validate)


def _route_arguments(route: argparse.ArgumentParser) -> None:
    route.add_argument("file", type=Path, metavar="FILE", help="a facts file or an answers file")
    route.add_argument("--json", action="store_true", help="print one JSON object")
    _lang_option(route, "language of the text output")
    route.set_defaults(handler=cmd_route)


def _score_arguments(score: argparse.ArgumentParser) -> None:
    score.add_argument("answers", type=Path, metavar="ANSWERS")
    score.add_argument("--bank", help="bank id or path (default: the one the answers name)")
    score.add_argument("--json", action="store_true", help="print one JSON object")
    _lang_option(score, "language of the text output")
    score.set_defaults(handler=cmd_score)


def _report_arguments(rep: argparse.ArgumentParser) -> None:
    rep.add_argument("answers", nargs="+", type=Path, metavar="ANSWERS", help="answers files, or folders of them")
    rep.add_argument("-o", "--output", type=Path, required=True,
                     help="the .docx to write for one answers file; a folder for several")
    _lang_option(rep, "language of the report")
    rep.add_argument("--pdf", action="store_true", help="also write a PDF (needs LibreOffice)")
    rep.add_argument("--template", type=Path, metavar="FILE", help="your own .docx template")
    rep.set_defaults(handler=cmd_report)


def _template_arguments(template: argparse.ArgumentParser) -> None:
    actions = template.add_subparsers(required=True, metavar="ACTION")
    check = actions.add_parser("check", help="list what the template uses that reports lack; render the sample")
    check.add_argument("file", type=Path, metavar="FILE")
    _lang_option(check, "language of the findings and of the sample report")
    check.add_argument("-o", "--output", type=Path, help="keep the sample report rendered with it here")
    check.set_defaults(handler=cmd_template_check)


# Each command: its help in ``pipia --help``, and what sets up its arguments.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "lint": ("validate question banks (default: the shipped ones)", _lint_arguments),
    "schema": ("print the JSON Schema of the bank format", _schema_arguments),
    "new": ("write an answers skeleton to fill in a text editor", _new_arguments),
    "validate": ("check an answers file against its bank", _validate_arguments),
    "route": ("which transfer mechanism applies (from a facts or answers file)", _route_arguments),
    "score": ("score an answers file: dimensions, scenarios, findings", _score_arguments),
    "report": ("write the Word report of answers files (with --pdf, a PDF too)", _report_arguments),
    "template": ("check a Word template for reports", _template_arguments),
}


def _lang_option(command: argparse.ArgumentParser, what: str) -> None:
    # One default for every command: a consultant's Chinese terminal reads the same language throughout.
    command.add_argument("--lang", choices=["zh", "en"], default="zh", help=f"{what} (default: zh)")


def cmd_lint(args: argparse.Namespace) -> int:
    """``pipia lint``: check banks (the shipped ones when no path is given) and print their problems; returns INVALID
    when any is an error. Raises NotFoundError for a missing file.
    """
    paths = args.paths or shipped_banks()
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        raise NotFoundError(msg("cli_no_such_file", path=missing[0]))
    problems = loader.lint(paths, today=dt.date.today())
    lang = _lang(args)
    _print_problems(problems, lang)
    errors = sum(p.level == "error" for p in problems)
    print(t(lang, "cli_lint_summary", banks=tn(lang, "cli_banks", len(paths)), errors=tn(lang, "cli_errors", errors),
            warnings=tn(lang, "cli_warnings", len(problems) - errors)), file=sys.stderr)
    return INVALID if errors else OK


def cmd_schema(args: argparse.Namespace) -> int:
    """``pipia schema``: print the JSON Schema of a question bank."""
    from pipia.bank.schema import bank_schema_text  # noqa: PLC0415

    sys.stdout.write(bank_schema_text())
    return OK


def cmd_new(args: argparse.Namespace) -> int:
    """``pipia new``: write a blank answers file (YAML, or JSON for a .json output) for a bank; returns USAGE for
    another suffix. Never overwrites a file.
    """
    from pipia.answers.skeleton import skeleton, skeleton_json  # noqa: PLC0415

    suffix = args.output.suffix.lower() if args.output is not None else ".yaml"
    if suffix not in (".yaml", ".yml", ".json"):
        print(f"pipia: {t(_lang(args), 'cli_new_suffix', path=args.output)}", file=sys.stderr)
        return USAGE
    bank = loader.load_bank(args.bank).bank
    text = (skeleton_json if suffix == ".json" else skeleton)(bank, dt.date.today())
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_output(args.output, text.encode("utf-8"), overwrite=False)
        print(t(_lang(args), "cli_wrote", path=args.output), file=sys.stderr)
    return OK


def _checked_answers(path: Path, bank_ref: str | None, banks: dict[tuple[str, Path], LoadedBank] | None = None,
                     lang: Lang = "en", read: tuple[Any, list[Problem]] | None = None,
                     ) -> tuple[answers_mod.Answers, Bank]:
    """Read an answers file and its bank; raise AnswersError when the answers do not fit the bank, print its
    warnings in ``lang``.

    ``banks``: banks already loaded in this batch, by id and folder (filled as banks are loaded).
    """
    answers, loaded = _checked_loaded(path, bank_ref, banks, lang, read)
    return answers, loaded.bank


def _checked_loaded(path: Path, bank_ref: str | None, banks: dict[tuple[str, Path], LoadedBank] | None = None,
                    lang: Lang = "en", read: tuple[Any, list[Problem]] | None = None,
                    ) -> tuple[answers_mod.Answers, LoadedBank]:
    """``_checked_answers`` with the bank as loaded (its file, for messages located at it).

    ``read``: what the reader already returned for ``path`` (``read_file(path, ANSWERS)``), so that a
    command that had to look into the file first does not read and parse it a second time.
    """
    if not os.path.isfile(path):
        raise NotFoundError(msg("cli_no_such_file", path=path))
    answers, raw = answers_mod.read(path) if read is None else answers_mod.from_data(*read, str(path))
    if bank_ref is not None:  # named on the command line: a path or an id
        loaded = loader.load_bank(bank_ref, [path.parent])
    else:  # named in the file: an id, never a path
        loaded = _bank_by_id(answers.bank.id, path.parent, banks)
    problems = answers_mod.check(answers, loaded.bank, raw, str(path))
    if any(p.level == "error" for p in problems):
        raise AnswersError(problems)
    _print_problems(problems, lang)
    return answers, loaded


def _bank_by_id(bank_id: str, folder: Path, banks: dict[tuple[str, Path], LoadedBank] | None) -> LoadedBank:
    """The bank an answers file names by id (never a path), loaded once per batch when ``banks`` is given."""
    if banks is None:
        return loader.load_bank(bank_id, [folder], by_id=True)
    if (bank_id, folder) not in banks:
        banks[bank_id, folder] = loader.load_bank(bank_id, [folder], by_id=True)
    return banks[bank_id, folder]


def cmd_validate(args: argparse.Namespace) -> int:
    """``pipia validate``: check an answers file against its bank and print how many required questions are answered and
    which are missing.
    """
    from pipia.assessment import visibility  # noqa: PLC0415

    lang = _lang(args)
    answers, bank = _checked_answers(args.answers, args.bank, lang=lang)
    state = visibility.evaluate(bank, answers)
    done, total = state.progress()
    if state.complete:
        print(t(lang, "cli_valid_complete", path=args.answers, done=done, total=total))
    else:
        print(tn(lang, "cli_valid_incomplete", total - done, path=args.answers, total=total))
        for slot in state.missing:
            print(f"  {slot.key}: {slot.question.text(lang)}")
    return OK


def cmd_route(args: argparse.Namespace) -> int:
    """``pipia route``: print the route (exempt / contract_or_certification / security_assessment) for a facts file or
    an answers file, as text or JSON. Raises NotFoundError for a missing file.
    """
    from pipia.route import check  # noqa: PLC0415

    if not os.path.isfile(args.file):
        raise NotFoundError(msg("cli_no_such_file", path=args.file))
    # An answers file names its bank; a facts file has a fixed set of keys without 'bank'. (JSON is YAML,
    # so one reader tells both; anything unreadable goes to the facts reader to report.) What was read
    # here is what the answers are made of: the file is read and parsed once.
    read = read_file(args.file, ANSWERS)
    if isinstance(read[0], dict) and "bank" in read[0]:
        decision = _route_of_answers(args.file, args.lang, read)
    else:
        decision = check.decide(check.read_facts(args.file))
    if args.json:
        print(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(check.format_decision(decision, args.lang))
    return OK


def _route_of_answers(path: Path, lang: Lang, read: tuple[Any, list[Problem]]) -> RouteDecision:
    """The route an answers file's screening answers decide; InputError naming each answer still needed.

    ``read``: what ``read_file(path, ANSWERS)`` returned.
    """
    from pipia.assessment.evaluation import evaluate  # noqa: PLC0415
    from pipia.route.screening import ASSESSMENT_DATE  # noqa: PLC0415
    from pipia.route.words import reason_message  # noqa: PLC0415

    answers, bank = _checked_answers(path, None, lang=lang, read=read)
    evaluation = evaluate(bank, answers)
    if evaluation.route is None:
        raise InputError(
            Problem.of(str(path), None, r.question if r.question == ASSESSMENT_DATE else f"answers.{r.question}",
                       reason_message(r, bank))
            for r in evaluation.route_reasons)
    return evaluation.route


def cmd_score(args: argparse.Namespace) -> int:
    """``pipia score``: print the GB/T 39335 scores of an answers file (dimensions, scenarios, risk), as a table or
    JSON; INVALID when the bank has no scoring.
    """
    from pipia.assessment import scorecard, scoring  # noqa: PLC0415
    from pipia.assessment.evaluation import evaluate  # noqa: PLC0415

    answers, loaded = _checked_loaded(args.answers, args.bank, lang=args.lang)
    unscored = scoring.unscored(loaded)
    if unscored is not None:
        print(unscored.text(args.lang), file=sys.stderr)
        return INVALID
    result = evaluate(loaded.bank, answers).result
    assert result is not None  # a bank with scoring parameters is always scored
    if args.json:
        print(json.dumps(scorecard.to_json(result), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(scorecard.format_table(result, args.lang))
    return OK


def cmd_report(args: argparse.Namespace) -> int:
    """``pipia report``: write the Word report (and a PDF with --pdf) for one answers file or a batch of files and
    folders; returns INVALID when any of a batch failed.
    """
    from pipia import report  # noqa: PLC0415

    sources = _answers_files(args.answers)
    template = _read_template(args.template)
    batch = len(sources) > 1 or any(os.path.isdir(p) for p in args.answers)
    if not batch:
        found = _found(args.output)
        into = found is not None and stat.S_ISDIR(found.st_mode)
        target = args.output / f"{sources[0].stem}.docx" if into else args.output
        return _write_report(sources[0], target, args, template)
    made = make_folder(args.output)
    jobs = list(zip(sources, _batch_targets(args.output, sources), strict=True))
    failed: dict[Path, str] = {}
    written, no_pdf = 0, False
    _progress(0, len(sources), sources[0].name)
    for done, (index, outcome) in enumerate(_run_batch(jobs, args, template), start=1):
        if outcome.warnings:
            sys.stderr.write(outcome.warnings)
        if outcome.error is not None:
            failed[jobs[index][0]] = outcome.error
        else:
            written += 1
        no_pdf = no_pdf or outcome.no_pdf
        _progress(done, len(sources), jobs[index][0].name if done < len(sources) else "")
    lang = _lang(args)
    print(t(lang, "cli_batch_summary", files=tn(lang, "cli_answers_files", len(sources)),
            reports=tn(lang, "cli_reports", written), failed=len(sources) - written), file=sys.stderr)
    for source in dict.fromkeys(sources):  # in the order given, whichever finished first
        if source in failed:
            print(f"  {source}: {failed[source]}", file=sys.stderr)
    if not written:  # the folders made for the reports go again
        remove_empty(made)
    if no_pdf:
        print(f"pipia: {report.INSTALL_HINT}", file=sys.stderr)
    return INVALID if failed else OK


@dataclass(frozen=True)
class _Outcome:
    """What became of one file of a batch: the reason it failed (None when written), the warnings its
    answers gave, and whether the PDF was missing for want of LibreOffice."""

    error: str | None
    warnings: str = ""
    no_pdf: bool = False


# A batch of at least this many files is rendered in a pool of processes, one per core; a smaller one in
# this process (starting workers costs more than it saves).
POOL_FROM = 4
_banks: dict[tuple[str, Path], LoadedBank] = {}  # each process's banks, loaded once per batch


def _run_batch(jobs: list[tuple[Path, Path]], args: argparse.Namespace,
               template: bytes | None) -> Iterator[tuple[int, _Outcome]]:
    """Each job's index and outcome as it finishes; a file that fails (or a worker that dies) never stops
    the others. Jobs are told apart by index: the same answers file may be given twice.

    In a pool, the first file is reported in this process before the workers start, so that what every
    report needs and no answers change (the bank, the compiled template, the renderer's imports) is
    loaded once, here, and inherited by each forked worker instead of being loaded again in each."""
    import multiprocessing  # noqa: PLC0415
    from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: PLC0415

    _banks.clear()
    workers = min(len(jobs) - 1, os.cpu_count() or 1)
    if len(jobs) < POOL_FROM or workers < 2:
        for index, (source, target) in enumerate(jobs):
            yield index, _batch_one(source, target, args, template)
        return
    yield 0, _batch_one(*jobs[0], args, template)
    _freeze()
    methods = multiprocessing.get_all_start_methods()  # without fork (Windows), workers start afresh
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        futures = {pool.submit(_batch_one, source, target, args, template): index
                   for index, (source, target) in enumerate(jobs[1:], start=1)}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # a worker that died (memory, a signal): that file failed, not the batch
                outcome = _Outcome(t(args.lang, "cli_worker_died", error=f"{type(exc).__name__}: {str(exc)[:200]}"))
            yield futures[future], outcome


def _freeze() -> None:
    """Freeze what is loaded before forking: no garbage collection in a worker walks it again (a full
    collection took ~100 ms inside a render), and its memory pages stay shared with the workers rather
    than being copied when a collection touches them."""
    gc.collect()
    gc.freeze()


def _batch_one(source: Path, target: Path, args: argparse.Namespace, template: bytes | None) -> _Outcome:
    from pipia import report  # noqa: PLC0415

    lang = _lang(args)
    warnings = io.StringIO()
    try:
        with contextlib.redirect_stderr(warnings):
            _write_report(source, target, args, template, quiet=True, banks=_banks)
    except report.ConverterMissing as exc:
        return _Outcome(t(lang, "cli_pdf_not_written", error=_said(exc, lang)), warnings.getvalue(), no_pdf=True)
    except InputError as exc:
        return _Outcome("; ".join(p.text(lang) for p in exc.errors) or str(exc), warnings.getvalue())
    except PipiaError as exc:
        return _Outcome(_said(exc, lang), warnings.getvalue())
    except Exception as exc:  # one file's fault must not stop the reports of the others
        return _Outcome(t(lang, "cli_internal_error", error=f"{type(exc).__name__}: {str(exc)[:200]}"),
                        warnings.getvalue())
    return _Outcome(None, warnings.getvalue())


def _answers_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        try:
            if path.is_dir():
                found += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
            elif path.is_file():
                found.append(path)
            else:
                raise NotFoundError(msg("cli_no_such_file_or_folder", path=path))
        except OSError as exc:  # a folder on the way that may not be searched, a name too long
            raise NotFoundError(msg("cli_cannot_read", path=path, reason=exc.strerror or str(exc))) from None
    if not found:
        raise NotFoundError(msg("cli_no_answers_files", paths=", ".join(map(str, paths))))
    return found


def _batch_targets(folder: Path, sources: list[Path]) -> list[Path]:
    """One report name per answers file, none used twice: a batch never overwrites its own reports.

    ``a.docx`` for a file whose name no other shares; ``a-1.docx``, ``a-2.docx``... for files of the same
    name (in different folders, or the same file given twice), in the order given. Names are compared
    ignoring case, as Windows and macOS file systems do.
    """
    shared = Counter(s.stem.casefold() for s in sources)
    taken: set[str] = set()
    targets: list[Path] = []
    for source in sources:
        number = 0 if shared[source.stem.casefold()] == 1 else 1
        while (name := f"{source.stem}-{number}.docx" if number else f"{source.stem}.docx").casefold() in taken:
            number += 1
        taken.add(name.casefold())
        targets.append(folder / name)
    return targets


def _read_template(path: Path | None) -> bytes | None:
    from pipia import report  # noqa: PLC0415

    if path is None:
        return None
    try:  # one byte more than a template may have: a larger file is refused by its size, not read whole
        return read_regular(path, report.MAX_TEMPLATE_BYTES + 1)
    except FileNotFoundError:
        raise NotFoundError(msg("cli_no_such_template", path=path)) from None
    except OSError as exc:
        reason = exc.strerror or NotARegularFile.said
        raise NotFoundError(msg("cli_cannot_read", path=path, reason=reason)) from None


def _write_report(source: Path, target: Path, args: argparse.Namespace, template: bytes | None,
                  quiet: bool = False, banks: dict[tuple[str, Path], LoadedBank] | None = None) -> int:
    """Write one report; with --pdf and no LibreOffice the .docx is still written, then the error raised."""
    from pipia import report  # noqa: PLC0415
    from pipia.assessment.scoring import unscored  # noqa: PLC0415

    banks = {} if banks is None else banks
    lang = _lang(args)
    # Where the report goes is settled before a second is spent reading and rendering for it; its folder is
    # made once there is a report to put in it.
    if args.pdf and target.with_suffix(".pdf") == target:
        raise CannotWrite(msg("cli_pdf_same_name", path=target))
    check_folder(target.parent)
    for output in (target, target.with_suffix(".pdf")) if args.pdf else (target,):
        if _found(output.parent) is not None:
            check_output(output)
    answers, loaded = _checked_loaded(source, None, banks, lang)
    refused = unscored(loaded)
    if refused is not None:  # said before the renderer starts, at the bank, in the report's language
        if quiet:
            raise InputError([refused])
        print(refused.text(lang), file=sys.stderr)
        return INVALID
    try:
        docx = report.make_report(loaded, answers, args.lang, template, template_name=str(args.template))
    except report.TextTooLong as exc:
        raise report.TextTooLong(f"{source}: {exc}") from None
    made = make_folder(target.parent)
    try:
        write_output(target, docx)
    except CannotWrite:
        remove_empty(made)
        raise
    if not quiet:
        print(t(lang, "cli_wrote", path=target), file=sys.stderr)
    if args.pdf:
        pdf = target.with_suffix(".pdf")
        try:
            write_output(pdf, report.to_pdf(docx))
        except report.ConverterMissing:
            if quiet:
                raise
            print(f"pipia: {t(lang, 'cli_docx_written_anyway', hint=report.INSTALL_HINT)}", file=sys.stderr)
            return INVALID
        if not quiet:
            print(t(lang, "cli_wrote", path=pdf), file=sys.stderr)
    return OK


def _progress(done: int, total: int, name: str) -> None:
    width = 30
    filled = width * done // total
    bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name}"
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        stream = sys.stderr.stream if isinstance(sys.stderr, _Escaping) else sys.stderr
        print(f"\r\033[K{TERMINAL_CONTROL.sub('?', bar)}", end=end, file=stream, flush=True)
    else:  # a log, not a terminal: one line per step
        print(bar.rstrip(), file=sys.stderr)


def cmd_template_check(args: argparse.Namespace) -> int:
    """``pipia template check``: list the names a Word template uses that the report does not provide, then render the
    shipped sample with it. Raises NotFoundError when the sample is missing.
    """
    from pipia import report  # noqa: PLC0415

    if args.output is not None:  # said before the check and the sample's render, not after them
        check_output(args.output)
    template = _read_template(args.file)
    assert template is not None
    missing = report.check_template(template, str(args.file))
    lang = _lang(args)
    if missing:
        print(tn(lang, "cli_template_unknown_names", len(missing), path=args.file))
        for problem in missing:
            print(f"  {t(lang, 'cli_template_name_line', path=args.file, problem=problem.said())}")
    else:
        print(t(lang, "cli_template_names_ok", path=args.file))
    sample = samples_dir() / "crossborder-ecommerce.yaml"
    if not os.path.isfile(sample):
        raise NotFoundError(msg("cli_sample_missing", path=sample))
    answers, _ = answers_mod.read(sample)
    loaded = loader.load_bank(answers.bank.id, [sample.parent], by_id=True)
    try:
        docx = report.make_report(loaded, answers, args.lang, template, template_name=str(args.file))
    except report.TemplateError as exc:
        print(t(lang, "cli_sample_failed", path=args.file, error=_said(exc, lang)))
        return INVALID
    print(t(lang, "cli_sample_renders", path=args.file, size=fmt_count(len(docx), lang)))
    if args.output is not None:
        write_output(args.output, docx)
        print(t(lang, "cli_wrote", path=args.output), file=sys.stderr)
    return INVALID if missing else OK


# Commands that read a bank and a file or two, print, and exit: they run with the cyclic garbage collector
# paused. What they make stays alive until they print (banks, models, validators), so each automatic
# collection walked it all again for nothing: about 10 ms of ``pipia route``. The report commands keep it
# running, since a batch of renders makes garbage that is worth collecting.
_SHORT: frozenset[Callable[[argparse.Namespace], int]] = frozenset(
    {cmd_lint, cmd_schema, cmd_new, cmd_validate, cmd_route, cmd_score})


class CannotWrite(PipiaError):
    """An output file or folder cannot be written: said in one line, exit 2 (a usage error)."""


def make_folder(folder: Path) -> list[Path]:
    """Create ``folder`` and its parents if need be; returns the folders made, innermost first (for
    ``remove_empty`` when nothing is written into them after all). Raises CannotWrite instead of an OSError."""
    made, _ = _nearest(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise CannotWrite(msg("cli_not_a_folder", path=folder)) from None
    except OSError as exc:
        raise CannotWrite(msg("cli_cannot_create_folder", path=folder, reason=exc.strerror or exc)) from None
    return made


def remove_empty(folders: list[Path]) -> None:
    """Remove each of ``folders`` (innermost first) that is still empty: a command that failed leaves none of the
    folders it made behind."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def check_folder(folder: Path) -> None:
    """Refuse a folder that cannot be written into, before any work is spent on it: a file in the way of it or
    of a parent. It is made only once there is something to write (``make_folder``), so a command that fails
    leaves no folders behind. Raises CannotWrite."""
    _, (place, found) = _nearest(folder)
    if found is not None and not stat.S_ISDIR(found.st_mode):
        raise CannotWrite(msg("cli_not_a_folder", path=place))


def _nearest(folder: Path) -> tuple[list[Path], tuple[Path, os.stat_result | None]]:
    """The folders on the way to ``folder`` that do not exist (``folder`` first), and the nearest place that does,
    with what is there (None only when not even the root exists). CannotWrite as ``_found``."""
    missing: list[Path] = []
    for place in (folder, *folder.parents):
        found = _found(place)
        if found is not None:
            return missing, (place, found)
        missing.append(place)
    return missing, (folder, None)


def check_output(path: Path, *, overwrite: bool = True) -> None:
    """Refuse an output file that cannot be written, before any work is spent on it: a folder, a device or a
    pipe (written as a file is, by renaming a new file over it, it would be replaced), a file in a folder that
    does not exist, or (``overwrite=False``) a file, or a link, that exists. A link is checked, and written,
    as the file it names. Raises CannotWrite."""
    if overwrite:
        path = _written_at(path)
    found = _found(path)
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise CannotWrite(msg("cli_is_a_folder", path=path))
    if found is not None and not stat.S_ISREG(found.st_mode):
        raise CannotWrite(msg("cli_cannot_write", path=path, reason=msg("file_not_regular")))
    if not overwrite and (found is not None or _found(path, follow=False) is not None):
        raise CannotWrite(msg("cli_exists", path=path))
    parent = _found(path.parent)
    if parent is None or not stat.S_ISDIR(parent.st_mode):
        raise CannotWrite(msg("cli_cannot_write", path=path, reason=msg("cli_folder_missing")))


def _written_at(path: Path) -> Path:
    """Where writing ``path`` lands: through a link, the file it names, as a shell's ``>`` writes (a new file
    renamed over the link would replace the link itself). CannotWrite for a link that loops."""
    found = _found(path, follow=False)
    if found is None or not stat.S_ISLNK(found.st_mode):
        return path
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, in Python 3.11
        raise CannotWrite(msg("cli_cannot_write", path=path, reason=str(exc))) from None


def _found(path: Path, *, follow: bool = True) -> os.stat_result | None:
    """What is at ``path`` (its link itself with ``follow=False``), or None when nothing is; CannotWrite when
    that cannot be told (a folder on the way that may not be searched, a name too long for the system)."""
    try:
        return path.stat() if follow else path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise CannotWrite(msg("cli_cannot_write", path=path, reason=exc.strerror or str(exc))) from None


def write_output(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write one output file, every file the command writes goes through here. Raises CannotWrite.

    Written to a temporary file beside it and renamed into place, so a full disk or a killed command
    never leaves half a report where the last good one was. With ``overwrite=False`` an existing file
    is kept (``pipia new`` must not replace answers someone has filled in).
    """
    check_output(path, overwrite=overwrite)
    if overwrite:
        path = _written_at(path)
    temp: str | None = None
    try:
        if overwrite:
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temp, path)
        else:  # created exclusively: a file that appeared meanwhile is not replaced either
            with path.open("xb") as fh:
                temp = str(path)
                fh.write(data)
        temp = None
    except FileExistsError:
        raise CannotWrite(msg("cli_exists", path=path)) from None
    except OSError as exc:
        gone = isinstance(exc, FileNotFoundError)  # the folder went away after check_output
        where = msg("cli_folder_missing") if gone else exc.strerror or str(exc)
        raise CannotWrite(msg("cli_cannot_write", path=path, reason=where)) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


class _Escaping(io.TextIOBase):
    """A text stream that shows control characters as ``\\x1b``-style escapes instead of sending them.

    A file name, an answer or a message quoting one could otherwise move the cursor, retitle the
    window or clear the screen of whoever runs the command. Tab and line feed pass through.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(
            TERMINAL_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text))

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


@contextlib.contextmanager
def _escaped_output() -> Iterator[None]:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Escaping(out), _Escaping(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def _print_problems(problems: Sequence[Problem], lang: Lang) -> None:
    for problem in problems:
        print(problem.text(lang), file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
