"""What other apps add to the camat's periodic report, without the report importing them.

The report (kopdes.reports) and the domain apps beside it (the buildings, …) are siblings: neither imports the other.
An app with facts per village for the report registers a `ReportSection` here from its `AppConfig.ready()`, as
`case_sections` does for the case page. The report stores each section's facts in its village table (the snapshot,
frozen on submit) under the section's `key`, and shows them through the section's templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ReportSection:
    """`collect(village_codes, at)` -> {village code: JSON-safe facts} (a fixed number of queries; `at` a past moment
    or None for now); `describe(facts)` -> the facts ready for a template (labels); `summary(described rows)` -> the
    paragraph that pre-fills the camat's note; `template` and `pdf_template` show the section's rows (context:
    `section`, with `rows`, `title` and `summary`)."""

    key: str
    title: Any
    collect: Callable[[list[str], datetime | None], dict[str, dict]]
    describe: Callable[[dict], dict]
    summary: Callable[[list[dict]], str]
    template: str
    pdf_template: str


_SECTIONS: dict[str, ReportSection] = {}


def register_report_section(section: ReportSection) -> None:
    """Add `section` to the camat's report (once per key, however often `ready()` runs)."""
    _SECTIONS[section.key] = section


def report_sections() -> list[ReportSection]:
    return list(_SECTIONS.values())
