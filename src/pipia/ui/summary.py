"""What the app works out from answers besides the questions themselves: progress, the store's summary
columns, an uploaded answers file checked before it is imported. Pure, so tested without Streamlit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .. import answers as answers_mod
from .. import progress, scoring
from ..answers import Answers
from ..bank import Bank, LoadedBank, Section
from ..conditions import is_answered
from ..errors import AnswersError, NotFoundError, PipiaError, Problem
from ..reader import read_bytes
from ..risk import RiskLevel
from ..store import Completeness
from ..yamlio import ANSWERS

# The reader's bound for an answers file, in the unit the upload box shows.
MAX_UPLOAD_MB = ANSWERS.max_bytes // (1024 * 1024)


def store_summary(bank: Bank, answers: Answers) -> tuple[Completeness, RiskLevel | None]:
    """(answered, required) and the overall risk of record (None until the assessment is complete)."""
    state = progress.evaluate(bank, answers)
    risk = scoring.score(bank, answers).overall_risk if bank.scoring is not None else None
    return state.progress(), risk


def new_answers(loaded: LoadedBank, *, organisation: str, title: str, assessor: str,
                assessment_date: dt.date | None) -> Answers:
    """A fresh assessment: the bank's reference, the details given, and the minimum of repeat items."""
    answers = Answers.model_validate({
        "bank": {"id": loaded.bank.id, "version": loaded.bank.version},
        "meta": {"organisation": organisation.strip(), "title": title.strip(), "assessor": assessor.strip(),
                 "assessment_date": assessment_date}})
    for group in loaded.bank.repeat_groups:
        for _ in range(max(group.min_items, 1)):
            answers = answers.with_item(group.id)
    return answers


@dataclass(frozen=True)
class Upload:
    """An uploaded answers file after checking: answers to import, or the problems that stop it."""

    answers: Answers | None
    problems: tuple[Problem, ...]  # errors stop the import; warnings are shown next to it

    @property
    def ok(self) -> bool:
        return self.answers is not None


def check_upload(name: str, data: bytes, find_bank: Callable[[str], LoadedBank]) -> Upload:
    """Parse and check an uploaded answers file against its bank (``find_bank(id) -> LoadedBank``).

    Never raises for a bad file: every problem comes back, located as ``file:line: path: message``. The
    file is read by the same reader as on the command line (``reader.read_bytes``); ``find_bank`` must
    look the id up among installed banks only, never as a path.
    """
    if not name.lower().endswith((".yaml", ".yml", ".json")):
        return _refused(name, "expected a .yaml, .yml or .json answers file", "",
                        "应为 .yaml、.yml 或 .json 格式的答案文件")
    try:
        answers, raw = answers_mod.from_data(*read_bytes(data, name, ANSWERS), name)
    except AnswersError as exc:
        return Upload(None, exc.problems)
    try:
        loaded = find_bank(answers.bank.id)
    except NotFoundError:
        return _refused(name, f"no question bank with id {answers.bank.id!r} is installed", "bank.id",
                        f"未安装 id 为 {answers.bank.id!r} 的题库")
    except PipiaError:  # its problems concern the bank's own files, not this upload: name it only
        return _refused(name, f"the question bank {answers.bank.id!r} has errors and cannot be used", "bank.id",
                        f"题库 {answers.bank.id!r} 有错误，暂时无法使用")
    problems = tuple(answers_mod.check(answers, loaded.bank, raw, name))
    if any(p.severity == "error" for p in problems):
        return Upload(None, problems)
    return Upload(answers, problems)


def _refused(name: str, message: str, path: str, zh: str) -> Upload:
    return Upload(None, (Problem(name, None, path, message, zh=zh),))


def section_progress(state: progress.State, section: Section, item: int | None = None) -> tuple[int, int]:
    """(answered, required) in one section; for a repeated section, in one item or (None) all items."""
    slots = [s for s in state.visible if s.section.id == section.id and s.question.required
             and (item is None or s.item == item)]
    return sum(1 for s in slots if is_answered(state.value(s))), len(slots)
