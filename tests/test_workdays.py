"""Working days follow the State Council's holiday arrangement, adjusted working weekends included.

The 2026 arrangement used below: National Day 1-7 October are days off and Saturday 10 October is a working
day; Spring Festival 15-23 February are days off and Saturday 14 February and Saturday 28 February are
working days.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from pipia.route.workdays import add_months, add_working_days, add_years, beyond_calendar, is_working_day, known_years

D = dt.date


def test_public_holidays_are_days_off_and_adjusted_weekends_are_working_days() -> None:
    assert not is_working_day(D(2026, 10, 1))  # National Day, a Thursday
    assert not is_working_day(D(2026, 10, 7))  # Wednesday, in the holiday
    assert is_working_day(D(2026, 10, 10))  # Saturday, worked in lieu
    assert not is_working_day(D(2026, 10, 11))  # an ordinary Sunday
    assert is_working_day(D(2026, 2, 14))  # Saturday before Spring Festival, worked in lieu


def test_ten_working_days_across_national_day_2026() -> None:
    # Contract effective Tuesday 29 September: 30 Sep (1), 1-7 Oct off, 8 (2), 9 (3), Sat 10 (4),
    # 12-16 (5-9), 19 Oct (10). Counting Monday to Friday would wrongly give 13 October.
    assert add_working_days(D(2026, 9, 29), 10) == D(2026, 10, 19)


def test_the_starting_day_is_not_counted_and_a_holiday_start_counts_from_the_next_working_day() -> None:
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)  # Friday -> the adjusted Saturday
    assert add_working_days(D(2026, 10, 3), 1) == D(2026, 10, 8)  # from inside the holiday
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)


def test_counting_backwards_skips_holidays_too() -> None:
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_working_days(D(2026, 10, 12), -1) == D(2026, 10, 10)  # the adjusted Saturday counts


def test_beyond_the_known_years_monday_to_friday_is_used_and_flagged() -> None:
    last = known_years()[1]
    friday = next(D(last + 3, 3, d) for d in range(1, 8) if D(last + 3, 3, d).weekday() == 4)
    assert beyond_calendar(friday)
    assert not beyond_calendar(D(last, 6, 1))
    # 60 working days before a Friday, with no holidays known: exactly twelve weeks earlier.
    assert add_working_days(friday, -60) == friday - dt.timedelta(weeks=12)


def test_a_count_that_runs_into_an_unknown_year_is_flagged_by_its_end() -> None:
    last = known_years()[1]
    start = D(last, 12, 24)
    end = add_working_days(start, 10)
    assert end.year == last + 1
    assert beyond_calendar(start, end)


def test_months_end_on_the_corresponding_day_or_the_last_day_of_a_shorter_month() -> None:
    assert add_months(D(2026, 3, 1), 3) == D(2026, 6, 1)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2029, 3, 1), -6) == D(2028, 9, 1)
    assert add_months(D(2026, 8, 31), -6) == D(2026, 2, 28)


def test_years_keep_the_day_and_29_february_becomes_28_february() -> None:
    assert add_years(D(2026, 3, 1), 3) == D(2029, 3, 1)
    assert add_years(D(2028, 2, 29), 3) == D(2031, 2, 28)


@given(st.dates(min_value=D(2005, 1, 1), max_value=D(2040, 12, 31)), st.integers(min_value=1, max_value=80))
def test_working_days_forward_and_back_agree(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert end > start
    assert is_working_day(end)
    assert sum(is_working_day(start + dt.timedelta(days=i)) for i in range(1, (end - start).days + 1)) == n
    if is_working_day(start):
        assert add_working_days(end, -n) == start
