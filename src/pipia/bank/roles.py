"""Checks of a bank's ``roles:`` block, the questions the code reads (see ``bank.Roles``).

``check(bank)`` yields ``(path, message, zh)`` for every role that names no question, a question of the
wrong type or place, an option or column the question lacks, or option values the code cannot read
(an exemption the route rules do not know). It also checks ``{route: ...}`` conditions: the route is
decided from the screening questions, so a condition may test it only on a question asked after all of
them (a screening question's visibility never depends on the route: no cycle), and only in ``show_if``.
The loader turns paths into ``file:line`` in the file that set the entry, a derived bank's included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, get_args

from pipia.bank.conditions import Condition, reads_route
from pipia.bank.format import SCREENING_ROLES, Bank, Question, Roles

# The values the route check knows, which a bank's screening options must use: the exemptions of the
# Provisions (Arts 5-6) and the regions of the Greater Bay Area contract. They live here, with the contract
# between a bank and the code, so the route check (above the bank in the layering) reads them from the bank's
# side and never the other way round.
ExemptionId = Literal[
    "contract_necessity",
    "hr_management",
    "emergency",
    "foreign_collected",
    "no_personal_information",
    "ftz_negative_list",
]
EXEMPTIONS: tuple[str, ...] = get_args(ExemptionId)
GbaRegion = Literal["hong_kong", "macao"]

Steps = list[int | str]
Found = tuple[Steps, str, str]

# role -> (accepted types, inside a repeat group?)
EXPECTED: dict[str, tuple[tuple[str, ...], bool]] = {
    "ciio": (("yes_no",), False),
    "important_data": (("yes_no",), False),
    "exemptions": (("multiple_choice",), False),
    "non_sensitive_count": (("number",), False),
    "sensitive_count": (("number",), False),
    "overseas_processor": (("yes_no",), False),
    "greater_bay_area": (("multiple_choice",), False),
    "expected_non_sensitive": (("number",), False),
    "expected_sensitive": (("number",), False),
    "contract_effective_date": (("date",), False),
    "contract_filing_date": (("date",), False),
    "certificate_issue_date": (("date",), False),
    "security_assessment_pass_date": (("date",), False),
    "security_assessment_status": (("single_choice",), False),
    "processor_name": (("text", "long_text"), False),
    "approver": (("text", "long_text"), False),
    "inventory": (("table",), False),
    "country": (("single_choice",), True),
}
# option role -> the role of the question it is an option of
OPTIONS = {
    "exemptions_none": "exemptions",
    "greater_bay_area_none": "greater_bay_area",
    "security_assessment_exempt": "security_assessment_status",
    "country_other": "country",
}
# column role -> (the role of its table, accepted column types)
COLUMNS = {"inventory_item": ("inventory", ("text", "long_text"))}

TYPE_ZH = {"yes_no": "是/否题", "number": "数字题", "multiple_choice": "多选题", "single_choice": "单选题",
           "date": "日期题", "text": "文本题", "long_text": "长文本题", "table": "表格题"}
TYPE_EN = {"yes_no": "yes/no", "multiple_choice": "multiple-choice", "single_choice": "single-choice",
           "long_text": "long text"}


def expected(role: str) -> tuple[str, str]:
    """What ``role`` must name, in English and Chinese: ``a yes/no question outside repeat groups``."""
    types, grouped = EXPECTED[role]
    en = " or ".join(TYPE_EN.get(t, t) for t in types)
    zh = "或".join(TYPE_ZH[t] for t in types)
    where_en, where_zh = (("in a repeat group", "（在重复部分中）") if grouped
                          else ("outside repeat groups", "（不在重复部分中）"))
    return f"a {en} question {where_en}", f"{zh}{where_zh}"


def check(bank: Bank) -> Iterator[Found]:
    """Every problem of ``bank.roles`` and of the bank's ``{route: ...}`` conditions."""
    roles = bank.roles
    for role in EXPECTED:
        qid = getattr(roles, role)
        if qid is not None:
            yield from _question(bank, role, qid)
    for role, of in OPTIONS.items():
        value, question = getattr(roles, role), _named(bank, getattr(roles, of))
        if value is None:
            continue
        if getattr(roles, of) is None:
            yield (["roles", role], f"an option of roles.{of}, which names no question (expected roles.{of} too)",
                   f"这是 roles.{of} 的选项，但 roles.{of} 未指定问题（应同时指定 roles.{of}）")
        elif question is not None and question.option(value) is None:
            listed = sorted(o.value for o in question.options)
            yield (["roles", role], f"{value!r} is not an option of {question.id!r} (expected one of {listed})",
                   f"{value!r} 不是 {question.id!r} 的选项（应为 {listed} 之一）")
    for role, (table_role, types) in COLUMNS.items():
        column_id, table = getattr(roles, role), _named(bank, getattr(roles, table_role))
        if column_id is None or table is None or table.type != "table":
            continue
        column = next((c for c in table.columns if c.id == column_id), None)
        if column is None or column.type not in types:
            kind = " or ".join(TYPE_EN.get(t, t) for t in types)
            yield (["roles", role], f"{column_id!r} is not a {kind} column of {table.id!r}",
                   f"{column_id!r} 不是 {table.id!r} 的{'或'.join(TYPE_ZH[t] for t in types)}列")
    yield from _option_values(bank, roles)
    yield from _same_as_consistency(bank, roles)
    yield from _route_conditions(bank)


def _same_as_consistency(bank: Bank, roles: Roles) -> Iterator[Found]:
    """``scoring.consistency`` names the counts and the inventory again: a rename must change both."""
    c = bank.scoring.consistency if bank.scoring is not None else None
    if c is None:
        return
    for key, role in (("non_sensitive_count", "non_sensitive_count"), ("sensitive_count", "sensitive_count"),
                      ("inventory", "inventory")):
        named, declared = getattr(c, key), getattr(roles, role)
        if declared is not None and named != declared:
            yield (["roles", role], f"{declared!r} is not scoring.consistency.{key} {named!r} (expected the same "
                   "question: the cross-checks and the rest of pipia must read the same answers)",
                   f"{declared!r} 与 scoring.consistency.{key} {named!r} 不同"
                   "（应为同一问题：交叉核对与其他功能须读取同一答案）")


def _named(bank: Bank, qid: str | None) -> Question | None:
    return bank.questions.get(qid) if qid is not None else None


def _question(bank: Bank, role: str, qid: str) -> Iterator[Found]:
    want_en, want_zh = expected(role)
    question = bank.questions.get(qid)
    types, grouped = EXPECTED[role]
    if question is None:
        yield (["roles", role], f"no question {qid!r} in the bank (expected {want_en})",
               f"题库中没有问题 {qid!r}（应为{want_zh}）")
    elif question.type not in types or (bank.group_of(qid) is not None) != grouped:
        place_en = "" if question.type not in types else (" in a repeat group" if not grouped else " outside them")
        yield (["roles", role], f"{qid!r} is a {question.type} question{place_en} (expected {want_en})",
               f"{qid!r} 是{TYPE_ZH[question.type]}（应为{want_zh}）")


def _option_values(bank: Bank, roles: Roles) -> Iterator[Found]:
    """Options the route check turns into facts must be values it knows."""
    regions = get_args(GbaRegion)
    for role, known, none_role in (("exemptions", EXEMPTIONS, "exemptions_none"),
                                   ("greater_bay_area", regions, "greater_bay_area_none")):
        question = _named(bank, getattr(roles, role))
        if question is None or question.type != "multiple_choice":
            continue
        none = getattr(roles, none_role)
        if none is not None and question.option(none) is None:
            continue  # reported at the option's role
        allowed = {*known, none}
        for value in (o.value for o in question.options if o.value not in allowed):
            yield (["roles", role], f"option {value!r} of {question.id!r} is not one the route check knows "
                   f"(expected {', '.join(known)} or roles.{none_role})",
                   f"{question.id!r} 的选项 {value!r} 不是路径核查可识别的值"
                   f"（应为 {', '.join(known)} 或 roles.{none_role}）")


def _route_conditions(bank: Bank) -> Iterator[Found]:
    """``{route: ...}`` only in show_if, and only after every question the route check reads."""
    # The route a condition tests is decided from the screening facts alone (pathway.decided_route).
    named = (getattr(bank.roles, role) for role in SCREENING_ROLES)
    reads = [q for q in named if q is not None and q in bank.questions]
    last = max(reads, key=bank.order.__getitem__, default=None)
    for si, section in enumerate(bank.sections):
        for qi, question in enumerate(section.questions):
            at: Steps = ["sections", si, "questions", qi]
            if question.show_if is not None and reads_route(question.show_if):
                if last is None:
                    yield ([*at, "show_if"], "tests the route, but the bank names no screening questions in roles "
                           "(expected roles.ciio, roles.exemptions, ...)",
                           "条件使用了出境路径，但题库未在 roles 中指定筛查问题"
                           "（应指定 roles.ciio、roles.exemptions 等）")
                elif bank.order[question.id] <= bank.order[last]:
                    yield ([*at, "show_if"], f"tests the route, which is decided from screening questions up to "
                           f"{last!r}, asked after or by this one (expected {{route: ...}} only on later questions)",
                           f"条件使用了出境路径，而路径由截至 {last!r} 的筛查问题决定，该问题不在此题之前"
                           "（{route: ...} 只能用于其后的问题）")
            for oi, option in enumerate(question.options):
                yield from _not_here(option.blocking_if, [*at, "options", oi, "blocking_if"])
    if bank.scoring is not None:
        yield from _not_here(bank.scoring.conclusion.ongoing_if, ["scoring", "conclusion", "ongoing_if"])
        if bank.scoring.consistency is not None:
            for ri, rule in enumerate(bank.scoring.consistency.rules):
                yield from _not_here(rule.when, ["scoring", "consistency", "rules", ri, "when"])


def _not_here(cond: Condition | None, at: Steps) -> Iterator[Found]:
    if cond is not None and reads_route(cond):
        yield (at, "the route can be tested in show_if only (expected a condition on answers here)",
               "出境路径只能用于 show_if（此处应为对答案的条件）")
