"""The route check: which mechanism an outbound transfer of personal information needs, and why.

``decide`` applies the rule set in force at the facts' ``as_of`` date (``route_rules``; the rules are data
in ``questionnaires/library/route-rules.yaml``) in the order the Provisions give. Each exemption of
Arts 3-6 covers its own transfers only (Arts 7 and 8 defer to them, so they reach CIIOs too); the counts leave
those transfers out and decide the mechanism for everything else: important data first (no exemption
reaches it), then CIIO status, then the thresholds. Thresholds, who may use an exemption, texts and time
limits come from the rule set. Deadlines are compared with ``as_of``. Pure: no printing, no exit.

API (``pipia route FILE [--json]``, the app, the report and ``route_findings`` use only these):

- ``read_facts(path, rules=None) -> Facts``: a facts file (format in ``facts``). Raises ``InputError`` with
  every problem as ``file:line: path: message``, ``NotFoundError`` when there is no such file.
- ``facts_from_answers(answers, bank, file="<answers>") -> Facts`` and
  ``milestones_from_answers(answers, bank, file="<answers>") -> Milestones``: the same from the answers to
  the questions the bank's ``roles`` name (screening facts, optional dates); ``InputError`` names every
  missing or invalid answer, and every role the route needs that the bank leaves out.
- ``decide(facts, milestones=None, rules=None) -> RouteDecision``; raises ``NoRuleSetError`` (an
  ``InputError``) when ``as_of`` is before the earliest rule set.
- ``RouteDecision.to_json() -> dict``, keys in this order: ``route`` (the mechanism for the counted part),
  ``route_label``, ``headline`` (both parts), ``exempt_transfers`` (exemption ids), ``rule_set``,
  ``rule_set_title``, ``as_of``, ``facts``, ``milestones``, ``reasons``, ``mechanisms``, ``obligations``,
  ``deadlines``, ``warnings``. Dates are ISO strings and texts ``{zh, en}``; a statement is
  ``{id, text, cites}`` with citations as ``source:article`` ids; a deadline is ``{id, label, date,
  counted_from, note, cites, estimated, passed, met_on}`` (``estimated``: working days counted Monday to
  Friday because the official holiday calendar of that year is not known yet; ``passed``: the date is
  before ``as_of``; ``met_on``: the filing date of a filing deadline).
- ``mechanism(facts, rules=None) -> Route``: ``decide(...).route`` without the texts; ``decided_route(answers,
  bank) -> Route | None`` the same from the screening answers, None while undecidable (what ``show_if:
  {route: ...}`` tests, from ``progress.evaluate``).
- ``format_decision(decision, lang) -> str``: the same as readable text; ``deadline_status`` its marks.
"""

# Annotations are evaluated as the module runs (no ``from __future__ import annotations``): see ``pipia.model``.
import datetime as dt
import textwrap
from collections.abc import Callable
from typing import Any

from pipia.answers.format import Answers
from pipia.bank.format import Bank
from pipia.errors import InputError
from pipia.i18n import Lang, Localized, Message, fmt_count, fmt_date, join, msg, t
from pipia.model import Model
from pipia.route.facts import Facts, Milestones, facts_from_answers, milestones_from_answers, read_facts
from pipia.route.rules import (
    Cited,
    Exemption,
    NoRuleSetError,
    Period,
    RegionalContract,
    Route,
    RouteRules,
    RuleSet,
    load_rules,
)
from pipia.route.workdays import add_months, add_working_days, add_years, beyond_calendar, known_years

__all__ = [
    "STRICTNESS",
    "Deadline",
    "Facts",
    "Milestones",
    "NoRuleSetError",
    "RouteDecision",
    "Statement",
    "deadline_status",
    "decide",
    "decided_route",
    "facts_from_answers",
    "format_decision",
    "mechanism",
    "milestones_from_answers",
    "read_facts",
]

STRICTNESS: dict[Route, int] = {"exempt": 0, "contract_or_certification": 1, "security_assessment": 2}


class Statement(Model):
    """One sentence of the route decision (a reason, mechanism, obligation or warning) with its legal sources, e.g.
    'provisions:7'.
    """

    id: str
    text: Localized
    cites: tuple[str, ...]


class Deadline(Model):
    """A date the processor must meet (filing, expiry, extension window), the date it is counted from, its sources, and
    whether it is estimated, passed or met.
    """

    id: str
    label: Localized
    date: dt.date
    counted_from: dt.date
    note: Localized | None
    cites: tuple[str, ...]
    estimated: bool
    passed: bool
    met_on: dt.date | None


class RouteDecision(Model):
    """The route check's result: the route (exempt / contract_or_certification / security_assessment) under the
    Provisions, why, the mechanisms, obligations, deadlines and warnings, as of a date.
    """

    route: Route
    route_label: Localized
    headline: Localized
    exempt_transfers: tuple[str, ...]
    rule_set: str
    rule_set_title: Localized
    as_of: dt.date
    facts: Facts
    milestones: Milestones
    reasons: tuple[Statement, ...]
    mechanisms: tuple[Statement, ...]
    obligations: tuple[Statement, ...]
    deadlines: tuple[Deadline, ...]
    warnings: tuple[Statement, ...]

    def to_json(self) -> dict[str, Any]:
        """One JSON-ready dict; key order follows the fields, so the output is stable."""
        return self.model_dump(mode="json")


COUNT_REASONS = (
    "sensitive_assessment",
    "non_sensitive_assessment",
    "sensitive_contract",
    "non_sensitive_contract",
    "small_volume",
)


def decide(facts: Facts, milestones: Milestones | None = None, rules: RouteRules | None = None) -> RouteDecision:
    """The route for ``facts`` under the rule set in force at ``facts.as_of``.

    Each exemption listed covers its own transfers (Provisions Arts 3-6); the counts, which leave those
    transfers out, decide the mechanism for everything else (Arts 7-8 defer to them). ``route`` is that
    mechanism: ``exempt`` only when nothing is counted or Art. 5(4) covers the counted part. Important data
    always needs a security assessment (Arts 3-5, 7(2); NDSR Art. 37). ``milestones`` default to the facts
    file's own. Raises ``NoRuleSetError`` before the earliest rule set.
    """
    rules = rules or load_rules()
    rs = rules.for_date(facts.as_of)
    ns, s, t = facts.individuals.non_sensitive, facts.individuals.sensitive, rs.thresholds
    expected_ns, expected_s = facts.expected_counts()
    values: dict[str, Any] = {
        "year": str(facts.as_of.year),
        "non_sensitive": ns,
        "sensitive": s,
        "ns_contract": t.non_sensitive_contract,
        "ns_assessment": t.non_sensitive_assessment,
        "s_contract": t.sensitive_contract,
        "s_assessment": t.sensitive_assessment,
        "expected_non_sensitive": expected_ns,
        "expected_sensitive": expected_s,
    }

    def say(key: str, rule: Cited, **extra: Any) -> Statement:
        return Statement(id=key, text=_fill(rule.text, {**values, **extra}), cites=rule.cites)

    warnings: list[Statement] = []
    applicable = []
    for exemption in map(rs.exemption, facts.exemptions):
        if not exemption.personal_information and ns + s > 0:
            warnings.append(
                say("exemption_needs_no_personal_information", rs.warnings.exemption_needs_no_personal_information)
            )
        if exemption.available_to_ciio or not facts.ciio:
            applicable.append(exemption)
    counted = ns + s > 0
    pi = counted or any(e.personal_information for e in applicable)
    r = rs.reasons
    exempt_part: list[tuple[str, Cited]] = [(e.id, e) for e in applicable]
    if applicable and facts.ciio:
        exempt_part.append(("exemption_ciio", r.exemption_ciio))
    route: Route
    if facts.important_data:
        route, why = "security_assessment", [("important_data", r.important_data)]
        if facts.exemptions:
            why.append(("exemption_excludes_important_data", r.exemption_excludes_important_data))
        why += exempt_part
    elif not counted:
        if applicable:
            route, why = "exempt", [*exempt_part, ("nothing_counted", r.nothing_counted)]
        else:
            route, why = "exempt", [("nothing_transferred", r.nothing_transferred)]
    else:
        route, why = _counted_route(rs, facts.ciio, ns, s)
        if applicable:
            why += [("counted_beside_exempt", r.counted_beside_exempt), *exempt_part]

    w = rs.warnings
    if ns > 0 and s > 0:
        warnings.append(say("mixed_counts", w.mixed_counts))
    if applicable:
        warnings.append(say("exemption_scope", w.exemption_scope))
        if any(e.genuinely_necessary for e in applicable):
            warnings.append(say("genuine_necessity", w.genuine_necessity))
    if why[0][0] in COUNT_REASONS:
        warnings.append(say("no_splitting", w.no_splitting))
    if pi and route != "exempt" and w.statutory_duty is not None:
        warnings.append(say("statutory_duty", w.statutory_duty))
    warnings += [_below_to_date(*below) for below in facts.below_to_date()]
    if facts.important_data:
        warnings.append(say("important_data_notified", w.important_data_notified))
    elif (expected_ns, expected_s) != (ns, s):
        expected, _ = _counted_route(rs, facts.ciio, expected_ns, expected_s)
        if STRICTNESS[expected] > STRICTNESS[route]:
            label = getattr(rules.routes, expected)
            warnings.append(say("expected_threshold", w.expected_threshold, expected_route=label))

    o = rs.obligations
    duties = [
        *(o.general if pi else ()),
        *(o.sensitive if s > 0 else ()),
        *(o.ciio if facts.ciio and pi else ()),
        *(o.overseas_processor if facts.overseas_processor and pi else ()),
        *(o.contract_or_certification if route == "contract_or_certification" else ()),
        *(o.overseas_processor_certification if facts.overseas_processor and route == "contract_or_certification"
          else ()),
        *(o.security_assessment if route == "security_assessment" else ()),
    ]
    m = rs.mechanisms
    mechanisms: list[tuple[str, Cited]] = {
        "exempt": [],
        "security_assessment": [("security_assessment", m.security_assessment)],
        "contract_or_certification": [("standard_contract", m.standard_contract), ("certification", m.certification)],
    }[route]
    if route == "contract_or_certification":
        gba = [c for c in m.greater_bay_area if c.region in facts.greater_bay_area and c.since <= facts.as_of]
        # The GBA contracts are for a processor in the nine Mainland cities (their text says so); a processor
        # outside China under PIPL Art. 3(2) is not one, so it is not offered them, and is told why.
        if facts.overseas_processor:
            warnings += [_gba_not_for_overseas(c) for c in gba]
        else:
            mechanisms += [(c.id, c) for c in gba]
    milestones = milestones or facts.milestones or Milestones()
    deadlines = _deadlines(rs, route, facts.as_of, milestones)
    warnings += _lapses(rs, deadlines, milestones, say)
    # Once the result has lapsed, the window for an extension has closed: a new declaration is the way on.
    if any(d.id == "security_assessment_expiry" and not d.passed for d in deadlines):
        warnings.append(say("extension_conditions", w.extension_conditions))
    if any(d.estimated for d in deadlines):
        warnings.append(_calendar_warning())
    return RouteDecision(
        route=route,
        route_label=getattr(rules.routes, route),
        headline=_headline(rules, route, applicable, facts, values),
        exempt_transfers=tuple(e.id for e in applicable),
        rule_set=rs.id,
        rule_set_title=rs.title,
        as_of=facts.as_of,
        facts=facts,
        milestones=milestones,
        reasons=tuple(say(k, c) for k, c in why),
        mechanisms=tuple(say(k, c) for k, c in mechanisms),
        obligations=tuple(say(d.id, d) for d in duties),
        deadlines=deadlines,
        warnings=tuple(warnings),
    )


def decided_route(answers: Answers, bank: Bank) -> Route | None:
    """The route ``decide`` gives for the answers' screening roles at the assessment date, or None while
    it cannot be decided (a screening answer missing or invalid, no assessment date, or a date before the
    first rule set). This is what ``{route: ...}`` in a ``show_if`` tests (``progress.evaluate``).
    """
    try:
        facts = facts_from_answers(answers, bank)
        return mechanism(facts)
    except InputError:  # NoRuleSetError included
        return None


def mechanism(facts: Facts, rules: RouteRules | None = None) -> Route:
    """``decide(facts, rules=rules).route`` without the texts, reasons and deadlines (a test keeps the two
    equal): important data first, nothing counted is exempt, else the CIIO status and the counts.
    Raises ``NoRuleSetError`` before the earliest rule set."""
    rs = (rules or load_rules()).for_date(facts.as_of)
    ns, s = facts.individuals.non_sensitive, facts.individuals.sensitive
    if facts.important_data:
        return "security_assessment"
    if ns + s == 0:
        return "exempt"
    return _counted_route(rs, facts.ciio, ns, s)[0]


def _counted_route(rs: RuleSet, ciio: bool, ns: int, s: int) -> tuple[Route, list[tuple[str, Cited]]]:
    """The mechanism the counted personal information needs (counts above 0)."""
    small = rs.exemption("small_volume")
    below = ns < rs.thresholds.non_sensitive_contract and s < rs.thresholds.sensitive_contract
    if ns + s == 0:
        return "exempt", [("nothing_transferred", rs.reasons.nothing_transferred)]
    if ciio and not (below and small.available_to_ciio):
        return "security_assessment", [("ciio", rs.reasons.ciio)]
    return _by_counts(rs, ns, s)


def _headline(
    rules: RouteRules, route: Route, applicable: list[Exemption], facts: Facts, values: dict[str, Any]
) -> Localized:
    """Both parts in one sentence: the mechanism for what is counted, and the transfers that are exempt."""
    label: Localized = getattr(rules.routes, route)
    if not applicable:
        return label
    exempt = _fill(_in_both(lambda lang: join(lang, (e.label(lang) for e in applicable), between="options")), values)
    counted = facts.individuals.non_sensitive + facts.individuals.sensitive > 0
    if not counted and not facts.important_data:
        return _in_both(msg("route.headline_exempt_only", exempt=exempt, label=label))
    subject = {
        (True, True): msg("route.subject.important_and_counted"),
        (True, False): msg("route.subject.important"),
        (False, True): msg("route.subject.counted"),
    }[(facts.important_data, counted)]
    # Chinese names the exemptions and then what they exempt from (the rule set's own wording of the
    # exempt route); English says "exempt:" before them, so the route's label is added in Chinese only.
    exempt_from = Localized.of(f"{exempt.zh}{rules.routes.exempt.zh}", exempt.en)
    if route == "exempt":
        return _in_both(msg("route.headline_counted_exempt", subject=subject, label=label, exempt=exempt_from))
    return _in_both(msg("route.headline_counted", subject=subject, label=label, exempt=exempt_from))


def _by_counts(rs: RuleSet, ns: int, s: int) -> tuple[Route, list[tuple[str, Cited]]]:
    # Each count is tested against its own thresholds and the stricter route wins (see the mixed_counts warning).
    t, r = rs.thresholds, rs.reasons
    assessment = [
        *([("sensitive_assessment", r.sensitive_assessment)] if s >= t.sensitive_assessment else []),
        *([("non_sensitive_assessment", r.non_sensitive_assessment)] if ns >= t.non_sensitive_assessment else []),
    ]
    if assessment:
        return "security_assessment", assessment
    contract = [
        *([("sensitive_contract", r.sensitive_contract)] if s >= t.sensitive_contract else []),
        *([("non_sensitive_contract", r.non_sensitive_contract)] if ns >= t.non_sensitive_contract else []),
    ]
    if contract:
        return "contract_or_certification", contract
    return "exempt", [("small_volume", rs.exemption("small_volume"))]


def _deadlines(rs: RuleSet, route: Route, as_of: dt.date, m: Milestones) -> tuple[Deadline, ...]:
    d, out = rs.deadlines, []
    if route == "contract_or_certification":
        out.append(_count("pipia_window", d.pipia_window, as_of, as_of))
        if m.contract_effective_date:
            filing = _count("standard_contract_filing", d.standard_contract_filing, m.contract_effective_date, as_of)
            out.append(filing.model_copy(update={"met_on": m.contract_filing_date}))
        if m.certificate_issue_date and d.certificate_expiry and d.recertification:
            expiry = _count("certificate_expiry", d.certificate_expiry, m.certificate_issue_date, as_of)
            out += [expiry, _count("recertification", d.recertification, expiry.date, as_of)]
    # A passed assessment is a mechanism of PIPL Art. 38 whatever route the counts now point to, so its
    # validity matters on the contract route too; a contract or certificate never stands in for an assessment.
    if route != "exempt" and m.security_assessment_pass_date:
        expiry = _count(
            "security_assessment_expiry", d.security_assessment_expiry, m.security_assessment_pass_date, as_of
        )
        out += [expiry, _count("security_assessment_extension", d.security_assessment_extension, expiry.date, as_of)]
    return tuple(sorted(out, key=lambda x: (x.date, x.id)))


def _lapses(
    rs: RuleSet, deadlines: tuple[Deadline, ...], m: Milestones, say: Callable[..., Statement]
) -> list[Statement]:
    """A mechanism whose validity ended before as_of, or a filing not made by its deadline."""
    w, out = rs.warnings, []
    for d in deadlines:
        if d.id == "security_assessment_expiry" and d.passed:
            out.append(say("lapsed_security_assessment", w.lapsed_security_assessment, date=d.date))
        if d.id == "certificate_expiry" and d.passed and w.lapsed_certificate is not None:
            out.append(say("lapsed_certificate", w.lapsed_certificate, date=d.date))
        if d.id == "standard_contract_filing":
            filed = m.contract_filing_date
            if filed is None and d.passed:
                how = _in_both(msg("route.filing_not_recorded"))
            elif filed is not None and filed > d.date:
                day = Localized.of(fmt_date(filed, "zh"), fmt_date(filed, "en"))
                how = _in_both(msg("route.filed_late", day=day))
            else:
                continue
            out.append(say("filing_overdue", w.filing_overdue, date=d.date, filed=how))
    return out


def _count(key: str, period: Period, start: dt.date, as_of: dt.date) -> Deadline:
    n = period.amount if period.direction == "after" else -period.amount
    if period.unit == "working_days":
        date = add_working_days(start, n)
    else:
        date = add_months(start, n) if period.unit == "months" else add_years(start, n)
    estimated = period.unit == "working_days" and beyond_calendar(start, date)
    note = period.note
    if estimated:
        last = known_years()[1]
        note = _in_both(msg("route.note_and_working_days_estimated", note=note, year=last) if note
                        else msg("route.working_days_estimated", year=last))
    return Deadline(
        id=key,
        label=period.label,
        date=date,
        counted_from=start,
        note=note,
        cites=period.cites,
        estimated=estimated,
        passed=date < as_of,
        met_on=None,
    )


def _gba_not_for_overseas(contract: RegionalContract) -> Statement:
    """Why a Greater Bay Area standard contract is not offered to a processor outside China."""
    region = {"hong_kong": msg("route.gba_region.hong_kong"), "macao": msg("route.gba_region.macao")}
    return Statement(
        id="gba_needs_mainland_processor",
        cites=("pipl:3", *contract.cites),
        text=_in_both(msg("route.gba_needs_mainland_processor", region=region[contract.region])),
    )


def _below_to_date(name: str, expected: int, to_date: int) -> Statement:
    """An expected count below the count to date: the route follows the count to date; the answer needs fixing."""
    kind = msg("route.count_kind.sensitive") if name == "sensitive" else msg("route.count_kind.non_sensitive")
    return Statement(
        id="expected_below_to_date",
        cites=(),
        text=_in_both(msg("route.expected_below_to_date", kind=kind, expected=_both_counts(expected),
                          to_date=_both_counts(to_date))),
    )


def _calendar_warning() -> Statement:
    return Statement(
        id="calendar_estimated",
        cites=(),
        text=_in_both(msg("route.calendar_estimated", year=known_years()[1])),
    )


def _in_both(text: Message | Callable[[Lang], str]) -> Localized:
    """A sentence of the decision written in both languages: a ``RouteDecision`` is data (its JSON and the
    store carry both), so the core's own sentences are written from the catalogue once, beside the rule
    sets' texts."""
    return Localized.of(text("zh"), text("en"))


def _both_counts(value: int) -> Localized:
    return Localized.of(fmt_count(value, "zh"), fmt_count(value, "en"))


def _fill(text: Localized, values: dict[str, Any]) -> Localized:
    return Localized.of(
        text.zh.format_map({k: _number(v, "zh") for k, v in values.items()}),
        text.en.format_map({k: _number(v, "en") for k, v in values.items()}),
    )


def _number(value: Any, lang: Lang) -> str:
    # Counts as each language writes them (32万, 6500 / 320,000, 6,500), the same style as the report's.
    if isinstance(value, Localized):
        return value(lang)
    if isinstance(value, dt.date):
        return fmt_date(value, lang)
    if not isinstance(value, int):
        return str(value)
    return fmt_count(value, lang)


def deadline_status(deadline: Deadline, lang: Lang, *, in_report: bool = False) -> str:
    """The marks after a deadline's date: estimated, met (with the date) or passed, for every output.

    ``in_report``: a report is read later, so a passed deadline says it had passed at the assessment date.
    """
    marks = []
    if deadline.estimated:
        marks.append(t(lang, "deadline_estimated"))
    if deadline.met_on is not None:
        day = fmt_date(deadline.met_on, lang)
        marks.append(t(lang, "deadline_met" if deadline.met_on <= deadline.date else "deadline_met_late", day=day))
    elif deadline.passed:
        marks.append(t(lang, "deadline_passed_at_assessment" if in_report else "deadline_passed"))
    if not marks:
        return ""
    return t(lang, "deadline_marks", marks=join(lang, marks, between="clauses"))


def format_decision(decision: RouteDecision, lang: Lang = "en") -> str:
    """The decision as text for a terminal: route, reasons, options, obligations, deadlines, warnings."""

    def item(text: str, cites: tuple[str, ...] = ()) -> str:
        body = f"{text} [{', '.join(cites)}]" if cites else text
        if lang == "zh":  # Chinese has no spaces to wrap at; the terminal wraps it
            return f"  - {body}"
        return textwrap.fill(body, 100, initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)

    lines = [
        t(lang, "route_text_route", headline=decision.headline(lang), code=decision.route),
        t(lang, "route_text_rules", title=decision.rule_set_title(lang), code=decision.rule_set),
        t(lang, "route_text_as_of", day=fmt_date(decision.as_of, lang)),
    ]
    sections = [
        (t(lang, "route_text_reasons"), decision.reasons),
        (t(lang, "route_text_mechanisms"), decision.mechanisms),
        (t(lang, "route_text_obligations"), decision.obligations),
    ]
    for title, statements in sections:
        if statements:
            lines += ["", title, *(item(x.text(lang), x.cites) for x in statements)]
    if decision.deadlines:
        lines += ["", t(lang, "route_text_deadlines")]
        for d in decision.deadlines:
            label = d.label(lang)
            if d.note:
                label = t(lang, "route_text_deadline_note", label=label, note=d.note(lang))
            lines.append(item(f"{d.date.isoformat()}{deadline_status(d, lang)} {label}", d.cites))
    if decision.warnings:
        lines += ["", t(lang, "route_text_warnings"), *(item(x.text(lang), x.cites) for x in decision.warnings)]
    return "\n".join(lines) + "\n"
