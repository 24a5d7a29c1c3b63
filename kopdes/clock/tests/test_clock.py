"""The village's calendar, not the server's: at 23:30 UTC it is already the next morning in Paser (WITA, UTC+8)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kopdes.clock import local_date, local_today

LATE_UTC = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)


def test_the_date_of_a_moment_is_the_village_zones(db):
    assert local_date("64.01.04.2002", LATE_UTC) == date(2026, 3, 15)  # Paser, WITA
    assert local_date("31.71", LATE_UTC) == date(2026, 3, 15)  # Jakarta, WIB (UTC+7): 06:30
    assert local_date("11.01", datetime(2026, 3, 14, 16, 59, tzinfo=UTC)) == date(2026, 3, 14)  # Aceh, 23:59 WIB


def test_today_follows_the_clock_in_the_regions_zone(db, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: LATE_UTC)
    assert local_today("64.01") == date(2026, 3, 15)
    assert local_today("94.01") == date(2026, 3, 15)  # Papua, WIT
