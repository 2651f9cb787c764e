"""The question-bank format: strict, frozen pydantic models, documented field by field.

A bank is parsed once at the boundary (see ``loader``) and then used as an immutable value by the
pathway, scoring, report and UI code. The JSON Schema exported from these models is what editors use.
"""

# Annotations are evaluated as the module runs (no ``from __future__ import annotations``): see ``pipia.model``.
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from pipia.bank import conditions
from pipia.bank.library import DestinationLibrary, SourceRegistry
from pipia.i18n import Lang, Localized, t
from pipia.model import Model

Id = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]
CoverageId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_.\-]*$")]
Citation = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9_.\-]*(:[^:\s]+)?$")]
OptionValue = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9_]*$")]
Risk = Annotated[float, Field(ge=0.0, le=1.0, strict=True)]
Weight = Annotated[float, Field(ge=0.0, le=100.0, strict=True)]

ImpactLevel = Literal["low", "medium", "high", "severe"]
LikelihoodLevel = Literal["low", "medium", "high", "very_high"]
Severity = Literal["low", "medium", "high"]
QuestionType = Literal["single_choice", "multiple_choice", "yes_no", "text", "long_text", "number", "date", "table"]
ColumnType = Literal["single_choice", "multiple_choice", "yes_no", "text", "long_text", "number", "date"]
RiskSource = Literal["network", "process", "people", "business"]

CHOICE_TYPES = frozenset({"single_choice", "multiple_choice", "yes_no"})

ConditionField = Annotated[
    conditions.Condition,
    PlainValidator(conditions.parse),
    WithJsonSchema({"x-pipia-condition": True}),  # swapped for a $ref by schema.bank_schema()
]


class Option(Model):
    """One choice of a choice question: the stored value, its label and, for scored questions, the risk, finding and
    action it carries.
    """

    value: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9_]*$")] = Field(
        description="Stable value stored in answers (for yes/no questions: 'yes' or 'no')."
    )
    label: Localized = Field(description="What the person answering reads.")
    risk: Risk = Field(default=0.0, description="How big a gap this answer reveals: 0 none, 1 the whole weight.")
    finding: Localized | None = Field(default=None, description="What the gap means, written for the report.")
    action: Localized | None = Field(default=None, description="The concrete recommended action that closes it.")
    severity: Severity | None = Field(
        default=None, description="Severity of the finding; when absent it follows the bank's risk thresholds."
    )
    blocking: bool = Field(
        default=False,
        strict=True,
        description="A problem that stops the transfer whatever the scores (e.g. no legal basis).",
    )
    blocking_if: ConditionField | None = Field(
        default=None,
        description="A problem that stops the transfer only when this holds, e.g. consent obtained by coercion "
        "blocks where consent is the legal basis. Any question of the bank may be read.",
    )
    remedy: Literal["fix", "mitigate"] = Field(
        default="fix",
        description="'fix': the processor can close the gap before the transfer (continues); 'mitigate': it can "
        "only reduce and monitor it, e.g. a destination's government-access law.",
    )
    exclusive: bool = Field(
        default=False,
        strict=True,
        description="In a multiple choice, this option cannot be chosen together with others ('none').",
    )


class _NumberBounds(Model):
    """Bounds of a number answer; shared by number questions and number columns of tables."""

    minimum: float | None = Field(default=None, description="Smallest allowed number (number type only).")
    maximum: float | None = Field(default=None, description="Largest allowed number (number type only).")
    integer: bool = Field(default=False, strict=True, description="Whole numbers only (number type only).")


class Column(_NumberBounds):
    """One column of a table question: id, heading, cell type and, for choice columns, the options."""

    id: Id = Field(description="Key of this column in each row of the answer.")
    label: Localized = Field(description="Column heading.")
    type: ColumnType = Field(description="Type of the cells.")
    required: bool = Field(default=True, strict=True, description="Whether every row must fill this cell.")
    help: Localized | None = Field(default=None, description="How to fill the column.")
    options: tuple[Option, ...] = Field(default=(), description="Choices for choice columns.")
    unit: Localized | None = Field(default=None, description="Unit shown next to a number, e.g. 人 / people.")


class Question(_NumberBounds):
    """One question of a bank: its type, text, scoring weight and dimension, legal sources (``cites``) and when it is
    shown.
    """

    id: Id = Field(description="Stable id, unique in the bank; answers are keyed by it.")
    type: QuestionType = Field(description="The kind of answer expected.")
    text: Localized = Field(description="The question.")
    help: Localized | None = Field(default=None, description="Guidance: what to look at, how to answer.")
    required: bool = Field(default=True, strict=True, description="An assessment is incomplete without it.")
    weight: Weight = Field(default=1.0, description="Relative importance in its dimension's score.")
    dimension: Id | None = Field(default=None, description="The scoring dimension it feeds (for scored questions).")
    cites: tuple[Citation, ...] = Field(
        default=(), description="Legal sources (at least one) as 'source' or 'source:article' ids from the registry."
    )
    covers: tuple[CoverageId, ...] = Field(
        default=(), description="Coverage items (focus items, report chapters) this question helps answer."
    )
    options: tuple[Option, ...] = Field(default=(), description="Choices (choice questions only).")
    columns: tuple[Column, ...] = Field(default=(), description="Columns (table questions only).")
    min_rows: int = Field(default=0, ge=0, strict=True, description="Fewest rows a table answer may have.")
    unit: Localized | None = Field(default=None, description="Unit shown next to a number, e.g. 人 / people.")
    show_if: ConditionField | None = Field(
        default=None, description="Show the question only when this holds; it may read earlier questions only."
    )

    @model_validator(mode="before")
    @classmethod
    def _default_yes_no(cls, data: Any) -> Any:
        # A yes/no question without options means plain 是/否 with no risk either way.
        if isinstance(data, dict) and data.get("type") == "yes_no" and not data.get("options"):
            data = dict(data)
            data["options"] = [
                {"value": "yes", "label": {"zh": t("zh", "yes"), "en": t("en", "yes")}},
                {"value": "no", "label": {"zh": t("zh", "no"), "en": t("en", "no")}},
            ]
        return data

    @cached_property
    def options_by_value(self) -> dict[str, Option]:
        """Each option by its stored value (the first, should two share one): scoring reads it for every
        answer of every recipient at every save."""
        return {o.value: o for o in reversed(self.options)}

    def option(self, value: str) -> Option | None:
        """The option whose stored value is ``value``, or None if the question has none (or ``value`` is
        not text, as a damaged answers file may hold)."""
        return self.options_by_value.get(value) if isinstance(value, str) else None

    @property
    def scored(self) -> bool:
        """Whether the question feeds a score: it has a dimension and at least one option with risk > 0."""
        return self.dimension is not None and any(o.risk > 0 for o in self.options)

    @property
    def max_risk(self) -> float:
        """The highest risk (0-1) any of its options carries; 0.0 without options."""
        return max((o.risk for o in self.options), default=0.0)


class Section(Model):
    """A section of the questionnaire: a heading and its questions, answered once or once per item of a repeat group."""

    id: Id = Field(description="Stable id of the section.")
    title: Localized = Field(description="Section heading.")
    intro: Localized | None = Field(default=None, description="What this section is about and why it is asked.")
    repeat: Id | None = Field(
        default=None, description="Repeat group id: the section is answered once per item (e.g. per recipient)."
    )
    destination_from: Id | None = Field(
        default=None, description="A country/region question whose answer selects the destination profile shown here."
    )
    # Not min_length=1: pydantic would then also report "too short" whenever a question is invalid.
    questions: tuple[Question, ...] = Field(description="The questions, in the order asked (at least one).")


class RepeatGroup(Model):
    """A group of sections answered once per item, e.g. per overseas recipient; bounds the number of items."""

    id: Id = Field(description="Key of the list of instances in answers files.")
    label: Localized = Field(description="What one item is called, e.g. 境外接收方 / overseas recipient.")
    title_question: Id = Field(description="The question in the group whose answer names an item.")
    min_items: int = Field(default=1, ge=0, strict=True, description="Fewest items an assessment needs.")
    max_items: int = Field(default=50, ge=1, strict=True, description="Most items allowed.")


class CoverageItem(Model):
    """An item the bank must cover: an assessment focus item of the route's measures or an item of the CAC report
    template.
    """

    id: CoverageId = Field(description="Id questions use in 'covers'.")
    kind: Literal["focus", "report"] = Field(
        description="'focus': an assessment focus item of the route's measures; 'report': a report-template item."
    )
    label: Localized = Field(description="The item as the measures or template word it.")
    cites: tuple[Citation, ...] = Field(default=(), description="Where the item is laid down (at least one).")


class Dimension(Model):
    """A scoring dimension; its gaps raise the likelihood of one GB/T 39335 risk source."""

    id: Id = Field(description="Id questions use in 'dimension'.")
    label: Localized = Field(description="Name shown in results and the report.")
    description: Localized | None = Field(default=None, description="What a gap here means.")
    risk_source: RiskSource | None = Field(
        default=None,
        description="GB/T 39335 risk-source dimension whose likelihood its gaps raise: network (network "
        "environment and technical measures), process (processing flow), people (people and third parties), "
        "business (business features, scale and security posture).",
    )


class Thresholds3(Model):
    """Option risk (0-1) from which a finding is medium or high severity."""

    medium: float = Field(ge=0, le=1, description="Lower bound of 'medium'.")
    high: float = Field(ge=0, le=1, description="Lower bound of 'high'.")


class LikelihoodThresholds(Model):
    """Gap share (0-1) of a risk-source dimension from which likelihood is medium, high or very high (GB/T 39335)."""

    medium: float = Field(ge=0, le=1, description="Gap share from which likelihood is at least 'medium'.")
    high: float = Field(ge=0, le=1, description="Gap share from which likelihood is at least 'high'.")
    very_high: float = Field(ge=0, le=1, description="Gap share from which likelihood is 'very_high'.")


class ScaleCue(Model):
    """A floor on likelihood from the number of individuals in a scenario, with the standard's reason."""

    at_least: int = Field(ge=1, strict=True, description="Individuals in the scenario from which the cue applies.")
    level: LikelihoodLevel = Field(description="Likelihood is at least this level.")
    reason: Localized = Field(description="Why, citing the standard.")


class ImpactParams(Model):
    """How a scenario's impact level is derived (GB/T 39335 D.1): categories of PI received, vulnerable groups, scale,
    de-identification.
    """

    categories_question: Id = Field(description="Per-scenario multiple choice naming the categories of PI received.")
    levels: dict[str, ImpactLevel] = Field(
        description="Base impact by category option value; the highest received category sets the base."
    )
    default_level: ImpactLevel = Field(default="low", description="Base impact when no listed category is received.")
    vulnerable: tuple[str, ...] = Field(
        default=(), description="Category values that mark vulnerable groups (e.g. minors): raise one level."
    )
    sensitive: tuple[str, ...] = Field(
        default=(), description="Category values that are sensitive PI, for the scale rule."
    )
    scale_question: Id = Field(description="Per-scenario number: individuals whose PI the scenario covers.")
    sensitive_scale_raise_at: int = Field(
        default=500_000,
        ge=1,
        strict=True,
        description="Sensitive PI of at least this many people raises impact one level (GB/T 39335 D.1: ≈50万).",
    )
    deidentified_question: Id | None = Field(
        default=None, description="Per-scenario question on de-identification before transfer."
    )
    deidentified_values: tuple[str, ...] = Field(
        default=(), description="Answers to it that lower impact one level (verified de-identification)."
    )


class ConclusionParams(Model):
    """The risk levels and finding severities from which the conclusion is “fix before transfer” or “do not proceed”."""

    do_not_proceed_from: ImpactLevel = Field(
        default="severe", description="Overall risk level from which the transfer should not proceed."
    )
    fixes_from_risk: ImpactLevel = Field(
        default="high", description="Overall risk level from which fixes are required before transfer."
    )
    fixes_from_finding: Severity = Field(
        default="medium", description="Finding severity from which fixes are required before transfer."
    )
    ongoing_if: ConditionField | None = Field(
        default=None,
        description="Holds when the transfers are already under way: the conclusion then speaks of continuing "
        "them (继续出境) rather than starting them.",
    )


class ConsistencyRule(Model):
    """A pair of answers that contradict each other; when ``when`` holds a finding is raised against ``question``."""

    id: Id = Field(description="Stable id of the rule.")
    question: Id = Field(description="The question the finding is shown against (the answer to correct first).")
    when: ConditionField = Field(
        description="The answers that contradict each other; the rule fires when this holds. A condition on a "
        "repeated question is checked once per item (e.g. per overseas recipient)."
    )
    finding: Localized = Field(description="What the contradiction means, written for the report.")
    action: Localized = Field(description="What to check and correct.")
    severity: Severity = Field(default="medium", description="Severity of the finding.")


class ConsistencyParams(Model):
    """The questions cross-checked for contradictory answers: screening counts against the data inventory, minors, and
    further rules.
    """

    non_sensitive_count: Id = Field(description="Screening number: individuals, non-sensitive PI.")
    sensitive_count: Id = Field(description="Screening number: individuals, sensitive PI.")
    inventory: Id = Field(description="The data-inventory table question.")
    inventory_sensitive_column: Id = Field(
        description="Its single-choice column naming the sensitive category; its values are those of the "
        "recipients' category question (scoring.impact.sensitive), so the two can be compared."
    )
    inventory_not_sensitive: OptionValue = Field(description="The value of that column for non-sensitive PI.")
    inventory_individuals_column: Id = Field(description="Its number column: individuals concerned.")
    inventory_recipients_column: Id | None = Field(
        default=None, description="Its text column naming the overseas recipients of each item."
    )
    minors_question: Id | None = Field(
        default=None, description="Yes/no question: does the data include minors' personal information?"
    )
    minors_category: str | None = Field(
        default=None, description="The sensitive-category value for minors under 14 (inventory and recipients)."
    )
    rules: tuple[ConsistencyRule, ...] = Field(
        default=(), description="Further pairs of answers that must not hold together, each its own entry."
    )


class RectificationParams(Model):
    """Where the bank records, per finding, whether it was fixed, by whom and with what evidence.

    The CAC template asks chapter 二 to state 发现的问题和整改情况; the report reads this table to say so.
    """

    table: Id = Field(description="The table question holding one row per finding.")
    finding_column: Id = Field(
        description="Its text column naming the finding by its slot, as `pipia score --json` gives it "
        "('fair_means', 'recipients[1].dest_government_access')."
    )
    status_column: Id = Field(description="Its single-choice column: the state of the fix.")
    done: tuple[str, ...] = Field(
        default=(), description="Status values that mean the fix is made (the report then asks for re-assessment)."
    )
    owner_column: Id | None = Field(default=None, description="Its text column: who is responsible.")
    due_column: Id | None = Field(default=None, description="Its date column: by when.")
    evidence_column: Id | None = Field(default=None, description="Its text column: the evidence of the fix.")


class ScoringParams(Model):
    """A bank's GB/T 39335 scoring parameters: scenarios, severity and likelihood thresholds, impact, conclusion and
    cross-checks.
    """

    scenario_group: Id = Field(description="Repeat group whose items are the transfer scenarios (recipients).")
    severity: Thresholds3 = Field(description="Option risk from which a finding is medium or high severity.")
    likelihood: LikelihoodThresholds = Field(
        description="Gap share of a risk-source dimension that sets its likelihood level."
    )
    scale_cues: tuple[ScaleCue, ...] = Field(default=(), description="Scale that sets a floor on likelihood.")
    impact: ImpactParams = Field(description="How the impact level of a scenario is derived.")
    conclusion: ConclusionParams = Field(
        default_factory=ConclusionParams, description="When the transfer may proceed, after fixes, or not."
    )
    consistency: ConsistencyParams | None = Field(
        default=None, description="Questions cross-checked for answers that contradict each other."
    )
    rectification: RectificationParams | None = Field(
        default=None, description="The table recording how each finding is being fixed (report chapter 二)."
    )


class Roles(Model):
    """The contract between a bank and the code: which question plays each part the code reads.

    The route check, the report and the app read answers only through these names, so a derived bank
    may rename a question as long as it says so here (``roles: {ciio: is_ciio}``); ``pipia lint`` checks
    that each entry names a question of the expected type (``roles.check``). An entry left out means the
    bank does not ask it: an optional fact takes its default, the report leaves the line empty, and the
    route check says which role it needs.
    """

    # Screening: the facts the route check reads (pathway.decide; Provisions Arts 3-8).
    ciio: Id | None = Field(default=None, description="Yes/no: the processor is a CIIO.")
    important_data: Id | None = Field(default=None, description="Yes/no: important data is transferred.")
    exemptions: Id | None = Field(
        default=None, description="Multiple choice of the exempt situations; its options are the route rules' "
        "exemption ids (contract_necessity, hr_management, ...) and the 'none of these' option."
    )
    exemptions_none: OptionValue | None = Field(default=None, description="The 'none of these' option of exemptions.")
    non_sensitive_count: Id | None = Field(
        default=None, description="Number: individuals (non-sensitive PI) counted since 1 January."
    )
    sensitive_count: Id | None = Field(default=None, description="Number: individuals (sensitive PI) counted.")
    overseas_processor: Id | None = Field(
        default=None, description="Yes/no, optional fact: the processor is abroad (PIPL Art. 3(2))."
    )
    greater_bay_area: Id | None = Field(
        default=None, description="Multiple choice, optional fact: options hong_kong, macao and 'none of these'."
    )
    greater_bay_area_none: OptionValue | None = Field(
        default=None, description="The 'none of these' option of greater_bay_area."
    )
    expected_non_sensitive: Id | None = Field(
        default=None, description="Number, optional fact: non-sensitive count expected by 31 December."
    )
    expected_sensitive: Id | None = Field(
        default=None, description="Number, optional fact: sensitive count expected by 31 December."
    )
    # Milestones: dates that turn time limits into deadlines (each optional).
    contract_effective_date: Id | None = Field(default=None, description="Date: the standard contract took effect.")
    contract_filing_date: Id | None = Field(default=None, description="Date: the standard contract was filed.")
    certificate_issue_date: Id | None = Field(default=None, description="Date: the certificate was issued.")
    security_assessment_pass_date: Id | None = Field(
        default=None, description="Date: the security assessment was passed."
    )
    security_assessment_status: Id | None = Field(
        default=None, description="Single choice: where the security assessment stands."
    )
    security_assessment_exempt: OptionValue | None = Field(
        default=None, description="Its option 'not required: exempt', which important data rules out."
    )
    # Report and app.
    processor_name: Id | None = Field(
        default=None, description="Text: the processor's name, for the cover when the assessment details give none."
    )
    approver: Id | None = Field(default=None, description="Text: who approves the report (the approval page).")
    inventory: Id | None = Field(default=None, description="Table: the data inventory, printed as the data map.")
    inventory_item: Id | None = Field(default=None, description="Its text column naming each item.")
    country: Id | None = Field(
        default=None, description="Single choice in a repeat group: the recipient's country or region."
    )
    country_other: OptionValue | None = Field(
        default=None, description="Its option for a country or region without a destination profile."
    )

    def route_questions(self) -> dict[str, str]:
        """The questions the route check reads, by role (``SCREENING_ROLES`` and ``MILESTONE_ROLES``)."""
        named = {role: getattr(self, role) for role in (*SCREENING_ROLES, *MILESTONE_ROLES)}
        return {role: qid for role, qid in named.items() if qid is not None}


SCREENING_ROLES = (
    "ciio", "important_data", "exemptions", "non_sensitive_count", "sensitive_count",
    "overseas_processor", "greater_bay_area", "expected_non_sensitive", "expected_sensitive",
)
"""Roles whose answers are the route's facts (``facts.facts_from_answers``)."""
MILESTONE_ROLES = (
    "contract_effective_date", "contract_filing_date", "certificate_issue_date", "security_assessment_pass_date",
)
"""Roles whose answers are milestones; each role is named as the ``facts.Milestones`` field it fills."""


class PatchAdd(Model):
    """An addition to an extended bank: a section, a question (into a section) or an option (into a question), placed
    after or before a sibling.
    """

    section: Section | None = Field(default=None, description="A section to add.")
    question: Question | None = Field(default=None, description="A question to add (give 'into').")
    option: Option | None = Field(default=None, description="An option to add (give 'into').")
    into: Id | None = Field(default=None, description="The section (for a question) or question (for an option).")
    after: str | None = Field(default=None, description="Id of the sibling to insert after (default: at the end).")
    before: str | None = Field(default=None, description="Id of the sibling to insert before.")


class Bank(Model):
    """A question bank as written in YAML: sections, repeat groups, coverage items, dimensions and scoring; may extend
    another bank.
    """

    id: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9\-]*$")] = Field(
        description="Stable bank id, recorded in every answers file."
    )
    version: Annotated[str, StringConstraints(strict=True, min_length=1)] = Field(
        description='Version as a quoted string ("1.10" stays 1.10), recorded in answers files.'
    )
    title: Localized = Field(description="Title of the assessment.")
    description: Localized | None = Field(default=None, description="What the bank is for and when to use it.")
    route: Literal["certification", "standard_contract", "security_assessment", "any"] = Field(
        default="any", description="The transfer mechanism whose focus items the bank is keyed to."
    )
    languages: tuple[Literal["zh", "en"], ...] = Field(default=("zh", "en"), description="Languages of all texts.")
    extends: str | None = Field(
        default=None, description="Id of a bank (or a path relative to this file) this bank builds on."
    )
    remove: tuple[str, ...] = Field(
        default=(),
        description="With extends: ids to drop — sections, questions, options ('question.value'), coverage "
        "items, dimensions or repeat groups.",
    )
    override: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="With extends: fields to replace, by id of a section, question, option ('question.value'), "
        "coverage item, dimension or repeat group.",
    )
    add: tuple[PatchAdd, ...] = Field(default=(), description="With extends: sections, questions, options to add.")
    sources: str = Field(default="library/sources.yaml", description="Path of the sources registry, from this file.")
    destinations: str | None = Field(default=None, description="Path of the destination profiles, from this file.")
    coverage: tuple[CoverageItem, ...] = Field(default=(), description="Items the questions must cover.")
    dimensions: tuple[Dimension, ...] = Field(default=(), description="Scoring dimensions.")
    repeat_groups: tuple[RepeatGroup, ...] = Field(default=(), description="Lists sections repeat over.")
    scoring: ScoringParams | None = Field(default=None, description="Parameters of the risk model.")
    roles: Roles = Field(
        default_factory=Roles,
        description="The questions the code reads, by the part they play (route facts, milestones, report). "
        "A bank that extends another inherits them; its own entries replace the base's one by one.",
    )
    sections: tuple[Section, ...] = Field(default=(), description="The sections, in the order asked.")

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question by id, in the order asked."""
        return {q.id: q for s in self.sections for q in s.questions}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        """Each question id -> the section holding it."""
        return {q.id: s for s in self.sections for q in s.questions}

    @cached_property
    def order(self) -> dict[str, int]:
        """Each question id -> its position (0-based) in the order asked."""
        return {qid: i for i, qid in enumerate(self.questions)}

    @cached_property
    def groups(self) -> dict[str, RepeatGroup]:
        """Each repeat group id -> the group."""
        return {g.id: g for g in self.repeat_groups}

    def group_of(self, question_id: str) -> str | None:
        """The repeat group ``question_id`` is asked in, or None for a question asked once. Raises KeyError for an
        unknown id.
        """
        return self.section_of[question_id].repeat

    def names(self, question_id: str, value: Any, lang: Lang) -> tuple[str, str]:
        """Question text and value label, as conditions describe themselves (conditions.Describer).

        For ``conditions.ROUTE`` the label is the route's code: the route's name lives in the route rules,
        above the bank (``route.rules.route_names`` gives a describer that names it).
        """
        if question_id == conditions.ROUTE:
            return "", str(value)
        question = self.questions[question_id]
        option = question.option(value) if isinstance(value, str) else None
        if option is None and isinstance(value, bool):
            option = question.option("yes" if value else "no")
        shown = option.label(lang) if option else str(value)
        return question.text(lang), shown

    def group_questions(self, group_id: str) -> list[Question]:
        """The questions of every section repeated for ``group_id``, in order."""
        return [q for s in self.sections if s.repeat == group_id for q in s.questions]


@dataclass(frozen=True)
class LoadedBank:
    """A resolved, validated bank together with the libraries it draws on."""

    bank: Bank
    sources: SourceRegistry
    destinations: DestinationLibrary | None
    path: Path
    files: tuple[Path, ...] = field(default=())  # the bank and every bank it extends, for messages

    @property
    def id(self) -> str:
        """The bank's id, as recorded in answers files."""
        return self.bank.id

    @property
    def version(self) -> str:
        """The bank's version string, as recorded in answers files."""
        return self.bank.version
