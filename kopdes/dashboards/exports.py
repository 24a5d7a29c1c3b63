"""The dashboard's shares and exports: the WhatsApp summary and the village list as spreadsheet rows (the same
filter and order as the page's list)."""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kopdes.dashboards.selectors import dashboard
from kopdes.formation import workflow
from kopdes.formation.models import (
    CooperativeVillage,
    StageSubmission,
)
from kopdes.formation.workflow import SubmissionStatus
from kopdes.regions.models import Kind, Region, subtree_q


def whatsapp_link(region: Region) -> str:
    """A wa.me link with a short summary for the office's WhatsApp groups: target, realised, %, days left and the
    kecamatan furthest behind. Always in Indonesian, like the printed documents (the readers are the groups)."""
    d = dashboard(region, with_villages=False)
    lines = [f"*Progres KDKMP {region.display_name}* ({d.today:%d/%m/%Y})"]
    if d.target:
        lines.append(f"Target: {d.target.count} koperasi s.d. {d.target.deadline:%d/%m/%Y}")
    lines.append(f"Terealisasi: {d.formed} koperasi berbadan hukum")
    if d.percent_of_target is not None:
        lines.append(f"Capaian: {d.percent_of_target:.1f}%".replace(".", ","))
    if d.met_on is not None:
        lines.append(f"Target tercapai pada {d.met_on:%d/%m/%Y}")
    elif d.days_to_deadline is not None:
        days = d.days_to_deadline
        lines.append(f"Sisa waktu: {days} hari" if days >= 0 else f"Lewat tenggat: {-days} hari")
    behind = sorted((c for c in d.children if c.villages), key=lambda c: (c.percent_formed, c.region.name))[:3]
    if behind:
        lines.append(
            "Perlu perhatian: "
            + ", ".join(f"{c.region.name} ({c.percent_formed:.0f}%)".replace(".", ",") for c in behind)
        )
    return "https://wa.me/?text=" + quote("\n".join(lines))


VILLAGE_HEADERS = [
    _("Code"),
    _("Village"),
    _("Kecamatan"),
    _("Cooperative"),
    _("Stage"),
    _("Stage name"),
    _("Waiting for verification"),
    _("Last update"),
]


def village_export_rows(code: str | None):
    """The village list of the dashboard (`village_list`: same filter, same order), as
    plain tuples streamed from the database in chunks, so an export of 83,000 villages stays flat in memory.
    `code` None: the whole nation."""
    pending = StageSubmission.objects.filter(cooperative=OuterRef("cooperative_id"), status=SubmissionStatus.PENDING)
    rows = (
        CooperativeVillage.objects.filter(left_at__isnull=True)
        .filter(subtree_q(code, "village_code") if code else Q())
        .annotate(is_pending=Exists(pending))
        .order_by("village_code")
        .values_list(
            "village_code",
            "village__kind",
            "village__name",
            "village__parent__name",
            "cooperative__name",
            "cooperative__stage",
            "is_pending",
            "cooperative__updated_at",
        )
    )
    labels = {s.number: str(s.label) for s in workflow.STAGES}
    prefixes: dict[str, str] = {Kind.DESA: "Desa ", Kind.KELURAHAN: "Kelurahan "}
    for village_code, kind, name, kecamatan, cooperative, stage, is_pending, updated_at in rows.iterator(2000):
        yield (
            village_code,
            prefixes.get(kind, "") + name,
            kecamatan,
            cooperative,
            stage,
            labels[stage],
            is_pending,
            updated_at,
        )
