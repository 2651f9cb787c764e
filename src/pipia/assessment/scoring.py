"""From answers to explainable risk: a gap layer per dimension, and a GB/T 39335 layer per scenario.

1. Gaps. Each answered, visible, scored question adds weight × risk of the chosen option (the highest,
   for a multiple choice) to its dimension; a dimension's score is its share (0–100) of the maximum
   possible, the sum of those questions' weights. Risk is an absolute scale (1 = the whole weight is
   lost), so a question whose worst answer is a moderate gap never counts as a total failure.
   Findings come from the chosen options; a blocking finding decides the conclusion whatever the scores.
2. GB/T 39335. Per transfer scenario (each item of the scoring repeat group, i.e. each overseas
   recipient with the data it receives): impact from the categories of PI it receives, raised for
   sensitive PI at scale and for vulnerable groups, lowered for verified de-identification; likelihood
   per risk-source dimension from the gap share of the dimensions feeding it, floored by scale cues;
   risk from the standard's matrix. The overall level is the highest scenario's.

Every parameter comes from the bank's ``scoring`` block. Every number keeps the answers that moved it.
An incomplete assessment has no risk level, only a provisional one: never "low" by omission.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pipia.answers.format import Answers
from pipia.answers.names import item_name
from pipia.assessment import risk, visibility
from pipia.assessment.consistency import check_consistency, check_important_data_not_exempt, check_route_understated
from pipia.assessment.findings import Finding
from pipia.assessment.risk import Impact, Likelihood, RiskLevel, Treatment
from pipia.assessment.route_findings import route_findings
from pipia.bank.format import Bank, LoadedBank, Option, Question, RiskSource, ScoringParams, Section, Severity
from pipia.errors import Problem
from pipia.i18n import Lang, Localized, Message, fmt_count, join, msg, msg_n, t
from pipia.model import Kept
from pipia.route.screening import Screening, screen

Conclusion = Literal["proceed", "proceed_after_fixes", "do_not_proceed", "incomplete"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")
RISK_SOURCES: tuple[RiskSource, ...] = ("network", "process", "people", "business")
MAX_NAMED = 8  # findings named in the conclusion's reasons; the report's action plan lists them all


@dataclass(frozen=True)
class Contribution:
    """One answer's effect on a dimension: weight × risk points out of weight."""

    slot: str
    question: str
    item: int | None
    dimension: str
    answer: tuple[str, ...]
    weight: float
    risk: float
    points: float
    max_points: float


@dataclass(frozen=True)
class DimensionScore:
    """The score of one dimension: gap points against the most it could have lost, the GB/T 39335 risk source it feeds,
    and each answer's contribution.
    """

    id: str
    label: Localized
    risk_source: RiskSource | None
    points: float
    max_points: float
    contributions: tuple[Contribution, ...]

    @property
    def score(self) -> float | None:
        """Gap share 0–100 (0 = no gap found); None when nothing in it was answered."""
        return None if self.max_points == 0 else round(100 * self.points / self.max_points, 1)


@dataclass(frozen=True)
class Step:
    """One move of a level, with its reason: the base level, or an adjustment up or down."""

    level: str
    reason: Message | Localized  # the program's words, or a bank's own (a scale cue's reason)


@dataclass(frozen=True)
class SourceLikelihood:
    """The likelihood of one GB/T 39335 risk source (network, process, people, business) from the gap share (0-1, None
    when nothing was scored) of its dimensions.
    """

    source: RiskSource
    share: float | None
    level: Likelihood
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class Scenario:
    """One transfer scenario (an overseas recipient, item 0-based) rated under GB/T 39335: impact and likelihood with
    the steps that set them, the risk level and the treatment.
    """

    item: int
    recipient: Localized  # the item's display name (``names.item_name``)
    impact: Impact
    impact_steps: tuple[Step, ...]
    likelihood: Likelihood
    likelihood_steps: tuple[Step, ...]
    sources: tuple[SourceLikelihood, ...]
    risk: RiskLevel
    treatment: Treatment


@dataclass(frozen=True)
class Result:
    """The scoring of an assessment: dimension scores, scenarios, findings, the risk level (provisional until complete),
    the conclusion and its reasons.
    """

    complete: bool
    missing: tuple[str, ...]
    dimensions: tuple[DimensionScore, ...]
    scenarios: tuple[Scenario, ...]
    findings: tuple[Finding, ...]
    provisional_risk: RiskLevel | None
    conclusion: Conclusion
    reasons: tuple[Message, ...] = field(default=())
    ongoing: bool = False  # the transfers are already under way: the conclusion is about continuing them

    @property
    def overall_risk(self) -> RiskLevel | None:
        """The risk level of record: only for a complete assessment."""
        return self.provisional_risk if self.complete else None


def score(bank: Bank, answers: Answers, *, state: visibility.State | None = None,
          screening: Screening | None = None) -> Result:
    """Score ``answers`` under ``bank``'s ``scoring`` parameters (GB/T 39335 Table D.5 for the matrix).

    ``state`` and ``screening`` are the visibility and route check of these very answers when the caller
    has them already (``evaluation.evaluate`` does), so they are not worked out twice. Raises ValueError
    for a bank without ``scoring:``.
    """
    params = _params(bank)
    state = state if state is not None else visibility.evaluate(bank, answers)
    route = (screening if screening is not None else screen(bank, answers)).decision
    dimensions = _dimensions(bank, state)
    findings = [*_gap_findings(bank, state, params), *check_consistency(bank, state, params)]
    findings += [*check_important_data_not_exempt(bank, state), *route_findings(bank, route)]
    findings += check_route_understated(bank, state, params, route)
    # A recipient with an obstacle to its transfer is not "accepted" whatever its risk cell: its treatment
    # follows the blocking finding (the transfer cannot go on until the obstacle is removed).
    obstructed = {f.item for f in findings if f.blocking and f.item is not None}
    feeding = _Feeding(dimensions)
    scenarios = tuple(
        replace(s, treatment="treat_immediately") if s.item in obstructed else s
        for s in (
            _scenario(bank, params, state, feeding, item)
            for item in range(len(answers.items(params.scenario_group)))
        )
    )
    provisional = max((s.risk for s in scenarios), key=risk.RISKS.index, default=None)
    missing = tuple(s.key for s in state.missing) + tuple(state.short_groups)
    complete = not missing and bool(scenarios)
    ongoing = params.conclusion.ongoing_if is not None and params.conclusion.ongoing_if.evaluate(state.lookup(bank))
    conclusion, reasons = _conclude(params, complete, provisional, scenarios, findings, missing, ongoing)
    return Result(
        complete, missing, dimensions, scenarios, tuple(findings), provisional, conclusion, reasons, ongoing
    )


def provisional_risk(bank: Bank, answers: Answers, state: visibility.State) -> RiskLevel | None:
    """``score(...).provisional_risk`` alone: the highest GB/T 39335 risk level among the scenarios of
    ``answers`` (``state`` their visibility), None without scenarios; ValueError for a bank without ``scoring:``.

    Findings, the conclusion and the route do not move a scenario's level (a blocking finding changes its
    treatment only), so they are not worked out: the store's summary needs the level at every save.
    """
    params = _params(bank)
    count = len(answers.items(params.scenario_group))
    levels: dict[int, RiskLevel] = {}
    inputs: dict[int, tuple[object, ...]] = {}
    groups = [(answers.items(group), questions) for group, questions in _level_reads(bank).items()]
    for item in range(count):
        # What a scenario's level is worked out from: the bank, the answers asked once and the meta (its
        # shared contributions and values, the visibility), and, in each repeat group, the item's responses to
        # the questions a level reads (``_level_reads``): an edit of any other answer, a recipient's purpose
        # typed, works out no level again. Told first by the item's own objects, unchanged for every recipient
        # but the one edited; for that one, by the responses read.
        whole = (bank, answers.answers, answers.meta, *(items[item] if item < len(items) else None
                                                        for items, _ in groups))
        kept = _levels.get(item, whole)
        if kept is None:
            inputs[item] = (bank, answers.answers, answers.meta, *(
                items[item].get(qid) if item < len(items) else None for items, questions in groups
                for qid in questions))
            kept = _read_levels.get(item, inputs[item])
            if kept is not None:
                _levels.put(item, whole, kept)
        if kept is not None:
            levels[item] = kept
    if len(levels) < count:
        # Only the contributions the other scenarios read: those asked once and their items' own.
        wanted = sorted(set(range(count)) - set(levels))
        # The contributions asked once and the wanted items', in the order asked: the wanted items' slots
        # taken where the evaluation placed them rather than by looking at every recipient's slots.
        feeding = _Feeding(_grouped(bank, [
            c for section in bank.sections
            for c in (_once_contributions(bank, answers, state, section) if section.repeat is None else
                      _contributions(state, (s for item in wanted for s in state.placed(section.id, item))))]))
        for item in wanted:
            levels[item] = _read_levels.put(item, inputs[item], _scenario(bank, params, state, feeding, item).risk)
    return max(levels.values(), key=risk.RISKS.index, default=None)


# Each scenario's level with what it was worked out from (``provisional_risk``), by item: after one
# recipient's answer changes, the other recipients' objects are the same (``Answers.with_response``), so only
# the changed recipient's level is worked out again at the save, and only when an answer it reads changed.
# _levels: from the item's objects as a whole; _read_levels: from the responses the level reads.
_levels: Kept[int, RiskLevel] = Kept(4096)
_read_levels: Kept[int, RiskLevel] = Kept(4096)


def _level_reads(bank: Bank) -> dict[str, tuple[str, ...]]:
    """By repeat group, the questions of an item whose answers a scenario's level can read: the scored
    questions (their contributions), the impact's categories, scale and de-identification questions, and
    whatever the conditions showing those read in the item, and theirs in turn (what is hidden counts for
    nothing). Every other answer of an item, its free texts above all, cannot move its level."""
    kept = _reads.get(bank.id, (bank,))
    if kept is not None:
        return kept
    impact = _params(bank).impact
    wanted = {q.id for q in bank.questions.values() if q.scored and q.dimension is not None}
    wanted |= {qid for qid in (impact.categories_question, impact.scale_question, impact.deidentified_question) if qid}
    grown = wanted
    while grown:
        shown_if = (bank.questions[qid].show_if for qid in grown if qid in bank.questions)
        grown = {qid for condition in shown_if if condition is not None for qid in condition.questions()} - wanted
        wanted |= grown
    return _reads.put(bank.id, (bank,), {g.id: tuple(q.id for q in bank.group_questions(g.id) if q.id in wanted)
                                         for g in bank.repeat_groups})


_reads: Kept[str, dict[str, tuple[str, ...]]] = Kept(64)


def _once_contributions(bank: Bank, answers: Answers, state: visibility.State,
                        section: Section) -> tuple[Contribution, ...]:
    """The contributions of a section asked once: worked out once per version of the answers asked once and
    the meta (what its visible slots and their values follow), not again at each save of a recipient's edit."""
    sources = (bank, answers.answers, answers.meta)
    kept = _contributed.get(section.id, sources)
    if kept is None:
        kept = _contributed.put(section.id, sources, tuple(_contributions(state, state.placed(section.id))))
    return kept


def _contributions(state: visibility.State, slots: Iterable[visibility.Slot]) -> list[Contribution]:
    return [c for slot in slots if (c := _contribution(slot, state)) is not None]


_contributed: Kept[str, tuple[Contribution, ...]] = Kept(4096)


def _dimensions(bank: Bank, state: visibility.State) -> tuple[DimensionScore, ...]:
    """Each dimension's gap points from the visible answers, in the bank's order of dimensions."""
    return _grouped(bank, _contributions(state, state.visible))


def _grouped(bank: Bank, contributions: Iterable[Contribution]) -> tuple[DimensionScore, ...]:
    """Contributions (in the order asked) as each dimension's gap points, in the bank's order of dimensions."""
    by_dimension: dict[str, list[Contribution]] = {}
    for c in contributions:
        by_dimension.setdefault(c.dimension, []).append(c)
    return tuple(
        DimensionScore(
            d.id,
            d.label,
            d.risk_source,
            sum(c.points for c in by_dimension.get(d.id, ())),
            sum(c.max_points for c in by_dimension.get(d.id, ())),
            tuple(by_dimension.get(d.id, ())),
        )
        for d in bank.dimensions
    )


def unscored(loaded: LoadedBank) -> Problem | None:
    """Why the answers to ``loaded`` cannot be scored, nor reported, located at its file; None when they can.

    A bank without ``scoring:`` still checks answers and decides the route; scoring and the report (which
    states the scores) need the section. The message is the catalogue's, in both languages (``Problem.text(lang)``).
    """
    if loaded.bank.scoring is not None:
        return None
    return Problem.of(str(loaded.path), None, "scoring", msg("scoring_missing", bank=loaded.bank.id))


def _params(bank: Bank) -> ScoringParams:
    if bank.scoring is None:
        raise ValueError(f"bank {bank.id!r} has no scoring parameters")
    return bank.scoring


def chosen_options(question: Question, value: Any) -> list[Option]:
    """The options an answer picks (yes/no answers are booleans)."""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    values = value if isinstance(value, list) else [value]
    return [o for v in values if isinstance(v, str) and (o := question.option(v)) is not None]


def _contribution(slot: visibility.Slot, state: visibility.State) -> Contribution | None:
    question = slot.question
    value = state.value(slot)
    if not question.scored or value is None or question.dimension is None:
        return None
    options = chosen_options(question, value)
    if not options:
        return None
    worst = max(o.risk for o in options)
    return Contribution(
        slot.key,
        question.id,
        slot.item,
        question.dimension,
        tuple(o.value for o in options),
        question.weight,
        worst,
        question.weight * worst,
        question.weight,
    )


def severity_of(option: Option, params: ScoringParams) -> Severity:
    """A finding's severity for an option: its own, else 'high' when blocking or its risk (0-1) reaches the bank's high
    threshold, 'medium' from the medium one, else 'low'.
    """
    if option.severity is not None:
        return option.severity
    if option.blocking or option.risk >= params.severity.high:
        return "high"
    return "medium" if option.risk >= params.severity.medium else "low"


def _gap_findings(bank: Bank, state: visibility.State, params: ScoringParams) -> list[Finding]:
    found = []
    for slot in state.visible:
        value = state.value(slot)
        if value is None or slot.question.type not in ("single_choice", "multiple_choice", "yes_no"):
            continue
        for option in chosen_options(slot.question, value):
            if option.finding is None or option.action is None:
                continue
            condition = option.blocking_if
            blocking = option.blocking or (
                condition is not None and condition.evaluate(state.lookup(bank, slot.group, slot.item))
            )
            found.append(
                Finding(
                    slot.question.id,
                    slot.key,
                    slot.item,
                    _recipient(bank, state, params, slot.item),
                    slot.question.dimension,
                    "high" if blocking else severity_of(option, params),
                    blocking,
                    option.finding,
                    option.action,
                    "gap",
                    option.remedy,
                )
            )
    return found


def _recipient(bank: Bank, state: visibility.State, params: ScoringParams, item: int | None) -> Localized | None:
    if item is None:
        return None
    title = bank.groups[params.scenario_group].title_question
    return item_name(bank, params.scenario_group, item, state.values.get(f"{params.scenario_group}[{item}].{title}"))


def _scenario_value(params: ScoringParams, state: visibility.State, question_id: str, item: int) -> Any:
    """A scenario's own answer, or the assessment-wide one when the question is not repeated."""
    return state.values.get(f"{params.scenario_group}[{item}].{question_id}", state.values.get(question_id))


def _scenario(bank: Bank, params: ScoringParams, state: visibility.State, feeding: _Feeding, item: int) -> Scenario:
    impact, impact_steps = _impact(bank, params, state, item)
    sources = tuple(_source(params, feeding.of(source, item), source) for source in RISK_SOURCES)
    likelihood: Likelihood = max((s.level for s in sources), key=risk.LIKELIHOODS.index)
    steps = [Step(s.level, _source_reason(s)) for s in sources if s.share is not None]
    individuals = _scenario_value(params, state, params.impact.scale_question, item)
    for cue in sorted(params.scale_cues, key=lambda c: c.at_least):
        if isinstance(individuals, int | float) and individuals >= cue.at_least:
            raised = risk.at_least(likelihood, cue.level)
            if raised != likelihood:
                likelihood = raised
                steps.append(Step(raised, cue.reason))
    level = risk.risk_level(impact, likelihood)
    return Scenario(
        item,
        item_name(bank, params.scenario_group, item,
                  state.values.get(f"{params.scenario_group}[{item}].{bank.groups[params.scenario_group].title_question}")),
        impact,
        impact_steps,
        likelihood,
        tuple(steps),
        sources,
        level,
        risk.TREATMENT[level],
    )


def _impact(bank: Bank, params: ScoringParams, state: visibility.State, item: int) -> tuple[Impact, tuple[Step, ...]]:
    p = params.impact
    question = bank.questions[p.categories_question]
    received = _scenario_value(params, state, p.categories_question, item) or []
    labels = {o.value: o.label for o in question.options}
    levels = [(p.levels.get(c, p.default_level), c) for c in received if c in labels]
    if levels:
        level = max((lv for lv, _ in levels), key=risk.IMPACTS.index)
        top = [labels[c] for lv, c in levels if lv == level]
        steps = [Step(level, msg("scoring.impact_base", categories=_joined(top)))]
    else:
        level = p.default_level
        steps = [Step(level, msg("scoring.impact_default"))]
    individuals = _scenario_value(params, state, p.scale_question, item)
    sensitive = [c for c in received if c in p.sensitive]
    if sensitive and isinstance(individuals, int | float) and individuals >= p.sensitive_scale_raise_at:
        level = risk.shift(level, 1)
        steps.append(Step(level, msg("scoring.impact_sensitive_scale", people=_count(individuals),
                                     threshold=_count(p.sensitive_scale_raise_at))))
    vulnerable = [c for c in received if c in p.vulnerable]
    if vulnerable:
        level = risk.shift(level, 1)
        steps.append(Step(level, msg("scoring.impact_vulnerable", group=labels[vulnerable[0]])))
    if (
        p.deidentified_question
        and _scenario_value(params, state, p.deidentified_question, item) in p.deidentified_values
    ):
        level = risk.shift(level, -1)
        steps.append(Step(level, msg("scoring.impact_deidentified")))
    return level, tuple(steps)


_Placed = list[tuple[int, "Contribution"]]  # contributions with their place in their dimension


class _Feeding:
    """The contributions feeding each risk source for one scenario: the assessment-wide ones and the
    scenario's own, in the order of the dimensions and their contributions. Indexed once per score, so
    each scenario reads its own share instead of every scenario's (linear, not quadratic, in recipients)."""

    def __init__(self, dimensions: tuple[DimensionScore, ...]) -> None:
        self._dimensions: list[tuple[RiskSource | None, _Placed, dict[int, _Placed]]] = []
        for d in dimensions:
            shared: _Placed = []
            own: dict[int, _Placed] = {}
            for position, c in enumerate(d.contributions):
                (shared if c.item is None else own.setdefault(c.item, [])).append((position, c))
            self._dimensions.append((d.risk_source, shared, own))

    def of(self, source: RiskSource, item: int) -> list[Contribution]:
        return [c for risk_source, shared, own in self._dimensions if risk_source == source
                for _, c in heapq.merge(shared, own.get(item, []), key=lambda pair: pair[0])]


def _source(params: ScoringParams, feeding: list[Contribution], source: RiskSource) -> SourceLikelihood:
    total = sum(c.max_points for c in feeding)
    if total == 0:
        return SourceLikelihood(source, None, "low", ())
    share = sum(c.points for c in feeding) / total
    t = params.likelihood
    level: Likelihood = (
        "very_high" if share >= t.very_high else "high" if share >= t.high else "medium" if share >= t.medium else "low"
    )
    return SourceLikelihood(source, round(share, 3), level, tuple(feeding))


# The four GB/T 39335 risk sources, as the likelihood reasons and the report's annexes name them.
SOURCE_NAMES: dict[RiskSource, Message] = {
    "network": msg("scoring.source.network"),
    "process": msg("scoring.source.process"),
    "people": msg("scoring.source.people"),
    "business": msg("scoring.source.business"),
}


def _source_reason(s: SourceLikelihood) -> Message:
    return msg("scoring.source_reason", source=SOURCE_NAMES[s.source], share=f"{100 * (s.share or 0):.0f}%",
               likelihood=risk.label("likelihood", s.level))


def _conclude(
    params: ScoringParams,
    complete: bool,
    level: RiskLevel | None,
    scenarios: tuple[Scenario, ...],
    findings: list[Finding],
    missing: tuple[str, ...],
    ongoing: bool = False,
) -> tuple[Conclusion, tuple[Message, ...]]:
    """The conclusion and its reasons, worded for a transfer not yet started or (``ongoing``) under way."""
    reasons: list[Message] = []
    blocking = [f for f in findings if f.blocking]
    for f in blocking:
        reasons.append(msg("scoring.reason_obstacle", finding=f.text))
    if level is not None:
        top = max(scenarios, key=lambda s: risk.RISKS.index(s.risk))
        if complete:
            reasons.append(msg("scoring.reason_risk", level=risk.label("risk", level), scenario=top.recipient))
        else:
            reasons.append(msg("scoring.reason_risk_provisional", level=risk.label("risk", level),
                               scenario=top.recipient))
    if not complete:
        reasons.insert(0, msg_n("scoring.reason_incomplete", len(missing)))
        return "incomplete", tuple(reasons)
    before = msg("scoring.before_transfer_continues") if ongoing else msg("scoring.before_transfer")
    c = params.conclusion
    assert level is not None
    if blocking or risk.RISKS.index(level) >= risk.RISKS.index(c.do_not_proceed_from):
        if ongoing:
            reasons.append(msg("scoring.reason_suspend"))
        return "do_not_proceed", tuple(reasons)
    serious = [
        f
        for f in findings
        if not f.blocking and SEVERITIES.index(f.severity) >= SEVERITIES.index(c.fixes_from_finding)
    ]
    to_fix = [f for f in serious if f.remedy == "fix"]
    to_mitigate = [f for f in serious if f.remedy == "mitigate"]
    high_risk = risk.RISKS.index(level) >= risk.RISKS.index(c.fixes_from_risk)
    if high_risk:
        reasons.append(msg("scoring.reason_lower_risk", level=risk.label("risk", level), before=before))
    # Up to MAX_NAMED findings are named; a longer list ends with how many there are in all.
    if to_fix and len(to_fix) > MAX_NAMED:
        reasons.append(msg("scoring.reason_to_fix_more", before=before, findings=_listed(to_fix), n=len(to_fix)))
    elif to_fix:
        reasons.append(msg("scoring.reason_to_fix", before=before, findings=_listed(to_fix)))
    if to_mitigate and len(to_mitigate) > MAX_NAMED:
        reasons.append(msg("scoring.reason_to_mitigate_more", before=before, findings=_listed(to_mitigate),
                           n=len(to_mitigate)))
    elif to_mitigate:
        reasons.append(msg("scoring.reason_to_mitigate", before=before, findings=_listed(to_mitigate)))
    return ("proceed_after_fixes" if high_risk or serious else "proceed"), tuple(reasons)


def _count(value: float) -> Localized:
    # A count as each language writes it (32万 / 320,000): a value the catalogue's texts take as it is.
    return Localized(zh=fmt_count(value, "zh"), en=fmt_count(value, "en"))


def _in_both(write: Callable[[Lang], str]) -> Localized:
    # A value put together from several texts (a list), written in each language for a catalogue text to take.
    return Localized(zh=write("zh"), en=write("en"))


def _joined(labels: list[Localized]) -> Localized:
    """A bank's labels in running text, separated as each language does."""
    return _in_both(lambda lang: join(lang, (x(lang) for x in labels)))


def _listed(findings: list[Finding]) -> Localized:
    """The first MAX_NAMED findings' texts as clauses of one sentence, each without its own full stop."""

    def listed(lang: Lang) -> str:
        stop = t(lang, "full_stop")
        return join(lang, (f.text(lang).rstrip(stop) for f in findings[:MAX_NAMED]), between="clauses")

    return _in_both(listed)
