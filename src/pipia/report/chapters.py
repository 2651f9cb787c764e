"""Chapters 一 and 二 of the CAC PIPIA report template, filled from the answers.

Chapter 一 describes the transfer: each item of the template (``report.*`` coverage items) holds the
questions tagged with it, in the order asked; (二) is written once per overseas recipient. Chapter 二
goes item by item through the route's focus items (``focus.*``): the scored answers and the analyses
that bear on the item, the problems found in it and how to fix them.
"""

from __future__ import annotations

from typing import Any

from pipia.assessment import visibility
from pipia.bank.citations import cite_labels
from pipia.i18n import t
from pipia.report.inputs import Inputs
from pipia.report.text import fmt_date

# Chapter 一 items by the name the templates use, and the coverage id each one prints.
PROCESSOR_ITEMS = {
    "basic": "report.1.1.1",
    "business": "report.1.1.2",
    "compliance": "report.1.1.4",
}
TRANSFER_ITEMS = {
    "business": "report.1.1.3.1",
    "purpose": "report.1.1.3.2",
    "scale": "report.1.1.3.3",
    "storage": "report.1.1.3.4",
    "onward": "report.1.1.3.5",
}
RECIPIENT_ITEMS = {"basic": "report.1.2.1", "purpose": "report.1.2.2", "measures": "report.1.2.3"}
OTHER_ITEM = "report.1.3"

NUMBERS_ZH = "一二三四五六七八九十"  # content: the numerals of Chinese headings


def chapter1(inputs: Inputs) -> dict[str, Any]:
    """Chapter 一 of the report (overview of the outbound transfer): the processor, the transfer and each overseas
    recipient, from the questions tagged with the template's items.
    """
    shared = [s for s in inputs.state.visible if s.group is None]
    repeated = [s for s in inputs.state.visible if s.group is not None]
    group = inputs.scenario_group
    recipients = []
    for item in range(len(inputs.answers.items(group)) if group else 0):
        mine = [s for s in repeated if s.group == group and s.item == item]
        recipients.append({
            "no": str(item + 1),
            "name": inputs.recipient(group, item),
            **{name: _item(inputs, cid, [*shared, *mine], own=True) for name, cid in RECIPIENT_ITEMS.items()},
            "destination": _destination(inputs, mine),
        })
    # Repeated questions tagged with a processor-level item (e.g. what each recipient receives) are
    # printed there too, one line per recipient.
    every = [*shared, *repeated]
    return {
        "processor": {name: _item(inputs, cid, every) for name, cid in PROCESSOR_ITEMS.items()},
        "transfer": {name: _item(inputs, cid, every) for name, cid in TRANSFER_ITEMS.items()},
        "recipients": recipients,
        "other": _item(inputs, OTHER_ITEM, every),
    }


def _item(inputs: Inputs, coverage_id: str, slots: list[visibility.Slot], own: bool = False) -> dict[str, Any]:
    """The entries of one template item; ``own``: under a recipient's heading, so not named again."""
    item = next((c for c in inputs.bank.coverage if c.id == coverage_id), None)
    entries = [inputs.entry(s, count_inventory=True) for s in slots if coverage_id in s.question.covers]
    if own:
        entries = [{**e, "recipient": ""} for e in entries]
    # An optional question left blank says nothing about the transfer: it is left out of the prose.
    entries = [e for e in entries if e["answered"] or e["missing"]]
    return {"id": coverage_id, "label": inputs.t(item.label) if item else "", "entries": entries,
            "empty": not entries}


def _destination(inputs: Inputs, slots: list[visibility.Slot]) -> dict[str, Any]:
    """The destination profile of a recipient's country or region, when the bank links one.

    ``stale``: a sentence when the profile was checked more than 12 months before the assessment date;
    ``unconfirmed``: the profile's facts marked 待确认 / To be confirmed, which the signer must see.
    """
    library = inputs.loaded.destinations
    for slot in slots:
        question_id = slot.section.destination_from
        if library is None or question_id is None:
            continue
        value = inputs.state.values.get(f"{slot.group}[{slot.item}].{question_id}")
        profile = library.by_id.get(value) if isinstance(value, str) else None
        if profile is not None:
            day = inputs.answers.meta.assessment_date
            stale = ""
            if day is not None and profile.stale_at(day):
                checked, at = fmt_date(profile.as_of, inputs.lang), fmt_date(day, inputs.lang)
                stale = t(inputs.lang, "report.destination.stale", checked=checked, at=at)
            return {"name": inputs.t(profile.name), "summary": inputs.t(profile.summary),
                    "as_of": fmt_date(profile.as_of, inputs.lang), "stale": stale,
                    "unconfirmed": [inputs.t(f.text) for f in profile.unconfirmed()]}
    return {"name": "", "summary": "", "as_of": "", "stale": "", "unconfirmed": []}


def chapter2(inputs: Inputs) -> dict[str, Any]:
    """Chapter 二 of the report (the impact assessment): each assessment focus item of the route, with its sources, the
    answers that bear on it, the assessment and the numbers of the findings filed under it.
    """
    focus = [c for c in inputs.bank.coverage if c.kind == "focus"]
    # Each finding goes under every focus item its question is tagged with; one tagged with none still
    # belongs in the chapter, under the last item ("other matters").
    numbers: dict[str, list[int]] = {c.id: [] for c in focus}
    for n, finding in inputs.findings:
        tagged = [c for c in inputs.bank.questions[finding.question].covers if c in numbers]
        for coverage_id in tagged or ([focus[-1].id] if focus else []):
            numbers[coverage_id].append(n)
    by_number = dict(inputs.findings)
    items = []
    for index, item in enumerate(focus):
        slots = [s for s in inputs.state.visible if item.id in s.question.covers and _evaluates(s)]
        entry: dict[str, Any] = {
            "id": item.id,
            "number": _number(inputs, index),
            "label": inputs.t(item.label),
            "cites": cite_labels(item.cites, inputs.loaded.sources, inputs.lang),
            "entries": [{**inputs.entry(s, count_inventory=True), "assessment": inputs.assessment(s)}
                        for s in slots],
            "findings": [inputs.finding_entry(n, by_number[n]) for n in numbers[item.id]],
        }
        entry["summary"] = _summary(inputs, entry)
        items.append(entry)
    return {"basis": _basis(inputs, [cite for c in focus for cite in c.cites]), "focus": items,
            "risk_number": _number(inputs, len(items)), "conclusion_number": _number(inputs, len(items) + 1)}


def _number(inputs: Inputs, index: int) -> str:
    if inputs.lang == "zh" and index < len(NUMBERS_ZH):
        return f"（{NUMBERS_ZH[index]}）"  # content: a Chinese heading number, （一）
    return f"({index + 1})"


def _evaluates(slot: visibility.Slot) -> bool:
    """Scored answers, and analyses asked for the assessment alone (they appear in no chapter 一 item)."""
    question = slot.question
    if question.type == "table":
        return False
    return question.scored or not any(c.startswith("report.") for c in question.covers)


def _basis(inputs: Inputs, cites: list[str]) -> str:
    """The article the focus items come from: 'cert-measures:6(1)' … → 《个人信息出境认证办法》第六条."""
    parents = list(dict.fromkeys(c.split("(", 1)[0] for c in cites))
    return cite_labels(parents, inputs.loaded.sources, inputs.lang)


def _summary(inputs: Inputs, item: dict[str, Any]) -> str:
    scored = sum(1 for e in item["entries"] if e["assessment"])
    found = len(item["findings"])
    missing = sum(1 for e in item["entries"] if e["missing"])
    lang = inputs.lang
    text = (t(lang, "report.focus.summary_found", scored=scored, found=found) if found
            else t(lang, "report.focus.summary_none", scored=scored))
    if missing:
        # Chinese sentences follow each other without a space; English ones with one.
        text += ("" if lang == "zh" else " ") + t(lang, "report.focus.incomplete", missing=missing)
    return text
