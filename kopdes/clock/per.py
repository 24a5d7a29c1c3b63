"""Figures "per tanggal": reading the past date a page is shown as of (`?per=`) and the moment that date ends.

The dashboards and the recap per kecamatan read `per` the same way: as people write dates (2025-05-11, 11/05/2025,
11 Mei 2025; `kopdes.cleaners.dates.parse_date`), never after the region's today, and today itself is no past date.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from kopdes.cleaners import CellError
from kopdes.cleaners.dates import parse_date
from kopdes.cleaners.dates import show as show_date
from kopdes.regions.timezones import zone_for_code

__all__ = ["ARTICLE_DAY", "day_end", "read_per", "zone_of"]

# The day the news article reported Kabupaten Paser's formation (the demo's story, docs/glossary.md): the dashboards
# and the recap offer their state "per 11 Mei 2025" as one click.
ARTICLE_DAY = date(2025, 5, 11)
EARLIEST_YEAR = 2000  # a `per` before it is a typo: no programme record is that old


def zone_of(code: str | None) -> zoneinfo.ZoneInfo:
    """The zone of the region `code` (WIB, WITA or WIT); the nation's (settings.TIME_ZONE) for no region."""
    return zoneinfo.ZoneInfo(zone_for_code(code) if code else settings.TIME_ZONE)


def day_end(code: str | None, day: date) -> datetime:
    """The first moment after the calendar date `day` in the zone of `code` (the nation: settings.TIME_ZONE): what
    happened before it happened "per `day`"."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone_of(code))


def read_per(raw: str | None, today: date | None) -> tuple[date | None, str]:
    """(the past date, "") for a `per` value, or (None, why it was not used — in the user's language) when it cannot
    be read, lies after `today` (the region's local date) or before 2000. Empty, or `today` itself: (None, "")."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    try:
        day = parse_date(raw)
    except CellError as error:
        return None, f"{error} {_('The figures are shown as of today.')}"
    if today is not None and day > today:
        return None, _("%(date)s is in the future: the figures are shown as of today.") % {"date": show_date(day)}
    if day.year < EARLIEST_YEAR:
        return None, _("%(date)s is before any record: the figures are shown as of today.") % {"date": show_date(day)}
    return (day if today is None or day < today else None), ""
