"""The route rules as data: rule sets with effective dates, read from ``library/route-rules.yaml``.

Each rule set holds what one period's law says and ``pathway.decide`` needs: the thresholds ("or more" includes
the number, "less than" excludes it, so a threshold is the first count it covers), the exemptions and whom they
are for, and the texts of reasons, mechanisms, obligations, warnings and time limits, each with its
citations. A set applies from ``effective_from`` until the next set starts; a date before the first set
has no rules (``NoRuleSetError``), so an old transfer is never judged by later thresholds.

Texts may carry placeholders (``PLACEHOLDERS``), checked when the file is loaded, so filling them in
never fails at decision time.
"""

# Annotations are evaluated as the module runs (no ``from __future__ import annotations``): see ``pipia.model``.
import datetime as dt
import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, model_validator

from pipia.bank.conditions import ROUTE, Describer
from pipia.bank.format import Bank, Citation, Id
from pipia.bank.loader import load_library
from pipia.bank.roles import EXEMPTIONS, ExemptionId
from pipia.errors import FieldError, InputError, Problem
from pipia.files.resources import questionnaires_dir
from pipia.files.yamlio import Loc
from pipia.i18n import Lang, Localized, msg
from pipia.model import Model

Route = Literal["exempt", "contract_or_certification", "security_assessment"]
PLACEHOLDERS = frozenset(
    {
        "year",
        "non_sensitive",
        "sensitive",
        "ns_contract",
        "ns_assessment",
        "s_contract",
        "s_assessment",
        "expected_non_sensitive",
        "expected_sensitive",
        "expected_route",
        "date",
        "filed",
    }
)


def _known_placeholders(text: Localized) -> Localized:
    for lang_text in (text.zh, text.en):
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(lang_text) if name is not None}
        except ValueError:  # an unpaired brace: Python's own words for it are no use to a lawyer
            raise FieldError.of((), msg("rules_bad_braces")) from None
        if names - PLACEHOLDERS:
            raise FieldError.of((), msg("rules_unknown_placeholders", names=str(sorted(names - PLACEHOLDERS)),
                                        known=", ".join(sorted(PLACEHOLDERS))))
    return text


Text = Annotated[Localized, AfterValidator(_known_placeholders)]
Cites = Annotated[tuple[Citation, ...], Field(min_length=1)]
Threshold = Annotated[int, Field(strict=True, ge=1)]


# -- the rules file ------------------------------------------------------------------------------------
class Cited(Model):
    """A rule's text in zh/en with the legal sources it comes from."""

    text: Text = Field(description="What the rule says, zh/en; may use the placeholders listed in the file.")
    cites: Cites = Field(description="Where it is laid down, as 'source:article' ids.")


class Obligation(Cited):
    """A duty of the processor on a route, with its sources (e.g. PIPL Art. 39: separate consent)."""

    id: Id = Field(description="Stable id of the obligation.")


class Exemption(Cited):
    """A transfer the Provisions exempt from every mechanism (Art. 3-6), whom it is for and whether it needs personal
    information.
    """

    id: ExemptionId | Literal["small_volume"] = Field(description="A facts-file exemption, or Art. 5(4).")
    label: Text = Field(description="Short name of the transfers it covers, with its article, for the headline.")
    available_to_ciio: StrictBool = Field(description="Whether a CIIO may rely on it.")
    personal_information: StrictBool = Field(description="False when it covers only data without PI (Art. 3).")
    genuinely_necessary: StrictBool = Field(description="Holds only where the transfer is genuinely necessary.")


class Thresholds(Model):
    """The volume thresholds of the Provisions (Art. 7-8): individuals since 1 January from which the standard contract
    or certification, or the security assessment, applies.
    """

    non_sensitive_contract: Threshold = Field(description="Non-sensitive count from which SC/cert. applies.")
    non_sensitive_assessment: Threshold = Field(description="Non-sensitive count from which an assessment applies.")
    sensitive_contract: Threshold = Field(description="Sensitive count from which SC/certification applies.")
    sensitive_assessment: Threshold = Field(description="Sensitive count from which an assessment applies.")
    cites: Cites = Field(description="Where the thresholds and the counting rule are laid down.")

    @model_validator(mode="after")
    def _ordered(self) -> "Thresholds":
        if not (
            self.non_sensitive_contract < self.non_sensitive_assessment
            and self.sensitive_contract < self.sensitive_assessment
        ):
            raise FieldError.of((), msg("rules_thresholds_order"))
        return self


class Reasons(Model):
    """The sentences that explain each possible route decision, with their sources."""

    important_data: Cited
    exemption_excludes_important_data: Cited
    exemption_ciio: Cited
    ciio: Cited
    sensitive_assessment: Cited
    non_sensitive_assessment: Cited
    sensitive_contract: Cited
    non_sensitive_contract: Cited
    nothing_transferred: Cited
    nothing_counted: Cited = Field(description="Exemptions apply and no personal information is counted.")
    counted_beside_exempt: Cited = Field(description="Exemptions apply and counted personal information remains.")


class RegionalContract(Cited):
    """A regional standard contract (Greater Bay Area, Hong Kong or Macao) offered beside the national mechanisms."""

    id: Id = Field(description="Stable id of the mechanism.")
    region: Literal["hong_kong", "macao"] = Field(description="Where the recipient must be (facts: greater_bay_area).")
    since: dt.date = Field(strict=True, description="First day the arrangement is available.")


class Mechanisms(Model):
    """The mechanisms of the routes: standard contract, certification, CAC security assessment, regional contracts."""

    standard_contract: Cited
    certification: Cited
    security_assessment: Cited
    greater_bay_area: tuple[RegionalContract, ...] = Field(
        default=(), description="Regional standard contracts offered beside the national ones, by region."
    )


class Obligations(Model):
    """The processor's duties by case: always, for sensitive PI, per route, for a CIIO and for an overseas processor
    (PIPL Art. 3(2)).
    """

    general: tuple[Obligation, ...] = Field(description="Whatever the route, whenever PI goes abroad.")
    sensitive: tuple[Obligation, ...] = Field(description="When sensitive PI goes abroad.")
    contract_or_certification: tuple[Obligation, ...]
    security_assessment: tuple[Obligation, ...]
    ciio: tuple[Obligation, ...] = Field(default=(), description="A CIIO providing personal information.")
    overseas_processor: tuple[Obligation, ...] = Field(
        default=(), description="A processor outside China under PIPL Art. 3(2)."
    )
    overseas_processor_certification: tuple[Obligation, ...] = Field(
        default=(), description="The same processor on the contract or certification route."
    )


class Warnings(Model):
    """The warnings the route check may add (mixed counts, necessity, splitting, lapsed assessment or certificate,
    overdue filing), with their sources.
    """

    mixed_counts: Cited
    genuine_necessity: Cited
    exemption_scope: Cited
    exemption_needs_no_personal_information: Cited
    no_splitting: Cited
    important_data_notified: Cited
    statutory_duty: Cited | None = Field(default=None, description="NDSR Art. 35(6), from 2025-01-01.")
    expected_threshold: Cited = Field(description="The expected count by 31 December needs a stricter route.")
    lapsed_security_assessment: Cited = Field(description="The assessment result expired before as_of.")
    lapsed_certificate: Cited | None = Field(default=None, description="The certificate expired before as_of.")
    filing_overdue: Cited = Field(description="The filing deadline passed before as_of with no filing in time.")
    extension_conditions: Cited = Field(description="An extension only where no re-declaration trigger occurred.")


class Period(Model):
    """A deadline rule: an amount of working days, months or years counted after or before a date, with its label and
    sources.
    """

    amount: Threshold = Field(description="How many units.")
    unit: Literal["working_days", "months", "years"]
    direction: Literal["after", "before"] = Field(default="after", description="Counted forward or back.")
    label: Text
    note: Text | None = None
    cites: Cites


class Deadlines(Model):
    """The deadline rules: standard contract filing, the PIPIA's window, security assessment expiry and extension,
    certificate expiry and recertification.
    """

    standard_contract_filing: Period = Field(description="From the contract's effective date.")
    pipia_window: Period = Field(description="From the PIPIA (as_of): the latest filing it supports.")
    security_assessment_expiry: Period = Field(description="From the date the assessment was passed.")
    security_assessment_extension: Period = Field(
        description="Before expiry: the day the window for asking an extension opens (it closes at expiry)."
    )
    certificate_expiry: Period | None = Field(default=None, description="From the certificate's issue date.")
    recertification: Period | None = Field(
        default=None, description="Before expiry: the day the window for re-applying opens (it closes at expiry)."
    )


class RuleSet(Model):
    """The rules in force from ``effective_from``: thresholds, exemptions, reasons, mechanisms, obligations, warnings
    and deadlines (route-rules.yaml).
    """

    id: Annotated[str, Field(strict=True, pattern=r"^[a-z][a-z0-9\-]*$")]
    effective_from: dt.date = Field(strict=True, description="First day the set applies.")
    title: Localized = Field(description="The instruments in force in the period.")
    thresholds: Thresholds
    exemptions: tuple[Exemption, ...] = Field(description="Every exemption and whom it is for.")
    reasons: Reasons
    mechanisms: Mechanisms
    obligations: Obligations
    warnings: Warnings
    deadlines: Deadlines

    @model_validator(mode="after")
    def _every_exemption_once(self) -> "RuleSet":
        ids = sorted(e.id for e in self.exemptions)
        if ids != sorted((*EXEMPTIONS, "small_volume")):
            raise FieldError.of(("exemptions",), msg("rules_exemptions_once", known=", ".join(sorted(EXEMPTIONS)),
                                                     got=str(ids)))
        return self

    def exemption(self, exemption_id: str) -> Exemption:
        """The exemption with id ``exemption_id``; raises StopIteration for an unknown id (every id is checked present
        on load).
        """
        return next(e for e in self.exemptions if e.id == exemption_id)


class RouteLabels(Model):
    """The names of the three routes, zh/en: exempt, contract_or_certification, security_assessment."""

    exempt: Localized
    contract_or_certification: Localized
    security_assessment: Localized


class RouteRules(Model):
    """The route rules file: the route labels and the rule sets in order of the day they took effect."""

    routes: RouteLabels
    rule_sets: tuple[RuleSet, ...] = Field(description="At least one, in order of effective_from.")

    @model_validator(mode="after")
    def _in_order(self) -> "RouteRules":
        # Checked here rather than with min_length, which pydantic also reports when every set is invalid.
        if not self.rule_sets:
            raise FieldError.of(("rule_sets",), msg("rules_no_rule_set"))
        starts = [s.effective_from for s in self.rule_sets]
        if starts != sorted(set(starts)):
            raise FieldError.of(("rule_sets",), msg("rules_sets_order"))
        return self

    def for_date(self, day: dt.date) -> RuleSet:
        """The set in force on ``day``; NoRuleSetError before the first one."""
        if day < self.rule_sets[0].effective_from:
            raise NoRuleSetError(day, self.rule_sets[0])
        return [s for s in self.rule_sets if s.effective_from <= day][-1]


class NoRuleSetError(InputError):
    """``as_of`` lies before every rule set the tool knows: the transfer cannot be judged."""

    def __init__(self, day: dt.date, first: RuleSet, where: Loc | None = None) -> None:
        said = msg("facts_before_rules", day=day, start=first.effective_from, rules=first.title)
        super().__init__([Problem.of(where.file if where else "facts", where.line if where else None, "as_of", said)])


def rules_path() -> Path:
    """The shipped route rules file, questionnaires/library/route-rules.yaml."""
    return questionnaires_dir() / "library" / "route-rules.yaml"


def load_rules(path: Path | None = None) -> RouteRules:
    """The shipped rule sets (or those at ``path``); InputError with every problem in the file.

    Read once per version of the file (its modification time and size): every route check reads the rules,
    and reading and checking the file again each time took longer than the route check itself. The rules
    are frozen, so one copy is shared safely.
    """
    file = (path or rules_path()).resolve()
    try:
        seen = file.stat()
    except OSError:  # missing: reported by the reader, with the file's name
        return _read_rules(file, 0, 0)
    return _read_rules(file, seen.st_mtime_ns, seen.st_size)


@lru_cache(maxsize=8)
def _read_rules(file: Path, modified: int, size: int) -> RouteRules:
    problems: list[Problem] = []
    rules = load_library(RouteRules, file, problems)
    if rules is None or problems:
        raise InputError(problems)
    return rules


def route_names(bank: Bank) -> Describer:
    """``bank.names`` that also names the route a ``{route: ...}`` condition tests, as the rule sets word it
    (e.g. "Security assessment for outbound data transfer"); the describer ``Condition.describe`` takes."""

    def names(question_id: str, value: Any, lang: Lang) -> tuple[str, str]:
        if question_id == ROUTE:
            label = getattr(load_rules().routes, value, None) if isinstance(value, str) else None
            return "", label(lang) if label is not None else str(value)
        return bank.names(question_id, value, lang)

    return names
