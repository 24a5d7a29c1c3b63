"""The calendar of a periodic return, independent of any user of it: weekly, fortnightly and monthly series, due,
late-until and locking dates, timeliness, reminder days and completeness tallies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from kopdes.periods.completeness import Tally
from kopdes.periods.models import Frequency, Timeliness
from kopdes.periods.rules import AFTER, BEFORE, PeriodKind, timeliness_of

WEEKLY = PeriodKind(Frequency.WEEKLY, due_days=3, late_days=14)
# a monthly business return: due on the 10th, late until the 20th, locked from the last day of the next month
MONTHLY = PeriodKind(Frequency.MONTHLY, due_days=10, late_days=20, lock_days=31)


def test_a_weekly_series_starts_on_the_monday_of_the_anchor_week():
    series = WEEKLY.series(anchor=date(2025, 4, 2), until=date(2025, 4, 14))  # a Wednesday; then a Monday

    assert [(p.start, p.end) for p in series] == [
        (date(2025, 3, 31), date(2025, 4, 6)),
        (date(2025, 4, 7), date(2025, 4, 13)),
        (date(2025, 4, 14), date(2025, 4, 20)),
    ]
    assert series[0].due == date(2025, 4, 9) and series[0].expires == date(2025, 4, 20)
    assert series[0].locked_on is None  # the camat report never locks


def test_a_fortnight_counts_from_the_anchor_week():
    kind = PeriodKind(Frequency.BIWEEKLY, due_days=3, late_days=14)

    assert kind.bounds(date(2025, 4, 20), anchor=date(2025, 4, 1)) == (date(2025, 4, 14), date(2025, 4, 27))


def test_a_monthly_return_has_due_late_until_and_locked_dates():
    february = MONTHLY.dates(date(2026, 2, 1))

    assert (february.end, february.due, february.expires) == (date(2026, 2, 28), date(2026, 3, 10), date(2026, 3, 20))
    assert february.locked_on == date(2026, 3, 31)
    assert MONTHLY.bounds(date(2024, 2, 29), anchor=date(2024, 1, 15)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert [p.start.month for p in MONTHLY.series(date(2025, 11, 30), date(2026, 1, 1))] == [11, 12, 1]


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (date(2026, 3, 10), Timeliness.ON_TIME),
        (date(2026, 3, 11), Timeliness.LATE),
        (date(2026, 3, 20), Timeliness.LATE),
        (date(2026, 3, 21), Timeliness.AFTER_EXPIRY),
    ],
)
def test_timeliness_against_the_due_and_late_until_dates(submitted, expected):
    assert timeliness_of(MONTHLY.dates(date(2026, 2, 1)), submitted) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 4, 6), None),
        (date(2025, 4, 7), BEFORE),
        (date(2025, 4, 9), BEFORE),
        (date(2025, 4, 10), AFTER),
        (date(2025, 4, 11), AFTER),
        (date(2025, 4, 12), None),
    ],
)
def test_reminders_two_days_before_the_due_date_and_caught_up_two_days_after(today, expected):
    assert WEEKLY.reminder(date(2025, 4, 9), today) == expected


@dataclass
class Return:
    submitted: bool
    on_time: bool


class Row(Tally):
    def __init__(self, *returns):
        self.returns = returns

    def expected_returns(self):
        return self.returns


def test_a_tally_counts_expected_submitted_and_on_time_returns():
    row = Row(Return(True, True), Return(True, False), Return(False, False), Return(False, False))

    assert (row.expected, row.submitted, row.on_time) == (4, 2, 1)
    assert (row.rate, row.rate_on_time) == (50.0, 25.0)
    assert Row().rate == 0.0  # nothing expected: no division by zero
