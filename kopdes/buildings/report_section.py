"""The building section of the camat's periodic report (registered in `formation.report_sections` by the app's
`ready()`): per village its building's step, band, handover, first sale and days without change, and a paragraph
that pre-fills the camat's note on the buildings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdes.buildings import workflow
from kopdes.buildings.selectors import STUCK_DAYS, report_facts
from kopdes.buildings.workflow import Band
from kopdes.formation.report_sections import ReportSection


def describe(facts: dict[str, Any]) -> dict[str, Any]:
    """Stored facts with their labels and dates (for the page and the PDF)."""
    step = facts.get("step") or 0
    band = facts.get("band")
    return {
        **facts,
        "step_label": workflow.step(step).label if step else _("No step verified yet"),
        "band_label": Band(band).label if band else "",
        "handover_date": date.fromisoformat(facts["handover_on"]) if facts.get("handover_on") else None,
        "first_sale_date": date.fromisoformat(facts["first_sale_on"]) if facts.get("first_sale_on") else None,
        "stuck": facts.get("first_sale_on") is None and (facts.get("days") or 0) >= STUCK_DAYS,
    }


def summary(rows: list[dict[str, Any]]) -> str:
    """One paragraph of counts over the described rows, in the user's language."""
    facts = [row for row in rows if row]
    counts = {
        "n": len(facts),
        "land": sum(1 for f in facts if f["step"] >= workflow.LAND_PROPOSED),
        "built": sum(1 for f in facts if f.get("band") == Band.DONE),
        "handed": sum(1 for f in facts if f.get("handover_on")),
        "trading": sum(1 for f in facts if f.get("first_sale_on")),
        "stuck": sum(1 for f in facts if f.get("stuck")),
        "days": STUCK_DAYS,
    }
    return (
        _(
            "Of %(n)s villages: land proposed %(land)s, built (100%%) %(built)s, handed over %(handed)s, trading "
            "%(trading)s; %(stuck)s not trading and without change for %(days)s days or more."
        )
        % counts
    )


SECTION = ReportSection(
    key="building",
    title=gettext_lazy("Gerai and warehouses"),
    collect=report_facts,
    describe=describe,
    summary=summary,
    template="buildings/report_section.html",
    pdf_template="buildings/report_section_pdf.html",
)
