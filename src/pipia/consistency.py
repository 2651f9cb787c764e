"""Answers that contradict each other, reported as findings.

A DPO fills in screening counts, a data inventory and per-recipient details at different times, often
from different people. Where they disagree, the route and the risk levels rest on shaky facts, so the
disagreement itself is a finding. Which questions take part is set in the bank (``scoring.consistency``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import progress
from .bank import Bank, ScoringParams
from .findings import Finding
from .i18n import Localized

ACTION = Localized(
    zh="核对筛选数量、数据清单与各境外接收方的信息，更正不一致之处后重新评估",
    en="Check the screening counts, the data inventory and each recipient's details; correct them and re-assess",
)


def check_consistency(bank: Bank, state: progress.State, params: ScoringParams) -> list[Finding]:
    if params.consistency is None:
        return []
    return list(_checks(bank, state, params))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _finding(question: str, slot: str, item: int | None, recipient: str | None, zh: str, en: str) -> Finding:
    return Finding(
        question, slot, item, recipient, None, "medium", False, Localized(zh=zh, en=en), ACTION, "consistency"
    )


def _checks(bank: Bank, state: progress.State, params: ScoringParams) -> Iterator[Finding]:
    c = params.consistency
    assert c is not None
    non_sensitive = _number(state.values.get(c.non_sensitive_count))
    sensitive = _number(state.values.get(c.sensitive_count))
    rows = state.values.get(c.inventory) or []
    sensitive_rows = [r for r in rows if r.get(c.inventory_sensitive_column) not in (None, c.inventory_not_sensitive)]
    if sensitive == 0 and sensitive_rows:
        names = "、".join(str(r.get("item", "?")) for r in sensitive_rows[:3])
        yield _finding(
            c.sensitive_count,
            c.sensitive_count,
            None,
            None,
            f"筛选中填报的敏感个人信息人数为 0，但数据清单列有敏感个人信息（{names}）",
            f"Screening reports 0 individuals with sensitive PI, yet the inventory lists sensitive items ({names})",
        )
    if sensitive and not sensitive_rows and rows:
        yield _finding(
            c.inventory,
            c.inventory,
            None,
            None,
            f"筛选中填报敏感个人信息涉及 {sensitive:,.0f} 人，但数据清单未列出任何敏感个人信息",
            f"Screening reports sensitive PI of {sensitive:,.0f} individuals, yet the inventory lists none",
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
                    f"数据清单中“{row.get('item', '?')}”涉及 {count:,.0f} 人，"
                    f"超过筛选中填报的敏感个人信息人数 {sensitive:,.0f}",
                    f"Inventory item “{row.get('item', '?')}” concerns {count:,.0f} individuals, more than the "
                    f"{sensitive:,.0f} with sensitive PI reported in screening",
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
                f"数据清单中“{row.get('item', '?')}”涉及 {count:,.0f} 人，超过筛选中填报的出境总人数 {total:,.0f}",
                f"Inventory item “{row.get('item', '?')}” concerns {count:,.0f} individuals, more than the "
                f"{total:,.0f} reported in screening",
            )
    yield from _recipient_checks(bank, state, params, sensitive, total)


def _recipient_checks(
    bank: Bank, state: progress.State, params: ScoringParams, sensitive: float, total: float
) -> Iterator[Finding]:
    group = params.scenario_group
    impact = params.impact
    title = bank.groups[group].title_question
    items = {s.item for s in state.visible if s.group == group}
    for item in sorted(i for i in items if i is not None):
        name = str(state.values.get(f"{group}[{item}].{title}") or f"#{item + 1}")
        count = _number(state.values.get(f"{group}[{item}].{impact.scale_question}"))
        if count is not None and count > total:
            slot = f"{group}[{item}].{impact.scale_question}"
            yield _finding(
                impact.scale_question,
                slot,
                item,
                name,
                f"境外接收方“{name}”接收 {count:,.0f} 人的个人信息，超过筛选中填报的出境总人数 {total:,.0f}",
                f"Overseas recipient “{name}” receives PI of {count:,.0f} individuals, more than the "
                f"{total:,.0f} reported in screening",
            )
        received = state.values.get(f"{group}[{item}].{impact.categories_question}") or []
        if sensitive == 0 and any(c in impact.sensitive for c in received):
            slot = f"{group}[{item}].{impact.categories_question}"
            yield _finding(
                impact.categories_question,
                slot,
                item,
                name,
                f"境外接收方“{name}”接收敏感个人信息，但筛选中填报的敏感个人信息人数为 0",
                f"Overseas recipient “{name}” receives sensitive PI, yet screening reports 0 such individuals",
            )


# The screening answers that cannot both stand: no exemption of Provisions Arts 3-6 reaches important
# data (Arts 3, 4, 5 last para., 7(2); NDSR Art. 37), so "not required: exempt" contradicts "important data".
IMPORTANT_DATA, SA_STATUS, SA_EXEMPT = "important_data", "security_assessment_status", "not_required_exempt"


def check_important_data_not_exempt(state: progress.State) -> list[Finding]:
    """A blocking finding where important data is transferred yet the security assessment is marked exempt.

    Reads the visible answers ``important_data`` (yes/no) and ``security_assessment_status``; [] when
    either is absent, so a bank without them is unaffected. Old answers files may hold the contradiction
    even though the bank now rules it out in the option's label.
    """
    important = state.values.get(IMPORTANT_DATA)
    if important not in (True, "yes") or state.values.get(SA_STATUS) != SA_EXEMPT:
        return []
    return [
        Finding(
            SA_STATUS,
            SA_STATUS,
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
