"""How the report, the command line and the app word why the route check cannot decide yet.

The route check gives its reasons as data (``screening.MissingAnswer``, ``screening.InvalidAnswer`` with a
code and parameters); this is where they become sentences of the catalogue (``reason_*`` keys), in Chinese or
English, naming each question as the bank asks it and each date as the language writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType

from pipia.bank.format import Bank
from pipia.i18n import Lang, Localized, Message, fmt_date, msg, t
from pipia.route.screening import ASSESSMENT_DATE, InvalidAnswer, MissingAnswer, Reason

# The words for each code of ``InvalidAnswer``; a code not listed reads as ``invalid``.
WHY: Mapping[str, Message] = MappingProxyType({
    "none_with_exemption": msg("reason_none_with_exemption"),
    "after_assessment_date": msg("reason_after_assessment_date"),
    "filed_before_effective": msg("reason_filed_before_effective"),
    "no_rule_set": msg("reason_no_rule_set"),
    "no_role": msg("reason_no_role"),
    "invalid": msg("reason_invalid"),
})
_DATES = ("date", "as_of", "filed", "effective", "earliest")


def why(reason: InvalidAnswer, lang: Lang) -> str:
    """Why an answer cannot be used, in ``lang``, without naming the question (e.g. "备案日期2026年3月1日早于
    标准合同生效日期2026年4月1日（标准合同生效后才备案）"); dates written as ``lang`` writes them."""
    return _why(reason)(lang)


def _why(reason: InvalidAnswer) -> Message:
    # Dates go in as each language writes them; the other values (an option, a role) as they are.
    params: dict[str, object] = {name: "" for name in (*_DATES, "value", "role")}
    params.update({name: _dates(value) if name in _DATES else value for name, value in reason.params})
    return WHY.get(reason.code, WHY["invalid"]).fill(**params)


def asked(reason: Reason, bank: Bank, lang: Lang) -> str:
    """The question a reason is about, as the bank asks it (the assessment date by its label)."""
    if reason.question == ASSESSMENT_DATE:
        return t(lang, "assessment_date")
    question = bank.questions.get(reason.question)
    return question.text(lang) if question is not None else reason.question


def route_reason(reason: Reason, bank: Bank, lang: Lang) -> str:
    """One reason the route check cannot decide, as a sentence in ``lang`` naming the question as asked
    (e.g. "未回答：个人信息处理者是否已被认定为关键信息基础设施运营者？")."""
    return reason_message(reason, bank)(lang)


def reason_message(reason: Reason, bank: Bank) -> Message:
    """``route_reason`` not yet written: the catalogue text and its values, for a shell that writes it in
    either language (a ``Problem`` carries both)."""
    if isinstance(reason, MissingAnswer):
        if reason.question == ASSESSMENT_DATE:
            return msg("route_reason_missing_date")
        return msg("route_reason_missing", question=_asked(reason, bank))
    if reason.code in ("no_rule_set", "no_role"):  # about the assessment's date or the bank, not an answer
        return _why(reason)
    return msg("route_reason_invalid", question=_asked(reason, bank), why=_why(reason))


def _asked(reason: Reason, bank: Bank) -> Message | Localized | str:
    if reason.question == ASSESSMENT_DATE:
        return msg("assessment_date")
    question = bank.questions.get(reason.question)
    return question.text if question is not None else reason.question


def _dates(value: str) -> Localized | str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return Localized.of(fmt_date(day, "zh"), fmt_date(day, "en"))
