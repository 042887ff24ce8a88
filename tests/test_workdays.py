"""Working days with England and Wales bank holidays."""
from __future__ import annotations

import datetime as dt

from pipeline.common.workdays import add_months, add_working_days, is_working_day, working_days_between

D = dt.date


def test_christmas_and_boxing_day_substitutes_are_skipped():
    # 2026: Christmas Friday, Boxing Day Saturday, substitute bank holiday Monday 28 December
    assert not is_working_day(D(2026, 12, 28))
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)


def test_easter_and_may_bank_holidays():
    assert add_working_days(D(2027, 3, 25), 1) == D(2027, 3, 30)  # Good Friday 26th, Easter Monday 29th
    assert add_working_days(D(2026, 5, 22), 1) == D(2026, 5, 26)  # Spring bank holiday 25 May


def test_counting_and_going_back():
    assert working_days_between(D(2026, 11, 12), D(2026, 12, 3)) == 15
    assert add_working_days(D(2026, 12, 3), -2) == D(2026, 12, 1)
    assert working_days_between(D(2026, 12, 3), D(2026, 12, 1)) == -2


def test_months_clamp_to_the_end_of_a_short_month():
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2026, 12, 3), 6) == D(2027, 6, 3)
