"""Answers that contradict each other, reported as findings.

A DPO fills in screening counts, a data inventory and per-recipient details at different times, often
from different people. Where they disagree, the route and the risk levels rest on shaky facts, so the
disagreement itself is a finding. Which questions take part is set in the bank (``scoring.consistency``):

- counts: screening totals against the inventory's rows and each recipient's count (an under-count in
  screening can put a transfer on the wrong route, e.g. "exempt" under Provisions Art. 5(4));
- sensitivity: screening's sensitive count against the inventory's sensitive rows and the categories
  each recipient receives, and the inventory's sensitive categories against the recipients' (both ways);
- minors: the "minors involved" answer against the inventory and the recipients;
- recipients: every recipient named in the inventory, and every recipient named there assessed;
- ``rules``: further pairs of answers that must not hold together (e.g. separate consent "obtained"
  while consent is pre-ticked or bundled), each its own entry in the bank.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from pipia.answers.names import item_name
from pipia.assessment import visibility
from pipia.assessment.findings import Finding
from pipia.bank.format import Bank, ConsistencyParams, ConsistencyRule, ScoringParams, Severity
from pipia.i18n import Localized, Message, fmt_count, join, msg
from pipia.route.check import STRICTNESS, RouteDecision, decide
from pipia.route.facts import Individuals

ACTION = msg("consistency.action")


def check_consistency(bank: Bank, state: visibility.State, params: ScoringParams) -> list[Finding]:
    """Findings (kind ``consistency``) for answers that contradict each other; none when the bank sets no checks."""
    if params.consistency is None:
        return []
    return list(_checks(bank, state, params, params.consistency))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _n(value: float) -> Localized:
    # A count as each language writes it (32万 / 320,000), for a catalogue text to take as it is.
    return Localized(zh=fmt_count(value, "zh"), en=fmt_count(value, "en"))


def _finding(
    question: str,
    slot: str,
    item: int | None,
    recipient: Localized | None,
    text: Message,
    severity: Severity = "medium",
    action: Message = ACTION,
) -> Finding:
    return Finding(question, slot, item, recipient, None, severity, False, text, action, "consistency")


def _checks(bank: Bank, state: visibility.State, params: ScoringParams, c: ConsistencyParams) -> Iterator[Finding]:
    yield from _count_checks(bank, state, params, c)
    yield from _category_checks(bank, state, params, c)
    yield from _recipient_list_checks(bank, state, params, c)
    for rule in c.rules:
        yield from _rule(bank, state, rule)


def _name(bank: Bank, row: dict[str, Any]) -> str:
    """An inventory row's name: its ``roles.inventory_item`` cell, '?' when the bank names no such column."""
    column = bank.roles.inventory_item
    return str(row.get(column, "?")) if column is not None else "?"


def _label(bank: Bank, rows: list[dict[str, Any]]) -> Localized:
    """The first three rows' names in running text, separated as each language does."""
    names = [_name(bank, r) for r in rows[:3]]
    return Localized(zh=join("zh", names), en=join("en", names))


def _counted_above(rows: list[dict[str, Any]], column: str, limit: float) -> Iterator[tuple[dict[str, Any], float]]:
    """The rows whose ``column`` holds a number above ``limit``, each with that number."""
    for row in rows:
        count = _number(row.get(column))
        if count is not None and count > limit:
            yield row, count


def _count_checks(bank: Bank, state: visibility.State, params: ScoringParams,
                  c: ConsistencyParams) -> Iterator[Finding]:
    non_sensitive = _number(state.values.get(c.non_sensitive_count))
    sensitive = _number(state.values.get(c.sensitive_count))
    rows = _rows(state, c)
    sensitive_rows = [r for r in rows if r.get(c.inventory_sensitive_column) not in (None, c.inventory_not_sensitive)]
    if sensitive == 0 and sensitive_rows:
        names = _label(bank, sensitive_rows)
        yield _finding(
            c.sensitive_count,
            c.sensitive_count,
            None,
            None,
            msg("consistency.no_sensitive_but_inventory", items=names),
            "high",
        )
    if sensitive and not sensitive_rows and rows:
        yield _finding(
            c.inventory,
            c.inventory,
            None,
            None,
            msg("consistency.sensitive_but_inventory_none", sensitive=_n(sensitive)),
        )
    if sensitive:  # 0 is reported above, once, rather than once per row
        for row, counted in _counted_above(sensitive_rows, c.inventory_individuals_column, sensitive):
            yield _finding(
                c.inventory,
                c.inventory,
                None,
                None,
                msg("consistency.item_above_sensitive", item=_name(bank, row), count=_n(counted),
                    sensitive=_n(sensitive)),
                "high",
            )
    if non_sensitive is None or sensitive is None:
        return
    total = non_sensitive + sensitive
    for row, counted in _counted_above(rows, c.inventory_individuals_column, total):
        yield _finding(
            c.inventory,
            c.inventory,
            None,
            None,
            msg("consistency.item_above_total", item=_name(bank, row), count=_n(counted), total=_n(total)),
            "high",
        )
    impact = params.impact
    for item, name in _recipients(bank, state, params):
        count = _number(state.values.get(f"{params.scenario_group}[{item}].{impact.scale_question}"))
        if count is not None and count > total:
            yield _finding(
                impact.scale_question,
                f"{params.scenario_group}[{item}].{impact.scale_question}",
                item,
                name,
                msg("consistency.recipient_above_total", recipient=name, count=_n(count), total=_n(total)),
                "high",
            )
        received = _received(state, params, item)
        if sensitive == 0 and any(v in impact.sensitive for v in received):
            yield _finding(
                impact.categories_question,
                f"{params.scenario_group}[{item}].{impact.categories_question}",
                item,
                name,
                msg("consistency.recipient_sensitive_but_none", recipient=name),
                "high",
            )


def _category_checks(
    bank: Bank, state: visibility.State, params: ScoringParams, c: ConsistencyParams
) -> Iterator[Finding]:
    """The inventory's sensitive categories and minors against the recipients' categories, both ways."""
    rows = _rows(state, c)
    if not rows:
        return
    column = next(col for col in bank.questions[c.inventory].columns if col.id == c.inventory_sensitive_column)
    labels = {o.value: o.label for o in column.options}
    listed = {r.get(c.inventory_sensitive_column) for r in rows} - {None, c.inventory_not_sensitive}
    impact = params.impact
    received_by_any: set[str] = set()
    for item, name in _recipients(bank, state, params):
        received = set(_received(state, params, item)) & set(impact.sensitive)
        received_by_any |= received
        for value in sorted(v for v in received - listed if v in labels):  # values both sides know
            label = labels.get(value)
            shown = label or Localized(zh=value, en=value)
            yield _finding(
                impact.categories_question,
                f"{params.scenario_group}[{item}].{impact.categories_question}",
                item,
                name,
                msg("consistency.recipient_category_not_listed", recipient=name, category=shown),
            )
    if any(True for _ in _recipients(bank, state, params)):
        for value in sorted(v for v in listed - received_by_any if isinstance(v, str)):
            shown = labels.get(value) or Localized(zh=value, en=value)
            yield _finding(
                c.inventory,
                c.inventory,
                None,
                None,
                msg("consistency.category_not_received", category=shown),
            )
    if c.minors_question is None or c.minors_category is None:
        return
    minors = state.values.get(c.minors_question)
    in_data = c.minors_category in listed or c.minors_category in received_by_any
    if minors is False and in_data:
        yield _finding(
            c.minors_question,
            c.minors_question,
            None,
            None,
            msg("consistency.minors_denied_but_listed"),
            "high",
        )
    if minors is True and not in_data:
        yield _finding(
            c.minors_question,
            c.minors_question,
            None,
            None,
            msg("consistency.minors_stated_but_not_listed"),
        )


def _recipient_list_checks(
    bank: Bank, state: visibility.State, params: ScoringParams, c: ConsistencyParams
) -> Iterator[Finding]:
    """Every assessed recipient appears in the inventory's recipients column (names compared loosely)."""
    rows = _rows(state, c)
    if c.inventory_recipients_column is None or not rows:
        return
    named = " | ".join(_plain(r.get(c.inventory_recipients_column)) for r in rows)
    title = bank.groups[params.scenario_group].title_question
    for item, name in _recipients(bank, state, params):
        # Only a name the answers give can be looked for in the inventory (not "Overseas recipient 2").
        given = state.values.get(f"{params.scenario_group}[{item}].{title}")
        if _plain(given) and _plain(given) not in named:
            yield _finding(
                title,
                f"{params.scenario_group}[{item}].{title}",
                item,
                name,
                msg("consistency.recipient_not_in_inventory", recipient=name),
            )


def _rule(bank: Bank, state: visibility.State, rule: ConsistencyRule) -> Iterator[Finding]:
    groups = {g for q in rule.when.questions() if (g := bank.group_of(q)) is not None}
    group = next(iter(groups), None)
    if group is None:
        if rule.when.evaluate(state.lookup(bank)):
            yield Finding(rule.question, rule.question, None, None, None, rule.severity, False, rule.finding,
                          rule.action, "consistency")
        return
    title = bank.groups[group].title_question
    items = sorted({s.item for s in state.visible if s.group == group and s.item is not None})
    for item in items:
        if rule.when.evaluate(state.lookup(bank, group, item)):
            name = item_name(bank, group, item, state.values.get(f"{group}[{item}].{title}"))
            slot = f"{group}[{item}].{rule.question}" if bank.group_of(rule.question) == group else rule.question
            yield Finding(rule.question, slot, item, name, None, rule.severity, False, rule.finding, rule.action,
                          "consistency")


def _rows(state: visibility.State, c: ConsistencyParams) -> list[dict[str, Any]]:
    rows = state.values.get(c.inventory) or []
    return [r for r in rows if isinstance(r, dict)]


def _recipients(bank: Bank, state: visibility.State, params: ScoringParams) -> Iterator[tuple[int, Localized]]:
    group = params.scenario_group
    title = bank.groups[group].title_question
    items = sorted({s.item for s in state.visible if s.group == group and s.item is not None})
    for item in items:
        yield item, item_name(bank, group, item, state.values.get(f"{group}[{item}].{title}"))


def _received(state: visibility.State, params: ScoringParams, item: int) -> list[str]:
    value = state.values.get(f"{params.scenario_group}[{item}].{params.impact.categories_question}") or []
    return [v for v in value if isinstance(v, str)]


def _plain(value: Any) -> str:
    return "".join(str(value or "").casefold().split())


def check_important_data_not_exempt(bank: Bank, state: visibility.State) -> list[Finding]:
    """A blocking finding where important data is transferred yet the security assessment is marked exempt.

    No exemption of Provisions Arts 3-6 reaches important data (Arts 3, 4, 5 last para., 7(2); NDSR
    Art. 37), so the two answers cannot both stand. Reads the visible answers to ``roles.important_data``
    (yes/no) and ``roles.security_assessment_status`` (its option ``roles.security_assessment_exempt``);
    [] when the bank leaves a role out. Old answers files may hold the contradiction even though the bank
    now rules it out in the option's label.
    """
    roles = bank.roles
    important, status = roles.important_data, roles.security_assessment_status
    if important is None or status is None or roles.security_assessment_exempt is None:
        return []
    if state.values.get(important) not in (True, "yes") or state.values.get(status) != roles.security_assessment_exempt:
        return []
    return [
        Finding(
            status,
            status,
            None,
            None,
            None,
            "high",
            True,
            msg("consistency.important_data_exempt"),
            msg("consistency.important_data_exempt_action"),
            "consistency",
        )
    ]


def check_route_understated(
    bank: Bank, state: visibility.State, params: ScoringParams, screened: RouteDecision | None
) -> list[Finding]:
    """A blocking finding where the inventory's or a recipient's figures put the transfer on a stricter route.

    The route rests on the screening counts (Provisions Arts 7-8 count individuals since 1 January); when
    the figures recorded elsewhere in the same answers would, counted the same way, need a stricter
    mechanism — a contract or certification, or a security assessment (Provisions Art. 7; PIPL Art. 40 for a
    CIIO, which needs one for any personal information it provides abroad outside the exemptions) — the
    route is not settled, and no conclusion may let the transfer proceed until the counts are reconciled.

    The tool's reading of "the figures": the largest count of a sensitive inventory item is a floor for the
    sensitive count; the largest count of any other item, and of any recipient, a floor for the other count
    (each person counted once, in the lower of the two routes they can imply). [] when the bank sets no
    consistency checks or the screening answers cannot decide the route yet (``screened`` None: reported as
    missing answers).
    """
    c = params.consistency
    if c is None or screened is None:
        return []
    facts = screened.facts
    rows = _rows(state, c)
    sensitive_floor = [
        n for r in rows
        if r.get(c.inventory_sensitive_column) not in (None, c.inventory_not_sensitive)
        and (n := _number(r.get(c.inventory_individuals_column))) is not None
    ]
    other_floor = [
        n for r in rows
        if r.get(c.inventory_sensitive_column) in (None, c.inventory_not_sensitive)
        and (n := _number(r.get(c.inventory_individuals_column))) is not None
    ]
    scale = params.impact.scale_question
    other_floor += [
        n for item, _ in _recipients(bank, state, params)
        if (n := _number(state.values.get(f"{params.scenario_group}[{item}].{scale}"))) is not None
    ]
    now = facts.individuals
    implied = Individuals(
        non_sensitive=int(max([now.non_sensitive, *other_floor])),
        sensitive=int(max([now.sensitive, *sensitive_floor])),
    )
    if implied == now:
        return []
    recounted = decide(facts.model_copy(update={"individuals": implied, "expected_by_year_end": None}))
    if STRICTNESS[recounted.route] <= STRICTNESS[screened.route]:
        return []
    # The legal basis of the stricter route: a CIIO's (PIPL Art. 40), else the counts' (Provisions Arts 7-8).
    law = msg("consistency.route_understated_law_ciio") if facts.ciio else msg("consistency.route_understated_law")
    understated = [
        _finding(
            c.non_sensitive_count,
            c.non_sensitive_count,
            None,
            None,
            msg("consistency.route_understated", non_sensitive=_n(now.non_sensitive), sensitive=_n(now.sensitive),
                route=screened.route_label, implied_non_sensitive=_n(implied.non_sensitive),
                implied_sensitive=_n(implied.sensitive), implied_route=recounted.route_label, law=law),
            "high",
            msg("consistency.route_understated_action"),
        )
    ]
    return [replace(finding, blocking=True) for finding in understated]
