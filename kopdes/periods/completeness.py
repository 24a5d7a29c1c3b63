"""Completeness and timeliness tallies: expected, submitted and on-time returns and their rates, for one submitter
across periods, one period across submitters, or a whole grid (region × period)."""

from __future__ import annotations

from collections.abc import Iterable

from kopdes.periods.models import Timeliness


class Tally:
    """Counts over `expected_returns()`: one item per return expected (a submitter × a period), each with
    `submitted` and `on_time` (booleans). A grid row, a grid column and the whole grid are tallies alike."""

    def expected_returns(self) -> Iterable:
        raise NotImplementedError

    @property
    def expected(self) -> int:
        return sum(1 for _item in self.expected_returns())

    @property
    def submitted(self) -> int:
        return sum(bool(item.submitted) for item in self.expected_returns())

    @property
    def on_time(self) -> int:
        return sum(bool(item.on_time) for item in self.expected_returns())

    @property
    def rate(self) -> float:
        """Per cent of the expected returns submitted (0 when none is expected)."""
        return 100.0 * self.submitted / self.expected if self.expected else 0.0

    @property
    def rate_on_time(self) -> float:
        return 100.0 * self.on_time / self.expected if self.expected else 0.0


def is_on_time(timeliness: str) -> bool:
    return timeliness == Timeliness.ON_TIME
