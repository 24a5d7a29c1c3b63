"""The printed report and recap: one context each, rendered by WeasyPrint through documents.render (Indonesian)."""

from __future__ import annotations

from datetime import date

from django.utils import formats, timezone, translation

from kopdes.clock import local_date
from kopdes.documents.models import IssuerKind, SignerRole
from kopdes.documents.render import logo_data_uri, render_pdf
from kopdes.documents.selectors import issuer_for, letterhead_for, signature, signer_for
from kopdes.formation import workflow
from kopdes.regions.models import Region
from kopdes.reports import selectors
from kopdes.reports.models import CamatReport


def report_context(report: CamatReport) -> dict:
    """The camat's report letter: under the kecamatan's letterhead, signed by its camat (name, NIP), addressed to
    the office (`letterhead_for`), dated when submitted, at the kecamatan's place of signing."""
    letterhead = issuer_for(IssuerKind.KECAMATAN, report.kecamatan)
    office = letterhead_for(report.kecamatan_code)
    issued = report.issued
    when = report.submitted_at or report.created_at
    submitter = report.submitted_by or report.created_by
    camat = signature(
        signer_for(letterhead, SignerRole.CAMAT),
        title=f"Camat {report.kecamatan.name}",
        fallback_name=(submitter.get_full_name() if submitter else ""),
    )
    snapshot = report.snapshot or selectors.live_snapshot(report.kecamatan, report.period)
    return {
        "letterhead": letterhead,
        "office": office,
        "logo": logo_data_uri(letterhead),
        "signatures": [camat],
        "sign_place": letterhead.city,
        "sign_date": _long(issued.date_of_issue if issued else local_date(report.kecamatan_code, when)),
        "number": issued.number if issued else report.number,
        "report": report,
        "kecamatan": report.kecamatan,
        "period": report.period,
        "date": issued.date_of_issue if issued else local_date(report.kecamatan_code, when),
        "rows": selectors.snapshot_rows(snapshot, report.village_obstacles),
        "sections": selectors.sections(snapshot),
        "signer": report.submitted_by or report.created_by,
        "stages": workflow.STAGES,
    }


def _long(value) -> str:
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def report_pdf(report: CamatReport) -> bytes:
    return render_pdf("reports/report_pdf.html", report_context(report))


def recap_context(region: Region, on: date | None = None) -> dict:
    """The office's recap, as of the past date `on` when given (else today): under its letterhead, signed by the
    Kepala Dinas (name, NIP)."""
    letterhead = letterhead_for(region.code)
    headers, rows = selectors.recap_table(selectors.recap(region, on))
    today = local_date(region.code, timezone.now())
    head = signature(signer_for(letterhead, SignerRole.KEPALA_DINAS), title="Kepala Dinas")
    return {
        "letterhead": letterhead,
        "logo": logo_data_uri(letterhead),
        "signatures": [head],
        "sign_place": letterhead.city,
        "sign_date": _long(today),
        "region": region,
        "headers": headers,
        "rows": rows,
        "date": on or local_date(region.code, timezone.now()),
    }


def recap_pdf(region: Region, on: date | None = None) -> bytes:
    with translation.override("id"):  # the column headers are made here, not in the template
        context = recap_context(region, on)
    return render_pdf("reports/recap_pdf.html", context)
