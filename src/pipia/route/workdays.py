"""Calendar arithmetic for legal time limits: working days on China's official calendar, months and years.

Filing deadlines such as "10 working days after the standard contract takes effect" are counted on the
State Council's holiday arrangement, where public holidays are days off and some weekends are working
days (调休上班). That calendar is published one year at a time, so it is taken from the maintained
``chinese-calendar`` package rather than kept by hand here. For a year the package does not know yet,
counting falls back to Monday to Friday; callers ask ``beyond_calendar`` and must say so in their output,
because such a date is an estimate that may move once the year's arrangement is published.

Day counting follows the usual rule for legal periods: the starting day is not counted, so the first of
"n working days after" a date is the next working day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache

import chinese_calendar

_ONE_DAY = dt.timedelta(days=1)


@cache
def known_years() -> tuple[int, int]:
    """First and last year whose official holiday arrangement the installed calendar package knows."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def on_official_calendar(day: dt.date) -> bool:
    """Whether ``day`` lies in a year whose official arrangement is known (else working days are estimated)."""
    first, last = known_years()
    return first <= day.year <= last


def beyond_calendar(*days: dt.date) -> bool:
    """True when any of the days (typically the start and end of a count) lies outside the known years."""
    return not all(on_official_calendar(day) for day in days)


def is_working_day(day: dt.date) -> bool:
    """A working day on the official calendar; Monday to Friday in years the calendar does not know."""
    if on_official_calendar(day):
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # the package's own range check disagrees with ours: estimate instead
            pass
    return day.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (before it when n is negative); ``start`` itself is not counted.

    ``add_working_days(d, 0)`` is ``d``. Whether ``start`` is a working day does not matter: a contract that
    takes effect on a holiday still has its deadline counted from the next working day.
    """
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    day, remaining = start, abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def add_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later (earlier if negative); the last day of a shorter month.

    2026-08-31 plus one month is 2026-09-30: a period in months ends on the corresponding day, and a month
    without one ends on its last day.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(start.day, last))


def add_years(start: dt.date, years: int) -> dt.date:
    """The corresponding day ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(start, 12 * years)
