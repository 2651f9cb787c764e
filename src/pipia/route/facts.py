"""The facts a route depends on, read from a facts file or from an answers file's screening questions.

A facts file has these keys (the last four optional)::

    as_of: 2026-03-01          # date the transfer is judged at
    ciio: false                # critical information infrastructure operator
    important_data: false      # data notified or published as important data is being transferred
    exemptions: []             # transfers covered by any of: contract_necessity, hr_management, emergency,
                               #   foreign_collected, no_personal_information, ftz_negative_list
    individuals:               # individuals whose personal information is provided abroad since 1 January
      non_sensitive: 250000    #   of the as_of year, each counted once, NOT counting transfers under a
      sensitive: 0             #   listed exemption (Provisions Arts 7-8 leave those to Arts 3-6)
    expected_by_year_end:      # the same counts expected by 31 December (each optional)
      non_sensitive: 400000
    overseas_processor: false  # a processor outside China under PIPL Art. 3(2)
    greater_bay_area: []       # hong_kong and/or macao: processor in the nine Mainland GBA cities and
                               #   recipients there
    milestones:                # dates that turn time limits into deadlines, each optional
      contract_effective_date: 2025-07-01
      contract_filing_date: 2025-07-10
      certificate_issue_date: 2026-01-20
      security_assessment_pass_date: 2023-09-01

An exemption covers its own transfers only: the counts are of everything else, and they decide the
mechanism for it. Types are strict, so YAML 1.1 surprises cannot change a route: an unquoted ``yes`` in a
count, a quoted ``"250000"`` or a negative count is an error with its line, not a silently converted value.
"""

# Annotations are evaluated as the module runs (no ``from __future__ import annotations``): see ``pipia.model``.
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, ValidationError, model_validator

from pipia.answers.format import Answers
from pipia.bank.format import MILESTONE_ROLES, Bank, LoadedBank, Roles
from pipia.bank.loader import explain, validate_model
from pipia.bank.roles import ExemptionId, GbaRegion
from pipia.errors import FieldError, InputError, NotFoundError, Problem, field_code, field_path, shown
from pipia.files.reader import read_file
from pipia.files.yamlio import ANSWERS, EARLIEST, FACTS, LATEST, locate
from pipia.i18n import msg
from pipia.model import Model
from pipia.route.rules import NoRuleSetError, RouteRules, load_rules

# The facts each screening role fills (``bank.Roles``): the question ids are the bank's, never the code's.
SCREENING = {
    "ciio": "ciio",
    "important_data": "important_data",
    "exemptions": "exemptions",
    "non_sensitive": "non_sensitive_count",
    "sensitive": "sensitive_count",
}
# Screening roles a bank may leave out; unanswered, the route check takes the facts' default.
OPTIONAL_SCREENING = {
    "overseas_processor": "overseas_processor",
    "greater_bay_area": "greater_bay_area",
    "expected_non_sensitive": "expected_non_sensitive",
    "expected_sensitive": "expected_sensitive",
}
MILESTONES = MILESTONE_ROLES  # each milestone role is named as the Milestones field it fills
M = TypeVar("M", bound=BaseModel)


def _not_yes_no_or_text(value: Any) -> Any:
    # Strict ints refuse these anyway; the message says why a YAML author got a boolean or a string.
    if isinstance(value, bool):
        raise FieldError.of((), msg("facts_count_not_yes_no"))
    if isinstance(value, str):
        raise FieldError.of((), msg("facts_count_not_text"))
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
        raise FieldError.of((), msg("facts_year_out_of_range", day=value, first=EARLIEST.year, last=LATEST.year))
    return value


Count = Annotated[int, BeforeValidator(_not_yes_no_or_text), Field(strict=True, ge=0)]
Day = Annotated[dt.date, BeforeValidator(_iso_date), Field(strict=True)]


class Individuals(Model):
    """Numbers of individuals whose personal information went abroad since 1 January, non-sensitive and sensitive
    counted apart (Provisions Art. 7-8).
    """

    non_sensitive: Count = Field(description="People whose personal information (not sensitive) went abroad.")
    sensitive: Count = Field(description="People whose sensitive personal information went abroad.")


class ExpectedIndividuals(Model):
    """The counts expected by 31 December of the as_of year; a count left out is taken as the count to date."""

    non_sensitive: Count | None = Field(default=None, description="Expected non-sensitive count by 31 December.")
    sensitive: Count | None = Field(default=None, description="Expected sensitive count by 31 December.")


class Milestones(Model):
    """Dates that turn time limits into deadlines; each optional."""

    contract_effective_date: Day | None = Field(default=None, description="The standard contract took effect.")
    contract_filing_date: Day | None = Field(default=None, description="The standard contract was filed.")
    certificate_issue_date: Day | None = Field(default=None, description="The certificate was issued.")
    security_assessment_pass_date: Day | None = Field(default=None, description="The assessment was passed.")

    @model_validator(mode="after")
    def _filed_after_effect(self) -> "Milestones":
        effective, filed = self.contract_effective_date, self.contract_filing_date
        if effective and filed and filed < effective:
            raise FieldError.of(("contract_filing_date",),
                                msg("facts_filed_before_effect", filed=filed, effective=effective),
                                "filed_before_effective",
                                (("filed", filed.isoformat()), ("effective", effective.isoformat())))
        return self

    def after(self, as_of: dt.date) -> list[tuple[str, dt.date]]:
        """The milestones dated after ``as_of``: a date that has not happened yet cannot start a time limit."""
        return [(name, day) for name in MILESTONES if (day := getattr(self, name)) is not None and day > as_of]


class Facts(Model):
    """What the route depends on.

    Counts are individuals whose personal information is provided abroad since 1 January of as_of's year,
    each counted once, not counting transfers under a listed exemption (those follow Provisions Arts 3-6).
    """

    as_of: Day = Field(description="Date the transfer is judged at.")
    ciio: StrictBool = Field(description="The processor is a critical information infrastructure operator.")
    important_data: StrictBool = Field(description="Data notified or published as important data is transferred.")
    exemptions: tuple[ExemptionId, ...] = Field(
        description="Exempt situations of Provisions Arts 3-6; each covers its own transfers only."
    )
    individuals: Individuals = Field(
        description="Cumulative counts since 1 January of the as_of year, outside the exemptions listed."
    )
    expected_by_year_end: ExpectedIndividuals | None = Field(
        default=None, description="The same counts expected by 31 December of the as_of year."
    )
    overseas_processor: StrictBool = Field(
        default=False, description="The processor is outside China and processes under PIPL Art. 3(2)."
    )
    greater_bay_area: tuple[GbaRegion, ...] = Field(
        default=(),
        description="The processor is in the nine Mainland cities of the Greater Bay Area and recipients are here.",
    )
    milestones: Milestones | None = Field(
        default=None, exclude=True, description="Known dates (facts files only; decisions report them apart)."
    )

    @model_validator(mode="after")
    def _no_repeats(self) -> "Facts":
        for name in ("exemptions", "greater_bay_area"):
            listed = getattr(self, name)
            for i, entry in enumerate(listed):
                if entry in listed[:i]:
                    raise FieldError.of((name, i), msg("facts_listed_twice", entry=entry), "listed_twice",
                                        (("value", str(entry)),))
        # An expected count below the count to date is a contradiction the route check reports as a
        # warning (decide: expected_below_to_date); it does not stop the route, which counts what happened.
        if self.milestones is not None:
            for name, day in self.milestones.after(self.as_of):
                raise FieldError.of(("milestones", name), msg("facts_milestone_after_as_of", day=day, as_of=self.as_of),
                                    "after_as_of", (("date", day.isoformat()), ("as_of", self.as_of.isoformat())))
        return self

    def below_to_date(self) -> list[tuple[str, int, int]]:
        """Expected counts lower than the counts to date: (name, expected, to date) for each."""
        e, now = self.expected_by_year_end, self.individuals
        if e is None:
            return []
        pairs = [(n, getattr(e, n), getattr(now, n)) for n in ("non_sensitive", "sensitive")]
        return [(n, by_end, to_date) for n, by_end, to_date in pairs if by_end is not None and by_end < to_date]

    def expected_counts(self) -> tuple[int, int]:
        """Non-sensitive and sensitive counts expected by 31 December; the counts to date where not given.

        Counts only grow during the year, so an expected count below the count to date is taken as the
        count to date (``below_to_date`` lists those, for the warning).
        """
        e, now = self.expected_by_year_end, self.individuals
        if e is None:
            return now.non_sensitive, now.sensitive
        return (
            max(now.non_sensitive, e.non_sensitive or 0),
            max(now.sensitive, e.sensitive or 0),
        )


def read_facts(path: Path, rules: RouteRules | None = None) -> Facts:
    """Read and check a facts file; InputError with every problem as ``file:line: path: message``."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such facts file")
    data, problems = read_file(path, FACTS)
    if data is None and not problems:
        problems.append(
            Problem.of(str(path), 1, "", msg("facts_empty_file"))
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
    """Facts from the answers to the bank's screening roles (``bank.roles``: ciio, exemptions, ...).

    Raises InputError naming every unanswered or invalid answer as ``answers.<question id>``, a role the
    bank does not fill as ``roles.<role>``, and a missing assessment date as ``meta.assessment_date``.
    """
    b = bank.bank if isinstance(bank, LoadedBank) else bank
    roles, questions = b.roles, b.questions
    problems: list[Problem] = []
    got: dict[str, Any] = {}
    for field, role in SCREENING.items():
        qid = getattr(roles, role)
        if qid is None:
            problems.append(Problem.of(file, None, f"roles.{role}", msg("reason_no_role", role=role),
                                       code="no_role", params=(("role", role),)))
            continue
        got[field] = _plain(answers.value(qid))
        if got[field] is None:
            said = (msg("facts_not_answered", question=questions[qid].text) if qid in questions
                    else msg("facts_not_answered_unknown"))
            problems.append(Problem.of(file, None, f"answers.{qid}", said, code="not_answered"))
    if answers.meta.assessment_date is None:
        problems.append(Problem.of(file, None, "meta.assessment_date", msg("facts_no_assessment_date"),
                                   code="not_answered"))
    chosen, none = got.get("exemptions"), roles.exemptions_none
    if isinstance(chosen, list) and none is not None and none in chosen:  # the bank's "none of these" option
        if len(chosen) > 1:
            question = questions.get(roles.exemptions or "")
            option = question.option(none) if question is not None else None
            label = option.label if option is not None else none
            problems.append(Problem.of(file, None, f"answers.{roles.exemptions}",
                                       msg("facts_none_with_exemption", value=repr(none), label=label),
                                       code="none_with_exemption"))
        got["exemptions"] = [c for c in chosen if c != none]
    if problems:
        raise InputError(problems)
    data: dict[str, Any] = {
        "as_of": answers.meta.assessment_date,
        "ciio": got["ciio"],
        "important_data": got["important_data"],
        "exemptions": got["exemptions"],
        "individuals": {"non_sensitive": got["non_sensitive"], "sensitive": got["sensitive"]},
    }
    optional = {field: _plain(_answer(answers, getattr(roles, role))) for field, role in OPTIONAL_SCREENING.items()}
    if optional["overseas_processor"] is not None:
        data["overseas_processor"] = optional["overseas_processor"]
    if isinstance(optional["greater_bay_area"], list):
        data["greater_bay_area"] = [r for r in optional["greater_bay_area"] if r != roles.greater_bay_area_none]
    expected = {k: optional[f"expected_{k}"] for k in ("non_sensitive", "sensitive")}
    if any(v is not None for v in expected.values()):
        data["expected_by_year_end"] = {k: v for k, v in expected.items() if v is not None}
    return _validate(Facts, data, file, lambda loc: _screening_path(loc, roles))


def milestones_from_answers(answers: Answers, bank: Bank | LoadedBank, file: str = "<answers>") -> Milestones:
    """The dates among the answers to the bank's milestone roles (each optional; a role left out is no date).

    Raises InputError naming ``answers.<question id>`` for a date that is invalid or after the assessment date.
    """
    roles = (bank.bank if isinstance(bank, LoadedBank) else bank).roles
    ids = {name: qid for name in MILESTONES if (qid := getattr(roles, name)) is not None}
    data = {name: value for name, qid in ids.items() if (value := answers.value(qid)) is not None}
    milestones = _validate(Milestones, data, file, lambda loc: f"answers.{ids.get(str(loc[0]), loc[0])}")
    as_of = answers.meta.assessment_date
    late = milestones.after(as_of) if as_of is not None else []
    if late:
        raise InputError(
            Problem.of(file, _line(file, ["answers", ids[name]]), f"answers.{ids[name]}",
                       msg("facts_milestone_after_assessment", day=day, as_of=as_of),
                       code="after_assessment_date", params=(("date", day.isoformat()), ("as_of", str(as_of))))
            for name, day in late
        )
    return milestones


def _answer(answers: Answers, qid: str | None) -> Any:
    return None if qid is None else answers.value(qid)


def _plain(value: Any) -> Any:
    # Answers files store yes/no as 'yes'/'no' or booleans, and numbers as int or float (250000.0).
    if value in ("yes", "no"):
        return value == "yes"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _screening_path(loc: Sequence[Any], roles: Roles) -> str:
    if not loc:  # a check across fields; its message names them
        return "answers"
    if loc[0] == "expected_by_year_end":
        field = f"expected_{loc[-1]}" if len(loc) > 1 else "expected_non_sensitive"
    else:
        field = loc[-1] if loc[0] == "individuals" and len(loc) > 1 else loc[0]
    if field == "as_of":
        return "meta.assessment_date"
    role = {**SCREENING, **OPTIONAL_SCREENING}.get(str(field))
    qid = getattr(roles, role) if role is not None else None
    return f"answers.{qid or field}"


def _validate(model: type[M], data: dict[str, Any], file: str, path: Callable[[Sequence[Any]], str]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for e in exc.errors(include_url=False):
            where = path((*e["loc"], *field_path(e)))
            # A check across fields names its own code; otherwise pydantic's error type says what is wrong.
            code, params = field_code(e)
            problems.append(Problem.of(file, _line(file, where.split(".")), where, explain(e),
                                       code=code or "invalid", params=params or (("value", shown(e.get("input"))),)))
        raise InputError(problems) from None


def _line(file: str, steps: Sequence[int | str]) -> int | None:
    """The line of ``steps`` in the answers file, read again only when a problem is reported (None if unknown)."""
    path = Path(file)
    if not path.is_file():
        return None
    data, _ = read_file(path, ANSWERS)
    loc = locate(data, list(steps))
    return loc.line or None if loc is not None else None
