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
from pipia.i18n import Localized, fmt_count
from pipia.route.check import STRICTNESS, RouteDecision, decide
from pipia.route.facts import Individuals

ACTION = Localized(
    zh="核对筛选数量、数据清单与各境外接收方的信息，更正不一致之处后重新评估",
    en="Check the screening counts, the data inventory and each recipient's details; correct them and re-assess",
)


def check_consistency(bank: Bank, state: visibility.State, params: ScoringParams) -> list[Finding]:
    """Findings (kind ``consistency``) for answers that contradict each other; none when the bank sets no checks."""
    if params.consistency is None:
        return []
    return list(_checks(bank, state, params, params.consistency))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _n(value: float) -> str:
    return fmt_count(value, "zh")


def _e(value: float) -> str:
    return fmt_count(value, "en")


def _finding(
    question: str,
    slot: str,
    item: int | None,
    recipient: Localized | None,
    zh: str,
    en: str,
    severity: Severity = "medium",
    action: Localized = ACTION,
) -> Finding:
    text = Localized(zh=zh, en=en)
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


def _label(bank: Bank, rows: list[dict[str, Any]]) -> str:
    return "、".join(_name(bank, r) for r in rows[:3])


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
            f"筛选中填报的敏感个人信息人数为0，但数据清单列有敏感个人信息（{names}）；出境路径可能因此判断有误",
            f"Screening reports 0 individuals with sensitive PI, yet the inventory lists sensitive items ({names}); "
            "the route may be wrong as a result",
            "high",
        )
    if sensitive and not sensitive_rows and rows:
        yield _finding(
            c.inventory,
            c.inventory,
            None,
            None,
            f"筛选中填报敏感个人信息涉及{_n(sensitive)}人，但数据清单未列出任何敏感个人信息",
            f"Screening reports sensitive PI of {_e(sensitive)} individuals, yet the inventory lists none",
        )
    if sensitive:  # 0 is reported above, once, rather than once per row
        for row in sensitive_rows:
            count = _number(row.get(c.inventory_individuals_column))
            if count is not None and count > sensitive:
                yield _finding(
                    c.inventory,
                    c.inventory,
                    None,
                    None,
                    f"数据清单中“{_name(bank, row)}”涉及{_n(count)}人，"
                    f"超过筛选中填报的敏感个人信息人数{_n(sensitive)}人；筛选可能少报，出境路径可能因此判断有误",
                    f"Inventory item “{_name(bank, row)}” concerns {_e(count)} individuals, more than the "
                    f"{_e(sensitive)} with sensitive PI reported in screening; screening may under-count and "
                    "the route may be wrong",
                    "high",
                )
    if non_sensitive is None or sensitive is None:
        return
    total = non_sensitive + sensitive
    for row in rows:
        count = _number(row.get(c.inventory_individuals_column))
        if count is not None and count > total:
            yield _finding(
                c.inventory,
                c.inventory,
                None,
                None,
                f"数据清单中“{_name(bank, row)}”涉及{_n(count)}人，超过筛选中填报的出境总人数{_n(total)}人；"
                "筛选可能少报，出境路径可能因此判断有误",
                f"Inventory item “{_name(bank, row)}” concerns {_e(count)} individuals, more than the "
                f"{_e(total)} reported in screening; screening may under-count and the route may be wrong",
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
                f"境外接收方“{name.zh}”接收{_n(count)}人的个人信息，超过筛选中填报的出境总人数{_n(total)}人；"
                "筛选可能少报，出境路径可能因此判断有误",
                f"Overseas recipient “{name.en}” receives PI of {_e(count)} individuals, more than the "
                f"{_e(total)} reported in screening; screening may under-count and the route may be wrong",
                "high",
            )
        received = _received(state, params, item)
        if sensitive == 0 and any(v in impact.sensitive for v in received):
            yield _finding(
                impact.categories_question,
                f"{params.scenario_group}[{item}].{impact.categories_question}",
                item,
                name,
                f"境外接收方“{name.zh}”接收敏感个人信息，但筛选中填报的敏感个人信息人数为0；出境路径可能因此判断有误",
                f"Overseas recipient “{name.en}” receives sensitive PI, yet screening reports 0 such individuals; "
                "the route may be wrong as a result",
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
                f"境外接收方“{name.zh}”接收{shown.zh}，但数据清单未列出该类敏感个人信息",
                f"Overseas recipient “{name.en}” receives {shown.en}, yet the inventory lists no such item",
            )
    if any(True for _ in _recipients(bank, state, params)):
        for value in sorted(v for v in listed - received_by_any if isinstance(v, str)):
            shown = labels.get(value) or Localized(zh=value, en=value)
            yield _finding(
                c.inventory,
                c.inventory,
                None,
                None,
                f"数据清单列有{shown.zh}，但没有境外接收方被填报为接收该类敏感个人信息",
                f"The inventory lists {shown.en}, yet no overseas recipient is recorded as receiving it",
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
            "填报出境数据不含不满十四周岁未成年人的个人信息，但数据清单或境外接收方信息中列有该类信息",
            "The answers say no personal information of minors under 14 is transferred, yet the inventory or a "
            "recipient lists it",
            "high",
        )
    if minors is True and not in_data:
        yield _finding(
            c.minors_question,
            c.minors_question,
            None,
            None,
            "填报出境数据包含不满十四周岁未成年人的个人信息，但数据清单和境外接收方信息均未列出该类信息",
            "The answers say personal information of minors under 14 is transferred, yet neither the inventory "
            "nor any recipient lists it",
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
        # Only a name the answers give can be looked for in the inventory (not "境外接收方 2").
        given = state.values.get(f"{params.scenario_group}[{item}].{title}")
        if _plain(given) and _plain(given) not in named:
            yield _finding(
                title,
                f"{params.scenario_group}[{item}].{title}",
                item,
                name,
                f"境外接收方“{name.zh}”未出现在数据清单的“境外接收方”列中，无法确认其接收哪些数据项",
                f"Overseas recipient “{name.en}” is not named in the inventory's recipients column, so which items it "
                "receives cannot be confirmed",
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
            Localized(
                zh="筛查中回答拟出境数据包含重要数据，却将数据出境安全评估标为“不需要：全部出境属于免予情形”。"
                "任何免予情形都不适用于重要数据（《促进和规范数据跨境流动规定》第三条、第四条、第五条、第七条；"
                "《网络数据安全管理条例》第三十七条），向境外提供重要数据应当通过数据出境安全评估。",
                en="Screening says important data is transferred, yet the security assessment is marked 'not "
                "required: every transfer is exempt'. No exemption reaches important data (Provisions Arts 3, 4, "
                "5 and 7; NDSR Art. 37): providing important data abroad needs a security assessment.",
            ),
            Localized(
                zh="更正安全评估状态；在通过数据出境安全评估之前，不得向境外提供重要数据。",
                en="Correct the security assessment status, and provide no important data abroad until a security "
                "assessment is passed.",
            ),
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
    law = (
        ("《个人信息保护法》第四十条和《促进和规范数据跨境流动规定》第七条第（一）项：关键信息基础设施运营者向境外提供"
         "个人信息，除免予情形涵盖的以外，应当通过数据出境安全评估",
         "PIPL Art. 40 and Provisions Art. 7(1): a CIIO providing personal information abroad outside the "
         "exemptions needs a security assessment")
        if facts.ciio else
        ("《促进和规范数据跨境流动规定》第七条、第八条按自当年1月1日起累计出境人数确定应当申报安全评估，"
         "还是订立标准合同或者通过认证",
         "Provisions Arts 7 and 8 set the mechanism by the individuals counted since 1 January")
    )
    zh_route, en_route = recounted.route_label.zh, recounted.route_label.en
    understated = [
        _finding(
            c.non_sensitive_count,
            c.non_sensitive_count,
            None,
            None,
            f"筛选填报的出境人数（个人信息{_n(now.non_sensitive)}人、敏感个人信息{_n(now.sensitive)}人）判断的路径为"
            f"“{screened.route_label.zh}”，但数据清单或境外接收方填报的人数（至少个人信息{_n(implied.non_sensitive)}人、"
            f"敏感个人信息{_n(implied.sensitive)}人）对应的路径为“{zh_route}”。依据{law[0]}。"
            "在核实人数、确定出境路径之前，出境路径未确定，不能得出可以出境的结论。",
            f"The screening counts ({_e(now.non_sensitive)} non-sensitive, {_e(now.sensitive)} sensitive) put the "
            f"transfer on the route “{screened.route_label.en}”, but the inventory's or a recipient's figures (at "
            f"least {_e(implied.non_sensitive)} non-sensitive, {_e(implied.sensitive)} sensitive) need "
            f"“{en_route}”. {law[1]}. Until the counts are reconciled the route is not settled, so the "
            "transfer cannot be concluded to proceed.",
            "high",
            Localized(
                zh="核实并更正筛选人数，或者在数据清单和境外接收方信息中更正人数、注明属于免予情形的数据项，"
                "然后按更正后的人数重新判断出境路径并重新评估。",
                en="Check and correct the screening counts, or correct the inventory and recipient figures and note "
                "the items an exemption covers; then decide the route again on the corrected counts and re-assess.",
            ),
        )
    ]
    return [replace(finding, blocking=True) for finding in understated]
