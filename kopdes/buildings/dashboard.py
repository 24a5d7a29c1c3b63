"""The building dashboard's exports for the task force's meetings: one row per village, as .xlsx and as a PDF on the
office's letterhead signed by the Kepala Dinas. The rows are the dashboard's own (`selectors.village_rows`), so a
printout always equals its page."""

from __future__ import annotations

from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _

from kopdes.buildings.selectors import Board
from kopdes.documents.models import SignerRole
from kopdes.documents.render import logo_data_uri, render_pdf
from kopdes.documents.selectors import letterhead_for, signature, signer_for


def export_headers() -> list[str]:
    return [
        _("No."),
        _("Code"),
        _("Village"),
        _("Kecamatan"),
        _("Cooperative"),
        _("Step"),
        _("Land owner"),
        _("Land area (m²)"),
        _("Land proposed on"),
        _("Surveyed on"),
        _("Construction band"),
        _("Band reached on"),
        _("Handed over on"),
        _("Asset register number"),
        _("Active channels"),
        _("First sale on"),
        _("Days since the last change"),
    ]


def export_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The village rows as cells: dates as dates, numbers as numbers, nothing as an empty cell."""
    out = []
    for n, row in enumerate(rows, start=1):
        b = row["building"]
        out.append(
            [
                n,
                row["code"],
                row["village"].display_name,
                row["kecamatan"].name if row["kecamatan"] else "",
                row["cooperative"].name,
                f"{row['step']}. {row['step_label']}" if row["step"] else str(row["step_label"]),
                b.get_land_owner_display() if b and b.land_owner else None,
                float(b.land_area_m2) if b and b.land_area_m2 is not None else None,
                b.land_proposed_on if b else None,
                b.surveyed_on if b else None,
                str(row["band_label"]) or None,
                b.band_on if b else None,
                b.handover_on if b else None,
                (b.asset_number or None) if b else None,
                row["channels"],
                b.first_sale_on if b else None,
                row["days"],
            ]
        )
    return out


# the printout's columns (A4 landscape): the export's without the cooperative's name, the survey and the asset number
PDF_COLUMNS = (0, 1, 2, 3, 5, 6, 7, 8, 10, 11, 12, 14, 15, 16)


def _long(value) -> str:
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def board_pdf(board: Board) -> bytes:
    """The dashboard on the office's letterhead (A4 landscape): the funnel, the bands, the per-child table, the
    stuck villages and, for a kabupaten or below, one row per village; signed by the Kepala Dinas."""
    region = board.region
    assert region is not None  # the PDF is for a region, never the nation
    with translation.override("id"):
        letterhead = letterhead_for(region.code)
        head = signature(signer_for(letterhead, SignerRole.KEPALA_DINAS), title="Kepala Dinas")
        context = {
            "letterhead": letterhead,
            "logo": logo_data_uri(letterhead),
            "signatures": [head],
            "sign_place": letterhead.city,
            "sign_date": _long(board.today),
            "board": board,
            "region": region,
            "headers": [export_headers()[i] for i in PDF_COLUMNS],
            "rows": [[row[i] for i in PDF_COLUMNS] for row in export_rows(board.village_rows or [])],
        }
        return render_pdf("buildings/board_pdf.html", context)
