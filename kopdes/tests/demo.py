"""Run `manage.py demo` in a test. The demo ends with its consistency check (kopdes/web/demo_check.py), which fails
the command on any breach. One breach is known until the "per tanggal" dashboards are merged: without
`Dashboard.target_met` the dashboard shows the 2025 target met beside the deadline as overdue. While that attribute is
missing, exactly that one line is tolerated; once it exists, nothing is."""

from __future__ import annotations

import re
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

from kopdes.dashboards.selectors import Dashboard

KNOWN_DASHBOARD_BREACH = re.compile(r"dashboard: 64\.01 shows \d+ % of the target met and \d+ days past the deadline")


def tolerated(breaches: list[str]) -> list[str]:
    """The breaches a test may let pass: the known dashboard line alone, and only while the dashboard cannot say the
    day its target was met. Raises AssertionError for anything else."""
    if hasattr(Dashboard, "target_met"):
        assert breaches == [], breaches
        return []
    dashboard = [b for b in breaches if b.startswith("dashboard:")]
    assert len(dashboard) == 1 and KNOWN_DASHBOARD_BREACH.fullmatch(dashboard[0]), dashboard
    assert breaches == dashboard, breaches
    return dashboard


def run_demo(**options) -> str:
    """Run the demo command; returns its output (with the tolerated breach appended, if any)."""
    out = StringIO()
    try:
        call_command("demo", stdout=out, **options)
    except CommandError as error:
        lines = str(error).splitlines()
        assert lines and lines[0].startswith("The demo is inconsistent"), error
        out.write("\n".join(tolerated([line.strip() for line in lines[1:]])))
    return out.getvalue()
