"""Checks of a bank's ``roles:`` block, the questions the code reads (see ``bank.Roles``).

``check(bank)`` yields ``(path, message)``, the message a catalogue text, for every role that names no
question, a question of the wrong type or place, an option or column the question lacks, or option values
the code cannot read (an exemption the route rules do not know). It also checks ``{route: ...}``
conditions: the route is decided from the screening questions, so a condition may test it only on a
question asked after all of them (a screening question's visibility never depends on the route: no
cycle), and only in ``show_if``.
The loader turns paths into ``file:line`` in the file that set the entry, a derived bank's included.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, get_args

from pipia.bank.conditions import Condition, reads_route
from pipia.bank.format import SCREENING_ROLES, Bank, Question, Roles
from pipia.i18n import Message, msg

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
Found = tuple[Steps, Message]

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

# What each question type is called in a message.
TYPE_NAMES = {"yes_no": msg("question_type_yes_no"), "number": msg("question_type_number"),
              "multiple_choice": msg("question_type_multiple_choice"),
              "single_choice": msg("question_type_single_choice"), "date": msg("question_type_date"),
              "text": msg("question_type_text"), "long_text": msg("question_type_long_text"),
              "table": msg("question_type_table")}


def _types(types: tuple[str, ...]) -> Message:
    # At most two types are accepted for one role (text or long text).
    if len(types) == 1:
        return TYPE_NAMES[types[0]]
    return msg("roles_types_either", first=TYPE_NAMES[types[0]], second=TYPE_NAMES[types[1]])


def expected(role: str) -> Message:
    """What ``role`` must name: ``a yes/no question outside repeat groups``."""
    types, grouped = EXPECTED[role]
    if grouped:
        return msg("roles_expected_grouped", types=_types(types))
    return msg("roles_expected_ungrouped", types=_types(types))


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
            yield (["roles", role], msg("roles_option_without_question", of=of))
        elif question is not None and question.option(value) is None:
            listed = sorted(o.value for o in question.options)
            yield (["roles", role], msg("roles_not_an_option", value=repr(value), question=repr(question.id),
                                        listed=str(listed)))
    for role, (table_role, types) in COLUMNS.items():
        column_id, table = getattr(roles, role), _named(bank, getattr(roles, table_role))
        if column_id is None or table is None or table.type != "table":
            continue
        column = next((c for c in table.columns if c.id == column_id), None)
        if column is None or column.type not in types:
            yield (["roles", role], msg("roles_not_a_column", column=repr(column_id), types=_types(types),
                                        table=repr(table.id)))
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
            yield (["roles", role], msg("roles_not_consistency", declared=repr(declared), key=key,
                                        named=repr(named)))


def _named(bank: Bank, qid: str | None) -> Question | None:
    return bank.questions.get(qid) if qid is not None else None


def _question(bank: Bank, role: str, qid: str) -> Iterator[Found]:
    want = expected(role)
    question = bank.questions.get(qid)
    types, grouped = EXPECTED[role]
    if question is None:
        yield (["roles", role], msg("roles_no_question", question=repr(qid), expected=want))
    elif question.type not in types or (bank.group_of(qid) is not None) != grouped:
        kind = TYPE_NAMES[question.type]
        if question.type not in types:
            said = msg("roles_wrong_type", question=repr(qid), type=kind, expected=want)
        elif grouped:
            said = msg("roles_outside_groups", question=repr(qid), type=kind, expected=want)
        else:
            said = msg("roles_in_a_group", question=repr(qid), type=kind, expected=want)
        yield (["roles", role], said)


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
            yield (["roles", role], msg("roles_option_unknown", value=repr(value), question=repr(question.id),
                                        known=", ".join(known), none=none_role))


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
                    yield ([*at, "show_if"], msg("roles_route_without_screening"))
                elif bank.order[question.id] <= bank.order[last]:
                    yield ([*at, "show_if"], msg("roles_route_too_early", last=repr(last)))
            for oi, option in enumerate(question.options):
                yield from _not_here(option.blocking_if, [*at, "options", oi, "blocking_if"])
    if bank.scoring is not None:
        yield from _not_here(bank.scoring.conclusion.ongoing_if, ["scoring", "conclusion", "ongoing_if"])
        if bank.scoring.consistency is not None:
            for ri, rule in enumerate(bank.scoring.consistency.rules):
                yield from _not_here(rule.when, ["scoring", "consistency", "rules", ri, "when"])


def _not_here(cond: Condition | None, at: Steps) -> Iterator[Found]:
    if cond is not None and reads_route(cond):
        yield (at, msg("roles_route_not_here"))
