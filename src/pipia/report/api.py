"""The report's public calls, which ``pipia.report`` hands out: ``make_report``, ``build_report_context``,
``check_template``, ``check_lengths`` and ``shipped_template`` (see the package)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from pipia.answers.format import Answers, Response
from pipia.assessment.evaluation import Evaluation, evaluate
from pipia.bank.format import LoadedBank
from pipia.files.resources import templates_dir
from pipia.i18n import Lang
from pipia.report import sandbox
from pipia.report.context import build_context
from pipia.report.errors import ReportError, TextTooLong
from pipia.team.tracking import Tracking

if TYPE_CHECKING:  # Jinja loads only when a template is checked or rendered
    from pipia.report.names import UnknownName

# The most text one answer (value, comment and evidence together) may hold in a report. The XML parser
# under docxtpl (libxml2) silently cuts a text node at 10,000,000 bytes; an answer's text is written into
# one node, as UTF-8 (up to 4 bytes a character) with & < > escaped (up to 5), so 1,000,000 characters
# stay under that whatever they are, and are some 500 pages: more than any real answer.
MAX_ANSWER_CHARS = 1_000_000


def check_lengths(answers: Answers) -> None:
    """Raise TextTooLong naming the first answer (or detail) longer than ``MAX_ANSWER_CHARS``."""
    fields = {f"meta.{name}": getattr(answers.meta, name) for name in ("organisation", "assessor", "reviewer", "title")}
    for qid, response in answers.answers.items():
        fields[f"answers.{qid}"] = response
    for group, items in answers.repeats.items():
        for i, responses in enumerate(items):
            for qid, response in responses.items():
                fields[f"repeats.{group}[{i}].{qid}"] = response
    for where, value in fields.items():
        size = _chars([value.value, value.comment, value.evidence] if isinstance(value, Response) else value)
        if size > MAX_ANSWER_CHARS:
            raise TextTooLong(f"{where}: {size:,} characters of text; a report can hold at most "
                              f"{MAX_ANSWER_CHARS:,} in one answer (with its comment and evidence), and would "
                              f"otherwise cut it silently. Shorten it, or keep the full text in a separate "
                              f"document and name that document as evidence")


def _chars(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_chars(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_chars(v) for v in value)
    return 0


def build_report_context(loaded: LoadedBank, answers: Answers, lang: Lang = "zh",
                         tracking: Tracking | None = None, evaluation: Evaluation | None = None) -> dict[str, Any]:
    """The report context as plain JSON-ready data (``contextmodel.ReportContext`` dumped), what a template
    sees; raises ReportError (no scoring in the bank) or TextTooLong.

    ``tracking`` is what the app's store recorded (actions, review); without it (the CLI, an answers file)
    the actions' status comes from the bank's rectification answers, if it has them. ``evaluation`` is
    the answers' ``Evaluation`` when the caller holds it already (the app does); else it is worked out.
    """
    if loaded.bank.scoring is None:
        raise ReportError(f"bank {loaded.bank.id!r} has no scoring parameters, which the report needs")
    check_lengths(answers)
    if evaluation is None or evaluation.answers is not answers or evaluation.bank is not loaded.bank:
        evaluation = evaluate(loaded.bank, answers)
    return build_context(loaded, evaluation, lang, tracking).model_dump()


def make_report(loaded: LoadedBank, answers: Answers, lang: Lang = "zh", template: bytes | None = None,
                timeout: float = sandbox.RENDER_TIMEOUT, template_name: str = "the uploaded template",
                tracking: Tracking | None = None, evaluation: Evaluation | None = None) -> bytes:
    """The .docx; ``template_name`` is how errors name a user's template (its path, the upload's name);
    ``evaluation`` as in ``build_report_context``."""
    context = build_report_context(loaded, answers, lang, tracking, evaluation)
    if template is None:
        from pipia.report import render  # noqa: PLC0415 - docxtpl loads only when a report is made

        return render.render_docx(shipped_template(lang), context, f"report-{lang}.docx")
    return sandbox.render_isolated(template, context, template_name, timeout)


@cache
def shipped_template(lang: Lang) -> bytes:
    """The bytes of templates/report-{lang}.docx (read once; bytes are immutable, so safe to share)."""
    path = templates_dir() / f"report-{lang}.docx"
    if not path.is_file():
        raise ReportError(f"{path}: the shipped template is missing; run `python -m pipia.report.build_templates`")
    return path.read_bytes()


def check_template(template: bytes, name: str = "the uploaded template",
                   timeout: float = sandbox.RENDER_TIMEOUT) -> list[UnknownName]:
    """Every name the template reads that the report context does not provide, nested fields included
    (``cover.procesor``, ``r.nmae`` in a loop over ``chapter1.recipients``), in document order, each with
    its part and paragraph and the names valid there (see ``names``). Empty when all is well.

    The names come from the typed context (``contextmodel.ReportContext``). Compiled in a limited child
    process (see ``sandbox``); raises TemplateError naming ``name``, the part and the paragraph of a
    syntax error, RenderTimeout when it takes too long.
    """
    return sandbox.check_isolated(template, name, timeout)
