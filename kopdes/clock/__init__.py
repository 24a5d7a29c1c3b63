"""The village's own calendar: today, and the date of a moment, in the zone of a region (WIB, WITA or WIT).

Event dates (Musdesus, deed, SK, visits) are calendar dates of the village; "not in the future", "due" and "late" are
judged against the village's date, never the server's (`date.today()` is the server's zone, UTC on most hosts, which
is still yesterday in Paser until 08:00 WITA). The zone of each province: `kopdes.regions.timezones`.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time

from django.utils import timezone

from kopdes.regions.timezones import zone_for_code

__all__ = ["local_date", "local_today", "midday_local"]


def local_date(code: str, at: datetime | None = None) -> date:
    """The calendar date in the region `code`'s zone at the aware moment `at` (now when None)."""
    return (at or timezone.now()).astimezone(zoneinfo.ZoneInfo(zone_for_code(code))).date()


def local_today(code: str) -> date:
    """Today in the region `code`'s own calendar (a village, kecamatan, kabupaten or province code)."""
    return local_date(code)


def midday_local(code: str, day: date) -> datetime:
    """The moment of an event known only by its calendar date `day` in the region `code`: noon in that region's zone,
    which falls on the same date in every Indonesian zone (WIB, WITA, WIT) and in UTC, wherever it is shown."""
    return datetime.combine(day, time(12), tzinfo=zoneinfo.ZoneInfo(zone_for_code(code)))
