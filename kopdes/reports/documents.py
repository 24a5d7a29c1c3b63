"""The printed report and recap: one context each, rendered by WeasyPrint through documents.render (Indonesian)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone, translation

from kopdes.clock import local_date
from kopdes.documents.render import logo_data_uri, render_pdf
from kopdes.documents.selectors import letterhead_for
from kopdes.formation import workflow
from kopdes.regions.models import Region
from kopdes.reports import selectors
from kopdes.reports.models import CamatReport


def report_context(report: CamatReport) -> dict:
    letterhead = letterhead_for(report.kecamatan_code)
    when = report.submitted_at or report.created_at
    return {
        "letterhead": letterhead,
        "logo": logo_data_uri(letterhead),
        "report": report,
        "kecamatan": report.kecamatan,
        "period": report.period,
        "date": local_date(report.kecamatan_code, when),
        "rows": selectors.snapshot_rows(
            report.snapshot or selectors.live_snapshot(report.kecamatan, report.period), report.village_obstacles
        ),
        "signer": report.submitted_by or report.created_by,
        "stages": workflow.STAGES,
    }


def report_pdf(report: CamatReport) -> bytes:
    return render_pdf("reports/report_pdf.html", report_context(report))


def recap_context(region: Region, on: date | None = None) -> dict:
    """The printed recap, as of the past date `on` when given (else today)."""
    letterhead = letterhead_for(region.code)
    headers, rows = selectors.recap_table(selectors.recap(region, on))
    return {
        "letterhead": letterhead,
        "logo": logo_data_uri(letterhead),
        "region": region,
        "headers": headers,
        "rows": rows,
        "date": on or local_date(region.code, timezone.now()),
    }


def recap_pdf(region: Region, on: date | None = None) -> bytes:
    with translation.override("id"):  # the column headers are made here, not in the template
        context = recap_context(region, on)
    return render_pdf("reports/recap_pdf.html", context)
