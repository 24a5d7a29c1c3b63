"""The calendar of a periodic return: period bounds, due / late-until / locking dates, timeliness, reminder days.

Weeks start on Monday (ISO 8601), fortnights on the Monday of the anchor's week, months on the 1st.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kopdes.periods.models import Frequency, Timeliness, Window

BEFORE, AFTER = "before", "after"


@dataclass(frozen=True)
class PeriodDates:
    start: date
    end: date
    due: date
    expires: date  # "late until": after this day a submission is marked as after the expiry
    locked_on: date | None  # from this day on the return takes no change; None: never locked


@dataclass(frozen=True)
class PeriodKind:
    """How a return recurs: every `frequency`, due `due_days` after the period's end, late until `late_days` after it,
    locked `lock_days` after it (None: never), reminded `remind_days_before` the due date and from the day after it
    for `catch_up_days` (a missed run of the scheduler is caught up)."""

    frequency: str
    due_days: int
    late_days: int
    lock_days: int | None = None
    remind_days_before: int = 2
    catch_up_days: int = 2

    def first_start(self, anchor: date) -> date:
        """The start of the period containing `anchor` (the first period of a series starting then)."""
        if self.frequency == Frequency.MONTHLY:
            return anchor.replace(day=1)
        return anchor - timedelta(days=anchor.weekday())

    def next_start(self, start: date) -> date:
        if self.frequency == Frequency.MONTHLY:
            return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return start + timedelta(days=14 if self.frequency == Frequency.BIWEEKLY else 7)

    def bounds(self, day: date, anchor: date) -> tuple[date, date]:
        """(start, end) of the period containing `day` in the series that starts at `anchor`."""
        if self.frequency == Frequency.MONTHLY:
            return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
        length = 14 if self.frequency == Frequency.BIWEEKLY else 7
        first = self.first_start(anchor)
        start = first + timedelta(days=length * ((day - first).days // length))
        return start, start + timedelta(days=length - 1)

    def dates(self, start: date) -> PeriodDates:
        end = self.next_start(start) - timedelta(days=1)
        return PeriodDates(
            start=start,
            end=end,
            due=end + timedelta(days=self.due_days),
            expires=end + timedelta(days=self.late_days),
            locked_on=None if self.lock_days is None else end + timedelta(days=self.lock_days),
        )

    def series(self, anchor: date, until: date) -> list[PeriodDates]:
        """Every period from the one containing `anchor` up to the one containing `until`."""
        found, start = [], self.first_start(anchor)
        while start <= until:
            found.append(self.dates(start))
            start = self.next_start(start)
        return found

    def reminder(self, due: date, today: date) -> str | None:
        """BEFORE in the `remind_days_before` days up to the due date, AFTER from the day after it for
        `catch_up_days`, else None."""
        if due - timedelta(days=self.remind_days_before) <= today <= due:
            return BEFORE
        if due < today <= due + timedelta(days=self.catch_up_days):
            return AFTER
        return None


def timeliness_of(period, submitted_on: date) -> str:
    """On time up to `period.due`, late up to `period.expires`, after the expiry beyond."""
    if submitted_on <= period.due:
        return Timeliness.ON_TIME
    return Timeliness.LATE if submitted_on <= period.expires else Timeliness.AFTER_EXPIRY


def window(period, today: date, reopened_until: date | None = None) -> str:
    """What `period` allows on `today` (a `Window`): NOT_ENDED up to its last day (a return reports a period that is
    over), then ON_TIME up to `due`, LATE up to `expires`, AFTER_EXPIRY up to the day before `locked_on`, LOCKED from
    it — unless the office reopened the period for this submitter up to `reopened_until` (inclusive), when a
    submission is taken again and judged by `timeliness_of`."""
    if today <= period.end:
        return Window.NOT_ENDED
    locked_on = getattr(period, "locked_on", None)
    if locked_on is not None and today >= locked_on and not (reopened_until and today <= reopened_until):
        return Window.LOCKED
    return timeliness_of(period, today)
