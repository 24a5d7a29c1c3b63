"""The camat's periodic report gains a building section: the village table carries each village's building facts,
the page and the letter show them, and the camat's note on the buildings is pre-filled from them."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kopdes.accounts.roles import Role
from kopdes.buildings import services
from kopdes.buildings.tests.test_track import land, photo, submit
from kopdes.buildings.workflow import CONSTRUCTION, LAND_SURVEYED
from kopdes.conftest import BATU_SOPANG, SUNGAI_TERIK
from kopdes.formation.models import Cooperative
from kopdes.formation.tests.conftest import programme  # noqa: F401  (a fixture)
from kopdes.reports.models import CamatReport, ReportStatus
from kopdes.reports.tests.conftest import batu_sopang, period  # noqa: F401  (fixtures)
from kopdes.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def terik_at_75(admin_dinas, programme):  # noqa: F811
    cooperative = Cooperative.objects.get(region_code=SUNGAI_TERIK)
    board = make_user("pengurus.terik", Role.PENGURUS, SUNGAI_TERIK)
    services.verify(actor=admin_dinas, submission=land(admin_dinas, cooperative, certificate="SHM 9/2025"))
    services.verify(
        actor=admin_dinas, submission=submit(admin_dinas, cooperative, LAND_SURVEYED, data={"surveyed_by": "Agrinas"})
    )
    for band in (20, 50, 75):
        services.verify(
            actor=admin_dinas, submission=submit(board, cooperative, CONSTRUCTION, band=band, files=[photo()])
        )
    return cooperative


def url(period):  # noqa: F811
    return reverse("reports:period_report", kwargs={"code": BATU_SOPANG, "period_pk": period.pk})


def test_the_report_shows_the_buildings_and_prefills_the_note(client, camat_batu_sopang, period, terik_at_75):  # noqa: F811
    client.force_login(camat_batu_sopang)
    response = client.get(url(period))
    assert response.status_code == 200
    (section,) = response.context["sections"]
    assert section["key"] == "building" and len(section["rows"]) == 9
    terik = next(row for row in section["rows"] if row["code"] == SUNGAI_TERIK)
    assert (terik["step"], str(terik["band_label"])) == (CONSTRUCTION, "51–75%")
    note = response.context["form"]["building_notes"].value()
    assert note.startswith("Dari 9 desa/kelurahan: lahan diusulkan 1,")
    page = response.content.decode()
    assert 'data-testid="building-section"' in page and "51–75%" in page

    # submitted with the note as pre-filled: the table freezes the building facts
    token = response.context["form"]["dibaca"].value()
    posted = client.post(url(period), {"dibaca": token, "building_notes": note, "action": "submit"})
    assert posted.status_code == 302
    report = CamatReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED and report.building_notes == note
    frozen = next(row for row in report.snapshot if row["code"] == SUNGAI_TERIK)
    assert frozen["building"]["band"] == 75 and frozen["building"]["step"] == CONSTRUCTION

    detail = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk}))
    assert 'data-testid="building-section"' in detail.content.decode()
    pdf = client.get(reverse("reports:report_pdf", kwargs={"pk": report.pk}))
    if path := os.environ.get("KOPDES_KEEP_PDF"):  # to look at it: pdftoppm -png
        Path(path).write_bytes(pdf.content)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "E. Gerai dan pergudangan" in text and "51–75%" in text and "lahan diusulkan 1" in text


def test_a_table_stored_before_the_section_existed_shows_none(client, admin_dinas, batu_sopang, period):  # noqa: F811
    report = CamatReport.objects.create(
        period=period,
        kecamatan=batu_sopang,
        kecamatan_code=BATU_SOPANG,
        status=ReportStatus.SUBMITTED,
        snapshot=[{"code": SUNGAI_TERIK, "name": "Desa Sungai Terik", "stage": 3, "stalled_days": 4}],
        created_by=admin_dinas,
        created_at=timezone.now(),
    )
    client.force_login(admin_dinas)
    response = client.get(reverse("reports:report_detail", kwargs={"pk": report.pk}))
    assert response.status_code == 200 and response.context["sections"] == []
