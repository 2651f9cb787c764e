"""What the app works out from answers besides the questions themselves: progress, the store's summary
columns, an uploaded answers file checked before it is imported. Pure, so tested without Streamlit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pipia.answers import format as answers_mod
from pipia.answers.format import Answers, BankRef
from pipia.assessment import visibility
from pipia.assessment.evaluation import Evaluation, evaluate
from pipia.assessment.risk import RiskLevel
from pipia.bank.format import Bank, LoadedBank, Section
from pipia.errors import AnswersError, NotFoundError, PipiaError, Problem
from pipia.files.reader import read_bytes
from pipia.files.yamlio import ANSWERS
from pipia.i18n import Message, msg
from pipia.store import Completeness

# The reader's bound for an answers file, in the unit the upload box shows.
MAX_UPLOAD_MB = ANSWERS.max_bytes // (1024 * 1024)


def summary_of(evaluation: Evaluation) -> tuple[Completeness, RiskLevel | None]:
    """The store's summary columns of an evaluated assessment: (answered, required) and the overall risk of
    record (None until the assessment is complete)."""
    return evaluation.progress, evaluation.risk_of_record


def store_summary(bank: Bank, answers: Answers) -> tuple[Completeness, RiskLevel | None]:
    """``summary_of`` answers not evaluated yet (an import, a new assessment, a restored version)."""
    return summary_of(evaluate(bank, answers))


def new_answers(loaded: LoadedBank, *, organisation: str, title: str, assessor: str,
                assessment_date: dt.date | None, reviewer: str = "", approver: str = "") -> Answers:
    """A fresh assessment: the bank's reference, the details given, and the minimum of repeat items.

    The approver goes into the bank's ``roles.approver`` question when it has one (the report's approval page
    reads it); the reviewer into the assessment details.
    """
    answers = Answers.model_validate({
        "bank": {"id": loaded.bank.id, "version": loaded.bank.version},
        "meta": {"organisation": organisation.strip(), "title": title.strip(), "assessor": assessor.strip(),
                 "reviewer": reviewer.strip(), "assessment_date": assessment_date}})
    named = loaded.bank.roles.approver  # lint checks it is a text question outside repeat groups
    if approver.strip() and named is not None and named in loaded.bank.questions:
        answers = answers.with_value(named, approver.strip())
    for group in loaded.bank.repeat_groups:
        for _ in range(max(group.min_items, 1)):
            answers = answers.with_item(group.id)
    return answers


# Which banks fit a route the route check decided (``pathway`` route ids → ``Bank.route`` values).
FITTING_ROUTES: dict[str, frozenset[str]] = {
    "contract_or_certification": frozenset({"standard_contract", "certification", "any"}),
    "security_assessment": frozenset({"security_assessment", "any"}),
}


def fits(bank: Bank, route: str) -> bool:
    """Whether a bank is written for the route decided (an exempt transfer fits any bank)."""
    allowed = FITTING_ROUTES.get(route)
    return allowed is None or bank.route in allowed


def retarget(answers: Answers, loaded: LoadedBank) -> tuple[Answers, int]:
    """The answers moved to another bank (one built on the same questions): those the bank has are kept,
    with comments and evidence; returns them and how many answers were left behind."""
    bank = loaded.bank
    kept = {q: r for q, r in answers.answers.items() if q in bank.questions and bank.group_of(q) is None}
    repeats = {}
    dropped = len(answers.answers) - len(kept)
    for gid, items in answers.repeats.items():
        if gid not in bank.groups:
            dropped += sum(len(item) for item in items)
            continue
        members = {q.id for q in bank.group_questions(gid)}
        repeats[gid] = tuple({q: r for q, r in item.items() if q in members} for item in items)
        dropped += sum(len(item) - len(new) for item, new in zip(items, repeats[gid], strict=True))
    moved = answers.model_copy(update={"bank": BankRef(id=bank.id, version=bank.version), "answers": kept,
                                       "repeats": repeats})
    return moved, dropped


@dataclass(frozen=True)
class Upload:
    """An uploaded answers file after checking: answers to import, or the problems that stop it."""

    answers: Answers | None
    problems: tuple[Problem, ...]  # errors stop the import; warnings are shown next to it

    @property
    def ok(self) -> bool:
        """Whether the uploaded file could be read as answers."""
        return self.answers is not None


def check_upload(name: str, data: bytes, find_bank: Callable[[str], LoadedBank]) -> Upload:
    """Parse and check an uploaded answers file against its bank (``find_bank(id) -> LoadedBank``).

    Never raises for a bad file: every problem comes back, located as ``file:line: path: message``. The
    file is read by the same reader as on the command line (``reader.read_bytes``); ``find_bank`` must
    look the id up among installed banks only, never as a path.
    """
    if not name.lower().endswith((".yaml", ".yml", ".json")):
        return _refused(name, "", msg("upload_not_answers_file"))
    try:
        answers, raw = answers_mod.from_data(*read_bytes(data, name, ANSWERS), name)
    except AnswersError as exc:
        return Upload(None, exc.problems)
    try:
        loaded = find_bank(answers.bank.id)
    except NotFoundError:
        return _refused(name, "bank.id", msg("upload_bank_not_installed", bank=repr(answers.bank.id)))
    except PipiaError:  # its problems concern the bank's own files, not this upload: name it only
        return _refused(name, "bank.id", msg("upload_bank_broken", bank=repr(answers.bank.id)))
    problems = tuple(answers_mod.check(answers, loaded.bank, raw, name))
    if any(p.level == "error" for p in problems):
        return Upload(None, problems)
    return Upload(answers, problems)


def _refused(name: str, path: str, said: Message) -> Upload:
    return Upload(None, (Problem.of(name, None, path, said),))


def section_progress(state: visibility.State, section: Section, item: int | None = None) -> tuple[int, int]:
    """(answered, required) in one section; for a repeated section, in one item or (None) all items."""
    return state.progress(section.id, item)
