"""The cross-reference pass over a validated bank: what a schema alone cannot check.

Unknown and duplicate ids, citations that point nowhere, conditions on unknown or later questions,
options that reveal a gap without saying what to do about it, scoring parameters that name the wrong
questions. Each check yields ``(path, message, severity)``, the message a catalogue text (ids quoted as
the bank writes them, the words in either language); the loader turns paths into file:line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pipia.bank.conditions import Compare, Condition
from pipia.bank.format import CHOICE_TYPES, Bank, ConsistencyParams, Question, RectificationParams, Section
from pipia.bank.library import DestinationLibrary, SourceRegistry
from pipia.i18n import Localized, Message, join, msg

Steps = list[int | str]
Found = tuple[Steps, Message, Literal["error", "warning"]]


def _listed(items: Iterable[object], *, quoted: bool = True) -> Message | Localized:
    """Ids in running text as each language lists them ('a', 'b' / 'a'、'b'); "none" when there are none."""
    texts = [repr(i) if quoted else str(i) for i in items]
    if not texts:
        return msg("crossref_none")
    return Localized.of(join("zh", texts), join("en", texts))


def _unknown_group(group: str, groups: Iterable[str]) -> Message:
    known = sorted(groups)
    if not known:
        return msg("crossref_unknown_group_none", group=repr(group))
    return msg("crossref_unknown_group", group=repr(group), known=_listed(known))


def _either(names: Iterable[str]) -> Message | str:
    """One name, or two as "a or b" in the user's language (a check accepts at most two)."""
    first, *rest = names
    return msg("crossref_either", first=first, second=rest[0]) if rest else first


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
            yield [*at, "questions"], msg("crossref_section_no_questions"), "error"
        if section.repeat is not None and section.repeat not in groups:
            yield [*at, "repeat"], _unknown_group(section.repeat, groups), "error"
        if section.destination_from is not None:
            yield from _destination(bank, section, section.destination_from, [*at, "destination_from"], destinations)
        for qi, question in enumerate(section.questions):
            qat: Steps = [*at, "questions", qi]
            yield from _question_shape(question, qat)
            yield from _citations(question.cites, [*qat, "cites"], sources)
            for k, item in enumerate(question.covers):
                if item not in coverage:
                    yield [*qat, "covers", k], msg("crossref_unknown_coverage", item=repr(item)), "error"
            if question.dimension is not None and question.dimension not in dimensions:
                yield [*qat, "dimension"], (
                    msg("crossref_unknown_dimension", dimension=repr(question.dimension),
                        known=_listed(sorted(dimensions))) if dimensions
                    else msg("crossref_unknown_dimension_none", dimension=repr(question.dimension))), "error"
            if question.dimension is None and question.max_risk > 0:
                yield [*qat], msg("crossref_risk_without_dimension"), "error"
            if question.show_if is not None:
                yield from _condition(bank, question, question.show_if, [*qat, "show_if"], order)
            for oi, option in enumerate(question.options):
                if option.blocking_if is not None:
                    yield from _reads(bank, option.blocking_if, [*qat, "options", oi, "blocking_if"])
                    if option.blocking:
                        yield [*qat, "options", oi, "blocking_if"], msg("crossref_blocking_twice"), "error"
    for gi, group in enumerate(bank.repeat_groups):
        title = bank.questions.get(group.title_question)
        if title is None or bank.group_of(title.id) != group.id:
            yield (["repeat_groups", gi, "title_question"],
                   msg("crossref_title_not_in_group", question=repr(group.title_question)), "error")
        if group.min_items > group.max_items:
            yield ["repeat_groups", gi], msg("crossref_min_items_above_max"), "error"
    if bank.scoring is not None:
        yield from _scoring(bank)


def check_library(library: Any) -> Iterator[Found]:
    """The problems of a source registry or destination library as (path steps, message, level): duplicate ids, and a
    source in force before it was issued.
    """
    if isinstance(library, SourceRegistry):
        yield from _duplicates([s.id for s in library.sources], ["sources"], msg("crossref_what_source"))
        for i, source in enumerate(library.sources):
            yield from _duplicates([a.id for a in source.articles], ["sources", i, "articles"],
                                   msg("crossref_what_article"))
            if source.issued and source.effective and source.effective < source.issued:
                yield ["sources", i, "effective"], msg("crossref_effective_before_issued"), "error"
    elif isinstance(library, DestinationLibrary):
        yield from _duplicates([d.id for d in library.destinations], ["destinations"],
                               msg("crossref_what_destination"))


def stale_profiles(library: DestinationLibrary, today: dt.date) -> Iterator[tuple[Steps, Message]]:
    """Destination profiles whose facts were last checked more than 12 months before ``today``."""
    for i, profile in enumerate(library.destinations):
        if profile.stale_at(today):
            yield ["destinations", i, "as_of"], msg("crossref_stale_profile", profile=profile.id,
                                                    day=profile.as_of.isoformat())


def _unique_ids(bank: Bank) -> Iterator[Found]:
    yield from _duplicates([s.id for s in bank.sections], ["sections"], msg("crossref_what_section"))
    yield from _duplicates([d.id for d in bank.dimensions], ["dimensions"], msg("crossref_what_dimension"))
    yield from _duplicates([g.id for g in bank.repeat_groups], ["repeat_groups"], msg("crossref_what_group"))
    yield from _duplicates([c.id for c in bank.coverage], ["coverage"], msg("crossref_what_coverage"))
    seen: dict[str, str] = {}
    for si, section in enumerate(bank.sections):
        for qi, question in enumerate(section.questions):
            if question.id in seen:
                yield (["sections", si, "questions", qi, "id"],
                       msg("crossref_duplicate_question", question=repr(question.id),
                           section=repr(seen[question.id])), "error")
            seen.setdefault(question.id, section.id)
            if question.id in {g.id for g in bank.repeat_groups}:
                yield ["sections", si, "questions", qi, "id"], msg("crossref_question_is_group"), "error"
            at: Steps = ["sections", si, "questions", qi]
            yield from _duplicates([o.value for o in question.options], [*at, "options"], msg("crossref_what_option"),
                                   "value")
            yield from _duplicates([c.id for c in question.columns], [*at, "columns"], msg("crossref_what_column"))
            for ci, column in enumerate(question.columns):
                yield from _duplicates(
                    [o.value for o in column.options], [*at, "columns", ci, "options"], msg("crossref_what_option"),
                    "value"
                )


def _duplicates(ids: list[str], at: Steps, what: Message, key: str = "id") -> Iterator[Found]:
    first: dict[str, int] = {}
    for i, item in enumerate(ids):
        if item in first:
            yield [*at, i, key], msg("crossref_duplicate", what=what, item=repr(item), first=first[item]), "error"
        first.setdefault(item, i)


def _question_shape(q: Question, at: Steps) -> Iterator[Found]:
    if q.type in CHOICE_TYPES:
        if q.type == "yes_no" and sorted(o.value for o in q.options) != ["no", "yes"]:
            yield [*at, "options"], msg("crossref_yes_no_options"), "error"
        elif len(q.options) < 2:
            yield [*at, "options"], msg("crossref_too_few_options", type=q.type), "error"
    elif q.options:
        yield [*at, "options"], msg("crossref_options_not_choice", type=q.type), "error"
    if q.type == "table":
        if not q.columns:
            yield [*at, "columns"], msg("crossref_table_no_columns"), "error"
        for ci, column in enumerate(q.columns):
            if column.type in CHOICE_TYPES and column.type != "yes_no" and len(column.options) < 2:
                yield [*at, "columns", ci, "options"], msg("crossref_column_too_few_options"), "error"
            if column.type != "number" and (column.minimum is not None or column.maximum is not None or column.integer):
                yield [*at, "columns", ci, "type"], msg("crossref_column_bounds_number_only"), "error"
            if column.type not in CHOICE_TYPES and column.options:
                yield [*at, "columns", ci, "options"], msg("crossref_column_options_not_choice", type=column.type), \
                    "error"
    elif q.columns:
        yield [*at, "columns"], msg("crossref_columns_not_table"), "error"
    if q.type != "number" and (q.minimum is not None or q.maximum is not None or q.integer or q.unit):
        yield [*at, "type"], msg("crossref_bounds_number_only"), "error"
    if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
        yield [*at, "minimum"], msg("crossref_minimum_above_maximum"), "error"
    for oi, option in enumerate(q.options):
        if option.risk > 0 or option.blocking or option.blocking_if is not None:
            missing = [k for k in ("finding", "action") if getattr(option, k) is None]
            if missing:
                yield [*at, "options", oi], msg("crossref_gap_without", missing=_either(missing)), "error"
        if (option.blocking or option.blocking_if is not None) and option.risk == 0:
            yield [*at, "options", oi, "blocking"], msg("crossref_blocking_without_risk"), "error"
        if option.exclusive and q.type != "multiple_choice":
            yield [*at, "options", oi, "exclusive"], msg("crossref_exclusive_multiple_only"), "error"


def _citations(cites: tuple[str, ...], at: Steps, sources: SourceRegistry) -> Iterator[Found]:
    if not cites:
        yield at, msg("crossref_no_citation"), "error"
    for i, cite in enumerate(cites):
        source_id, _, article = cite.partition(":")
        source = sources.by_id.get(source_id)
        if source is None:
            yield [*at, i], msg("crossref_citation_no_source", cite=repr(cite)), "error"
        elif article and article not in source.article_ids:
            yield [*at, i], msg("crossref_citation_no_article", cite=repr(cite), source=source_id,
                                article=repr(article),
                                listed=_listed(sorted(source.article_ids), quoted=False)), "error"


def _condition(bank: Bank, question: Question, cond: Condition, at: Steps, order: dict[str, int]) -> Iterator[Found]:
    for ref in cond.questions():
        if ref not in bank.questions:
            yield at, msg("crossref_refers_unknown", question=repr(ref)), "error"
        elif order[ref] >= order[question.id]:
            yield at, msg("crossref_refers_later", question=repr(ref)), "error"
        elif bank.group_of(ref) is not None and bank.group_of(ref) != bank.group_of(question.id):
            yield at, msg("crossref_refers_other_group", question=repr(ref), group=repr(bank.group_of(ref))), "error"
    yield from _value_mismatches(bank, cond, at)


def _reads(bank: Bank, cond: Condition, at: Steps) -> Iterator[Found]:
    """A condition read after every answer is in (blocking_if, scoring): any question, in any order."""
    for ref in cond.questions():
        if ref not in bank.questions:
            yield at, msg("crossref_refers_unknown", question=repr(ref)), "error"
    # Unknown ids were reported above; group_of is only defined for the bank's own questions.
    groups = {g for ref in cond.questions() if ref in bank.questions if (g := bank.group_of(ref)) is not None}
    if len(groups) > 1:
        yield at, msg("crossref_several_groups", groups=_listed(sorted(groups))), "error"
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


def _value_mismatch(target: Question, compare: Compare) -> Message | None:
    if compare.op == "answered":
        return None
    values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
    if target.type in ("single_choice", "multiple_choice"):
        allowed = {o.value for o in target.options}
        bad = [v for v in values if v not in allowed]
        if bad:
            return msg("crossref_not_an_option", value=repr(bad[0]), question=repr(target.id),
                       known=_listed(sorted(allowed)))
    elif target.type == "yes_no":
        if any(v not in (True, False, "yes", "no") for v in values):
            return msg("crossref_compare_yes_no", question=repr(target.id))
    elif target.type == "number":
        if any(isinstance(v, bool) or not isinstance(v, int | float) for v in values):
            return msg("crossref_compare_number", question=repr(target.id))
    elif target.type == "date":
        if any(not isinstance(v, dt.date) for v in values):
            return msg("crossref_compare_date", question=repr(target.id))
    elif target.type == "table":
        return msg("crossref_compare_table", question=repr(target.id))
    if compare.op in ("gt", "gte", "lt", "lte") and target.type not in ("number", "date"):
        return msg("crossref_compare_order", op=repr(compare.op), question=repr(target.id), type=target.type)
    if compare.op == "contains" and target.type not in ("multiple_choice", "text", "long_text"):
        return msg("crossref_compare_contains", question=repr(target.id), type=target.type)
    return None


def _destination(
    bank: Bank, section: Section, qid: str, at: Steps, destinations: DestinationLibrary | None
) -> Iterator[Found]:
    question = bank.questions.get(qid)
    if question is None or question.type != "single_choice":
        yield at, msg("crossref_destination_not_choice", question=repr(qid)), "error"
        return
    if bank.order[qid] > bank.order[section.questions[-1].id]:
        yield at, msg("crossref_destination_later", question=repr(qid)), "error"
    if destinations is None:
        yield at, msg("crossref_no_destinations"), "error"
        return
    for option in question.options:  # roles.country_other: a country or region no profile describes
        if option.value not in destinations.by_id and option.value != bank.roles.country_other:
            yield at, msg("crossref_no_profile", value=repr(option.value), question=repr(qid)), "warning"


def _scoring(bank: Bank) -> Iterator[Found]:
    params = bank.scoring
    assert params is not None
    at: Steps = ["scoring"]
    if params.scenario_group not in bank.groups:
        yield [*at, "scenario_group"], _unknown_group(params.scenario_group, bank.groups), "error"
    if params.conclusion.ongoing_if is not None:
        yield from _reads(bank, params.conclusion.ongoing_if, [*at, "conclusion", "ongoing_if"])
    if not params.severity.medium <= params.severity.high:
        yield [*at, "severity"], msg("crossref_thresholds_rise", order="medium ≤ high"), "error"
    lk = params.likelihood
    if not lk.medium <= lk.high <= lk.very_high:
        yield [*at, "likelihood"], msg("crossref_thresholds_rise", order="medium ≤ high ≤ very_high"), "error"
    impact = params.impact
    categories = bank.questions.get(impact.categories_question)
    if categories is None or categories.type != "multiple_choice":
        yield ([*at, "impact", "categories_question"],
               msg("crossref_not_multiple_choice", question=repr(impact.categories_question)), "error")
    else:
        values = {o.value for o in categories.options}
        for key in (*impact.levels, *impact.vulnerable, *impact.sensitive):
            if key not in values:
                yield [*at, "impact"], msg("crossref_not_an_option", value=repr(key), question=repr(categories.id),
                                           known=_listed(sorted(values))), "error"
    scale = bank.questions.get(impact.scale_question)
    if scale is None or scale.type != "number":
        yield ([*at, "impact", "scale_question"], msg("crossref_not_number_question",
                                                      question=repr(impact.scale_question)), "error")
    if impact.deidentified_question is not None:
        deid = bank.questions.get(impact.deidentified_question)
        if deid is None:
            yield ([*at, "impact", "deidentified_question"],
                   msg("crossref_unknown_question", question=repr(impact.deidentified_question)), "error")
        else:
            values = {o.value for o in deid.options}
            for value in impact.deidentified_values:
                if value not in values:
                    yield [*at, "impact", "deidentified_values"], msg(
                        "crossref_not_an_option", value=repr(value), question=repr(deid.id),
                        known=_listed(sorted(values))), "error"
    if params.consistency is not None:
        yield from _consistency(bank, params.consistency)
    if params.rectification is not None:
        yield from _rectification(bank, params.rectification)


def _rectification(bank: Bank, r: RectificationParams) -> Iterator[Found]:
    at: Steps = ["scoring", "rectification"]
    table = bank.questions.get(r.table)
    if table is None or table.type != "table" or bank.group_of(table.id) is not None:
        yield [*at, "table"], msg("crossref_not_ungrouped_table", question=repr(r.table)), "error"
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
            yield [*at, key], msg("crossref_not_a_column", column=repr(column_id), types=_either(types),
                                  table=repr(r.table)), "error"
    status = columns.get(r.status_column)
    if status is not None:
        for value in r.done:
            if value not in {o.value for o in status.options}:
                yield [*at, "done"], msg("crossref_not_a_column_option", value=repr(value),
                                         column=repr(r.status_column)), "error"


def _consistency(bank: Bank, c: ConsistencyParams) -> Iterator[Found]:
    at: Steps = ["scoring", "consistency"]
    for ri, rule in enumerate(c.rules):
        if rule.question not in bank.questions:
            yield [*at, "rules", ri, "question"], msg("crossref_unknown_question", question=repr(rule.question)), \
                "error"
        yield from _reads(bank, rule.when, [*at, "rules", ri, "when"])
    yield from _duplicates([r.id for r in c.rules], [*at, "rules"], msg("crossref_what_rule"))
    if c.minors_question is not None:
        minors = bank.questions.get(c.minors_question)
        if minors is None or minors.type != "yes_no":
            yield [*at, "minors_question"], msg("crossref_not_yes_no_question", question=repr(c.minors_question)), \
                "error"
    for key in ("non_sensitive_count", "sensitive_count"):
        question = bank.questions.get(getattr(c, key))
        if question is None or question.type != "number":
            yield [*at, key], msg("crossref_not_number_question", question=repr(getattr(c, key))), "error"
    inventory = bank.questions.get(c.inventory)
    if inventory is None or inventory.type != "table":
        yield [*at, "inventory"], msg("crossref_not_table_question", question=repr(c.inventory)), "error"
        return
    columns = {col.id: col for col in inventory.columns}
    sensitive = columns.get(c.inventory_sensitive_column)
    if sensitive is None or sensitive.type != "single_choice":
        yield ([*at, "inventory_sensitive_column"],
               msg("crossref_not_a_column", column=repr(c.inventory_sensitive_column), types="single_choice",
                   table=repr(c.inventory)), "error")
    elif c.inventory_not_sensitive not in {o.value for o in sensitive.options}:
        yield ([*at, "inventory_not_sensitive"],
               msg("crossref_not_a_column_option", value=repr(c.inventory_not_sensitive),
                   column=repr(c.inventory_sensitive_column)), "error")
    if sensitive is not None and bank.scoring is not None:
        known = {o.value for o in sensitive.options}
        for value in (*bank.scoring.impact.sensitive, *([c.minors_category] if c.minors_category else [])):
            if value not in known:
                yield ([*at, "inventory_sensitive_column"],
                       msg("crossref_sensitive_category_not_in_inventory", value=repr(value),
                           column=repr(c.inventory_sensitive_column)), "warning")
    if c.inventory_recipients_column is not None:
        named = columns.get(c.inventory_recipients_column)
        if named is None or named.type not in ("text", "long_text"):
            yield ([*at, "inventory_recipients_column"],
                   msg("crossref_not_a_column", column=repr(c.inventory_recipients_column),
                       types=_either(("text", "long_text")), table=repr(c.inventory)), "error")
    individuals = columns.get(c.inventory_individuals_column)
    if individuals is None or individuals.type != "number":
        yield ([*at, "inventory_individuals_column"],
               msg("crossref_not_a_column", column=repr(c.inventory_individuals_column), types="number",
                   table=repr(c.inventory)), "error")
