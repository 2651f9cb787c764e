"""The facts a route depends on, read from a facts file or from an answers file's screening questions.

A facts file has exactly these keys::

    as_of: 2026-03-01          # date the transfer is judged at
    ciio: false                # critical information infrastructure operator
    important_data: false      # data notified or published as important data is being transferred
    exemptions: []             # any of: contract_necessity, hr_management, emergency,
                               #   foreign_collected, no_personal_information, ftz_negative_list
    individuals:               # de-duplicated natural persons since 1 January of the as_of year
      non_sensitive: 250000
      sensitive: 0

Types are strict, so YAML 1.1 surprises cannot change a route: an unquoted ``yes`` in a count, a quoted
``"250000"`` or a negative count is an error with its line, not a silently converted value. Dates that
turn time limits into deadlines (``Milestones``) are optional and come from answers files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, ValidationError, model_validator

from .answers import Answers
from .bank import Bank, LoadedBank
from .errors import InputError, NotFoundError, Problem
from .loader import explain, validate_model
from .model import Model
from .reader import read_file
from .route_rules import ExemptionId, NoRuleSetError, RouteRules, load_rules
from .yamlio import EARLIEST, FACTS, LATEST, locate

# Screening question ids of the banks, by the facts field each one fills.
SCREENING = {
    "ciio": "processor_is_ciio",
    "important_data": "important_data",
    "exemptions": "exemptions",
    "non_sensitive": "individuals_non_sensitive",
    "sensitive": "individuals_sensitive",
}
MILESTONES = ("contract_effective_date", "certificate_issue_date", "security_assessment_pass_date")
M = TypeVar("M", bound=BaseModel)


def _not_yes_no_or_text(value: Any) -> Any:
    # Strict ints refuse these anyway; the message says why a YAML author got a boolean or a string.
    if isinstance(value, bool):
        raise ValueError(
            "expected a whole number of individuals, not yes/no (YAML reads unquoted yes/no/true/false as booleans)"
        )
    if isinstance(value, str):
        raise ValueError("expected a whole number of individuals, not text (write it without quotes)")
    return value


def _iso_date(value: Any) -> Any:
    # YAML gives dates as dates; JSON and quoted YAML give ISO text. A datetime stays refused.
    if isinstance(value, str) and len(value) == 10:
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    # A route runs years past its date: one outside these years is a typo, and would overflow.
    if type(value) is dt.date and not EARLIEST <= value <= LATEST:
        raise ValueError(f"{value} is outside the years {EARLIEST.year}–{LATEST.year} an assessment can be about")
    return value


Count = Annotated[int, BeforeValidator(_not_yes_no_or_text), Field(strict=True, ge=0)]
Day = Annotated[dt.date, BeforeValidator(_iso_date), Field(strict=True)]


class Individuals(Model):
    non_sensitive: Count = Field(description="People whose personal information (not sensitive) went abroad.")
    sensitive: Count = Field(description="People whose sensitive personal information went abroad.")


class Facts(Model):
    """What the route depends on. Counts are de-duplicated natural persons since 1 January of as_of's year."""

    as_of: Day = Field(description="Date the transfer is judged at.")
    ciio: StrictBool = Field(description="The processor is a critical information infrastructure operator.")
    important_data: StrictBool = Field(description="Data notified or published as important data is transferred.")
    exemptions: tuple[ExemptionId, ...] = Field(description="Exempt situations of Provisions Arts 3-6 that apply.")
    individuals: Individuals = Field(description="Cumulative counts since 1 January of the as_of year.")

    @model_validator(mode="after")
    def _no_repeats(self) -> Facts:
        if len(set(self.exemptions)) != len(self.exemptions):
            raise ValueError("an exemption is listed twice")
        return self


class Milestones(Model):
    """Dates that turn time limits into deadlines; each optional."""

    contract_effective_date: Day | None = Field(default=None, description="The standard contract took effect.")
    certificate_issue_date: Day | None = Field(default=None, description="The certificate was issued.")
    security_assessment_pass_date: Day | None = Field(default=None, description="The assessment was passed.")


def read_facts(path: Path, rules: RouteRules | None = None) -> Facts:
    """Read and check a facts file; InputError with every problem as ``file:line: path: message``."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such facts file")
    data, problems = read_file(path, FACTS)
    if data is None and not problems:
        problems.append(
            Problem(str(path), 1, "", "empty file (expected as_of, ciio, important_data, exemptions and individuals)")
        )
    facts = None if data is None or problems else validate_model(Facts, data, problems, str(path))
    if facts is not None:
        first = (rules or load_rules()).rule_sets[0]
        if facts.as_of < first.effective_from:  # checked here too, so the message can name the line
            problems.extend(NoRuleSetError(facts.as_of, first, locate(data, ["as_of"])).problems)
    if facts is None or problems:
        raise InputError(problems)
    return facts


def facts_from_answers(answers: Answers, bank: Bank | LoadedBank, file: str = "<answers>") -> Facts:
    """Facts from the screening answers; InputError naming every unanswered or invalid one."""
    questions = (bank.bank if isinstance(bank, LoadedBank) else bank).questions
    problems: list[Problem] = []
    got: dict[str, Any] = {}
    for field, qid in SCREENING.items():
        got[field] = _plain(answers.value(qid))
        if got[field] is None:
            asked = f" ({questions[qid].text.en})" if qid in questions else ""
            problems.append(Problem(file, None, f"answers.{qid}", f"not answered{asked}: the route check needs it"))
    if answers.meta.assessment_date is None:
        problems.append(
            Problem(
                file,
                None,
                "meta.assessment_date",
                "missing: the route is judged at the assessment date (expected YYYY-MM-DD)",
            )
        )
    chosen = got["exemptions"]
    if isinstance(chosen, list) and "none" in chosen:  # the bank's "none of these" option
        if len(chosen) > 1:
            problems.append(Problem(file, None, "answers.exemptions", "'none' cannot be chosen with an exemption"))
        got["exemptions"] = [c for c in chosen if c != "none"]
    if problems:
        raise InputError(problems)
    data = {
        "as_of": answers.meta.assessment_date,
        "ciio": got["ciio"],
        "important_data": got["important_data"],
        "exemptions": got["exemptions"],
        "individuals": {"non_sensitive": got["non_sensitive"], "sensitive": got["sensitive"]},
    }
    return _validate(Facts, data, file, _screening_path)


def milestones_from_answers(answers: Answers, file: str = "<answers>") -> Milestones:
    """The optional dates among the answers (questions a bank may not have)."""
    data = {qid: answers.value(qid) for qid in MILESTONES if answers.value(qid) is not None}
    return _validate(Milestones, data, file, lambda loc: f"answers.{loc[0]}")


def _plain(value: Any) -> Any:
    # Answers files store yes/no as 'yes'/'no' or booleans, and numbers as int or float (250000.0).
    if value in ("yes", "no"):
        return value == "yes"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _screening_path(loc: Sequence[Any]) -> str:
    field = loc[-1] if loc[0] == "individuals" and len(loc) > 1 else loc[0]
    return "meta.assessment_date" if field == "as_of" else f"answers.{SCREENING.get(str(field), field)}"


def _validate(model: type[M], data: dict[str, Any], file: str, path: Callable[[Sequence[Any]], str]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            Problem(file, None, path(e["loc"]), explain(e)) for e in exc.errors(include_url=False)
        ) from None
