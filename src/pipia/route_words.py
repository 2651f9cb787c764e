"""How the report and the command line word why the route check cannot decide yet.

The route check gives its reasons as data (``screening.MissingAnswer``, ``screening.InvalidAnswer`` with a
code and parameters); this is where they become sentences, in Chinese or English, naming each question as
the bank asks it and each date as the language writes it. The app words them in ``ui/text.py``.
"""

from __future__ import annotations

import datetime as dt

from .bank import Bank
from .i18n import Lang, Localized, fmt_date, pick
from .screening import ASSESSMENT_DATE, MissingAnswer, Reason

# By code; {question} is the question as the bank asks it, the other fields the reason's parameters.
REASON_WORDS: dict[str, Localized] = {
    "missing": Localized(zh="未回答：{question}", en="Not answered: {question}"),
    "missing_date": Localized(zh="未填写评估日期（出境路径按评估日期判断）",
                              en="No assessment date (the route is judged at the assessment date)"),
    "none_with_exemption": Localized(zh="{question}：“均不属于”不能与免予情形同时选择",
                                     en="{question}: “none of these” cannot be chosen with an exemption"),
    "after_assessment_date": Localized(zh="{question}：{date}晚于评估日期{as_of}（期限从已发生的日期起算）",
                                       en="{question}: {date} is after the assessment date {as_of} (a time limit "
                                          "runs from a date that has happened)"),
    "filed_before_effective": Localized(zh="{question}：备案日期{filed}早于标准合同生效日期{effective}"
                                           "（标准合同生效后才备案）",
                                        en="{question}: filed on {filed}, before the standard contract took "
                                           "effect on {effective} (a contract is filed after it takes effect)"),
    "no_rule_set": Localized(zh="评估日期早于本工具所含最早的规则（{earliest}起施行），无法判断出境路径",
                             en="The assessment date is before the earliest rules the tool holds (in force "
                                "from {earliest}): the route cannot be judged"),
    "invalid": Localized(zh="{question}：该答案无法用于路径核查（{value}）",
                         en="{question}: the route check cannot use this answer ({value})"),
}
_DATES = ("date", "as_of", "filed", "effective", "earliest")


def route_reason(reason: Reason, bank: Bank, lang: Lang) -> str:
    """One reason the route check cannot decide, as a sentence in ``lang`` naming the question as asked
    (e.g. "未回答：个人信息处理者是否已被认定为关键信息基础设施运营者？"). Unknown codes read as ``invalid``."""
    question = bank.questions.get(reason.question)
    if reason.question == ASSESSMENT_DATE:
        asked = pick(lang, "评估日期", "Assessment date")
    else:  # a question of the bank (the route check reads no other)
        asked = question.text(lang) if question is not None else reason.question
    if isinstance(reason, MissingAnswer):
        words = REASON_WORDS["missing_date" if reason.question == ASSESSMENT_DATE else "missing"]
        return words(lang).format(question=asked)
    words = REASON_WORDS.get(reason.code, REASON_WORDS["invalid"])
    params = {name: "" for name in (*_DATES, "value")}
    params.update({name: _date(value, lang) if name in _DATES else value for name, value in reason.params})
    return words(lang).format(question=asked, **params)


def _date(value: str, lang: Lang) -> str:
    try:
        return fmt_date(dt.date.fromisoformat(value), lang)
    except ValueError:
        return value
