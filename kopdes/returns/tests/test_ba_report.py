"""The BA's monthly report: submit, return with a reason, correct as a new version, accept; the PMO's recap and its
exports; a BA reads its assigned cooperative's registry page and records visits to its villages."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kopdes.assistance.models import Visit
from kopdes.assistance.services.activities import record_visit
from kopdes.regions.models import Region
from kopdes.returns import ba_report
from kopdes.returns.models import ReturnPeriod
from kopdes.returns.models_ba import BAReport, BAReportStatus
from kopdes.tests.samples import JPEG_BYTES

CHECK = {
    "building_ready": "partly",
    "outlet_ready": "ready",
    "business_plan": True,
    "simkopdes_updated": False,
    "partnerships": "Pertamina",
    "problems": "Stok beras terlambat",
    "follow_ups": "",
}


def _period():
    """The last ended month (open for reports: not locked yet)."""
    return ReturnPeriod.objects.filter(end__lt=timezone.localdate()).order_by("-start").first()


def test_submit_return_correct_accept_and_recap(ba_on_janju, janju, admin_dinas, pmo):
    period = _period()
    first = ba_report.submit_report(actor=ba_on_janju, period=period, items={janju.pk: CHECK})
    assert first.version == 1 and first.items.get().outlet_ready == "ready"
    with pytest.raises(ValidationError):
        ba_report.send_back_report(actor=admin_dinas, report=first, reason=" ")
    ba_report.send_back_report(actor=admin_dinas, report=first, reason="Lengkapi kemitraan")
    second = ba_report.submit_report(
        actor=ba_on_janju, period=period, items={janju.pk: {**CHECK, "simkopdes_updated": True}}
    )
    first.refresh_from_db()
    assert first.status == BAReportStatus.SUPERSEDED and second.version == 2
    with pytest.raises(PermissionDenied):
        ba_report.accept_report(actor=pmo, report=second)
    assert ba_report.recap(janju.region_code[:5], period)[0].state == ba_report.MISSING
    ba_report.accept_report(actor=admin_dinas, report=second)
    row = ba_report.recap("64.01", period)[0]
    assert (row.assigned, row.outlet_ready, row.simkopdes_updated, row.problems) == (
        1, 1, 1, [(janju.name, "Stok beras terlambat")],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        ba_report.submit_report(actor=ba_on_janju, period=period, items={janju.pk: CHECK})


def test_unassigned_cooperative_and_missing_checklist_are_refused(ba_on_janju, janju, sungai_terik):
    period = _period()
    with pytest.raises(PermissionDenied):
        ba_report.submit_report(actor=ba_on_janju, period=period, items={janju.pk: CHECK, sungai_terik.pk: CHECK})
    with pytest.raises(ValidationError):
        ba_report.submit_report(actor=ba_on_janju, period=period, items={})
    with pytest.raises(ValidationError):
        ba_report.submit_report(actor=ba_on_janju, period=period, items={janju.pk: {**CHECK, "outlet_ready": "x"}})
    assert not BAReport.objects.exists()


def test_ba_reads_assigned_registry_page_only(client, ba_on_janju, janju, sungai_terik):
    client.force_login(ba_on_janju)
    assert client.get(reverse("cooperatives:detail", args=[janju.pk])).status_code == 200
    assert client.get(reverse("cooperatives:detail", args=[sungai_terik.pk])).status_code == 404


def test_ba_records_a_visit_with_position_to_its_cooperative(ba_on_janju, janju, sungai_terik):
    from django.core.files.uploadedfile import SimpleUploadedFile

    village = Region.objects.get(code=janju.region_code)
    photo = SimpleUploadedFile("gerai.jpg", JPEG_BYTES, content_type="image/jpeg")
    visit = record_visit(
        actor=ba_on_janju,
        village=village,
        visit_date=_period().end,
        purpose="Cek gerai",
        findings="Rak kosong",
        photos=[photo],
        latitude=Decimal("-1.9"),
        longitude=Decimal("116.2"),
    )
    assert visit.cooperative_id == janju.pk and visit.photos.count() == 1
    assert ba_report.visits_in(ba_on_janju, [janju.pk], _period())[janju.pk] == [visit]
    with pytest.raises(PermissionDenied):
        record_visit(
            actor=ba_on_janju,
            village=Region.objects.get(code=sungai_terik.region_code),
            visit_date=_period().end,
            purpose="x",
            findings="y",
        )
    with pytest.raises(ValidationError):
        record_visit(
            actor=ba_on_janju, village=village, visit_date=_period().end, purpose="x", findings="y",
            latitude=Decimal("50"), longitude=Decimal("116"),
        )  # fmt: skip
    assert Visit.objects.count() == 1


def test_pages_and_exports(client, ba_on_janju, janju, admin_dinas, pmo):
    period = _period()
    client.force_login(ba_on_janju)
    assert client.get(reverse("returns:ba_index")).status_code == 200
    page = client.get(reverse("returns:ba_enter", args=[period.pk]))
    assert page.status_code == 200
    data = {f"c{janju.pk}-{k}": ("on" if v is True else v) for k, v in CHECK.items() if v is not False}
    data["dibaca"] = page.context["summary_form"].initial["dibaca"]
    assert client.post(reverse("returns:ba_enter", args=[period.pk]), data).status_code == 302
    report = BAReport.objects.get()
    client.force_login(admin_dinas)
    client.post(reverse("returns:ba_decide", args=[report.pk]), {"terima": "1"})
    report.refresh_from_db()
    assert report.status == BAReportStatus.ACCEPTED
    client.force_login(pmo)
    page = client.get(reverse("returns:ba_region", args=["64.01"]) + f"?bulan={period.pk}")
    assert page.status_code == 200 and page.context["recap"][0].report == report
    xlsx = client.get(reverse("returns:ba_recap_xlsx", args=["64.01"]) + f"?bulan={period.pk}")
    assert xlsx.status_code == 200
    pdf = client.get(reverse("returns:ba_recap_pdf", args=["64.01"]) + f"?bulan={period.pk}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if os.environ.get("KOPDES_SHOTS"):  # to look at
        Path(os.environ["KOPDES_SHOTS"], "ba-recap.pdf").write_bytes(pdf.content)
    client.force_login(ba_on_janju)
    assert client.get(reverse("returns:ba_region", args=["64.01"])).status_code == 404
    assert client.post(reverse("returns:ba_decide", args=[report.pk]), {"terima": "1"}).status_code == 404
