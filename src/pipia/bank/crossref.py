"""The cross-reference pass over a validated bank: what a schema alone cannot check.

Unknown and duplicate ids, citations that point nowhere, conditions on unknown or later questions,
options that reveal a gap without saying what to do about it, scoring parameters that name the wrong
questions. Each check yields ``(path, message, severity)``; the loader turns paths into file:line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from pipia.bank.conditions import Compare, Condition
from pipia.bank.format import CHOICE_TYPES, Bank, ConsistencyParams, Question, RectificationParams, Section
from pipia.bank.library import DestinationLibrary, SourceRegistry

Steps = list[int | str]
Found = tuple[Steps, str, Literal["error", "warning"]]


def check(bank: Bank, sources: SourceRegistry, destinations: DestinationLibrary | None) -> Iterator[Found]:
    """The cross-reference problems of a bank as (path steps, message, level 'error'/'warning'): duplicate ids, unknown
    repeat groups, dimensions, coverage items, citations not in ``sources`` and destination questions not in
    ``destinations``.
    """
    yield from _unique_ids(bank)
    groups = {g.id for g in bank.repeat_groups}
    dimensions = {d.id for d in bank.dimensions}
    coverage = {c.id for c in bank.coverage}
    order = bank.order
    for ci, coverage_item in enumerate(bank.coverage):
        yield from _citations(coverage_item.cites, ["coverage", ci, "cites"], sources)
    for si, section in enumerate(bank.sections):
        at: Steps = ["sections", si]
        if not section.questions:
            yield [*at, "questions"], "a section needs at least one question", "error"
        if section.repeat is not None and section.repeat not in groups:
            yield (
                [*at, "repeat"],
                f"unknown repeat group {section.repeat!r} (expected one of {sorted(groups)})",
                "error",
            )
        if section.destination_from is not None:
            yield from _destination(bank, section, section.destination_from, [*at, "destination_from"], destinations)
        for qi, question in enumerate(section.questions):
            qat: Steps = [*at, "questions", qi]
            yield from _question_shape(question, qat)
            yield from _citations(question.cites, [*qat, "cites"], sources)
            for k, item in enumerate(question.covers):
                if item not in coverage:
                    yield (
                        [*qat, "covers", k],
                        f"unknown coverage item {item!r} (expected an id under 'coverage')",
                        "error",
                    )
            if question.dimension is not None and question.dimension not in dimensions:
                yield (
                    [*qat, "dimension"],
                    f"unknown dimension {question.dimension!r} (expected one of {sorted(dimensions)})",
                    "error",
                )
            if question.dimension is None and question.max_risk > 0:
                yield [*qat], "options carry risk but the question names no 'dimension' to score it in", "error"
            if question.show_if is not None:
                yield from _condition(bank, question, question.show_if, [*qat, "show_if"], order)
            for oi, option in enumerate(question.options):
                if option.blocking_if is not None:
                    yield from _reads(bank, option.blocking_if, [*qat, "options", oi, "blocking_if"])
                    if option.blocking:
                        yield (
                            [*qat, "options", oi, "blocking_if"],
                            "'blocking: true' already blocks always; drop one of blocking and blocking_if",
                            "error",
                        )
    for gi, group in enumerate(bank.repeat_groups):
        title = bank.questions.get(group.title_question)
        if title is None or bank.group_of(title.id) != group.id:
            yield (
                ["repeat_groups", gi, "title_question"],
                f"{group.title_question!r} is not a question in this group",
                "error",
            )
        if group.min_items > group.max_items:
            yield ["repeat_groups", gi], "min_items is larger than max_items", "error"
    if bank.scoring is not None:
        yield from _scoring(bank)


def check_library(library: Any) -> Iterator[Found]:
    """The problems of a source registry or destination library as (path steps, message, level): duplicate ids, and a
    source in force before it was issued.
    """
    if isinstance(library, SourceRegistry):
        yield from _duplicates([s.id for s in library.sources], ["sources"], "source id")
        for i, source in enumerate(library.sources):
            yield from _duplicates([a.id for a in source.articles], ["sources", i, "articles"], "article id")
            if source.issued and source.effective and source.effective < source.issued:
                yield (
                    ["sources", i, "effective"],
                    "in force before it was issued (expected effective ≥ issued)",
                    "error",
                )
    elif isinstance(library, DestinationLibrary):
        yield from _duplicates([d.id for d in library.destinations], ["destinations"], "destination id")


def stale_profiles(library: DestinationLibrary, today: dt.date) -> Iterator[tuple[Steps, str]]:
    """Destination profiles whose facts were last checked more than 12 months before ``today``."""
    for i, profile in enumerate(library.destinations):
        if profile.stale_at(today):
            yield (
                ["destinations", i, "as_of"],
                f"{profile.id}: facts last checked on {profile.as_of.isoformat()}, more than 12 months ago "
                "(expected a re-check of each fact and a new as_of date)",
            )


def _unique_ids(bank: Bank) -> Iterator[Found]:
    yield from _duplicates([s.id for s in bank.sections], ["sections"], "section id")
    yield from _duplicates([d.id for d in bank.dimensions], ["dimensions"], "dimension id")
    yield from _duplicates([g.id for g in bank.repeat_groups], ["repeat_groups"], "repeat group id")
    yield from _duplicates([c.id for c in bank.coverage], ["coverage"], "coverage id")
    seen: dict[str, str] = {}
    for si, section in enumerate(bank.sections):
        for qi, question in enumerate(section.questions):
            if question.id in seen:
                yield (
                    ["sections", si, "questions", qi, "id"],
                    f"duplicate question id {question.id!r} "
                    f"(first in section {seen[question.id]!r}; ids are unique in a bank)",
                    "error",
                )
            seen.setdefault(question.id, section.id)
            if question.id in {g.id for g in bank.repeat_groups}:
                yield ["sections", si, "questions", qi, "id"], "a question id may not equal a repeat group id", "error"
            at: Steps = ["sections", si, "questions", qi]
            yield from _duplicates([o.value for o in question.options], [*at, "options"], "option value", "value")
            yield from _duplicates([c.id for c in question.columns], [*at, "columns"], "column id")
            for ci, column in enumerate(question.columns):
                yield from _duplicates(
                    [o.value for o in column.options], [*at, "columns", ci, "options"], "option value", "value"
                )


def _duplicates(ids: list[str], at: Steps, what: str, key: str = "id") -> Iterator[Found]:
    first: dict[str, int] = {}
    for i, item in enumerate(ids):
        if item in first:
            yield [*at, i, key], f"duplicate {what} {item!r} (also at index {first[item]}; expected unique)", "error"
        first.setdefault(item, i)


def _question_shape(q: Question, at: Steps) -> Iterator[Found]:
    if q.type in CHOICE_TYPES:
        if q.type == "yes_no" and sorted(o.value for o in q.options) != ["no", "yes"]:
            yield [*at, "options"], "a yes/no question has exactly the options 'yes' and 'no'", "error"
        elif len(q.options) < 2:
            yield [*at, "options"], f"a {q.type} question needs at least two options", "error"
    elif q.options:
        yield [*at, "options"], f"a {q.type} question has no options (only choice questions do)", "error"
    if q.type == "table":
        if not q.columns:
            yield [*at, "columns"], "a table question needs columns", "error"
        for ci, column in enumerate(q.columns):
            if column.type in CHOICE_TYPES and column.type != "yes_no" and len(column.options) < 2:
                yield [*at, "columns", ci, "options"], "a choice column needs at least two options", "error"
            if column.type != "number" and (column.minimum is not None or column.maximum is not None or column.integer):
                yield [*at, "columns", ci, "type"], "minimum, maximum and integer apply to number columns only", "error"
            if column.type not in CHOICE_TYPES and column.options:
                yield [*at, "columns", ci, "options"], f"a {column.type} column has no options", "error"
    elif q.columns:
        yield [*at, "columns"], "only table questions have columns", "error"
    if q.type != "number" and (q.minimum is not None or q.maximum is not None or q.integer or q.unit):
        yield [*at, "type"], "minimum, maximum, integer and unit apply to number questions only", "error"
    if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
        yield [*at, "minimum"], "minimum is larger than maximum", "error"
    for oi, option in enumerate(q.options):
        if option.risk > 0 or option.blocking or option.blocking_if is not None:
            missing = [k for k in ("finding", "action") if getattr(option, k) is None]
            if missing:
                yield (
                    [*at, "options", oi],
                    f"this answer reveals a gap but has no {' or '.join(missing)} (expected both, zh and en)",
                    "error",
                )
        if (option.blocking or option.blocking_if is not None) and option.risk == 0:
            yield [*at, "options", oi, "blocking"], "a blocking answer must carry risk > 0", "error"
        if option.exclusive and q.type != "multiple_choice":
            yield [*at, "options", oi, "exclusive"], "'exclusive' applies to multiple choice only", "error"


def _citations(cites: tuple[str, ...], at: Steps, sources: SourceRegistry) -> Iterator[Found]:
    if not cites:
        yield at, "cites no legal source (expected at least one 'source:article' id)", "error"
    for i, cite in enumerate(cites):
        source_id, _, article = cite.partition(":")
        source = sources.by_id.get(source_id)
        if source is None:
            yield [*at, i], f"citation {cite!r} points to no source (expected an id in the sources registry)", "error"
        elif article and article not in source.article_ids:
            listed = ", ".join(sorted(source.article_ids)) or "none"
            yield (
                [*at, i],
                f"citation {cite!r}: {source_id} has no article {article!r} in the registry (listed: {listed})",
                "error",
            )


def _condition(bank: Bank, question: Question, cond: Condition, at: Steps, order: dict[str, int]) -> Iterator[Found]:
    for ref in cond.questions():
        if ref not in bank.questions:
            yield at, f"refers to unknown question {ref!r}", "error"
        elif order[ref] >= order[question.id]:
            yield at, f"refers to {ref!r}, which is asked later (conditions may only read earlier questions)", "error"
        elif bank.group_of(ref) is not None and bank.group_of(ref) != bank.group_of(question.id):
            yield (
                at,
                f"refers to {ref!r} inside repeat group {bank.group_of(ref)!r}, which this question is not in",
                "error",
            )
    yield from _value_mismatches(bank, cond, at)


def _reads(bank: Bank, cond: Condition, at: Steps) -> Iterator[Found]:
    """A condition read after every answer is in (blocking_if, scoring): any question, in any order."""
    for ref in cond.questions():
        if ref not in bank.questions:
            yield at, f"refers to unknown question {ref!r}", "error"
    # Unknown ids were reported above; group_of is only defined for the bank's own questions.
    groups = {g for ref in cond.questions() if ref in bank.questions if (g := bank.group_of(ref)) is not None}
    if len(groups) > 1:
        yield at, f"reads questions of several repeat groups ({sorted(groups)}); expected at most one", "error"
    yield from _value_mismatches(bank, cond, at)


def _value_mismatches(bank: Bank, cond: Condition, at: Steps) -> Iterator[Found]:
    """Each comparison of the condition with a value its question cannot hold (an option it lacks...)."""
    for compare in _compares(cond):
        target = bank.questions.get(compare.question)
        if target is not None:
            message = _value_mismatch(target, compare)
            if message:
                yield at, message, "error"


def _compares(cond: Condition) -> Iterator[Compare]:
    if isinstance(cond, Compare):
        yield cond
    for part in getattr(cond, "parts", ()):
        yield from _compares(part)
    if hasattr(cond, "part"):
        yield from _compares(cond.part)


def _value_mismatch(target: Question, compare: Compare) -> str | None:
    if compare.op == "answered":
        return None
    values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
    if target.type in ("single_choice", "multiple_choice"):
        allowed = {o.value for o in target.options}
        bad = [v for v in values if v not in allowed]
        if bad:
            return f"{bad[0]!r} is not an option of {target.id!r} (expected one of {sorted(allowed)})"
    elif target.type == "yes_no":
        if any(v not in (True, False, "yes", "no") for v in values):
            return f"{target.id!r} is a yes/no question (expected yes or no)"
    elif target.type == "number":
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
            return f"{target.id!r} is a number question (expected a number)"
    elif target.type == "date":
        if any(not isinstance(v, dt.date) for v in values):
            return f"{target.id!r} is a date question (expected a date such as 2026-01-01)"
    elif target.type == "table":
        return f"{target.id!r} is a table; only 'answered' applies to it"
    if compare.op in ("gt", "gte", "lt", "lte") and target.type not in ("number", "date"):
        return f"'{compare.op}' compares numbers or dates, but {target.id!r} is {target.type}"
    if compare.op == "contains" and target.type not in ("multiple_choice", "text", "long_text"):
        return f"'contains' applies to multiple choice and text, but {target.id!r} is {target.type}"
    return None


def _destination(
    bank: Bank, section: Section, qid: str, at: Steps, destinations: DestinationLibrary | None
) -> Iterator[Found]:
    question = bank.questions.get(qid)
    if question is None or question.type != "single_choice":
        yield at, f"{qid!r} is not a single-choice question (expected the country/region question)", "error"
        return
    if bank.order[qid] > bank.order[section.questions[-1].id]:
        yield at, f"{qid!r} comes after this section (expected it in or before the section)", "error"
    if destinations is None:
        yield at, "the bank names no 'destinations' library to take profiles from", "error"
        return
    for option in question.options:  # roles.country_other: a country or region no profile describes
        if option.value not in destinations.by_id and option.value != bank.roles.country_other:
            yield at, f"option {option.value!r} of {qid!r} has no destination profile", "warning"


def _scoring(bank: Bank) -> Iterator[Found]:
    params = bank.scoring
    assert params is not None
    at: Steps = ["scoring"]
    if params.scenario_group not in bank.groups:
        yield [*at, "scenario_group"], f"unknown repeat group {params.scenario_group!r}", "error"
    if params.conclusion.ongoing_if is not None:
        yield from _reads(bank, params.conclusion.ongoing_if, [*at, "conclusion", "ongoing_if"])
    if not params.severity.medium <= params.severity.high:
        yield [*at, "severity"], "thresholds must rise: medium ≤ high", "error"
    lk = params.likelihood
    if not lk.medium <= lk.high <= lk.very_high:
        yield [*at, "likelihood"], "thresholds must rise: medium ≤ high ≤ very_high", "error"
    impact = params.impact
    categories = bank.questions.get(impact.categories_question)
    if categories is None or categories.type != "multiple_choice":
        yield (
            [*at, "impact", "categories_question"],
            f"{impact.categories_question!r} is not a multiple-choice question",
            "error",
        )
    else:
        values = {o.value for o in categories.options}
        for key in (*impact.levels, *impact.vulnerable, *impact.sensitive):
            if key not in values:
                yield [*at, "impact"], f"{key!r} is not an option of {categories.id!r}", "error"
    scale = bank.questions.get(impact.scale_question)
    if scale is None or scale.type != "number":
        yield [*at, "impact", "scale_question"], f"{impact.scale_question!r} is not a number question", "error"
    if impact.deidentified_question is not None:
        deid = bank.questions.get(impact.deidentified_question)
        if deid is None:
            yield (
                [*at, "impact", "deidentified_question"],
                f"unknown question {impact.deidentified_question!r}",
                "error",
            )
        else:
            values = {o.value for o in deid.options}
            for value in impact.deidentified_values:
                if value not in values:
                    yield [*at, "impact", "deidentified_values"], f"{value!r} is not an option of {deid.id!r}", "error"
    if params.consistency is not None:
        yield from _consistency(bank, params.consistency)
    if params.rectification is not None:
        yield from _rectification(bank, params.rectification)


def _rectification(bank: Bank, r: RectificationParams) -> Iterator[Found]:
    at: Steps = ["scoring", "rectification"]
    table = bank.questions.get(r.table)
    if table is None or table.type != "table" or bank.group_of(table.id) is not None:
        yield [*at, "table"], f"{r.table!r} is not a table question outside repeat groups", "error"
        return
    columns = {c.id: c for c in table.columns}
    expected = {
        "finding_column": ("text",),
        "status_column": ("single_choice",),
        "owner_column": ("text",),
        "due_column": ("date",),
        "evidence_column": ("text", "long_text"),
    }
    for key, types in expected.items():
        column_id = getattr(r, key)
        if column_id is not None and (column_id not in columns or columns[column_id].type not in types):
            yield [*at, key], f"{column_id!r} is not a {' or '.join(types)} column of {r.table!r}", "error"
    status = columns.get(r.status_column)
    if status is not None:
        for value in r.done:
            if value not in {o.value for o in status.options}:
                yield [*at, "done"], f"{value!r} is not an option of column {r.status_column!r}", "error"


def _consistency(bank: Bank, c: ConsistencyParams) -> Iterator[Found]:
    at: Steps = ["scoring", "consistency"]
    for ri, rule in enumerate(c.rules):
        if rule.question not in bank.questions:
            yield [*at, "rules", ri, "question"], f"unknown question {rule.question!r}", "error"
        yield from _reads(bank, rule.when, [*at, "rules", ri, "when"])
    yield from _duplicates([r.id for r in c.rules], [*at, "rules"], "rule id")
    if c.minors_question is not None:
        minors = bank.questions.get(c.minors_question)
        if minors is None or minors.type != "yes_no":
            yield [*at, "minors_question"], f"{c.minors_question!r} is not a yes/no question", "error"
    for key in ("non_sensitive_count", "sensitive_count"):
        question = bank.questions.get(getattr(c, key))
        if question is None or question.type != "number":
            yield [*at, key], f"{getattr(c, key)!r} is not a number question", "error"
    inventory = bank.questions.get(c.inventory)
    if inventory is None or inventory.type != "table":
        yield [*at, "inventory"], f"{c.inventory!r} is not a table question", "error"
        return
    columns = {col.id: col for col in inventory.columns}
    sensitive = columns.get(c.inventory_sensitive_column)
    if sensitive is None or sensitive.type != "single_choice":
        yield (
            [*at, "inventory_sensitive_column"],
            f"{c.inventory_sensitive_column!r} is not a single-choice column",
            "error",
        )
    elif c.inventory_not_sensitive not in {o.value for o in sensitive.options}:
        yield (
            [*at, "inventory_not_sensitive"],
            f"{c.inventory_not_sensitive!r} is not an option of that column",
            "error",
        )
    if sensitive is not None and bank.scoring is not None:
        known = {o.value for o in sensitive.options}
        for value in (*bank.scoring.impact.sensitive, *([c.minors_category] if c.minors_category else [])):
            if value not in known:
                yield (
                    [*at, "inventory_sensitive_column"],
                    f"{value!r} (a sensitive category of the recipients' question) is not an option of that column "
                    "(expected the same values, so the inventory and recipients can be compared)",
                    "warning",
                )
    if c.inventory_recipients_column is not None:
        named = columns.get(c.inventory_recipients_column)
        if named is None or named.type not in ("text", "long_text"):
            yield (
                [*at, "inventory_recipients_column"],
                f"{c.inventory_recipients_column!r} is not a text column",
                "error",
            )
    individuals = columns.get(c.inventory_individuals_column)
    if individuals is None or individuals.type != "number":
        yield (
            [*at, "inventory_individuals_column"],
            f"{c.inventory_individuals_column!r} is not a number column",
            "error",
        )
