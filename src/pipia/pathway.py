"""The route check: which mechanism an outbound transfer of personal information needs, and why.

``decide`` applies the rule set in force at the facts' ``as_of`` date (``route_rules``; the rules are data
in ``questionnaires/library/route-rules.yaml``) in the order the Provisions give: important data, then the
exemptions of Arts 3-6 (Arts 7 and 8 defer to them, so they reach CIIOs too), then CIIO status, then the
counts. Thresholds, who may use an exemption, texts and time limits come from the rule set. Pure: no
printing, no exit.

API (``pipia route FILE [--json]`` and the app use only these):

- ``read_facts(path, rules=None) -> Facts``: a facts file (format in ``facts``). Raises ``InputError`` with
  every problem as ``file:line: path: message``, ``NotFoundError`` when there is no such file.
- ``facts_from_answers(answers, bank, file="<answers>") -> Facts`` and
  ``milestones_from_answers(answers, file="<answers>") -> Milestones``: the same from an answers file's
  screening questions and optional dates; ``InputError`` names every missing or invalid answer.
- ``decide(facts, milestones=None, rules=None) -> RouteDecision``; raises ``NoRuleSetError`` (an
  ``InputError``) when ``as_of`` is before the earliest rule set.
- ``RouteDecision.to_json() -> dict``, keys in this order: ``route``, ``route_label``, ``rule_set``,
  ``rule_set_title``, ``as_of``, ``facts``, ``milestones``, ``reasons``, ``mechanisms``, ``obligations``,
  ``deadlines``, ``warnings``. Dates are ISO strings and texts ``{zh, en}``; a statement is
  ``{id, text, cites}`` with citations as ``source:article`` ids; a deadline is ``{id, label, date,
  counted_from, note, cites, estimated}`` (``estimated``: working days counted Monday to Friday because the
  official holiday calendar of that year is not known yet).
- ``format_decision(decision, lang) -> str``: the same as readable text.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from .facts import Facts, Milestones, facts_from_answers, milestones_from_answers, read_facts
from .i18n import Lang, Localized, pick
from .model import Model
from .route_rules import Cited, NoRuleSetError, Period, Route, RouteRules, RuleSet, load_rules
from .workdays import add_months, add_working_days, add_years, beyond_calendar, known_years

__all__ = [
    "STRICTNESS",
    "Deadline",
    "Facts",
    "Milestones",
    "NoRuleSetError",
    "RouteDecision",
    "Statement",
    "decide",
    "facts_from_answers",
    "format_decision",
    "milestones_from_answers",
    "read_facts",
]

STRICTNESS: dict[Route, int] = {"exempt": 0, "contract_or_certification": 1, "security_assessment": 2}


class Statement(Model):
    id: str
    text: Localized
    cites: tuple[str, ...]


class Deadline(Model):
    id: str
    label: Localized
    date: dt.date
    counted_from: dt.date
    note: Localized | None
    cites: tuple[str, ...]
    estimated: bool


class RouteDecision(Model):
    route: Route
    route_label: Localized
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


def decide(facts: Facts, milestones: Milestones | None = None, rules: RouteRules | None = None) -> RouteDecision:
    rules = rules or load_rules()
    rs = rules.for_date(facts.as_of)
    ns, s, t = facts.individuals.non_sensitive, facts.individuals.sensitive, rs.thresholds
    values = {
        "year": str(facts.as_of.year),
        "non_sensitive": ns,
        "sensitive": s,
        "ns_contract": t.non_sensitive_contract,
        "ns_assessment": t.non_sensitive_assessment,
        "s_contract": t.sensitive_contract,
        "s_assessment": t.sensitive_assessment,
    }

    def say(key: str, rule: Cited) -> Statement:
        return Statement(id=key, text=_fill(rule.text, values), cites=rule.cites)

    warnings: list[Statement] = []
    applicable = []
    for exemption in map(rs.exemption, facts.exemptions):
        if not exemption.personal_information and ns + s > 0:
            warnings.append(
                say("exemption_needs_no_personal_information", rs.warnings.exemption_needs_no_personal_information)
            )
        elif exemption.available_to_ciio or not facts.ciio:
            applicable.append(exemption)
    pi = ns + s > 0 or any(e.personal_information for e in applicable)
    small = rs.exemption("small_volume")
    below = ns < t.non_sensitive_contract and s < t.sensitive_contract
    r = rs.reasons
    route: Route
    if facts.important_data:
        route, why = "security_assessment", [("important_data", r.important_data)]
        if facts.exemptions:
            why.append(("exemption_excludes_important_data", r.exemption_excludes_important_data))
    elif applicable:
        route, why = "exempt", [(e.id, e) for e in applicable]
        if facts.ciio:
            why.append(("exemption_ciio", r.exemption_ciio))
    elif not pi:
        route, why = "exempt", [("nothing_transferred", r.nothing_transferred)]
    elif facts.ciio and not (below and small.available_to_ciio):
        route, why = "security_assessment", [("ciio", r.ciio)]
    else:
        route, why = _by_counts(rs, ns, s)

    w = rs.warnings
    if ns > 0 and s > 0:
        warnings.append(say("mixed_counts", w.mixed_counts))
    if route == "exempt" and applicable and not facts.important_data:
        warnings.append(say("exemption_scope", w.exemption_scope))
        if any(e.genuinely_necessary for e in applicable):
            warnings.append(say("genuine_necessity", w.genuine_necessity))
    if pi and why[0][0] in (
        "sensitive_assessment",
        "non_sensitive_assessment",
        "sensitive_contract",
        "non_sensitive_contract",
        "small_volume",
    ):
        warnings.append(say("no_splitting", w.no_splitting))
    if pi and route != "exempt" and w.statutory_duty is not None:
        warnings.append(say("statutory_duty", w.statutory_duty))
    if facts.important_data:
        warnings.append(say("important_data_notified", w.important_data_notified))

    o = rs.obligations
    duties = [
        *(o.general if pi else ()),
        *(o.sensitive if s > 0 else ()),
        *(o.contract_or_certification if route == "contract_or_certification" else ()),
        *(o.security_assessment if route == "security_assessment" else ()),
    ]
    m = rs.mechanisms
    mechanisms = {
        "exempt": [],
        "security_assessment": [("security_assessment", m.security_assessment)],
        "contract_or_certification": [("standard_contract", m.standard_contract), ("certification", m.certification)],
    }[route]
    milestones = milestones or Milestones()
    deadlines = _deadlines(rs, route, facts.as_of, milestones)
    if any(d.estimated for d in deadlines):
        warnings.append(_calendar_warning())
    return RouteDecision(
        route=route,
        route_label=getattr(rules.routes, route),
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
        out.append(_count("pipia_window", d.pipia_window, as_of))
        if m.contract_effective_date:
            out.append(_count("standard_contract_filing", d.standard_contract_filing, m.contract_effective_date))
        if m.certificate_issue_date and d.certificate_expiry and d.recertification:
            expiry = _count("certificate_expiry", d.certificate_expiry, m.certificate_issue_date)
            out += [expiry, _count("recertification", d.recertification, expiry.date)]
    if route == "security_assessment" and m.security_assessment_pass_date:
        expiry = _count("security_assessment_expiry", d.security_assessment_expiry, m.security_assessment_pass_date)
        out += [expiry, _count("security_assessment_extension", d.security_assessment_extension, expiry.date)]
    return tuple(sorted(out, key=lambda x: (x.date, x.id)))


def _count(key: str, period: Period, start: dt.date) -> Deadline:
    n = period.amount if period.direction == "after" else -period.amount
    if period.unit == "working_days":
        date = add_working_days(start, n)
    else:
        date = add_months(start, n) if period.unit == "months" else add_years(start, n)
    estimated = period.unit == "working_days" and beyond_calendar(start, date)
    note = period.note
    if estimated:
        last = known_years()[1]
        zh = f"{last}年以后的工作日暂按周一至周五计算，国务院公布当年节假日安排后请重新核对。"
        en = (
            f"Working days after {last} are counted Monday to Friday until that year's official holiday "
            f"arrangement is published; check again then."
        )
        note = Localized.of(f"{note.zh}{zh}", f"{note.en} {en}") if note else Localized.of(zh, en)
    return Deadline(
        id=key, label=period.label, date=date, counted_from=start, note=note, cites=period.cites, estimated=estimated
    )


def _calendar_warning() -> Statement:
    last = known_years()[1]
    return Statement(
        id="calendar_estimated",
        cites=(),
        text=Localized.of(
            f"部分以工作日计算的截止日期落在{last}年以后，这些年份的国务院节假日安排尚未纳入计算，暂按周一至周五计算，"
            f"可能与实际工作日不同；公布当年安排后请重新核对。",
            f"Some working-day deadlines fall after {last}; the official holiday arrangement for those years is not "
            f"yet part of the calculation, so they are counted Monday to Friday and may move. Check them once it is "
            f"published.",
        ),
    )


def _fill(text: Localized, values: dict[str, Any]) -> Localized:
    return Localized.of(
        text.zh.format_map({k: _number(v, "zh") for k, v in values.items()}),
        text.en.format_map({k: _number(v, "en") for k, v in values.items()}),
    )


def _number(value: Any, lang: Lang) -> str:
    # Chinese legal texts write round thresholds in 万 (10万人, 1万人); other numbers keep digit grouping.
    if not isinstance(value, int):
        return str(value)
    if lang == "zh" and value >= 10_000 and value % 10_000 == 0:
        return f"{value // 10_000}万"
    return f"{value:,}"


def format_decision(decision: RouteDecision, lang: Lang = "en") -> str:
    """The decision as text for a terminal: route, reasons, options, obligations, deadlines, warnings."""

    def item(text: str, cites: tuple[str, ...] = ()) -> str:
        body = f"{text} [{', '.join(cites)}]" if cites else text
        if lang == "zh":  # Chinese has no spaces to wrap at; the terminal wraps it
            return f"  - {body}"
        return textwrap.fill(body, 100, initial_indent="  - ", subsequent_indent="    ", break_on_hyphens=False)

    lines = [
        f"{pick(lang, '路径', 'Route')}: {decision.route_label(lang)} ({decision.route})",
        f"{pick(lang, '适用规则', 'Rules')}: {decision.rule_set_title(lang)} [{decision.rule_set}]",
        f"{pick(lang, '判断日期', 'As of')}: {decision.as_of.isoformat()}",
    ]
    sections = [
        (pick(lang, "理由", "Reasons"), decision.reasons),
        (pick(lang, "可选机制", "Mechanisms"), decision.mechanisms),
        (pick(lang, "仍须履行的义务", "Obligations"), decision.obligations),
    ]
    for title, statements in sections:
        if statements:
            lines += ["", f"{title}:", *(item(x.text(lang), x.cites) for x in statements)]
    if decision.deadlines:
        lines += ["", f"{pick(lang, '期限', 'Deadlines')}:"]
        for d in decision.deadlines:
            mark = pick(lang, "（估算）", " (estimated)") if d.estimated else ""
            note = f"{pick(lang, '：', ': ')}{d.note(lang)}" if d.note else ""
            lines.append(item(f"{d.date.isoformat()}{mark} {d.label(lang)}{note}", d.cites))
    if decision.warnings:
        lines += ["", f"{pick(lang, '提示', 'Warnings')}:", *(item(x.text(lang), x.cites) for x in decision.warnings)]
    return "\n".join(lines) + "\n"
