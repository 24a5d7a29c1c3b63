from datetime import date, timedelta

import pytest

from kopdes.periods.models import Frequency, Timeliness
from kopdes.periods.rules import timeliness_of
from kopdes.reports import models, services
from kopdes.reports.models import ReportPeriod


def test_weekly_periods_start_on_monday_and_cover_every_day(programme):
    created = services.ensure_periods(programme=programme, until=date(2025, 5, 1))

    periods = list(ReportPeriod.objects.filter(programme=programme))
    assert len(created) == len(periods) == 5
    assert periods[0].start == date(2025, 3, 31)  # the Monday of 1 April 2025
    assert all(p.start.weekday() == 0 and (p.end - p.start).days == 6 for p in periods)
    assert all(b.start == a.end + timedelta(days=1) for a, b in zip(periods, periods[1:], strict=False))
    assert periods[-1].start <= date(2025, 5, 1) <= periods[-1].end


def test_due_and_expiry_follow_the_period_end(programme):
    services.ensure_periods(programme=programme, until=date(2025, 4, 1))

    period = ReportPeriod.objects.get(programme=programme)
    assert period.due == period.end + timedelta(days=models.DUE_DAYS)
    assert period.expires == period.end + timedelta(days=models.EXPIRY_DAYS)


def test_ensure_periods_is_idempotent(programme):
    services.ensure_periods(programme=programme, until=date(2025, 6, 1))
    again = services.ensure_periods(programme=programme, until=date(2025, 6, 1))
    more = services.ensure_periods(programme=programme, until=date(2025, 6, 10))

    assert again == []
    assert [p.start for p in more] == [date(2025, 6, 2), date(2025, 6, 9)]
    assert ReportPeriod.objects.filter(programme=programme).count() == 11


@pytest.mark.parametrize(
    "kind, until, count, first_end",
    [
        (Frequency.BIWEEKLY, date(2025, 5, 1), 3, date(2025, 4, 13)),
        (Frequency.MONTHLY, date(2025, 6, 15), 3, date(2025, 4, 30)),
    ],
)
def test_two_weekly_and_monthly_periods(programme, kind, until, count, first_end):
    programme.reporting_period = kind
    programme.save()

    services.ensure_periods(programme=programme, until=until)

    periods = list(ReportPeriod.objects.filter(programme=programme))
    assert len(periods) == count
    assert periods[0].end == first_end
    assert models.period_bounds(programme, until) == (periods[-1].start, periods[-1].end)


def test_months_end_on_their_last_day(programme):
    programme.reporting_period = Frequency.MONTHLY
    programme.save()
    services.ensure_periods(programme=programme, until=date(2026, 3, 1))

    ends = {p.start.month: p.end for p in ReportPeriod.objects.filter(programme=programme, start__year=2026)}
    assert ends[2] == date(2026, 2, 28)
    assert ends[3] == date(2026, 3, 31)


def test_timeliness_on_time_late_and_after_expiry(programme):
    services.ensure_periods(programme=programme, until=date(2025, 4, 1))
    period = ReportPeriod.objects.get(programme=programme)

    assert timeliness_of(period, period.end) == Timeliness.ON_TIME
    assert timeliness_of(period, period.due) == Timeliness.ON_TIME
    assert timeliness_of(period, period.due + timedelta(days=1)) == Timeliness.LATE
    assert timeliness_of(period, period.expires) == Timeliness.LATE
    assert timeliness_of(period, period.expires + timedelta(days=1)) == Timeliness.AFTER_EXPIRY
